//! Reading option values shared by retention, lifecycle and stages: times (epoch ms or
//! ISO-8601 text), durations (`"90d"` or ms), periods, fixed UTC offsets, whole numbers,
//! and event names with the closest existing names in the error.
//!
//! Options arrive as JSON-like values (the JS wrapper has already turned `Date`s and ISO
//! strings into epoch ms, but a direct caller may still pass text), so each reader takes
//! the option's user-facing (camelCase) name and puts it in the error.

use crate::json::FromJson;

use crate::data::suggest::unknown_message;
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{parse_duration, parse_iso, parse_offset, Period, MICROS_PER_MS};

/// Largest |epoch ms| accepted: the range of a JavaScript `Date` (±100,000,000 days), so
/// that microseconds plus a UTC offset can never overflow `i64`.
const MAX_EPOCH_MS: f64 = 8.64e15;

/// A time option: epoch milliseconds, or an ISO-8601 date / date-time string.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum TimeArg {
    /// Epoch milliseconds.
    Ms(f64),
    /// ISO-8601 text such as `"2024-03-01"` or `"2024-03-01T09:00:00+09:00"`.
    Text(String),
    /// Anything else (a boolean, an object, ...): rejected with the option's name.
    Other(crate::json::Json),
}

impl TimeArg {
    /// The time in epoch microseconds; `option` names the option in the error.
    pub fn micros(&self, option: &str) -> Result<i64> {
        let not_a_time = |shown: String| {
            InsituError::bad_option(
                option,
                format!(
                    "{shown} is not a time; use epoch milliseconds, an ISO-8601 string (\"2024-03-01\") or a Date"
                ),
            )
        };
        match self {
            TimeArg::Ms(ms) if ms.is_finite() && ms.abs() <= MAX_EPOCH_MS => {
                Ok((ms * MICROS_PER_MS as f64).round() as i64)
            }
            TimeArg::Ms(ms) => Err(not_a_time(ms.to_string())),
            TimeArg::Text(text) => parse_iso(text)
                .filter(|us| us.unsigned_abs() <= (MAX_EPOCH_MS as u64) * MICROS_PER_MS as u64)
                .ok_or_else(|| not_a_time(format!("\"{text}\""))),
            TimeArg::Other(value) => Err(not_a_time(value.to_string())),
        }
    }
}

/// A duration option: text such as `"90d"`, `"12h"`, `"4w"`, or a number of milliseconds.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum DurationArg {
    /// Milliseconds.
    Ms(f64),
    /// A number and a unit (s, m, h, d, w), e.g. `"90d"`.
    Text(String),
    /// Anything else: rejected with the option's name.
    Other(crate::json::Json),
}

impl DurationArg {
    /// The duration in microseconds (never negative); `option` names the option.
    pub fn micros(&self, option: &str) -> Result<i64> {
        let negative = |shown: String| {
            InsituError::bad_option(
                option,
                format!("{shown} is negative; a duration must be zero or more"),
            )
        };
        match self {
            DurationArg::Ms(ms) if !ms.is_finite() || ms.abs() > MAX_EPOCH_MS => Err(
                InsituError::bad_option(option, format!("{ms} is not a usable duration")),
            ),
            DurationArg::Ms(ms) if *ms < 0.0 => Err(negative(ms.to_string())),
            DurationArg::Ms(ms) => Ok((ms * MICROS_PER_MS as f64).round() as i64),
            DurationArg::Text(text) if text.trim_start().starts_with('-') => {
                Err(negative(format!("\"{text}\"")))
            }
            DurationArg::Text(text) => parse_duration(option, text),
            DurationArg::Other(value) => Err(InsituError::bad_option(
                option,
                format!(
                    "{value} is not a duration; use a number and a unit (\"90d\", \"12h\") or milliseconds"
                ),
            )),
        }
    }
}

/// The period named by `text` (default `fallback`); unknown names list day/week/month.
pub fn period(text: Option<&str>, fallback: Period) -> Result<Period> {
    text.map_or(Ok(fallback), |t| Period::parse("period", t))
}

/// The fixed UTC offset of the `timezone` option in microseconds (0 when not given).
pub fn timezone(text: Option<&str>) -> Result<i64> {
    let Some(text) = text else { return Ok(0) };
    parse_offset(text).ok_or_else(|| {
        InsituError::bad_option(
            "timezone",
            format!(
                "\"{text}\" is not a fixed UTC offset; use e.g. \"+09:00\", \"-05:30\" or \"Z\" (named zones such as \"Asia/Seoul\" are not supported)"
            ),
        )
    })
}

/// A whole number in `min..=max` from a JSON number (`fallback` when not given).
pub fn whole(option: &str, value: Option<f64>, fallback: u32, min: u32, max: u32) -> Result<u32> {
    let Some(v) = value else { return Ok(fallback) };
    if v.is_finite() && v.fract() == 0.0 && v >= f64::from(min) && v <= f64::from(max) {
        Ok(v as u32)
    } else {
        Err(InsituError::bad_option(
            option,
            format!("{v} is not allowed; use a whole number from {min} to {max}"),
        ))
    }
}

/// The inclusive time range of the `from` / `to` options in microseconds; missing ends
/// are open. `from` after `to` is an error.
pub fn range(from: Option<&TimeArg>, to: Option<&TimeArg>) -> Result<(i64, i64)> {
    let lo = from.map(|t| t.micros("from")).transpose()?;
    let hi = to.map(|t| t.micros("to")).transpose()?;
    if let (Some(a), Some(b)) = (lo, hi) {
        if a > b {
            return Err(InsituError::bad_option(
                "from",
                format!(
                    "{} is after \"to\" ({}); the range must not be empty",
                    crate::time::format_iso(a),
                    crate::time::format_iso(b)
                ),
            ));
        }
    }
    Ok((lo.unwrap_or(i64::MIN), hi.unwrap_or(i64::MAX)))
}

/// The code of event `name`, or a `bad_option` on `option` listing the closest names.
pub fn event_code(ds: &Dataset, option: &str, name: &str) -> Result<u32> {
    ds.event_code(name).ok_or_else(|| {
        InsituError::bad_option(
            option,
            unknown_message("event", name, ds.event_names.iter().map(String::as_str)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_durations_name_the_option() {
        assert_eq!(TimeArg::Ms(1.5).micros("from").unwrap(), 1_500);
        assert_eq!(
            TimeArg::Text("1970-01-02".into()).micros("from").unwrap(),
            86_400_000_000
        );
        let e = TimeArg::Text("yesterday".into())
            .micros("asOf")
            .unwrap_err();
        assert_eq!(e.code(), "bad_option");
        assert!(e.to_string().contains("asOf"), "{e}");
        assert!(TimeArg::Ms(f64::INFINITY).micros("to").is_err());
        assert!(TimeArg::Other(crate::json::Json::Bool(true))
            .micros("to")
            .is_err());
        assert_eq!(
            DurationArg::Text("2d".into()).micros("x").unwrap(),
            2 * crate::time::MICROS_PER_DAY
        );
        assert_eq!(DurationArg::Ms(5.0).micros("x").unwrap(), 5_000);
        let e = DurationArg::Text("-3d".into())
            .micros("churnAfter")
            .unwrap_err();
        assert!(e.to_string().contains("negative"), "{e}");
        assert!(DurationArg::Ms(-1.0).micros("x").is_err());
    }

    #[test]
    fn whole_numbers_and_offsets() {
        assert_eq!(whole("periods", None, 8, 1, 1000).unwrap(), 8);
        assert_eq!(whole("periods", Some(1000.0), 8, 1, 1000).unwrap(), 1000);
        for bad in [0.0, 1001.0, 2.5, -1.0, f64::NAN] {
            assert!(whole("periods", Some(bad), 8, 1, 1000).is_err());
        }
        assert_eq!(timezone(None).unwrap(), 0);
        assert!(timezone(Some("Asia/Seoul")).is_err());
    }
}
