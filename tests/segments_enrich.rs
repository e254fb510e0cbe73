//! The enrich table: extra per-customer columns joined by customer id at dataset
//! creation, usable in segment rules and lookalike features.

mod common;

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray, TimestampMillisecondArray};
use common::{batch, stream};
use insitu::data::{DatasetInput, DatasetMapping, TableMapping};
use insitu::segments::{members, SegmentDefinition};
use insitu::Dataset;

const DAY: i64 = 86_400_000;

fn orders() -> Vec<u8> {
    stream(&[batch(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from(vec![1, 2, 3, 3])) as ArrayRef,
        ),
        (
            "timestamp",
            Arc::new(TimestampMillisecondArray::from(vec![
                0,
                DAY,
                2 * DAY,
                3 * DAY,
            ])),
        ),
        (
            "amount",
            Arc::new(Float64Array::from(vec![10.0, 20.0, 30.0, 40.0])),
        ),
    ])])
}

/// Ids 2, 3, 9 (not a customer), 2 again, null; a text tier, a number, a time column.
fn enrich(id_column: &str) -> Vec<u8> {
    stream(&[batch(vec![
        (
            id_column,
            Arc::new(StringArray::from(vec![
                Some("2"),
                Some("3"),
                Some("9"),
                Some("2"),
                None,
            ])) as ArrayRef,
        ),
        (
            "tier",
            Arc::new(StringArray::from(vec![
                Some("gold"),
                Some("silver"),
                Some("gold"),
                Some("bronze"),
                Some("gold"),
            ])),
        ),
        (
            "score",
            Arc::new(Float64Array::from(vec![
                Some(0.9),
                None,
                Some(0.1),
                Some(0.5),
                Some(0.2),
            ])),
        ),
        (
            "signup_date",
            Arc::new(TimestampMillisecondArray::from(vec![
                Some(0),
                Some(DAY),
                None,
                None,
                None,
            ])),
        ),
    ])])
}

fn ingest(enrich_bytes: Vec<u8>, mapping: DatasetMapping) -> insitu::Result<Dataset> {
    Dataset::from_ipc(DatasetInput {
        orders: Some(orders()),
        enrich: Some(enrich_bytes),
        mapping,
        ..DatasetInput::default()
    })
}

fn ids(ds: &Dataset, predicate: &str) -> Vec<String> {
    let m = members(ds, &SegmentDefinition::text("s", predicate)).unwrap();
    (0..ds.num_customers())
        .filter(|&c| m[c])
        .map(|c| ds.ids.display(c))
        .collect()
}

#[test]
fn joins_columns_by_id_without_adding_customers() {
    let ds = ingest(enrich("customer_id"), DatasetMapping::default()).unwrap();
    assert_eq!(ds.num_customers(), 3);
    assert_eq!(ids(&ds, "tier = \"gold\""), vec!["2"]);
    assert_eq!(ids(&ds, "tier is null"), vec!["1"]);
    assert_eq!(ids(&ds, "score > 0.5"), vec!["2"]);
    // Text ids "2" and "3" matched the integer ids; the time column is an attribute.
    assert_eq!(ids(&ds, "signup_date < \"1970-01-02\""), vec!["2"]);
    let summary = ds.summary();
    let codes: Vec<(&str, &str, usize)> = summary
        .skipped_rows
        .iter()
        .filter(|s| s.table == "enrich")
        .map(|s| (s.code.as_str(), s.column.as_str(), s.rows))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("null_customer", "customer_id", 1),
            ("unknown_customer", "customer_id", 1),
            ("duplicate_customer", "customer_id", 1)
        ]
    );
    assert!(ds
        .columns
        .iter()
        .any(|c| c.table == "enrich" && c.properties.len() == 3));
}

#[test]
fn mapping_and_errors_name_the_enrich_table() {
    let mapping: DatasetMapping =
        insitu::json::from_str(r#"{"enrich": {"customer": "crm_id"}}"#).unwrap();
    let ds = ingest(enrich("crm_id"), mapping).unwrap();
    assert_eq!(ids(&ds, "tier = \"silver\""), vec!["3"]);
    let e = ingest(enrich("crm_id"), DatasetMapping::default()).unwrap_err();
    assert_eq!(e.code(), "missing_column");
    assert!(e.to_string().starts_with("enrich:"), "{e}");
    let e = ingest(
        enrich("crm_id"),
        DatasetMapping {
            enrich: TableMapping {
                customer: Some("nope".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("crm_id"), "{e}");
    let e = ingest(b"garbage".to_vec(), DatasetMapping::default()).unwrap_err();
    assert_eq!(e.code(), "invalid_ipc");
    assert!(e.to_string().starts_with("enrich"), "{e}");
}
