//! Frequentist tests on conversion counts: the pooled two-proportion z-test and the
//! chi-square test of independence for two or more variants.

use crate::json::ToJson;

use super::distributions::{chi2_sf, normal_sf};

/// A two-proportion z-test result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZTest {
    /// `(p2 - p1) / se_pooled`; positive when the second rate is higher.
    pub z: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// The pooled two-proportion z-test of `x2/n2` against `x1/n1` (two-sided):
/// `z = (p2 - p1) / sqrt(p(1 - p)(1/n1 + 1/n2))` with `p = (x1 + x2)/(n1 + n2)`.
/// When every exposure converted or none did the rates are equal and `z = 0`, `p = 1`.
pub fn two_proportion_z(x1: f64, n1: f64, x2: f64, n2: f64) -> ZTest {
    if n1 <= 0.0 || n2 <= 0.0 {
        return ZTest {
            z: f64::NAN,
            p_value: f64::NAN,
        };
    }
    let p1 = x1 / n1;
    let p2 = x2 / n2;
    let pooled = (x1 + x2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        return ZTest {
            z: 0.0,
            p_value: 1.0,
        };
    }
    let z = (p2 - p1) / se;
    ZTest {
        z,
        p_value: (2.0 * normal_sf(z.abs())).min(1.0),
    }
}

/// A chi-square test result.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct ChiSquare {
    /// Pearson's statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// `P(X > statistic)`.
    pub p_value: f64,
}

/// Pearson's chi-square test of independence on the variants x (converted, not
/// converted) table, without Yates' correction (so with two variants the statistic is
/// the pooled z squared and the p-values agree). `counts` are (conversions, exposures).
pub fn chi_square(counts: &[(f64, f64)]) -> ChiSquare {
    let total: f64 = counts.iter().map(|c| c.1).sum();
    let converted: f64 = counts.iter().map(|c| c.0).sum();
    let df = counts.len().saturating_sub(1) as f64;
    if total <= 0.0 || converted <= 0.0 || converted >= total {
        // No variation in the outcome: nothing to test.
        return ChiSquare {
            statistic: 0.0,
            df,
            p_value: 1.0,
        };
    }
    let rate = converted / total;
    let statistic = counts
        .iter()
        .filter(|c| c.1 > 0.0)
        .map(|&(x, n)| {
            let e1 = n * rate;
            let e0 = n * (1.0 - rate);
            (x - e1).powi(2) / e1 + (n - x - e0).powi(2) / e0
        })
        .sum();
    ChiSquare {
        statistic,
        df,
        p_value: chi2_sf(statistic, df),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_reference() {
        let t = two_proportion_z(100.0, 1000.0, 130.0, 1000.0);
        assert!((t.z - 2.1027).abs() < 5e-5, "{}", t.z);
        assert!((t.p_value - 0.0355).abs() < 5e-5, "{}", t.p_value);
        let c = chi_square(&[(100.0, 1000.0), (130.0, 1000.0)]);
        assert!((c.statistic - t.z * t.z).abs() < 1e-9);
        assert!((c.p_value - t.p_value).abs() < 1e-12);
    }

    #[test]
    fn no_variation_is_no_evidence() {
        assert_eq!(two_proportion_z(0.0, 10.0, 0.0, 20.0).p_value, 1.0);
        assert_eq!(chi_square(&[(5.0, 5.0), (7.0, 7.0)]).p_value, 1.0);
    }
}
