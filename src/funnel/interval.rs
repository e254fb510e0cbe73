//! Conversion rates and their Wilson intervals, in the shape funnel results use.

use crate::stats::intervals;

/// The Wilson 95% interval of `successes` out of `trials`, or `None` without trials.
pub fn wilson(successes: usize, trials: usize) -> Option<[f64; 2]> {
    (trials > 0).then(|| {
        let r = intervals::wilson(successes as f64, trials as f64, 0.05);
        [r.low, r.high]
    })
}

/// `part / whole`, or `None` when `whole` is zero.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_closed_forms_at_zero_and_n() {
        // At 0 successes the upper bound is z^2 / (n + z^2); at n the lower is n / (n + z^2).
        let z2 = 1.959_963_984_540_054f64.powi(2);
        let [lo, hi] = wilson(0, 10).unwrap();
        assert!(lo.abs() < 1e-12 && (hi - z2 / (10.0 + z2)).abs() < 1e-12);
        let [lo, hi] = wilson(10, 10).unwrap();
        assert!((lo - 10.0 / (10.0 + z2)).abs() < 1e-12 && (hi - 1.0).abs() < 1e-12);
        assert_eq!(wilson(0, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
