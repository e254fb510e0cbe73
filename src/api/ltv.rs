//! Lifetime value on the dataset handle: `ltv`, `cohortLtv`, `rfmSummary`, `fitLtv`,
//! `ltvPredictions`, `ltvPredict`, `ltvCheck`. Times arrive as epoch milliseconds.

use crate::json::{FromJson, Json as Value};
use wasm_bindgen::prelude::*;

use super::convert::{options, table_array, to_js, to_js_error, with_table};
use super::dataset::DatasetHandle;
use crate::error::InsituError;
use crate::ltv::{
    cohort_ltv, fit_ltv, historical_ltv, holdout_check, predict_customer, predictions, rfm_summary,
    Acquisition, CheckOptions, ClvOptions, CohortOptions, FitOptions, GroupBy, HistoricalOptions,
    LtvModel, Margin, PredictionInput, SummaryOptions,
};
use crate::time::{parse_offset, Period};

type JsResult<T> = Result<T, JsValue>;

fn bad(option: &str, detail: impl Into<String>) -> JsValue {
    to_js_error(InsituError::bad_option(option, detail))
}

/// Epoch milliseconds (as JS numbers) to core microseconds.
fn micros(option: &str, ms: Option<f64>) -> JsResult<Option<i64>> {
    match ms {
        None => Ok(None),
        // The range of JS dates: ±8.64e15 ms.
        Some(v) if v.is_finite() && v.abs() <= 8.64e15 => Ok(Some((v * 1_000.0).round() as i64)),
        Some(v) => Err(bad(option, format!("{v} is not a time"))),
    }
}

fn period(option: &str, text: Option<&str>, default: Period) -> JsResult<Period> {
    text.map_or(Ok(default), |t| {
        Period::parse(option, t).map_err(to_js_error)
    })
}

fn offset(timezone: Option<&str>) -> JsResult<i64> {
    match timezone {
        None => Ok(0),
        Some(tz) => parse_offset(tz).ok_or_else(|| {
            bad(
                "timezone",
                format!(
                    "\"{tz}\" is not a fixed UTC offset; use e.g. \"+09:00\", \"-05:00\" or \"Z\""
                ),
            )
        }),
    }
}

fn acquisition(text: Option<&str>) -> JsResult<Acquisition> {
    match text {
        None | Some("firstOrder") => Ok(Acquisition::FirstOrder),
        Some("signup") => Ok(Acquisition::Signup),
        Some(other) => Err(bad(
            "acquisition",
            format!("\"{other}\" is not an acquisition; use \"firstOrder\" or \"signup\""),
        )),
    }
}

/// `0.3` or `{ column: "margin" }`.
fn margin(value: Option<&Value>) -> JsResult<Option<Margin>> {
    let usage = "use a rate from 0 to 1 (e.g. 0.3) or { column: \"margin\" } naming an orders column of margin money";
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(Margin::Rate(*n))),
        Some(object @ Value::Object(map)) => match (object.get("column"), map.len()) {
            (Some(Value::String(c)), 1) => Ok(Some(Margin::Column(c.clone()))),
            _ => Err(bad("margin", format!("{object} is not a margin; {usage}"))),
        },
        Some(other) => Err(bad("margin", format!("{other} is not a margin; {usage}"))),
    }
}

/// `"acquisition_channel"`, `{ attribute: "country" }`, `"cohort"` (months) or
/// `{ cohort: "week" }`. (Segments will be `{ segment: ... }`.)
fn group_by(value: Option<&Value>) -> JsResult<Option<GroupBy>> {
    let usage = "use a customer attribute name (e.g. \"acquisition_channel\"), { attribute: \"country\" }, \"cohort\" or { cohort: \"week\" }";
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s == "cohort" => Ok(Some(GroupBy::Cohort(Period::Month))),
        Some(Value::String(s)) => Ok(Some(GroupBy::Attribute(s.clone()))),
        Some(object @ Value::Object(map)) if map.len() == 1 => {
            match (object.get("attribute"), object.get("cohort")) {
                (Some(Value::String(a)), _) => Ok(Some(GroupBy::Attribute(a.clone()))),
                (_, Some(Value::String(p))) => Ok(Some(GroupBy::Cohort(
                    Period::parse("by.cohort", p).map_err(to_js_error)?,
                ))),
                _ => Err(bad("by", format!("{object} is not a grouping; {usage}"))),
            }
        }
        Some(other) => Err(bad("by", format!("{other} is not a grouping; {usage}"))),
    }
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct SummaryArgs {
    calibration_end: Option<f64>,
    unit: Option<String>,
    period_unit: Option<String>,
    timezone: Option<String>,
}

fn summary_options(
    calibration_end: Option<f64>,
    unit: Option<&str>,
    period_unit: Option<&str>,
    timezone: Option<&str>,
) -> JsResult<SummaryOptions> {
    Ok(SummaryOptions {
        calibration_end: micros("calibrationEnd", calibration_end)?,
        unit: period("unit", unit, Period::Day)?,
        period_unit: period("periodUnit", period_unit, Period::Day)?,
        offset: offset(timezone)?,
    })
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct FitArgs {
    calibration_end: Option<f64>,
    unit: Option<String>,
    period_unit: Option<String>,
    timezone: Option<String>,
    model: Option<String>,
    spend: Option<String>,
    penalizer: Option<f64>,
    spend_penalizer: Option<f64>,
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct ClvArgs {
    horizon: Option<f64>,
    discount_rate: Option<f64>,
    margin: Option<Value>,
    t: Option<f64>,
}

fn clv_options(
    horizon: Option<f64>,
    discount_rate: Option<f64>,
    margin_value: Option<&Value>,
    t: Option<f64>,
) -> JsResult<ClvOptions> {
    let defaults = ClvOptions::default();
    Ok(ClvOptions {
        horizon: horizon.unwrap_or(defaults.horizon),
        discount_rate: discount_rate.unwrap_or(defaults.discount_rate),
        margin: margin(margin_value)?,
        t,
    })
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct PredictArgs {
    customer: Option<Value>,
    frequency: Option<f64>,
    recency: Option<f64>,
    #[json(rename = "T")]
    big_t: Option<f64>,
    monetary_value: Option<f64>,
    horizon: Option<f64>,
    discount_rate: Option<f64>,
    margin: Option<Value>,
    t: Option<f64>,
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct CheckArgs {
    holdout_end: Option<f64>,
    max_frequency: Option<f64>,
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct LtvArgs {
    as_of: Option<f64>,
    margin: Option<Value>,
    by: Option<Value>,
    cac: Option<std::collections::BTreeMap<String, Value>>,
    acquisition: Option<String>,
    timezone: Option<String>,
}

#[derive(Debug, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
struct CohortArgs {
    period: Option<String>,
    periods: Option<f64>,
    acquisition: Option<String>,
    margin: Option<Value>,
    timezone: Option<String>,
}

fn model(value: JsValue) -> JsResult<LtvModel> {
    options::<Option<LtvModel>>("model", value)?.ok_or_else(|| {
        bad(
            "model",
            "pass a fitted model: the result of fitLtv() (or its JSON)",
        )
    })
}

#[wasm_bindgen]
impl DatasetHandle {
    /// Per-customer frequency / recency / T / monetary value (lifetimes convention), as
    /// Arrow IPC stream bytes.
    #[wasm_bindgen(js_name = rfmSummary)]
    pub fn rfm_summary(&self, args: JsValue) -> Result<js_sys::Uint8Array, JsValue> {
        let a: SummaryArgs = options("rfmSummary", args)?;
        let o = summary_options(
            a.calibration_end,
            a.unit.as_deref(),
            a.period_unit.as_deref(),
            a.timezone.as_deref(),
        )?;
        let summary = rfm_summary(&self.inner, &o).map_err(to_js_error)?;
        table_array(&summary.to_table(), &self.inner)
    }

    /// Fits BG/NBD and Gamma-Gamma; returns the fit (parameters, log-likelihoods,
    /// standard errors and what predictions need).
    #[wasm_bindgen(js_name = fitLtv)]
    pub fn fit_ltv(&self, args: JsValue) -> Result<JsValue, JsValue> {
        let a: FitArgs = options("fitLtv", args)?;
        match a.model.as_deref() {
            None | Some("bgnbd") => {}
            Some(other) => {
                return Err(bad(
                    "model",
                    format!("\"{other}\" is not a model; use \"bgnbd\""),
                ))
            }
        }
        let spend = match a.spend.as_deref() {
            None | Some("gammagamma") => true,
            Some("none") => false,
            Some(other) => {
                return Err(bad(
                    "spend",
                    format!("\"{other}\" is not a spend model; use \"gammagamma\" or \"none\""),
                ))
            }
        };
        let o = FitOptions {
            summary: summary_options(
                a.calibration_end,
                a.unit.as_deref(),
                a.period_unit.as_deref(),
                a.timezone.as_deref(),
            )?,
            timezone: a.timezone.clone(),
            penalizer: a.penalizer.unwrap_or(0.0),
            spend_penalizer: a.spend_penalizer.unwrap_or(0.0),
            spend,
        };
        to_js(&fit_ltv(&self.inner, &o).map_err(to_js_error)?)
    }

    /// Per-customer predictions (P(alive), expected purchases, expected spend, CLV) of
    /// a fitted model, as Arrow IPC stream bytes.
    #[wasm_bindgen(js_name = ltvPredictions)]
    pub fn ltv_predictions(
        &self,
        fitted: JsValue,
        args: JsValue,
    ) -> Result<js_sys::Uint8Array, JsValue> {
        let m = model(fitted)?;
        let a: ClvArgs = options("ltvPredictions", args)?;
        let o = clv_options(a.horizon, a.discount_rate, a.margin.as_ref(), a.t)?;
        let table = predictions(&self.inner, &m, &o).map_err(to_js_error)?;
        table_array(&table, &self.inner)
    }

    /// The prediction for one customer, or for a history `{ frequency, recency, T }`.
    #[wasm_bindgen(js_name = ltvPredict)]
    pub fn ltv_predict(&self, fitted: JsValue, args: JsValue) -> Result<JsValue, JsValue> {
        let m = model(fitted)?;
        let a: PredictArgs = options("ltvPredict", args)?;
        let input = match (&a.customer, a.frequency, a.recency, a.big_t) {
            (Some(c), None, None, None) => PredictionInput::Customer(match c {
                Value::String(s) => s.clone(),
                Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                    format!("{}", *n as i64)
                }
                Value::Number(n) => n.to_string(),
                other => return Err(bad("customer", format!("{other} is not a customer id"))),
            }),
            (None, Some(frequency), Some(recency), Some(t)) => PredictionInput::History {
                frequency,
                recency,
                t,
                monetary_value: a.monetary_value.unwrap_or(0.0),
            },
            _ => {
                return Err(bad(
                    "customer",
                    "give either { customer: id } or a history { frequency, recency, T, monetaryValue }",
                ))
            }
        };
        let o = clv_options(a.horizon, a.discount_rate, a.margin.as_ref(), a.t)?;
        to_js(&predict_customer(&self.inner, &m, &input, &o).map_err(to_js_error)?)
    }

    /// Expected vs actual repeat purchases in a holdout period after the calibration end.
    #[wasm_bindgen(js_name = ltvCheck)]
    pub fn ltv_check(&self, fitted: JsValue, args: JsValue) -> Result<JsValue, JsValue> {
        let m = model(fitted)?;
        let a: CheckArgs = options("ltvCheck", args)?;
        let max_frequency = match a.max_frequency {
            None => CheckOptions::default().max_frequency,
            Some(v) if v.fract() == 0.0 && (1.0..=1000.0).contains(&v) => v as u32,
            Some(v) => {
                return Err(bad(
                    "maxFrequency",
                    format!("{v} is not a bucket limit; use a whole number from 1 to 1000"),
                ))
            }
        };
        let o = CheckOptions {
            holdout_end: micros("holdoutEnd", a.holdout_end)?,
            max_frequency,
        };
        to_js(&holdout_check(&self.inner, &m, &o).map_err(to_js_error)?)
    }

    /// Historical LTV: revenue (and margin) per customer to date, per group, LTV/CAC.
    /// Returns the summary with the per-customer table as IPC bytes in `customers`.
    pub fn ltv(&self, args: JsValue) -> Result<JsValue, JsValue> {
        let a: LtvArgs = options("ltv", args)?;
        let cac = a
            .cac
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| match v.as_f64() {
                Some(x) => Ok((k, x)),
                None => Err(bad("cac", format!("cost of \"{k}\" is {v}; use a number"))),
            })
            .collect::<JsResult<Vec<_>>>()?;
        let o = HistoricalOptions {
            as_of: micros("asOf", a.as_of)?,
            margin: margin(a.margin.as_ref())?,
            by: group_by(a.by.as_ref())?,
            cac,
            acquisition: acquisition(a.acquisition.as_deref())?,
            offset: offset(a.timezone.as_deref())?,
        };
        let result = historical_ltv(&self.inner, &o).map_err(to_js_error)?;
        with_table(to_js(&result)?, "customers", &result.table, &self.inner)
    }

    /// Cohort LTV curves: cumulative revenue (or margin) per customer by periods since
    /// acquisition.
    #[wasm_bindgen(js_name = cohortLtv)]
    pub fn cohort_ltv(&self, args: JsValue) -> Result<JsValue, JsValue> {
        let a: CohortArgs = options("cohortLtv", args)?;
        let periods = match a.periods {
            None => CohortOptions::default().periods,
            Some(v) if v.fract() == 0.0 && (0.0..=1e6).contains(&v) => v as usize,
            Some(v) => {
                return Err(bad(
                    "periods",
                    format!("{v} is not a number of periods; use a whole number"),
                ))
            }
        };
        let o = CohortOptions {
            period: period("period", a.period.as_deref(), Period::Month)?,
            periods,
            acquisition: acquisition(a.acquisition.as_deref())?,
            margin: margin(a.margin.as_ref())?,
            offset: offset(a.timezone.as_deref())?,
        };
        to_js(&cohort_ltv(&self.inner, &o).map_err(to_js_error)?)
    }
}
