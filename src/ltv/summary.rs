//! The per-customer frequency / recency / T / monetary summary, exactly as the Python
//! `lifetimes` package's `summary_data_from_transaction_data` defines it: orders in the
//! same period (`period_unit`, default day) collapse into one purchase whose amount is
//! their sum; `frequency` = distinct periods - 1; `recency` = last - first purchase
//! period; `T` = calibration-end period - first purchase period, both in `unit`;
//! `monetary` = mean of the repeat periods' totals (0 without a repeat). Only orders in
//! periods up to and including the period of `calibration_end` count; customers whose
//! first order is later are left out.

use crate::data::output::{ResultColumn, ResultTable};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{format_iso, Period, MICROS_PER_DAY};

use super::require_orders;

/// Days in the `month` unit when a duration is not a whole number of calendar months:
/// the mean Gregorian month (365.2425 / 12), numpy's `timedelta64(1, 'M')`.
pub const DAYS_PER_MONTH: f64 = 365.2425 / 12.0;

/// How the summary is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryOptions {
    /// End of the calibration period (epoch microseconds); its whole period counts.
    /// `None`: the data's last timestamp (events or orders).
    pub calibration_end: Option<i64>,
    /// The unit of `recency` and `T` (lifetimes' `freq * freq_multiplier`).
    pub unit: Period,
    /// Orders in one such period collapse into one purchase (lifetimes' `freq`).
    pub period_unit: Period,
    /// Fixed UTC offset of the calendar, microseconds.
    pub offset: i64,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        SummaryOptions {
            calibration_end: None,
            unit: Period::Day,
            period_unit: Period::Day,
            offset: 0,
        }
    }
}

/// One customer's summary.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RfmRow {
    /// Dense customer number.
    pub customer: u32,
    /// Repeat purchase periods (distinct periods with an order, minus one).
    pub frequency: u32,
    /// From the first to the last purchase period, in `unit`.
    pub recency: f64,
    /// From the first purchase period to the calibration end period, in `unit`.
    pub t: f64,
    /// Mean total of the repeat periods (0 without a repeat).
    pub monetary: f64,
}

/// The summary of every customer with an order by the calibration end.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmSummary {
    /// One row per included customer, by customer number.
    pub rows: Vec<RfmRow>,
    /// The calibration end actually used (epoch microseconds).
    pub calibration_end: i64,
    /// Its period number in `period_unit`.
    pub calibration_period: i64,
    /// The options it was computed with.
    pub options: SummaryOptions,
}

/// `"day"`, `"week"` or `"month"`.
pub fn unit_name(unit: Period) -> &'static str {
    match unit {
        Period::Day => "day",
        Period::Week => "week",
        Period::Month => "month",
    }
}

/// Length of `unit` in microseconds, for durations that are not whole units.
fn unit_micros(unit: Period) -> f64 {
    match unit {
        Period::Day => MICROS_PER_DAY as f64,
        Period::Week => 7.0 * MICROS_PER_DAY as f64,
        Period::Month => DAYS_PER_MONTH * MICROS_PER_DAY as f64,
    }
}

/// The duration from period `from` to period `to` (numbers in `period_unit`) in `unit`:
/// whole periods when the units agree, else the time between the periods' starts.
pub fn duration(options: &SummaryOptions, from: i64, to: i64) -> f64 {
    if options.unit == options.period_unit {
        (to - from) as f64
    } else {
        let p = options.period_unit;
        let micros = p.start(to, options.offset) - p.start(from, options.offset);
        micros as f64 / unit_micros(options.unit)
    }
}

/// Checks the calibration end against the data and returns it with its period number.
/// Before the first order: no customer to summarise. After the data's last timestamp:
/// the days without data would read as days without purchases.
pub fn calibration_period(
    ds: &Dataset,
    options: &SummaryOptions,
    option: &str,
) -> Result<(i64, i64)> {
    require_orders(ds)?;
    let last = ds.time_span.map(|(_, last)| last).ok_or_else(|| {
        InsituError::EmptyInput("lifetime value needs orders; the orders table has no rows".into())
    })?;
    let end = options.calibration_end.unwrap_or(last);
    let p = options.period_unit;
    let end_period = p.index(end, options.offset);
    let first_order = (0..ds.num_customers())
        .filter_map(|c| ds.orders.rows(c).next().map(|r| ds.orders.time[r]))
        .min()
        .unwrap_or(last);
    if end_period < p.index(first_order, options.offset) {
        return Err(InsituError::bad_option(
            option,
            format!(
                "{} is before the first order ({}): no customer has a purchase by then",
                format_iso(end),
                format_iso(first_order)
            ),
        ));
    }
    if end_period > p.index(last, options.offset) {
        return Err(InsituError::bad_option(
            option,
            format!(
                "{} is after the data's last timestamp ({}): the time without data would count \
                 as time without purchases; leave it out to use the last timestamp",
                format_iso(end),
                format_iso(last)
            ),
        ));
    }
    Ok((end, end_period))
}

/// The lifetimes summary of every customer with an order in or before the calibration
/// end's period. Errors: no orders table (`empty_input`), a calibration end before the
/// first order or after the data (`bad_option` naming `calibrationEnd`).
pub fn rfm_summary(ds: &Dataset, options: &SummaryOptions) -> Result<RfmSummary> {
    let (calibration_end, end_period) = calibration_period(ds, options, "calibrationEnd")?;
    let p = options.period_unit;
    let mut rows = Vec::new();
    for c in 0..ds.num_customers() {
        let mut first: Option<i64> = None;
        let mut last = 0;
        let mut current = i64::MIN;
        let mut periods = 0u32;
        let mut repeat_total = 0.0;
        for r in ds.orders.rows(c) {
            let period = p.index(ds.orders.time[r], options.offset);
            if period > end_period {
                break; // rows are in time order
            }
            if period != current {
                current = period;
                periods += 1;
                first.get_or_insert(period);
                last = period;
            }
            if periods > 1 {
                repeat_total += ds.orders.amount[r];
            }
        }
        let Some(first) = first else { continue };
        let frequency = periods - 1;
        rows.push(RfmRow {
            customer: c as u32,
            frequency,
            recency: duration(options, first, last),
            t: duration(options, first, end_period),
            monetary: if frequency > 0 {
                repeat_total / f64::from(frequency)
            } else {
                0.0
            },
        });
    }
    Ok(RfmSummary {
        rows,
        calibration_end,
        calibration_period: end_period,
        options: *options,
    })
}

impl RfmSummary {
    /// The summary as a result table: `customer_id`, `frequency`, `recency`, `T`,
    /// `monetary_value` (lifetimes' column names).
    pub fn to_table(&self) -> ResultTable {
        ResultTable::default()
            .with(
                "customer_id",
                ResultColumn::Customers(self.rows.iter().map(|r| r.customer).collect()),
            )
            .with(
                "frequency",
                ResultColumn::UInt32(self.rows.iter().map(|r| r.frequency).collect()),
            )
            .with(
                "recency",
                ResultColumn::Float64(self.rows.iter().map(|r| r.recency).collect()),
            )
            .with(
                "T",
                ResultColumn::Float64(self.rows.iter().map(|r| r.t).collect()),
            )
            .with(
                "monetary_value",
                ResultColumn::Float64(self.rows.iter().map(|r| r.monetary).collect()),
            )
    }
}
