//! `abTest`, `sampleSize` and `welchTest`: statistics on numbers the caller gives, no
//! dataset needed.

use wasm_bindgen::prelude::*;

use super::convert::{options, to_js, to_js_error};
use crate::stats::{self, AbTestOptions, SampleSizeOptions, WelchOptions};

/// A/B(/n) test on conversion counts: z-test or chi-square, interval of the difference,
/// lift, and Bayesian probabilities to beat control and to be best.
#[wasm_bindgen(js_name = abTest)]
pub fn ab_test(options_value: JsValue) -> Result<JsValue, JsValue> {
    let o: AbTestOptions = options("abTest", options_value)?;
    to_js(&stats::ab_test(&o).map_err(to_js_error)?)
}

/// Exposures needed per variant to detect a change in a conversion rate.
#[wasm_bindgen(js_name = sampleSize)]
pub fn sample_size(options_value: JsValue) -> Result<JsValue, JsValue> {
    let o: SampleSizeOptions = options("sampleSize", options_value)?;
    to_js(&stats::sample_size(&o).map_err(to_js_error)?)
}

/// Welch's t-test of two samples given as values or as n, mean and sd.
#[wasm_bindgen(js_name = welchTest)]
pub fn welch_test(options_value: JsValue) -> Result<JsValue, JsValue> {
    let o: WelchOptions = options("welchTest", options_value)?;
    to_js(&stats::welch_test(&o).map_err(to_js_error)?)
}
