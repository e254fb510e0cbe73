//! `fitLtv`: the RFM summary at a calibration end, then BG/NBD on every customer and
//! Gamma-Gamma on repeat buyers. The result carries an [`LtvModel`]: everything needed to
//! predict later (parameters, calibration end, units), so it can be stored as JSON and
//! handed back.

use crate::json::{FromJson, ToJson};

use super::bgnbd::{self, BgNbdParams};
use super::gamma_gamma::{self, GammaGammaParams};
use super::summary::{rfm_summary, RfmSummary, SummaryOptions};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{parse_offset, Period, MICROS_PER_MS};

/// The purchase model. Only BG/NBD for now; Pareto/NBD would be another variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
pub enum ModelKind {
    /// Beta-geometric / negative binomial distribution model.
    #[default]
    #[json(rename = "bgnbd")]
    BgNbd,
}

/// A fitted model: what predictions need, serialisable (camelCase JSON).
#[derive(Debug, Clone, PartialEq, ToJson, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct LtvModel {
    /// The purchase model.
    #[json(default)]
    pub model: ModelKind,
    /// Calibration end, epoch milliseconds.
    pub calibration_end: i64,
    /// Time unit of the parameters (recency, T and `alpha`).
    pub unit: Period,
    /// Orders within one such period are one purchase.
    pub period_unit: Period,
    /// Fixed UTC offset of the calendar (`"+09:00"`), if not UTC.
    #[json(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// BG/NBD parameters.
    pub bgnbd: BgNbdParams,
    /// Gamma-Gamma parameters (`None` when no spend model was fitted).
    #[json(default)]
    pub gamma_gamma: Option<GammaGammaParams>,
}

impl LtvModel {
    /// The summary options the model was fitted with. Errors name the option `model`.
    pub fn summary_options(&self) -> Result<SummaryOptions> {
        let offset = match &self.timezone {
            None => 0,
            Some(tz) => parse_offset(tz).ok_or_else(|| {
                InsituError::bad_option("model", format!("timezone \"{tz}\" is not a UTC offset"))
            })?,
        };
        if !self.bgnbd.is_valid() {
            return Err(InsituError::bad_option(
                "model",
                "bgnbd parameters r, alpha, a, b must be positive numbers",
            ));
        }
        if let Some(gg) = &self.gamma_gamma {
            if !gg.is_valid() {
                return Err(InsituError::bad_option(
                    "model",
                    "gammaGamma parameters p, q, gamma must be positive numbers with q > 1",
                ));
            }
        }
        let calibration_end = self
            .calibration_end
            .checked_mul(MICROS_PER_MS)
            .ok_or_else(|| InsituError::bad_option("model", "calibrationEnd is out of range"))?;
        Ok(SummaryOptions {
            calibration_end: Some(calibration_end),
            unit: self.unit,
            period_unit: self.period_unit,
            offset,
        })
    }
}

/// Options of [`fit_ltv`].
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// How the RFM summary is made.
    pub summary: SummaryOptions,
    /// The `timezone` text behind `summary.offset`, kept in the model.
    pub timezone: Option<String>,
    /// L2 penalty on the BG/NBD parameters (`lifetimes`' `penalizer_coef`), >= 0.
    pub penalizer: f64,
    /// L2 penalty on the Gamma-Gamma parameters, >= 0. Separate because the spend
    /// parameters live on the money scale (γ is often 10 or more), where a penalty meant
    /// for BG/NBD would dominate the fit.
    pub spend_penalizer: f64,
    /// Fit the Gamma-Gamma spend model too.
    pub spend: bool,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            summary: SummaryOptions::default(),
            timezone: None,
            penalizer: 0.0,
            spend_penalizer: 0.0,
            spend: true,
        }
    }
}

/// Log-likelihoods, iterations or standard errors per model.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct PerModel<A, B> {
    /// BG/NBD.
    pub bgnbd: A,
    /// Gamma-Gamma (`None` without a spend model).
    pub gamma_gamma: Option<B>,
}

/// The result of [`fit_ltv`].
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct LtvFit {
    /// The model, for predictions.
    #[json(flatten)]
    pub model: LtvModel,
    /// Total log-likelihood of each fit (without the penalty).
    pub log_likelihood: PerModel<f64, f64>,
    /// Optimiser iterations of each fit.
    pub iterations: PerModel<usize, usize>,
    /// Always true: a fit that does not converge is an error.
    pub converged: bool,
    /// Standard errors from the inverse Hessian; `None` where it is not positive definite.
    pub standard_errors: PerModel<Option<BgNbdParams>, Option<GammaGammaParams>>,
    /// The BG/NBD penalizer used.
    pub penalizer: f64,
    /// The Gamma-Gamma penalizer used.
    pub spend_penalizer: f64,
    /// Customers in the calibration summary.
    pub customers: usize,
    /// Of those, customers with a repeat purchase.
    pub repeat_buyers: usize,
    /// Distinct (frequency, recency, T) histories the BG/NBD likelihood was summed over.
    pub distinct_histories: usize,
    /// Customers the Gamma-Gamma model was fitted on (repeat buyers with positive spend).
    pub spend_customers: Option<usize>,
}

/// Fits BG/NBD (and Gamma-Gamma) on the summary at the calibration end. Errors:
/// `bad_option` for a negative penalizer or a calibration end outside the data;
/// `no_convergence` with the reason when a fit fails; `empty_input` without orders.
pub fn fit_ltv(ds: &Dataset, options: &FitOptions) -> Result<LtvFit> {
    for (name, value) in [
        ("penalizer", options.penalizer),
        ("spendPenalizer", options.spend_penalizer),
    ] {
        if !(value.is_finite() && value >= 0.0) {
            return Err(InsituError::bad_option(
                name,
                format!(
                    "{value} is not a penalizer; use a number >= 0 (0 = none; 0.001 to 0.1 \
                     tames unstable fits)"
                ),
            ));
        }
    }
    let summary = rfm_summary(ds, &options.summary)?;
    fit_summary(&summary, options)
}

/// Fits the models on an existing summary (see [`fit_ltv`]).
pub fn fit_summary(summary: &RfmSummary, options: &FitOptions) -> Result<LtvFit> {
    let rows = bgnbd::group_rows(&summary.rows);
    let bg = bgnbd::fit(&rows, options.penalizer)?;
    let gg = if options.spend {
        let gg_rows = gamma_gamma::group_rows(&summary.rows);
        let fitted = gamma_gamma::fit(&gg_rows, options.spend_penalizer).map_err(|e| match e {
            InsituError::NoConvergence(reason) => InsituError::NoConvergence(format!(
                "{reason} (spend: \"none\" fits the purchase model alone)"
            )),
            other => other,
        })?;
        Some(fitted)
    } else {
        None
    };
    let se_bg = bg.standard_errors.map(|s| BgNbdParams {
        r: s[0],
        alpha: s[1],
        a: s[2],
        b: s[3],
    });
    let se_gg = gg.as_ref().map(|g| {
        g.standard_errors.map(|s| GammaGammaParams {
            p: s[0],
            q: s[1],
            gamma: s[2],
        })
    });
    Ok(LtvFit {
        model: LtvModel {
            model: ModelKind::BgNbd,
            calibration_end: summary.calibration_end.div_euclid(MICROS_PER_MS),
            unit: summary.options.unit,
            period_unit: summary.options.period_unit,
            timezone: options.timezone.clone(),
            bgnbd: bg.params,
            gamma_gamma: gg.as_ref().map(|g| g.params),
        },
        log_likelihood: PerModel {
            bgnbd: bg.log_likelihood,
            gamma_gamma: gg.as_ref().map(|g| g.log_likelihood),
        },
        iterations: PerModel {
            bgnbd: bg.iterations,
            gamma_gamma: gg.as_ref().map(|g| g.iterations),
        },
        converged: true,
        standard_errors: PerModel {
            bgnbd: se_bg,
            gamma_gamma: se_gg,
        },
        penalizer: options.penalizer,
        spend_penalizer: options.spend_penalizer,
        customers: summary.rows.len(),
        repeat_buyers: summary.rows.iter().filter(|r| r.frequency > 0).count(),
        distinct_histories: rows.len(),
        spend_customers: gg.as_ref().map(|g| g.customers),
    })
}
