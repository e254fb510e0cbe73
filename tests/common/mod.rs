//! Helpers shared by the Rust integration tests: build Arrow tables and their IPC bytes.
#![allow(dead_code)]

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_ipc::writer::{FileWriter, StreamWriter};
use arrow_schema::{Field, Schema};
use insitu::data::{DatasetInput, DatasetMapping};
use insitu::{Dataset, InsituError};

/// A record batch from named columns (all nullable).
pub fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .expect("test batch")
}

/// IPC stream bytes of the batches (which share a schema).
pub fn stream(batches: &[RecordBatch]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = StreamWriter::try_new(&mut out, &batches[0].schema()).expect("writer");
    for b in batches {
        w.write(b).expect("write");
    }
    w.finish().expect("finish");
    drop(w);
    out
}

/// IPC file bytes of the batches.
pub fn file(batches: &[RecordBatch]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = FileWriter::try_new(&mut out, &batches[0].schema()).expect("writer");
    for b in batches {
        w.write(b).expect("write");
    }
    w.finish().expect("finish");
    drop(w);
    out
}

/// Ingests events only.
pub fn events_only(bytes: Vec<u8>) -> Result<Dataset, InsituError> {
    Dataset::from_ipc(DatasetInput {
        events: Some(bytes),
        ..Default::default()
    })
}

/// Ingests the given tables with a mapping.
pub fn ingest(
    events: Option<Vec<u8>>,
    orders: Option<Vec<u8>>,
    customers: Option<Vec<u8>>,
    mapping: DatasetMapping,
) -> Result<Dataset, InsituError> {
    Dataset::from_ipc(DatasetInput {
        events,
        orders,
        customers,
        enrich: None,
        mapping,
    })
}

/// The external ids of a dataset as strings, in dense order.
pub fn ids(ds: &Dataset) -> Vec<String> {
    (0..ds.num_customers()).map(|c| ds.ids.display(c)).collect()
}

/// The (time, event name) pairs of customer `id`.
pub fn events_of(ds: &Dataset, id: &str) -> Vec<(i64, String)> {
    let c = ids(ds).iter().position(|i| i == id).expect("customer");
    ds.events
        .rows(c)
        .map(|r| {
            (
                ds.events.time[r],
                ds.event_names[ds.events.event[r] as usize].clone(),
            )
        })
        .collect()
}

/// A dataset of events `(customer, time in ms, event name)` with optional text property
/// columns (one value per event).
pub fn events_dataset(
    rows: &[(i64, i64, &str)],
    properties: &[(&str, Vec<Option<&str>>)],
) -> Dataset {
    use arrow_array::{Int64Array, StringArray, TimestampMillisecondArray};
    let mut columns: Vec<(&str, ArrayRef)> = vec![
        (
            "customer_id",
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
        ),
        (
            "timestamp",
            Arc::new(TimestampMillisecondArray::from_iter_values(
                rows.iter().map(|r| r.1),
            )),
        ),
        (
            "event",
            Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.2))),
        ),
    ];
    for (name, values) in properties {
        columns.push((name, Arc::new(StringArray::from(values.clone()))));
    }
    events_only(stream(&[batch(columns)])).expect("test dataset")
}

/// The sample shop with about `events` events (all three tables), ingested.
pub fn sample_dataset(events: usize, seed: u64) -> Dataset {
    use insitu::data::sample_ipc::sample_ipc;
    use insitu::sample::{generate, SampleOptions};
    let data = generate(&SampleOptions {
        events,
        seed,
        ..SampleOptions::default()
    })
    .expect("sample options");
    let ipc = sample_ipc(&data, 65_536).expect("sample IPC");
    ingest(
        Some(ipc.events),
        Some(ipc.orders),
        Some(ipc.customers),
        DatasetMapping::default(),
    )
    .expect("sample dataset")
}
