//! The hand-written IPC reader against what arrow-rs writes: dictionary deltas and
//! replacements, column types it skips, view and large text, and its own writer.

mod common;

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringDictionaryBuilder};
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{
    ArrayRef, DictionaryArray, Int32Array, Int64Array, LargeStringArray, RecordBatch, StringArray,
    StringViewArray, TimestampMillisecondArray,
};
use arrow_ipc::writer::{DictionaryHandling, IpcWriteOptions, StreamWriter};
use common::*;
use insitu::data::{DatasetMapping, TableMapping};

fn dict(keys: Vec<i32>, values: &[&str]) -> ArrayRef {
    Arc::new(DictionaryArray::<Int32Type>::new(
        Int32Array::from(keys),
        Arc::new(StringArray::from(values.to_vec())),
    ))
}

fn events_batch(ids: Vec<i64>, ts: Vec<i64>, event: ArrayRef) -> RecordBatch {
    batch(vec![
        ("customer_id", Arc::new(Int64Array::from(ids)) as ArrayRef),
        ("ts", Arc::new(TimestampMillisecondArray::from(ts))),
        ("event", event),
    ])
}

fn stream_with(batches: &[RecordBatch], handling: DictionaryHandling) -> Vec<u8> {
    let options = IpcWriteOptions::default().with_dictionary_handling(handling);
    let mut out = Vec::new();
    let mut w = StreamWriter::try_new_with_options(&mut out, &batches[0].schema(), options)
        .expect("writer");
    for b in batches {
        w.write(b).expect("write");
    }
    w.finish().expect("finish");
    drop(w);
    out
}

fn names(ds: &insitu::Dataset, id: &str) -> Vec<String> {
    events_of(ds, id).into_iter().map(|(_, n)| n).collect()
}

#[test]
fn dictionary_deltas_extend_and_replacements_replace() {
    // The second batch's dictionary extends the first's: with Delta handling arrow-rs
    // sends only "buy" the second time; with Resend it replaces the dictionary.
    let first = events_batch(vec![1, 1], vec![1, 2], dict(vec![0, 0], &["visit"]));
    let second = events_batch(vec![1, 2], vec![3, 4], dict(vec![1, 0], &["visit", "buy"]));
    for handling in [DictionaryHandling::Delta, DictionaryHandling::Resend] {
        let bytes = stream_with(&[first.clone(), second.clone()], handling);
        let ds = events_only(bytes).expect("ingest");
        assert_eq!(names(&ds, "1"), ["visit", "visit", "buy"]);
        assert_eq!(names(&ds, "2"), ["visit"]);
    }
    // A replacement with different values: later batches use the new dictionary.
    let third = events_batch(vec![3], vec![5], dict(vec![0], &["signup"]));
    let ds = events_only(stream(&[first, third])).expect("ingest");
    assert_eq!(names(&ds, "3"), ["signup"]);
}

#[test]
fn unsupported_columns_are_skipped_unless_mapped() {
    let mut list = ListBuilder::new(arrow_array::builder::Int32Builder::new());
    list.values().append_value(7);
    list.append(true);
    list.append(false);
    let mut tags = StringDictionaryBuilder::<Int32Type>::new();
    tags.append_value("x");
    tags.append_null();
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef,
        ),
        ("items", Arc::new(list.finish())),
        ("ts", Arc::new(TimestampMillisecondArray::from(vec![1, 2]))),
        ("event", Arc::new(StringArray::from(vec!["a", "b"]))),
        ("tag", Arc::new(tags.finish())),
    ]);
    let bytes = stream(std::slice::from_ref(&b));
    let ds = events_only(bytes.clone()).expect("ingest");
    assert_eq!(names(&ds, "2"), ["b"]);
    let events = &ds.columns[0];
    assert_eq!(events.ignored.len(), 1);
    assert_eq!(events.ignored[0].name, "items");
    assert!(
        events.ignored[0].kind.contains("List"),
        "{:?}",
        events.ignored
    );
    assert!(events.properties.iter().any(|p| p.name == "tag"));

    let mapping = DatasetMapping {
        events: TableMapping {
            event: Some("items".into()),
            ..TableMapping::default()
        },
        ..DatasetMapping::default()
    };
    let err = ingest(Some(bytes), None, None, mapping).unwrap_err();
    assert_eq!(err.code(), "bad_type");
    assert!(err.to_string().contains("items"), "{err}");
}

#[test]
fn large_and_view_text_columns_are_read() {
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(LargeStringArray::from(vec!["a", "b"])) as ArrayRef,
        ),
        ("ts", Arc::new(TimestampMillisecondArray::from(vec![1, 2]))),
        (
            "event",
            Arc::new(StringViewArray::from(vec![
                "short",
                "a name longer than twelve bytes",
            ])),
        ),
    ]);
    let ds = events_only(stream(std::slice::from_ref(&b))).expect("stream");
    assert_eq!(names(&ds, "b"), ["a name longer than twelve bytes"]);
    let ds = events_only(file(&[b])).expect("file");
    assert_eq!(names(&ds, "a"), ["short"]);
}

#[test]
fn zero_batches_and_zero_rows_read_as_empty_tables() {
    let b = events_batch(vec![], vec![], dict(vec![], &[]));
    for bytes in [stream(std::slice::from_ref(&b)), file(&[b])] {
        let err = events_only(bytes).unwrap_err();
        assert_eq!(err.code(), "empty_input", "{err}");
    }
}

#[test]
fn the_crate_writer_is_read_by_arrow_rs_and_by_the_crate_reader() {
    use arrow_array::cast::AsArray;
    let ds = events_dataset(&[(5, 1_000, "a"), (6, 2_000, "b")], &[]);
    let table = insitu::data::ResultTable::default()
        .with(
            "customer_id",
            insitu::data::ResultColumn::Customers(vec![1, 0]),
        )
        .with("n", insitu::data::ResultColumn::UInt32(vec![3, 4]))
        .with("flag", insitu::data::ResultColumn::Bool(vec![true, false]))
        .with(
            "label",
            insitu::data::ResultColumn::Text(vec!["x".into(), "yy".into()]),
        );
    let bytes = table.to_ipc(&ds).expect("ipc");
    let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(&bytes), None)
        .expect("reader");
    let batches: Vec<RecordBatch> = reader.map(|b| b.expect("batch")).collect();
    assert_eq!(batches.len(), 1);
    let b = &batches[0];
    assert_eq!(
        b.column(0).as_primitive::<Int64Type>().values().to_vec(),
        [6, 5]
    );
    assert_eq!(b.column(3).as_string::<i32>().value(1), "yy");
    assert!(b.column(2).as_boolean().value(0));
}
