//! Retention on hand-worked data: first-time vs recurring, returns in the cohort period,
//! null future cells, cumulative, revenue, breakdown, range, timezone, and bad options.

#[path = "retention_data.rs"]
mod data;

use data::{dataset, ms, opts, Customer, Event, Order};
use insitu::retention::{retention, Retention, RetentionOptions};
use insitu::Dataset;
use serde_json::json;

// Weeks (ISO, Monday): W0 = 2024-01-01, W1 = 01-08, W2 = 01-15, W3 = 01-22, W4 = 01-29.
// The data ends Thursday 2024-01-25 12:00, inside W3, so W4 and later are null.
const EVENTS: &[Event] = &[
    ("A", "2024-01-01T09:00", "signup", Some("naver")),
    ("A", "2024-01-03T09:00", "visit", None), // W0: the cohort period itself
    ("A", "2024-01-09T09:00", "visit", None), // W1
    ("A", "2024-01-15T09:00", "signup", Some("kakao")), // W2: a second start event
    ("A", "2024-01-24T09:00", "visit", None), // W3
    ("B", "2024-01-02T09:00", "signup", None),
    ("B", "2024-01-02T10:00", "signup", Some("google")),
    ("B", "2024-01-16T09:00", "visit", None), // W2
    ("C", "2024-01-10T09:00", "signup", Some("naver")),
    ("C", "2024-01-10T10:00", "visit", None), // W1: same period, k = 0 only
    ("C", "2024-01-17T09:00", "visit", None), // W2
    ("D", "2024-01-05T09:00", "visit", None), // never signs up
    ("E", "2024-01-22T10:00", "signup", None),
    ("E", "2024-01-25T12:00", "visit", None), // the data's last timestamp
];

const ORDERS: &[Order] = &[
    ("A", "2024-01-01T08:00", 10.0), // W0, before the signup in the same week
    ("A", "2024-01-10T09:00", 5.0),  // W1
    ("B", "2024-01-16T09:00", 7.0),  // W2
    ("D", "2024-01-05T09:00", 100.0), // not in any cohort
    ("E", "2024-01-22T00:00", 3.0),  // W3, before E's signup that week
];

const CUSTOMERS: &[Customer] = &[
    ("A", None, Some("pro")),
    ("B", None, Some("free")),
    ("C", None, Some("pro")),
    ("E", None, None),
];

fn shop() -> Dataset {
    dataset(EVENTS, ORDERS, CUSTOMERS)
}

fn run(ds: &Dataset, options: serde_json::Value) -> Retention {
    retention(ds, &opts::<RetentionOptions>(options)).expect("retention")
}

/// (cohort start ms, size, counts) of each cohort.
fn rows(r: &Retention) -> Vec<(i64, u64, Vec<Option<f64>>)> {
    r.cohorts
        .iter()
        .map(|c| (c.start, c.size, c.counts.clone()))
        .collect()
}

const N: Option<f64> = None;
fn s(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().copied().map(Some).collect()
}
fn with_nulls(values: &[f64], nulls: usize) -> Vec<Option<f64>> {
    let mut v = s(values);
    v.extend(std::iter::repeat_n(N, nulls));
    v
}

#[test]
fn first_time_counts_returns_after_the_cohort_period_and_nulls_the_future() {
    let r = run(&shop(), json!({ "periods": 4 }));
    assert_eq!(
        rows(&r),
        vec![
            (ms("2024-01-01"), 2, s(&[2.0, 1.0, 1.0, 1.0])),
            // C's visit in its own week counts only as k = 0.
            (ms("2024-01-08"), 1, with_nulls(&[1.0, 1.0, 0.0], 1)),
            (ms("2024-01-22"), 1, with_nulls(&[1.0], 3)),
        ]
    );
    assert_eq!(r.cohorts[0].rates, s(&[1.0, 0.5, 0.5, 0.5]));
    assert_eq!(r.cohorts[1].rates, with_nulls(&[1.0, 1.0, 0.0], 1));
    // Weighted mean: sum of non-null counts / sum of those cohorts' sizes.
    assert_eq!(r.mean, s(&[1.0, 2.0 / 3.0, 1.0 / 3.0, 0.5]));
    assert!(r.breakdown.is_none());
}

#[test]
fn defaults_are_signup_visit_weekly_eight_periods() {
    let r = run(&shop(), json!({}));
    assert_eq!(r.cohorts.len(), 3);
    assert_eq!(r.cohorts[0].counts.len(), 8);
    assert_eq!(r.cohorts[0].counts[..4], s(&[2.0, 1.0, 1.0, 1.0])[..]);
    assert_eq!(r.cohorts[0].counts[4..], [N; 4]);
}

#[test]
fn recurring_joins_every_period_with_a_start_event() {
    let r = run(&shop(), json!({ "periods": 4, "mode": "recurring" }));
    assert_eq!(
        rows(&r),
        vec![
            (ms("2024-01-01"), 2, s(&[2.0, 1.0, 1.0, 1.0])),
            (ms("2024-01-08"), 1, with_nulls(&[1.0, 1.0, 0.0], 1)),
            // A again, from the second signup: back in W3.
            (ms("2024-01-15"), 1, with_nulls(&[1.0, 1.0], 2)),
            (ms("2024-01-22"), 1, with_nulls(&[1.0], 3)),
        ]
    );
    assert_eq!(r.mean[1], Some(3.0 / 4.0));
}

#[test]
fn cumulative_counts_returns_on_or_after_k() {
    let r = run(&shop(), json!({ "periods": 4, "cumulative": true }));
    assert_eq!(
        rows(&r),
        vec![
            // A returns last in W3 (counts for k = 1..3), B in W2 (k = 1..2).
            (ms("2024-01-01"), 2, s(&[2.0, 2.0, 2.0, 1.0])),
            (ms("2024-01-08"), 1, with_nulls(&[1.0, 1.0, 0.0], 1)),
            (ms("2024-01-22"), 1, with_nulls(&[1.0], 3)),
        ]
    );
    // "On or after" looks past the last column: with 2 periods A and B both count at k=1.
    let r = run(&shop(), json!({ "periods": 2, "cumulative": true }));
    assert_eq!(r.cohorts[0].counts, s(&[2.0, 2.0]));
}

#[test]
fn revenue_sums_order_amounts_per_cell() {
    let r = run(&shop(), json!({ "periods": 4, "revenue": true }));
    assert_eq!(
        rows(&r),
        vec![
            // counts[0] is the revenue in the cohort period, including A's order placed
            // an hour before the signup.
            (ms("2024-01-01"), 2, s(&[10.0, 5.0, 7.0, 0.0])),
            (ms("2024-01-08"), 1, with_nulls(&[0.0, 0.0, 0.0], 1)),
            (ms("2024-01-22"), 1, with_nulls(&[3.0], 3)),
        ]
    );
    // Rates are revenue per cohort customer.
    assert_eq!(r.cohorts[0].rates, s(&[5.0, 2.5, 3.5, 0.0]));
    assert_eq!(r.mean, s(&[13.0 / 4.0, 5.0 / 3.0, 7.0 / 3.0, 0.0]));

    let r = run(
        &shop(),
        json!({ "periods": 4, "revenue": true, "cumulative": true }),
    );
    assert_eq!(r.cohorts[0].counts, s(&[10.0, 15.0, 22.0, 22.0]));
    assert_eq!(r.cohorts[2].counts, with_nulls(&[3.0], 3));
}

#[test]
fn from_and_to_filter_start_events() {
    // First-time: A and B first signed up before `from`, so they are left out (A's second
    // signup in W2 does not make a first-time cohort).
    let r = run(&shop(), json!({ "periods": 4, "from": "2024-01-08" }));
    let starts: Vec<i64> = r.cohorts.iter().map(|c| c.start).collect();
    assert_eq!(starts, vec![ms("2024-01-08"), ms("2024-01-22")]);
    // Recurring: A's W2 signup is inside.
    let r = run(
        &shop(),
        json!({ "periods": 4, "mode": "recurring", "from": "2024-01-08", "to": 1705536000000.0 }),
    );
    let starts: Vec<i64> = r.cohorts.iter().map(|c| c.start).collect();
    assert_eq!(starts, vec![ms("2024-01-08"), ms("2024-01-15")]);
    // `to` is inclusive, to the microsecond.
    let r = run(&shop(), json!({ "to": "2024-01-01T09:00:00Z" }));
    assert_eq!(r.cohorts.len(), 1);
    assert_eq!(r.cohorts[0].size, 1);
}

#[test]
fn timezone_moves_period_boundaries() {
    let events: &[Event] = &[
        // Sunday 20:00 UTC is Monday 05:00 in Seoul.
        ("F", "2024-01-07T20:00:00Z", "signup", None),
        ("F", "2024-01-08T01:00:00Z", "visit", None),
    ];
    let ds = dataset(events, &[], &[]);
    let utc = run(&ds, json!({ "periods": 2 }));
    assert_eq!(rows(&utc), vec![(ms("2024-01-01"), 1, s(&[1.0, 1.0]))]);
    let seoul = run(&ds, json!({ "periods": 2, "timezone": "+09:00" }));
    // The cohort week starts Monday 00:00 in Seoul; the visit is in the same week.
    assert_eq!(
        rows(&seoul),
        vec![(ms("2024-01-07T15:00:00Z"), 1, with_nulls(&[1.0], 1))]
    );
}

#[test]
fn months_and_days() {
    let r = run(&shop(), json!({ "period": "month", "periods": 2 }));
    assert_eq!(rows(&r), vec![(ms("2024-01-01"), 4, with_nulls(&[4.0], 1))]);
    let r = run(&shop(), json!({ "period": "day", "periods": 3 }));
    // C: signup and visit on 01-10 (k = 0 only).
    let c = r
        .cohorts
        .iter()
        .find(|c| c.start == ms("2024-01-10"))
        .unwrap();
    assert_eq!(c.counts, s(&[1.0, 0.0, 0.0]));
}

#[test]
fn breakdown_by_customer_attribute_and_event_property() {
    let r = run(&shop(), json!({ "periods": 2, "breakdown": "plan" }));
    let groups = r.breakdown.expect("breakdown");
    let summary: Vec<(Option<&str>, u64)> = groups
        .iter()
        .map(|g| (g.value.as_deref(), g.size))
        .collect();
    // Largest first, the missing value last.
    assert_eq!(
        summary,
        vec![(Some("pro"), 2), (Some("free"), 1), (None, 1)]
    );
    assert_eq!(groups[0].cohorts[0].counts, s(&[1.0, 1.0])); // A in W0
    assert_eq!(groups[1].cohorts[0].counts, s(&[1.0, 0.0])); // B in W0

    // The event property on the start event: B's first signup has no source, the second
    // (same week) says google. Limit 1 folds the rest into "Other".
    let r = run(
        &shop(),
        json!({ "periods": 2, "breakdown": { "property": "source", "limit": 1 } }),
    );
    let groups = r.breakdown.expect("breakdown");
    let summary: Vec<(Option<&str>, u64)> = groups
        .iter()
        .map(|g| (g.value.as_deref(), g.size))
        .collect();
    assert_eq!(
        summary,
        vec![(Some("naver"), 2), (Some("Other"), 1), (None, 1)]
    );
    // Groups add up to the whole table.
    let total: u64 = groups.iter().map(|g| g.size).sum();
    assert_eq!(total, r.cohorts.iter().map(|c| c.size).sum::<u64>());

    // Recurring: A's second signup (W2) carries kakao.
    let r = run(
        &shop(),
        json!({ "periods": 2, "mode": "recurring", "breakdown": "source" }),
    );
    let kakao = r
        .breakdown
        .unwrap()
        .into_iter()
        .find(|g| g.value.as_deref() == Some("kakao"))
        .unwrap();
    assert_eq!(kakao.cohorts[0].start, ms("2024-01-15"));
}

#[test]
fn cells_never_exceed_the_cohort_size() {
    // A small deterministic pseudo-random log: every mode, cells <= size.
    let mut events = Vec::new();
    let mut x: u64 = 12345;
    let names = ["signup", "visit", "visit", "other"];
    let ids: Vec<String> = (0..40).map(|i| format!("c{i}")).collect();
    let times: Vec<String> = (0..400)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let day = (x >> 33) % 120;
            let (m, d) = match day {
                0..=30 => (1, day + 1),
                31..=59 => (2, day - 30),
                60..=90 => (3, day - 59),
                _ => (4, day - 90),
            };
            format!("2024-{m:02}-{d:02}T{:02}:00", (x >> 20) % 24)
        })
        .collect();
    for (i, time) in times.iter().enumerate() {
        events.push((
            ids[i % 40].as_str(),
            time.as_str(),
            names[(i / 40) % 4],
            None,
        ));
    }
    let ds = dataset(&events, &[], &[]);
    for mode in ["firstTime", "recurring"] {
        for cumulative in [false, true] {
            for period in ["day", "week", "month"] {
                let r = run(
                    &ds,
                    json!({ "mode": mode, "cumulative": cumulative, "period": period, "periods": 12 }),
                );
                assert!(!r.cohorts.is_empty());
                for c in &r.cohorts {
                    assert_eq!(c.counts[0], Some(c.size as f64));
                    for v in c.counts.iter().flatten() {
                        assert!(*v <= c.size as f64, "{mode} {period} {c:?}");
                    }
                    // Nulls only at the end.
                    let first_null = c.counts.iter().position(Option::is_none);
                    if let Some(i) = first_null {
                        assert!(c.counts[i..].iter().all(Option::is_none));
                    }
                    if cumulative {
                        let v: Vec<f64> = c.counts.iter().flatten().copied().collect();
                        assert!(v.windows(2).all(|w| w[0] >= w[1]));
                    }
                }
            }
        }
    }
}

fn error(ds: &Dataset, options: serde_json::Value) -> (String, String) {
    let e = retention(ds, &opts::<RetentionOptions>(options)).expect_err("should fail");
    (e.code().to_owned(), e.to_string())
}

#[test]
fn bad_options_are_coded_errors_naming_the_option() {
    let ds = shop();
    let (code, msg) = error(&ds, json!({ "startEvent": "sigup" }));
    assert_eq!(code, "bad_option");
    assert!(
        msg.contains("startEvent") && msg.contains("closest: \"signup\""),
        "{msg}"
    );
    let (_, msg) = error(&ds, json!({ "returnEvent": "vist" }));
    assert!(
        msg.contains("returnEvent") && msg.contains("closest: \"visit\""),
        "{msg}"
    );
    let (_, msg) = error(&ds, json!({ "period": "fortnight" }));
    assert!(
        msg.contains("\"period\"") && msg.contains("day") && msg.contains("month"),
        "{msg}"
    );
    for periods in [0, 1001] {
        let (code, msg) = error(&ds, json!({ "periods": periods }));
        assert_eq!(code, "bad_option");
        assert!(
            msg.contains("periods") && msg.contains("1 to 1000"),
            "{msg}"
        );
    }
    let (_, msg) = error(&ds, json!({ "from": "2024-02-01", "to": "2024-01-01" }));
    assert!(msg.contains("\"from\"") && msg.contains("after"), "{msg}");
    let (_, msg) = error(&ds, json!({ "timezone": "Asia/Seoul" }));
    assert!(msg.contains("timezone") && msg.contains("+09:00"), "{msg}");
    let (_, msg) = error(&ds, json!({ "breakdown": "plann" }));
    assert!(
        msg.contains("breakdown") && msg.contains("source") && msg.contains("plan"),
        "{msg}"
    );
    let (_, msg) = error(&ds, json!({ "mode": "sometimes" }));
    assert!(msg.contains("mode") && msg.contains("recurring"), "{msg}");
    let (_, msg) = error(&ds, json!({ "from": "last tuesday" }));
    assert!(
        msg.contains("\"from\"") && msg.contains("not a time"),
        "{msg}"
    );
    let (_, msg) = error(
        &ds,
        json!({ "breakdown": { "attribute": "plan", "limit": 0 } }),
    );
    assert!(msg.contains("breakdown.limit"), "{msg}");
    // The object form looks only in the table it names.
    let (_, msg) = error(&ds, json!({ "breakdown": { "attribute": "source" } }));
    assert!(msg.contains("\"source\" is neither"), "{msg}");
    let (_, msg) = error(&ds, json!({ "breakdown": { "limit": 3 } }));
    assert!(
        msg.contains("breakdown") && msg.contains("attribute"),
        "{msg}"
    );
    let (_, msg) = error(&ds, json!({ "breakdown": 7 }));
    assert!(msg.contains("breakdown"), "{msg}");
    // Revenue needs orders.
    let events_only = dataset(EVENTS, &[], &[]);
    let (_, msg) = error(&events_only, json!({ "revenue": true }));
    assert!(msg.contains("revenue") && msg.contains("orders"), "{msg}");
    // A misspelt option is rejected when the options are read.
    let e = insitu::json::from_str::<RetentionOptions>(
        &(json!({ "period": "week", "cohorts": 3 })).to_string(),
    )
    .expect_err("unknown field");
    assert!(e.to_string().contains("cohorts"));
}
