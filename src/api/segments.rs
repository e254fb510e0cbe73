//! RFM, rule segments, transitions and lookalike audiences on a dataset handle. Each
//! call returns its summary as a plain object with the per-customer table attached as
//! Arrow IPC bytes (the JS wrapper turns them into an apache-arrow `Table`).

use wasm_bindgen::prelude::*;

use super::convert::{options, to_js, to_js_error, with_table};
use super::dataset::DatasetHandle;
use crate::segments::fields::catalogue;
use crate::segments::lookalike::{lookalike, LookalikeOptions};
use crate::segments::transitions::{transitions, TransitionsOptions};
use crate::segments::{rfm, segment, RfmOptions, SegmentDefinition};

#[wasm_bindgen]
impl DatasetHandle {
    /// RFM scores and named segments; the per-customer table as `customers` (IPC bytes).
    pub fn rfm(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let o: RfmOptions = options("rfm", options_value)?;
        let report = rfm(&self.inner, &o).map_err(to_js_error)?;
        let summary = to_js(&report)?;
        let table = report.scores.into_table();
        with_table(summary, "customers", &table, &self.inner)
    }

    /// A rule segment's figures; its members as `members` (IPC bytes).
    pub fn segment(&self, definition: JsValue) -> Result<JsValue, JsValue> {
        let d: SegmentDefinition = options("segment", definition)?;
        let report = segment(&self.inner, &d).map_err(to_js_error)?;
        with_table(to_js(&report)?, "members", &report.table(), &self.inner)
    }

    /// The transition matrix; each customer's from/to segments as `customers`.
    pub fn transitions(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let o: TransitionsOptions = options("transitions", options_value)?;
        let t = transitions(&self.inner, &o).map_err(to_js_error)?;
        with_table(to_js(&t)?, "customers", &t.table(), &self.inner)
    }

    /// A lookalike model and audience; every scored customer as `scores`, best first.
    pub fn lookalike(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let o: LookalikeOptions = options("lookalike", options_value)?;
        let r = lookalike(&self.inner, &o).map_err(to_js_error)?;
        with_table(to_js(&r)?, "scores", &r.table(r.ranked.len()), &self.inner)
    }

    /// The fields rule segments can use on this dataset.
    #[wasm_bindgen(js_name = segmentFields)]
    pub fn segment_fields(&self) -> Result<JsValue, JsValue> {
        to_js(&catalogue(&self.inner))
    }
}
