//! Seasonality: how busy the shop is on each day (weekends, the November sales, the
//! December gift season) and hour, and when new visitors arrive (a growing business).

use super::labels::HOUR_WEIGHTS;
use crate::time::civil_from_days;

/// Milliseconds in a second, minute, hour and day.
pub(crate) const SECOND: i64 = 1_000;
pub(crate) const MINUTE: i64 = 60 * SECOND;
pub(crate) const HOUR: i64 = 60 * MINUTE;
pub(crate) const DAY: i64 = 24 * HOUR;

/// Per-day activity multipliers and the arrival distribution of one generation period.
#[derive(Debug)]
pub(crate) struct Calendar {
    /// UTC day number (days since 1970-01-01) of `activity[0]`.
    base_day: i64,
    /// Day multiplier x hour weight, per UTC day then hour (local time indexes it).
    activity: Vec<f64>,
    /// The largest value in `activity`.
    max_activity: f64,
    /// Cumulative arrival weight per period day (period days count from `start`).
    arrival_cdf: Vec<f64>,
}

/// How busy a UTC calendar day is relative to an ordinary weekday.
fn day_multiplier(day: i64) -> f64 {
    let weekday = (day + 4).rem_euclid(7); // 0 = Sunday
    let week = match weekday {
        0 => 1.3,
        6 => 1.25,
        5 => 1.0,
        _ => 0.93,
    };
    let (_, month, dom) = civil_from_days(day);
    let season = match (month, dom) {
        (11, 11..=30) => 1.3,   // 11.11 and Black Friday
        (12, 1..=23) => 1.5,    // gift season
        (12, _) => 1.15,        // between the holidays
        (1, 1..=10) => 1.1,     // new-year sales
        (2, _) => 0.9,          // quiet month
        (7, _) | (8, _) => 1.0, // summer sale
        (9, 10..=20) => 1.1,    // Chuseok gifts (roughly)
        _ => 0.95,
    };
    week * season
}

impl Calendar {
    /// Tables for the period `[start, start + days)`.
    pub(crate) fn new(start: i64, days: u32) -> Self {
        // One spare day on each side: local times run up to 14 h either side of UTC.
        let base_day = start.div_euclid(DAY) - 1;
        let n_days = days as usize + 3;
        let mut activity = Vec::with_capacity(n_days * 24);
        for i in 0..n_days as i64 {
            let m = day_multiplier(base_day + i);
            activity.extend(HOUR_WEIGHTS.iter().map(|h| m * h));
        }
        let max_activity = activity.iter().fold(0.0f64, |a, &b| a.max(b));
        let mut arrival_cdf = Vec::with_capacity(days as usize);
        let mut total = 0.0;
        for d in 0..days as i64 {
            // Acquisition grows over the period (x2.2 from first to last day) and follows
            // the same seasonality, a little amplified (campaigns, gift shoppers).
            let growth = 1.0 + 1.2 * d as f64 / days as f64;
            let m = day_multiplier((start + d * DAY).div_euclid(DAY));
            total += growth * m * m;
            arrival_cdf.push(total);
        }
        Calendar {
            base_day,
            activity,
            max_activity,
            arrival_cdf,
        }
    }

    /// Relative activity at a local timestamp (epoch ms shifted by the UTC offset).
    #[inline]
    pub(crate) fn activity(&self, local_ms: i64) -> f64 {
        let hour = (local_ms.div_euclid(HOUR) - self.base_day * 24).max(0) as usize;
        self.activity
            .get(hour)
            .copied()
            .unwrap_or(self.max_activity)
    }

    /// The largest [`Calendar::activity`] value (the thinning bound).
    #[inline]
    pub(crate) fn max_activity(&self) -> f64 {
        self.max_activity
    }

    /// The period day on which a visitor with arrival quantile `u` in [0, 1) arrives.
    pub(crate) fn arrival_day(&self, u: f64) -> usize {
        let total = self.arrival_cdf.last().copied().unwrap_or(0.0);
        let x = u * total;
        self.arrival_cdf
            .partition_point(|&c| c <= x)
            .min(self.arrival_cdf.len().saturating_sub(1))
    }
}

/// A local hour of day drawn from [`HOUR_WEIGHTS`].
pub(crate) fn pick_hour(rng: &mut super::rng::Rng) -> i64 {
    rng.pick(&HOUR_WEIGHTS) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    const JAN_1_2024: i64 = 1_704_067_200_000; // a Monday

    #[test]
    fn weekends_and_december_are_busier() {
        let monday = JAN_1_2024.div_euclid(DAY) + 14; // 2024-01-15, outside new-year sales
        assert!(day_multiplier(monday + 5) > day_multiplier(monday)); // Saturday
        assert!(day_multiplier(monday + 6) > day_multiplier(monday + 5)); // Sunday
        let dec_4 = monday + 324; // 2024-12-04, a Wednesday
        assert!(day_multiplier(dec_4) > 1.3 * day_multiplier(monday + 2));
    }

    #[test]
    fn arrivals_cover_the_period_and_grow() {
        let cal = Calendar::new(JAN_1_2024, 365);
        assert_eq!(cal.arrival_day(0.0), 0);
        assert_eq!(cal.arrival_day(0.999_999_9), 364);
        // Growth: the second half of the year gets more than half of the arrivals.
        assert!(cal.arrival_day(0.5) > 190, "{}", cal.arrival_day(0.5));
        // Evening is busier than 4 am (KST = UTC+9).
        let t = JAN_1_2024 + 20 * DAY;
        assert!(cal.activity(t + 20 * HOUR) > 5.0 * cal.activity(t + 4 * HOUR));
        assert!(cal.activity(t) <= cal.max_activity());
    }
}
