//! Lookalike audiences: the logistic regression against scikit-learn on a small table
//! (tests/reference/segments_lookalike.py), the holdout metrics, and bad input.

mod common;
mod segments_support;

use insitu::segments::lookalike::evaluate::auc;
use insitu::segments::lookalike::{lookalike, LookalikeOptions, LookalikeReport};
use insitu::Dataset;
use segments_support::*;
use serde_json::{json, Value};

fn reference() -> Value {
    let text = std::fs::read_to_string("tests/fixtures/segments/lookalike_reference.json").unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The reference customers (one order each, so the dataset has orders), plus a
/// constant column `plan` and an all-null column `score`.
fn table(reference: &Value) -> Dataset {
    let rows = reference["customers"].as_array().unwrap();
    let ids: Vec<i64> = rows.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    let text = |key: &str| -> Vec<Option<&'static str>> {
        rows.iter()
            .map(|r| {
                Some(&*Box::leak(
                    r[key].as_str().unwrap().to_owned().into_boxed_str(),
                ))
            })
            .collect()
    };
    let orders: Vec<(i64, i64, f64)> = ids
        .iter()
        .map(|&id| (id, START + id * 60_000, 10.0))
        .collect();
    dataset(
        &orders,
        &[],
        &ids,
        vec![
            (
                "age",
                Attr::Number(rows.iter().map(|r| r["age"].as_f64()).collect()),
            ),
            (
                "income",
                Attr::Number(rows.iter().map(|r| r["income"].as_f64()).collect()),
            ),
            ("country", Attr::Text(text("country"))),
            ("vip", Attr::Text(text("vip"))),
            ("plan", Attr::Text(vec![Some("basic"); ids.len()])),
            ("score", Attr::Number(vec![None; ids.len()])),
        ],
    )
}

fn run(ds: &Dataset, options: Value) -> insitu::Result<LookalikeReport> {
    let options: LookalikeOptions =
        insitu::json::from_str(&(options).to_string()).expect("options");
    lookalike(ds, &options)
}

#[test]
fn coefficients_match_scikit_learn() {
    let reference = reference();
    let ds = table(&reference);
    for (l2, key) in [(1.0, "1.0"), (0.1, "0.1")] {
        let r = run(
            &ds,
            json!({"seed": {"where": "vip = \"yes\""}, "features": ["age", "income", "country"], "l2": l2}),
        )
        .unwrap();
        let want = &reference["fits"][key];
        assert!(
            (r.intercept - want["intercept"].as_f64().unwrap()).abs() < 1e-6,
            "intercept l2={l2}"
        );
        assert_eq!(r.coefficients.len(), 6);
        for c in &r.coefficients {
            let name = match (&c.feature[..], c.level.as_deref()) {
                (f, None) => f.to_owned(),
                ("income", Some("(missing)")) => "income (missing)".to_owned(),
                (f, Some(level)) => format!("{f}={level}"),
            };
            let expected = want["coefficients"][&name]
                .as_f64()
                .unwrap_or_else(|| panic!("{name}"));
            assert!(
                (c.coefficient - expected).abs() < 1e-6,
                "{name}: {} vs scikit-learn {expected} (l2={l2})",
                c.coefficient
            );
            assert!((c.odds_ratio - c.coefficient.exp()).abs() < 1e-12);
        }
        assert_eq!(r.seed, 55);
        assert_eq!(r.population, 105);
    }
}

#[test]
fn auc_matches_scikit_learn_with_ties() {
    let reference = reference();
    let scores: Vec<f64> = reference["auc"]["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let labels: Vec<bool> = reference["auc"]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap())
        .collect();
    let want = reference["auc"]["auc"].as_f64().unwrap();
    assert!((auc(&scores, &labels).unwrap() - want).abs() < 1e-12);
}

#[test]
fn holdout_scores_and_audience() {
    let reference = reference();
    let ds = table(&reference);
    let options = json!({"seed": {"where": "vip = \"yes\""}, "features": ["age", "income", "country"], "randomSeed": 3});
    let r = run(&ds, options.clone()).unwrap();
    let h = &r.holdout;
    // 25% of each class: round(13.75) = 14 seed, round(26.25) = 26 others.
    assert_eq!((h.customers, h.seed, h.train_customers), (40, 14, 120));
    let a = h.auc.unwrap();
    assert!(a > 0.6 && a <= 1.0, "{a}");
    assert_eq!(h.top_customers, 4);
    assert!(h.lift_at_10.unwrap() >= 0.0);
    // Same seed, same split and numbers.
    assert_eq!(run(&ds, options).unwrap().holdout, r.holdout);
    // Audience: 10% of the 105 non-members, rounded up; best first.
    assert_eq!(r.audience_size, 11);
    assert_eq!(r.ranked.len(), 105);
    assert!(r.ranked.windows(2).all(|w| w[0].1 >= w[1].1));
    let t = r.table(r.audience_size);
    assert!(t.to_ipc(&ds).is_ok());
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    // 18 seed members: 5 in the holdout, flagged as a rough estimate.
    let small = run(&ds, json!({"seed": {"where": "vip = \"yes\" and age >= 62"}, "features": ["income", "country"]})).unwrap();
    assert_eq!(small.holdout.seed, 5);
    assert!(
        small
            .warnings
            .iter()
            .any(|w| w.contains("holdout has only 5")),
        "{:?}",
        small.warnings
    );
    // A population segment: only Korean customers are scored.
    let kr = run(
        &ds,
        json!({"seed": {"where": "vip = \"yes\""}, "population": {"where": "country = \"KR\""}, "features": ["age", "income"], "size": 5}),
    )
    .unwrap();
    assert_eq!(kr.audience_size, 5);
    for &(c, _) in &kr.ranked {
        let m = insitu::segments::members(
            &ds,
            &insitu::segments::SegmentDefinition::text("", "country = \"KR\" and vip = \"no\""),
        )
        .unwrap();
        assert!(m[c as usize]);
    }
    // A feature the seed's rule reads is flagged.
    let leak = run(
        &ds,
        json!({"seed": {"where": "vip = \"yes\""}, "features": ["vip", "age"]}),
    )
    .unwrap();
    assert!(leak
        .warnings
        .iter()
        .any(|w| w.contains("also used by the seed")));
    assert!(leak.holdout.auc.unwrap() > 0.99);
}

#[test]
fn bad_input_is_refused() {
    let reference = reference();
    let ds = table(&reference);
    let err = |options: Value| {
        let e = run(&ds, options).unwrap_err();
        assert_eq!(e.code(), "bad_option", "{e}");
        e.to_string()
    };
    let seed = json!({"where": "vip = \"yes\""});
    let e = err(json!({"seed": {"where": "vip = \"yes\" and age > 66"}, "features": ["age"]}));
    assert!(e.contains("at least 10"), "{e}");
    let e =
        err(json!({"seed": seed, "population": {"where": "vip = \"yes\""}, "features": ["age"]}));
    assert!(e.contains("outside the seed"), "{e}");
    let e = err(json!({"seed": {"where": "orders >= 1"}, "features": ["age"]}));
    assert!(e.contains("outside the seed"), "{e}");
    let e = err(json!({"seed": seed, "features": ["age", "plan"]}));
    assert!(e.contains("features[1]") && e.contains("constant"), "{e}");
    let e = err(json!({"seed": seed, "features": ["score"]}));
    assert!(
        e.contains("features[0]") && e.contains("null for every"),
        "{e}"
    );
    let e = err(json!({"seed": seed, "features": ["agee"]}));
    assert!(
        e.contains("features[0]") && e.contains("closest: \"age\""),
        "{e}"
    );
    assert!(err(json!({"seed": seed, "features": []})).contains("features"));
    assert!(err(json!({"seed": seed, "features": ["age", "age"]})).contains("already"));
    assert!(err(json!({"seed": seed, "features": ["age"], "holdout": 1.5})).contains("holdout"));
    assert!(err(json!({"seed": seed, "features": ["age"], "l2": 0})).contains("l2"));
    assert!(err(json!({"seed": seed, "features": ["age"], "size": 0})).contains("size"));
    assert!(err(json!({"features": ["age"]})).contains("seed"));
    assert!(
        err(json!({"seed": seed, "features": ["age"], "asOf": "2020-01-01"}))
            .contains("before all data")
    );
    assert!(
        err(json!({"seed": {"where": "vip = \"yes\"", "asOf": 5}, "features": ["age"]}))
            .contains("seed.asOf")
    );
    assert!(err(json!({"seed": {"where": "vip >"}, "features": ["age"]})).contains("seed.where"));
    assert!(insitu::json::from_str::<LookalikeOptions>(
        &(json!({"seed": seed, "feature": ["age"]})).to_string()
    )
    .is_err());
}

#[test]
fn sample_data_lookalike_of_champions() {
    let ds = common::sample_dataset(40_000, 42);
    let r = run(
        &ds,
        json!({
            "seed": {"where": "rfm_segment = \"Champions\""},
            "population": {"where": "orders = 0"},
            "features": ["country", "acquisition_channel", "events(visit, 30d)", "events(view_product)", "days_since_signup"]
        }),
    )
    .unwrap();
    assert!(r.seed >= 10 && r.population > 0);
    assert!(r.holdout.auc.is_some());
    assert!(r.ranked.iter().all(|x| (0.0..=1.0).contains(&x.1)));
}
