//! Ingest from Arrow IPC bytes: types, mapping, grouping, sorting and skipped rows.

mod common;

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, Date32Array, Date64Array, Decimal128Array, DictionaryArray, Float32Array, Int32Array,
    Int64Array, LargeStringArray, StringArray, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray, UInt16Array,
    UInt64Array,
};
use common::*;
use insitu::data::{DatasetMapping, PropertyValues, TableMapping};

const MS: i64 = 1_000;
const DAY_US: i64 = 86_400_000_000;

fn arc<T: arrow_array::Array + 'static>(a: T) -> ArrayRef {
    Arc::new(a)
}

#[test]
fn groups_events_by_customer_sorted_by_time_with_ties_in_input_order() {
    let b = batch(vec![
        ("user_id", arc(Int64Array::from(vec![7, 3, 7, 3, 7, 9]))),
        (
            "ts",
            arc(TimestampMillisecondArray::from(vec![30, 20, 10, 20, 10, 5])),
        ),
        (
            "event",
            arc(StringArray::from(vec!["c", "b", "a", "b2", "a2", "z"])),
        ),
    ]);
    let ds = events_only(stream(&[b])).unwrap();
    assert_eq!(ids(&ds), vec!["7", "3", "9"]);
    assert_eq!(ds.events.offsets, vec![0, 3, 5, 6]);
    assert_eq!(
        events_of(&ds, "7"),
        vec![
            (10 * MS, "a".into()),
            (10 * MS, "a2".into()),
            (30 * MS, "c".into())
        ]
    );
    assert_eq!(
        events_of(&ds, "3"),
        vec![(20 * MS, "b".into()), (20 * MS, "b2".into())]
    );
    let s = ds.summary();
    assert_eq!((s.events, s.orders, s.customers, s.skipped), (6, 0, 3, 0));
    assert_eq!(s.time_range, Some((5, 30)));
    assert_eq!(s.event_names, vec!["a", "a2", "b", "b2", "c", "z"]);
}

#[test]
fn many_batches_with_different_dictionaries_share_event_codes() {
    let d1: DictionaryArray<Int32Type> = vec!["visit", "purchase"].into_iter().collect();
    let d2: DictionaryArray<Int32Type> =
        vec!["purchase", "signup", "purchase"].into_iter().collect();
    let b1 = batch(vec![
        ("customer_id", arc(Int32Array::from(vec![1, 1]))),
        (
            "timestamp",
            arc(TimestampMillisecondArray::from(vec![1, 2])),
        ),
        ("event_name", Arc::new(d1)),
    ]);
    let b2 = batch(vec![
        ("customer_id", arc(Int32Array::from(vec![2, 1, 2]))),
        (
            "timestamp",
            arc(TimestampMillisecondArray::from(vec![3, 4, 5])),
        ),
        ("event_name", Arc::new(d2)),
    ]);
    let ds = events_only(stream(&[b1, b2])).unwrap();
    assert_eq!(
        events_of(&ds, "1"),
        vec![
            (MS, "visit".into()),
            (2 * MS, "purchase".into()),
            (4 * MS, "signup".into())
        ]
    );
    assert_eq!(ds.summary().event_counts, vec![3, 1, 1]); // purchase, signup, visit
}

#[test]
fn a_customer_only_in_orders_or_customers_is_still_one_customer_and_id_types_mix() {
    let events = batch(vec![
        ("customer_id", arc(Int64Array::from(vec![42, 43]))),
        ("time", arc(TimestampSecondArray::from(vec![100, 200]))),
        ("event", arc(StringArray::from(vec!["visit", "visit"]))),
    ]);
    let orders = batch(vec![
        ("customer_id", arc(StringArray::from(vec!["42", "u-9"]))),
        ("date", arc(Date32Array::from(vec![1, 2]))),
        ("amount", arc(Float32Array::from(vec![10.5, 3.0]))),
    ]);
    let customers = batch(vec![
        (
            "customer_id",
            arc(LargeStringArray::from(vec!["u-9", "u-10", "43"])),
        ),
        (
            "country",
            arc(StringArray::from(vec![Some("KR"), Some("JP"), None])),
        ),
        (
            "signup_time",
            arc(TimestampMillisecondArray::from(vec![
                Some(5),
                None,
                Some(7),
            ])),
        ),
    ]);
    let ds = ingest(
        Some(stream(&[events])),
        Some(stream(&[orders])),
        Some(stream(&[customers])),
        DatasetMapping::default(),
    )
    .unwrap();
    assert_eq!(ids(&ds), vec!["42", "43", "u-9", "u-10"]);
    assert_eq!(ds.orders.offsets, vec![0, 1, 1, 2, 2]);
    assert_eq!(ds.orders.time, vec![DAY_US, 2 * DAY_US]);
    assert_eq!(ds.orders.amount, vec![10.5, 3.0]);
    assert_eq!(ds.customers.listed, vec![false, true, true, true]);
    assert_eq!(
        ds.customers.signup.as_deref(),
        Some(&[i64::MIN, 7 * MS, 5 * MS, i64::MIN][..])
    );
    let PropertyValues::Categorical { codes, labels } = &ds.customers.attributes[0].values else {
        panic!("country should be categorical");
    };
    let country: Vec<Option<&str>> = codes
        .iter()
        .map(|&c| labels.get(c as usize).map(String::as_str))
        .collect();
    assert_eq!(country, vec![None, None, Some("KR"), Some("JP")]);
    let s = ds.summary();
    assert_eq!((s.customers, s.buyers, s.orders), (4, 2, 2));
    assert_eq!(s.revenue, 13.5);
}

#[test]
fn every_timestamp_type_becomes_utc_microseconds() {
    // 2024-03-01T12:30:05.123456Z
    let us = 1_709_296_205_123_456i64;
    let cases: Vec<(ArrayRef, i64)> = vec![
        (
            arc(TimestampSecondArray::from(vec![us / 1_000_000]).with_timezone("Asia/Seoul")),
            us / 1_000_000 * 1_000_000,
        ),
        (
            arc(TimestampMillisecondArray::from(vec![us / 1_000])),
            us / 1_000 * 1_000,
        ),
        (
            arc(TimestampMicrosecondArray::from(vec![us]).with_timezone("+09:00")),
            us,
        ),
        (
            arc(TimestampNanosecondArray::from(vec![us * 1_000 + 999])),
            us,
        ),
        (arc(Date32Array::from(vec![19_783])), 19_783 * DAY_US),
        (arc(Date64Array::from(vec![us / 1_000])), us / 1_000 * 1_000),
        (arc(Int64Array::from(vec![us / 1_000])), us / 1_000 * 1_000),
        (
            arc(StringArray::from(vec!["2024-03-01T21:30:05.123456+09:00"])),
            us,
        ),
    ];
    for (array, want) in cases {
        let t = array.data_type().clone();
        let b = batch(vec![
            ("customer_id", arc(Int64Array::from(vec![1]))),
            ("ts", array),
            ("event", arc(StringArray::from(vec!["x"]))),
        ]);
        let ds = events_only(stream(&[b])).unwrap();
        assert_eq!(ds.events.time, vec![want], "{t}");
    }
}

#[test]
fn int_timestamps_can_be_mapped_as_seconds() {
    let b = batch(vec![
        ("customer_id", arc(Int64Array::from(vec![1]))),
        ("epoch", arc(Int64Array::from(vec![1_700_000_000]))),
        ("event", arc(StringArray::from(vec!["x"]))),
    ]);
    let mapping: DatasetMapping =
        insitu::json::from_str(r#"{"events":{"time":"epoch","timeUnit":"s"}}"#).unwrap();
    let ds = ingest(Some(stream(&[b])), None, None, mapping).unwrap();
    assert_eq!(ds.events.time, vec![1_700_000_000_000_000]);
}

#[test]
fn amounts_from_int_float_and_decimal() {
    let dec = Decimal128Array::from(vec![12_345i128, -50])
        .with_precision_and_scale(10, 2)
        .unwrap();
    let cases: Vec<(ArrayRef, Vec<f64>)> = vec![
        (arc(UInt16Array::from(vec![7, 8])), vec![7.0, 8.0]),
        (arc(Float32Array::from(vec![1.5, 2.25])), vec![1.5, 2.25]),
        (arc(dec), vec![123.45, -0.5]),
    ];
    for (array, want) in cases {
        let b = batch(vec![
            ("customer_id", arc(Int64Array::from(vec![1, 1]))),
            ("ts", arc(TimestampMillisecondArray::from(vec![1, 2]))),
            ("revenue", array),
        ]);
        let ds = ingest(None, Some(stream(&[b])), None, DatasetMapping::default()).unwrap();
        assert_eq!(ds.orders.amount, want);
    }
}

#[test]
fn null_ids_and_times_are_skipped_and_counted_by_reason() {
    let b = batch(vec![
        (
            "customer_id",
            arc(Int64Array::from(vec![
                Some(1),
                None,
                Some(2),
                Some(2),
                None,
            ])),
        ),
        (
            "ts",
            arc(TimestampSecondArray::from(vec![
                Some(1),
                Some(2),
                None,
                Some(i64::MAX / 2),
                None,
            ])),
        ),
        (
            "event",
            arc(StringArray::from(vec![
                Some("a"),
                Some("a"),
                Some("a"),
                Some("a"),
                Some("a"),
            ])),
        ),
    ]);
    let ds = events_only(stream(&[b])).unwrap();
    let s = ds.summary();
    assert_eq!(s.events, 1);
    assert_eq!(s.skipped, 4);
    let reasons: Vec<(&str, &str, usize)> = s
        .skipped_rows
        .iter()
        .map(|r| (r.code.as_str(), r.column.as_str(), r.rows))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("null_customer", "customer_id", 2),
            ("null_time", "ts", 1),
            ("bad_time", "ts", 1)
        ]
    );
    // Customer 2 exists (its id was read) but has no usable events.
    assert_eq!(s.customers, 2);
}

#[test]
fn timestamps_before_1970_and_far_future_keep_their_order() {
    let b = batch(vec![
        ("customer_id", arc(Int64Array::from(vec![1, 1, 1]))),
        (
            "ts",
            arc(TimestampMicrosecondArray::from(vec![
                4_102_444_800_000_000 * 50,
                -2_208_988_800_000_000,
                0,
            ])),
        ),
        (
            "event",
            arc(StringArray::from(vec!["future", "1900", "epoch"])),
        ),
    ]);
    let ds = events_only(stream(&[b])).unwrap();
    let names: Vec<String> = events_of(&ds, "1").into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, vec!["1900", "epoch", "future"]);
    assert_eq!(
        ds.summary().time_range,
        Some((-2_208_988_800_000, 4_102_444_800_000 * 50))
    );
}

#[test]
fn uint64_ids_beyond_i64_become_text() {
    let b = batch(vec![
        ("customer_id", arc(UInt64Array::from(vec![u64::MAX, 1]))),
        ("ts", arc(TimestampMillisecondArray::from(vec![1, 2]))),
        ("event", arc(StringArray::from(vec!["a", "b"]))),
    ]);
    let ds = events_only(stream(&[b])).unwrap();
    assert_eq!(ids(&ds), vec![u64::MAX.to_string(), "1".to_string()]);
}

#[test]
fn ipc_file_format_is_detected_and_explicit_formats_are_checked() {
    let b = batch(vec![
        ("customer_id", arc(Int64Array::from(vec![1, 2]))),
        ("ts", arc(TimestampMillisecondArray::from(vec![1, 2]))),
        ("event", arc(StringArray::from(vec!["a", "b"]))),
    ]);
    assert_eq!(
        events_only(file(std::slice::from_ref(&b)))
            .unwrap()
            .summary()
            .events,
        2
    );
    let as_stream = |format: &str| -> DatasetMapping {
        insitu::json::from_str(&format!(r#"{{"events":{{"format":"{format}"}}}}"#)).unwrap()
    };
    let err = ingest(
        Some(file(std::slice::from_ref(&b))),
        None,
        None,
        as_stream("stream"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_ipc");
    assert!(err.to_string().contains("file format"), "{err}");
    let err = ingest(
        Some(stream(std::slice::from_ref(&b))),
        None,
        None,
        as_stream("file"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "invalid_ipc");
    assert!(ingest(Some(stream(&[b])), None, None, as_stream("stream")).is_ok());
}

#[test]
fn explicit_mapping_picks_columns_and_the_rest_become_properties() {
    let b = batch(vec![
        ("who", arc(Int64Array::from(vec![1, 1]))),
        ("when", arc(TimestampMillisecondArray::from(vec![2, 1]))),
        ("what", arc(StringArray::from(vec!["b", "a"]))),
        ("source", arc(StringArray::from(vec![Some("naver"), None]))),
        ("price", arc(Float32Array::from(vec![1.0, 2.0]))),
    ]);
    let mapping = DatasetMapping {
        events: TableMapping {
            customer: Some("who".into()),
            time: Some("when".into()),
            event: Some("what".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    let ds = ingest(Some(stream(&[b])), None, None, mapping).unwrap();
    let source = ds.events.property("source").unwrap();
    // Rows are re-ordered by time, properties with them.
    assert_eq!(
        source.values,
        PropertyValues::Categorical {
            codes: vec![u32::MAX, 0],
            labels: vec!["naver".into()]
        }
    );
    match &ds.events.property("price").unwrap().values {
        PropertyValues::Numeric(v) => assert_eq!(v, &vec![2.0, 1.0]),
        other => panic!("{other:?}"),
    }
    let cols = &ds.summary().columns[0];
    assert_eq!(cols.roles.get("customer").map(String::as_str), Some("who"));
}

#[test]
fn one_customer_with_ten_million_rows() {
    let n = 10_000_000;
    // Descending times force the per-customer sort on the one big segment.
    let b = batch(vec![
        ("customer_id", arc(Int64Array::from(vec![5; n]))),
        (
            "ts",
            arc(TimestampMillisecondArray::from(
                (0..n as i64).rev().collect::<Vec<_>>(),
            )),
        ),
        (
            "event",
            Arc::new(DictionaryArray::<Int32Type>::new(
                Int32Array::from(vec![0; n]),
                Arc::new(StringArray::from(vec!["visit"])),
            )),
        ),
    ]);
    let ds = events_only(stream(&[b])).unwrap();
    assert_eq!(ds.num_customers(), 1);
    assert_eq!(ds.events.offsets, vec![0, n as u32]);
    assert!(ds.events.time.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(ds.events.time[0], 0);
}
