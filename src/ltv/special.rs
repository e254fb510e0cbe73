//! Special functions the lifetime-value models need: `ln Γ`, digamma and the Gauss
//! hypergeometric function. Only real arguments, only the domains the models use; every
//! function returns `NaN` (never panics) outside its domain so callers can check.

use std::f64::consts::PI;

/// `0.5 * ln(2π)`.
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// `ln Γ(x)` for `x > 0` (`NaN` otherwise). Absolute error about 1e-15 near the zeros at
/// 1 and 2, relative error about 1e-15 elsewhere: shifts `x` up to at least 10 and uses
/// Stirling's series there, where seven correction terms are exact to double precision.
pub fn ln_gamma(x: f64) -> f64 {
    if x == f64::INFINITY {
        return x;
    }
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut shift = 0.0;
    let mut z = x;
    let mut product = 1.0;
    while z < 10.0 {
        product *= z;
        z += 1.0;
    }
    if product != 1.0 {
        shift = product.ln();
    }
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    let series = inv
        * (1.0 / 12.0
            + inv2
                * (-1.0 / 360.0
                    + inv2
                        * (1.0 / 1260.0
                            + inv2
                                * (-1.0 / 1680.0
                                    + inv2
                                        * (1.0 / 1188.0
                                            + inv2 * (-691.0 / 360_360.0 + inv2 / 156.0))))));
    (z - 0.5) * z.ln() - z + HALF_LN_2PI + series - shift
}

/// The digamma function `ψ(x) = d/dx ln Γ(x)` for `x > 0` (`NaN` otherwise): the
/// recurrence `ψ(x) = ψ(x + 1) - 1/x` up to 10, then the asymptotic series.
pub fn digamma(x: f64) -> f64 {
    if x == f64::INFINITY {
        return x;
    }
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut z = x;
    let mut acc = 0.0;
    while z < 10.0 {
        acc -= 1.0 / z;
        z += 1.0;
    }
    let inv2 = 1.0 / (z * z);
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32_760.0)))));
    acc + z.ln() - 0.5 / z - series
}

/// `ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b)`.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// The most terms a hypergeometric series may take before it counts as not converging.
pub const MAX_SERIES_TERMS: usize = 20_000;

/// The Gauss hypergeometric function `₂F₁(a, b; c; z)` for real parameters and
/// `-1 < z < 1`, by its power series (`-1 < z < -0.5` goes through Pfaff's
/// transformation to a positive argument, where the series does not alternate).
///
/// Returns `NaN` when `c` is a non-positive integer, `z` is outside the domain, or the
/// series has not converged after [`MAX_SERIES_TERMS`] terms (z close to 1 with
/// parameters that make it converge slowly).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z > -1.0 && z < 1.0) {
        return f64::NAN;
    }
    if z < -0.5 {
        // Pfaff: F(a,b;c;z) = (1-z)^(-b) F(b, c-a; c; z/(z-1)), z/(z-1) in (1/3, 1/2).
        let w = z / (z - 1.0);
        return (1.0 - z).powf(-b) * hyp2f1_series(b, c - a, c, w, 0);
    }
    hyp2f1_series(a, b, c, z, 0)
}

/// `Σ_{n >= start} (a)_n (b)_n / ((c)_n n!) z^n`, summed until the terms are negligible.
/// `NaN` if a denominator vanishes or the sum does not converge.
pub fn hyp2f1_series(a: f64, b: f64, c: f64, z: f64, start: usize) -> f64 {
    let mut term = 1.0;
    let mut sum = if start == 0 { 1.0 } else { 0.0 };
    for n in 0..MAX_SERIES_TERMS {
        let nf = n as f64;
        let denominator = (c + nf) * (nf + 1.0);
        if denominator == 0.0 {
            return f64::NAN;
        }
        term *= (a + nf) * (b + nf) / denominator * z;
        if n + 1 >= start {
            sum += term;
        }
        if term == 0.0 || (n > 2 && term.abs() <= 1e-17 * sum.abs() && converging(a, b, c, z, nf)) {
            return sum;
        }
        if !sum.is_finite() {
            return f64::NAN;
        }
    }
    f64::NAN
}

/// Whether the series' terms decrease from term `n` on (the ratio of successive terms
/// has fallen below one), so that a negligible term means a negligible tail.
fn converging(a: f64, b: f64, c: f64, z: f64, n: f64) -> bool {
    let m = n + 1.0;
    ((a + m) * (b + m) / ((c + m) * (m + 1.0)) * z).abs() < 1.0
}

/// `expm1(y) / y`, equal to 1 at `y = 0` (used for limits such as `(1 - x^(1-a))/(a-1)`
/// as `a -> 1`).
pub fn exprel(y: f64) -> f64 {
    if y.abs() < 1e-8 {
        1.0 + y / 2.0
    } else {
        y.exp_m1() / y
    }
}

/// `E[f(p)]` for `p ~ Beta(a, b)`, by tanh-sinh (double exponential) quadrature, which
/// copes with the Beta density's integrable singularities at 0 and 1. `f` should vanish at
/// both ends (callers subtract its end values) so that the mass the nodes cannot reach,
/// within ~1e-37 of an end, does not matter. `NaN` if it does not settle.
pub fn beta_expectation(a: f64, b: f64, f: impl Fn(f64, f64) -> f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return f64::NAN;
    }
    let ln_norm = ln_beta(a, b);
    // The integrand at node t: p = 1/(1+e^(-2u)), u = π/2 sinh t, dp/dt = π cosh t p (1-p).
    // `f` gets p and 1-p, both computed without cancellation.
    let at = |t: f64| -> f64 {
        let u = 0.5 * PI * t.sinh();
        let (ln_p, ln_q) = if u >= 0.0 {
            let e = (-2.0 * u).exp();
            (-e.ln_1p(), -2.0 * u - e.ln_1p())
        } else {
            let e = (2.0 * u).exp();
            (2.0 * u - e.ln_1p(), -e.ln_1p())
        };
        let p = ln_p.exp();
        let q = ln_q.exp();
        let value = f(p, q);
        if value == 0.0 {
            return 0.0;
        }
        let ln_weight = a * ln_p + b * ln_q - ln_norm + (PI * t.cosh()).ln();
        value * ln_weight.exp()
    };
    const T_MAX: f64 = 4.0;
    let mut h = 0.5;
    let mut sum = at(0.0);
    let mut k = 1;
    while (k as f64) * h <= T_MAX {
        let t = k as f64 * h;
        sum += at(t) + at(-t);
        k += 1;
    }
    let mut estimate = sum * h;
    for _level in 0..8 {
        h /= 2.0;
        let mut k = 1;
        while (k as f64) * h <= T_MAX {
            let t = k as f64 * h;
            sum += at(t) + at(-t);
            k += 2;
        }
        let next = sum * h;
        if !next.is_finite() {
            return f64::NAN;
        }
        if (next - estimate).abs() <= 1e-13 * next.abs().max(1e-300) {
            return next;
        }
        estimate = next;
    }
    // Eight halvings: ~1,400 nodes. The last estimate is good to the change seen.
    estimate
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn ln_gamma_matches_known_values() {
        assert!(ln_gamma(1.0).abs() < 1e-14);
        assert!(ln_gamma(2.0).abs() < 1e-14);
        assert!(close(ln_gamma(0.5), 0.5 * PI.ln(), 1e-14));
        assert!(close(ln_gamma(10.0), 362_880f64.ln(), 1e-14));
        assert!(close(ln_gamma(1e-8), 18.420_680_738_180_2, 1e-12));
        assert!(ln_gamma(0.0).is_nan());
        assert!(ln_gamma(-1.5).is_nan());
        assert!(ln_gamma(f64::NAN).is_nan());
    }

    #[test]
    fn digamma_matches_known_values() {
        let euler = 0.577_215_664_901_532_9;
        assert!(close(digamma(1.0), -euler, 1e-14));
        assert!(close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14));
        // Derivative of ln_gamma.
        for x in [0.3, 1.7, 9.5, 42.0, 1e4] {
            let h = 1e-5 * x;
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!(close(digamma(x), numeric, 1e-7), "{x}");
        }
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // F(1,1;2;z) = -ln(1-z)/z.
        for z in [-0.9, -0.3, 0.2, 0.7, 0.95] {
            let exact = -(1.0f64 - z).ln() / z;
            assert!(close(hyp2f1(1.0, 1.0, 2.0, z), exact, 1e-13), "{z}");
        }
        // F(a,b;b;z) = (1-z)^(-a).
        assert!(close(hyp2f1(0.3, 2.0, 2.0, 0.5), 0.5f64.powf(-0.3), 1e-14));
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_nan());
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
    }

    #[test]
    fn beta_expectation_integrates_moments() {
        // E[p(1-p)] = ab / ((a+b)(a+b+1)), even with singular densities.
        for (a, b) in [
            (0.5, 0.5),
            (2.0, 3.0),
            (0.05, 4.0),
            (3.0, 0.2),
            (0.8, 10_000.0),
        ] {
            let v = beta_expectation(a, b, |p, q| p * q);
            let exact = a * b / ((a + b) * (a + b + 1.0));
            assert!((v - exact).abs() < 1e-10 * exact, "{a} {b}: {v}");
        }
        // E[p] = a/(a+b) when little mass sits within 1e-37 of the ends.
        let mean = beta_expectation(2.0, 3.0, |p, _| p);
        assert!((mean - 0.4).abs() < 1e-12);
        assert!(beta_expectation(0.0, 1.0, |p, _| p).is_nan());
    }
}
