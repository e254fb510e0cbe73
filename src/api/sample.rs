//! `generateSample`: the deterministic sample shop as Arrow IPC stream bytes.

use crate::json::FromJson;
use wasm_bindgen::prelude::*;

use super::convert::{options, to_js_error};
use crate::data::sample_ipc::sample_ipc;
use crate::sample::{generate, SampleOptions};

/// Sample options as JS passes them (times already epoch ms).
#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct SampleArgs {
    events: Option<f64>,
    seed: Option<f64>,
    start: Option<f64>,
    days: Option<f64>,
}

fn whole(option: &str, value: f64) -> Result<u64, JsValue> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9.0e15 {
        Ok(value as u64)
    } else {
        Err(to_js_error(crate::InsituError::bad_option(
            option,
            format!("{value} is not a whole non-negative number"),
        )))
    }
}

/// Generates the sample shop; returns `{ events, orders, customers }` as IPC stream bytes.
#[wasm_bindgen(js_name = generateSample)]
pub fn generate_sample(args: JsValue) -> Result<JsValue, JsValue> {
    let args: SampleArgs = options("sample", args)?;
    let mut opts = SampleOptions::default();
    if let Some(v) = args.events {
        opts.events = whole("events", v)? as usize;
    }
    if let Some(v) = args.seed {
        opts.seed = whole("seed", v)?;
    }
    if let Some(v) = args.start {
        if !v.is_finite() {
            return Err(to_js_error(crate::InsituError::bad_option(
                "start",
                "not a time",
            )));
        }
        opts.start_ms = v.floor() as i64;
    }
    if let Some(v) = args.days {
        opts.days = u32::try_from(whole("days", v)?).unwrap_or(u32::MAX);
    }
    let data = generate(&opts).map_err(to_js_error)?;
    let ipc = sample_ipc(&data, 65_536).map_err(to_js_error)?;
    drop(data);
    let out = js_sys::Object::new();
    for (name, bytes) in [
        ("events", &ipc.events),
        ("orders", &ipc.orders),
        ("customers", &ipc.customers),
    ] {
        let array = js_sys::Uint8Array::from(bytes.as_slice());
        js_sys::Reflect::set(&out, &JsValue::from_str(name), &array)?;
    }
    Ok(out.into())
}
