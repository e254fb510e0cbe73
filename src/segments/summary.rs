//! Small descriptive statistics: type-7 quantiles (numpy's default, DuckDB's
//! `quantile_cont`), medians, and mean / median / sample variance of a list.

use serde::Serialize;

/// The quantile `p` (0..=1) of ascending `sorted` values by linear interpolation
/// between closest ranks (Hyndman & Fan type 7); `NaN` for no values.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let (a, b) = (sorted[lo], sorted[hi]);
    if a == b {
        // Equal neighbours: the value itself, exactly (keeps ties on the threshold).
        return a;
    }
    // numpy's `_lerp`, operation for operation, so thresholds agree with numpy to the
    // last bit (a value can sit exactly on a threshold, where one ulp changes a score).
    let t = h - lo as f64;
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

/// Sorts finite values ascending (non-finite values are dropped).
pub fn sorted_finite(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Mean, median, sample variance (n - 1), min and max of a list; `None` where undefined
/// (no values; variance with fewer than two).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Spread {
    /// Number of values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Median (type-7 quantile 0.5).
    pub median: Option<f64>,
    /// Sample variance, divided by `n - 1`.
    pub variance: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
}

impl Spread {
    /// The statistics of `values` (non-finite values are left out).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Spread {
        let sorted = sorted_finite(values);
        let n = sorted.len();
        if n == 0 {
            return Spread::default();
        }
        let mean = sorted.iter().sum::<f64>() / n as f64;
        // Two-pass variance: exact enough for money without a compensated sum.
        let variance = (n > 1)
            .then(|| sorted.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64);
        Spread {
            count: n,
            mean: Some(mean),
            median: Some(quantile_sorted(&sorted, 0.5)),
            variance,
            min: sorted.first().copied(),
            max: sorted.last().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_seven_quantiles_match_numpy() {
        // numpy.quantile([1, 2, 3, 4, 10], [0.2, 0.5, 0.9]) = [1.8, 3.0, 7.6]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_sorted(&v, 0.2) - 1.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert!((quantile_sorted(&v, 0.9) - 7.6).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[5.0], 0.3), 5.0);
        assert!(quantile_sorted(&[], 0.3).is_nan());
    }

    #[test]
    fn spread_uses_the_sample_variance() {
        let s = Spread::of([1.0, 2.0, 3.0, 4.0, f64::NAN]);
        assert_eq!(s.count, 4);
        assert_eq!(s.mean, Some(2.5));
        assert_eq!(s.median, Some(2.5));
        assert!((s.variance.unwrap() - 5.0 / 3.0).abs() < 1e-12);
        assert_eq!(Spread::of([7.0]).variance, None);
        assert_eq!(Spread::of([]).mean, None);
    }
}
