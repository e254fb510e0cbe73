//! Time inside the core is UTC epoch microseconds (`i64`). This module converts between
//! that and calendar dates, ISO-8601 strings and durations such as `"7d"`.

use crate::error::{InsituError, Result};

/// Microseconds in one millisecond.
pub const MICROS_PER_MS: i64 = 1_000;
/// Microseconds in one second.
pub const MICROS_PER_SECOND: i64 = 1_000_000;
/// Microseconds in one minute.
pub const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
/// Microseconds in one hour.
pub const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
/// Microseconds in one day.
pub const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a count of days since 1970-01-01 (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Formats epoch microseconds as an ISO-8601 UTC string (`2024-03-01T12:00:00.000Z`).
pub fn format_iso(micros: i64) -> String {
    let days = micros.div_euclid(MICROS_PER_DAY);
    let in_day = micros.rem_euclid(MICROS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    let secs = in_day / MICROS_PER_SECOND;
    let millis = (in_day % MICROS_PER_SECOND) / MICROS_PER_MS;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Parses an ISO-8601 date or date-time into epoch microseconds (UTC).
///
/// Accepts `2024-03-01`, `2024-03-01T12:30`, `2024-03-01 12:30:05.123456`, with an
/// optional `Z` or `+09:00` / `-0500` offset; a value without offset is UTC.
pub fn parse_iso(text: &str) -> Option<i64> {
    let s = text.trim().as_bytes();
    let mut p = Cursor { s, i: 0 };
    let negative_year = p.eat(b'-');
    let year = p.digits(4, 6)? as i64;
    let year = if negative_year { -year } else { year };
    if !p.eat(b'-') {
        return None;
    }
    let month = p.digits(2, 2)? as u32;
    if !p.eat(b'-') {
        return None;
    }
    let day = p.digits(2, 2)? as u32;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut micros = days_from_civil(year, month, day).checked_mul(MICROS_PER_DAY)?;
    if p.done() {
        return Some(micros);
    }
    if !(p.eat(b'T') || p.eat(b't') || p.eat(b' ')) {
        return None;
    }
    let hour = p.digits(2, 2)? as i64;
    if !p.eat(b':') {
        return None;
    }
    let minute = p.digits(2, 2)? as i64;
    let mut second = 0;
    let mut fraction = 0;
    if p.eat(b':') {
        second = p.digits(2, 2)? as i64;
        if p.eat(b'.') || p.eat(b',') {
            let start = p.i;
            let value = p.digits(1, 9)? as i64;
            let len = (p.i - start) as u32;
            // Scale to microseconds; digits past the sixth are truncated.
            fraction = if len <= 6 {
                value * 10_i64.pow(6 - len)
            } else {
                value / 10_i64.pow(len - 6)
            };
        }
    }
    if hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute | second | fraction) != 0)
    {
        return None;
    }
    micros = micros.checked_add(
        hour * MICROS_PER_HOUR + minute * MICROS_PER_MINUTE + second * MICROS_PER_SECOND + fraction,
    )?;
    if p.done() {
        return Some(micros);
    }
    if p.eat(b'Z') || p.eat(b'z') {
        return p.done().then_some(micros);
    }
    let offset = parse_offset_at(&mut p)?;
    p.done().then(|| micros.checked_sub(offset)).flatten()
}

/// Parses a fixed UTC offset such as `+09:00`, `-0500` or `Z` into microseconds.
pub fn parse_offset(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let mut p = Cursor {
        s: text.as_bytes(),
        i: 0,
    };
    let offset = parse_offset_at(&mut p)?;
    p.done().then_some(offset)
}

fn parse_offset_at(p: &mut Cursor) -> Option<i64> {
    let sign = if p.eat(b'+') {
        1
    } else if p.eat(b'-') {
        -1
    } else {
        return None;
    };
    let hours = p.digits(2, 2)? as i64;
    p.eat(b':');
    let minutes = if p.done() { 0 } else { p.digits(2, 2)? as i64 };
    if hours > 18 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * MICROS_PER_HOUR + minutes * MICROS_PER_MINUTE))
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn eat(&mut self, c: u8) -> bool {
        if self.s.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
    /// Reads between `min` and `max` ASCII digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<u64> {
        let start = self.i;
        let mut value: u64 = 0;
        while self.i - start < max {
            match self.s.get(self.i) {
                Some(c) if c.is_ascii_digit() => {
                    value = value * 10 + u64::from(c - b'0');
                    self.i += 1;
                }
                _ => break,
            }
        }
        (self.i - start >= min).then_some(value)
    }
}

/// Parses a duration such as `"90m"`, `"12h"`, `"7d"`, `"4w"` (or `"30s"`) into microseconds.
/// `option` names the option in the error.
pub fn parse_duration(option: &str, text: &str) -> Result<i64> {
    let t = text.trim();
    let bad = || {
        InsituError::bad_option(
            option,
            format!(
                "\"{text}\" is not a duration; use a number and a unit: s, m, h, d or w (e.g. \"7d\", \"12h\")"
            ),
        )
    };
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .ok_or_else(bad)?;
    let (number, unit) = t.split_at(split);
    let value: f64 = number.parse().map_err(|_| bad())?;
    let unit_micros = match unit.trim() {
        "s" | "sec" | "second" | "seconds" => MICROS_PER_SECOND,
        "m" | "min" | "minute" | "minutes" => MICROS_PER_MINUTE,
        "h" | "hour" | "hours" => MICROS_PER_HOUR,
        "d" | "day" | "days" => MICROS_PER_DAY,
        "w" | "week" | "weeks" => 7 * MICROS_PER_DAY,
        _ => return Err(bad()),
    };
    let micros = value * unit_micros as f64;
    if !micros.is_finite() || micros > i64::MAX as f64 / 2.0 {
        return Err(bad());
    }
    Ok(micros.round() as i64)
}

/// A calendar period for cohorts, trends and lifecycle: a UTC (or fixed-offset) day, an
/// ISO week starting on Monday, or a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, crate::json::FromJson, crate::json::ToJson)]
#[json(rename_all = "camelCase")]
pub enum Period {
    /// A calendar day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
}

impl Period {
    /// Parses `"day"`, `"week"` or `"month"`; `option` names the option in the error.
    pub fn parse(option: &str, text: &str) -> Result<Period> {
        match text.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" | "d" => Ok(Period::Day),
            "week" | "weekly" | "w" => Ok(Period::Week),
            "month" | "monthly" | "m" => Ok(Period::Month),
            _ => Err(InsituError::bad_option(
                option,
                format!("\"{text}\" is not a period; use \"day\", \"week\" or \"month\""),
            )),
        }
    }

    /// The period containing `micros` as a running number (days, weeks or months since
    /// 1970), local to the fixed UTC `offset` (microseconds; 0 for UTC).
    #[inline]
    pub fn index(self, micros: i64, offset: i64) -> i64 {
        let days = (micros + offset).div_euclid(MICROS_PER_DAY);
        match self {
            Period::Day => days,
            // 1970-01-01 was a Thursday: shift so weeks start on Monday (1969-12-29).
            Period::Week => (days + 3).div_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(days);
                y * 12 + i64::from(m) - 1
            }
        }
    }

    /// The UTC start (epoch microseconds) of period number `index` for `offset`.
    pub fn start(self, index: i64, offset: i64) -> i64 {
        let days = match self {
            Period::Day => index,
            Period::Week => index * 7 - 3,
            Period::Month => {
                days_from_civil(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32, 1)
            }
        };
        days * MICROS_PER_DAY - offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        for d in [-800_000, -1, 0, 59, 11_016, 19_783, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn parses_iso_forms() {
        assert_eq!(parse_iso("1970-01-01"), Some(0));
        assert_eq!(parse_iso("1970-01-02T00:00:00Z"), Some(MICROS_PER_DAY));
        assert_eq!(
            parse_iso("2024-03-01T09:00:00+09:00"),
            parse_iso("2024-03-01T00:00:00Z")
        );
        // 2024-03-01T12:30:05.123456Z = 1709296205.123456 s
        assert_eq!(
            parse_iso("2024-03-01 12:30:05.123456"),
            Some(1_709_296_205_123_456)
        );
        assert_eq!(parse_iso("2024-03-01T12:30"), Some(1_709_296_200_000_000));
        assert_eq!(parse_iso("1969-12-31T23:59:59.5Z"), Some(-500_000));
        assert_eq!(parse_iso("2024-02-30"), None);
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2024-13-01"), None);
        assert_eq!(parse_iso("yesterday"), None);
        assert_eq!(parse_iso(""), None);
    }

    #[test]
    fn formats_iso() {
        assert_eq!(format_iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_iso(-500_000), "1969-12-31T23:59:59.500Z");
        assert_eq!(
            format_iso(1_709_296_205_123_456),
            "2024-03-01T12:30:05.123Z"
        );
    }

    #[test]
    fn parses_durations_and_rejects_garbage() {
        assert_eq!(parse_duration("window", "7d").unwrap(), 7 * MICROS_PER_DAY);
        assert_eq!(
            parse_duration("window", "90m").unwrap(),
            90 * MICROS_PER_MINUTE
        );
        assert_eq!(
            parse_duration("window", "12h").unwrap(),
            12 * MICROS_PER_HOUR
        );
        assert_eq!(parse_duration("window", "4w").unwrap(), 28 * MICROS_PER_DAY);
        let err = parse_duration("window", "7 parsecs").unwrap_err();
        assert_eq!(err.code(), "bad_option");
        assert!(err.to_string().contains("window"));
        assert!(parse_duration("window", "d").is_err());
    }

    #[test]
    fn periods_number_days_iso_weeks_and_months() {
        let t = parse_iso("2024-03-06T15:00:00Z").unwrap(); // a Wednesday
        let monday = parse_iso("2024-03-04T00:00:00Z").unwrap();
        let w = Period::Week.index(t, 0);
        assert_eq!(Period::Week.start(w, 0), monday);
        assert_eq!(Period::Week.index(monday - 1, 0), w - 1);
        let m = Period::Month.index(t, 0);
        assert_eq!(Period::Month.start(m, 0), parse_iso("2024-03-01").unwrap());
        assert_eq!(
            Period::Month.start(m + 10, 0),
            parse_iso("2025-01-01").unwrap()
        );
        assert_eq!(
            Period::Day.start(Period::Day.index(t, 0), 0),
            parse_iso("2024-03-06").unwrap()
        );
        // 23:30 UTC is the next day in Seoul.
        let late = parse_iso("2024-03-06T23:30:00Z").unwrap();
        let seoul = parse_offset("+09:00").unwrap();
        assert_eq!(Period::Day.index(late, seoul), Period::Day.index(t, 0) + 1);
        assert_eq!(
            Period::Day.start(Period::Day.index(late, seoul), seoul),
            parse_iso("2024-03-07T00:00:00+09:00").unwrap()
        );
        assert_eq!(Period::Week.index(parse_iso("1969-12-29").unwrap(), 0), 0);
        assert_eq!(
            Period::parse("period", "fortnight").unwrap_err().code(),
            "bad_option"
        );
    }

    #[test]
    fn parses_offsets() {
        assert_eq!(parse_offset("+09:00"), Some(9 * MICROS_PER_HOUR));
        assert_eq!(
            parse_offset("-0530"),
            Some(-(5 * MICROS_PER_HOUR + 30 * MICROS_PER_MINUTE))
        );
        assert_eq!(parse_offset("Z"), Some(0));
        assert_eq!(parse_offset("+25:00"), None);
    }
}
