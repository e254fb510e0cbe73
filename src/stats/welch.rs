//! Welch's t-test for a difference of means with unequal variances, e.g. revenue per
//! user between variants. Takes summary statistics or raw values.

use crate::json::{FromJson, ToJson};

use super::check::{finite, open_unit, show};
use super::distributions::{t_quantile, t_sf};
use super::intervals::Estimate;
use crate::error::{InsituError, Result};

/// One sample: raw `values`, or `n`, `mean` and `sd` (the sample standard deviation,
/// divisor n - 1).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct SampleInput {
    /// Raw observations (null entries are rejected).
    pub values: Option<Vec<Option<f64>>>,
    /// Number of observations.
    pub n: Option<f64>,
    /// Mean.
    pub mean: Option<f64>,
    /// Sample standard deviation.
    pub sd: Option<f64>,
}

/// Options of the standalone Welch test.
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct WelchOptions {
    /// The baseline sample.
    pub control: Option<SampleInput>,
    /// The sample compared with it.
    pub treatment: Option<SampleInput>,
    /// Significance level, default 0.05 (the interval is at `1 - alpha`).
    pub alpha: Option<f64>,
}

/// Summary statistics of one sample.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
pub struct Summary {
    /// Number of observations.
    pub n: f64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (divisor n - 1).
    pub sd: f64,
}

impl Summary {
    /// The summary of raw values (two-pass, for accuracy).
    pub fn of(values: &[f64]) -> Summary {
        let n = values.len() as f64;
        if values.is_empty() {
            return Summary {
                n,
                mean: f64::NAN,
                sd: f64::NAN,
            };
        }
        let mean = values.iter().sum::<f64>() / n;
        let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
        Summary {
            n,
            mean,
            sd: if n > 1.0 {
                (ss / (n - 1.0)).sqrt()
            } else {
                f64::NAN
            },
        }
    }
}

/// A Welch test of `treatment` against `control`.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct WelchResult {
    /// `(mean_t - mean_c) / se`.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Whether `p_value < alpha`.
    pub significant: bool,
    /// `mean_t - mean_c` with its `1 - alpha` interval.
    pub difference: Estimate,
    /// `(mean_t - mean_c) / mean_c` (null when the control mean is 0).
    pub lift: f64,
    /// The control sample.
    pub control: Summary,
    /// The treatment sample.
    pub treatment: Summary,
}

/// Welch's test on two summaries at level `alpha`. Needs two observations per sample;
/// with zero variance in both, `t` is undefined (null) and `p` is 1 for equal means and
/// 0 otherwise.
pub fn welch(control: Summary, treatment: Summary, alpha: f64) -> WelchResult {
    let v1 = control.sd * control.sd / control.n;
    let v2 = treatment.sd * treatment.sd / treatment.n;
    let se = (v1 + v2).sqrt();
    let diff = treatment.mean - control.mean;
    let df = (v1 + v2).powi(2) / (v1 * v1 / (control.n - 1.0) + v2 * v2 / (treatment.n - 1.0));
    let (t, p_value, half) = if se > 0.0 {
        let t = diff / se;
        let p = (2.0 * t_sf(t.abs(), df)).min(1.0);
        (t, p, t_quantile(1.0 - 0.5 * alpha, df) * se)
    } else if se == 0.0 {
        (f64::NAN, if diff == 0.0 { 1.0 } else { 0.0 }, 0.0)
    } else {
        (f64::NAN, f64::NAN, f64::NAN)
    };
    WelchResult {
        t,
        df,
        p_value,
        significant: p_value < alpha,
        difference: Estimate {
            estimate: diff,
            low: diff - half,
            high: diff + half,
        },
        lift: if control.mean != 0.0 {
            diff / control.mean
        } else {
            f64::NAN
        },
        control,
        treatment,
    }
}

/// The standalone test: validates the options and runs [`welch`].
pub fn welch_test(options: &WelchOptions) -> Result<WelchResult> {
    let alpha = open_unit("alpha", options.alpha.unwrap_or(0.05))?;
    let control = sample("control", options.control.as_ref())?;
    let treatment = sample("treatment", options.treatment.as_ref())?;
    Ok(welch(control, treatment, alpha))
}

fn sample(option: &str, input: Option<&SampleInput>) -> Result<Summary> {
    let input = input.ok_or_else(|| {
        InsituError::bad_option(
            option,
            "missing; give an array of values or { n, mean, sd }",
        )
    })?;
    let summary = match (&input.values, input.n, input.mean, input.sd) {
        (Some(values), None, None, None) => {
            let mut clean = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                match v {
                    Some(x) if x.is_finite() => clean.push(*x),
                    _ => {
                        return Err(InsituError::bad_option(
                            format!("{option}[{i}]"),
                            "is not a finite number",
                        ))
                    }
                }
            }
            Summary::of(&clean)
        }
        (None, Some(n), Some(mean), Some(sd)) => {
            if !(n.is_finite() && n.fract() == 0.0) {
                return Err(InsituError::bad_option(
                    format!("{option}.n"),
                    format!("{} is not a whole number", show(n)),
                ));
            }
            let sd = finite(&format!("{option}.sd"), sd)?;
            if sd < 0.0 {
                return Err(InsituError::bad_option(
                    format!("{option}.sd"),
                    format!("{sd} is negative"),
                ));
            }
            Summary {
                n,
                mean: finite(&format!("{option}.mean"), mean)?,
                sd,
            }
        }
        _ => {
            return Err(InsituError::bad_option(
                option,
                "give either an array of values or all of n, mean and sd",
            ))
        }
    };
    if summary.n < 2.0 {
        return Err(InsituError::bad_option(
            option,
            format!(
                "{} observations; Welch's test needs at least 2 per sample",
                summary.n
            ),
        ));
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_values_and_summaries_agree() {
        let a = Summary::of(&[1.0, 2.0, 3.0, 4.0]);
        assert!((a.mean - 2.5).abs() < 1e-15);
        assert!((a.sd - (5.0_f64 / 3.0).sqrt()).abs() < 1e-15);
        let r = welch(a, Summary::of(&[2.0, 4.0, 6.0, 8.0, 10.0]), 0.05);
        assert!(r.t > 0.0 && r.p_value < 0.1 && r.difference.low < r.difference.high);
    }

    #[test]
    fn rejects_too_small_samples() {
        let o = WelchOptions {
            control: Some(SampleInput {
                values: Some(vec![Some(1.0)]),
                ..Default::default()
            }),
            treatment: Some(SampleInput {
                values: Some(vec![Some(1.0), Some(2.0)]),
                ..Default::default()
            }),
            alpha: None,
        };
        let e = welch_test(&o).unwrap_err();
        assert!(e.to_string().contains("control"));
    }
}
