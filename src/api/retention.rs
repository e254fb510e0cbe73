//! `ds.retention(options)`: the cohort retention table.

use wasm_bindgen::prelude::*;

use super::convert::{options, to_js, to_js_error};
use super::dataset::DatasetHandle;
use crate::retention::{retention, RetentionOptions};

#[wasm_bindgen]
impl DatasetHandle {
    /// Cohort retention: `{ cohorts: [{ start, size, counts, rates }], mean, breakdown }`.
    pub fn retention(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let opts: RetentionOptions = options("retention", options_value)?;
        let table = retention(&self.inner, &opts).map_err(to_js_error)?;
        to_js(&table)
    }
}
