//! Ingest: Arrow IPC bytes -> validated, mapped columns -> a [`Dataset`] with a dense
//! customer index and per-customer time-sorted events and orders.
//!
//! This is (with `src/api/`) the only place that names arrow-rs types, so an Arrow
//! upgrade touches only these files.

pub mod columns;
pub mod dataset;
pub mod enrich;
pub mod flatbuf;
pub mod flatbuf_write;
pub mod ids;
pub mod ipc;
pub mod ipc_arrays;
pub mod ipc_schema;
pub mod ipc_write;
pub mod mapping;
pub mod output;
pub mod properties;
pub mod sample_ipc;
pub mod suggest;
pub mod summary;
pub mod tables;

pub use dataset::{Customers, Dataset, DatasetInput, Events, Orders};
pub use ids::CustomerIds;
pub use mapping::{DatasetMapping, IpcFormat, TableMapping};
pub use output::{ResultColumn, ResultTable, BYTE_CATEGORY_LABELS};
pub use properties::{Property, PropertyValues, NULL_CODE};
pub use summary::{ColumnInfo, SkippedRows, Summary, TableColumns};
