//! A duration option as JS gives it: text such as `"7d"` or a number of milliseconds.

use crate::json::{FromJson, Json, JsonError};

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

impl FromJson for DurationValue {
    fn from_json(value: &Json) -> std::result::Result<Self, JsonError> {
        match value {
            Json::String(text) => Ok(DurationValue::Text(text.clone())),
            Json::Number(ms) => Ok(DurationValue::Millis(*ms)),
            other => Err(JsonError::new(format!(
                "invalid type: {}, expected a duration such as \"7d\" or a number of milliseconds",
                other.unexpected()
            ))),
        }
    }
}

/// For options where `null` means "not tracked" and leaving the option out means the
/// default: `Some(None)` for null, `None` when absent (with `#[json(default)]`).
pub fn explicit<T: FromJson>(value: &Json) -> std::result::Result<Option<Option<T>>, JsonError> {
    Option::<T>::from_json(value).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MICROS_PER_DAY;

    #[test]
    fn text_or_millis() {
        let d: DurationValue = crate::json::from_str("\"7d\"").unwrap();
        assert_eq!(d.micros("window").unwrap(), 7 * MICROS_PER_DAY);
        let d: DurationValue = crate::json::from_str("86400000").unwrap();
        assert_eq!(d.micros("window").unwrap(), MICROS_PER_DAY);
        let d: DurationValue = crate::json::from_str("-5").unwrap();
        assert_eq!(d.micros("window").unwrap_err().code(), "bad_option");
        assert!(crate::json::from_str::<DurationValue>("true").is_err());
    }
}
