//! (Included by the retention and lifecycle tests with `#[path]`; on its own it is an
//! empty test crate.) Small hand-made datasets for the retention, lifecycle and stages tests: text ids,
//! ISO times (microsecond precision), optional event `source`, order amounts, and a
//! customers table with signup time and a `plan` attribute.
#![allow(dead_code)]

#[path = "common/mod.rs"]
mod common;

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, StringArray, TimestampMicrosecondArray};
use insitu::data::{DatasetInput, DatasetMapping};
use insitu::time::parse_iso;
use insitu::Dataset;

/// Epoch microseconds of an ISO time (panics on a typo in a test).
pub fn t(iso: &str) -> i64 {
    parse_iso(iso).unwrap_or_else(|| panic!("bad test time {iso}"))
}

/// Epoch milliseconds of an ISO time, as results report them.
pub fn ms(iso: &str) -> i64 {
    t(iso) / 1_000
}

fn ipc(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
    common::stream(&[common::batch(columns)])
}

fn times(values: impl Iterator<Item = Option<i64>>) -> ArrayRef {
    Arc::new(TimestampMicrosecondArray::from_iter(values).with_timezone("UTC"))
}

/// An event: customer, ISO time, event name, `source` property.
pub type Event<'a> = (&'a str, &'a str, &'a str, Option<&'a str>);
/// An order: customer, ISO time, amount.
pub type Order<'a> = (&'a str, &'a str, f64);
/// A customers row: customer, signup ISO time, `plan` attribute.
pub type Customer<'a> = (&'a str, Option<&'a str>, Option<&'a str>);

/// Ingests the given rows (an empty list leaves that table out).
pub fn dataset(events: &[Event], orders: &[Order], customers: &[Customer]) -> Dataset {
    let events: Vec<EventUs> = events.iter().map(|e| (e.0, t(e.1), e.2, e.3)).collect();
    let orders: Vec<OrderUs> = orders.iter().map(|o| (o.0, t(o.1), o.2)).collect();
    let customers: Vec<CustomerUs> = customers.iter().map(|c| (c.0, c.1.map(t), c.2)).collect();
    dataset_us(&events, &orders, &customers)
}

/// An event with its time in epoch microseconds.
pub type EventUs<'a> = (&'a str, i64, &'a str, Option<&'a str>);
/// An order with its time in epoch microseconds.
pub type OrderUs<'a> = (&'a str, i64, f64);
/// A customers row with its signup time in epoch microseconds.
pub type CustomerUs<'a> = (&'a str, Option<i64>, Option<&'a str>);

/// Like [`dataset`], with times in epoch microseconds.
pub fn dataset_us(events: &[EventUs], orders: &[OrderUs], customers: &[CustomerUs]) -> Dataset {
    let events = (!events.is_empty()).then(|| {
        ipc(vec![
            (
                "customer_id",
                Arc::new(StringArray::from_iter_values(events.iter().map(|e| e.0))),
            ),
            ("timestamp", times(events.iter().map(|e| Some(e.1)))),
            (
                "event",
                Arc::new(StringArray::from_iter_values(events.iter().map(|e| e.2))),
            ),
            (
                "source",
                Arc::new(StringArray::from_iter(events.iter().map(|e| e.3))),
            ),
        ])
    });
    let orders = (!orders.is_empty()).then(|| {
        ipc(vec![
            (
                "customer_id",
                Arc::new(StringArray::from_iter_values(orders.iter().map(|o| o.0))),
            ),
            ("timestamp", times(orders.iter().map(|o| Some(o.1)))),
            (
                "amount",
                Arc::new(Float64Array::from_iter_values(orders.iter().map(|o| o.2))),
            ),
        ])
    });
    let customers = (!customers.is_empty()).then(|| {
        ipc(vec![
            (
                "customer_id",
                Arc::new(StringArray::from_iter_values(customers.iter().map(|c| c.0))),
            ),
            ("signup_time", times(customers.iter().map(|c| c.1))),
            (
                "plan",
                Arc::new(StringArray::from_iter(customers.iter().map(|c| c.2))),
            ),
        ])
    });
    Dataset::from_ipc(DatasetInput {
        events,
        orders,
        customers,
        enrich: None,
        mapping: DatasetMapping::default(),
    })
    .expect("test dataset")
}

/// Options from a JSON literal, the way JS sends them.
pub fn opts<T: insitu::json::FromJson>(json: serde_json::Value) -> T {
    insitu::json::from_str(&(json).to_string()).expect("options")
}
