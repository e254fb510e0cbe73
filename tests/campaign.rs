//! Campaign KPIs on a hand-built shop where every number can be worked out by hand.
//!
//! Two campaigns, times relative to T0 = 2024-03-04 00:00 UTC (d = day, h = hour):
//!
//! | customer (country) | messages                                             | orders                      |
//! |---|---|---|
//! | 1 (KR) | spring sent 0, opened 1h, clicked 2h; summer sent 2d  | -10d 20, 1d 50, 3d 30       |
//! | 2 (KR) | spring sent 0, opened 3h                              | 8d+1h 100                   |
//! | 3 (JP) | spring sent 0                                         | 5d 40                       |
//! | 4 (JP) | spring sent 0, clicked 1h (no open logged)            |                             |
//! | 5 (KR) | summer sent 2d, opened 2d+1h                          | 2d+30m 25                   |
//! | 6 (US) | (a visit only)                                        | 1d 10                       |
//!
//! Customer 1 gets both campaigns: the order at 1d goes to spring (its only message so
//! far); the order at 3d falls in both windows and goes to summer (last message wins).
//! Customer 2's order is 8 days after the message, outside the 7-day window.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray};
use common::*;
use insitu::campaign::{
    campaigns, experiment, kpi_trend, CampaignOptions, ExperimentOptions, KpiRow, KpiTrendOptions,
    Touch,
};
use insitu::stats::{self, wilson, AbTestOptions, VariantInput};
use insitu::Dataset;

const T0: i64 = 1_709_510_400_000; // 2024-03-04T00:00:00Z, ms
const H: i64 = 3_600_000;
const D: i64 = 24 * H;

fn arc<T: arrow_array::Array + 'static>(a: T) -> ArrayRef {
    Arc::new(a)
}

type Event<'a> = (i64, i64, &'a str, Option<&'a str>, Option<&'a str>);

fn events(rows: &[Event]) -> Vec<u8> {
    stream(&[batch(vec![
        (
            "customer_id",
            arc(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
        ),
        (
            "timestamp",
            arc(Int64Array::from_iter_values(rows.iter().map(|r| r.1))),
        ),
        (
            "event",
            arc(StringArray::from_iter_values(rows.iter().map(|r| r.2))),
        ),
        (
            "campaign",
            arc(StringArray::from_iter(rows.iter().map(|r| r.3))),
        ),
        (
            "channel",
            arc(StringArray::from_iter(rows.iter().map(|r| r.4))),
        ),
    ])])
}

fn orders(rows: &[(i64, i64, f64)]) -> Vec<u8> {
    stream(&[batch(vec![
        (
            "customer_id",
            arc(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
        ),
        (
            "timestamp",
            arc(Int64Array::from_iter_values(rows.iter().map(|r| r.1))),
        ),
        (
            "amount",
            arc(Float64Array::from_iter_values(rows.iter().map(|r| r.2))),
        ),
    ])])
}

fn shop() -> Dataset {
    let s = Some("spring");
    let u = Some("summer");
    let email = Some("email");
    let sms = Some("sms");
    let ev = events(&[
        (1, T0, "message_sent", s, email),
        (1, T0 + H, "message_opened", s, email),
        (1, T0 + 2 * H, "message_clicked", s, email),
        (1, T0 + 2 * D, "message_sent", u, sms),
        (2, T0, "message_sent", s, email),
        (2, T0 + 3 * H, "message_opened", s, email),
        (3, T0, "message_sent", s, email),
        (4, T0, "message_sent", s, email),
        (4, T0 + H, "message_clicked", s, email),
        (5, T0 + 2 * D, "message_sent", u, sms),
        (5, T0 + 2 * D + H, "message_opened", u, sms),
        (6, T0, "visit", None, None),
    ]);
    let or = orders(&[
        (1, T0 - 10 * D, 20.0),
        (1, T0 + D, 50.0),
        (1, T0 + 3 * D, 30.0),
        (2, T0 + 8 * D + H, 100.0),
        (3, T0 + 5 * D, 40.0),
        (5, T0 + 2 * D + H / 2, 25.0),
        (6, T0 + D, 10.0),
    ]);
    let customers = stream(&[batch(vec![
        ("customer_id", arc(Int64Array::from(vec![1, 2, 3, 4, 5, 6]))),
        (
            "country",
            arc(StringArray::from(vec!["KR", "KR", "JP", "JP", "KR", "US"])),
        ),
    ])]);
    ingest(Some(ev), Some(or), Some(customers), Default::default()).unwrap()
}

fn row<'a>(rows: &'a [KpiRow], name: &str) -> &'a KpiRow {
    rows.iter().find(|r| r.name == name).expect(name)
}

#[track_caller]
fn approx(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
}

fn costs() -> BTreeMap<String, f64> {
    [("spring".to_owned(), 45.0), ("summer".to_owned(), 10.0)].into()
}

#[test]
fn kpis_per_campaign_by_hand() {
    let ds = shop();
    let r = campaigns(
        &ds,
        &CampaignOptions {
            costs: Some(costs()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        r.settings.delivered, "message_sent",
        "no delivery event: sends count"
    );
    assert_eq!(
        r.campaigns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["spring", "summer"]
    );
    let spring = row(&r.campaigns, "spring");
    assert_eq!(spring.recipients, 4);
    assert_eq!(spring.delivered, 4);
    assert_eq!(spring.opens, Some(3), "customer 4's click implies an open");
    assert_eq!(spring.clicks, Some(2));
    assert_eq!(
        spring.converters, 2,
        "customers 1 (1d) and 3 (5d); 2 is past 7 days"
    );
    assert_eq!(spring.conversions, 2);
    approx(spring.revenue, 90.0);
    assert_eq!(spring.previous_buyers, 1, "customer 1 bought at -10d");
    assert_eq!(spring.returning_converters, 1);
    approx(spring.open_rate.unwrap().value, 0.75);
    approx(spring.ctr.unwrap().value, 0.5);
    approx(spring.click_to_open.unwrap().value, 2.0 / 3.0);
    approx(spring.conversion_rate.value, 0.5);
    approx(spring.return_customer_rate.value, 1.0);
    approx(spring.revenue_per_recipient.unwrap(), 22.5);
    approx(spring.cost.unwrap(), 45.0);
    approx(spring.roi.unwrap(), 1.0);
    assert_eq!(spring.first_sent, Some(T0 as f64));
    let w = wilson(2.0, 4.0, 0.05);
    approx(spring.conversion_rate.low, w.low);
    approx(spring.conversion_rate.high, w.high);
    assert_eq!(spring.return_customer_rate.high, 1.0);

    let summer = row(&r.campaigns, "summer");
    assert_eq!(
        (summer.recipients, summer.opens, summer.clicks),
        (2, Some(1), Some(0))
    );
    assert_eq!(
        summer.converters, 2,
        "customer 1 at 3d (last message) and 5"
    );
    approx(summer.revenue, 55.0);
    assert_eq!(
        (summer.previous_buyers, summer.returning_converters),
        (1, 1)
    );
    approx(summer.roi.unwrap(), 4.5);
    approx(summer.click_to_open.unwrap().value, 0.0);

    let t = &r.total;
    assert_eq!((t.recipients, t.delivered, t.converters), (6, 6, 4));
    assert_eq!((t.opens, t.clicks), (Some(4), Some(2)));
    approx(t.revenue, 145.0);
    approx(t.cost.unwrap(), 55.0);
    approx(t.roi.unwrap(), 90.0 / 55.0);
}

#[test]
fn breakdowns_by_message_property_and_customer_attribute() {
    let ds = shop();
    let r = campaigns(
        &ds,
        &CampaignOptions {
            by: Some(vec!["channel".into(), "country".into()]),
            costs: Some(costs()),
            ..Default::default()
        },
    )
    .unwrap();
    let channel = &r.breakdowns[0];
    assert_eq!(channel.by, "channel");
    assert_eq!(row(&channel.rows, "email").recipients, 4);
    assert_eq!(row(&channel.rows, "sms").converters, 2);
    let country = &r.breakdowns[1];
    let kr = row(&country.rows, "KR");
    assert_eq!(
        (kr.recipients, kr.opens, kr.clicks, kr.converters),
        (4, Some(3), Some(1), 3)
    );
    approx(kr.revenue, 105.0);
    approx(kr.cost.unwrap(), 2.0 * 45.0 / 4.0 + 10.0);
    let jp = row(&country.rows, "JP");
    assert_eq!(
        (jp.recipients, jp.opens, jp.clicks, jp.converters),
        (2, Some(1), Some(1), 1)
    );
    assert!(
        country.rows.iter().all(|r| r.name != "US"),
        "customer 6 got no message"
    );
}

#[test]
fn targets_give_achievement_and_met() {
    let ds = shop();
    let r = campaigns(
        &ds,
        &CampaignOptions {
            costs: Some(costs()),
            targets: Some([("conversionRate".to_owned(), 0.4), ("roi".to_owned(), 2.0)].into()),
            ..Default::default()
        },
    )
    .unwrap();
    let spring = row(&r.campaigns, "spring");
    let goal = |m: &str| spring.goals.iter().find(|g| g.metric == m).unwrap();
    approx(goal("conversionRate").achievement.unwrap(), 125.0);
    assert!(goal("conversionRate").met);
    approx(goal("roi").achievement.unwrap(), 50.0);
    assert!(!goal("roi").met);
    let summer = row(&r.campaigns, "summer");
    assert!(summer.goals.iter().all(|g| g.met));
}

#[test]
fn window_and_touch_change_attribution() {
    let ds = shop();
    let wide = campaigns(
        &ds,
        &CampaignOptions {
            attribution_window: Some(insitu::campaign::duration::DurationValue::Text(
                "10d".into(),
            )),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        row(&wide.campaigns, "spring").converters,
        3,
        "customer 2 now counts"
    );
    // Attributed to clicks only: customer 1's clicked spring gets both of their orders
    // after it (summer was never clicked); customer 3 never clicked.
    let clicks = campaigns(
        &ds,
        &CampaignOptions {
            attribute_to: Some(Touch::Clicked),
            ..Default::default()
        },
    )
    .unwrap();
    let spring = row(&clicks.campaigns, "spring");
    assert_eq!((spring.converters, spring.conversions), (1, 2));
    approx(spring.revenue, 80.0);
    assert_eq!(row(&clicks.campaigns, "summer").converters, 0);
}

#[test]
fn untracked_opens_are_null_not_zero() {
    let ds = shop();
    let r = campaigns(
        &ds,
        &CampaignOptions {
            opened: Some(None),
            ..Default::default()
        },
    )
    .unwrap();
    let spring = row(&r.campaigns, "spring");
    assert_eq!(spring.opens, None);
    assert!(spring.open_rate.is_none() && spring.click_to_open.is_none());
    assert_eq!(spring.clicks, Some(2));
}

#[test]
fn trend_per_day_of_send() {
    let ds = shop();
    let t = kpi_trend(
        &ds,
        &KpiTrendOptions {
            metric: Some("conversionRate".into()),
            period: Some("day".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let points: Vec<(f64, Option<f64>, u64)> = t
        .points
        .iter()
        .map(|p| (p.period, p.value, p.recipients))
        .collect();
    assert_eq!(
        points,
        vec![
            (T0 as f64, Some(0.5), 4),
            ((T0 + 2 * D) as f64, Some(1.0), 2)
        ]
    );
    let by = kpi_trend(
        &ds,
        &KpiTrendOptions {
            metric: Some("revenue".into()),
            period: Some("week".into()),
            by: Some("campaign".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let groups: Vec<(&str, Option<f64>)> = by
        .points
        .iter()
        .map(|p| (p.group.as_str(), p.value))
        .collect();
    assert_eq!(groups, vec![("spring", Some(90.0)), ("summer", Some(55.0))]);
}

#[test]
fn missing_names_are_errors_that_list_what_exists() {
    let ds = shop();
    let e = campaigns(
        &ds,
        &CampaignOptions {
            sent: Some("msg_sent".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "bad_option");
    let text = e.to_string();
    assert!(text.starts_with("option \"sent\""), "{text}");
    assert!(
        text.contains("message_sent") && text.contains("visit"),
        "{text}"
    );
    let e = campaigns(
        &ds,
        &CampaignOptions {
            opened: Some(Some("open".into())),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("option \"opened\""), "{e}");
    assert!(e.to_string().contains("message_opened"), "{e}");
    let bad = |o: CampaignOptions| campaigns(&ds, &o).unwrap_err();
    assert!(bad(CampaignOptions {
        by: Some(vec!["colour".into()]),
        ..Default::default()
    })
    .to_string()
    .contains("channel"));
    assert!(bad(CampaignOptions {
        costs: Some([("autumn".to_owned(), 5.0)].into()),
        ..Default::default()
    })
    .to_string()
    .contains("spring, summer"));
    assert!(bad(CampaignOptions {
        targets: Some([("happiness".to_owned(), 5.0)].into()),
        ..Default::default()
    })
    .to_string()
    .contains("conversionRate"));
    assert_eq!(
        bad(CampaignOptions {
            campaign: Some("utm".into()),
            ..Default::default()
        })
        .code(),
        "bad_option"
    );
}

fn experiment_shop() -> Dataset {
    let rows: &[(i64, i64, Option<&str>)] = &[
        (1, T0, Some("control")),
        (2, T0, Some("control")),
        (3, T0, Some("treatment")),
        (4, T0, Some("treatment")),
        (4, T0 + D, Some("control")),
        (5, T0, None),
        (5, T0 + D, Some("treatment")),
        (6, T0, None),
    ];
    let ev = stream(&[batch(vec![
        (
            "customer_id",
            arc(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
        ),
        (
            "timestamp",
            arc(Int64Array::from_iter_values(rows.iter().map(|r| r.1))),
        ),
        (
            "event",
            arc(StringArray::from_iter_values(rows.iter().map(|_| "visit"))),
        ),
        (
            "variant",
            arc(StringArray::from_iter(rows.iter().map(|r| r.2))),
        ),
    ])]);
    let or = orders(&[
        (1, T0 + D, 10.0),
        (3, T0 + 8 * D, 20.0),
        (4, T0 + 2 * H, 30.0),
        (5, T0 + D - H, 7.0),
        (5, T0 + 2 * D, 5.0),
    ]);
    ingest(Some(ev), Some(or), None, Default::default()).unwrap()
}

#[test]
fn experiment_from_data() {
    let ds = experiment_shop();
    let r = experiment(&ds, &ExperimentOptions::default()).unwrap();
    let counts: Vec<(&str, u64, u64)> = r
        .test
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.exposures, v.conversions))
        .collect();
    // 3's order is past the window; 5's first order is before their exposure.
    assert_eq!(counts, vec![("control", 2, 1), ("treatment", 3, 2)]);
    assert_eq!(
        r.mixed_assignments, 1,
        "customer 4 also saw control; stays treatment"
    );
    assert!(r.test.not_enough_data);
    let same = stats::ab_test(&AbTestOptions {
        variants: vec![
            VariantInput {
                name: Some("control".into()),
                exposures: Some(2.0),
                conversions: Some(1.0),
            },
            VariantInput {
                name: Some("treatment".into()),
                exposures: Some(3.0),
                conversions: Some(2.0),
            },
        ],
        ..Default::default()
    })
    .unwrap();
    assert_eq!(r.test, same);
    let revenue = r.revenue.unwrap();
    approx(revenue[0].mean, 5.0);
    approx(revenue[1].mean, 35.0 / 3.0);
    let welch = stats::welch(
        stats::Summary::of(&[10.0, 0.0]),
        stats::Summary::of(&[0.0, 30.0, 5.0]),
        0.05,
    );
    approx(revenue[1].p_value.unwrap(), welch.p_value);
    assert!(revenue[0].p_value.is_none());
}

#[test]
fn experiment_errors() {
    let ds = experiment_shop();
    let e = experiment(
        &ds,
        &ExperimentOptions {
            assignment: Some("arm".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("variant"), "{e}");
    let e = experiment(
        &ds,
        &ExperimentOptions {
            control: Some("baseline".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("control, treatment"), "{e}");
    let e = experiment(
        &ds,
        &ExperimentOptions {
            conversion: Some("purchase".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("option \"conversion\""), "{e}");
}
