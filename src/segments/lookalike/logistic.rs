//! L2-regularised logistic regression by Newton's method.
//!
//! Minimises `Σ_i [log(1 + e^η_i) - y_i η_i] + (λ / 2) Σ_j w_j²` with
//! `η_i = b + Σ_j w_j x_ij`; the intercept `b` is not penalised. This is scikit-learn's
//! `LogisticRegression(C = 1 / λ)`. The objective is strictly convex for λ > 0, so Newton
//! steps with a backtracking line search converge (quadratically near the optimum).
//! Rows are read through [`Rows`] (sparse entries built on the fly), so a large
//! population never needs a dense matrix.

use crate::error::{InsituError, Result};

/// The training data, row by row.
pub trait Rows {
    /// Number of rows.
    fn len(&self) -> usize;
    /// True when there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of weights (the intercept excluded).
    fn dim(&self) -> usize;
    /// The non-zero entries `(column, value)` of row `i`, into `out` (cleared first).
    fn row(&self, i: usize, out: &mut Vec<(usize, f64)>);
    /// The label of row `i`.
    fn label(&self, i: usize) -> bool;
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// The intercept.
    pub intercept: f64,
    /// One weight per column.
    pub weights: Vec<f64>,
    /// Newton iterations used.
    pub iterations: usize,
    /// The penalised objective at the solution.
    pub objective: f64,
}

impl Fit {
    /// The linear predictor of sparse row `entries`.
    pub fn eta(&self, entries: &[(usize, f64)]) -> f64 {
        self.intercept
            + entries
                .iter()
                .map(|&(j, x)| self.weights[j] * x)
                .sum::<f64>()
    }

    /// The predicted probability of sparse row `entries`.
    pub fn predict(&self, entries: &[(usize, f64)]) -> f64 {
        sigmoid(self.eta(entries))
    }
}

/// `1 / (1 + e^-x)` without overflow.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `log(1 + e^x)` without overflow.
fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

const MAX_ITERATIONS: usize = 100;

/// The penalised objective at `theta` (`theta[0]` the intercept).
fn objective(rows: &dyn Rows, theta: &[f64], l2: f64, buf: &mut Vec<(usize, f64)>) -> f64 {
    let mut f = 0.0;
    for i in 0..rows.len() {
        rows.row(i, buf);
        let eta = theta[0] + buf.iter().map(|&(j, x)| theta[j + 1] * x).sum::<f64>();
        f += softplus(eta) - if rows.label(i) { eta } else { 0.0 };
    }
    f + 0.5 * l2 * theta[1..].iter().map(|w| w * w).sum::<f64>()
}

/// Fits the model; `l2` (λ) must be positive.
pub fn fit(rows: &dyn Rows, l2: f64) -> Result<Fit> {
    let d = rows.dim() + 1;
    let mut theta = vec![0.0; d];
    let mut buf = Vec::new();
    let mut f = objective(rows, &theta, l2, &mut buf);
    for iteration in 1..=MAX_ITERATIONS {
        let mut g = vec![0.0; d];
        let mut h = vec![0.0; d * d];
        for i in 0..rows.len() {
            rows.row(i, &mut buf);
            let eta = theta[0] + buf.iter().map(|&(j, x)| theta[j + 1] * x).sum::<f64>();
            let mu = sigmoid(eta);
            let r = mu - if rows.label(i) { 1.0 } else { 0.0 };
            let s = mu * (1.0 - mu);
            g[0] += r;
            h[0] += s;
            for (a, &(j, xj)) in buf.iter().enumerate() {
                g[j + 1] += r * xj;
                h[j + 1] += s * xj; // row 0, column j + 1
                for &(k, xk) in &buf[..=a] {
                    h[(j + 1) * d + k + 1] += s * xj * xk;
                }
            }
        }
        // Symmetrise (only one triangle of each row pair was filled above) and penalise.
        for j in 1..d {
            h[j * d] = h[j];
            for k in 1..j {
                let v = h[j * d + k] + h[k * d + j];
                h[j * d + k] = v;
                h[k * d + j] = v;
            }
            g[j] += l2 * theta[j];
            h[j * d + j] += l2;
        }
        let step = solve(&mut h, &g, d).ok_or_else(|| {
            InsituError::NoConvergence(
                "the Newton system is singular (a feature may be constant)".into(),
            )
        })?;
        // Newton decrement: g·step = the predicted decrease × 2.
        let decrement: f64 = g.iter().zip(&step).map(|(a, b)| a * b).sum();
        if !decrement.is_finite() {
            return Err(InsituError::NoConvergence(
                "the Newton step is not finite".into(),
            ));
        }
        let mut t = 1.0;
        let mut next = theta.clone();
        let mut f_next;
        loop {
            for j in 0..d {
                next[j] = theta[j] - t * step[j];
            }
            f_next = objective(rows, &next, l2, &mut buf);
            if f_next <= f - 1e-4 * t * decrement || t < 1e-10 {
                break;
            }
            t *= 0.5;
        }
        if f_next > f {
            // No decrease along the Newton direction: we are at the optimum to rounding.
            return Ok(done(theta, iteration, f));
        }
        theta = next;
        let improvement = f - f_next;
        f = f_next;
        if decrement < 1e-20 * (1.0 + f.abs()) || improvement <= 1e-15 * (1.0 + f.abs()) {
            return Ok(done(theta, iteration, f));
        }
    }
    Err(InsituError::NoConvergence(format!(
        "the logistic regression did not converge in {MAX_ITERATIONS} Newton iterations"
    )))
}

fn done(theta: Vec<f64>, iterations: usize, objective: f64) -> Fit {
    Fit {
        intercept: theta[0],
        weights: theta[1..].to_vec(),
        iterations,
        objective,
    }
}

/// Solves `h x = g` for symmetric positive definite `h` (d × d, row-major, overwritten
/// by its Cholesky factor); `None` if `h` is not positive definite.
fn solve(h: &mut [f64], g: &[f64], d: usize) -> Option<Vec<f64>> {
    for j in 0..d {
        let mut s = h[j * d + j];
        for k in 0..j {
            s -= h[j * d + k] * h[j * d + k];
        }
        if s <= 0.0 || !s.is_finite() {
            return None;
        }
        let l = s.sqrt();
        h[j * d + j] = l;
        for i in j + 1..d {
            let mut v = h[i * d + j];
            for k in 0..j {
                v -= h[i * d + k] * h[j * d + k];
            }
            h[i * d + j] = v / l;
        }
    }
    let mut y = vec![0.0; d];
    for i in 0..d {
        let mut v = g[i];
        for k in 0..i {
            v -= h[i * d + k] * y[k];
        }
        y[i] = v / h[i * d + i];
    }
    let mut x = vec![0.0; d];
    for i in (0..d).rev() {
        let mut v = y[i];
        for k in i + 1..d {
            v -= h[k * d + i] * x[k];
        }
        x[i] = v / h[i * d + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Dense {
        x: Vec<Vec<f64>>,
        y: Vec<bool>,
    }

    impl Rows for Dense {
        fn len(&self) -> usize {
            self.x.len()
        }
        fn dim(&self) -> usize {
            self.x[0].len()
        }
        fn row(&self, i: usize, out: &mut Vec<(usize, f64)>) {
            out.clear();
            out.extend(self.x[i].iter().copied().enumerate());
        }
        fn label(&self, i: usize) -> bool {
            self.y[i]
        }
    }

    #[test]
    fn separable_data_stays_finite_with_l2() {
        let data = Dense {
            x: vec![vec![-2.0], vec![-1.0], vec![1.0], vec![2.0]],
            y: vec![false, false, true, true],
        };
        let f = fit(&data, 1.0).unwrap();
        assert!(f.weights[0] > 0.5 && f.weights[0].is_finite());
        assert!(f.intercept.abs() < 1e-9);
        // The gradient vanishes at the solution.
        let mut g = 1.0 * f.weights[0];
        for (x, &y) in data.x.iter().zip(&data.y) {
            g += (sigmoid(f.intercept + f.weights[0] * x[0]) - f64::from(u8::from(y))) * x[0];
        }
        assert!(g.abs() < 1e-9, "{g}");
    }

    #[test]
    fn cholesky_solves() {
        let mut h = vec![4.0, 2.0, 2.0, 3.0];
        let x = solve(&mut h, &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        assert!(solve(&mut [0.0, 0.0, 0.0, 0.0], &[1.0, 1.0], 2).is_none());
    }
}
