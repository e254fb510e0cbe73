//! One pass of the logistic regression over its rows, block by block: the objective
//! and, when asked, its gradient and (possibly sampled) Hessian. See [`super::logistic`].

use super::logistic::Rows;

/// Rows per block (their dense columns stay in the first-level cache: 20 columns of 128
/// numbers are 20 KiB).
pub const BLOCK: usize = 128;
/// A one-hot group's entry in a row that sets none of its columns (e.g. a null category).
pub const NO_COLUMN: u32 = u32::MAX;

/// Up to [`BLOCK`] rows of the training data, column-major.
#[derive(Debug, Clone)]
pub struct Block {
    /// Rows in the block.
    pub len: usize,
    /// Dense column `j` (model column `Rows::dense_columns()[j]`) at `dense[j * BLOCK..][..len]`.
    pub dense: Vec<f64>,
    /// One-hot group `g`: the model column each row sets to 1 (or [`NO_COLUMN`]) at
    /// `onehot[g * BLOCK..][..len]`.
    pub onehot: Vec<u32>,
    /// 1 for a positive row, else 0.
    pub label: Vec<f64>,
}

impl Block {
    /// An empty block for `dense` dense columns and `groups` one-hot groups.
    pub fn new(dense: usize, groups: usize) -> Block {
        Block {
            len: 0,
            dense: vec![0.0; dense * BLOCK],
            onehot: vec![NO_COLUMN; groups * BLOCK],
            label: vec![0.0; BLOCK],
        }
    }
}

/// `Σ a_i b_i` with four running sums, so the additions do not wait on each other.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; 4];
    let (a4, b4) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = a4
        .remainder()
        .iter()
        .zip(b4.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a4.zip(b4) {
        for k in 0..4 {
            acc[k] += x[k] * y[k];
        }
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// What [`Evaluator::at`] computes besides the objective.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// The objective only.
    Value,
    /// And its gradient.
    Gradient,
    /// And the Hessian, summed over every `every`-th block and scaled up to all rows.
    Hessian {
        /// 1 for the exact Hessian.
        every: usize,
    },
}

/// The objective at some parameters and what else was asked for (penalty included).
pub struct Point {
    /// The objective.
    pub f: f64,
    /// The gradient (empty unless asked for).
    pub gradient: Vec<f64>,
    /// The Hessian (d × d, row-major).
    pub hessian: Option<Vec<f64>>,
}

/// Evaluates the objective over the rows, block by block, with reused buffers.
pub struct Evaluator<'a> {
    rows: &'a dyn Rows,
    l2: f64,
    d: usize,
    dense_columns: Vec<usize>,
    groups: usize,
    block: Block,
    eta: Vec<f64>,
    r: Vec<f64>,
    s: Vec<f64>,
    sx: Vec<f64>,
}

impl<'a> Evaluator<'a> {
    /// An evaluator over `rows` with penalty `l2`.
    pub fn new(rows: &'a dyn Rows, l2: f64) -> Evaluator<'a> {
        let dense_columns = rows.dense_columns();
        let groups = rows.groups();
        Evaluator {
            rows,
            l2,
            d: rows.dim() + 1,
            block: Block::new(dense_columns.len(), groups),
            dense_columns,
            groups,
            eta: vec![0.0; BLOCK],
            r: vec![0.0; BLOCK],
            s: vec![0.0; BLOCK],
            sx: vec![0.0; BLOCK],
        }
    }

    /// The objective at `theta` (`theta[0]` the intercept) and what `want` asks for.
    pub fn at(&mut self, theta: &[f64], want: Want) -> Point {
        let d = self.d;
        let derivatives = want != Want::Value;
        let every = match want {
            Want::Hessian { every } => every.max(1),
            _ => 0,
        };
        let mut f = 0.0;
        let mut g = vec![0.0; if derivatives { d } else { 0 }];
        // Only the lower triangle (row >= column) is summed; mirrored at the end.
        let mut h = vec![0.0; if every > 0 { d * d } else { 0 }];
        let mut hessian_rows = 0;
        let lower = |a: usize, b: usize| if a >= b { a * d + b } else { b * d + a };
        let mut start = 0;
        while start < self.rows.len() {
            let n = BLOCK.min(self.rows.len() - start);
            let hessian = every > 0 && (start / BLOCK).is_multiple_of(every);
            self.block.len = n;
            self.rows.fill(start, &mut self.block);
            start += n;
            let b = &self.block;
            let eta = &mut self.eta[..n];
            eta.fill(theta[0]);
            for (j, &col) in self.dense_columns.iter().enumerate() {
                let w = theta[col + 1];
                for (e, x) in eta.iter_mut().zip(&b.dense[j * BLOCK..][..n]) {
                    *e += w * x;
                }
            }
            for group in 0..self.groups {
                for (e, &c) in eta.iter_mut().zip(&b.onehot[group * BLOCK..][..n]) {
                    if c != NO_COLUMN {
                        *e += theta[c as usize + 1];
                    }
                }
            }
            for (i, (&x, &y)) in eta.iter().zip(&b.label[..n]).enumerate() {
                // One exp serves the loss (softplus) and the probability (sigmoid).
                let e = (-x.abs()).exp();
                f += x.max(0.0) + e.ln_1p() - y * x;
                if derivatives {
                    let mu = if x >= 0.0 {
                        1.0 / (1.0 + e)
                    } else {
                        e / (1.0 + e)
                    };
                    self.r[i] = mu - y;
                    self.s[i] = mu * (1.0 - mu);
                }
            }
            if !derivatives {
                continue;
            }
            let (r, s) = (&self.r[..n], &self.s[..n]);
            g[0] += r.iter().sum::<f64>();
            for (j, &col) in self.dense_columns.iter().enumerate() {
                g[col + 1] += dot(r, &b.dense[j * BLOCK..][..n]);
            }
            for group in 0..self.groups {
                for (&c, ri) in b.onehot[group * BLOCK..][..n].iter().zip(r) {
                    if c != NO_COLUMN {
                        g[c as usize + 1] += ri;
                    }
                }
            }
            if !hessian {
                continue;
            }
            hessian_rows += n;
            h[0] += s.iter().sum::<f64>();
            for group in 0..self.groups {
                let cols = &b.onehot[group * BLOCK..][..n];
                for i in 0..n {
                    let Some(a) = (cols[i] != NO_COLUMN).then(|| cols[i] as usize + 1) else {
                        continue;
                    };
                    h[a * d] += s[i];
                    h[a * d + a] += s[i];
                    for other in 0..group {
                        let c = b.onehot[other * BLOCK + i];
                        if c != NO_COLUMN {
                            h[lower(a, c as usize + 1)] += s[i];
                        }
                    }
                }
            }
            for (j, &col) in self.dense_columns.iter().enumerate() {
                let a = col + 1;
                let x = &b.dense[j * BLOCK..][..n];
                let sx = &mut self.sx[..n];
                for ((o, si), xi) in sx.iter_mut().zip(s).zip(x) {
                    *o = si * xi;
                }
                h[a * d] += sx.iter().sum::<f64>();
                for (k, &other) in self.dense_columns[..=j].iter().enumerate() {
                    h[lower(a, other + 1)] += dot(sx, &b.dense[k * BLOCK..][..n]);
                }
                for group in 0..self.groups {
                    for (&c, v) in b.onehot[group * BLOCK..][..n].iter().zip(sx.iter()) {
                        if c != NO_COLUMN {
                            h[lower(a, c as usize + 1)] += v;
                        }
                    }
                }
            }
        }
        f += 0.5 * self.l2 * theta[1..].iter().map(|w| w * w).sum::<f64>();
        if derivatives {
            for j in 1..d {
                g[j] += self.l2 * theta[j];
            }
        }
        let hessian = (every > 0 && hessian_rows > 0).then(|| {
            // A sampled sum stands for all rows.
            let scale = self.rows.len() as f64 / hessian_rows as f64;
            for j in 0..d {
                for k in 0..j {
                    h[j * d + k] *= scale;
                    h[k * d + j] = h[j * d + k];
                }
                h[j * d + j] *= scale;
                if j > 0 {
                    h[j * d + j] += self.l2;
                }
            }
            h
        });
        Point {
            f,
            gradient: g,
            hessian,
        }
    }
}
