//! L2-regularised logistic regression by Newton's method.
//!
//! Minimises `Σ_i [log(1 + e^η_i) - y_i η_i] + (λ / 2) Σ_j w_j²` with
//! `η_i = b + Σ_j w_j x_ij`; the intercept `b` is not penalised. This is scikit-learn's
//! `LogisticRegression(C = 1 / λ)`. The objective is strictly convex for λ > 0, so Newton
//! steps with a backtracking line search converge (quadratically near the optimum) from
//! any start; a start near the optimum (see [`fit`]) only saves iterations.
//!
//! Rows are read through [`Rows`] in blocks of [`BLOCK`] rows, column by column: dense
//! columns (standardised numbers, missing indicators) as numbers and each one-hot
//! category as the one column it sets to 1. So a large population never needs its whole
//! matrix in memory, and the Hessian's dense part is sums of products of contiguous
//! columns (dot products, which run several times faster than a rank-one update per row).

pub use super::pass::{Block, BLOCK, NO_COLUMN};
use super::pass::{Evaluator, Want};
use crate::error::{InsituError, Result};

/// The training data, block by block.
pub trait Rows {
    /// Number of rows.
    fn len(&self) -> usize;
    /// True when there are no rows.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of weights (the intercept excluded).
    fn dim(&self) -> usize;
    /// The model column of each dense column of a block, in block order.
    fn dense_columns(&self) -> Vec<usize>;
    /// Number of one-hot groups (each sets at most one model column of a row to 1).
    fn groups(&self) -> usize;
    /// Fills `block` with rows `start..start + block.len`.
    fn fill(&self, start: usize, block: &mut Block);
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

    /// The parameters as [`fit`] takes a start: the intercept, then the weights.
    pub fn theta(&self) -> Vec<f64> {
        std::iter::once(self.intercept)
            .chain(self.weights.iter().copied())
            .collect()
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

const MAX_ITERATIONS: usize = 100;

/// Rows a sampled Hessian is summed over (see [`fit`]).
const HESSIAN_ROWS: usize = 65_536;

/// Fits the model; `l2` (λ) must be positive. `start` (the intercept, then one weight
/// per column) is where Newton's method begins, zeros without one; a start near the
/// optimum, e.g. a fit on part of the rows, saves most of the iterations.
///
/// The Hessian costs d² per row against d for the gradient, so on more than
/// [`HESSIAN_ROWS`] rows it is summed over an even sample of row blocks and scaled up
/// (the exact one if the sampled one is singular). The gradient and objective are always
/// exact, so the fit ends at the same optimum; the steps only converge a little slower
/// than with the exact Hessian.
pub fn fit(rows: &dyn Rows, l2: f64, start: Option<&[f64]>) -> Result<Fit> {
    let d = rows.dim() + 1;
    let mut theta = match start {
        Some(t) if t.len() == d && t.iter().all(|x| x.is_finite()) => t.to_vec(),
        _ => vec![0.0; d],
    };
    let mut ev = Evaluator::new(rows, l2);
    let mut every = (rows.len() / HESSIAN_ROWS).max(1);
    let mut point = ev.at(&theta, Want::Hessian { every });
    for iteration in 1..=MAX_ITERATIONS {
        let mut h = match point.hessian.take() {
            Some(h) => h,
            None => ev
                .at(&theta, Want::Hessian { every })
                .hessian
                .unwrap_or_default(),
        };
        if h.len() != d * d || !cholesky(&mut h, d) {
            if every == 1 {
                return Err(InsituError::NoConvergence(
                    "the Newton system is singular (a feature may be constant)".into(),
                ));
            }
            every = 1;
            point = ev.at(&theta, Want::Hessian { every });
            continue;
        }
        let step = solve_factored(&h, &point.gradient, d);
        // Newton decrement: g·step = the predicted decrease × 2.
        let decrement: f64 = point.gradient.iter().zip(&step).map(|(a, b)| a * b).sum();
        if !decrement.is_finite() {
            return Err(InsituError::NoConvergence(
                "the Newton step is not finite".into(),
            ));
        }
        let f = point.f;
        let mut next: Vec<f64> = theta.iter().zip(&step).map(|(a, b)| a - b).collect();
        // A predicted gain this small is below what a sum over all rows resolves (its
        // rounding is about 1e-15 of it): a line search would chase rounding, so the step
        // is taken as it is (we are where Newton steps converge quadratically) and ends the fit.
        if decrement < 1e-14 * (1.0 + f.abs()) {
            let end = ev.at(&next, Want::Value).f;
            return Ok(done(next, iteration, end));
        }
        // The full step is tried with the derivatives there, which the next iteration
        // needs if it is taken (it usually is).
        let mut t = 1.0;
        let mut candidate = ev.at(&next, Want::Hessian { every });
        while candidate.f > f - 1e-4 * t * decrement && t >= 1e-10 {
            t *= 0.5;
            for j in 0..d {
                next[j] = theta[j] - t * step[j];
            }
            candidate = ev.at(&next, Want::Value);
        }
        if candidate.f > f {
            // No decrease along the Newton direction: we are at the optimum to rounding.
            return Ok(done(theta, iteration, f));
        }
        theta = next;
        let improvement = f - candidate.f;
        if improvement <= 1e-15 * (1.0 + candidate.f.abs()) {
            return Ok(done(theta, iteration, candidate.f));
        }
        point = candidate;
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

/// Overwrites symmetric `h` (d × d, row-major) with its lower Cholesky factor; false if
/// `h` is not positive definite.
fn cholesky(h: &mut [f64], d: usize) -> bool {
    for j in 0..d {
        let mut s = h[j * d + j];
        for k in 0..j {
            s -= h[j * d + k] * h[j * d + k];
        }
        if s <= 0.0 || !s.is_finite() {
            return false;
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
    true
}

/// Solves `L Lᵀ x = g` with the factor [`cholesky`] left in `l`.
fn solve_factored(l: &[f64], g: &[f64], d: usize) -> Vec<f64> {
    let mut y = vec![0.0; d];
    for i in 0..d {
        let mut v = g[i];
        for k in 0..i {
            v -= l[i * d + k] * y[k];
        }
        y[i] = v / l[i * d + i];
    }
    let mut x = vec![0.0; d];
    for i in (0..d).rev() {
        let mut v = y[i];
        for k in i + 1..d {
            v -= l[k * d + i] * x[k];
        }
        x[i] = v / l[i * d + i];
    }
    x
}

/// Solves `h x = g` for symmetric positive definite `h` (overwritten by its factor);
/// `None` if `h` is not positive definite.
#[cfg(test)]
fn solve(h: &mut [f64], g: &[f64], d: usize) -> Option<Vec<f64>> {
    cholesky(h, d).then(|| solve_factored(h, g, d))
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
        fn dense_columns(&self) -> Vec<usize> {
            (0..self.dim()).collect()
        }
        fn groups(&self) -> usize {
            0
        }
        fn fill(&self, start: usize, block: &mut Block) {
            for i in 0..block.len {
                for j in 0..self.dim() {
                    block.dense[j * BLOCK + i] = self.x[start + i][j];
                }
                block.label[i] = f64::from(u8::from(self.y[start + i]));
            }
        }
    }

    #[test]
    fn separable_data_stays_finite_with_l2() {
        let data = Dense {
            x: vec![vec![-2.0], vec![-1.0], vec![1.0], vec![2.0]],
            y: vec![false, false, true, true],
        };
        let f = fit(&data, 1.0, None).unwrap();
        // From a start near the optimum: the same solution.
        let again = fit(&data, 1.0, Some(&[0.1, 1.0])).unwrap();
        assert!((again.weights[0] - f.weights[0]).abs() < 1e-9);
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
