//! The BG/NBD and Gamma-Gamma likelihoods laid out for the optimiser, which evaluates
//! them dozens of times over the same histories. Grouping identical rows is not enough
//! on large data (a million customers still have ~200k distinct `(x, t_x, T)`), but the
//! costly parts of each row's likelihood depend on one coordinate only: `ln Γ` and `ψ`
//! on `x`, the logarithms on a time. So rows are sorted by `x`, times become indexes
//! into one table of distinct times, and an evaluation computes the special functions
//! once per distinct `x` and the logs once per distinct time, leaving one `exp` and one
//! `ln_1p` per BG/NBD row and one `ln` per Gamma-Gamma row. The sums are the same as
//! [`super::bgnbd::row_log_likelihood`] / [`super::gamma_gamma::row_log_likelihood`]
//! over the rows (the tests check), in another order.

use std::cmp::Ordering;

use super::bgnbd::{self, BgNbdParams};
use super::gamma_gamma::{self, GammaGammaParams};
use super::special::{digamma, ln_gamma};

/// BG/NBD histories: runs of equal `x`, each row's times as indexes into `times`.
#[derive(Debug, Clone, PartialEq)]
pub struct BgNbdRows {
    /// Distinct time values (`t_x` and `T` alike), ascending.
    times: Vec<f64>,
    /// `(x, first row, end row)` per distinct `x`, ascending.
    runs: Vec<(f64, usize, usize)>,
    /// Index of `t_x` in `times`.
    t_x: Vec<u32>,
    /// Index of `T` in `times`.
    t: Vec<u32>,
    /// Customers per row.
    weight: Vec<f64>,
}

/// The index of `v` in the sorted, deduplicated `table` (it is there by construction).
fn position(table: &[f64], v: f64) -> u32 {
    table
        .binary_search_by(|probe| probe.total_cmp(&v))
        .unwrap_or_else(|i| i) as u32
}

impl BgNbdRows {
    /// Lays out grouped rows (any order).
    pub fn new(rows: &[bgnbd::Row]) -> BgNbdRows {
        let mut sorted = rows.to_vec();
        sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut times: Vec<f64> = rows.iter().flat_map(|r| [r.t_x, r.t]).collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        let mut runs: Vec<(f64, usize, usize)> = Vec::new();
        for (i, r) in sorted.iter().enumerate() {
            match runs.last_mut() {
                Some(run) if run.0.total_cmp(&r.x) == Ordering::Equal => run.2 = i + 1,
                _ => runs.push((r.x, i, i + 1)),
            }
        }
        BgNbdRows {
            t_x: sorted.iter().map(|r| position(&times, r.t_x)).collect(),
            t: sorted.iter().map(|r| position(&times, r.t)).collect(),
            weight: sorted.iter().map(|r| r.weight).collect(),
            times,
            runs,
        }
    }

    /// The total (weighted) log-likelihood and its gradient in `(r, alpha, a, b)`.
    pub fn log_likelihood(&self, p: &BgNbdParams) -> (f64, [f64; 4]) {
        let BgNbdParams { r, alpha, a, b } = *p;
        let ln_at: Vec<f64> = self.times.iter().map(|t| (alpha + t).ln()).collect();
        let inv_at: Vec<f64> = self.times.iter().map(|t| 1.0 / (alpha + t)).collect();
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
        let mut ll = 0.0;
        let mut grad = [0.0; 4];
        for &(x, start, end) in &self.runs {
            let rx = r + x;
            // Sums over the run's rows of w, w·ln(…) and w·(1/(α+…)) by term weight.
            let mut s = RunSums::default();
            if x > 0.0 {
                let ln_bx1 = (b + x - 1.0).ln();
                for i in start..end {
                    let (w, lt, ltx) = (
                        self.weight[i],
                        ln_at[self.t[i] as usize],
                        ln_at[self.t_x[i] as usize],
                    );
                    let a3 = -rx * lt;
                    let a4 = ln_a - ln_bx1 - rx * ltx;
                    // ln(e^a3 + e^a4) and the shares of each term, from one exp.
                    let (lse, w3, w4) = if a4 > a3 {
                        let e = (a3 - a4).exp();
                        (a4 + e.ln_1p(), e / (1.0 + e), 1.0 / (1.0 + e))
                    } else {
                        let e = (a4 - a3).exp();
                        (a3 + e.ln_1p(), 1.0 / (1.0 + e), e / (1.0 + e))
                    };
                    s.weight += w;
                    s.ll += w * lse;
                    s.w4 += w * w4;
                    s.ln += w * (w3 * lt + w4 * ltx);
                    s.inv +=
                        w * (w3 * inv_at[self.t[i] as usize] + w4 * inv_at[self.t_x[i] as usize]);
                }
                let shared = dg_ab - digamma(a + b + x);
                grad[2] += s.weight * shared + s.w4 / a;
                grad[3] += s.weight * (shared + digamma(b + x) - dg_b) - s.w4 / (b + x - 1.0);
            } else {
                for i in start..end {
                    let (w, ti) = (self.weight[i], self.t[i] as usize);
                    s.weight += w;
                    s.ll -= w * rx * ln_at[ti];
                    s.ln += w * ln_at[ti];
                    s.inv += w * inv_at[ti];
                }
                // x = 0: a and b enter only through a2, which is 0 there.
            }
            let a1 = ln_gamma(rx) - lg_r + r * ln_alpha;
            let a2 = if x > 0.0 {
                lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x)
            } else {
                0.0
            };
            ll += s.weight * (a1 + a2) + s.ll;
            grad[0] += s.weight * (digamma(rx) - dg_r + ln_alpha) - s.ln;
            grad[1] += s.weight * r / alpha - rx * s.inv;
        }
        (ll, grad)
    }
}

#[derive(Default)]
struct RunSums {
    weight: f64,
    ll: f64,
    w4: f64,
    ln: f64,
    inv: f64,
}

/// Gamma-Gamma rows: runs of equal `x`, with `ln m` and `x m` computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct GammaGammaRows {
    /// `(x, first row, end row, Σ w, Σ w ln m)` per distinct `x`.
    runs: Vec<(f64, usize, usize, f64, f64)>,
    /// `x m` per row.
    xm: Vec<f64>,
    /// Customers per row.
    weight: Vec<f64>,
}

impl GammaGammaRows {
    /// Lays out grouped rows (any order).
    pub fn new(rows: &[gamma_gamma::Row]) -> GammaGammaRows {
        let mut sorted = rows.to_vec();
        sorted.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut runs: Vec<(f64, usize, usize, f64, f64)> = Vec::new();
        for (i, r) in sorted.iter().enumerate() {
            match runs.last_mut() {
                Some(run) if run.0.total_cmp(&r.x) == Ordering::Equal => run.2 = i + 1,
                _ => runs.push((r.x, i, i + 1, 0.0, 0.0)),
            }
            if let Some(run) = runs.last_mut() {
                run.3 += r.weight;
                run.4 += r.weight * r.m.ln();
            }
        }
        GammaGammaRows {
            runs,
            xm: sorted.iter().map(|r| r.x * r.m).collect(),
            weight: sorted.iter().map(|r| r.weight).collect(),
        }
    }

    /// The total (weighted) log-likelihood and its gradient in `(p, q, gamma)`.
    pub fn log_likelihood(&self, params: &GammaGammaParams) -> (f64, [f64; 3]) {
        let GammaGammaParams { p, q, gamma: v } = *params;
        let (lg_q, dg_q, ln_v) = (ln_gamma(q), digamma(q), v.ln());
        let mut ll = 0.0;
        let mut grad = [0.0; 3];
        for &(x, start, end, weight, ln_m) in &self.runs {
            let (mut s_ln, mut s_inv) = (0.0, 0.0);
            for i in start..end {
                let (w, xm_v) = (self.weight[i], self.xm[i] + v);
                s_ln += w * xm_v.ln();
                s_inv += w / xm_v;
            }
            let px = p * x;
            let ln_x = x.ln();
            let (dg_pxq, dg_px) = (digamma(px + q), digamma(px));
            ll += weight * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_v + px * ln_x)
                + (px - 1.0) * ln_m
                - (px + q) * s_ln;
            grad[0] += x * (weight * (dg_pxq - dg_px + ln_x) + ln_m - s_ln);
            grad[1] += weight * (dg_pxq - dg_q + ln_v) - s_ln;
            grad[2] += weight * q / v - (px + q) * s_inv;
        }
        (ll, grad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-10 * b.abs().max(1.0)
    }

    #[test]
    fn bgnbd_sums_equal_the_rows() {
        let rows: Vec<bgnbd::Row> = [
            (0.0, 0.0, 38.0, 3.0),
            (2.0, 30.43, 38.86, 1.0),
            (2.0, 10.0, 38.86, 2.0),
            (0.0, 0.0, 12.5, 1.0),
            (7.0, 38.0, 38.86, 1.0),
            (1.0, 0.5, 1.0, 4.0),
        ]
        .iter()
        .map(|&(x, t_x, t, weight)| bgnbd::Row { x, t_x, t, weight })
        .collect();
        let p = BgNbdParams {
            r: 0.243,
            alpha: 4.414,
            a: 0.793,
            b: 2.426,
        };
        let (ll, g) = BgNbdRows::new(&rows).log_likelihood(&p);
        let mut want = (0.0, [0.0; 4]);
        for row in &rows {
            let (l, gr) = bgnbd::row_log_likelihood(&p, row);
            want.0 += row.weight * l;
            for (acc, gi) in want.1.iter_mut().zip(gr) {
                *acc += row.weight * gi;
            }
        }
        assert!(close(ll, want.0), "{ll} vs {}", want.0);
        for (k, (got, want)) in g.iter().zip(want.1).enumerate() {
            assert!(close(*got, want), "{k}: {got} vs {want}");
        }
    }

    #[test]
    fn gamma_gamma_sums_equal_the_rows() {
        let rows: Vec<gamma_gamma::Row> = [(1.0, 20.0, 2.0), (3.0, 27.5, 1.0), (3.0, 12.0, 1.0)]
            .iter()
            .map(|&(x, m, weight)| gamma_gamma::Row { x, m, weight })
            .collect();
        let p = GammaGammaParams {
            p: 6.25,
            q: 3.74,
            gamma: 15.44,
        };
        let (ll, g) = GammaGammaRows::new(&rows).log_likelihood(&p);
        let mut want = (0.0, [0.0; 3]);
        for row in &rows {
            let (l, gr) = gamma_gamma::row_log_likelihood(&p, row);
            want.0 += row.weight * l;
            for (acc, gi) in want.1.iter_mut().zip(gr) {
                *acc += row.weight * gi;
            }
        }
        assert!(close(ll, want.0), "{ll} vs {}", want.0);
        for (k, (got, want)) in g.iter().zip(want.1).enumerate() {
            assert!(close(*got, want), "{k}: {got} vs {want}");
        }
    }
}
