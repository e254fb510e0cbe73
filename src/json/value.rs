//! The JSON tree options are read from.

use std::fmt;

/// A parsed JSON value. Objects keep their entries in text order (JS property order).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number (JS numbers are doubles).
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's entries, in order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The number, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value of `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()
            .and_then(|entries| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v))
    }

    /// How serde described a value in "invalid type" messages, kept for familiarity:
    /// `string "x"`, `integer `5``, `map`, ...
    pub fn unexpected(&self) -> String {
        match self {
            Json::Null => "null".into(),
            Json::Bool(b) => format!("boolean `{b}`"),
            // Whole numbers a double holds exactly print as integers, as serde had them.
            Json::Number(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 => {
                format!("integer `{}`", *n as i64)
            }
            Json::Number(n) => format!("floating point `{n}`"),
            Json::String(text) => format!("string \"{text}\""),
            Json::Array(_) => "sequence".into(),
            Json::Object(_) => "map".into(),
        }
    }
}

/// Compact JSON text.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::to_string(self))
    }
}
