//! Lifecycle per period and CRM stages on hand-worked data, each category and each
//! threshold exactly at its boundary, and bad options.

#[path = "retention_data.rs"]
mod data;

use data::{
    dataset, dataset_us, ms, opts, t, Customer, CustomerUs, Event, EventUs, Order, OrderUs,
};
use insitu::data::ipc::decode;
use insitu::data::mapping::IpcFormat;
use insitu::segments::lifecycle::{lifecycle, Lifecycle, LifecycleOptions, LifecyclePeriod};
use insitu::segments::stages::{stages, Stage, StageCounts, Stages, StagesOptions};
use insitu::time::MICROS_PER_DAY;
use insitu::Dataset;
use serde_json::json;

// Weeks: W0 = 2024-01-01, W1 = 01-08, W2 = 01-15, W3 = 01-22, W4 = 01-29.
const EVENTS: &[Event] = &[
    ("P", "2024-01-02T09:00", "visit", None), // W0
    ("P", "2024-01-03T09:00", "visit", None), // W0 again
    ("P", "2024-01-09T09:00", "visit", None), // W1
    ("P", "2024-01-23T09:00", "visit", None), // W3 (the data's last activity)
    ("Q", "2024-01-16T09:00", "visit", None), // W2; signed up in W0
    ("S", "2024-01-10T09:00", "visit", None), // W1; signs up later, in W2
];
const ORDERS: &[Order] = &[("R", "2024-01-11T09:00", 20.0)]; // W1 only
const CUSTOMERS: &[Customer] = &[
    ("Q", Some("2024-01-01T12:00"), None),
    ("S", Some("2024-01-17T12:00"), None),
    ("R", None, None),
];

fn period(start: &str, counts: [u64; 4]) -> LifecyclePeriod {
    LifecyclePeriod {
        start: ms(start),
        new: counts[0],
        returning: counts[1],
        resurrecting: counts[2],
        dormant: counts[3],
    }
}

fn run(ds: &Dataset, options: serde_json::Value) -> Lifecycle {
    lifecycle(ds, &opts::<LifecycleOptions>(options)).expect("lifecycle")
}

#[test]
fn lifecycle_counts_each_category() {
    let ds = dataset(EVENTS, ORDERS, CUSTOMERS);
    let table = run(&ds, json!({}));
    assert_eq!(
        table.periods,
        vec![
            // P's first week; Q's signup week.
            period("2024-01-01", [2, 0, 0, 0]),
            // P back; R (order) and S (event before signup) new; Q dormant after signup.
            period("2024-01-08", [2, 1, 0, 1]),
            // Q's first event after the signup week: resurrecting. S's signup keeps S
            // active (returning). P and R go dormant.
            period("2024-01-15", [0, 1, 1, 2]),
            // P resurrecting; Q and S dormant.
            period("2024-01-22", [0, 0, 1, 2]),
        ]
    );
    // Explicit range: the same periods, plus W4 where P goes dormant.
    let table = run(&ds, json!({ "from": "2024-01-17", "to": "2024-01-29" }));
    assert_eq!(
        table.periods,
        vec![
            period("2024-01-15", [0, 1, 1, 2]),
            period("2024-01-22", [0, 0, 1, 2]),
            period("2024-01-29", [0, 0, 0, 1]),
        ]
    );
    // Months: everyone is new in January.
    let table = run(&ds, json!({ "period": "month" }));
    assert_eq!(table.periods, vec![period("2024-01-01", [4, 0, 0, 0])]);
}

#[test]
fn lifecycle_without_signups_and_with_a_timezone() {
    // Events only: "new" is the first event's period.
    let events: &[Event] = &[
        ("X", "2024-01-07T20:00:00Z", "visit", None), // Sunday UTC, Monday in Seoul
        ("X", "2024-01-08T01:00:00Z", "visit", None),
    ];
    let ds = dataset(events, &[], &[]);
    let utc = run(&ds, json!({}));
    assert_eq!(
        utc.periods,
        vec![
            period("2024-01-01", [1, 0, 0, 0]),
            period("2024-01-08", [0, 1, 0, 0]),
        ]
    );
    let seoul = run(&ds, json!({ "timezone": "+09:00" }));
    assert_eq!(
        seoul.periods,
        vec![LifecyclePeriod {
            start: ms("2024-01-07T15:00:00Z"),
            new: 1,
            ..Default::default()
        }]
    );
    // Days: an empty day between two active ones is listed with zeros... and dormant.
    let events: &[Event] = &[
        ("Y", "2024-01-01T10:00", "visit", None),
        ("Y", "2024-01-03T10:00", "visit", None),
    ];
    let day = run(&dataset(events, &[], &[]), json!({ "period": "day" }));
    assert_eq!(
        day.periods,
        vec![
            period("2024-01-01", [1, 0, 0, 0]),
            period("2024-01-02", [0, 0, 0, 1]),
            period("2024-01-03", [0, 0, 1, 0]),
        ]
    );
}

#[test]
fn lifecycle_bad_options() {
    let ds = dataset(EVENTS, ORDERS, CUSTOMERS);
    let err = |o: serde_json::Value| {
        lifecycle(&ds, &opts::<LifecycleOptions>(o)).expect_err("should fail")
    };
    let e = err(json!({ "period": "quarter" }));
    assert_eq!(e.code(), "bad_option");
    assert!(e.to_string().contains("\"week\""), "{e}");
    let e = err(json!({ "from": "2024-02-01", "to": "2024-01-01" }));
    assert!(e.to_string().contains("from"), "{e}");
    let e = err(json!({ "timezone": "KST" }));
    assert!(e.to_string().contains("timezone"), "{e}");
    let e = err(json!({ "to": true }));
    assert!(e.to_string().contains("\"to\"") && e.to_string().contains("not a time"));
    let e = err(json!({ "period": "day", "from": "1800-01-01", "to": "2100-01-01" }));
    assert!(e.to_string().contains("periods"), "{e}");
    assert!(
        insitu::json::from_str::<LifecycleOptions>(&(json!({ "asOf": 1 })).to_string()).is_err()
    );
}

// Stages at AS_OF = 2024-06-01T00:00Z with the defaults newWithin 30d, dormantAfter 60d,
// churnAfter 90d; times are offsets before AS_OF, to the microsecond.
const AS_OF: &str = "2024-06-01T00:00:00Z";

fn ago(days: i64, micros: i64) -> i64 {
    t(AS_OF) - days * MICROS_PER_DAY - micros
}

fn stage_shop() -> Dataset {
    let events: &[EventUs] = &[
        ("prospect", ago(10, 0), "signup", None),
        ("atAsOf", ago(0, 0), "visit", None), // an event exactly at asOf counts
        ("oneOrder45", ago(1, 0), "visit", None),
        ("repeatAt60", ago(1, 0), "visit", None),
        ("dormant", ago(1, 0), "visit", None),
        ("future", ago(0, -1), "visit", None), // 1 µs after asOf: not there yet
        ("anonymous", ago(1, 0), "visit", None), // not in the customers table, no order
    ];
    let orders: &[OrderUs] = &[
        ("new2", ago(30, 0), 10.0), // first order exactly newWithin ago: still new
        ("new2", ago(1, 0), 10.0),
        ("repeat2", ago(30, 1), 10.0), // 1 µs older: repeat
        ("repeat2", ago(1, 0), 10.0),
        ("oneOrder45", ago(45, 0), 10.0), // one order, past newWithin, not lapsed
        ("repeatAt60", ago(100, 0), 10.0),
        ("repeatAt60", ago(60, 0), 10.0), // exactly dormantAfter: not yet dormant
        ("dormant", ago(100, 0), 10.0),
        ("dormant", ago(60, 1), 10.0),     // 1 µs past dormantAfter
        ("dormantAt90", ago(90, 0), 10.0), // exactly churnAfter: dormant, not churned
        ("churned", ago(90, 1), 10.0),     // 1 µs past churnAfter
        ("lateOrder", ago(10, 0), 10.0),
        ("lateOrder", ago(-1, 0), 10.0), // after asOf: not counted
    ];
    let customers: &[CustomerUs] = &[
        ("prospect", Some(ago(10, 0)), None),
        ("prospect90", Some(ago(90, 0)), None), // exactly churnAfter: still a prospect
        ("churnedProspect", Some(ago(90, 1)), None),
        ("undated", None, None), // listed, no dated activity: a prospect
        ("atAsOf", None, None),
        ("future", None, None),
        ("lateSignup", Some(ago(-2, 0)), None), // signs up after asOf: left out
    ];
    dataset_us(events, orders, customers)
}

fn run_stages(ds: &Dataset, options: serde_json::Value) -> Stages {
    stages(ds, &opts::<StagesOptions>(options)).expect("stages")
}

fn stage_of(s: &Stages, ds: &Dataset, id: &str) -> Option<Stage> {
    s.customers
        .iter()
        .find(|c| ds.ids.display(c.customer as usize) == id)
        .map(|c| c.stage)
}

#[test]
fn stages_at_each_threshold() {
    let ds = stage_shop();
    let s = run_stages(&ds, json!({ "asOf": AS_OF }));
    let expect = [
        ("prospect", Stage::Prospect),
        ("atAsOf", Stage::Prospect),
        ("prospect90", Stage::Prospect),
        ("undated", Stage::Prospect),
        ("churnedProspect", Stage::Churned),
        ("new2", Stage::New),
        ("repeat2", Stage::Repeat),
        ("oneOrder45", Stage::New),
        ("lateOrder", Stage::New),
        ("repeatAt60", Stage::Repeat),
        ("dormant", Stage::Dormant),
        ("dormantAt90", Stage::Dormant),
        ("churned", Stage::Churned),
    ];
    for (id, stage) in expect {
        assert_eq!(stage_of(&s, &ds, id), Some(stage), "{id}");
    }
    assert_eq!(stage_of(&s, &ds, "future"), None);
    assert_eq!(stage_of(&s, &ds, "lateSignup"), None);
    assert_eq!(stage_of(&s, &ds, "anonymous"), None);
    assert_eq!(
        s.counts,
        StageCounts {
            prospect: 4,
            new: 3,
            repeat: 2,
            dormant: 2,
            churned: 2
        }
    );
    assert_eq!(s.customers.len(), 13);
    let late = s
        .customers
        .iter()
        .find(|c| ds.ids.display(c.customer as usize) == "lateOrder")
        .unwrap();
    assert_eq!((late.orders, late.last_order), (1, ago(10, 0)));
}

#[test]
fn stage_thresholds_are_options() {
    let ds = stage_shop();
    // Longer churn: the one-order customer 90 days back is dormant like the other.
    let s = run_stages(&ds, json!({ "asOf": AS_OF, "churnAfter": "180d" }));
    assert_eq!(stage_of(&s, &ds, "churned"), Some(Stage::Dormant));
    assert_eq!(stage_of(&s, &ds, "churnedProspect"), Some(Stage::Prospect));
    // newWithin in milliseconds: 31 days keeps repeat2 new.
    let s = run_stages(
        &ds,
        json!({ "asOf": AS_OF, "newWithin": 31.0 * 86_400_000.0 }),
    );
    assert_eq!(stage_of(&s, &ds, "repeat2"), Some(Stage::New));
    // dormantAfter "100d": dormant becomes repeat.
    let s = run_stages(&ds, json!({ "asOf": AS_OF, "dormantAfter": "100d" }));
    assert_eq!(stage_of(&s, &ds, "dormant"), Some(Stage::Repeat));
    // asOf defaults to the last event or order time (lateOrder's order, a day after
    // AS_OF): lateOrder now has two orders, the first 11 days back: new.
    let s = run_stages(&ds, json!({}));
    assert_eq!(s.as_of, ago(-1, 0));
    assert_eq!(stage_of(&s, &ds, "future"), Some(Stage::Prospect));
    assert_eq!(stage_of(&s, &ds, "lateSignup"), None);
}

#[test]
fn stages_table_is_arrow_ipc() {
    let ds = stage_shop();
    let s = run_stages(&ds, json!({ "asOf": AS_OF }));
    let bytes = s.table().to_ipc(&ds).expect("ipc");
    let decoded = decode("stages", bytes, IpcFormat::Stream).expect("decode");
    let names: Vec<String> = decoded
        .schema
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        names,
        [
            "customer_id",
            "stage",
            "orders",
            "lastOrder",
            "firstOrder",
            "lastActive"
        ]
    );
    let rows: usize = decoded.batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 13);
}

#[test]
fn stages_bad_options() {
    let ds = stage_shop();
    let err =
        |o: serde_json::Value| stages(&ds, &opts::<StagesOptions>(o)).expect_err("should fail");
    let e = err(json!({ "asOf": "yesterday" }));
    assert_eq!(e.code(), "bad_option");
    assert!(
        e.to_string().contains("asOf") && e.to_string().contains("not a time"),
        "{e}"
    );
    let e = err(json!({ "asOf": { "date": 1 } }));
    assert!(e.to_string().contains("asOf"), "{e}");
    for (option, value) in [
        ("dormantAfter", json!("-5d")),
        ("churnAfter", json!(-1)),
        ("newWithin", json!("-1h")),
    ] {
        let e = err(json!({ option: value }));
        assert_eq!(e.code(), "bad_option");
        assert!(
            e.to_string().contains(option) && e.to_string().contains("negative"),
            "{e}"
        );
    }
    let e = err(json!({ "newWithin": "30 days please" }));
    assert!(e.to_string().contains("newWithin"), "{e}");
    assert!(
        insitu::json::from_str::<StagesOptions>(&(json!({ "dormant": "5d" })).to_string()).is_err()
    );
}

#[test]
fn stages_without_a_customers_table() {
    // Orders only: dormant between dormantAfter (60d) and churnAfter (90d), then churned.
    let orders: &[OrderUs] = &[
        ("a", ago(100, 0), 1.0),
        ("a", ago(70, 0), 1.0),
        ("b", ago(95, 0), 1.0),
        ("c", ago(5, 0), 1.0),
    ];
    let ds = dataset_us(&[], orders, &[]);
    let s = run_stages(&ds, json!({ "asOf": AS_OF }));
    assert_eq!(stage_of(&s, &ds, "a"), Some(Stage::Dormant));
    assert_eq!(stage_of(&s, &ds, "b"), Some(Stage::Churned));
    assert_eq!(stage_of(&s, &ds, "c"), Some(Stage::New));
    // Events only: every visitor is known, so visitors without orders are prospects.
    let events: &[EventUs] = &[("v", ago(3, 0), "visit", None)];
    let ds = dataset_us(events, &[], &[]);
    let s = run_stages(&ds, json!({ "asOf": AS_OF }));
    assert_eq!(stage_of(&s, &ds, "v"), Some(Stage::Prospect));
    // Nobody exists yet before the data.
    let s = run_stages(&ds, json!({ "asOf": "2000-01-01" }));
    assert!(s.customers.is_empty());
    assert_eq!(s.counts, StageCounts::default());
}
