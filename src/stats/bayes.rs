//! Bayesian comparison of conversion rates with Beta(1, 1) priors: the posterior of a
//! variant with `x` conversions of `n` exposures is Beta(1 + x, 1 + n - x).

use super::distributions::normal_cdf;
use super::rng::Rng;
use super::special::ln_beta;

/// Above this many terms the exact sum is replaced by a normal approximation of the
/// difference of the posteriors (at that size both are normal to many digits).
const EXACT_TERMS: f64 = 1_000_000.0;

/// Draws used to estimate the probability to be best among three or more variants
/// (Monte Carlo standard error at most 0.0016).
pub const BEST_DRAWS: usize = 100_000;

/// A Beta posterior `Beta(a, b)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posterior {
    /// First shape parameter: 1 + conversions.
    pub a: f64,
    /// Second shape parameter: 1 + non-converting exposures.
    pub b: f64,
}

impl Posterior {
    /// The posterior of `conversions` out of `exposures` under a Beta(1, 1) prior.
    pub fn from_counts(conversions: u64, exposures: u64) -> Posterior {
        Posterior {
            a: 1.0 + conversions as f64,
            b: 1.0 + exposures.saturating_sub(conversions) as f64,
        }
    }

    fn mean(self) -> f64 {
        self.a / (self.a + self.b)
    }

    fn variance(self) -> f64 {
        let s = self.a + self.b;
        self.a * self.b / (s * s * (s + 1.0))
    }
}

/// `P(X > Y)` for independent `X ~ x`, `Y ~ y` with whole-number shape parameters.
///
/// Exact: Evan Miller's closed form, a sum of as many terms as the smallest of the four
/// shapes (the sum can be taken over any of them by the symmetries
/// `P(X > Y) = 1 - P(Y > X)` and `P(X > Y) = P(1 - Y > 1 - X)`), each term from the
/// previous by one ratio. Beyond [`EXACT_TERMS`] terms, a normal approximation.
pub fn prob_greater(x: Posterior, y: Posterior) -> f64 {
    let smallest = x.a.min(x.b).min(y.a).min(y.b);
    if smallest > EXACT_TERMS {
        let sd = (x.variance() + y.variance()).sqrt();
        return normal_cdf((x.mean() - y.mean()) / sd);
    }
    let flip = |p: Posterior| Posterior { a: p.b, b: p.a };
    let p = if smallest == x.a {
        sum_over_x_a(x, y)
    } else if smallest == y.a {
        1.0 - sum_over_x_a(y, x)
    } else if smallest == y.b {
        // X > Y  <=>  1 - Y > 1 - X, and 1 - Y ~ Beta(y.b, y.a) has first shape y.b.
        sum_over_x_a(flip(y), flip(x))
    } else {
        1.0 - sum_over_x_a(flip(x), flip(y))
    };
    p.clamp(0.0, 1.0)
}

/// `P(X > Y) = Σ_{i<x.a} B(y.a + i, y.b + x.b) / ((x.b + i) B(1 + i, x.b) B(y.a, y.b))`,
/// summed in log space with a running maximum (terms span many orders of magnitude).
fn sum_over_x_a(x: Posterior, y: Posterior) -> f64 {
    let terms = x.a.round() as u64;
    let mut ln_term = ln_beta(y.a, y.b + x.b) - ln_beta(y.a, y.b);
    let mut max = ln_term;
    let mut scaled = 1.0;
    for i in 1..terms {
        let j = (i - 1) as f64;
        // term_{j+1} / term_j = (y.a + j)(x.b + j) / ((y.a + y.b + x.b + j)(1 + j)).
        ln_term += ((y.a + j) * (x.b + j) / ((y.a + y.b + x.b + j) * (1.0 + j))).ln();
        if ln_term > max {
            scaled = scaled * (max - ln_term).exp() + 1.0;
            max = ln_term;
        } else {
            scaled += (ln_term - max).exp();
        }
    }
    scaled * max.exp()
}

/// For each posterior, the probability that it is the highest: exact for two, else the
/// share of `draws` joint draws (seeded by `seed`) in which it is the highest.
pub fn prob_best(posteriors: &[Posterior], seed: u64, draws: usize) -> Vec<f64> {
    match posteriors {
        [] => Vec::new(),
        [_] => vec![1.0],
        [a, b] => {
            let p = prob_greater(*a, *b);
            vec![p, 1.0 - p]
        }
        _ => {
            let mut rng = Rng::new(seed);
            let mut wins = vec![0usize; posteriors.len()];
            for _ in 0..draws {
                let mut best = 0;
                let mut best_value = f64::NEG_INFINITY;
                for (k, p) in posteriors.iter().enumerate() {
                    let v = rng.beta(p.a, p.b);
                    if v > best_value {
                        best = k;
                        best_value = v;
                    }
                }
                wins[best] += 1;
            }
            wins.iter()
                .map(|&w| w as f64 / draws.max(1) as f64)
                .collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_reference_and_symmetries() {
        let a = Posterior::from_counts(100, 1000);
        let b = Posterior::from_counts(130, 1000);
        let p = prob_greater(b, a);
        assert!((p - 0.982).abs() < 0.0005, "{p}");
        assert!((prob_greater(a, b) + p - 1.0).abs() < 1e-12);
        // Identical posteriors: one half.
        assert!((prob_greater(a, a) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn large_counts_use_the_approximation_consistently() {
        let a = Posterior::from_counts(2_000_000, 20_000_000);
        let b = Posterior::from_counts(2_003_000, 20_000_000);
        let p = prob_greater(b, a);
        assert!(p > 0.9 && p < 1.0, "{p}");
    }

    #[test]
    fn best_of_three_sums_to_one() {
        let ps = [
            Posterior::from_counts(100, 1000),
            Posterior::from_counts(130, 1000),
            Posterior::from_counts(90, 1000),
        ];
        let best = prob_best(&ps, 1, 20_000);
        assert!((best.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(best[1] > 0.9);
        assert_eq!(best, prob_best(&ps, 1, 20_000));
    }
}
