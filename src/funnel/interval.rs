//! Wilson score intervals for conversion rates.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson 95% interval of `successes` out of `trials`, or `None` without trials.
pub fn wilson(successes: usize, trials: usize) -> Option<[f64; 2]> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some([(centre - half).max(0.0), (centre + half).min(1.0)])
}

/// `part / whole`, or `None` when `whole` is zero.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_published_values() {
        // statsmodels proportion_confint(81, 263, method="wilson") = (0.2553, 0.3662)
        let [lo, hi] = wilson(81, 263).unwrap();
        assert!(
            (lo - 0.25526).abs() < 1e-4 && (hi - 0.36619).abs() < 1e-4,
            "{lo} {hi}"
        );
        let [lo, hi] = wilson(0, 10).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.27753).abs() < 1e-4);
        let [lo, hi] = wilson(10, 10).unwrap();
        assert!((lo - 0.72247).abs() < 1e-4 && (hi - 1.0).abs() < 1e-12);
        assert_eq!(wilson(0, 0), None);
    }
}
