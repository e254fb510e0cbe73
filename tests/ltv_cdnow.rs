//! The CDNOW sample against the published figures (Fader, Hardie & Lee 2005) and the
//! values the Python `lifetimes` package computes (tests/fixtures/ltv/reference.json).

#[path = "ltv_data.rs"]
mod data;

use data::{cdnow, close, csv, num, reference, us};
use insitu::ltv::bgnbd::{expected_purchases, p_alive, BgNbdParams};
use insitu::ltv::fit::{fit_ltv, FitOptions, LtvFit, LtvModel, ModelKind};
use insitu::ltv::gamma_gamma::GammaGammaParams;
use insitu::ltv::special::hyp2f1;
use insitu::ltv::{
    holdout_check, predict_customer, predictions, rfm_summary, CheckOptions, ClvOptions,
    PredictionInput, SummaryOptions,
};
use insitu::time::Period;
use insitu::Dataset;
use serde_json::Value;

fn weeks() -> SummaryOptions {
    SummaryOptions {
        calibration_end: Some(us("1997-09-30")),
        unit: Period::Week,
        period_unit: Period::Day,
        offset: 0,
    }
}

fn fit(ds: &Dataset, summary: SummaryOptions, penalizer: f64) -> LtvFit {
    fit_ltv(
        ds,
        &FitOptions {
            summary,
            penalizer,
            ..FitOptions::default()
        },
    )
    .expect("fit")
}

fn bg_params(v: &Value) -> BgNbdParams {
    BgNbdParams {
        r: num(&v["r"]),
        alpha: num(&v["alpha"]),
        a: num(&v["a"]),
        b: num(&v["b"]),
    }
}

/// The model with lifetimes' own parameters, to test the prediction formulas exactly.
fn reference_model(reference: &Value) -> LtvModel {
    let gg = &reference["gammaGamma"]["params"];
    LtvModel {
        model: ModelKind::BgNbd,
        calibration_end: us("1997-09-30") / 1000,
        unit: Period::Week,
        period_unit: Period::Day,
        timezone: None,
        bgnbd: bg_params(&reference["bgnbd"]["params"]),
        gamma_gamma: Some(GammaGammaParams {
            p: num(&gg["p"]),
            q: num(&gg["q"]),
            gamma: num(&gg["gamma"]),
        }),
    }
}

#[test]
fn summary_from_transactions_matches_the_published_summary() {
    let ds = cdnow();
    let s = rfm_summary(&ds, &weeks()).expect("summary");
    assert_eq!(s.rows.len(), 2_357);
    let published = csv("cdnow_customers_summary.csv");
    let with_money = csv("cdnow_customers_summary_with_transactions.csv");
    let id = |c: u32| ds.ids.display(c as usize).parse::<usize>().expect("id");
    for row in &s.rows {
        let p = &published[id(row.customer) - 1];
        assert_eq!(p[0] as usize, id(row.customer));
        assert_eq!(f64::from(row.frequency), p[1], "frequency of {}", p[0]);
        // Published to 2 decimals.
        assert!(
            (row.recency - p[2]).abs() <= 0.005 + 1e-12,
            "recency of {}",
            p[0]
        );
        assert!((row.t - p[3]).abs() <= 0.005 + 1e-12, "T of {}", p[0]);
        let m = &with_money[id(row.customer) - 1];
        assert!(
            (row.monetary - m[4]).abs() <= 0.005 + 1e-9,
            "zbar of {}",
            p[0]
        );
    }
    assert_eq!(s.rows.iter().filter(|r| r.frequency > 0).count(), 946);
}

/// The summary against lifetimes' own, exactly: `D7` = days measured in weeks (the
/// published convention), `W1` = purchases collapsed per ISO week.
#[test]
fn summary_matches_lifetimes_for_days_and_weeks() {
    let ds = cdnow();
    let reference = reference();
    for (name, period_unit) in [("summaryD7", Period::Day), ("summaryW1", Period::Week)] {
        let s = rfm_summary(
            &ds,
            &SummaryOptions {
                period_unit,
                ..weeks()
            },
        )
        .expect("summary");
        let r = &reference[name];
        let ids = r["id"].as_array().expect("ids");
        assert_eq!(ids.len(), s.rows.len(), "{name}");
        for (i, row) in s.rows.iter().enumerate() {
            let id: i64 = ds.ids.display(row.customer as usize).parse().expect("id");
            assert_eq!(id, ids[i].as_i64().expect("id"), "{name} row order");
            let want = |col: &str| num(&r[col][i]);
            assert_eq!(f64::from(row.frequency), want("frequency"), "{name} {id}");
            assert!((row.recency - want("recency")).abs() < 1e-9, "{name} {id}");
            assert!((row.t - want("T")).abs() < 1e-9, "{name} {id}");
            assert!(
                (row.monetary - want("monetary_value")).abs() < 1e-8,
                "{name} {id}"
            );
        }
    }
}

#[test]
fn bgnbd_and_gamma_gamma_match_the_paper_and_lifetimes() {
    let ds = cdnow();
    let reference = reference();
    let started = std::time::Instant::now();
    let f = fit(&ds, weeks(), 0.0);
    let elapsed = started.elapsed();
    eprintln!(
        "CDNOW fit (BG/NBD + Gamma-Gamma, {} customers, {} distinct histories): {:?}, {} + {:?} iterations",
        f.customers, f.distinct_histories, elapsed, f.iterations.bgnbd, f.iterations.gamma_gamma
    );
    let p = f.model.bgnbd;
    // Published (Fader, Hardie & Lee 2005), to 3 decimals.
    for (value, published, name) in [
        (p.r, 0.243, "r"),
        (p.alpha, 4.414, "alpha"),
        (p.a, 0.793, "a"),
        (p.b, 2.426, "b"),
    ] {
        assert!(
            (value - published).abs() < 5e-4,
            "{name} = {value}, published {published}"
        );
    }
    assert!(
        (f.log_likelihood.bgnbd - -9582.4).abs() < 0.05,
        "{}",
        f.log_likelihood.bgnbd
    );
    // lifetimes on the same summary.
    let want = bg_params(&reference["bgnbd"]["params"]);
    close(p.r, want.r, 1e-4, "r");
    close(p.alpha, want.alpha, 1e-4, "alpha");
    close(p.a, want.a, 1e-3, "a");
    close(p.b, want.b, 1e-3, "b");
    close(
        f.log_likelihood.bgnbd,
        num(&reference["bgnbd"]["logLikelihood"]),
        1e-8,
        "log-likelihood",
    );
    let se = f.standard_errors.bgnbd.expect("standard errors");
    let want_se = bg_params(&reference["bgnbd"]["standardErrors"]);
    close(se.r, want_se.r, 1e-2, "se r");
    close(se.alpha, want_se.alpha, 1e-2, "se alpha");
    close(se.a, want_se.a, 1e-2, "se a");
    close(se.b, want_se.b, 1e-2, "se b");
    assert!(f.converged);
    assert_eq!(f.customers, 2_357);
    assert_eq!(f.repeat_buyers, 946);

    // E[X(39) | x=2, t_x=30.43, T=38.86] = 1.226 (the paper).
    let e = expected_purchases(&p, 39.0, 2.0, 30.43, 38.86);
    assert!((e - 1.226).abs() < 5e-4, "{e}");

    // Gamma-Gamma on the 946 repeat buyers: p = 6.25, q = 3.74, gamma = 15.44.
    let gg = f.model.gamma_gamma.expect("spend model");
    assert_eq!(f.spend_customers, Some(946));
    assert!((gg.p - 6.25).abs() < 5e-3, "p = {}", gg.p);
    assert!((gg.q - 3.74).abs() < 5e-3, "q = {}", gg.q);
    assert!((gg.gamma - 15.44).abs() < 5e-3, "gamma = {}", gg.gamma);
    let want_gg = &reference["gammaGamma"];
    close(gg.p, num(&want_gg["params"]["p"]), 1e-4, "p");
    close(gg.q, num(&want_gg["params"]["q"]), 1e-4, "q");
    close(gg.gamma, num(&want_gg["params"]["gamma"]), 1e-4, "gamma");
    close(
        f.log_likelihood.gamma_gamma.expect("ll"),
        num(&want_gg["logLikelihood"]),
        1e-8,
        "gg log-likelihood",
    );
    let se = f.standard_errors.gamma_gamma.flatten().expect("gg se");
    close(se.p, num(&want_gg["standardErrors"]["p"]), 1e-2, "se p");
    close(se.q, num(&want_gg["standardErrors"]["q"]), 1e-2, "se q");
    close(
        se.gamma,
        num(&want_gg["standardErrors"]["gamma"]),
        1e-2,
        "se gamma",
    );
}

#[test]
fn penalizer_and_days_match_lifetimes() {
    let ds = cdnow();
    let reference = reference();
    let f = fit(&ds, weeks(), 0.01);
    let want = bg_params(&reference["bgnbdPenalized"]["params"]);
    close(f.model.bgnbd.r, want.r, 1e-3, "r");
    close(f.model.bgnbd.alpha, want.alpha, 1e-3, "alpha");
    close(f.model.bgnbd.a, want.a, 1e-3, "a");
    close(f.model.bgnbd.b, want.b, 1e-3, "b");
    let days = fit(
        &ds,
        SummaryOptions {
            unit: Period::Day,
            ..weeks()
        },
        0.0,
    );
    let want = bg_params(&reference["bgnbdDays"]["params"]);
    close(days.model.bgnbd.alpha, want.alpha, 1e-4, "alpha in days");
    close(days.model.bgnbd.r, want.r, 1e-4, "r in days");
    close(
        days.log_likelihood.bgnbd,
        num(&reference["bgnbdDays"]["logLikelihood"]),
        1e-8,
        "log-likelihood in days",
    );
}

#[test]
fn conditional_expectations_match_lifetimes_and_mpmath() {
    let reference = reference();
    let p = bg_params(&reference["bgnbd"]["params"]);
    for c in reference["conditional"].as_array().expect("points") {
        let (t, x, t_x, big_t) = (
            num(&c["t"]),
            num(&c["frequency"]),
            num(&c["recency"]),
            num(&c["T"]),
        );
        close(
            expected_purchases(&p, t, x, t_x, big_t),
            num(&c["expected"]),
            1e-9,
            &format!("E[X({t})|{x},{t_x},{big_t}]"),
        );
        close(
            p_alive(&p, x, t_x, big_t),
            num(&c["pAlive"]),
            1e-12,
            "P(alive)",
        );
    }
    // Where the hypergeometric series converge slowly or overflow (50-digit mpmath).
    for c in reference["conditionalExtreme"].as_array().expect("points") {
        let p = bg_params(&c["params"]);
        let (t, x, t_x, big_t) = (
            num(&c["t"]),
            num(&c["frequency"]),
            num(&c["recency"]),
            num(&c["T"]),
        );
        let e = expected_purchases(&p, t, x, t_x, big_t);
        close(
            e,
            num(&c["expected"]),
            1e-7,
            &format!("extreme E[X({t})|{x},{t_x},{big_t}] {p:?}"),
        );
    }
    for c in reference["hyp2f1"].as_array().expect("grid") {
        let v = hyp2f1(num(&c["a"]), num(&c["b"]), num(&c["c"]), num(&c["z"]));
        close(v, num(&c["value"]), 1e-10, &format!("hyp2f1 {c}"));
    }
}

#[test]
fn clv_matches_lifetimes_customer_lifetime_value() {
    let ds = cdnow();
    let reference = reference();
    let exact = reference_model(&reference);
    let fitted = fit(&ds, weeks(), 0.0).model;
    let clv = &reference["clv"];
    for run in clv["runs"].as_array().expect("runs") {
        let options = ClvOptions {
            horizon: num(&run["horizon"]),
            discount_rate: num(&run["discountRate"]),
            ..ClvOptions::default()
        };
        for (id, want) in run["clv"].as_object().expect("clv") {
            let input = PredictionInput::Customer(id.clone());
            let with_exact = predict_customer(&ds, &exact, &input, &options).expect("predict");
            close(
                with_exact.clv.expect("clv"),
                num(want),
                1e-9,
                &format!("CLV of {id} (lifetimes' parameters)"),
            );
            // Our own fit: within 0.1% of lifetimes.
            let ours = predict_customer(&ds, &fitted, &input, &options).expect("predict");
            close(
                ours.clv.expect("clv"),
                num(want),
                1e-3,
                &format!("CLV of {id} (our fit)"),
            );
        }
    }
    for (id, want) in clv["expectedSpend"].as_object().expect("spend") {
        let p = predict_customer(
            &ds,
            &exact,
            &PredictionInput::Customer(id.clone()),
            &ClvOptions::default(),
        )
        .expect("predict");
        close(
            p.expected_spend.expect("spend"),
            num(want),
            1e-12,
            "expected spend",
        );
        close(p.p_alive, num(&clv["pAlive"][id]), 1e-12, "P(alive)");
    }
    // The table agrees with single predictions.
    let table = predictions(
        &ds,
        &exact,
        &ClvOptions {
            t: Some(52.0),
            ..ClvOptions::default()
        },
    )
    .expect("table");
    let column = |name: &str| {
        table
            .columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .expect("column")
    };
    let (
        insitu::data::ResultColumn::Customers(customers),
        insitu::data::ResultColumn::Float64(expected),
    ) = (column("customer_id"), column("expected_purchases"))
    else {
        panic!("column types");
    };
    assert_eq!(customers.len(), 2_357);
    for (id, want) in clv["expected52"].as_object().expect("e52") {
        let row = customers
            .iter()
            .position(|&c| ds.ids.display(c as usize) == *id)
            .expect("customer");
        close(expected[row], num(want), 1e-9, "E[X(52)] in the table");
    }
}

#[test]
fn holdout_check_matches_lifetimes() {
    let ds = cdnow();
    let reference = reference();
    let model = reference_model(&reference);
    let check = holdout_check(
        &ds,
        &model,
        &CheckOptions {
            holdout_end: Some(us("1998-06-30")),
            ..CheckOptions::default()
        },
    )
    .expect("check");
    let want = &reference["holdout"];
    assert_eq!(check.duration, num(&want["duration"]));
    assert_eq!(check.actual, num(&want["actual"]));
    close(
        check.expected,
        num(&want["expected"]),
        1e-9,
        "expected holdout purchases",
    );
    let buckets = want["buckets"].as_array().expect("buckets");
    assert_eq!(check.buckets.len(), buckets.len());
    for (b, w) in check.buckets.iter().zip(buckets) {
        assert_eq!(b.frequency, w["frequency"].as_str().expect("label"));
        assert_eq!(b.customers as u64, w["customers"].as_u64().expect("n"));
        close(b.actual, num(&w["actual"]), 1e-12, "actual");
        close(b.expected, num(&w["expected"]), 1e-9, "expected");
    }
    // The data's last timestamp is the default holdout end (here the same day).
    let default = holdout_check(&ds, &model, &CheckOptions::default()).expect("check");
    assert_eq!(default.actual, check.actual);
}
