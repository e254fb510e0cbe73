//! The distributions the tests need: standard normal (cdf, tail, quantile), Student's t
//! (tail, quantile) and chi-square (tail).

use super::special::{beta_inc_xy, gamma_p, gamma_q, ln_gamma};

/// `P(Z <= x)` for a standard normal `Z`.
pub fn normal_cdf(x: f64) -> f64 {
    // Φ(x) = erfc(-x/√2)/2 and erfc(z) = Q(1/2, z²): the upper incomplete gamma keeps
    // tail digits that 1 - erf would lose.
    let h = 0.5 * x * x;
    if x < 0.0 {
        0.5 * gamma_q(0.5, h)
    } else {
        0.5 + 0.5 * gamma_p(0.5, h)
    }
}

/// `P(Z > x)` for a standard normal `Z`.
pub fn normal_sf(x: f64) -> f64 {
    normal_cdf(-x)
}

/// The standard normal density.
pub fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The standard normal quantile `Φ⁻¹(p)` (Wichura's AS 241, about 16 digits);
/// `-inf`/`inf` at 0 and 1, NaN outside `[0, 1]`.
// The coefficients are kept digit for digit as published, so they can be checked.
#[allow(clippy::excessive_precision)]
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 8] = [
        3.387_132_872_796_366_608,
        133.141_667_891_784_377_45,
        1_971.590_950_306_551_442_7,
        13_731.693_765_509_461_125,
        45_921.953_931_549_871_457,
        67_265.770_927_008_700_853,
        33_430.575_583_588_128_105,
        2_509.080_928_730_122_672_7,
    ];
    const B: [f64; 8] = [
        1.0,
        42.313_330_701_600_911_252,
        687.187_007_492_057_908_3,
        5_394.196_021_424_751_107_7,
        21_213.794_301_586_595_867,
        39_307.895_800_092_710_61,
        28_729.085_735_721_942_674,
        5_226.495_278_852_854_561,
    ];
    const C: [f64; 8] = [
        1.423_437_110_749_683_577_34,
        4.630_337_846_156_545_295_9,
        5.769_497_221_460_691_405_5,
        3.647_848_324_763_204_605_04,
        1.270_458_252_452_368_382_58,
        0.241_780_725_177_450_611_77,
        0.022_723_844_989_269_184_583_3,
        7.745_450_142_783_414_076_4e-4,
    ];
    const D: [f64; 8] = [
        1.0,
        2.053_191_626_637_758_821_87,
        1.676_384_830_183_803_849_4,
        0.689_767_334_985_100_004_55,
        0.148_103_976_427_480_074_59,
        0.015_198_666_563_616_457_196_6,
        5.475_938_084_995_344_946e-4,
        1.050_750_071_644_416_843_24e-9,
    ];
    const E: [f64; 8] = [
        6.657_904_643_501_103_777_2,
        5.463_784_911_164_114_369_9,
        1.784_826_539_917_291_335_8,
        0.296_560_571_828_504_891_23,
        0.026_532_189_526_576_123_093,
        1.242_660_947_388_078_438_6e-3,
        2.711_555_568_743_487_578_15e-5,
        2.010_334_399_292_288_132_65e-7,
    ];
    const F: [f64; 8] = [
        1.0,
        0.599_832_206_555_887_937_69,
        0.136_929_880_922_735_805_31,
        0.014_875_361_290_850_614_852_5,
        7.868_691_311_456_132_591e-4,
        1.846_318_317_510_054_681_8e-5,
        1.421_511_758_316_445_888_7e-7,
        2.044_263_103_389_939_785_64e-15,
    ];
    let poly = |c: &[f64; 8], x: f64| c.iter().rev().fold(0.0, |acc, &k| acc * x + k);
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180_625 - q * q;
        return q * poly(&A, r) / poly(&B, r);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let r = (-tail.ln()).sqrt();
    let value = if r <= 5.0 {
        let r = r - 1.6;
        poly(&C, r) / poly(&D, r)
    } else {
        let r = r - 5.0;
        poly(&E, r) / poly(&F, r)
    };
    if q < 0.0 {
        -value
    } else {
        value
    }
}

/// `P(T > t)` for Student's t with `df` degrees of freedom (`df > 0`).
pub fn t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if t.is_infinite() {
        return if t > 0.0 { 0.0 } else { 1.0 };
    }
    let t2 = t * t;
    // P(|T| > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2), with both arguments formed without
    // cancellation.
    let two_sided = beta_inc_xy(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
    if t >= 0.0 {
        0.5 * two_sided
    } else {
        1.0 - 0.5 * two_sided
    }
}

/// The density of Student's t with `df` degrees of freedom.
pub fn t_pdf(t: f64, df: f64) -> f64 {
    let ln = ln_gamma(0.5 * (df + 1.0))
        - ln_gamma(0.5 * df)
        - 0.5 * (df * std::f64::consts::PI).ln()
        - 0.5 * (df + 1.0) * (t * t / df).ln_1p();
    ln.exp()
}

/// The `p` quantile of Student's t with `df` degrees of freedom, by safeguarded Newton
/// steps on [`t_sf`] from the normal quantile.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if p.is_nan() || df.is_nan() || df <= 0.0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.5 {
        return 0.0;
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    // Solve t_sf(t) = 1 - p for t > 0; the t quantile is at least the normal one.
    let target = 1.0 - p;
    let mut low = 0.0;
    let mut high = normal_quantile(p).max(1.0);
    while t_sf(high, df) > target {
        low = high;
        high *= 2.0;
        if !high.is_finite() {
            return f64::INFINITY;
        }
    }
    let mut t = 0.5 * (low + high);
    for _ in 0..200 {
        let f = t_sf(t, df) - target;
        if f > 0.0 {
            low = t;
        } else {
            high = t;
        }
        let step = f / t_pdf(t, df);
        let next = t + step;
        t = if next > low && next < high && step.is_finite() {
            next
        } else {
            0.5 * (low + high)
        };
        if (high - low) <= 1e-15 * t.abs() || step.abs() <= 1e-15 * t.abs() {
            break;
        }
    }
    t
}

/// `P(X > x)` for a chi-square `X` with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: f64) -> f64 {
    if x.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    gamma_q(0.5 * df, 0.5 * x.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_known_values() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-16);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-15);
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((normal_quantile(0.8) - 0.841_621_233_572_914_3).abs() < 1e-14);
        assert!((normal_quantile(1e-20) + 9.262_340_089_798_408).abs() < 1e-12);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
        assert!(normal_quantile(1.5).is_nan());
    }

    #[test]
    fn t_and_chi2_known_values() {
        // t with 1 df is Cauchy: P(T > 1) = 1/4.
        assert!((t_sf(1.0, 1.0) - 0.25).abs() < 1e-14);
        assert!((t_quantile(0.975, 10.0) - 2.228_138_851_986_522).abs() < 1e-12);
        // chi-square with 2 df: P(X > x) = exp(-x/2).
        assert!((chi2_sf(3.0, 2.0) - (-1.5_f64).exp()).abs() < 1e-15);
    }
}
