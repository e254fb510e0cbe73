//! Predictions from a fitted model: P(alive), expected purchases, expected spend and
//! CLV, per customer (a result table) or for one customer or history.
//!
//! CLV follows `lifetimes`' `customer_lifetime_value`: over months `i = 1..=horizon`,
//! expected purchases in month `i` (the difference of the cumulative expectation at `i`
//! and `i - 1` months, a month being 30 days, 4.345 weeks or 1 month in the model's unit)
//! times the expected spend (Gamma-Gamma), discounted by `(1 + rate)^i`; then times the
//! margin.

use crate::json::ToJson;
use hashbrown::HashMap;

use super::bgnbd::{expected_purchases, p_alive, BgNbdParams};
use super::fit::LtvModel;
use super::gamma_gamma::GammaGammaParams;
use super::margin::{Margin, OrderMargin};
use super::summary::{rfm_summary, RfmRow, RfmSummary};
use crate::data::output::{ResultColumn, ResultTable};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::Period;

/// Most months a CLV horizon may have (100 years).
pub const MAX_HORIZON: u32 = 1_200;

/// Options of the predictions.
#[derive(Debug, Clone, PartialEq)]
pub struct ClvOptions {
    /// Months of CLV, a whole number from 1 to [`MAX_HORIZON`] (default 12).
    pub horizon: f64,
    /// Discount rate per month, 0 <= rate < 1 (default 0.01).
    pub discount_rate: f64,
    /// Margin applied to spend (default: none, i.e. revenue CLV). A column gives each
    /// customer their own margin share of revenue up to the calibration end.
    pub margin: Option<Margin>,
    /// Window of `expected_purchases`, in the model's unit (default: the horizon).
    pub t: Option<f64>,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions {
            horizon: 12.0,
            discount_rate: 0.01,
            margin: None,
            t: None,
        }
    }
}

/// Units of `unit` in one month, as `lifetimes` counts them (`D`: 30, `W`: 4.345).
pub fn month_factor(unit: Period) -> f64 {
    match unit {
        Period::Day => 30.0,
        Period::Week => 4.345,
        Period::Month => 1.0,
    }
}

/// One prediction.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Prediction {
    /// The customer id (for a customer), as text.
    #[json(skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    /// Repeat purchases by the calibration end.
    pub frequency: f64,
    /// Recency in the model's unit.
    pub recency: f64,
    /// Age in the model's unit.
    #[json(rename = "T")]
    pub t: f64,
    /// Mean repeat spend.
    pub monetary_value: f64,
    /// Probability the customer is still active at the calibration end.
    pub p_alive: f64,
    /// Expected repeat purchases over `purchasesWindow`.
    pub expected_purchases: f64,
    /// The window of `expectedPurchases`, in the model's unit.
    pub purchases_window: f64,
    /// Expected spend per purchase (Gamma-Gamma), `None` without a spend model.
    pub expected_spend: Option<f64>,
    /// Discounted CLV over the horizon, times the margin; `None` without a spend model.
    pub clv: Option<f64>,
    /// The margin share applied.
    pub margin: f64,
}

/// A customer to predict for: an id in the dataset, or a history.
#[derive(Debug, Clone, PartialEq)]
pub enum PredictionInput {
    /// A customer id as text (integer ids in decimal).
    Customer(String),
    /// A history: repeat purchases, recency and age in the model's unit, mean repeat spend.
    History {
        /// Repeat purchases.
        frequency: f64,
        /// Recency.
        recency: f64,
        /// Age.
        t: f64,
        /// Mean repeat spend.
        monetary_value: f64,
    },
}

struct Checked {
    bg: BgNbdParams,
    gg: Option<GammaGammaParams>,
    factor: f64,
    window: f64,
    horizon: u32,
    discount: f64,
}

fn check(model: &LtvModel, options: &ClvOptions) -> Result<Checked> {
    let horizon = options.horizon;
    if !(horizon.is_finite()
        && horizon.fract() == 0.0
        && (1.0..=f64::from(MAX_HORIZON)).contains(&horizon))
    {
        return Err(InsituError::bad_option(
            "horizon",
            format!(
                "{} is not a horizon; use a whole number of months from 1 to {MAX_HORIZON}",
                options.horizon
            ),
        ));
    }
    let rate = options.discount_rate;
    if !(rate.is_finite() && (0.0..1.0).contains(&rate)) {
        return Err(InsituError::bad_option(
            "discountRate",
            format!("{rate} is not a discount rate; use a monthly rate from 0 up to (not including) 1, e.g. 0.01"),
        ));
    }
    let factor = month_factor(model.unit);
    let window = options.t.unwrap_or(horizon * factor);
    if !(window.is_finite() && window > 0.0) {
        return Err(InsituError::bad_option(
            "t",
            format!("{window} is not a time window; use a positive number of model units"),
        ));
    }
    Ok(Checked {
        bg: model.bgnbd,
        gg: model.gamma_gamma,
        factor,
        window,
        horizon: horizon as u32,
        discount: rate,
    })
}

/// P(alive), expected purchases, expected spend and CLV (before the margin).
type Predicted = (f64, f64, Option<f64>, Option<f64>);

/// The [`Predicted`] values of one history.
fn predict_history(c: &Checked, x: f64, t_x: f64, t: f64, m: f64) -> Predicted {
    let alive = p_alive(&c.bg, x, t_x, t);
    let purchases = expected_purchases(&c.bg, c.window, x, t_x, t);
    let spend = c.gg.map(|gg| gg.expected_spend(x, m));
    let clv = spend.map(|spend| {
        let mut previous = 0.0;
        let mut total = 0.0;
        for i in 1..=c.horizon {
            let cumulative = expected_purchases(&c.bg, f64::from(i) * c.factor, x, t_x, t);
            total += spend * (cumulative - previous) / (1.0 + c.discount).powi(i as i32);
            previous = cumulative;
        }
        total
    });
    (alive, purchases, spend, clv)
}

/// Each customer's margin share (margin / revenue up to the calibration end), or the
/// fixed rate; customers without revenue get the overall share.
fn margin_shares(ds: &Dataset, summary: &RfmSummary, margin: &OrderMargin) -> Vec<f64> {
    if let OrderMargin::Rate(rate) = margin {
        return vec![*rate; summary.rows.len()];
    }
    let p = summary.options.period_unit;
    let per_customer: Vec<(f64, f64)> = summary
        .rows
        .iter()
        .map(|row| {
            let (mut revenue, mut m) = (0.0, 0.0);
            for r in ds.orders.rows(row.customer as usize) {
                if p.index(ds.orders.time[r], summary.options.offset) > summary.calibration_period {
                    break;
                }
                revenue += ds.orders.amount[r];
                m += margin.of(r, ds.orders.amount[r]);
            }
            (revenue, m)
        })
        .collect();
    let (total_revenue, total_margin) = per_customer
        .iter()
        .fold((0.0, 0.0), |(a, b), (r, m)| (a + r, b + m));
    let overall = if total_revenue > 0.0 {
        total_margin / total_revenue
    } else {
        1.0
    };
    per_customer
        .iter()
        .map(|&(r, m)| if r > 0.0 { m / r } else { overall })
        .collect()
}

/// The per-customer prediction table: `customer_id`, `frequency`, `recency`, `T`,
/// `monetary_value`, `p_alive`, `expected_purchases`, `expected_spend`, `clv` (the last
/// two only with a spend model). Identical histories are computed once.
pub fn predictions(ds: &Dataset, model: &LtvModel, options: &ClvOptions) -> Result<ResultTable> {
    let checked = check(model, options)?;
    let summary = rfm_summary(ds, &model.summary_options()?)?;
    let shares = match &options.margin {
        Some(m) => margin_shares(ds, &summary, &m.resolve(ds, "margin")?),
        None => vec![1.0; summary.rows.len()],
    };
    let mut cache: HashMap<(u32, u64, u64, u64), Predicted> = HashMap::new();
    let n = summary.rows.len();
    let (mut alive, mut purchases, mut spend, mut clv) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (row, share) in summary.rows.iter().zip(&shares) {
        let RfmRow {
            frequency,
            recency,
            t,
            monetary,
            ..
        } = *row;
        // Spend depends on monetary only for repeat buyers.
        let m_key = if frequency > 0 { monetary.to_bits() } else { 0 };
        let value = *cache
            .entry((frequency, recency.to_bits(), t.to_bits(), m_key))
            .or_insert_with(|| {
                predict_history(&checked, f64::from(frequency), recency, t, monetary)
            });
        alive.push(value.0);
        purchases.push(value.1);
        spend.push(value.2.unwrap_or(f64::NAN));
        clv.push(value.3.map_or(f64::NAN, |v| v * share));
    }
    let table = summary
        .to_table()
        .with("p_alive", ResultColumn::Float64(alive))
        .with("expected_purchases", ResultColumn::Float64(purchases));
    Ok(if checked.gg.is_some() {
        table
            .with("expected_spend", ResultColumn::Float64(spend))
            .with("clv", ResultColumn::Float64(clv))
    } else {
        table
    })
}

/// Finds a customer by id text.
fn find_customer(ds: &Dataset, id: &str) -> Option<usize> {
    match &ds.ids {
        crate::data::CustomerIds::Int(ids) => {
            let v: i64 = id.trim().parse().ok()?;
            ids.iter().position(|&x| x == v)
        }
        crate::data::CustomerIds::Text(_) => {
            (0..ds.num_customers()).find(|&c| ds.ids.display(c) == id)
        }
    }
}

/// The prediction for one customer of the dataset, or for a given history. Errors
/// (`bad_option`): an unknown customer, a customer with no order by the calibration end,
/// a history that is not possible (recency > T, negative values, recency without repeat
/// purchases), bad options.
pub fn predict_customer(
    ds: &Dataset,
    model: &LtvModel,
    input: &PredictionInput,
    options: &ClvOptions,
) -> Result<Prediction> {
    let checked = check(model, options)?;
    let (customer, x, t_x, t, m, share) = match input {
        PredictionInput::Customer(id) => {
            let c = find_customer(ds, id).ok_or_else(|| {
                InsituError::bad_option("customer", format!("no customer \"{id}\" in the dataset"))
            })?;
            let summary = rfm_summary(ds, &model.summary_options()?)?;
            let Ok(i) = summary
                .rows
                .binary_search_by_key(&(c as u32), |r| r.customer)
            else {
                return Err(InsituError::bad_option(
                    "customer",
                    format!("customer \"{id}\" has no order by the model's calibration end"),
                ));
            };
            let row = summary.rows[i];
            let share = match &options.margin {
                Some(mg) => {
                    let resolved = mg.resolve(ds, "margin")?;
                    let single = RfmSummary {
                        rows: vec![row],
                        ..summary.clone()
                    };
                    margin_shares(ds, &single, &resolved)[0]
                }
                None => 1.0,
            };
            (
                Some(ds.ids.display(c)),
                f64::from(row.frequency),
                row.recency,
                row.t,
                row.monetary,
                share,
            )
        }
        PredictionInput::History {
            frequency,
            recency,
            t,
            monetary_value,
        } => {
            let valid = frequency.is_finite()
                && *frequency >= 0.0
                && frequency.fract() == 0.0
                && recency.is_finite()
                && *recency >= 0.0
                && t.is_finite()
                && recency <= t
                && (*frequency > 0.0 || *recency == 0.0)
                && monetary_value.is_finite();
            if !valid {
                return Err(InsituError::bad_option(
                    "frequency",
                    format!(
                        "frequency {frequency}, recency {recency}, T {t} is not a possible \
                         history: frequency is a whole number >= 0, 0 <= recency <= T, and \
                         recency is 0 without repeat purchases"
                    ),
                ));
            }
            let share = match &options.margin {
                Some(Margin::Rate(_)) | None => {
                    match options
                        .margin
                        .as_ref()
                        .map(|m| m.resolve(ds, "margin"))
                        .transpose()?
                    {
                        Some(OrderMargin::Rate(r)) => r,
                        _ => 1.0,
                    }
                }
                Some(Margin::Column(_)) => {
                    return Err(InsituError::bad_option(
                        "margin",
                        "a margin column needs a customer; give a rate for a history",
                    ))
                }
            };
            (None, *frequency, *recency, *t, *monetary_value, share)
        }
    };
    let (alive, purchases, spend, clv) = predict_history(&checked, x, t_x, t, m);
    Ok(Prediction {
        customer,
        frequency: x,
        recency: t_x,
        t,
        monetary_value: m,
        p_alive: alive,
        expected_purchases: purchases,
        purchases_window: checked.window,
        expected_spend: spend,
        clv: clv.map(|v| v * share),
        margin: share,
    })
}
