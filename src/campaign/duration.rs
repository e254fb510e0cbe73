//! A duration option as JS gives it: text such as `"7d"` or a number of milliseconds.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

use crate::error::{InsituError, Result};
use crate::time::{parse_duration, MICROS_PER_MS};

/// A duration: `"7d"`, `"12h"`, ... or milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationValue {
    /// Text such as `"7d"` (see [`crate::time::parse_duration`]).
    Text(String),
    /// Milliseconds.
    Millis(f64),
}

impl DurationValue {
    /// The duration in microseconds; `option` names the option in the error.
    pub fn micros(&self, option: &str) -> Result<i64> {
        let micros = match self {
            DurationValue::Text(t) => parse_duration(option, t)?,
            DurationValue::Millis(ms) => {
                if !(ms.is_finite() && *ms >= 0.0 && *ms < 9.0e15) {
                    return Err(InsituError::bad_option(
                        option,
                        format!("{ms} is not a duration; use milliseconds (>= 0) or text such as \"7d\""),
                    ));
                }
                (ms * MICROS_PER_MS as f64).round() as i64
            }
        };
        if micros < 0 {
            return Err(InsituError::bad_option(option, "must not be negative"));
        }
        Ok(micros)
    }
}

impl<'de> Deserialize<'de> for DurationValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DurationValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as \"7d\" or a number of milliseconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(DurationValue::Text(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Self::Value, E> {
                Ok(DurationValue::Millis(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
                Ok(DurationValue::Millis(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
                Ok(DurationValue::Millis(v as f64))
            }
        }
        d.deserialize_any(V)
    }
}

/// For options where `null` means "not tracked" and leaving the option out means the
/// default: `Some(None)` for null, `None` when absent (with `#[serde(default)]`).
pub fn explicit<'de, D, T>(d: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MICROS_PER_DAY;

    #[test]
    fn text_or_millis() {
        let d: DurationValue = serde_json::from_str("\"7d\"").unwrap();
        assert_eq!(d.micros("window").unwrap(), 7 * MICROS_PER_DAY);
        let d: DurationValue = serde_json::from_str("86400000").unwrap();
        assert_eq!(d.micros("window").unwrap(), MICROS_PER_DAY);
        let d: DurationValue = serde_json::from_str("-5").unwrap();
        assert_eq!(d.micros("window").unwrap_err().code(), "bad_option");
        assert!(serde_json::from_str::<DurationValue>("true").is_err());
    }
}
