//! The wasm-bindgen boundary: thin wrappers that turn JS values into core types, call
//! the core, and turn results back. Nothing here computes anything.

mod campaign;
mod convert;
mod dataset;
mod funnel;
mod lifecycle;
mod ltv;
mod retention;
mod sample;
mod segments;
mod stats;

pub use dataset::{create_dataset, DatasetHandle};

use wasm_bindgen::prelude::*;

/// Installs the panic hook so an (unexpected) panic is logged with its message.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The crate version, for diagnostics.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Bytes of linear memory the instance holds (it never shrinks, so this is the peak).
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    (core::arch::wasm32::memory_size(0) * 65_536) as f64
}

/// Takes ownership of `bytes` and drops them: the cost of handing a table's bytes to
/// wasm with no processing, the baseline the ingest benchmark compares against.
#[wasm_bindgen(js_name = copyBaseline)]
pub fn copy_baseline(bytes: Vec<u8>) -> usize {
    bytes.len()
}
