//! Shared by the LTV tests (`#[path = "ltv_data.rs"] mod data;`): small datasets built
//! from literal rows, the CDNOW sample and the reference values of
//! `tests/reference/ltv_reference.py`.
#![allow(dead_code)]

#[path = "common/mod.rs"]
mod common;

use std::sync::Arc;

use arrow_array::{
    ArrayRef, Date32Array, Float64Array, Int64Array, StringArray, TimestampMillisecondArray,
};
use insitu::data::{DatasetInput, DatasetMapping};
use insitu::time::parse_iso;
use insitu::Dataset;

/// An order: customer, ISO time, amount, margin money.
pub type Order = (&'static str, &'static str, f64, Option<f64>);
/// A customer: id, ISO signup time, acquisition channel, country.
pub type Customer = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
);
/// An event: customer, ISO time, name.
pub type Event = (&'static str, &'static str, &'static str);

/// Epoch milliseconds of an ISO time.
pub fn ms(iso: &str) -> i64 {
    parse_iso(iso).expect("ISO time") / 1_000
}

/// Epoch microseconds of an ISO time.
pub fn us(iso: &str) -> i64 {
    parse_iso(iso).expect("ISO time")
}

fn ipc(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
    common::stream(&[common::batch(columns)])
}

fn times(values: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(TimestampMillisecondArray::from_iter(values).with_timezone("UTC"))
}

/// Orders IPC bytes (`customer_id`, `timestamp`, `amount`, `margin`).
pub fn orders_ipc(orders: &[Order]) -> Vec<u8> {
    ipc(vec![
        (
            "customer_id",
            Arc::new(StringArray::from_iter_values(orders.iter().map(|o| o.0))),
        ),
        ("timestamp", times(orders.iter().map(|o| Some(ms(o.1))))),
        (
            "amount",
            Arc::new(Float64Array::from_iter_values(orders.iter().map(|o| o.2))),
        ),
        (
            "margin",
            Arc::new(Float64Array::from_iter(orders.iter().map(|o| o.3))),
        ),
    ])
}

/// Customers IPC bytes (`customer_id`, `signup_time`, `acquisition_channel`, `country`).
pub fn customers_ipc(customers: &[Customer]) -> Vec<u8> {
    ipc(vec![
        (
            "customer_id",
            Arc::new(StringArray::from_iter_values(customers.iter().map(|c| c.0))),
        ),
        ("signup_time", times(customers.iter().map(|c| c.1.map(ms)))),
        (
            "acquisition_channel",
            Arc::new(StringArray::from_iter(customers.iter().map(|c| c.2))),
        ),
        (
            "country",
            Arc::new(StringArray::from_iter_values(customers.iter().map(|c| c.3))),
        ),
    ])
}

/// Events IPC bytes (`customer_id`, `timestamp`, `event`).
pub fn events_ipc(events: &[Event]) -> Vec<u8> {
    ipc(vec![
        (
            "customer_id",
            Arc::new(StringArray::from_iter_values(events.iter().map(|e| e.0))),
        ),
        ("timestamp", times(events.iter().map(|e| Some(ms(e.1))))),
        (
            "event",
            Arc::new(StringArray::from_iter_values(events.iter().map(|e| e.2))),
        ),
    ])
}

/// A dataset of the given tables (empty slices are left out).
pub fn dataset(events: &[Event], orders: &[Order], customers: &[Customer]) -> Dataset {
    Dataset::from_ipc(DatasetInput {
        events: (!events.is_empty()).then(|| events_ipc(events)),
        orders: (!orders.is_empty()).then(|| orders_ipc(orders)),
        customers: (!customers.is_empty()).then(|| customers_ipc(customers)),
        enrich: None,
        mapping: DatasetMapping::default(),
    })
    .expect("dataset")
}

/// A dataset of orders given as (integer customer id, epoch ms, amount).
pub fn orders_dataset(rows: &[(i64, i64, f64)]) -> Dataset {
    let orders = ipc(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
        ),
        ("timestamp", times(rows.iter().map(|r| Some(r.1)))),
        (
            "amount",
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.2))),
        ),
    ]);
    Dataset::from_ipc(DatasetInput {
        orders: Some(orders),
        ..Default::default()
    })
    .expect("dataset")
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/ltv/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The CDNOW sample's orders: customer id (1..2357), day, amount.
pub fn cdnow_rows() -> Vec<(i64, i32, f64)> {
    fixture("CDNOW_sample.txt")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            let id: i64 = f[1].parse().expect("id");
            let d = f[2];
            let (y, m, day): (i64, u32, u32) = (
                d[0..4].parse().expect("year"),
                d[4..6].parse().expect("month"),
                d[6..8].parse().expect("day"),
            );
            let days = insitu::time::days_from_civil(y, m, day) as i32;
            (id, days, f[4].parse().expect("amount"))
        })
        .collect()
}

/// The CDNOW sample as a dataset (orders only, dates as date32).
pub fn cdnow() -> Dataset {
    let rows = cdnow_rows();
    let orders = ipc(vec![
        (
            "customer_id",
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
        ),
        (
            "date",
            Arc::new(Date32Array::from_iter_values(rows.iter().map(|r| r.1))),
        ),
        (
            "amount",
            Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.2))),
        ),
    ]);
    Dataset::from_ipc(DatasetInput {
        orders: Some(orders),
        ..Default::default()
    })
    .expect("CDNOW dataset")
}

/// A CSV fixture as rows of numbers (header skipped).
pub fn csv(name: &str) -> Vec<Vec<f64>> {
    fixture(name)
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .map(|v| v.trim().parse().expect("number"))
                .collect()
        })
        .collect()
}

/// `tests/fixtures/ltv/reference.json`.
pub fn reference() -> serde_json::Value {
    serde_json::from_str(&fixture("reference.json")).expect("reference.json")
}

/// A number of a JSON value.
pub fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// Asserts `actual` is within `rel` (relative) of `expected`.
#[track_caller]
pub fn close(actual: f64, expected: f64, rel: f64, what: &str) {
    let tol = rel * expected.abs().max(1e-300);
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual} vs {expected} (rel error {:.3e}, allowed {rel:.1e})",
        ((actual - expected) / expected).abs()
    );
}
