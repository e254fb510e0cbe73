//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"; Hardie's note
//! 025): a customer's transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ) across
//! customers. Fitted on repeat buyers' mean repeat spend, as `lifetimes` does (its `v` is
//! our `gamma`).

use crate::json::{FromJson, ToJson};
use hashbrown::HashMap;

use super::optimize::{bfgs, standard_errors, unusable_fit, Objective, Settings};
use super::prepared::GammaGammaRows;
use super::special::{digamma, ln_gamma};
use super::summary::RfmRow;
use crate::error::{InsituError, Result};

/// Gamma-Gamma parameters.
#[derive(Debug, Clone, Copy, PartialEq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct GammaGammaParams {
    /// Shape of each transaction value's Gamma distribution.
    pub p: f64,
    /// Shape of the distribution of the customers' scale ν.
    pub q: f64,
    /// Rate of the distribution of ν (`v` in `lifetimes`).
    pub gamma: f64,
}

impl GammaGammaParams {
    /// Whether every parameter is finite and positive, and `q > 1` (a finite mean spend).
    pub fn is_valid(&self) -> bool {
        [self.p, self.q, self.gamma]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
            && self.q > 1.0
    }

    /// E[mean spend | x repeat purchases averaging m]: a weighted average of the
    /// customer's own mean and the population mean `p γ / (q - 1)` (eq. 5 of note 025;
    /// `lifetimes`' `conditional_expected_average_profit`). Without repeats, the
    /// population mean.
    pub fn expected_spend(&self, x: f64, m: f64) -> f64 {
        let population = self.p * self.gamma / (self.q - 1.0);
        if x <= 0.0 {
            return population;
        }
        let w = self.p * x / (self.p * x + self.q - 1.0);
        (1.0 - w) * population + w * m
    }
}

/// One distinct (x, m) pair and how many customers share it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Repeat purchases (> 0).
    pub x: f64,
    /// Mean repeat spend (> 0).
    pub m: f64,
    /// Customers with this pair.
    pub weight: f64,
}

/// The rows the model is fitted on: repeat buyers with a positive mean repeat spend,
/// grouped by identical (x, m).
pub fn group_rows(rows: &[RfmRow]) -> Vec<Row> {
    let mut index: HashMap<(u32, u64), usize> = HashMap::new();
    let mut out: Vec<Row> = Vec::new();
    for r in rows
        .iter()
        .filter(|r| r.frequency > 0 && r.monetary > 0.0 && r.monetary.is_finite())
    {
        let key = (r.frequency, r.monetary.to_bits());
        match index.get(&key) {
            Some(&i) => out[i].weight += 1.0,
            None => {
                index.insert(key, out.len());
                out.push(Row {
                    x: f64::from(r.frequency),
                    m: r.monetary,
                    weight: 1.0,
                });
            }
        }
    }
    out
}

/// Log-likelihood of one (x, m) row and its gradient in `(p, q, gamma)`.
pub fn row_log_likelihood(params: &GammaGammaParams, row: &Row) -> (f64, [f64; 3]) {
    let GammaGammaParams { p, q, gamma: v } = *params;
    let Row { x, m, .. } = *row;
    let px = p * x;
    let xm_v = x * m + v;
    let ll = ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q)
        + q * v.ln()
        + (px - 1.0) * m.ln()
        + px * x.ln()
        - (px + q) * xm_v.ln();
    let dp = x * (digamma(px + q) - digamma(px) + m.ln() + x.ln() - xm_v.ln());
    let dq = digamma(px + q) - digamma(q) + v.ln() - xm_v.ln();
    let dv = q / v - (px + q) / xm_v;
    (ll, [dp, dq, dv])
}

/// Total log-likelihood of `rows` at `params`.
pub fn log_likelihood(params: &GammaGammaParams, rows: &[Row]) -> f64 {
    rows.iter()
        .map(|r| r.weight * row_log_likelihood(params, r).0)
        .sum()
}

/// Mean negative log-likelihood plus `penalizer * Σ θ²` over log parameters.
struct Likelihood {
    rows: GammaGammaRows,
    total_weight: f64,
    penalizer: f64,
}

impl Objective for Likelihood {
    fn value_and_gradient(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        let values = [x[0].exp(), x[1].exp(), x[2].exp()];
        if !values.iter().all(|v| v.is_finite() && *v > 0.0) {
            return None;
        }
        let params = GammaGammaParams {
            p: values[0],
            q: values[1],
            gamma: values[2],
        };
        let (ll, grad) = self.rows.log_likelihood(&params);
        let penalty: f64 = values.iter().map(|v| v * v).sum::<f64>() * self.penalizer;
        let value = -ll / self.total_weight + penalty;
        let gradient: Vec<f64> = (0..3)
            .map(|i| {
                -values[i] * grad[i] / self.total_weight + 2.0 * self.penalizer * values[i].powi(2)
            })
            .collect();
        (value.is_finite() && gradient.iter().all(|g| g.is_finite())).then_some((value, gradient))
    }
}

/// A converged Gamma-Gamma fit.
#[derive(Debug, Clone, PartialEq)]
pub struct GammaGammaFit {
    /// The parameters.
    pub params: GammaGammaParams,
    /// Total log-likelihood (without the penalty).
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Standard errors of `(p, q, gamma)`, `None` when the Hessian is not positive definite.
    pub standard_errors: Option<[f64; 3]>,
    /// Customers it was fitted on.
    pub customers: usize,
}

const START: f64 = 0.1;

/// Fits the model on repeat buyers' (x, m) rows. `NoConvergence` with the reason when
/// there are fewer than 2 such customers, the optimiser fails or stays at its start, a
/// parameter runs off, or `q <= 1` (no finite mean spend, so no spend prediction).
pub fn fit(rows: &[Row], penalizer: f64) -> Result<GammaGammaFit> {
    let total_weight: f64 = rows.iter().map(|r| r.weight).sum();
    if total_weight < 2.0 {
        return Err(InsituError::NoConvergence(format!(
            "Gamma-Gamma needs repeat buyers with a positive mean repeat spend; there {}",
            if total_weight == 1.0 {
                "is only one".to_owned()
            } else {
                "are none".to_owned()
            }
        )));
    }
    let objective = Likelihood {
        rows: GammaGammaRows::new(rows),
        total_weight,
        penalizer,
    };
    let starts = [[START; 3], [0.0, 0.0, 0.0], [1.0, 1.0, 2.0]];
    // The first start is lifetimes' own; its failure is the one reported.
    let mut failures: Vec<String> = Vec::new();
    for start in starts {
        let m = bfgs(&objective, &start, Settings::default());
        let hint =
            (penalizer == 0.0).then_some("a spendPenalizer such as 0.001 keeps parameters finite");
        if let Some(failure) = unusable_fit(
            &m,
            &start,
            &["p", "q", "gamma"],
            "spend varies too little or too few repeat buyers",
            hint,
        ) {
            failures.push(failure);
            continue;
        }
        let params = GammaGammaParams {
            p: m.x[0].exp(),
            q: m.x[1].exp(),
            gamma: m.x[2].exp(),
        };
        if params.q <= 1.0 {
            return Err(InsituError::NoConvergence(format!(
                "Gamma-Gamma: q = {:.4} <= 1, so the fitted spend distribution has no finite \
                 mean and cannot predict spend (a few very large repeat purchases?)",
                params.q
            )));
        }
        let log_likelihood = objective.rows.log_likelihood(&params).0;
        if !params.is_valid() || !log_likelihood.is_finite() {
            failures.push("the fitted parameters give a non-finite likelihood".into());
            continue;
        }
        let values = [params.p, params.q, params.gamma];
        let standard_errors = standard_errors(&objective, &m.x, values, total_weight);
        return Ok(GammaGammaFit {
            params,
            log_likelihood,
            iterations: m.iterations,
            standard_errors,
            customers: total_weight as usize,
        });
    }
    Err(InsituError::NoConvergence(format!(
        "Gamma-Gamma: {}",
        failures.first().map_or("", |f| f.as_str())
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ltv::gradient_check::assert_gradient;

    #[test]
    fn gradient_matches_finite_differences() {
        let params = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let row = Row {
            x: 3.0,
            m: 27.5,
            weight: 1.0,
        };
        let (_, g) = row_log_likelihood(&params, &row);
        let v = [params.p, params.q, params.gamma];
        assert_gradient(v, &g, |v| {
            let p = GammaGammaParams {
                p: v[0],
                q: v[1],
                gamma: v[2],
            };
            row_log_likelihood(&p, &row).0
        });
    }

    #[test]
    fn expected_spend_shrinks_towards_the_population_mean() {
        let params = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let population = 6.25 * 15.44 / 2.74;
        assert!((params.expected_spend(0.0, 0.0) - population).abs() < 1e-12);
        let e = params.expected_spend(10.0, 50.0);
        assert!(e > population && e < 50.0);
    }
}
