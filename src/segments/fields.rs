//! The registry of per-customer fields a rule can test (computed at an as-of date by
//! [`super::context::Context`]).
//!
//! A field is a built-in metric ([`BUILTINS`]: order figures, event counts, signup,
//! RFM, CRM stage, funnel step, percentile) or a customer attribute (a column of the
//! customers table, or of the enrich table once joined). Adding a field (as predicted
//! CLV, which reads `crate::ltv`) is one [`BUILTINS`] entry plus one arm in
//! `Context::builtin` (`context.rs`), computed there or in `sources.rs`.

use std::borrow::Cow;

use crate::json::{FromJson, ToJson};

use super::rfm::RfmSettings;
use super::when::DurationValue;
use crate::data::properties::{PropertyValues, NULL_TIME};
use crate::data::Dataset;
use crate::funnel::FunnelQuery;
use crate::ltv::LtvModel;

/// What kind of values a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ToJson)]
#[json(rename_all = "camelCase")]
pub enum Kind {
    /// Numbers (counts, money, days, scores).
    Number,
    /// Times.
    Time,
    /// Text categories.
    Category,
}

impl Kind {
    /// The kind in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Number => "numbers",
            Kind::Time => "times",
            Kind::Category => "text",
        }
    }
}

/// One value per customer (by dense number) at the as-of date.
#[derive(Debug, Clone, PartialEq)]
pub enum Column<'a> {
    /// Numbers; `NaN` is null.
    Number(Cow<'a, [f64]>),
    /// Epoch µs; [`NULL_TIME`] is null.
    Time(Cow<'a, [i64]>),
    /// Codes into labels; [`NULL_CODE`](crate::data::NULL_CODE) is null. `closed`: the labels are every possible
    /// value (a stage, an RFM segment), so a value outside them is an error, not a miss.
    Category {
        /// Code per customer.
        codes: Cow<'a, [u32]>,
        /// Labels by code.
        labels: Cow<'a, [String]>,
        /// Whether the labels are all the values there can be.
        closed: bool,
    },
}

impl Column<'_> {
    /// The kind of the values.
    pub fn kind(&self) -> Kind {
        match self {
            Column::Number(_) => Kind::Number,
            Column::Time(_) => Kind::Time,
            Column::Category { .. } => Kind::Category,
        }
    }

    /// Customer `c`'s value as a number (times as µs), or `None` when null or categorical.
    pub fn number(&self, c: usize) -> Option<f64> {
        match self {
            Column::Number(v) => v.get(c).copied().filter(|x| !x.is_nan()),
            Column::Time(v) => v
                .get(c)
                .copied()
                .filter(|&t| t != NULL_TIME)
                .map(|t| t as f64),
            Column::Category { .. } => None,
        }
    }
}

/// A built-in field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Builtin {
    /// The name rules use.
    pub name: &'static str,
    /// Other accepted names.
    pub aliases: &'static [&'static str],
    /// How it is written with arguments, for help text.
    pub usage: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// What it means.
    pub description: &'static str,
}

const fn b(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    kind: Kind,
    description: &'static str,
) -> Builtin {
    Builtin {
        name,
        aliases,
        usage,
        kind,
        description,
    }
}

/// Every built-in field. Order figures count orders before asOf; `window` is a duration
/// (`30d`: the 30 days before asOf) or two times `from, to` (from inclusive, to exclusive).
pub const BUILTINS: &[Builtin] = &[
    b(
        "orders",
        &["order_count"],
        "orders or orders(window)",
        Kind::Number,
        "number of orders",
    ),
    b(
        "revenue",
        &["spend", "total_spend"],
        "revenue or revenue(window)",
        Kind::Number,
        "total order amount",
    ),
    b(
        "avg_order_value",
        &["average_spend", "aov", "mean_spend"],
        "avg_order_value or avg_order_value(window)",
        Kind::Number,
        "mean order amount (null without orders)",
    ),
    b(
        "first_order",
        &[],
        "first_order",
        Kind::Time,
        "time of the first order (null without orders)",
    ),
    b(
        "last_order",
        &[],
        "last_order",
        Kind::Time,
        "time of the last order (null without orders)",
    ),
    b(
        "days_since_first_order",
        &[],
        "days_since_first_order",
        Kind::Number,
        "days from the first order to asOf",
    ),
    b(
        "days_since_last_order",
        &[],
        "days_since_last_order",
        Kind::Number,
        "days from the last order to asOf",
    ),
    b(
        "events",
        &["event_count"],
        "events(name) or events(name, window)",
        Kind::Number,
        "number of events with that name",
    ),
    b(
        "signup",
        &["signup_time"],
        "signup",
        Kind::Time,
        "signup time from the customers table (null if after asOf)",
    ),
    b(
        "days_since_signup",
        &[],
        "days_since_signup",
        Kind::Number,
        "days from signup to asOf",
    ),
    b(
        "last_seen",
        &["last_active"],
        "last_seen",
        Kind::Time,
        "latest event, order or signup",
    ),
    b(
        "days_since_last_seen",
        &[],
        "days_since_last_seen",
        Kind::Number,
        "days from the latest activity to asOf",
    ),
    b(
        "recency",
        &[],
        "recency",
        Kind::Number,
        "RFM recency, days (null without orders)",
    ),
    b(
        "frequency",
        &[],
        "frequency",
        Kind::Number,
        "RFM frequency, orders",
    ),
    b(
        "monetary",
        &[],
        "monetary",
        Kind::Number,
        "RFM monetary value (total or mean, per the rfm settings)",
    ),
    b(
        "r_score",
        &[],
        "r_score",
        Kind::Number,
        "RFM recency score, 1..bins (bins = most recent)",
    ),
    b(
        "f_score",
        &[],
        "f_score",
        Kind::Number,
        "RFM frequency score",
    ),
    b(
        "m_score",
        &[],
        "m_score",
        Kind::Number,
        "RFM monetary score",
    ),
    b(
        "rfm_score",
        &[],
        "rfm_score",
        Kind::Number,
        "the three scores as one number, e.g. 545",
    ),
    b(
        "rfm_segment",
        &["rfm"],
        "rfm_segment",
        Kind::Category,
        "the named RFM segment (Champions, At Risk, ...)",
    ),
    b(
        "stage",
        &["crm_stage", "lifecycle_stage"],
        "stage",
        Kind::Category,
        "CRM stage: prospect, new, repeat, dormant, churned",
    ),
    b(
        "funnel_step",
        &[],
        "funnel_step",
        Kind::Number,
        "steps of the definition's funnel reached (0 = not entered)",
    ),
    b(
        "percentile",
        &["percent_rank"],
        "percentile(field)",
        Kind::Number,
        "share (0-100) of customers with a value <= this customer's",
    ),
    b(
        "clv",
        &["predicted_clv"],
        "clv",
        Kind::Number,
        "predicted CLV of the definition's LTV model (null without an order by its calibration end)",
    ),
    b(
        "p_alive",
        &[],
        "p_alive",
        Kind::Number,
        "probability the customer is still active, per the definition's LTV model",
    ),
    b(
        "expected_purchases",
        &[],
        "expected_purchases",
        Kind::Number,
        "expected purchases over the CLV horizon, per the definition's LTV model",
    ),
];

/// Settings of the fields that need them, given with a segment definition.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldSettings {
    /// Bins, monetary mode and segment rules of the RFM fields.
    pub rfm: RfmSettings,
    /// Thresholds of the `stage` field.
    pub stages: StageSettings,
    /// The funnel of the `funnel_step` field.
    pub funnel: Option<FunnelQuery>,
    /// The fitted model of the `clv`, `p_alive` and `expected_purchases` fields.
    pub clv: Option<ClvSettings>,
}

/// The predicted-CLV fields' model and options (see `crate::ltv::clv`). The prediction is
/// the model's, at its own calibration end: fit it with `calibrationEnd` = the segment's
/// asOf for a consistent picture.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClvSettings {
    /// The model `ds.fitLtv()` returned.
    pub model: LtvModel,
    /// CLV horizon in months; default 12.
    pub horizon: Option<f64>,
    /// Discount rate per month; default 0.01.
    pub discount_rate: Option<f64>,
    /// Margin as a share of revenue (0.3 = 30%); default none (revenue CLV).
    pub margin: Option<f64>,
}

/// Thresholds of the CRM stage field (see `crate::segments::stages`).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct StageSettings {
    /// No order for longer than this: dormant (default 60 days).
    pub dormant_after: Option<DurationValue>,
    /// No activity for longer than this: churned (default 90 days).
    pub churn_after: Option<DurationValue>,
    /// First order at most this long ago: new (default 30 days).
    pub new_within: Option<DurationValue>,
}

/// A description of a field, for help and autocompletion.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct FieldInfo {
    /// The name.
    pub name: String,
    /// How to write it.
    pub usage: String,
    /// What it holds.
    pub kind: Kind,
    /// `"metric"` or `"attribute"`.
    pub source: &'static str,
    /// What it means.
    pub description: String,
}

/// Every field a rule can use on `ds`: the built-ins, then the customer attributes.
pub fn catalogue(ds: &Dataset) -> Vec<FieldInfo> {
    let mut out: Vec<FieldInfo> = BUILTINS
        .iter()
        .map(|b| FieldInfo {
            name: b.name.to_owned(),
            usage: b.usage.to_owned(),
            kind: b.kind,
            source: "metric",
            description: b.description.to_owned(),
        })
        .collect();
    for a in &ds.customers.attributes {
        out.push(FieldInfo {
            name: a.name.clone(),
            usage: a.name.clone(),
            kind: match a.values {
                PropertyValues::Categorical { .. } => Kind::Category,
                PropertyValues::Numeric(_) => Kind::Number,
                PropertyValues::Time(_) => Kind::Time,
            },
            source: "attribute",
            description: "customers table column".into(),
        });
    }
    out
}
