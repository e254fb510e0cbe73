//! Bad LTV input: each a coded `InsituError` whose message names the option and value.

#[path = "ltv_data.rs"]
mod data;

use data::{dataset, us, Customer, Event, Order};
use insitu::ltv::bgnbd::BgNbdParams;
use insitu::ltv::fit::{fit_ltv, FitOptions, LtvModel, ModelKind};
use insitu::ltv::{
    cohort_ltv, historical_ltv, holdout_check, predict_customer, predictions, rfm_summary,
    Acquisition, CheckOptions, ClvOptions, CohortOptions, GroupBy, HistoricalOptions, Margin,
    PredictionInput, SummaryOptions,
};
use insitu::time::Period;
use insitu::InsituError;

const ORDERS: &[Order] = &[
    ("A", "2024-01-02T10:00", 100.0, Some(30.0)),
    ("A", "2024-02-15T10:00", 50.0, Some(10.0)),
    ("B", "2024-01-20T10:00", 40.0, Some(12.0)),
    ("B", "2024-03-20T10:00", 45.0, Some(12.0)),
];
const CUSTOMERS: &[Customer] = &[
    ("A", Some("2024-01-01T09:00"), Some("ads"), "KR"),
    ("B", None, Some("organic"), "US"),
];
const EVENTS: &[Event] = &[("A", "2024-03-31T12:00", "visit")];

#[track_caller]
fn fails<T: std::fmt::Debug>(result: Result<T, InsituError>, code: &str, mentions: &[&str]) {
    let e = result.expect_err("should fail");
    assert_eq!(e.code(), code, "{e}");
    let message = e.to_string();
    for m in mentions {
        assert!(message.contains(m), "\"{message}\" should mention {m}");
    }
}

fn model() -> LtvModel {
    LtvModel {
        model: ModelKind::BgNbd,
        calibration_end: us("2024-02-29") / 1000,
        unit: Period::Week,
        period_unit: Period::Day,
        timezone: None,
        bgnbd: BgNbdParams {
            r: 0.5,
            alpha: 4.0,
            a: 0.8,
            b: 2.5,
        },
        gamma_gamma: None,
    }
}

#[test]
fn calibration_end_outside_the_data() {
    let ds = dataset(EVENTS, ORDERS, CUSTOMERS);
    let at = |iso: &str| SummaryOptions {
        calibration_end: Some(us(iso)),
        ..SummaryOptions::default()
    };
    fails(
        rfm_summary(&ds, &at("2023-12-31")),
        "bad_option",
        &["calibrationEnd", "2023-12-31", "before the first order"],
    );
    fails(
        rfm_summary(&ds, &at("2024-04-02")),
        "bad_option",
        &["calibrationEnd", "2024-04-02", "after the data"],
    );
    // The last day of the data is fine (its whole period counts).
    assert_eq!(
        rfm_summary(&ds, &at("2024-03-31T00:00"))
            .expect("ok")
            .rows
            .len(),
        2
    );
    let fit = FitOptions {
        summary: at("2023-06-01"),
        ..FitOptions::default()
    };
    fails(fit_ltv(&ds, &fit), "bad_option", &["calibrationEnd"]);
}

#[test]
fn bad_fit_and_prediction_options() {
    let ds = dataset(EVENTS, ORDERS, CUSTOMERS);
    for (penalizer, name) in [(-0.1, "penalizer"), (f64::NAN, "penalizer")] {
        let o = FitOptions {
            penalizer,
            ..FitOptions::default()
        };
        fails(fit_ltv(&ds, &o), "bad_option", &[name]);
    }
    let o = FitOptions {
        spend_penalizer: -1.0,
        ..FitOptions::default()
    };
    fails(fit_ltv(&ds, &o), "bad_option", &["spendPenalizer", "-1"]);
    let m = model();
    for horizon in [0.0, -3.0, 2.5, 5000.0] {
        let o = ClvOptions {
            horizon,
            ..ClvOptions::default()
        };
        fails(predictions(&ds, &m, &o), "bad_option", &["horizon"]);
    }
    for rate in [1.0, -0.01, 2.0, f64::INFINITY] {
        let o = ClvOptions {
            discount_rate: rate,
            ..ClvOptions::default()
        };
        fails(predictions(&ds, &m, &o), "bad_option", &["discountRate"]);
    }
    let o = ClvOptions {
        margin: Some(Margin::Rate(1.5)),
        ..ClvOptions::default()
    };
    fails(predictions(&ds, &m, &o), "bad_option", &["margin", "1.5"]);
    let o = ClvOptions {
        margin: Some(Margin::Column("cost".into())),
        ..ClvOptions::default()
    };
    fails(
        predictions(&ds, &m, &o),
        "bad_option",
        &["margin", "cost", "margin"],
    );
    fails(
        predict_customer(
            &ds,
            &m,
            &PredictionInput::Customer("Z".into()),
            &ClvOptions::default(),
        ),
        "bad_option",
        &["customer", "Z"],
    );
    let impossible = PredictionInput::History {
        frequency: 2.0,
        recency: 10.0,
        t: 5.0,
        monetary_value: 1.0,
    };
    fails(
        predict_customer(&ds, &m, &impossible, &ClvOptions::default()),
        "bad_option",
        &["recency"],
    );
    let broken = LtvModel {
        bgnbd: BgNbdParams { r: -1.0, ..m.bgnbd },
        ..m.clone()
    };
    fails(
        predictions(&ds, &broken, &ClvOptions::default()),
        "bad_option",
        &["model"],
    );
    let tz = LtvModel {
        timezone: Some("Mars/Olympus".into()),
        ..m.clone()
    };
    fails(
        predictions(&ds, &tz, &ClvOptions::default()),
        "bad_option",
        &["Mars/Olympus"],
    );
    // A holdout needs data after the calibration end.
    let late = LtvModel {
        calibration_end: us("2024-03-31T10:00") / 1000,
        ..m.clone()
    };
    fails(
        holdout_check(&ds, &late, &CheckOptions::default()),
        "bad_option",
        &["no holdout period"],
    );
    let o = CheckOptions {
        holdout_end: Some(us("2024-02-01")),
        ..CheckOptions::default()
    };
    fails(holdout_check(&ds, &m, &o), "bad_option", &["holdoutEnd"]);
}

#[test]
fn bad_historical_options() {
    let ds = dataset(EVENTS, ORDERS, CUSTOMERS);
    let by = |name: &str| HistoricalOptions {
        by: Some(GroupBy::Attribute(name.into())),
        ..Default::default()
    };
    fails(
        historical_ltv(&ds, &by("channel")),
        "bad_option",
        &[
            "by",
            "\"channel\"",
            "\"acquisition_channel\"",
            "\"country\"",
            "cohort",
        ],
    );
    fails(
        historical_ltv(
            &ds,
            &HistoricalOptions {
                cac: vec![("ads".into(), 10.0)],
                ..Default::default()
            },
        ),
        "bad_option",
        &["cac", "by"],
    );
    fails(
        historical_ltv(
            &ds,
            &HistoricalOptions {
                cac: vec![("adz".into(), 10.0)],
                ..by("acquisition_channel")
            },
        ),
        "bad_option",
        &["cac", "adz", "ads, organic"],
    );
    fails(
        historical_ltv(
            &ds,
            &HistoricalOptions {
                cac: vec![("ads".into(), -5.0)],
                ..by("acquisition_channel")
            },
        ),
        "bad_option",
        &["cac", "-5"],
    );
    fails(
        historical_ltv(
            &ds,
            &HistoricalOptions {
                as_of: Some(us("2023-01-01")),
                ..Default::default()
            },
        ),
        "bad_option",
        &["asOf"],
    );
    fails(
        historical_ltv(
            &ds,
            &HistoricalOptions {
                margin: Some(Margin::Rate(-0.2)),
                ..Default::default()
            },
        ),
        "bad_option",
        &["margin"],
    );
    fails(
        cohort_ltv(
            &ds,
            &CohortOptions {
                periods: 0,
                ..Default::default()
            },
        ),
        "bad_option",
        &["periods"],
    );
    // Signup cohorts without a signup column.
    let no_signup = dataset(EVENTS, ORDERS, &[]);
    fails(
        cohort_ltv(
            &no_signup,
            &CohortOptions {
                acquisition: Acquisition::Signup,
                ..Default::default()
            },
        ),
        "bad_option",
        &["acquisition", "signup"],
    );
    fails(
        historical_ltv(&no_signup, &by("country")),
        "bad_option",
        &["no customers table"],
    );
}

#[test]
fn events_only_dataset() {
    let ds = dataset(EVENTS, &[], &[]);
    fails(
        rfm_summary(&ds, &SummaryOptions::default()),
        "empty_input",
        &["orders table"],
    );
    fails(
        fit_ltv(&ds, &FitOptions::default()),
        "empty_input",
        &["orders table"],
    );
    fails(
        historical_ltv(&ds, &HistoricalOptions::default()),
        "empty_input",
        &["orders"],
    );
    fails(
        cohort_ltv(&ds, &CohortOptions::default()),
        "empty_input",
        &["orders"],
    );
    fails(
        predictions(&ds, &model(), &ClvOptions::default()),
        "empty_input",
        &["orders"],
    );
}
