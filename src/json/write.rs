//! Writing results as JSON text: the `ToJson` trait and its impls for standard types.
//! Non-finite numbers become `null`, as `JSON.stringify` does.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::Json;

/// A value that can be written as JSON.
pub trait ToJson {
    /// Appends the value's JSON text to `out`.
    fn write_json(&self, out: &mut String);

    /// A struct's fields into an object being written (for `#[json(flatten)]`); other
    /// types have none.
    fn write_fields(&self, object: &mut ObjectOut) {
        let _ = object;
    }
}

/// The JSON text of a value.
///
/// ```
/// assert_eq!(insitu::json::to_string(&vec![Some(1.5), None]), "[1.5,null]");
/// ```
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// An object being written; fields are separated as they are added.
pub struct ObjectOut<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> ObjectOut<'a> {
    /// Opens an object.
    pub fn begin(out: &'a mut String) -> Self {
        out.push('{');
        ObjectOut { out, first: true }
    }

    /// Adds `"key": value`.
    pub fn field(&mut self, key: &str, value: &dyn ToJson) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        write_str(self.out, key);
        self.out.push(':');
        value.write_json(self.out);
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.push('}');
    }
}

/// A JSON string literal.
pub fn write_str(out: &mut String, text: &str) {
    out.push('"');
    let mut run = 0;
    for (i, c) in text.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(escaped);
        }
        run = i + c.len_utf8();
    }
    out.push_str(&text[run..]);
    out.push('"');
}

/// A finite number in the shortest text that reads back to the same double; very large
/// and very small magnitudes in exponent form to keep the text short.
fn write_f64(out: &mut String, n: f64) {
    if !n.is_finite() {
        out.push_str("null");
    } else if n == 0.0 || (1e-6..1e21).contains(&n.abs()) {
        let _ = write!(out, "{n}");
    } else {
        let _ = write!(out, "{n:e}");
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        write_f64(out, *self);
    }
}

macro_rules! integers {
    ($($ty:ty),*) => {$(
        impl ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                let _ = write!(out, "{self}");
            }
        }
    )*};
}

integers!(u8, u32, u64, usize, i64);

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_str(out, self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }

    fn write_fields(&self, object: &mut ObjectOut) {
        (**self).write_fields(object);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson, const N: usize> ToJson for [T; N] {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<K: AsRef<str>, V: ToJson> ToJson for BTreeMap<K, V> {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectOut::begin(out);
        for (key, value) in self {
            object.field(key.as_ref(), value);
        }
        object.end();
    }
}

impl ToJson for Json {
    fn write_json(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => b.write_json(out),
            Json::Number(n) => write_f64(out, *n),
            Json::String(text) => write_str(out, text),
            Json::Array(items) => items.write_json(out),
            Json::Object(entries) => {
                let mut object = ObjectOut::begin(out);
                for (key, value) in entries {
                    object.field(key, value);
                }
                object.end();
            }
        }
    }
}

/// A pair as a two-element array, as serde wrote tuples.
impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}
