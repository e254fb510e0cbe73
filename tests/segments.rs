//! Rule segments (SEMANTICS.md, "Rule segments and transitions"): hand-worked
//! predicates with nulls, the text and JSON forms, as-of dates, transitions, and bad
//! input.

mod common;
mod segments_support;

use insitu::segments::definition::{evaluate, SegmentDefinition};
use insitu::segments::transitions::{transitions, TransitionsOptions};
use insitu::segments::{members, rfm, segment, RfmOptions};
use insitu::Dataset;
use segments_support::*;
use serde_json::json;

fn day(d: i64) -> i64 {
    START + d * DAY
}

/// Eight customers, asOf (default) = day 90 (midnight after the last row, day 89).
///
/// | id | country | age | signup | orders (day: amount)     | events                      |
/// |----|---------|-----|--------|--------------------------|-----------------------------|
/// | 1  | KR      | 25  | 0      | 1: 50, 20: 70            |                             |
/// | 2  | JP      | 35  | 1      | 5: 10                    |                             |
/// | 3  | null    |null | 1      | 2: 200, 3: 100, 60: 300  | purchase 60                 |
/// | 4  | US      | 45  | 10     |                          | visit 89                    |
/// | 5  | KR      | 19  | 70     | 80: 40                   | visit 79, purchase 80       |
/// | 6  | null    | 60  | 5      | 10: 5, 11: 5             |                             |
/// | 7  | JP      |null | 0      |                          | visit 2                     |
/// | 8  | KR      | 30  | null   | 85: 1000                 | purchase 85                 |
fn shop() -> Dataset {
    dataset(
        &[
            (1, day(1), 50.0),
            (1, day(20), 70.0),
            (2, day(5), 10.0),
            (3, day(2), 200.0),
            (3, day(3), 100.0),
            (3, day(60), 300.0),
            (5, day(80), 40.0),
            (6, day(10), 5.0),
            (6, day(11), 5.0),
            (8, day(85), 1000.0),
        ],
        &[
            (3, day(60), "purchase"),
            (4, day(89), "visit"),
            (5, day(79), "visit"),
            (5, day(80), "purchase"),
            (7, day(2), "visit"),
            (8, day(85), "purchase"),
        ],
        &[1, 2, 3, 4, 5, 6, 7, 8],
        vec![
            (
                "country",
                Attr::Text(vec![
                    Some("KR"),
                    Some("JP"),
                    None,
                    Some("US"),
                    Some("KR"),
                    None,
                    Some("JP"),
                    Some("KR"),
                ]),
            ),
            (
                "age",
                Attr::Number(vec![
                    Some(25.0),
                    Some(35.0),
                    None,
                    Some(45.0),
                    Some(19.0),
                    Some(60.0),
                    None,
                    Some(30.0),
                ]),
            ),
            (
                "signup_time",
                Attr::Time(vec![
                    Some(day(0)),
                    Some(day(1)),
                    Some(day(1)),
                    Some(day(10)),
                    Some(day(70)),
                    Some(day(5)),
                    Some(day(0)),
                    None,
                ]),
            ),
        ],
    )
}

fn who(ds: &Dataset, predicate: &str) -> Vec<i64> {
    let m = members(ds, &SegmentDefinition::text("s", predicate))
        .unwrap_or_else(|e| panic!("{predicate}: {e}"));
    ids_of(ds, &m)
}

fn who_json(ds: &Dataset, definition: serde_json::Value) -> Vec<i64> {
    let def: SegmentDefinition = insitu::json::from_str(&(definition).to_string()).unwrap();
    ids_of(ds, &members(ds, &def).unwrap())
}

fn error(ds: &Dataset, predicate: &str) -> String {
    let e = members(ds, &SegmentDefinition::text("s", predicate)).unwrap_err();
    assert_eq!(e.code(), "bad_option", "{predicate}");
    e.to_string()
}

#[test]
fn hand_worked_predicates() {
    let ds = shop();
    let cases: &[(&str, &[i64])] = &[
        ("orders >= 2", &[1, 3, 6]),
        // Last orders: 1 day 20 (70 days ago), 3 day 60 (30), 6 day 11 (79).
        ("orders >= 2 and days_since_last_order > 60", &[1, 6]),
        (
            r#"orders >= 2 and days_since_last_order > 60 and country in ("KR","JP")"#,
            &[1],
        ),
        (r#"country in ("KR", "JP")"#, &[1, 2, 5, 7, 8]),
        ("revenue = 0", &[4, 7]),
        ("avg_order_value > 60", &[3, 8]),
        ("last_order in last 10 days", &[5, 8]),
        ("last_order < 30 days ago", &[1, 2, 6]),
        ("last_order < \"2024-01-07\"", &[2]),
        ("events(purchase, 30d) >= 1", &[3, 5, 8]),
        ("events(visit) >= 1", &[4, 5, 7]),
        (
            "events(\"purchase\", \"2024-03-02\", \"2024-03-25\") = 1",
            &[5],
        ),
        ("orders(30d) >= 1 and revenue(30d) < 100", &[5]),
        ("signup < \"2024-01-05\"", &[1, 2, 3, 7]),
        ("signup is null", &[8]),
        ("days_since_signup <= 20", &[5]),
        // Revenue 0,0,10,10,40,120,600,1000: 120 is at 75%, 600 at 87.5%.
        ("percentile(revenue) > 75", &[3, 8]),
        ("percentile(revenue) >= 75", &[1, 3, 8]),
        ("last_seen >= 10 days ago", &[4, 5, 8]),
        ("age between 20 and 35", &[1, 2, 8]),
        ("age in (19, 60)", &[5, 6]),
        ("orders >= 1 and age >= -5", &[1, 2, 5, 6, 8]),
    ];
    for (predicate, expected) in cases {
        assert_eq!(who(&ds, predicate), expected.to_vec(), "{predicate}");
    }
}

#[test]
fn a_null_never_satisfies_a_comparison() {
    let ds = shop();
    // Countries: 3 and 6 are null; ages: 3 and 7 are null.
    assert_eq!(who(&ds, r#"country != "KR""#), vec![2, 4, 7]);
    assert_eq!(who(&ds, r#"not (country = "KR")"#), vec![2, 4, 7]);
    assert_eq!(who(&ds, r#"country not in ("KR")"#), vec![2, 4, 7]);
    assert_eq!(who(&ds, "country is null"), vec![3, 6]);
    assert_eq!(who(&ds, "country is not null"), vec![1, 2, 4, 5, 7, 8]);
    assert_eq!(who(&ds, "not (age > 30)"), vec![1, 5, 8]);
    assert_eq!(who(&ds, "not age between 20 and 30"), vec![2, 4, 5, 6]);
    // Three-valued or/and: unknown or true is true, unknown and false is false.
    assert_eq!(who(&ds, "age > 30 or country is null"), vec![2, 3, 4, 6]);
    assert_eq!(
        who(&ds, "not (age > 30 and orders >= 100)"),
        vec![1, 2, 3, 4, 5, 6, 7, 8]
    );
    assert_eq!(who(&ds, "not (age > 30 or orders >= 100)"), vec![1, 5, 8]);
    // No orders: average spend and last order are null, order count is 0.
    assert_eq!(who(&ds, "not (avg_order_value > 0)"), Vec::<i64>::new());
    assert_eq!(who(&ds, "days_since_last_order is null"), vec![4, 7]);
}

#[test]
fn stage_rfm_and_funnel_fields() {
    let ds = shop();
    // 4 and 7 never ordered and were active within 90 days: prospects.
    assert_eq!(who(&ds, r#"stage = "prospect""#), vec![4, 7]);
    // 2's only order is 85 days old (> 60): dormant.
    assert_eq!(who(&ds, r#"stage in ("dormant")"#), vec![1, 2, 6]);
    assert_eq!(
        who_json(
            &ds,
            json!({"name": "x", "where": "stage = \"dormant\"", "stages": {"dormantAfter": "80d"}})
        ),
        vec![2]
    );
    // RFM fields agree with ds.rfm.
    let report = rfm(&ds, &RfmOptions::default()).unwrap();
    let champions: Vec<i64> = {
        let s = &report.scores;
        let mut v: Vec<i64> = (0..s.customers.len())
            .filter(|&i| s.labels[s.segment[i] as usize] == "Champions")
            .map(|i| ds.ids.display(s.customers[i] as usize).parse().unwrap())
            .collect();
        v.sort_unstable();
        v
    };
    assert_eq!(who(&ds, "rfm_segment = \"Champions\""), champions);
    assert_eq!(who(&ds, "r_score >= 1").len(), report.scored);
    assert_eq!(who(&ds, "rfm_score >= 111").len(), report.scored);
    assert_eq!(who(&ds, "frequency = 3"), vec![3]);
    // Funnel step reached: only 5 visits then purchases.
    let def = json!({"where": "funnel_step >= 2", "funnel": {"steps": ["visit", "purchase"]}});
    assert_eq!(who_json(&ds, def), vec![5]);
    let def = json!({"where": "funnel_step = 1", "funnel": {"steps": ["visit", "purchase"]}});
    assert_eq!(who_json(&ds, def), vec![4, 7]);
}

#[test]
fn json_tree_equals_text() {
    let ds = shop();
    let tree = json!({"where": {"and": [
        {"field": "orders", "op": ">=", "value": 2},
        {"field": "days_since_last_order", "op": ">", "value": 60},
        {"not": {"field": "country", "op": "in", "value": ["JP"]}}
    ]}});
    assert_eq!(who_json(&ds, tree), vec![1]);
    let tree = json!({"where": {"or": [
        {"field": "age", "op": "between", "value": [20, 35]},
        {"field": "country", "op": "isNull"},
        "events(visit) >= 1"
    ]}});
    assert_eq!(who_json(&ds, tree), vec![1, 2, 3, 4, 5, 6, 7, 8]);
    let tree = json!({"where": {"field": "last_order", "op": "inLast", "value": "10d"}});
    assert_eq!(who_json(&ds, tree), vec![5, 8]);
    let tree = json!({"where": {"field": "events(purchase, 30d)", "op": ">=", "value": 1}});
    assert_eq!(who_json(&ds, tree), vec![3, 5, 8]);
    let tree = json!({"where": {"field": "last_order", "op": "<", "value": "30 days ago"}});
    assert_eq!(who_json(&ds, tree), vec![1, 2, 6]);
}

#[test]
fn as_of_dates_use_only_earlier_data() {
    let ds = shop();
    // At day 50: 5 (signup day 70) and 8 (first seen day 85) do not exist yet.
    let at50 = |p: &str| who_json(&ds, json!({"where": p, "asOf": day(50)}));
    assert_eq!(at50("orders >= 1"), vec![1, 2, 3, 6]);
    assert_eq!(at50("revenue = 0"), vec![4, 7]);
    assert_eq!(at50("orders = 2"), vec![1, 3, 6]);
    assert_eq!(at50("events(visit) >= 1"), vec![7]);
    let e = evaluate(
        &ds,
        &insitu::json::from_str(
            &(json!({"where": "orders > 0", "asOf": "2023-01-01"})).to_string(),
        )
        .unwrap(),
        "",
    )
    .unwrap_err();
    assert!(e.to_string().contains("before all data"), "{e}");
}

#[test]
fn breakdown_codes_for_funnels_and_retention() {
    use insitu::data::NULL_CODE;
    use insitu::segments::breakdown;
    let ds = shop();
    let defs = vec![
        SegmentDefinition::text("repeat", "orders >= 2"),
        SegmentDefinition::text("buyer", "orders >= 1"),
    ];
    // as_of in µs.
    let (codes, labels) = breakdown(&ds, &defs, day(30) * 1_000, "breakdown.segments").unwrap();
    assert_eq!(labels, vec!["repeat", "buyer", "none"]);
    let by_id = |id: i64| codes[customer(&ds, id)];
    // At day 30: 1, 3, 6 repeat; 2 buyer; 4, 7 none; 5 and 8 do not exist yet.
    assert_eq!(
        [1, 2, 3, 4, 5, 6, 7, 8].map(by_id),
        [0, 1, 0, 2, NULL_CODE, 0, 2, NULL_CODE]
    );
    let e = breakdown(
        &ds,
        &[SegmentDefinition::text("", "orders > 0")],
        day(30),
        "breakdown.segments",
    )
    .unwrap_err();
    assert!(e.to_string().contains("breakdown.segments[0].name"), "{e}");
}

#[test]
fn segment_report_statistics() {
    let ds = shop();
    let r = segment(&ds, &SegmentDefinition::text("repeat", "orders >= 2")).unwrap();
    assert_eq!((r.count, r.population, r.orders), (3, 8, 7));
    assert_eq!(r.revenue, 730.0);
    assert!((r.revenue_share.unwrap() - 730.0 / 1780.0).abs() < 1e-12);
    // Spend 120, 600, 10; orders 2, 3, 2.
    assert!((r.spend.mean.unwrap() - 730.0 / 3.0).abs() < 1e-9);
    assert_eq!(r.spend.median, Some(120.0));
    assert!((r.spend.variance.unwrap() - 98_433.333_333_333_3).abs() < 1e-6);
    assert_eq!(r.order_count.median, Some(2.0));
    assert!((r.order_count.variance.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(r.fields, vec!["orders"]);
    let r = segment(
        &ds,
        &SegmentDefinition::text(
            "x",
            "events(purchase, last 30 days) >= 1 and orders(2w) > 0 and `Country` = 'KR' or events(purchase, 720h) > 9",
        ),
    )
    .unwrap();
    // Canonical names; equal fields (30d = 720h) share one column.
    assert_eq!(
        r.fields,
        vec!["events(purchase, 30d)", "orders(14d)", "country"]
    );
    let t = r.table();
    assert_eq!(t.columns[0].0, "customer_id");
    assert!(t.to_ipc(&ds).is_ok());
    // A value that occurs nowhere matches nobody and says so.
    let r = segment(&ds, &SegmentDefinition::text("x", "country = \"KX\"")).unwrap();
    assert_eq!(r.count, 0);
    assert!(
        r.warnings[0].contains("closest: \"KR\""),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.spend.mean, None);
}

#[test]
fn bad_predicates_are_coded_errors() {
    let ds = shop();
    let e = error(&ds, "orders >= 2 and");
    assert!(e.contains("syntax error at position 15"), "{e}");
    let e = error(&ds, "orders >= 2 and (country = \"KR\"");
    assert!(e.contains("position 31") && e.contains("\")\""), "{e}");
    let e = error(&ds, "contry = \"KR\"");
    assert!(
        e.contains("unknown field \"contry\"") && e.contains("closest: \"country\""),
        "{e}"
    );
    assert!(
        e.contains("days_since_last_order") && e.contains("customer attributes: country, age"),
        "{e}"
    );
    assert!(e.contains("position 0"), "{e}");
    let e = error(&ds, "country > 3");
    assert!(
        e.contains("\"country\" holds text") && e.contains(">"),
        "{e}"
    );
    let e = error(&ds, "country = 3");
    assert!(e.contains("type mismatch") && e.contains("quote"), "{e}");
    let e = error(&ds, "orders = \"two\"");
    assert!(e.contains("type mismatch"), "{e}");
    let e = error(&ds, "stage = \"vip\"");
    assert!(e.contains("no value of \"stage\" \"vip\""), "{e}");
    let e = error(&ds, "events(purchse) > 0");
    assert!(e.contains("closest: \"purchase\""), "{e}");
    let e = error(&ds, "funnel_step > 1");
    assert!(e.contains("funnel: { steps"), "{e}");
    let e = error(&ds, "last_order > \"yesterday\"");
    assert!(e.contains("ISO date"), "{e}");
    let e = error(&ds, "orders in last 30 days");
    assert!(e.contains("needs a time field"), "{e}");
    let e = error(&ds, "age between 40 and 20");
    assert!(e.contains("low end"), "{e}");
    let e = error(&ds, "country = null");
    assert!(e.contains("is null"), "{e}");
    let e = error(&ds, "percentile(country) > 3");
    assert!(e.contains("number or time"), "{e}");
    let e = error(&ds, "orders(1, 2, 3) > 0");
    assert!(e.contains("usage"), "{e}");
    let def: SegmentDefinition = insitu::json::from_str(
        &(json!({"where": {"field": "orders", "op": "~", "value": 1}})).to_string(),
    )
    .unwrap();
    assert!(members(&ds, &def)
        .unwrap_err()
        .to_string()
        .contains("where.op"));
    assert!(insitu::json::from_str::<SegmentDefinition>(
        &(json!({"where": "orders > 1", "wher": 1})).to_string()
    )
    .is_err());
    // No signup column.
    let plain = dataset(&[(1, day(1), 5.0)], &[], &[], vec![]);
    assert!(error(&plain, "signup < 3 days ago").contains("signup time column"));
}

#[test]
fn transitions_sum_to_the_population() {
    let ds = shop();
    let options: TransitionsOptions = insitu::json::from_str(
        &(json!({
            "segments": [
                {"name": "buyer", "where": "orders >= 1"},
                {"name": "visitor", "where": "events(visit) >= 1"}
            ],
            "from": day(30),
            "to": day(90)
        }))
        .to_string(),
    )
    .unwrap();
    let t = transitions(&ds, &options).unwrap();
    assert_eq!(t.labels, vec!["buyer", "visitor", "none"]);
    // At day 30: buyers 1, 2, 3, 6; visitor 7; 4 (no activity yet but signed up) none;
    // 5 and 8 do not exist yet. At day 90: buyers 1, 2, 3, 5, 6, 8; visitors 4, 7.
    assert_eq!(t.counts, vec![vec![4, 0, 0], vec![0, 1, 0], vec![2, 1, 0]]);
    assert_eq!((t.population, t.entered, t.stayed, t.moved), (8, 2, 5, 3));
    assert_eq!(t.counts.iter().flatten().sum::<usize>(), t.population);
    assert_eq!(t.from_totals, vec![4, 1, 3]);
    assert_eq!(t.to_totals, vec![6, 2, 0]);
    assert_eq!(t.rates[2][0], Some(2.0 / 3.0));
    assert_eq!(t.cells.len(), 9);
    assert!(t.table().to_ipc(&ds).is_ok());

    let bad = |v: serde_json::Value| {
        let o: TransitionsOptions = insitu::json::from_str(&(v).to_string()).unwrap();
        transitions(&ds, &o).unwrap_err().to_string()
    };
    let seg = json!({"name": "a", "where": "orders > 0"});
    assert!(bad(json!({"segments": [seg, seg], "from": day(1)})).contains("twice"));
    assert!(
        bad(json!({"segments": [{"name": "none", "where": "orders > 0"}], "from": day(1)}))
            .contains("reserved")
    );
    assert!(bad(json!({"segments": [seg], "from": day(50), "to": day(40)})).contains("before"));
    assert!(bad(json!({"segments": [seg]})).contains("from"));
    assert!(bad(json!({"segments": [], "from": day(1)})).contains("segments"));
    assert!(bad(
        json!({"segments": [{"name": "a", "where": "orders > 0", "asOf": day(3)}], "from": day(1)})
    )
    .contains("segments[0].asOf"));
    assert!(
        bad(json!({"segments": [{"name": "a", "where": "ordrs > 0"}], "from": day(1)}))
            .contains("segments[0].where")
    );
    assert!(
        bad(json!({"segments": [seg], "from": "2020-01-01", "to": "2020-02-01"}))
            .contains("before all data")
    );
}

#[test]
fn sample_data_transitions_and_segments() {
    let ds = common::sample_dataset(30_000, 42);
    let options: TransitionsOptions = insitu::json::from_str(
        &(json!({
            "segments": [
                {"name": "champions", "where": "rfm_segment = \"Champions\""},
                {"name": "repeat", "where": "stage = \"repeat\""},
                {"name": "lapsed", "where": "orders >= 1 and days_since_last_order > 60"},
                {"name": "prospect", "where": "orders = 0 and events(visit, 30d) >= 1"}
            ],
            "from": "2024-06-01",
            "to": "2024-12-01"
        }))
        .to_string(),
    )
    .unwrap();
    let t = transitions(&ds, &options).unwrap();
    assert_eq!(t.counts.iter().flatten().sum::<usize>(), t.population);
    assert_eq!(t.from_totals.iter().sum::<usize>(), t.population);
    // Champions of June have mostly lapsed by December; some prospects bought.
    assert!(t.from_totals[0] > 0 && t.to_totals[0] > 0);
    assert!(t.counts[0][2] > 0 && t.counts[3][3] < t.from_totals[3]);
    let kr = segment(
        &ds,
        &SegmentDefinition::text("kr", "country = \"KR\" and orders >= 2"),
    )
    .unwrap();
    assert!(kr.count > 0 && kr.order_count.min >= Some(2.0));
}

#[test]
fn predicted_clv_fields_read_the_ltv_model() {
    use insitu::data::ResultColumn;
    use insitu::ltv::{fit_ltv, predictions, ClvOptions, FitOptions};
    let ds = common::sample_dataset(40_000, 42);
    let model = fit_ltv(&ds, &FitOptions::default()).unwrap().model;
    let table = predictions(&ds, &model, &ClvOptions::default()).unwrap();
    let clv = table
        .columns
        .iter()
        .find_map(|(n, c)| match (n.as_str(), c) {
            ("clv", ResultColumn::Float64(v)) => Some(v.clone()),
            _ => None,
        })
        .unwrap();
    let expected = clv.iter().filter(|&&v| v > 100.0).count();
    let def = json!({"where": "clv > 100", "clv": {"model": serde_json::from_str::<serde_json::Value>(&insitu::json::to_string(&model)).unwrap()}});
    assert_eq!(who_json(&ds, def).len(), expected);
    assert!(expected > 0);
    let def = json!({"where": "p_alive >= 0 and clv is not null", "clv": {"model": serde_json::from_str::<serde_json::Value>(&insitu::json::to_string(&model)).unwrap()}});
    assert_eq!(who_json(&ds, def).len(), clv.len());
    let e = error(&ds, "clv > 100");
    assert!(e.contains("fitted LTV model"), "{e}");
}
