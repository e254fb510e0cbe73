//! `ds.lifecycle(options)` (new / returning / resurrecting / dormant per period) and
//! `ds.stages(options)` (each customer's CRM stage at an as-of date).

use wasm_bindgen::prelude::*;

use super::convert::{options, table_array, to_js, to_js_error};
use super::dataset::DatasetHandle;
use crate::segments::{lifecycle, stages, LifecycleOptions, StagesOptions};

#[wasm_bindgen]
impl DatasetHandle {
    /// Lifecycle counts per period: `{ periods: [{ start, new, returning, resurrecting, dormant }] }`.
    pub fn lifecycle(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let opts: LifecycleOptions = options("lifecycle", options_value)?;
        let table = lifecycle(&self.inner, &opts).map_err(to_js_error)?;
        to_js(&table)
    }

    /// CRM stages at `asOf`: `{ asOf, counts, customers }`, `customers` as Arrow IPC
    /// stream bytes (customer_id, stage, orders, lastOrder, firstOrder, lastActive).
    pub fn stages(&self, options_value: JsValue) -> Result<JsValue, JsValue> {
        let opts: StagesOptions = options("stages", options_value)?;
        let result = stages(&self.inner, &opts).map_err(to_js_error)?;
        let out = js_sys::Object::new();
        let as_of = result.as_of.div_euclid(crate::time::MICROS_PER_MS) as f64;
        js_sys::Reflect::set(&out, &"asOf".into(), &as_of.into())?;
        js_sys::Reflect::set(&out, &"counts".into(), &to_js(&result.counts)?)?;
        let bytes = table_array(&result.table(), &self.inner)?;
        js_sys::Reflect::set(&out, &"customers".into(), &bytes)?;
        Ok(out.into())
    }
}
