//! Conversions between JS values and core types, and errors as JS `InsituError`s.
//!
//! Options cross the boundary as JSON text (`JSON.stringify` in the engine, the crate's
//! own reader here, see `crate::json`) rather than as JS objects read field by field, so
//! that a misspelt option is caught: `deny_unknown_fields` names the stray field and
//! lists the valid ones. Results go back the same way, as JSON text for `JSON.parse`.

use wasm_bindgen::prelude::*;

use crate::data::ipc_write::IpcPart;
use crate::data::{Dataset, ResultTable};
use crate::error::InsituError;
use crate::json::{FromJson, ToJson};

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
pub fn options<T: FromJson + Default>(what: &str, value: JsValue) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    let bad = |detail: String| to_js_error(InsituError::bad_option(what, detail));
    let json = js_sys::JSON::stringify(&value).map_err(|_| {
        bad("cannot be read (it must be plain JSON-like data: no BigInt, no cycles)".into())
    })?;
    let json: String = json.into();
    crate::json::from_str(&json).map_err(|e| bad(e.to_string()))
}

/// A result as a plain JS object (via JSON; non-finite numbers become `null`).
pub fn to_js<T: ToJson + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    js_sys::JSON::parse(&crate::json::to_string(value))
}

/// A result table as Arrow IPC stream bytes in a `Uint8Array`, copied out of wasm once.
pub fn table_array(table: &ResultTable, ds: &Dataset) -> Result<js_sys::Uint8Array, JsValue> {
    Ok(ipc_array(&table.to_ipc_parts(ds).map_err(to_js_error)?))
}

/// `summary` as a JS object with `table`'s IPC bytes set as `key` (a `Uint8Array`).
pub fn with_table(
    summary: JsValue,
    key: &str,
    table: &ResultTable,
    ds: &Dataset,
) -> Result<JsValue, JsValue> {
    let bytes = table_array(table, ds)?;
    js_sys::Reflect::set(&summary, &JsValue::from_str(key), &bytes)?;
    Ok(summary)
}

/// IPC bytes written in parts (see `ResultTable::to_ipc_parts`) as one `Uint8Array`,
/// each part copied out of wasm memory once, without joining them in wasm first: a lent
/// column goes from the column itself into a typed view of the array.
pub fn ipc_array(parts: &[IpcPart]) -> js_sys::Uint8Array {
    let total: usize = parts.iter().map(IpcPart::len).sum();
    let array = js_sys::Uint8Array::new_with_length(total as u32);
    let buffer = array.buffer();
    let mut at = 0;
    for part in parts {
        let (offset, len) = (at as u32, part.len());
        // IPC buffers start 8-byte aligned, as typed views need: a lent column is copied
        // into a typed view of the array at its offset; anything else as bytes.
        macro_rules! copy_into {
            ($view:ty, $values:expr) => {
                <$view>::new_with_byte_offset_and_length(&buffer, offset, $values.len() as u32)
                    .copy_from($values)
            };
        }
        match part {
            IpcPart::Float64(v) if at % 8 == 0 => copy_into!(js_sys::Float64Array, v),
            IpcPart::Int64(v) if at % 8 == 0 => copy_into!(js_sys::BigInt64Array, v),
            IpcPart::UInt32(v) if at % 4 == 0 => copy_into!(js_sys::Uint32Array, v),
            IpcPart::UInt8(v) => array.subarray(offset, offset + len as u32).copy_from(v),
            IpcPart::Bytes(b) => array.subarray(offset, offset + len as u32).copy_from(b),
            other => {
                let mut bytes = Vec::with_capacity(len);
                other.write_to(&mut bytes);
                array
                    .subarray(offset, offset + len as u32)
                    .copy_from(&bytes);
            }
        }
        at += len;
    }
    array
}
