//! Conversions between JS values and core types, and errors as JS `InsituError`s.
//!
//! Options cross the boundary as JSON (`JSON.stringify` in the engine, serde_json here)
//! rather than through serde-wasm-bindgen, because the latter reads only the fields a
//! struct declares and so cannot reject a misspelt option; serde_json's
//! `deny_unknown_fields` names the stray field and lists the valid ones.

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
    let bad = |detail: String| to_js_error(InsituError::bad_option(what, detail));
    let json = js_sys::JSON::stringify(&value).map_err(|_| {
        bad("cannot be read (it must be plain JSON-like data: no BigInt, no cycles)".into())
    })?;
    let json: String = json.into();
    serde_json::from_str(&json).map_err(|e| bad(strip_position(&e.to_string())))
}

/// serde_json ends messages with "at line 1 column 42", meaningless to a JS caller.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// A result as a plain JS object (via JSON; non-finite numbers become `null`).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value)
        .map_err(|e| to_js_error(InsituError::Limit(format!("cannot return the result: {e}"))))?;
    js_sys::JSON::parse(&json)
}

/// IPC bytes written in parts (see `ResultTable::to_ipc_parts`) as one `Uint8Array`,
/// each part copied out of wasm memory once, without joining them in wasm first.
pub fn ipc_array(parts: &[Vec<u8>]) -> js_sys::Uint8Array {
    let total: usize = parts.iter().map(Vec::len).sum();
    let array = js_sys::Uint8Array::new_with_length(total as u32);
    let mut at = 0;
    for part in parts {
        array
            .subarray(at as u32, (at + part.len()) as u32)
            .copy_from(part);
        at += part.len();
    }
    array
}
