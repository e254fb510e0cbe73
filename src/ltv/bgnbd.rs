//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting your customers the easy way"):
//! while alive a customer buys at Poisson rate λ ~ Gamma(r, α) and after each purchase
//! drops out with probability p ~ Beta(a, b). Maximum likelihood over log parameters,
//! with time scaled so that the oldest customer's `T` is 1 (as the `lifetimes` package
//! does, which also makes its `penalizer` comparable); identical `(x, t_x, T)` rows are
//! grouped, so a fit costs per distinct row, not per customer.

use crate::json::{FromJson, ToJson};
use hashbrown::HashMap;

use super::optimize::{bfgs, standard_errors, unusable_fit, Objective, Settings};
use super::prepared::BgNbdRows;
use super::special::{beta_expectation, digamma, exprel, ln_gamma};
use super::summary::RfmRow;
use crate::error::{InsituError, Result};

/// BG/NBD parameters: purchase rates λ ~ Gamma(shape `r`, rate `alpha`), dropout
/// probabilities p ~ Beta(`a`, `b`); `alpha` is in the model's time unit.
#[derive(Debug, Clone, Copy, PartialEq, ToJson, FromJson)]
#[json(deny_unknown_fields)]
pub struct BgNbdParams {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Rate (scale in time units) of the purchase-rate distribution.
    pub alpha: f64,
    /// First shape of the dropout-probability distribution.
    pub a: f64,
    /// Second shape of the dropout-probability distribution.
    pub b: f64,
}

impl BgNbdParams {
    /// Whether every parameter is finite and positive (usable for predictions).
    pub fn is_valid(&self) -> bool {
        [self.r, self.alpha, self.a, self.b]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    }
}

/// One distinct customer history and how many customers share it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Repeat purchases.
    pub x: f64,
    /// Recency.
    pub t_x: f64,
    /// Age.
    pub t: f64,
    /// Customers with this history.
    pub weight: f64,
}

/// Groups summary rows by identical `(x, t_x, T)`.
pub fn group_rows(rows: &[RfmRow]) -> Vec<Row> {
    let mut index: HashMap<(u32, u64, u64), usize> = HashMap::new();
    let mut out: Vec<Row> = Vec::new();
    for r in rows {
        let key = (r.frequency, r.recency.to_bits(), r.t.to_bits());
        match index.get(&key) {
            Some(&i) => out[i].weight += 1.0,
            None => {
                index.insert(key, out.len());
                out.push(Row {
                    x: f64::from(r.frequency),
                    t_x: r.recency,
                    t: r.t,
                    weight: 1.0,
                });
            }
        }
    }
    out
}

/// The log-likelihood of one customer history and its gradient with respect to
/// `(r, alpha, a, b)` (Fader, Hardie & Lee 2005, eq. 6, in the log-sum-exp form of
/// Hardie's note 004).
pub fn row_log_likelihood(p: &BgNbdParams, row: &Row) -> (f64, [f64; 4]) {
    let BgNbdParams { r, alpha, a, b } = *p;
    let Row { x, t_x, t, .. } = *row;
    let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
    let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
    let a3 = -(r + x) * (alpha + t).ln();
    let (ll, w3, w4) = if x > 0.0 {
        let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + t_x).ln();
        let m = a3.max(a4);
        let e3 = (a3 - m).exp();
        let e4 = (a4 - m).exp();
        let sum = e3 + e4;
        (a1 + a2 + m + sum.ln(), e3 / sum, e4 / sum)
    } else {
        (a1 + a2 + a3, 1.0, 0.0)
    };
    let dr =
        digamma(r + x) - digamma(r) + alpha.ln() - w3 * (alpha + t).ln() - w4 * (alpha + t_x).ln();
    let dalpha = r / alpha - w3 * (r + x) / (alpha + t) - w4 * (r + x) / (alpha + t_x);
    let shared = if x > 0.0 {
        digamma(a + b) - digamma(a + b + x)
    } else {
        0.0
    };
    let da = shared + w4 / a;
    let db = if x > 0.0 {
        shared + digamma(b + x) - digamma(b) - w4 / (b + x - 1.0)
    } else {
        0.0
    };
    (ll, [dr, dalpha, da, db])
}

/// The total log-likelihood of `rows` (weighted) at `params`.
pub fn log_likelihood(params: &BgNbdParams, rows: &[Row]) -> f64 {
    rows.iter()
        .map(|row| row.weight * row_log_likelihood(params, row).0)
        .sum()
}

/// Mean negative log-likelihood plus `penalizer * Σ θ²` over log parameters, on scaled
/// rows: the objective `lifetimes` minimises.
struct Likelihood {
    rows: BgNbdRows,
    total_weight: f64,
    penalizer: f64,
}

impl Objective for Likelihood {
    fn value_and_gradient(&self, x: &[f64]) -> Option<(f64, Vec<f64>)> {
        let params = BgNbdParams {
            r: x[0].exp(),
            alpha: x[1].exp(),
            a: x[2].exp(),
            b: x[3].exp(),
        };
        if !params.is_valid() {
            return None;
        }
        let (ll, grad) = self.rows.log_likelihood(&params);
        let values = [params.r, params.alpha, params.a, params.b];
        let penalty: f64 = values.iter().map(|v| v * v).sum::<f64>() * self.penalizer;
        let value = -ll / self.total_weight + penalty;
        // d/d(log θ) = θ d/dθ; the penalty's derivative is 2 pen θ².
        let gradient: Vec<f64> = (0..4)
            .map(|i| {
                -values[i] * grad[i] / self.total_weight + 2.0 * self.penalizer * values[i].powi(2)
            })
            .collect();
        (value.is_finite() && gradient.iter().all(|g| g.is_finite())).then_some((value, gradient))
    }
}

/// A converged BG/NBD fit.
#[derive(Debug, Clone, PartialEq)]
pub struct BgNbdFit {
    /// Parameters in the data's time unit.
    pub params: BgNbdParams,
    /// Total log-likelihood at `params` (without the penalty).
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Standard errors of `(r, alpha, a, b)` from the inverse Hessian (delta method),
    /// `None` when the Hessian is not positive definite.
    pub standard_errors: Option<[f64; 4]>,
}

/// Where `lifetimes` starts every log parameter.
const START: f64 = 0.1;

/// Fits the BG/NBD model to the grouped summary rows. `NoConvergence` with the reason
/// when no customer repeated, the optimiser fails, stays at its start values, or a
/// parameter runs off to 0 or infinity.
pub fn fit(rows: &[Row], penalizer: f64) -> Result<BgNbdFit> {
    let total_weight: f64 = rows.iter().map(|r| r.weight).sum();
    if !rows.iter().any(|r| r.x > 0.0) {
        return Err(InsituError::NoConvergence(format!(
            "BG/NBD needs repeat purchases, but none of the {total_weight} customers bought \
             again after their first purchase period (by the calibration end)"
        )));
    }
    let max_t = rows.iter().fold(0.0f64, |m, r| m.max(r.t));
    let scale = 1.0 / max_t;
    let scaled: Vec<Row> = rows
        .iter()
        .map(|r| Row {
            t_x: r.t_x * scale,
            t: r.t * scale,
            ..*r
        })
        .collect();
    let objective = Likelihood {
        rows: BgNbdRows::new(&scaled),
        total_weight,
        penalizer,
    };
    // Scaling every time by s scales alpha by s and lowers each history's likelihood by
    // x ln s; this undoes that for the reported (unscaled) log-likelihood.
    let repeats: f64 = rows.iter().map(|r| r.weight * r.x).sum();
    let starts = [[START; 4], [0.0, 0.0, 0.0, 0.0], [-1.0, -1.0, 0.0, 1.0]];
    // The first start is lifetimes' own; its failure is the one reported.
    let mut failures: Vec<String> = Vec::new();
    for start in starts {
        let m = bfgs(&objective, &start, Settings::default());
        let hint =
            (penalizer == 0.0).then_some("a penalizer such as 0.001 keeps parameters finite");
        if let Some(failure) = unusable_fit(
            &m,
            &start,
            &["r", "alpha", "a", "b"],
            "e.g. too few repeat buyers",
            hint,
        ) {
            failures.push(failure);
            continue;
        }
        let params = BgNbdParams {
            r: m.x[0].exp(),
            alpha: m.x[1].exp() / scale,
            a: m.x[2].exp(),
            b: m.x[3].exp(),
        };
        let scaled_params = BgNbdParams {
            alpha: m.x[1].exp(),
            ..params
        };
        let log_likelihood = objective.rows.log_likelihood(&scaled_params).0 + scale.ln() * repeats;
        if !params.is_valid() || !log_likelihood.is_finite() {
            failures.push("the fitted parameters give a non-finite likelihood".into());
            continue;
        }
        let values = [params.r, params.alpha, params.a, params.b];
        let standard_errors = standard_errors(&objective, &m.x, values, total_weight);
        return Ok(BgNbdFit {
            params,
            log_likelihood,
            iterations: m.iterations,
            standard_errors,
        });
    }
    Err(InsituError::NoConvergence(format!(
        "BG/NBD: {}",
        failures.first().map_or("", |f| f.as_str())
    )))
}

/// P(alive | x, t_x, T): 1 without repeat purchases (BG/NBD customers drop out only
/// right after a purchase), else `1 / (1 + a/(b+x-1) ((α+T)/(α+t_x))^(r+x))`.
pub fn p_alive(p: &BgNbdParams, x: f64, t_x: f64, t: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    let log_odds =
        (p.r + x) * ((p.alpha + t) / (p.alpha + t_x)).ln() + (p.a / (p.b + x - 1.0)).ln();
    // 1 / (1 + e^log_odds), written so that large |log_odds| neither overflows nor NaNs.
    if log_odds > 0.0 {
        let e = (-log_odds).exp();
        e / (1.0 + e)
    } else {
        1.0 / (1.0 + log_odds.exp())
    }
}

/// E[X(t) | x, t_x, T]: expected repeat purchases in the next `t` time units of a
/// customer with history `(x, t_x, T)` (Fader, Hardie & Lee 2005, eq. 10).
///
/// Computed as `P(alive) · K` with `K = E[(1 - (1 + p u)^-(r+x)) / p]`, `p ~ Beta(a, b+x)`,
/// `u = t/(α+T)`, which equals eq. 10's `(a+b+x-1)/(a-1) · [1 - ((α+T)/(α+T+t))^(r+x)
/// ₂F₁(r+x, b+x; a+b+x-1; t/(α+T+t))]` but stays finite at `a = 1` and for very large `x`
/// (where the ₂F₁ itself overflows). The series below are that ₂F₁ after Pfaff's
/// transformations; when they converge too slowly (t far beyond α+T) the expectation is
/// integrated numerically instead.
pub fn expected_purchases(p: &BgNbdParams, t: f64, x: f64, t_x: f64, big_t: f64) -> f64 {
    if t.is_nan() || t <= 0.0 {
        return 0.0;
    }
    let u = t / (p.alpha + big_t);
    let k = conditional_k(p, u, x);
    p_alive(p, x, t_x, big_t) * k
}

/// `K(u) = E[(1 - (1 + p u)^-(r+x)) / p]` for `p ~ Beta(a, b + x)`.
fn conditional_k(p: &BgNbdParams, u: f64, x: f64) -> f64 {
    let big_a = p.r + x; // first ₂F₁ parameter
    let c = p.a + p.b + x - 1.0;
    if u <= 0.5 {
        // K = -Σ_{n>=1} (A)_n (a)_{n-1} (-u)^n / ((c+1)_{n-1} n!)
        //   = A u Σ_{m>=0} (A+1)_m (a)_m (-u)^m / ((c+1)_m (m+1)!)... summed directly:
        if let Some(v) = series(
            |n| {
                // ratio of term n+1 to term n, n >= 1 (term 1 = A u)
                (big_a + n) * (p.a + n - 1.0) / ((c + n) * (n + 1.0)) * (-u)
            },
            big_a * u,
        ) {
            return v;
        }
    } else {
        // Pfaff: 1 - G = 1 - (1+u)^(1-a) F(a-1, D; c; z), z = u/(1+u), D = c - A, so
        // K = c [L exprel((1-a)L)] - (1+u)^(1-a) Σ_{n>=1} (a)_{n-1} (D)_n z^n / ((c+1)_{n-1} n!)
        // with L = ln(1+u) (the first term is c (1 - (1+u)^(1-a))/(a-1), finite at a = 1).
        let d = c - big_a;
        let z = u / (1.0 + u);
        let l = u.ln_1p();
        let head = c * l * exprel((1.0 - p.a) * l);
        let scale = ((1.0 - p.a) * l).exp();
        let tail = series(
            |n| (p.a + n - 1.0) * (d + n) / ((c + n) * (n + 1.0)) * z,
            d * z,
        );
        if let Some(tail) = tail {
            let k = head - scale * tail;
            if k.is_finite() {
                return k;
            }
        }
    }
    // Numerical integration over p (tanh-sinh). The integrand g(p) = (1-(1+pu)^-A)/p
    // tends to A u at p = 0; subtracting g's end values makes what the quadrature works
    // on vanish at both ends.
    let g = |p_: f64| -> f64 {
        if p_ <= 0.0 {
            big_a * u
        } else {
            -(-big_a * (p_ * u).ln_1p()).exp_m1() / p_
        }
    };
    let g0 = big_a * u;
    let g1 = g(1.0);
    let b_post = p.b + x;
    let mean_p = p.a / (p.a + b_post);
    let centred = beta_expectation(p.a, b_post, |p_, q| {
        // g(p) - [g0 + (g1 - g0) p], with q = 1 - p for precision near 1.
        let gp = if q < 1e-300 { g1 } else { g(p_) };
        gp - g0 - (g1 - g0) * p_
    });
    g0 + (g1 - g0) * mean_p + centred
}

/// Sums terms `t_1 = first`, `t_{n+1} = t_n · ratio(n)` until they are negligible.
/// `None` if it has not converged within the term budget or stops being finite.
fn series(ratio: impl Fn(f64) -> f64, first: f64) -> Option<f64> {
    let mut term = first;
    let mut sum = first;
    for n in 1..super::special::MAX_SERIES_TERMS {
        let rho = ratio(n as f64);
        term *= rho;
        sum += term;
        if !sum.is_finite() {
            return None;
        }
        if term == 0.0 || (term.abs() <= 1e-16 * sum.abs() && rho.abs() < 1.0) {
            return Some(sum);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ltv::gradient_check::assert_gradient;

    const CDNOW: BgNbdParams = BgNbdParams {
        r: 0.242_593,
        alpha: 4.413_532,
        a: 0.792_886,
        b: 2.425_752,
    };

    #[test]
    fn gradient_matches_finite_differences() {
        let row = Row {
            x: 3.0,
            t_x: 20.0,
            t: 38.0,
            weight: 1.0,
        };
        let (_, g) = row_log_likelihood(&CDNOW, &row);
        let values = [CDNOW.r, CDNOW.alpha, CDNOW.a, CDNOW.b];
        assert_gradient(values, &g, |v| {
            let p = BgNbdParams {
                r: v[0],
                alpha: v[1],
                a: v[2],
                b: v[3],
            };
            row_log_likelihood(&p, &row).0
        });
    }

    #[test]
    fn conditional_expectation_matches_the_paper() {
        // Fader, Hardie & Lee (2005): E[X(39) | x=2, t_x=30.43, T=38.86] = 1.226.
        let e = expected_purchases(&CDNOW, 39.0, 2.0, 30.43, 38.86);
        assert!((e - 1.2259).abs() < 1e-3, "{e}");
    }

    #[test]
    fn the_series_and_the_integral_agree() {
        for (u, x) in [(0.3, 0.0), (0.7, 2.0), (3.0, 0.0), (30.0, 5.0), (0.2, 40.0)] {
            let series = conditional_k(&CDNOW, u, x);
            // Force the integral with a tiny term budget equivalent: compare to it directly.
            let big_a = CDNOW.r + x;
            let integral = beta_expectation(CDNOW.a, CDNOW.b + x, |p, _| {
                -(-big_a * (p * u).ln_1p()).exp_m1() / p
            });
            assert!(
                (series - integral).abs() < 1e-6 * series.abs(),
                "u={u} x={x}: {series} vs {integral}"
            );
        }
    }

    #[test]
    fn expectation_is_finite_at_a_equal_one_and_huge_x() {
        let p = BgNbdParams { a: 1.0, ..CDNOW };
        let e = expected_purchases(&p, 10.0, 0.0, 0.0, 5.0);
        let near = expected_purchases(
            &BgNbdParams {
                a: 1.0 + 1e-7,
                ..CDNOW
            },
            10.0,
            0.0,
            0.0,
            5.0,
        );
        assert!(e.is_finite() && (e - near).abs() < 1e-5, "{e} {near}");
        let big = expected_purchases(&CDNOW, 52.0, 10_000.0, 500.0, 500.0);
        // Almost surely alive, buying about (r+x)/(α+T) per unit with little dropout.
        assert!(big.is_finite() && big > 500.0 && big < 1100.0, "{big}");
        let far = expected_purchases(&CDNOW, 1e6, 1.0, 1.0, 2.0);
        assert!(far.is_finite() && far > 0.0, "{far}");
        assert_eq!(p_alive(&CDNOW, 0.0, 0.0, 10.0), 1.0);
        let pa = p_alive(&CDNOW, 10_000.0, 1.0, 1000.0);
        assert!((0.0..=1.0).contains(&pa));
    }
}
