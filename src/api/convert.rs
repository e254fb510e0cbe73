//! Conversions between JS values and core types, and errors as JS `InsituError`s.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::InsituError;

/// The JS error for a core error: an `Error` named `InsituError` with a `code` property;
/// the package wrapper turns it into its `InsituError` class.
pub fn to_js_error(error: InsituError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("InsituError");
    let _ = js_sys::Reflect::set(
        &js,
        &JsValue::from_str("code"),
        &JsValue::from_str(error.code()),
    );
    js.into()
}

/// Reads an options object (`undefined`/`null` mean defaults); a bad shape is a
/// `bad_option` error naming `what` and the offending field.
pub fn options<T: DeserializeOwned + Default>(what: &str, value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| to_js_error(InsituError::bad_option(what, e.to_string())))
}

/// A result as a plain JS object (maps as objects, 64-bit ints as numbers).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_maps_as_objects(true)
        .serialize_missing_as_null(true);
    value
        .serialize(&serializer)
        .map_err(|e| to_js_error(InsituError::Limit(format!("cannot return the result: {e}"))))
}
