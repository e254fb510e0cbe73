//! Helpers of the segment tests: small datasets with orders, events and customer
//! attributes built from plain rows.
#![allow(dead_code)]

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray, TimestampMillisecondArray};
use insitu::data::DatasetInput;
use insitu::Dataset;

use crate::common::{batch, stream};

/// 2024-01-01T00:00:00Z in epoch ms.
pub const START: i64 = 1_704_067_200_000;
/// A day in ms.
pub const DAY: i64 = 86_400_000;

/// A customer attribute column for [`dataset`].
pub enum Attr {
    /// Text (null = None).
    Text(Vec<Option<&'static str>>),
    /// Numbers (null = None).
    Number(Vec<Option<f64>>),
    /// Times in epoch ms (null = None).
    Time(Vec<Option<i64>>),
}

/// A dataset from orders `(customer, ms, amount)`, events `(customer, ms, name)` and a
/// customers table (`ids` with named attribute columns; empty `ids`: no table).
pub fn dataset(
    orders: &[(i64, i64, f64)],
    events: &[(i64, i64, &str)],
    ids: &[i64],
    attrs: Vec<(&str, Attr)>,
) -> Dataset {
    let orders_ipc = (!orders.is_empty()).then(|| {
        stream(&[batch(vec![
            (
                "customer_id",
                Arc::new(Int64Array::from_iter_values(orders.iter().map(|o| o.0))) as ArrayRef,
            ),
            (
                "timestamp",
                Arc::new(TimestampMillisecondArray::from_iter_values(
                    orders.iter().map(|o| o.1),
                )),
            ),
            (
                "amount",
                Arc::new(Float64Array::from_iter_values(orders.iter().map(|o| o.2))),
            ),
        ])])
    });
    let events_ipc = (!events.is_empty()).then(|| {
        stream(&[batch(vec![
            (
                "customer_id",
                Arc::new(Int64Array::from_iter_values(events.iter().map(|e| e.0))) as ArrayRef,
            ),
            (
                "timestamp",
                Arc::new(TimestampMillisecondArray::from_iter_values(
                    events.iter().map(|e| e.1),
                )),
            ),
            (
                "event",
                Arc::new(StringArray::from_iter_values(events.iter().map(|e| e.2))),
            ),
        ])])
    });
    let customers_ipc = (!ids.is_empty()).then(|| {
        let mut cols: Vec<(&str, ArrayRef)> = vec![(
            "customer_id",
            Arc::new(Int64Array::from_iter_values(ids.iter().copied())),
        )];
        for (name, a) in attrs {
            let array: ArrayRef = match a {
                Attr::Text(v) => Arc::new(StringArray::from(v)),
                Attr::Number(v) => Arc::new(Float64Array::from(v)),
                Attr::Time(v) => Arc::new(TimestampMillisecondArray::from(v)),
            };
            cols.push((name, array));
        }
        stream(&[batch(cols)])
    });
    Dataset::from_ipc(DatasetInput {
        events: events_ipc,
        orders: orders_ipc,
        customers: customers_ipc,
        ..DatasetInput::default()
    })
    .expect("test dataset")
}

/// External ids of the customers flagged in `members`, ascending.
pub fn ids_of(ds: &Dataset, members: &[bool]) -> Vec<i64> {
    let mut v: Vec<i64> = (0..ds.num_customers())
        .filter(|&c| members[c])
        .map(|c| ds.ids.display(c).parse().expect("int id"))
        .collect();
    v.sort_unstable();
    v
}

/// The dense number of external id `id`.
pub fn customer(ds: &Dataset, id: i64) -> usize {
    (0..ds.num_customers())
        .find(|&c| ds.ids.display(c) == id.to_string())
        .expect("customer id")
}
