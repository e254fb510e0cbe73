//! src/stats against scipy (tests/fixtures/stats/reference.json, written by
//! tests/reference/stats_reference.py) and the published values in SEMANTICS.md.

use insitu::stats::bayes::{prob_best, prob_greater, Posterior};
use insitu::stats::distributions::{chi2_sf, normal_cdf, normal_quantile, t_quantile, t_sf};
use insitu::stats::intervals::{newcombe_difference, wilson};
use insitu::stats::proportions::{chi_square, two_proportion_z};
use insitu::stats::special::{beta_inc, gamma_p, ln_gamma};
use insitu::stats::{
    ab_test, sample_size, welch_test, AbTestOptions, SampleInput, SampleSizeOptions, VariantInput,
    WelchOptions,
};
use serde_json::Value;

fn reference() -> Value {
    let text = include_str!("fixtures/stats/reference.json");
    serde_json::from_str(text).expect("reference.json")
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn rows<'a>(r: &'a Value, key: &str) -> &'a Vec<Value> {
    r[key].as_array().expect(key)
}

/// `got` within `rel` of `want` (relative), or within `abs` when `want` is tiny.
#[track_caller]
fn close(what: &str, got: f64, want: f64, rel: f64) {
    let tol = rel * want.abs().max(1e-300);
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got:e}, scipy {want:e} (rel. error {:e})",
        ((got - want) / want).abs()
    );
}

#[test]
fn normal_distribution() {
    let r = reference();
    for c in rows(&r, "normalCdf") {
        let (x, want) = (num(&c[0]), num(&c[1]));
        close(&format!("Φ({x})"), normal_cdf(x), want, 1e-12);
    }
    for c in rows(&r, "normalQuantile") {
        let (p, want) = (num(&c[0]), num(&c[1]));
        if want == 0.0 {
            assert_eq!(normal_quantile(p), 0.0);
        } else {
            close(&format!("Φ⁻¹({p})"), normal_quantile(p), want, 1e-13);
        }
    }
}

#[test]
fn t_and_chi_square_distributions() {
    let r = reference();
    for c in rows(&r, "tSf") {
        let (t, df, want) = (num(&c[0]), num(&c[1]), num(&c[2]));
        close(&format!("t_sf({t}, {df})"), t_sf(t, df), want, 5e-10);
    }
    for c in rows(&r, "tQuantile") {
        let (p, df, want) = (num(&c[0]), num(&c[1]), num(&c[2]));
        close(&format!("t_ppf({p}, {df})"), t_quantile(p, df), want, 1e-10);
    }
    for c in rows(&r, "chi2Sf") {
        let (x, df, want) = (num(&c[0]), num(&c[1]), num(&c[2]));
        close(&format!("chi2_sf({x}, {df})"), chi2_sf(x, df), want, 1e-11);
    }
}

#[test]
fn special_functions() {
    let r = reference();
    for c in rows(&r, "betaInc") {
        let (a, b, x, want) = (num(&c[0]), num(&c[1]), num(&c[2]), num(&c[3]));
        // Large shapes lose a few digits to ln B(a, b) cancellation.
        close(&format!("I_{x}({a}, {b})"), beta_inc(a, b, x), want, 1e-9);
    }
    for c in rows(&r, "gammaP") {
        let (a, x, want) = (num(&c[0]), num(&c[1]), num(&c[2]));
        close(&format!("P({a}, {x})"), gamma_p(a, x), want, 1e-12);
    }
    for c in rows(&r, "lnGamma") {
        let (x, want) = (num(&c[0]), num(&c[1]));
        close(&format!("lnΓ({x})"), ln_gamma(x), want, 1e-13);
    }
}

#[test]
fn wilson_intervals_including_zero_and_all_successes() {
    let r = reference();
    for c in rows(&r, "wilson") {
        let (k, n, conf) = (num(&c["successes"]), num(&c["n"]), num(&c["confidence"]));
        let w = wilson(k, n, 1.0 - conf);
        let what = format!("wilson({k}/{n}, {conf})");
        if k == 0.0 {
            assert_eq!(w.low, 0.0, "{what}");
        } else {
            close(&what, w.low, num(&c["low"]), 1e-12);
        }
        if k == n {
            assert_eq!(w.high, 1.0, "{what}");
        } else {
            close(&what, w.high, num(&c["high"]), 1e-12);
        }
    }
}

#[test]
fn z_test_and_difference_interval() {
    let r = reference();
    for c in rows(&r, "zTest") {
        let [x1, n1, x2, n2] = ["x1", "n1", "x2", "n2"].map(|k| num(&c[k]));
        let t = two_proportion_z(x1, n1, x2, n2);
        let what = format!("{x1}/{n1} vs {x2}/{n2}");
        close(&what, t.z, num(&c["z"]), 1e-12);
        close(&what, t.p_value, num(&c["pValue"]), 1e-10);
        let d = newcombe_difference(x1, n1, x2, n2, 0.05);
        close(&what, d.low, num(&c["difference"][0]), 1e-10);
        close(&what, d.high, num(&c["difference"][1]), 1e-10);
    }
}

#[test]
fn chi_square_for_three_and_four_variants() {
    let r = reference();
    for c in rows(&r, "chiSquare") {
        let counts: Vec<(f64, f64)> = c["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (num(&p[0]), num(&p[1])))
            .collect();
        let t = chi_square(&counts);
        let what = format!("{counts:?}");
        close(&what, t.statistic, num(&c["statistic"]), 1e-12);
        assert_eq!(t.df, num(&c["df"]));
        close(&what, t.p_value, num(&c["pValue"]), 1e-11);
    }
}

#[test]
fn bayesian_probabilities() {
    let r = reference();
    for c in rows(&r, "probabilityToBeat") {
        let a = Posterior::from_counts(c["a"][0].as_u64().unwrap(), c["a"][1].as_u64().unwrap());
        let b = Posterior::from_counts(c["b"][0].as_u64().unwrap(), c["b"][1].as_u64().unwrap());
        close(
            &format!("P(B > A) {c}"),
            prob_greater(b, a),
            num(&c["pBBeatsA"]),
            1e-9,
        );
    }
    // Sampling (100,000 draws): within 4 standard errors of the integral.
    for c in rows(&r, "probabilityToBeBest") {
        let posteriors: Vec<Posterior> = c["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| Posterior::from_counts(p[0].as_u64().unwrap(), p[1].as_u64().unwrap()))
            .collect();
        let got = prob_best(&posteriors, 1, 100_000);
        for (g, w) in got.iter().zip(c["best"].as_array().unwrap()) {
            let w = num(w);
            let se = (w * (1.0 - w) / 100_000.0).sqrt();
            assert!((g - w).abs() <= 4.0 * se + 1e-4, "best: got {g}, want {w}");
        }
    }
}

#[test]
fn sample_sizes() {
    let r = reference();
    for c in rows(&r, "sampleSize") {
        let got = sample_size(&SampleSizeOptions {
            baseline: Some(num(&c["baseline"])),
            min_detectable_effect: Some(num(&c["effect"])),
            alpha: Some(num(&c["alpha"])),
            power: Some(num(&c["power"])),
            relative: c["relative"].as_bool(),
            variants: None,
        })
        .unwrap();
        assert_eq!(got.per_variant, c["perVariant"].as_u64().unwrap(), "{c}");
    }
}

fn sample(v: &Value) -> SampleInput {
    match v.as_array() {
        Some(values) => SampleInput {
            values: Some(values.iter().map(|x| x.as_f64()).collect()),
            ..Default::default()
        },
        None => SampleInput {
            n: Some(num(&v["n"])),
            mean: Some(num(&v["mean"])),
            sd: Some(num(&v["sd"])),
            values: None,
        },
    }
}

#[test]
fn welch_t_tests() {
    let r = reference();
    for c in rows(&r, "welch") {
        let got = welch_test(&WelchOptions {
            control: Some(sample(&c["control"])),
            treatment: Some(sample(&c["treatment"])),
            alpha: Some(num(&c["alpha"])),
        })
        .unwrap();
        close("welch t", got.t, num(&c["t"]), 1e-12);
        close("welch df", got.df, num(&c["df"]), 1e-12);
        close("welch p", got.p_value, num(&c["pValue"]), 1e-10);
        close("welch low", got.difference.low, num(&c["low"]), 1e-10);
        close("welch high", got.difference.high, num(&c["high"]), 1e-10);
    }
}

#[test]
fn published_reference_values() {
    // SEMANTICS.md: 100/1000 vs 130/1000 gives z = 2.1027, p = 0.0355, P(B>A) = 0.982.
    let r = ab_test(&AbTestOptions {
        variants: vec![
            VariantInput {
                name: Some("A".into()),
                exposures: Some(1000.0),
                conversions: Some(100.0),
            },
            VariantInput {
                name: Some("B".into()),
                exposures: Some(1000.0),
                conversions: Some(130.0),
            },
        ],
        ..Default::default()
    })
    .unwrap();
    assert_eq!((r.z * 1e4).round() / 1e4, 2.1027);
    assert_eq!((r.p_value * 1e4).round() / 1e4, 0.0355);
    assert_eq!((r.probability_to_beat * 1e3).round() / 1e3, 0.982);
    // alpha 0.05 two-sided, power 0.8, 10% -> 12%: 3,841 per arm.
    let n = sample_size(&SampleSizeOptions {
        baseline: Some(0.1),
        min_detectable_effect: Some(0.02),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(n.per_variant, 3841);
}
