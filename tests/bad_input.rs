//! Bad inputs give coded `InsituError`s, never a panic.

mod common;

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, DictionaryArray, Float64Array, Int32Array, Int64Array, StringArray,
    TimestampMillisecondArray,
};
use arrow_buffer::{Buffer, OffsetBuffer};
use common::*;
use insitu::data::DatasetMapping;

fn valid_events() -> Vec<u8> {
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from(vec![1, 2, 3, 1])) as ArrayRef,
        ),
        (
            "ts",
            Arc::new(TimestampMillisecondArray::from(vec![1, 2, 3, 4])),
        ),
        (
            "event",
            Arc::new(DictionaryArray::<Int32Type>::new(
                Int32Array::from(vec![0, 1, 0, 1]),
                Arc::new(StringArray::from(vec!["visit", "buy"])),
            )),
        ),
        (
            "source",
            Arc::new(StringArray::from(vec![
                Some("naver"),
                None,
                Some("kakao"),
                Some("google"),
            ])),
        ),
    ]);
    stream(&[b.clone(), b])
}

fn valid_file() -> Vec<u8> {
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef,
        ),
        ("ts", Arc::new(TimestampMillisecondArray::from(vec![1, 2]))),
        (
            "event",
            Arc::new(DictionaryArray::<Int32Type>::new(
                Int32Array::from(vec![0, 1]),
                Arc::new(StringArray::from(vec!["visit", "buy"])),
            )),
        ),
        (
            "amount",
            Arc::new(Float64Array::from(vec![Some(1.5), None])),
        ),
    ]);
    file(&[b.clone(), b])
}

/// A tiny deterministic generator for fuzz-like inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn empty_bytes_are_invalid_ipc() {
    let err = events_only(Vec::new()).unwrap_err();
    assert_eq!(err.code(), "invalid_ipc");
    assert!(err.to_string().starts_with("events:"), "{err}");
}

#[test]
fn every_truncation_of_a_valid_stream_is_an_error_not_a_panic() {
    let bytes = valid_events();
    for len in 1..bytes.len() {
        let result = events_only(bytes[..len].to_vec());
        // A cut exactly at a message boundary is a shorter valid stream only if the
        // schema made it through; anything else must be a coded error.
        if let Err(e) = result {
            assert!(
                ["invalid_ipc", "empty_input"].contains(&e.code()),
                "len {len}: {e}"
            );
        }
    }
    let file_bytes = {
        let b = batch(vec![
            (
                "customer_id",
                Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef,
            ),
            ("ts", Arc::new(TimestampMillisecondArray::from(vec![1, 2]))),
            ("event", Arc::new(StringArray::from(vec!["a", "b"]))),
        ]);
        file(&[b])
    };
    for len in 1..file_bytes.len() {
        let err = events_only(file_bytes[..len].to_vec()).unwrap_err();
        assert_eq!(err.code(), "invalid_ipc", "len {len}");
    }
}

#[test]
fn random_and_corrupted_bytes_are_errors_not_panics() {
    let mut rng = Rng(7);
    for _ in 0..2_000 {
        let len = (rng.next() % 600) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if let Err(e) = events_only(bytes) {
            assert!(
                ["invalid_ipc", "empty_input", "missing_column", "bad_type"].contains(&e.code())
            );
        }
    }
    // Bit flips in valid streams and files: each either still decodes or is a coded
    // error. INSITU_FUZZ_ITERS raises the count for a longer local run.
    let iterations: usize = std::env::var("INSITU_FUZZ_ITERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let inputs = [valid_events(), valid_file()];
    for i in 0..iterations {
        let mut bytes = inputs[i % 2].clone();
        for _ in 0..=(rng.next() % 3) {
            let i = (rng.next() as usize) % bytes.len();
            bytes[i] ^= 1 << (rng.next() % 8);
        }
        let _ = events_only(bytes);
    }
}

#[test]
fn a_table_with_zero_rows_is_empty_input() {
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from(Vec::<i64>::new())) as ArrayRef,
        ),
        (
            "ts",
            Arc::new(TimestampMillisecondArray::from(Vec::<i64>::new())),
        ),
        ("event", Arc::new(StringArray::from(Vec::<&str>::new()))),
    ]);
    let err = events_only(stream(&[b])).unwrap_err();
    assert_eq!(err.code(), "empty_input");
}

#[test]
fn all_null_ids_is_empty_input_naming_the_reason() {
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from(vec![None, None, None])) as ArrayRef,
        ),
        (
            "ts",
            Arc::new(TimestampMillisecondArray::from(vec![1, 2, 3])),
        ),
        ("event", Arc::new(StringArray::from(vec!["a", "b", "c"]))),
    ]);
    let err = events_only(stream(&[b])).unwrap_err();
    assert_eq!(err.code(), "empty_input");
    let msg = err.to_string();
    assert!(
        msg.contains("3 events rows")
            && msg.contains("customer id is null")
            && msg.contains("customer_id"),
        "{msg}"
    );
}

#[test]
fn missing_columns_list_what_exists_and_wrong_types_say_what_was_found() {
    let b = batch(vec![
        ("uid", Arc::new(Int64Array::from(vec![1])) as ArrayRef),
        ("ts", Arc::new(TimestampMillisecondArray::from(vec![1]))),
        ("event", Arc::new(StringArray::from(vec!["a"]))),
    ]);
    let err = events_only(stream(std::slice::from_ref(&b))).unwrap_err();
    assert_eq!(err.code(), "missing_column");
    assert!(err.to_string().contains("uid, ts, event"), "{err}");

    let mapping: DatasetMapping =
        insitu::json::from_str(r#"{"events":{"customer":"uid","event":"ts"}}"#).unwrap();
    let err = ingest(Some(stream(&[b])), None, None, mapping).unwrap_err();
    assert_eq!(err.code(), "bad_type");
    let msg = err.to_string();
    assert!(
        msg.contains("\"ts\"") && msg.contains("Timestamp(ms)")
            || msg.contains("Timestamp(Millisecond"),
        "{msg}"
    );
    assert!(msg.contains("utf8"), "{msg}");

    let orders = batch(vec![
        (
            "customer_id",
            Arc::new(Float64Array::from(vec![1.0])) as ArrayRef,
        ),
        ("ts", Arc::new(TimestampMillisecondArray::from(vec![1]))),
        ("amount", Arc::new(Float64Array::from(vec![1.0]))),
    ]);
    let err = ingest(
        None,
        Some(stream(&[orders])),
        None,
        DatasetMapping::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "bad_type");
    assert!(
        err.to_string()
            .starts_with("orders: column \"customer_id\" has type Float64"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_in_a_dictionary_is_invalid_ipc() {
    // Build the dictionary values without validation, as a broken writer would.
    let bad = unsafe {
        StringArray::new_unchecked(
            OffsetBuffer::new(vec![0i32, 2, 5].into()),
            Buffer::from_vec(vec![b'o', b'k', 0xff, 0xfe, 0xfd]),
            None,
        )
    };
    let dict = DictionaryArray::<Int32Type>::new(Int32Array::from(vec![0, 1]), Arc::new(bad));
    let b = batch(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef,
        ),
        ("ts", Arc::new(TimestampMillisecondArray::from(vec![1, 2]))),
        ("event", Arc::new(dict)),
    ]);
    let err = events_only(stream(&[b])).unwrap_err();
    assert_eq!(err.code(), "invalid_ipc");
    assert!(err.to_string().to_lowercase().contains("utf"), "{err}");
}

#[test]
fn no_tables_or_customers_alone_are_empty_input() {
    let err = ingest(None, None, None, DatasetMapping::default()).unwrap_err();
    assert_eq!(err.code(), "empty_input");
    let c = batch(vec![(
        "customer_id",
        Arc::new(Int64Array::from(vec![1])) as ArrayRef,
    )]);
    let err = ingest(None, None, Some(stream(&[c])), DatasetMapping::default()).unwrap_err();
    assert_eq!(err.code(), "empty_input");
    assert!(err.to_string().contains("customers table alone"));
}

#[test]
fn unknown_mapping_fields_are_rejected() {
    let err =
        insitu::json::from_str::<DatasetMapping>(r#"{"events":{"custmer":"x"}}"#).unwrap_err();
    assert!(err.to_string().contains("custmer"));
}
