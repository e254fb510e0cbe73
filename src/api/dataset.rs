//! `createDataset` and the dataset handle's methods.

use wasm_bindgen::prelude::*;

use super::convert::{options, to_js, to_js_error};
use crate::data::{Dataset, DatasetInput, DatasetMapping};

/// An ingested dataset living in wasm memory. Free it with `free()`.
#[wasm_bindgen]
pub struct DatasetHandle {
    /// The core dataset; each area's api file adds its methods in its own `impl` block.
    pub(crate) inner: Dataset,
}

/// Ingests Arrow IPC bytes (stream or file) of the events, orders, customers and enrich
/// tables.
#[wasm_bindgen(js_name = createDataset)]
pub fn create_dataset(
    events: Option<Vec<u8>>,
    orders: Option<Vec<u8>>,
    customers: Option<Vec<u8>>,
    enrich: Option<Vec<u8>>,
    mapping: JsValue,
) -> Result<DatasetHandle, JsValue> {
    let mapping: DatasetMapping = options("mapping", mapping)?;
    let input = DatasetInput {
        events,
        orders,
        customers,
        enrich,
        mapping,
    };
    Dataset::from_ipc(input)
        .map(|inner| DatasetHandle { inner })
        .map_err(to_js_error)
}

#[wasm_bindgen]
impl DatasetHandle {
    /// Counts, time range, event names and skipped rows.
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.summary())
    }
}
