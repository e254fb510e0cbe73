//! Funnels and the AARRR preset on a dataset handle.

use wasm_bindgen::prelude::*;

use super::convert::{options, table_array, to_js, to_js_error};
use super::dataset::DatasetHandle;
use crate::funnel::aarrr::{aarrr, AarrrQuery};
use crate::funnel::customers::{step_customers, StepCustomers};
use crate::funnel::{funnel, FunnelQuery, FunnelSpec};

#[wasm_bindgen]
impl DatasetHandle {
    /// Step counts, conversions, time to convert, breakdown and trend.
    pub fn funnel(&self, query: JsValue) -> Result<JsValue, JsValue> {
        let query: FunnelQuery = options("funnel", query)?;
        let spec = FunnelSpec::resolve(&self.inner, &query).map_err(to_js_error)?;
        to_js(&funnel(&self.inner, &spec))
    }

    /// The customers who reached (or dropped at) a step, as Arrow IPC stream bytes.
    #[wasm_bindgen(js_name = funnelCustomers)]
    pub fn funnel_customers(
        &self,
        query: JsValue,
        step: f64,
        which: &str,
    ) -> Result<js_sys::Uint8Array, JsValue> {
        let query: FunnelQuery = options("funnel", query)?;
        let spec = FunnelSpec::resolve(&self.inner, &query).map_err(to_js_error)?;
        let which = StepCustomers::parse(which).map_err(to_js_error)?;
        let step = if step.is_finite() && step.fract() == 0.0 {
            step as i64
        } else {
            -1
        };
        let table = step_customers(&self.inner, &spec, step, which).map_err(to_js_error)?;
        table_array(&table, &self.inner)
    }

    /// The AARRR stage funnel and each stage's key figures.
    pub fn aarrr(&self, query: JsValue) -> Result<JsValue, JsValue> {
        let query: AarrrQuery = options("aarrr", query)?;
        to_js(&aarrr(&self.inner, &query).map_err(to_js_error)?)
    }
}
