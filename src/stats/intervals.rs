//! Confidence intervals of proportions and of differences of proportions.

use crate::json::ToJson;

use super::distributions::normal_quantile;

/// A rate with its confidence interval; all three are `NaN` (null in JS) when the
/// denominator is zero.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
pub struct Rate {
    /// The observed rate.
    pub value: f64,
    /// Lower bound of the interval.
    pub low: f64,
    /// Upper bound of the interval.
    pub high: f64,
}

/// An estimate with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
pub struct Estimate {
    /// The point estimate.
    pub estimate: f64,
    /// Lower bound of the interval.
    pub low: f64,
    /// Upper bound of the interval.
    pub high: f64,
}

/// The two-sided critical value `z_{1 - alpha/2}` of a confidence level `1 - alpha`.
pub fn z_critical(alpha: f64) -> f64 {
    normal_quantile(1.0 - 0.5 * alpha)
}

/// The rate `successes / n` with its Wilson score interval at level `1 - alpha`. Wilson
/// rather than the normal (Wald) interval because it stays inside [0, 1] and is sensible
/// at 0 and n successes and for small n.
pub fn wilson(successes: f64, n: f64, alpha: f64) -> Rate {
    if n <= 0.0 || n.is_nan() {
        return Rate {
            value: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        };
    }
    let p = successes / n;
    let z = z_critical(alpha);
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    // At 0 and n successes the bound is exactly 0 or 1; rounding must not push it past.
    let low = if successes <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    Rate {
        value: p,
        low,
        high,
    }
}

/// The difference `p2 - p1` of two proportions with Newcombe's hybrid score interval
/// (method 10 of Newcombe 1998, built from the two Wilson intervals; statsmodels'
/// default). It keeps good coverage at rates near 0 or 1 where the Wald interval
/// collapses to a point.
pub fn newcombe_difference(x1: f64, n1: f64, x2: f64, n2: f64, alpha: f64) -> Estimate {
    let a = wilson(x1, n1, alpha);
    let b = wilson(x2, n2, alpha);
    let d = b.value - a.value;
    Estimate {
        estimate: d,
        low: d - ((b.value - b.low).powi(2) + (a.high - a.value).powi(2)).sqrt(),
        high: d + ((b.high - b.value).powi(2) + (a.value - a.low).powi(2)).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_at_the_edges() {
        let r = wilson(0.0, 10.0, 0.05);
        assert_eq!(r.low, 0.0);
        assert!((r.high - 0.277_532_799_862_889_7).abs() < 1e-12);
        let r = wilson(10.0, 10.0, 0.05);
        assert_eq!(r.high, 1.0);
        assert!(wilson(0.0, 0.0, 0.05).value.is_nan());
    }

    #[test]
    fn newcombe_contains_the_estimate() {
        let d = newcombe_difference(100.0, 1000.0, 130.0, 1000.0, 0.05);
        assert!((d.estimate - 0.03).abs() < 1e-15);
        assert!(d.low < 0.03 && d.high > 0.03 && d.low > 0.0);
    }
}
