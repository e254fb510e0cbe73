//! Reading typed values from [`Json`]: the `FromJson` trait, its impls for the standard
//! types, and the helpers the derive calls. Messages follow serde's wording ("unknown
//! field `x`, expected one of ...") so that they read the same as before, plus the path
//! of the value inside the options (`steps[1].event`).

use std::collections::BTreeMap;
use std::fmt;

use super::Json;

/// A value that does not fit the expected shape, with where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    message: String,
    /// Innermost first: field names, and `[i]` for array positions.
    path: Vec<String>,
}

impl JsonError {
    /// An error with no location yet.
    pub fn new(message: impl Into<String>) -> Self {
        JsonError {
            message: message.into(),
            path: Vec::new(),
        }
    }

    /// The same error, inside field `name`.
    pub fn at(mut self, name: &str) -> Self {
        self.path.push(name.to_owned());
        self
    }

    fn at_index(mut self, index: usize) -> Self {
        self.path.push(format!("[{index}]"));
        self
    }

    /// For untagged enums: keeps the first error of a variant that accepted the value's
    /// kind (anything but a type mismatch at the value itself), the one worth showing.
    pub fn keep_closest(closest: &mut Option<JsonError>, error: JsonError) {
        let mismatch = error.path.is_empty() && error.message.starts_with("invalid type:");
        if closest.is_none() && !mismatch {
            *closest = Some(error);
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if self.path.is_empty() {
            return Ok(());
        }
        f.write_str(" at `")?;
        for (i, part) in self.path.iter().rev().enumerate() {
            if i > 0 && !part.starts_with('[') {
                f.write_str(".")?;
            }
            f.write_str(part)?;
        }
        f.write_str("`")
    }
}

impl std::error::Error for JsonError {}

fn invalid_type(value: &Json, expected: &str) -> JsonError {
    JsonError::new(format!(
        "invalid type: {}, expected {expected}",
        value.unexpected()
    ))
}

/// serde's "one of" list: "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".into(),
        [only] => format!("`{only}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => {
            let listed: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!("one of {}", listed.join(", "))
        }
    }
}

/// A value that can be read from JSON.
pub trait FromJson: Sized {
    /// Reads the value, or says what is wrong with it.
    fn from_json(value: &Json) -> Result<Self, JsonError>;
}

/// The entries of an object (`what` names the expected type in the error).
pub fn entries<'a>(value: &'a Json, what: &str) -> Result<&'a [(String, Json)], JsonError> {
    value.as_object().ok_or_else(|| invalid_type(value, what))
}

/// The value of `name`, if present.
pub fn find<'a>(entries: &'a [(String, Json)], name: &str) -> Option<&'a Json> {
    entries.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// The value of `name`, or "missing field".
pub fn require<'a>(entries: &'a [(String, Json)], name: &str) -> Result<&'a Json, JsonError> {
    find(entries, name).ok_or_else(|| JsonError::new(format!("missing field `{name}`")))
}

/// Field `name` read as a `T`; missing is an error.
pub fn required<T: FromJson>(entries: &[(String, Json)], name: &str) -> Result<T, JsonError> {
    T::from_json(require(entries, name)?).map_err(|e| e.at(name))
}

/// Field `name` read as a `T`, if present.
pub fn optional<T: FromJson>(
    entries: &[(String, Json)],
    name: &str,
) -> Result<Option<T>, JsonError> {
    find(entries, name)
        .map(|v| T::from_json(v).map_err(|e| e.at(name)))
        .transpose()
}

/// Refuses a field not in `known`, listing the known ones.
pub fn deny_unknown(entries: &[(String, Json)], known: &[&str]) -> Result<(), JsonError> {
    match entries.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some((key, _)) if known.is_empty() => Err(JsonError::new(format!(
            "unknown field `{key}`, there are no fields"
        ))),
        Some((key, _)) => Err(JsonError::new(format!(
            "unknown field `{key}`, expected {}",
            one_of(known)
        ))),
    }
}

/// A string that must be one of `variants`; returns it.
pub fn variant<'a>(value: &'a Json, variants: &[&str]) -> Result<&'a str, JsonError> {
    match value {
        Json::String(text) if variants.contains(&text.as_str()) => Ok(text),
        Json::String(text) => Err(JsonError::new(format!(
            "unknown variant `{text}`, expected {}",
            one_of(variants)
        ))),
        other => Err(invalid_type(other, &one_of(variants))),
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Bool(b) => Ok(*b),
            other => Err(invalid_type(other, "a boolean")),
        }
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::String(text) => Ok(text.clone()),
            other => Err(invalid_type(other, "a string")),
        }
    }
}

impl FromJson for f64 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Number(n) => Ok(*n),
            other => Err(invalid_type(other, "f64")),
        }
    }
}

/// A whole number in `[min, max]`; `what` names the Rust type as serde did.
fn whole(value: &Json, what: &str, min: f64, max: f64) -> Result<f64, JsonError> {
    match value {
        Json::Number(n) if n.fract() != 0.0 || !n.is_finite() => Err(invalid_type(value, what)),
        Json::Number(n) if *n < min || *n > max => Err(JsonError::new(format!(
            "invalid value: integer `{n}`, expected {what}"
        ))),
        Json::Number(n) => Ok(*n),
        other => Err(invalid_type(other, what)),
    }
}

macro_rules! whole_numbers {
    ($($ty:ty),*) => {$(
        impl FromJson for $ty {
            fn from_json(value: &Json) -> Result<Self, JsonError> {
                whole(value, stringify!($ty), <$ty>::MIN as f64, <$ty>::MAX as f64)
                    .map(|n| n as $ty)
            }
        }
    )*};
}

whole_numbers!(u32, i64);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        T::from_json(value).map(Box::new)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item).map_err(|e| e.at_index(i)))
                .collect(),
            other => Err(invalid_type(other, "a sequence")),
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        entries(value, "a map")?
            .iter()
            .map(|(k, v)| Ok((k.clone(), T::from_json(v).map_err(|e| e.at(k))?)))
            .collect()
    }
}

impl<T: FromJson, const N: usize> FromJson for [T; N] {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let items = Vec::<T>::from_json(value)?;
        let count = items.len();
        items
            .try_into()
            .map_err(|_| JsonError::new(format!("invalid length {count}, expected {N} values")))
    }
}
