//! Small descriptive statistics: type-7 quantiles (numpy's default, DuckDB's
//! `quantile_cont`), medians, and mean / median / sample variance of a list.

use crate::json::ToJson;

/// The quantile `p` (0..=1) of ascending `sorted` values by linear interpolation
/// between closest ranks (Hyndman & Fan type 7); `NaN` for no values.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let (lo, hi, t) = type7_ranks(n, p);
    type7(sorted[lo], sorted[hi], t)
}

/// The two ranks (0-based) a type-7 quantile `p` of `n > 0` values reads, and the weight
/// of the second.
pub fn type7_ranks(n: usize, p: f64) -> (usize, usize, f64) {
    let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    (lo, (lo + 1).min(n - 1), h - lo as f64)
}

/// The type-7 quantile between the values `a` and `b` at the ranks [`type7_ranks`] gave.
pub fn type7(a: f64, b: f64, t: f64) -> f64 {
    if a == b {
        // Equal neighbours: the value itself, exactly (keeps ties on the threshold).
        return a;
    }
    // numpy's `_lerp`, operation for operation, so thresholds agree with numpy to the
    // last bit (a value can sit exactly on a threshold, where one ulp changes a score).
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

/// The type-7 quantiles `ps` of the finite values (non-finite values are dropped), equal
/// to [`quantile_sorted`] on the sorted values but without sorting them: a quantile reads
/// only two ranks, and putting a few ranks in place by selection is linear, where a sort of
/// a million values is the slowest step of an RFM.
pub fn quantiles(values: impl IntoIterator<Item = f64>, ps: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    let n = v.len();
    if n == 0 {
        return vec![f64::NAN; ps.len()];
    }
    // The ranks quantile_sorted reads: floor(h) and the one after it.
    let mut ranks: Vec<usize> = ps
        .iter()
        .flat_map(|&p| {
            let lo = ((n - 1) as f64 * p.clamp(0.0, 1.0)).floor() as usize;
            [lo, (lo + 1).min(n - 1)]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    select_ranks(&mut v, &ranks);
    // Every rank read below holds its sorted value; the others are never looked at.
    ps.iter().map(|&p| quantile_sorted(&v, p)).collect()
}

/// Reorders `v` so that each of the ascending `ranks` holds the value a sort would put
/// there: selects the middle rank, then recurses into the parts on either side of it.
pub(crate) fn select_ranks(v: &mut [f64], ranks: &[usize]) {
    let Some(&k) = ranks.get(ranks.len() / 2) else {
        return;
    };
    let mid = ranks.len() / 2;
    let (left, _, right) = v.select_nth_unstable_by(k, f64::total_cmp);
    select_ranks(left, &ranks[..mid]);
    let shifted: Vec<usize> = ranks[mid + 1..].iter().map(|&r| r - k - 1).collect();
    select_ranks(right, &shifted);
}

/// Sorts finite values ascending (non-finite values are dropped).
pub fn sorted_finite(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Mean, median, sample variance (n - 1), min and max of a list; `None` where undefined
/// (no values; variance with fewer than two).
#[derive(Debug, Clone, Copy, Default, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
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
    /// The statistics of `values` (non-finite values are left out). The median is
    /// selected, not sorted for: a segment can have a million members.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Spread {
        let v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        let n = v.len();
        if n == 0 {
            return Spread::default();
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        // Two-pass variance: exact enough for money without a compensated sum.
        let variance =
            (n > 1).then(|| v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64);
        let (min, max) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            });
        Spread {
            count: n,
            mean: Some(mean),
            median: quantiles(v, &[0.5]).first().copied(),
            variance,
            min: Some(min),
            max: Some(max),
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
    fn selected_quantiles_equal_sorted_ones() {
        // Many ties, a spread of values and awkward lengths, against the sort.
        let mut state = 7_u64;
        for n in [1_usize, 2, 3, 5, 17, 100, 1001] {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 40) % 13) as f64 * 0.5
                })
                .chain([f64::NAN, f64::INFINITY])
                .collect();
            let ps = [0.0, 0.1, 0.2, 0.25, 0.5, 0.6, 0.8, 0.99, 1.0];
            let sorted = sorted_finite(v.iter().copied());
            let want: Vec<f64> = ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect();
            assert_eq!(quantiles(v, &ps), want, "n = {n}");
        }
        assert!(quantiles([], &[0.5])[0].is_nan());
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
