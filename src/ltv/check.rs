//! Does the model predict? Expected vs actual repeat purchases in a holdout period after
//! the calibration end, overall and by calibration frequency (the check `lifetimes`
//! draws with `plot_calibration_purchases_vs_holdout_purchases`). Holdout purchases are
//! counted like calibration ones: distinct periods (`periodUnit`) with an order.

use crate::json::ToJson;

use super::bgnbd::expected_purchases;
use super::fit::LtvModel;
use super::summary::{calibration_period, duration, rfm_summary};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{format_iso, MICROS_PER_MS};

/// Options of [`holdout_check`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// End of the holdout period (epoch microseconds), its whole period included;
    /// default the data's last timestamp.
    pub holdout_end: Option<i64>,
    /// Frequencies from this up share the last bucket (default 7: buckets 0..6 and 7+).
    pub max_frequency: u32,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            holdout_end: None,
            max_frequency: 7,
        }
    }
}

/// Customers with the same calibration frequency.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct HoldoutBucket {
    /// `"0"`, `"1"`, ..., or `"7+"` for the last bucket.
    pub frequency: String,
    /// Customers in it.
    pub customers: usize,
    /// Mean actual repeat purchases in the holdout.
    pub actual: f64,
    /// Mean expected repeat purchases in the holdout.
    pub expected: f64,
}

/// The holdout check.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct HoldoutCheck {
    /// Calibration end, epoch ms.
    pub calibration_end: i64,
    /// Holdout end, epoch ms.
    pub holdout_end: i64,
    /// Holdout length in the model's unit.
    pub duration: f64,
    /// Customers of the calibration summary.
    pub customers: usize,
    /// Actual repeat purchases in the holdout, all customers.
    pub actual: f64,
    /// Expected repeat purchases in the holdout, all customers.
    pub expected: f64,
    /// `expected / actual - 1` (`None` with no actual purchase): the aggregate error.
    pub relative_error: Option<f64>,
    /// Mean absolute difference per customer between expected and actual.
    pub mean_absolute_error: f64,
    /// By calibration frequency.
    pub buckets: Vec<HoldoutBucket>,
}

/// Compares expected and actual purchases after the calibration end. Errors
/// (`bad_option`): no holdout period (holdout end not after the calibration end's
/// period), a holdout end after the data, `maxFrequency` of 0; plus the model's errors.
pub fn holdout_check(
    ds: &Dataset,
    model: &LtvModel,
    options: &CheckOptions,
) -> Result<HoldoutCheck> {
    if options.max_frequency == 0 || options.max_frequency > 1000 {
        return Err(InsituError::bad_option(
            "maxFrequency",
            format!(
                "{} is not a bucket limit; use 1 to 1000",
                options.max_frequency
            ),
        ));
    }
    let summary_options = model.summary_options()?;
    let summary = rfm_summary(ds, &summary_options)?;
    let holdout_options = super::summary::SummaryOptions {
        calibration_end: options.holdout_end,
        ..summary_options
    };
    let (holdout_end, holdout_period) = calibration_period(ds, &holdout_options, "holdoutEnd")?;
    let p = summary_options.period_unit;
    if holdout_period <= summary.calibration_period {
        return Err(InsituError::bad_option(
            if options.holdout_end.is_some() {
                "holdoutEnd"
            } else {
                "calibrationEnd"
            },
            format!(
                "no holdout period: the holdout ends {} and the calibration {}, in the same or an \
                 earlier {}; fit with an earlier calibrationEnd to keep data for the check",
                format_iso(holdout_end),
                format_iso(summary.calibration_end),
                super::summary::unit_name(p)
            ),
        ));
    }
    let span = duration(&summary_options, summary.calibration_period, holdout_period);
    let buckets_n = options.max_frequency as usize + 1;
    let mut customers = vec![0usize; buckets_n];
    let mut actual_sum = vec![0.0; buckets_n];
    let mut expected_sum = vec![0.0; buckets_n];
    let mut abs_error = 0.0;
    for row in &summary.rows {
        let mut current = i64::MIN;
        let mut actual = 0u32;
        for r in ds.orders.rows(row.customer as usize) {
            let period = p.index(ds.orders.time[r], summary_options.offset);
            if period <= summary.calibration_period {
                continue;
            }
            if period > holdout_period {
                break;
            }
            if period != current {
                current = period;
                actual += 1;
            }
        }
        let expected = expected_purchases(
            &model.bgnbd,
            span,
            f64::from(row.frequency),
            row.recency,
            row.t,
        );
        let bucket = (row.frequency as usize).min(buckets_n - 1);
        customers[bucket] += 1;
        actual_sum[bucket] += f64::from(actual);
        expected_sum[bucket] += expected;
        abs_error += (expected - f64::from(actual)).abs();
    }
    let actual: f64 = actual_sum.iter().sum();
    let expected: f64 = expected_sum.iter().sum();
    let n = summary.rows.len();
    let buckets = (0..buckets_n)
        .filter(|&b| customers[b] > 0)
        .map(|b| HoldoutBucket {
            frequency: if b == buckets_n - 1 {
                format!("{b}+")
            } else {
                b.to_string()
            },
            customers: customers[b],
            actual: actual_sum[b] / customers[b] as f64,
            expected: expected_sum[b] / customers[b] as f64,
        })
        .collect();
    Ok(HoldoutCheck {
        calibration_end: summary.calibration_end.div_euclid(MICROS_PER_MS),
        holdout_end: holdout_end.div_euclid(MICROS_PER_MS),
        duration: span,
        customers: n,
        actual,
        expected,
        relative_error: (actual > 0.0).then(|| expected / actual - 1.0),
        mean_absolute_error: if n > 0 { abs_error / n as f64 } else { 0.0 },
        buckets,
    })
}
