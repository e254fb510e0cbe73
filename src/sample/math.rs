//! `ln` and `exp` built from `+ - * /` and bit manipulation only, so the generator gives
//! bit-identical results on every target (the platform `f64::ln`/`exp` come from libm,
//! which differs between native and wasm32). Accuracy is ~1e-15 relative: plenty for
//! sampling, and deterministic by construction.

/// ln 2 split (as in fdlibm) so that `k * LN2_HI` is exact for the k we meet.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
const LN2: f64 = std::f64::consts::LN_2;
const SQRT2: f64 = std::f64::consts::SQRT_2;

/// Natural logarithm; `-inf` for 0, NaN for negative or NaN input.
pub(crate) fn ln(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x == f64::INFINITY {
        return x;
    }
    let mut bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64;
    if exponent == 0 {
        // Subnormal: scale into the normal range first (2^54 is exact).
        bits = (x * 18_014_398_509_481_984.0).to_bits();
        exponent = ((bits >> 52) & 0x7ff) as i64 - 54;
    }
    exponent -= 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > SQRT2 {
        m *= 0.5;
        exponent += 1;
    }
    // ln(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let series = 1.0
        + s2 * (1.0 / 3.0
            + s2 * (1.0 / 5.0
                + s2 * (1.0 / 7.0
                    + s2 * (1.0 / 9.0
                        + s2 * (1.0 / 11.0
                            + s2 * (1.0 / 13.0 + s2 * (1.0 / 15.0 + s2 * (1.0 / 17.0))))))));
    let e = exponent as f64;
    e * LN2_HI + (e * LN2_LO + 2.0 * s * series)
}

/// `e^x`; saturates to `inf` above 709.7 and to 0 below -745.
pub(crate) fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > 709.7 {
        return f64::INFINITY;
    }
    if x < -745.0 {
        return 0.0;
    }
    let half = if x >= 0.0 { 0.5 } else { -0.5 };
    let k = (x / LN2 + half) as i64; // round to nearest (cast truncates toward zero)
    let kf = k as f64;
    let r = (x - kf * LN2_HI) - kf * LN2_LO; // |r| <= ln2/2
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..=14 {
        term = term * r / i as f64;
        sum += term;
    }
    // Scale by 2^k in two steps so subnormal results and k = 1024 are exact.
    let k1 = k / 2;
    let k2 = k - k1;
    sum * pow2(k1) * pow2(k2)
}

/// 2^k for -1022 <= k <= 1023 (callers stay well inside).
fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023).clamp(1, 2046) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_and_exp_match_the_platform_closely() {
        let xs = [
            1e-300, 1e-10, 0.001, 0.1, 0.5, 0.999, 1.0, 1.5, 2.0, 3.0, 10.0, 123.456, 1e10, 1e300,
        ];
        for &x in &xs {
            let got = ln(x);
            let want = x.ln();
            assert!(
                (got - want).abs() <= 1e-14 * want.abs().max(1.0),
                "ln({x}) = {got}, want {want}"
            );
        }
        for &x in &[-700.0, -20.0, -1.0, -1e-9, 0.0, 0.3, 1.0, 2.5, 20.0, 700.0] {
            let got = exp(x);
            let want = f64::exp(x);
            assert!(
                (got - want).abs() <= 1e-14 * want,
                "exp({x}) = {got}, want {want}"
            );
        }
        assert_eq!(ln(0.0), f64::NEG_INFINITY);
        assert!(ln(-1.0).is_nan());
        assert_eq!(exp(1000.0), f64::INFINITY);
        assert_eq!(exp(-1000.0), 0.0);
        assert_eq!(ln(1.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn ln_of_subnormals_is_finite() {
        let x = f64::MIN_POSITIVE / 1024.0;
        assert!((ln(x) - x.ln()).abs() < 1e-12 * x.ln().abs());
    }
}
