//! Options in and results out as JSON text, without serde.
//!
//! Options cross the wasm boundary as `JSON.stringify` output and results go back as JSON
//! text for `JSON.parse`. A small tree ([`Json`]), a parser, and the `FromJson` / `ToJson`
//! derives (crate `insitu-derive`, serde's attribute names under `#[json(...)]`) do what
//! serde's derives did at a fraction of the `.wasm` size: serde's code is generic over
//! the deserializer, so each options type carried its own copy of a JSON reader.

mod parse;
mod read;
mod value;
mod write;

pub use insitu_derive::{FromJson, ToJson};
pub use parse::parse;
pub use read::{
    deny_unknown, entries, find, optional, require, required, variant, FromJson, JsonError,
};
pub use value::Json;
pub use write::{to_string, write_str, ObjectOut, ToJson};

/// Reads a `T` from JSON text.
///
/// ```
/// let bins: Vec<u32> = insitu::json::from_str("[1, 2, 3]").unwrap();
/// assert_eq!(bins, vec![1, 2, 3]);
/// ```
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::from_json(&parse(text)?)
}

#[cfg(test)]
mod tests;
