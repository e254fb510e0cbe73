//! Historical LTV and cohort LTV curves on a hand-built shop where every number can be
//! worked out by hand (the comments do).

#[path = "ltv_data.rs"]
mod data;

use data::{dataset, ms, us, Customer, Event, Order};
use insitu::ltv::{
    cohort_ltv, historical_ltv, Acquisition, CohortOptions, GroupBy, HistoricalOptions, LtvGroup,
    Margin,
};
use insitu::time::{parse_offset, Period};
use insitu::Dataset;

// A signs up 01-01 (ads, KR) and buys in Jan, Feb, Mar; B signs up 01-10 (organic, US)
// and buys once in Jan; C signs up 02-05 (ads, KR) and never buys; D has no signup time
// and no channel, buys twice on 02-01; E is not in the customers table and buys on 03-01.
// The data ends 2024-03-31 (A's visit).
const ORDERS: &[Order] = &[
    ("A", "2024-01-02T10:00", 100.0, Some(30.0)),
    ("A", "2024-02-15T10:00", 50.0, Some(10.0)),
    ("A", "2024-03-20T10:00", 20.0, None), // margin unknown: counts as 0
    ("B", "2024-01-20T10:00", 40.0, Some(12.0)),
    ("D", "2024-02-01T09:00", 10.0, Some(2.0)),
    ("D", "2024-02-01T18:00", 5.0, Some(1.0)),
    ("E", "2024-03-01T10:00", 60.0, Some(20.0)),
];

const CUSTOMERS: &[Customer] = &[
    ("A", Some("2024-01-01T09:00"), Some("ads"), "KR"),
    ("B", Some("2024-01-10T09:00"), Some("organic"), "US"),
    ("C", Some("2024-02-05T09:00"), Some("ads"), "KR"),
    ("D", None, None, "KR"),
];

const EVENTS: &[Event] = &[
    ("A", "2024-03-31T12:00", "visit"),
    ("F", "2024-03-05T12:00", "visit"), // an anonymous visitor: never a customer
];

fn shop() -> Dataset {
    dataset(EVENTS, ORDERS, CUSTOMERS)
}

fn group<'a>(groups: &'a [LtvGroup], label: &str) -> &'a LtvGroup {
    groups
        .iter()
        .find(|g| g.group == label)
        .unwrap_or_else(|| panic!("no group {label}"))
}

#[test]
fn revenue_and_margin_per_customer_to_date() {
    let ds = shop();
    let r = historical_ltv(
        &ds,
        &HistoricalOptions {
            margin: Some(Margin::Column("margin".into())),
            ..Default::default()
        },
    )
    .expect("ltv");
    assert_eq!(r.as_of, ms("2024-03-31T12:00"));
    // Buyers A, B, D, E: revenue 170 + 40 + 15 + 60 = 285; margin 40 + 12 + 3 + 20 = 75.
    let t = &r.total;
    assert_eq!((t.customers, t.buyers, t.orders), (4, 4, 7));
    assert_eq!(t.revenue, 285.0);
    assert_eq!(t.revenue_per_customer, Some(71.25));
    assert_eq!(t.margin, Some(75.0));
    assert_eq!(t.margin_per_customer, Some(18.75));
    assert_eq!(r.margin_missing, 1);
    assert!(r.groups.is_empty());
    let names: Vec<&str> = r.table.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["customer_id", "acquired", "orders", "revenue", "margin"]
    );
    let rate = historical_ltv(
        &ds,
        &HistoricalOptions {
            margin: Some(Margin::Rate(0.3)),
            ..Default::default()
        },
    )
    .expect("ltv");
    assert!((rate.total.margin.expect("margin") - 85.5).abs() < 1e-9);
}

#[test]
fn by_channel_with_cac_and_signup_acquisition() {
    let ds = shop();
    let options = HistoricalOptions {
        by: Some(GroupBy::Attribute("acquisition_channel".into())),
        margin: Some(Margin::Column("margin".into())),
        cac: vec![("ads".into(), 50.0), ("organic".into(), 20.0)],
        ..Default::default()
    };
    // First-order acquisition: ads = A; organic = B; (missing) = D (no channel), E (unlisted).
    let r = historical_ltv(&ds, &options).expect("ltv");
    let labels: Vec<&str> = r.groups.iter().map(|g| g.group.as_str()).collect();
    assert_eq!(labels, ["ads", "organic", "(missing)"]);
    let ads = group(&r.groups, "ads");
    assert_eq!((ads.customers, ads.revenue), (1, 170.0));
    assert_eq!(ads.ltv_cac, Some(40.0 / 50.0));
    let missing = group(&r.groups, "(missing)");
    assert_eq!((missing.customers, missing.revenue), (2, 75.0));
    assert_eq!(missing.cac, None);
    assert_eq!(missing.ltv_cac, None);

    // Signup acquisition: C (ads, never bought) counts, with 0 revenue.
    let r = historical_ltv(
        &ds,
        &HistoricalOptions {
            acquisition: Acquisition::Signup,
            ..options
        },
    )
    .expect("ltv");
    assert_eq!(r.total.customers, 5);
    assert_eq!(r.total.buyers, 4);
    let ads = group(&r.groups, "ads");
    assert_eq!((ads.customers, ads.buyers), (2, 1));
    assert_eq!(ads.revenue_per_customer, Some(85.0));
    assert_eq!(ads.revenue_per_buyer, Some(170.0));
    assert_eq!(ads.margin_per_customer, Some(20.0));
    assert_eq!(ads.ltv_cac, Some(20.0 / 50.0));
    let organic = group(&r.groups, "organic");
    assert_eq!(organic.ltv_cac, Some(12.0 / 20.0));
}

#[test]
fn as_of_and_cohorts() {
    let ds = shop();
    // By 02-10: A 100, B 40, D 15; E (first order 03-01) is not a customer yet.
    let r = historical_ltv(
        &ds,
        &HistoricalOptions {
            as_of: Some(us("2024-02-10")),
            by: Some(GroupBy::Cohort(Period::Month)),
            ..Default::default()
        },
    )
    .expect("ltv");
    assert_eq!(r.total.customers, 3);
    assert_eq!(r.total.revenue, 155.0);
    let labels: Vec<(&str, Option<i64>)> = r
        .groups
        .iter()
        .map(|g| (g.group.as_str(), g.start))
        .collect();
    assert_eq!(
        labels,
        [
            ("2024-01", Some(ms("2024-01-01"))),
            ("2024-02", Some(ms("2024-02-01")))
        ]
    );
    assert_eq!(group(&r.groups, "2024-01").revenue, 140.0);
    assert_eq!(group(&r.groups, "2024-02").revenue_per_customer, Some(15.0));
}

#[test]
fn cohort_curves_with_null_future() {
    let ds = shop();
    let c = cohort_ltv(
        &ds,
        &CohortOptions {
            periods: 4,
            ..Default::default()
        },
    )
    .expect("cohorts");
    let rows: Vec<(&str, usize, Vec<Option<f64>>)> = c
        .cohorts
        .iter()
        .map(|r| (r.cohort.as_str(), r.customers, r.values.clone()))
        .collect();
    // Jan (A, B): 140, +50, +20 -> per customer 70, 95, 105; April is after the data.
    // Feb (D): 15, 15; Mar (E): 60.
    assert_eq!(
        rows,
        [
            (
                "2024-01",
                2,
                vec![Some(70.0), Some(95.0), Some(105.0), None]
            ),
            ("2024-02", 1, vec![Some(15.0), Some(15.0), None, None]),
            ("2024-03", 1, vec![Some(60.0), None, None, None]),
        ]
    );
    // Weighted by customers: (140+15+60)/4, (190+15)/3, 210/2.
    assert_eq!(c.average[0], Some(53.75));
    assert!((c.average[1].expect("k=1") - 205.0 / 3.0).abs() < 1e-12);
    assert_eq!(c.average[2], Some(105.0));
    assert_eq!(c.average[3], None);
    assert_eq!(c.value, "revenue");

    // Signup cohorts: C (signed up 02-05, no orders) joins D in February.
    let s = cohort_ltv(
        &ds,
        &CohortOptions {
            periods: 2,
            acquisition: Acquisition::Signup,
            margin: Some(Margin::Rate(0.5)),
            ..Default::default()
        },
    )
    .expect("cohorts");
    let feb = &s.cohorts[1];
    assert_eq!((feb.cohort.as_str(), feb.customers), ("2024-02", 2));
    assert_eq!(feb.values, vec![Some(3.75), Some(3.75)]);
    assert_eq!(s.value, "margin");
}

#[test]
fn weekly_cohorts_and_timezones() {
    // 2024-01-31T23:30Z is February 1st in Seoul.
    let orders: &[Order] = &[
        ("X", "2024-01-31T23:30", 10.0, None),
        ("X", "2024-02-08T10:00", 5.0, None),
    ];
    let ds = dataset(&[], orders, &[]);
    let utc = cohort_ltv(&ds, &CohortOptions::default()).expect("utc");
    assert_eq!(utc.cohorts[0].cohort, "2024-01");
    assert_eq!(utc.cohorts[0].values[..2], [Some(10.0), Some(15.0)]);
    let seoul = cohort_ltv(
        &ds,
        &CohortOptions {
            offset: parse_offset("+09:00").expect("offset"),
            ..Default::default()
        },
    )
    .expect("seoul");
    assert_eq!(seoul.cohorts[0].cohort, "2024-02");
    assert_eq!(seoul.cohorts[0].start, ms("2024-02-01T00:00:00+09:00"));
    assert_eq!(seoul.cohorts[0].values[..2], [Some(15.0), None]);
    // ISO weeks: Wednesday 01-31 is in the week of Monday 01-29, Thursday 02-08 in the next.
    let weeks = cohort_ltv(
        &ds,
        &CohortOptions {
            period: Period::Week,
            periods: 3,
            ..Default::default()
        },
    )
    .expect("weeks");
    assert_eq!(weeks.cohorts[0].cohort, "2024-01-29");
    assert_eq!(weeks.cohorts[0].values, vec![Some(10.0), Some(15.0), None]);
}

#[test]
fn rfm_summary_units_and_periods() {
    use insitu::ltv::summary::DAYS_PER_MONTH;
    use insitu::ltv::{rfm_summary, SummaryOptions};
    let orders: &[Order] = &[
        ("A", "2024-01-02T08:00", 10.0, None),
        ("A", "2024-01-02T20:00", 5.0, None), // same day: one purchase
        ("A", "2024-01-20T10:00", 7.0, None),
        ("A", "2024-03-05T10:00", 3.0, None),
        ("A", "2024-04-02T10:00", 99.0, None), // after the calibration end
        ("B", "2024-04-01T10:00", 50.0, None), // first order after it: left out
    ];
    let ds = dataset(&[], orders, &[]);
    let summary = |unit, period_unit| {
        let s = rfm_summary(
            &ds,
            &SummaryOptions {
                calibration_end: Some(us("2024-03-31T00:00")),
                unit,
                period_unit,
                offset: 0,
            },
        )
        .expect("summary");
        assert_eq!(s.rows.len(), 1);
        let r = s.rows[0];
        (r.frequency, r.recency, r.t, r.monetary)
    };
    // Days: 01-02 -> 03-05 is 63 days (2024 is a leap year), -> 03-31 is 89 days.
    assert_eq!(summary(Period::Day, Period::Day), (2, 63.0, 89.0, 5.0));
    let (f, r, t, m) = summary(Period::Month, Period::Day);
    assert_eq!((f, m), (2, 5.0));
    assert!((r - 63.0 / DAYS_PER_MONTH).abs() < 1e-12 && (t - 89.0 / DAYS_PER_MONTH).abs() < 1e-12);
    // Months collapse January: purchases in Jan and Mar, 2 months apart; March totals 3.
    assert_eq!(summary(Period::Month, Period::Month), (1, 2.0, 2.0, 3.0));
    // ISO weeks of 01-01, 01-15, 03-04; the calibration end (Sunday 03-31) is in the week of 03-25.
    assert_eq!(summary(Period::Week, Period::Week), (2, 9.0, 12.0, 5.0));
    // Days measured in weeks (the CDNOW convention).
    assert_eq!(
        summary(Period::Week, Period::Day),
        (2, 9.0, 89.0 / 7.0, 5.0)
    );
}
