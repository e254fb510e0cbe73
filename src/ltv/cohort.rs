//! Cohort LTV curves: for each acquisition cohort (customers acquired in the same day,
//! week or month), the cumulative revenue (or margin) per customer by periods since
//! acquisition. Cells in the future of the data's last timestamp are `None` (null).

use crate::json::ToJson;

use crate::data::properties::NULL_TIME;
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{Period, MICROS_PER_MS};

pub use super::groups::Acquisition;
use super::groups::{acquisition_times, check_acquisition, period_label};
use super::margin::Margin;
use super::require_orders;

/// Most periods a curve may have.
pub const MAX_PERIODS: usize = 1_000;

/// Options of [`cohort_ltv`].
#[derive(Debug, Clone, PartialEq)]
pub struct CohortOptions {
    /// The cohort and offset period (default month).
    pub period: Period,
    /// Offsets 0..periods (default 12).
    pub periods: usize,
    /// Cohort by first order (default) or signup.
    pub acquisition: Acquisition,
    /// Margin instead of revenue.
    pub margin: Option<Margin>,
    /// Fixed UTC offset of the calendar, microseconds.
    pub offset: i64,
}

impl Default for CohortOptions {
    fn default() -> Self {
        CohortOptions {
            period: Period::Month,
            periods: 12,
            acquisition: Acquisition::FirstOrder,
            margin: None,
            offset: 0,
        }
    }
}

/// One cohort's curve.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct CohortRow {
    /// Label of the cohort period, e.g. `2024-03` (months) or `2024-03-04` (days, weeks).
    pub cohort: String,
    /// Start of the cohort period, epoch milliseconds.
    pub start: i64,
    /// Customers acquired in it.
    pub customers: usize,
    /// Cumulative value per customer at offsets 0..periods (offset 0 = the acquisition
    /// period itself); `None` where the period lies after the data's last timestamp.
    pub values: Vec<Option<f64>>,
}

/// Cohort LTV curves.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct CohortLtv {
    /// The period.
    pub period: Period,
    /// How cohorts were formed.
    pub acquisition: Acquisition,
    /// `"revenue"` or `"margin"`.
    pub value: &'static str,
    /// Cohorts in time order.
    pub cohorts: Vec<CohortRow>,
    /// The customer-weighted mean curve over the cohorts that have each offset.
    pub average: Vec<Option<f64>>,
}

/// Cumulative value per customer by cohort and periods since acquisition. Orders before
/// a customer's acquisition (possible with signup cohorts only through clock skew)
/// count in offset 0. Errors (`bad_option`): `periods` outside 1..=1000, a bad margin,
/// `acquisition: "signup"` without signup times; `empty_input` without orders.
pub fn cohort_ltv(ds: &Dataset, options: &CohortOptions) -> Result<CohortLtv> {
    require_orders(ds)?;
    check_acquisition(ds, options.acquisition)?;
    if !(1..=MAX_PERIODS).contains(&options.periods) {
        return Err(InsituError::bad_option(
            "periods",
            format!(
                "{} is not a number of periods; use 1 to {MAX_PERIODS}",
                options.periods
            ),
        ));
    }
    let margin = options
        .margin
        .as_ref()
        .map(|m| m.resolve(ds, "margin"))
        .transpose()?;
    let last = ds.time_span.map(|(_, last)| last).unwrap_or(0);
    let p = options.period;
    let last_period = p.index(last, options.offset);
    let acquired = acquisition_times(ds, options.acquisition, last);

    // Cohort period numbers present, then one row of per-offset sums per cohort.
    let mut cohort_of: Vec<Option<i64>> = acquired
        .iter()
        .map(|&t| (t != NULL_TIME).then(|| p.index(t, options.offset)))
        .collect();
    let mut distinct: Vec<i64> = cohort_of.iter().flatten().copied().collect();
    distinct.sort_unstable();
    distinct.dedup();
    let k = options.periods;
    let mut sums = vec![vec![0.0; k]; distinct.len()];
    let mut sizes = vec![0usize; distinct.len()];
    for (c, cohort) in cohort_of.iter_mut().enumerate() {
        let Some(cohort) = *cohort else { continue };
        let Ok(row) = distinct.binary_search(&cohort) else {
            continue;
        };
        sizes[row] += 1;
        for r in ds.orders.rows(c) {
            let offset = (p.index(ds.orders.time[r], options.offset) - cohort).max(0);
            if offset >= k as i64 {
                break; // rows are in time order
            }
            let amount = ds.orders.amount[r];
            let value = match &margin {
                Some(m) => m.of(r, amount),
                None => amount,
            };
            sums[row][offset as usize] += value;
        }
    }

    let mut weighted = vec![0.0; k];
    let mut weights = vec![0usize; k];
    let cohorts: Vec<CohortRow> = distinct
        .iter()
        .enumerate()
        .map(|(row, &cohort)| {
            let n = sizes[row];
            let mut running = 0.0;
            let values = (0..k)
                .map(|offset| {
                    running += sums[row][offset];
                    if cohort + offset as i64 > last_period {
                        return None;
                    }
                    let v = running / n as f64;
                    weighted[offset] += running;
                    weights[offset] += n;
                    Some(v)
                })
                .collect();
            CohortRow {
                cohort: period_label(p, cohort, options.offset),
                start: p.start(cohort, options.offset).div_euclid(MICROS_PER_MS),
                customers: n,
                values,
            }
        })
        .collect();
    let average = (0..k)
        .map(|i| (weights[i] > 0).then(|| weighted[i] / weights[i] as f64))
        .collect();
    Ok(CohortLtv {
        period: p,
        acquisition: options.acquisition,
        value: if margin.is_some() {
            "margin"
        } else {
            "revenue"
        },
        cohorts,
        average,
    })
}
