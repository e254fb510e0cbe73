//! Times and durations in segment options, the default as-of date, and the span of the
//! data (for "asOf is before all data" errors).

use crate::json::FromJson;

use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{format_iso, parse_duration, parse_iso, MICROS_PER_DAY, MICROS_PER_MS};

/// Largest |epoch ms| accepted: the range of a JavaScript `Date`, so that adding a
/// duration to a time can never overflow `i64` microseconds.
const MAX_EPOCH_MS: f64 = 8.64e15;

/// A time option: epoch milliseconds or an ISO-8601 date / date-time string.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum TimeValue {
    /// Epoch milliseconds.
    Ms(f64),
    /// ISO-8601 text such as `"2024-03-01"`.
    Text(String),
    /// Anything else: rejected with the option's name.
    Other(crate::json::Json),
}

impl TimeValue {
    /// The time in epoch microseconds; `option` names the option in the error.
    pub fn micros(&self, option: &str) -> Result<i64> {
        let bad = |shown: String| {
            InsituError::bad_option(
                option,
                format!("{shown} is not a time; use epoch milliseconds, an ISO-8601 string (\"2024-03-01\") or a Date"),
            )
        };
        match self {
            TimeValue::Ms(ms) if ms.is_finite() && ms.abs() <= MAX_EPOCH_MS => {
                Ok((ms * MICROS_PER_MS as f64).round() as i64)
            }
            TimeValue::Ms(ms) => Err(bad(ms.to_string())),
            TimeValue::Text(text) => parse_iso(text)
                .filter(|us| us.unsigned_abs() <= (MAX_EPOCH_MS as u64) * MICROS_PER_MS as u64)
                .ok_or_else(|| bad(format!("\"{text}\""))),
            TimeValue::Other(v) => Err(bad(v.to_string())),
        }
    }
}

/// A duration option: `"90d"`, `"12h"`, `"4w"`, or milliseconds.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum DurationValue {
    /// Milliseconds.
    Ms(f64),
    /// A number and a unit.
    Text(String),
    /// Anything else: rejected with the option's name.
    Other(crate::json::Json),
}

impl DurationValue {
    /// The duration in microseconds (more than zero); `option` names the option.
    pub fn micros(&self, option: &str) -> Result<i64> {
        let micros = match self {
            DurationValue::Ms(ms) if ms.is_finite() && ms.abs() <= MAX_EPOCH_MS => {
                (ms * MICROS_PER_MS as f64).round() as i64
            }
            DurationValue::Text(t) => duration_text(option, t)?,
            other => {
                return Err(InsituError::bad_option(
                    option,
                    format!(
                        "{other:?} is not a duration; use e.g. \"30d\", \"12h\" or milliseconds"
                    ),
                ))
            }
        };
        if micros <= 0 {
            return Err(InsituError::bad_option(option, "must be longer than zero"));
        }
        Ok(micros)
    }
}

/// Parses a duration text (`"30d"`, `"30 days"`, `"4w"`), bounded like a time so that
/// `asOf - duration` cannot overflow.
pub fn duration_text(option: &str, text: &str) -> Result<i64> {
    let micros = parse_duration(option, text)?;
    if micros as f64 > MAX_EPOCH_MS * MICROS_PER_MS as f64 {
        return Err(InsituError::bad_option(
            option,
            format!("\"{text}\" is too long"),
        ));
    }
    Ok(micros)
}

/// The default as-of date: UTC midnight after the last event or order, so that every
/// row is "before asOf" and recency is counted from a day boundary.
pub fn default_as_of(ds: &Dataset) -> Result<i64> {
    let (_, last) = ds
        .time_span
        .ok_or_else(|| InsituError::EmptyInput("the dataset has no events or orders".into()))?;
    Ok((last.div_euclid(MICROS_PER_DAY) + 1) * MICROS_PER_DAY)
}

/// `time` (µs) if given, else the default as-of date.
pub fn as_of(ds: &Dataset, option: &str, time: Option<&TimeValue>) -> Result<i64> {
    match time {
        Some(t) => t.micros(option),
        None => default_as_of(ds),
    }
}

/// The error for an as-of date with nothing before it.
pub fn before_all_data(ds: &Dataset, option: &str, as_of: i64, what: &str) -> InsituError {
    let first = ds.time_span.map(|(first, _)| format_iso(first));
    InsituError::bad_option(
        option,
        format!(
            "{} is before all data (the first event or order is at {}): no customer has {what} before it",
            format_iso(as_of),
            first.unwrap_or_else(|| "-".into())
        ),
    )
}

/// Parses a relative date such as `"30 days ago"`, `"30d ago"` or `"now"` into the
/// number of microseconds before the as-of date; `None` when `text` is not one.
pub fn relative_ago(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.eq_ignore_ascii_case("now") || t.eq_ignore_ascii_case("asof") {
        return Some(0);
    }
    let lower = t.to_ascii_lowercase();
    let body = lower.strip_suffix("ago")?.trim_end();
    duration_text("value", body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_relative_dates() {
        assert_eq!(TimeValue::Ms(1.5).micros("asOf").unwrap(), 1_500);
        assert_eq!(
            TimeValue::Text("1970-01-02".into()).micros("asOf").unwrap(),
            MICROS_PER_DAY
        );
        let e = TimeValue::Text("soon".into()).micros("asOf").unwrap_err();
        assert_eq!(e.code(), "bad_option");
        assert!(e.to_string().contains("asOf"));
        assert_eq!(relative_ago("30 days ago"), Some(30 * MICROS_PER_DAY));
        assert_eq!(relative_ago("2w ago"), Some(14 * MICROS_PER_DAY));
        assert_eq!(relative_ago("now"), Some(0));
        assert_eq!(relative_ago("30 days"), None);
        assert_eq!(relative_ago("2024-01-01"), None);
        assert!(DurationValue::Text("0d".into()).micros("w").is_err());
        assert!(DurationValue::Other(crate::json::Json::Bool(true))
            .micros("w")
            .is_err());
    }
}
