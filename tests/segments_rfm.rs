//! RFM (SEMANTICS.md, "RFM"): hand-worked ties, a numpy reference on tied data, options
//! and bad input.

mod common;
mod segments_support;

use insitu::segments::{rfm, RfmOptions};
use segments_support::*;
use serde_json::Value;

fn options(json: &str) -> RfmOptions {
    insitu::json::from_str(json).expect("options json")
}

/// (external id, r, f, m, segment) rows of a report, by id.
fn scores(ds: &insitu::Dataset, r: &insitu::segments::RfmReport) -> Vec<(i64, u8, u8, u8, String)> {
    let s = &r.scores;
    let mut v: Vec<_> = (0..s.customers.len())
        .map(|i| {
            (
                ds.ids
                    .display(s.customers[i] as usize)
                    .parse::<i64>()
                    .unwrap(),
                s.r[i],
                s.f[i],
                s.m[i],
                s.labels[s.segment[i] as usize].clone(),
            )
        })
        .collect();
    v.sort_by_key(|x| x.0);
    v
}

#[test]
fn hand_worked_scores_share_ties() {
    // Five customers, asOf = START + 10 days.
    // id: last order day, orders, total
    //  1: day 9, 3 orders, 300   2: day 9, 1, 100   3: day 5, 1, 100
    //  4: day 1, 2, 50           5: day 0, 1, 10    6: ordered only after asOf
    let d = |day: i64| START + day * DAY;
    let ds = dataset(
        &[
            (1, d(1), 100.0),
            (1, d(2), 100.0),
            (1, d(9), 100.0),
            (2, d(9), 100.0),
            (3, d(5), 100.0),
            (4, d(0), 25.0),
            (4, d(1), 25.0),
            (5, d(0), 10.0),
            (6, d(10), 999.0),
        ],
        &[],
        &[],
        vec![],
    );
    let r = rfm(&ds, &options(&format!(r#"{{"asOf": {}}}"#, d(10)))).unwrap();
    assert_eq!(r.scored, 5);
    // Recency 1,1,5,9,10: q(.2,.4,.6,.8) = 1, 3.4, 6.6, 9.2 (type 7).
    let q = &r.thresholds.recency;
    assert_eq!(q[0], 1.0);
    assert!((q[1] - 3.4).abs() < 1e-9 && (q[2] - 6.6).abs() < 1e-9 && (q[3] - 9.2).abs() < 1e-9);
    // Frequency 3,1,1,2,1 -> sorted 1,1,1,2,3: q = 1, 1, 1.4, 2.2.
    assert_eq!(r.thresholds.frequency[..2], [1.0, 1.0]);
    // Monetary 300,100,100,50,10 -> sorted 10,50,100,100,300: q = 42, 80, 100, 140.
    assert_eq!(r.thresholds.monetary[2], 100.0);
    let got = scores(&ds, &r);
    assert_eq!(
        got.iter().map(|x| (x.0, x.1, x.2, x.3)).collect::<Vec<_>>(),
        vec![
            // R: recency 1 < 3.4, 6.6, 9.2 -> 4 (not < q1 = 1): both day-9 customers share it.
            // F: the three one-order customers share 1 (1 is not > q1 = q2 = 1).
            // M: the two 100s share 3 (100 is not > q3 = 100).
            (1, 4, 5, 5),
            (2, 4, 1, 3),
            (3, 3, 1, 3),
            (4, 2, 4, 2),
            (5, 1, 1, 1),
        ]
    );
    let names: Vec<&str> = got.iter().map(|x| x.4.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Champions",
            "Potential Loyalist",
            "Potential Loyalist",
            "At Risk",
            "Hibernating"
        ]
    );
    assert!((r.scores.recency[0] - 1.0).abs() < 1e-12);
    // Per-segment figures.
    let pl = r
        .segments
        .iter()
        .find(|s| s.segment == "Potential Loyalist")
        .unwrap();
    assert_eq!(pl.customers, 2);
    assert_eq!(pl.revenue, 200.0);
    assert_eq!(pl.share, 0.4);
    assert_eq!(pl.median_order_value, Some(100.0));
    assert_eq!(pl.mean_recency, Some(3.0));
    let total: usize = r.segments.iter().map(|s| s.customers).sum();
    assert_eq!(total, 5);
    // Shadowed rows of the standard table are reported.
    assert!(r.warnings.iter().any(|w| w.contains("New Customers")));
    // The table: one row per scored customer.
    let t = r.table();
    assert_eq!(t.columns.len(), 9);
    assert!(t.to_ipc(&ds).is_ok());
    // On request, each customer's last order before asOf: read per customer before
    // asOf, and from ingest's per-customer columns when every order counts (no asOf).
    let last_orders = |json: &str| {
        let r = rfm(&ds, &options(json)).unwrap();
        let t = r.table();
        assert_eq!(t.columns.len(), 10);
        assert_eq!(t.columns[9].0, "last_order");
        assert!(t.to_ipc(&ds).is_ok());
        let s = &r.scores;
        let mut last: Vec<(String, i64)> = (s.customers.iter().zip(&s.last_order))
            .map(|(&c, &t)| (ds.ids.display(c as usize).to_string(), t))
            .collect();
        last.sort();
        last
    };
    // The scores keep times in µs; `d` gives ms.
    let expected = |ids: &[(&str, i64)]| -> Vec<(String, i64)> {
        ids.iter()
            .map(|&(id, t)| (id.to_string(), t * 1000))
            .collect()
    };
    let before = [
        ("1", d(9)),
        ("2", d(9)),
        ("3", d(5)),
        ("4", d(1)),
        ("5", d(0)),
    ];
    assert_eq!(
        last_orders(&format!(r#"{{"asOf": {}, "lastOrder": true}}"#, d(10))),
        expected(&before)
    );
    let mut all = before.to_vec();
    all.push(("6", d(10)));
    assert_eq!(last_orders(r#"{"lastOrder": true}"#), expected(&all));
}

#[test]
fn matches_numpy_on_tied_data() {
    let text = std::fs::read_to_string("tests/fixtures/segments/rfm_reference.json").unwrap();
    let reference: Value = serde_json::from_str(&text).unwrap();
    let orders: Vec<(i64, i64, f64)> = reference["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o[0].as_i64().unwrap(),
                o[1].as_i64().unwrap(),
                o[2].as_f64().unwrap(),
            )
        })
        .collect();
    let ds = dataset(&orders, &[], &[], vec![]);
    let as_of = reference["asOf"].as_i64().unwrap();
    let mut ties = 0;
    for case in reference["cases"].as_array().unwrap() {
        let bins = case["bins"].as_u64().unwrap();
        let monetary = case["monetary"].as_str().unwrap();
        let r = rfm(
            &ds,
            &options(&format!(
                r#"{{"asOf": {as_of}, "bins": {bins}, "monetary": "{monetary}"}}"#
            )),
        )
        .unwrap();
        let expected = case["customers"].as_array().unwrap();
        let got = scores(&ds, &r);
        assert_eq!(got.len(), expected.len(), "bins {bins} {monetary}");
        for (g, e) in got.iter().zip(expected) {
            let e = e.as_array().unwrap();
            assert_eq!(g.0, e[0].as_i64().unwrap());
            let want = (
                e[4].as_u64().unwrap() as u8,
                e[5].as_u64().unwrap() as u8,
                e[6].as_u64().unwrap() as u8,
                e[7].as_str().unwrap(),
            );
            assert_eq!(
                (g.1, g.2, g.3, g.4.as_str()),
                want,
                "customer {} bins {bins} {monetary}",
                g.0
            );
        }
        for (k, name) in ["recency", "frequency", "monetary"].iter().enumerate() {
            let q = &case["thresholds"][k];
            let mine = match k {
                0 => &r.thresholds.recency,
                1 => &r.thresholds.frequency,
                _ => &r.thresholds.monetary,
            };
            for (a, b) in mine.iter().zip(q.as_array().unwrap()) {
                assert!((a - b.as_f64().unwrap()).abs() < 1e-9, "{name} threshold");
            }
        }
        // Many customers sit exactly on a threshold: the tie rule is exercised.
        ties += got
            .iter()
            .filter(|g| r.thresholds.frequency.contains(&f64::from(g.2)))
            .count();
    }
    assert!(ties > 100, "{ties}");
}

#[test]
fn custom_segments_and_mean_monetary() {
    let d = |day: i64| START + day * DAY;
    let ds = dataset(
        &[
            (1, d(1), 10.0),
            (1, d(2), 30.0),
            (2, d(3), 5.0),
            (3, d(4), 100.0),
        ],
        &[],
        &[],
        vec![],
    );
    let r = rfm(
        &ds,
        &options(r#"{"bins": 4, "monetary": "mean", "segments": [{"name": "Big", "m": [4, 4]}, {"name": "Recent", "r": [3, 4]}]}"#),
    )
    .unwrap();
    assert_eq!(r.bins, 4);
    let names: Vec<&str> = r.segments.iter().map(|s| s.segment.as_str()).collect();
    assert_eq!(names, vec!["Big", "Recent", "Others"]);
    // Mean monetary: 20, 5, 100.
    let mut m = r.scores.monetary.clone();
    m.sort_by(f64::total_cmp);
    assert_eq!(m, vec![5.0, 20.0, 100.0]);
    assert_eq!(r.segments[0].customers, 1);
    assert!(r.warnings.is_empty());
}

#[test]
fn bad_options_and_as_of_before_all_data() {
    let ds = dataset(&[(1, START, 10.0)], &[], &[], vec![]);
    let err = |json: &str| rfm(&ds, &options(json)).unwrap_err();
    let e = err(r#"{"asOf": "2020-01-01"}"#);
    assert_eq!(e.code(), "bad_option");
    assert!(
        e.to_string().contains("asOf") && e.to_string().contains("before all data"),
        "{e}"
    );
    // Orders strictly before asOf: the first order's own instant is too early.
    assert!(err(&format!(r#"{{"asOf": {START}}}"#))
        .to_string()
        .contains("before all data"));
    assert!(err(r#"{"bins": 11}"#).to_string().contains("bins"));
    assert!(err(r#"{"bins": 2.5}"#).to_string().contains("bins"));
    assert!(err(r#"{"segments": [{"name": "x", "r": [0, 9]}]}"#)
        .to_string()
        .contains("segments[0].r"));
    assert!(err(r#"{"segments": [{"name": "x"}, {"name": "x"}]}"#)
        .to_string()
        .contains("twice"));
    // 101 custom segments: one more than RFM takes.
    let rules: Vec<String> = (0..101).map(|i| format!(r#"{{"name": "s{i}"}}"#)).collect();
    let e = err(&format!(r#"{{"segments": [{}]}}"#, rules.join(",")));
    assert_eq!(e.code(), "bad_option");
    assert!(
        e.to_string().contains("segments") && e.to_string().contains("101 rules"),
        "{e}"
    );
    let rules = &rules[..100];
    assert!(rfm(
        &ds,
        &options(&format!(r#"{{"segments": [{}]}}"#, rules.join(",")))
    )
    .is_ok());
    let e = insitu::json::from_str::<RfmOptions>(r#"{"lastOrder": 1}"#).unwrap_err();
    assert!(format!("{e:?}").contains("lastOrder"), "{e:?}");
    assert!(err(r#"{"asOf": true}"#).to_string().contains("asOf"));
    assert!(insitu::json::from_str::<RfmOptions>(r#"{"monetary": "median"}"#).is_err());
    assert!(insitu::json::from_str::<RfmOptions>(r#"{"bin": 5}"#).is_err());
    // No orders at all.
    let events_only = dataset(&[], &[(1, START, "visit")], &[], vec![]);
    assert_eq!(
        rfm(&events_only, &RfmOptions::default())
            .unwrap_err()
            .code(),
        "empty_input"
    );
}

#[test]
fn sample_data_scores_every_buyer() {
    let ds = common::sample_dataset(30_000, 42);
    let r = rfm(&ds, &RfmOptions::default()).unwrap();
    let buyers = (0..ds.num_customers())
        .filter(|&c| !ds.orders.rows(c).is_empty())
        .count();
    assert_eq!(r.scored, buyers);
    assert_eq!(
        r.segments.iter().map(|s| s.customers).sum::<usize>(),
        buyers
    );
    let revenue: f64 = ds.orders.amount.iter().sum();
    let seg_revenue: f64 = r.segments.iter().map(|s| s.revenue).sum();
    assert!((revenue - seg_revenue).abs() < 1e-6 * revenue);
    for s in &r.scores.r {
        assert!((1..=5).contains(s));
    }
}
