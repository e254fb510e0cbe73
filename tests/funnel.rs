//! Funnels on hand-worked cases (SEMANTICS.md, Funnels), and bad options.

mod common;

use common::*;
use insitu::funnel::path::Outcome;
use insitu::funnel::run::for_each_outcome;
use insitu::funnel::{funnel, FunnelQuery, FunnelResult, FunnelSpec};
use insitu::Dataset;

const S: i64 = 1_000;
const DAY: i64 = 86_400_000;

fn query(json: &str) -> FunnelQuery {
    insitu::json::from_str(json).expect("query json")
}

fn run(ds: &Dataset, json: &str) -> FunnelResult {
    funnel(
        ds,
        &FunnelSpec::resolve(ds, &query(json)).expect("valid funnel"),
    )
}

fn counts(r: &FunnelResult) -> Vec<usize> {
    r.steps.iter().map(|s| s.count).collect()
}

/// Steps reached per customer id.
fn reached(ds: &Dataset, json: &str) -> Vec<(String, Option<usize>)> {
    let spec = FunnelSpec::resolve(ds, &query(json)).unwrap();
    let mut out = Vec::new();
    for_each_outcome(ds, &spec, |c, o, _| {
        out.push((
            ds.ids.display(c),
            match o {
                Outcome::Reported(p) => Some(p.reached),
                Outcome::NotEntered => Some(0),
                Outcome::Excluded => None,
            },
        ))
    });
    out
}

#[test]
fn a_new_step_one_event_restarts_the_path() {
    let ds = events_dataset(&[(1, 0, "A"), (1, 10 * S, "A"), (1, 12 * S, "B")], &[]);
    let r = run(&ds, r#"{"steps":["A","B"]}"#);
    assert_eq!(counts(&r), vec![1, 1]);
    assert_eq!(r.steps[1].median_time_ms, Some(2_000.0));
    assert_eq!(r.time_to_convert[0].mean_ms, Some(2_000.0));
}

#[test]
fn equal_timestamps_are_taken_in_step_order() {
    // B is logged before A at the same instant.
    let ds = events_dataset(&[(1, 5 * S, "B"), (1, 5 * S, "A")], &[]);
    let r = run(&ds, r#"{"steps":["A","B"]}"#);
    assert_eq!(counts(&r), vec![1, 1]);
    // A zero time is left out of the time statistics.
    assert_eq!(r.time_to_convert[0].customers, 0);
    assert_eq!(r.steps[1].median_time_ms, None);
}

#[test]
fn a_step_repeating_the_previous_event_needs_a_later_event() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (2, 0, "A"),
            (2, 0, "A"),
            (3, 0, "A"),
            (3, S, "A"),
        ],
        &[],
    );
    assert_eq!(
        reached(&ds, r#"{"steps":["A","A"]}"#),
        vec![
            ("1".into(), Some(1)),
            ("2".into(), Some(1)),
            ("3".into(), Some(2))
        ]
    );
}

#[test]
fn conversions_just_inside_and_just_outside_the_window() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, 10 * S, "B"),
            (2, 0, "A"),
            (2, 10 * S + 1, "B"),
        ],
        &[],
    );
    assert_eq!(
        reached(&ds, r#"{"steps":["A","B"],"window":10000}"#),
        vec![("1".into(), Some(2)), ("2".into(), Some(1))]
    );
    assert_eq!(
        reached(&ds, r#"{"steps":["A","B"],"window":"10s"}"#),
        vec![("1".into(), Some(2)), ("2".into(), Some(1))]
    );
}

#[test]
fn per_step_windows_bound_the_gap_from_the_previous_step() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, 5 * S, "B"),
            (1, 7 * S, "C"),
            (2, 0, "A"),
            (2, S, "B"),
            (2, 7 * S, "C"),
        ],
        &[],
    );
    assert_eq!(
        reached(
            &ds,
            r#"{"steps":["A","B","C"],"stepWindows":[null,null,"3s"]}"#
        ),
        vec![("1".into(), Some(3)), ("2".into(), Some(2))]
    );
}

#[test]
fn exclusions_taint_unless_a_later_clean_path_gets_as_far() {
    let ds = events_dataset(
        &[
            // 1: tainted path converts, no clean path: dropped.
            (1, 0, "A"),
            (1, S, "X"),
            (1, 2 * S, "B"),
            (1, 3 * S, "C"),
            // 2: tainted conversion, then a clean conversion: counted.
            (2, 0, "A"),
            (2, S, "X"),
            (2, 2 * S, "B"),
            (2, 3 * S, "C"),
            (2, 10 * S, "A"),
            (2, 11 * S, "B"),
            (2, 12 * S, "C"),
            // 3: tainted path reaches B; the clean one only A: dropped.
            (3, 0, "A"),
            (3, S, "X"),
            (3, 2 * S, "B"),
            (3, 10 * S, "A"),
            // 4: X before the path starts does not taint.
            (4, 0, "X"),
            (4, S, "A"),
            (4, 2 * S, "B"),
            (4, 3 * S, "C"),
            // 5: X after reaching toStep does not taint.
            (5, 0, "A"),
            (5, S, "B"),
            (5, 2 * S, "X"),
            (5, 3 * S, "C"),
        ],
        &[],
    );
    let q = r#"{"steps":["A","B","C"],"exclusions":[{"event":"X","fromStep":0,"toStep":1}]}"#;
    assert_eq!(
        reached(&ds, q),
        vec![
            ("1".into(), None),
            ("2".into(), Some(3)),
            ("3".into(), None),
            ("4".into(), Some(3)),
            ("5".into(), Some(3)),
        ]
    );
    let r = run(&ds, q);
    assert_eq!(r.excluded, 2);
    assert_eq!(counts(&r), vec![3, 3, 3]);
}

#[test]
fn strict_mode_breaks_on_other_events_but_not_on_repeats() {
    let ds = events_dataset(
        &[
            (1, 0, "land"),
            (1, S, "register"),
            (1, 2 * S, "browse"),
            (1, 3 * S, "browse"),
            (1, 4 * S, "cart"),
            (2, 0, "land"),
            (2, S, "register"),
            (2, 2 * S, "share"),
            (2, 3 * S, "browse"),
            (2, 4 * S, "cart"),
        ],
        &[],
    );
    let steps = r#"["land","register","browse","cart"]"#;
    assert_eq!(
        reached(&ds, &format!(r#"{{"steps":{steps},"mode":"strict"}}"#)),
        vec![("1".into(), Some(4)), ("2".into(), Some(2))]
    );
    assert_eq!(
        reached(&ds, &format!(r#"{{"steps":{steps}}}"#)),
        vec![("1".into(), Some(4)), ("2".into(), Some(4))]
    );
}

#[test]
fn unordered_counts_distinct_steps_within_one_window() {
    let ds = events_dataset(
        &[
            (1, 0, "C"),
            (1, S, "A"),
            (1, 100 * S, "B"),
            (2, 0, "B"),
            (2, S, "C"),
            (2, 2 * S, "A"),
            (3, 0, "B"),
            (3, S, "B"),
        ],
        &[],
    );
    assert_eq!(
        reached(
            &ds,
            r#"{"steps":["A","B","C"],"mode":"unordered","window":"10s"}"#
        ),
        vec![
            ("1".into(), Some(2)),
            ("2".into(), Some(3)),
            ("3".into(), Some(1))
        ]
    );
    // Shared events: each event covers one step.
    assert_eq!(
        reached(
            &ds,
            r#"{"steps":["B","B","C"],"mode":"unordered","window":"10s"}"#
        ),
        vec![
            ("1".into(), Some(1)),
            ("2".into(), Some(2)),
            ("3".into(), Some(2))
        ]
    );
}

#[test]
fn only_events_inside_the_date_range_count() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, S, "B"),
            (2, 10 * DAY, "A"),
            (2, 10 * DAY + S, "B"),
            (3, 10 * DAY, "A"),
            (3, 30 * DAY, "B"),
        ],
        &[],
    );
    let r = run(
        &ds,
        &format!(
            r#"{{"steps":["A","B"],"from":{},"to":{},"window":"30d"}}"#,
            5 * DAY,
            20 * DAY
        ),
    );
    assert_eq!(counts(&r), vec![2, 1]);
}

#[test]
fn breakdowns_attribute_by_first_last_or_step_and_fold_into_other() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, S, "A"),
            (1, 2 * S, "B"),
            (2, 0, "A"),
            (2, S, "B"),
            (3, 0, "A"),
        ],
        &[(
            "source",
            vec![
                None,
                Some("naver"),
                Some("kakao"),
                Some("google"),
                None,
                Some("naver"),
            ],
        )],
    );
    let values = |json: &str| -> Vec<(String, Vec<usize>)> {
        let r = run(&ds, json);
        r.breakdown
            .unwrap()
            .values
            .into_iter()
            .map(|v| (v.value, v.steps.iter().map(|s| s.count).collect()))
            .collect()
    };
    assert_eq!(
        values(r#"{"steps":["A","B"],"breakdown":"source"}"#),
        vec![("naver".into(), vec![2, 1]), ("google".into(), vec![1, 1])]
    );
    assert_eq!(
        values(
            r#"{"steps":["A","B"],"breakdown":{"property":"source","attribution":"lastTouch"}}"#
        ),
        vec![
            ("google".into(), vec![1, 1]),
            ("kakao".into(), vec![1, 1]),
            ("naver".into(), vec![1, 0])
        ]
    );
    // Customer 1's reported path starts at its second A (naver); customer 2's B has no value.
    assert_eq!(
        values(r#"{"steps":["A","B"],"breakdown":{"property":"source","attribution":{"step":1}}}"#),
        vec![("(none)".into(), vec![2, 1]), ("kakao".into(), vec![1, 1])]
    );
    assert_eq!(
        values(r#"{"steps":["A","B"],"breakdown":{"property":"source","limit":1}}"#),
        vec![("naver".into(), vec![2, 1]), ("Other".into(), vec![1, 1])]
    );
}

#[test]
fn trend_counts_entered_and_converted_per_period_of_step_one() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, S, "B"),
            (2, DAY + 5, "A"),
            (3, DAY + 9, "A"),
            (3, DAY + 10, "B"),
        ],
        &[],
    );
    let r = run(&ds, r#"{"steps":["A","B"],"trend":"day"}"#);
    let trend: Vec<(f64, usize, usize)> = r
        .trend
        .unwrap()
        .iter()
        .map(|t| (t.start, t.entered, t.converted))
        .collect();
    assert_eq!(trend, vec![(0.0, 1, 1), (DAY as f64, 2, 1)]);
}

#[test]
fn counts_conversions_and_intervals() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, S, "B"),
            (2, 0, "A"),
            (3, 0, "A"),
            (3, 2 * S, "B"),
            (4, 0, "A"),
        ],
        &[],
    );
    let r = run(&ds, r#"{"steps":["A","B"]}"#);
    let b = &r.steps[1];
    assert_eq!((b.count, b.drop_off), (2, 2));
    assert_eq!(b.conversion, Some(0.5));
    assert_eq!(b.step_conversion, Some(0.5));
    assert_eq!(b.drop_off_rate, Some(0.5));
    // Wilson 95% for 2/4 = (0.1500, 0.8500).
    let [lo, hi] = b.conversion_interval.unwrap();
    assert!(
        (lo - 0.15004).abs() < 1e-4 && (hi - 0.84996).abs() < 1e-4,
        "{lo} {hi}"
    );
    assert_eq!(b.median_time_ms, Some(1_500.0));
    assert_eq!(r.steps[0].conversion, Some(1.0));
}

#[test]
fn bad_options_are_coded_errors() {
    let ds = events_dataset(
        &[(1, 0, "visit"), (1, S, "purchase")],
        &[("source", vec![Some("a"), None])],
    );
    let err = |json: &str| FunnelSpec::resolve(&ds, &query(json)).unwrap_err();
    let e = err(r#"{"steps":["visit","purchse"]}"#);
    assert_eq!(e.code(), "bad_option");
    assert!(e.to_string().contains("closest: \"purchase\""), "{e}");
    assert!(FunnelSpec::resolve(
        &ds,
        &query(r#"{"steps":["visit","purchse"],"allowMissing":true}"#)
    )
    .is_ok());
    for bad in [
        r#"{"steps":["visit"]}"#,
        r#"{"steps":["a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a","a"]}"#,
        r#"{"steps":["visit","purchase"],"window":0}"#,
        r#"{"steps":["visit","purchase"],"window":"-5d"}"#,
        r#"{"steps":["visit","purchase"],"window":"5 parsecs"}"#,
        r#"{"steps":["visit","purchase"],"exclusions":[{"event":"visit","fromStep":1,"toStep":1}]}"#,
        r#"{"steps":["visit","purchase"],"exclusions":[{"event":"purchase","fromStep":0,"toStep":1}]}"#,
        r#"{"steps":["visit","purchase"],"breakdown":"country"}"#,
        r#"{"steps":["visit","purchase"],"trend":"fortnight"}"#,
        r#"{"steps":["visit","purchase"],"from":10,"to":5}"#,
        r#"{"steps":["visit","purchase"],"mode":"unordered","exclusions":[{"event":"visit"}]}"#,
    ] {
        assert_eq!(err(bad).code(), "bad_option", "{bad}");
    }
    assert!(
        err(r#"{"steps":["visit","purchase"],"breakdown":"country"}"#)
            .to_string()
            .contains("source")
    );
    assert!(insitu::json::from_str::<FunnelQuery>(r#"{"stepz":[]}"#).is_err());
}

#[test]
fn on_sample_data_counts_never_increase_and_strict_le_ordered_le_unordered() {
    let ds = sample_dataset(60_000, 3);
    let steps = r#"["visit","view_product","add_to_cart","begin_checkout","purchase"]"#;
    for window in ["1h", "7d"] {
        let per_mode: Vec<Vec<(String, Option<usize>)>> = ["strict", "ordered", "unordered"]
            .iter()
            .map(|mode| {
                reached(
                    &ds,
                    &format!(r#"{{"steps":{steps},"mode":"{mode}","window":"{window}"}}"#),
                )
            })
            .collect();
        let [strict, ordered, unordered] = [&per_mode[0], &per_mode[1], &per_mode[2]];
        for ((strict, ordered), unordered) in strict.iter().zip(ordered).zip(unordered) {
            let (s, o, u) = (strict.1.unwrap(), ordered.1.unwrap(), unordered.1.unwrap());
            assert!(
                s <= o && o <= u,
                "customer {}: strict {s}, ordered {o}, unordered {u}",
                strict.0
            );
        }
        for mode in ["strict", "ordered", "unordered"] {
            let r = run(
                &ds,
                &format!(
                    r#"{{"steps":{steps},"mode":"{mode}","window":"{window}","breakdown":"source"}}"#
                ),
            );
            let c = counts(&r);
            assert!(c.windows(2).all(|w| w[0] >= w[1]), "{mode}: {c:?}");
            assert!(c[4] > 0, "{mode} {window}: nobody converted: {c:?}");
            // Breakdown values add up to the totals.
            let b = r.breakdown.unwrap();
            for (step, &total) in c.iter().enumerate() {
                assert_eq!(
                    b.values.iter().map(|v| v.steps[step].count).sum::<usize>(),
                    total
                );
            }
        }
    }
}

#[test]
fn segments_break_down_and_filter_a_funnel() {
    let ds = events_dataset(
        &[
            (1, 0, "A"),
            (1, S, "A"),
            (1, 2 * S, "B"),
            (2, 0, "A"),
            (2, S, "B"),
            (3, 0, "A"),
        ],
        &[],
    );
    let r = run(
        &ds,
        r#"{"steps":["A","B"],"breakdown":{"segments":[{"name":"multi","where":"events(A) >= 2"}]}}"#,
    );
    let b = r.breakdown.unwrap();
    assert_eq!(b.source, "segment");
    let values: Vec<(String, Vec<usize>)> = b
        .values
        .into_iter()
        .map(|v| (v.value, v.steps.iter().map(|s| s.count).collect()))
        .collect();
    assert_eq!(
        values,
        vec![("none".into(), vec![2, 1]), ("multi".into(), vec![1, 1])]
    );
    let filtered = run(
        &ds,
        r#"{"steps":["A","B"],"segment":{"where":"events(A) < 2"}}"#,
    );
    assert_eq!(counts(&filtered), vec![2, 1]);
    let err = FunnelSpec::resolve(
        &ds,
        &query(r#"{"steps":["A","B"],"segment":{"where":"nonsense >= 2"}}"#),
    )
    .unwrap_err();
    assert_eq!(err.code(), "bad_option");
}
