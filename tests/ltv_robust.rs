//! Awkward data for the BG/NBD and Gamma-Gamma fits: a fit either converges to finite,
//! positive parameters whose predictions are all finite, or is a `no_convergence` error.
//! Never NaN or infinity.

#[path = "ltv_data.rs"]
mod data;

use data::orders_dataset;
use insitu::data::ResultColumn;
use insitu::ltv::fit::{fit_ltv, FitOptions, LtvFit};
use insitu::ltv::{holdout_check, predictions, CheckOptions, ClvOptions, SummaryOptions};
use insitu::time::{Period, MICROS_PER_DAY};
use insitu::{Dataset, InsituError};

const DAY_MS: i64 = MICROS_PER_DAY / 1_000;
/// 2000-01-01 in epoch ms.
const Y2000: i64 = 946_684_800_000;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `customers` ordinary buyers over `days` days from `start`: each buys at a random rate
/// and may stop; amounts 5..100.
fn shoppers(customers: i64, start: i64, days: i64, seed: u64) -> Vec<(i64, i64, f64)> {
    let mut rng = Rng(seed);
    let mut rows = Vec::new();
    for c in 0..customers {
        let first = start + (rng.next() * days as f64 * 0.5) as i64 * DAY_MS;
        let rate = 0.005 + rng.next() * 0.05; // purchases per day
        let mut t = first;
        let spend = 5.0 + rng.next() * 95.0;
        rows.push((c, t, spend));
        loop {
            t += ((-rng.next().max(1e-12).ln() / rate) * DAY_MS as f64) as i64;
            if t >= start + days * DAY_MS || rng.next() < 0.15 {
                break;
            }
            rows.push((c, t, spend * (0.5 + rng.next())));
        }
    }
    rows
}

fn options(unit: Period) -> FitOptions {
    FitOptions {
        summary: SummaryOptions {
            unit,
            ..SummaryOptions::default()
        },
        ..FitOptions::default()
    }
}

/// Checks a fit result: converged and finite everywhere, or `no_convergence`.
fn sane(ds: &Dataset, result: Result<LtvFit, InsituError>, what: &str) -> Option<LtvFit> {
    match result {
        Err(e) => {
            assert_eq!(e.code(), "no_convergence", "{what}: {e}");
            eprintln!("{what}: {e}");
            assert!(e.to_string().len() > 30, "{what}: a reason is given: {e}");
            None
        }
        Ok(f) => {
            let p = f.model.bgnbd;
            eprintln!(
                "{what}: {p:?} {:?} ll {:.2}, {} customers",
                f.model.gamma_gamma, f.log_likelihood.bgnbd, f.customers
            );
            for v in [p.r, p.alpha, p.a, p.b, f.log_likelihood.bgnbd] {
                assert!(v.is_finite(), "{what}: {f:?}");
            }
            assert!(p.is_valid(), "{what}: {p:?}");
            if let Some(gg) = f.model.gamma_gamma {
                assert!(gg.is_valid(), "{what}: {gg:?}");
            }
            let table = predictions(ds, &f.model, &ClvOptions::default()).expect("predictions");
            for (name, column) in &table.columns {
                if let ResultColumn::Float64(values) = column {
                    for v in values {
                        assert!(v.is_finite(), "{what}: {name} has {v}");
                    }
                }
            }
            Some(f)
        }
    }
}

#[test]
fn everyone_bought_once_is_no_convergence() {
    let rows: Vec<(i64, i64, f64)> = (0..50).map(|c| (c, Y2000 + c * DAY_MS, 10.0)).collect();
    let ds = orders_dataset(&rows);
    let e = fit_ltv(&ds, &options(Period::Week)).expect_err("cannot fit");
    assert_eq!(e.code(), "no_convergence");
    assert!(e.to_string().contains("repeat"), "{e}");
    // Buying twice on the same day is still one purchase period.
    let twice: Vec<(i64, i64, f64)> = rows
        .iter()
        .flat_map(|&(c, t, a)| [(c, t, a), (c, t + 3_600_000, a)])
        .collect();
    let e = fit_ltv(&orders_dataset(&twice), &options(Period::Week)).expect_err("cannot fit");
    assert_eq!(e.code(), "no_convergence");
}

#[test]
fn ordinary_shoppers_fit_and_check() {
    let rows = shoppers(400, Y2000, 730, 7);
    let ds = orders_dataset(&rows);
    let f = sane(&ds, fit_ltv(&ds, &options(Period::Week)), "shoppers").expect("converges");
    assert!(f.repeat_buyers > 50);
    let check = holdout_check(
        &ds,
        &insitu::ltv::LtvModel {
            calibration_end: Y2000 + 500 * DAY_MS,
            ..f.model.clone()
        },
        &CheckOptions::default(),
    )
    .expect("check");
    assert!(check.expected.is_finite() && check.actual >= 0.0);
}

#[test]
fn one_customer_with_ten_thousand_orders() {
    // One order a day for 10,000 days (x = 9,999 repeat days), beside 300 shoppers.
    let start = Y2000;
    let mut rows: Vec<(i64, i64, f64)> = (0..10_000)
        .map(|d| (999_999, start + d * DAY_MS, 3.0))
        .collect();
    rows.extend(shoppers(300, start + 9_000 * DAY_MS, 1_000, 11));
    let ds = orders_dataset(&rows);
    for unit in [Period::Day, Period::Week, Period::Month] {
        sane(
            &ds,
            fit_ltv(&ds, &options(unit)),
            &format!("whale in {unit:?}s"),
        );
    }
    // Also 10,000 orders within a handful of days (collapsed to few purchase periods).
    let mut burst: Vec<(i64, i64, f64)> = (0..10_000)
        .map(|i| (999_999, start + 9_500 * DAY_MS + i * 40_000, 1.0))
        .collect();
    burst.extend(shoppers(300, start + 9_000 * DAY_MS, 1_000, 12));
    let ds = orders_dataset(&burst);
    sane(&ds, fit_ltv(&ds, &options(Period::Day)), "burst");
}

#[test]
fn tiny_datasets() {
    // Five customers, several shapes.
    let cases: Vec<Vec<(i64, i64, f64)>> = vec![
        vec![
            (1, 0, 10.0),
            (1, 10, 12.0),
            (2, 3, 5.0),
            (3, 5, 8.0),
            (4, 6, 9.0),
            (5, 20, 1.0),
            (5, 25, 2.0),
        ],
        vec![
            (1, 0, 10.0),
            (1, 30, 10.0),
            (2, 0, 10.0),
            (2, 30, 10.0),
            (3, 0, 10.0),
            (3, 30, 10.0),
            (4, 0, 10.0),
            (4, 30, 10.0),
            (5, 0, 10.0),
            (5, 30, 10.0),
        ],
        vec![
            (1, 0, 10.0),
            (2, 1, 10.0),
            (3, 2, 10.0),
            (4, 3, 10.0),
            (5, 4, 10.0),
            (5, 5, 11.0),
        ],
    ];
    for (i, case) in cases.into_iter().enumerate() {
        let rows: Vec<(i64, i64, f64)> = case
            .into_iter()
            .map(|(c, d, a)| (c, Y2000 + d * DAY_MS, a))
            .collect();
        let ds = orders_dataset(&rows);
        for unit in [Period::Day, Period::Week] {
            sane(
                &ds,
                fit_ltv(&ds, &options(unit)),
                &format!("tiny case {i} in {unit:?}s"),
            );
            let penalized = FitOptions {
                penalizer: 0.1,
                spend_penalizer: 0.1,
                ..options(unit)
            };
            sane(
                &ds,
                fit_ltv(&ds, &penalized),
                &format!("tiny case {i}, penalized"),
            );
            let purchases_only = FitOptions {
                spend: false,
                ..options(unit)
            };
            sane(
                &ds,
                fit_ltv(&ds, &purchases_only),
                &format!("tiny case {i} in {unit:?}s, no spend model"),
            );
        }
    }
}

#[test]
fn large_t() {
    // Sixty years of shoppers, measured in days (T up to ~22,000).
    let rows = shoppers(300, -315_619_200_000, 21_900, 5);
    let ds = orders_dataset(&rows);
    let f = sane(
        &ds,
        fit_ltv(&ds, &options(Period::Day)),
        "sixty years in days",
    );
    assert!(f.is_some(), "sixty years of ordinary shoppers should fit");
    sane(
        &ds,
        fit_ltv(&ds, &options(Period::Month)),
        "sixty years in months",
    );
}
