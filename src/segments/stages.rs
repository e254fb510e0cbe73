//! Each customer's CRM stage at an as-of date (SEMANTICS.md, "Lifecycle", the CRM view).
//!
//! Only data at or before `asOf` counts. With `orders` the customer's orders up to asOf,
//! `lastActive` the latest of their events, orders and signup up to asOf, the first rule
//! that matches wins:
//!
//! | stage | rule |
//! |---|---|
//! | churned | `asOf - lastActive > churnAfter` (no activity for longer than churnAfter) |
//! | prospect | no order |
//! | dormant | `asOf - lastOrder > dormantAfter` (no order for longer than dormantAfter) |
//! | new | `asOf - firstOrder <= newWithin`, or exactly one order |
//! | repeat | otherwise: 2+ orders, the first older than newWithin, the last within dormantAfter |
//!
//! Choices where SEMANTICS is silent (also in `docs/retention-lifecycle.md`):
//! - **Thresholds**: "within" is inclusive and "after"/"for longer than" is strict, so a
//!   customer exactly `newWithin` after the first order is still new, and exactly
//!   `dormantAfter` (`churnAfter`) after the last order (activity) is not yet dormant
//!   (churned). Durations are exact (a day is 24 h), not calendar days.
//! - **Churned first**: churn is about any activity, so it applies to prospects too (a
//!   signup who never bought and went quiet) and wins over dormant; a buyer who stopped
//!   ordering but still visits is dormant, not churned. With events, a customer can be
//!   dormant only while visiting; without events (orders only) only when
//!   `dormantAfter < churnAfter`.
//! - **One-order customers** between `newWithin` and `dormantAfter` stay **new**: they
//!   are not repeat buyers (one order) and have not lapsed. `newWithin` also keeps a
//!   customer who bought again soon after the first order new until the window ends.
//! - **Defaults**: `churnAfter` 90 days (SEMANTICS' churn threshold), `dormantAfter` 60
//!   days (below churnAfter so that orders-only data has dormant customers), `newWithin`
//!   30 days, `asOf` the last event or order time in the data.
//! - **Who is listed**: every customer with an order at or before asOf; and the
//!   customers who are *known* at asOf without one: with a customers table, those listed
//!   there whose signup time is at or before asOf (or, without a signup time, who have
//!   any activity by then or no dated activity at all); without a customers table,
//!   everyone with activity by asOf. So anonymous visitors (not in a given customers
//!   table, no order) are not prospects, and customers whose activity all comes after
//!   asOf do not exist yet.

use crate::json::{FromJson, ToJson};

use super::lifecycle::signup;
use crate::data::properties::NULL_TIME;
use crate::data::{Dataset, ResultColumn, ResultTable};
use crate::error::{InsituError, Result};
use crate::retention::{DurationArg, TimeArg};
use crate::time::MICROS_PER_DAY;

/// Options of [`stages`] (camelCase; unknown fields are errors).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct StagesOptions {
    /// The date the stages are for; default the last event or order time.
    pub as_of: Option<TimeArg>,
    /// No order for longer than this: dormant. Default `"60d"`.
    pub dormant_after: Option<DurationArg>,
    /// No activity for longer than this: churned. Default `"90d"`.
    pub churn_after: Option<DurationArg>,
    /// First order at most this long ago: new. Default `"30d"`.
    pub new_within: Option<DurationArg>,
}

/// A CRM stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ToJson)]
#[json(rename_all = "camelCase")]
pub enum Stage {
    /// Known, no order yet.
    Prospect,
    /// A recent first order, or one order and not lapsed.
    New,
    /// Two or more orders, the last one recent.
    Repeat,
    /// Has ordered, but not for longer than `dormantAfter`.
    Dormant,
    /// No activity for longer than `churnAfter`.
    Churned,
}

impl Stage {
    /// All stages, in code order.
    pub const ALL: [Stage; 5] = [
        Stage::Prospect,
        Stage::New,
        Stage::Repeat,
        Stage::Dormant,
        Stage::Churned,
    ];

    /// The stage's name, as in the result table.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Prospect => "prospect",
            Stage::New => "new",
            Stage::Repeat => "repeat",
            Stage::Dormant => "dormant",
            Stage::Churned => "churned",
        }
    }
}

/// Customers per stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct StageCounts {
    pub prospect: u64,
    pub new: u64,
    pub repeat: u64,
    pub dormant: u64,
    pub churned: u64,
}

impl StageCounts {
    fn add(&mut self, stage: Stage) {
        *match stage {
            Stage::Prospect => &mut self.prospect,
            Stage::New => &mut self.new,
            Stage::Repeat => &mut self.repeat,
            Stage::Dormant => &mut self.dormant,
            Stage::Churned => &mut self.churned,
        } += 1;
    }
}

/// One customer's figures at asOf.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerStage {
    /// Dense customer number.
    pub customer: u32,
    /// The stage.
    pub stage: Stage,
    /// Orders up to asOf.
    pub orders: u32,
    /// First and last order time up to asOf (µs), [`NULL_TIME`] without orders.
    pub first_order: i64,
    pub last_order: i64,
    /// Latest event, order or signup up to asOf (µs), [`NULL_TIME`] if undated.
    pub last_active: i64,
}

/// The stages of all customers who exist at asOf.
#[derive(Debug, Clone, PartialEq)]
pub struct Stages {
    /// The as-of time used (µs).
    pub as_of: i64,
    /// Customers per stage.
    pub counts: StageCounts,
    /// One entry per listed customer, in customer order.
    pub customers: Vec<CustomerStage>,
}

impl Stages {
    /// The per-customer table: customer_id, stage, orders, lastOrder, firstOrder,
    /// lastActive (times as timestamp[ms, UTC], null when missing).
    pub fn table(&self) -> ResultTable {
        let col = |f: fn(&CustomerStage) -> i64| {
            ResultColumn::Time(self.customers.iter().map(f).collect())
        };
        ResultTable::default()
            .with(
                "customer_id",
                ResultColumn::Customers(self.customers.iter().map(|c| c.customer).collect()),
            )
            .with(
                "stage",
                ResultColumn::Category {
                    codes: self.customers.iter().map(|c| c.stage as u32).collect(),
                    labels: Stage::ALL.iter().map(|s| s.name().to_owned()).collect(),
                },
            )
            .with(
                "orders",
                ResultColumn::UInt32(self.customers.iter().map(|c| c.orders).collect()),
            )
            .with("lastOrder", col(|c| c.last_order))
            .with("firstOrder", col(|c| c.first_order))
            .with("lastActive", col(|c| c.last_active))
    }
}

/// Validated thresholds (µs).
#[derive(Debug, Clone, Copy)]
struct Rules {
    as_of: i64,
    dormant_after: i64,
    churn_after: i64,
    new_within: i64,
}

impl Rules {
    fn stage(&self, orders: u32, first_order: i64, last_order: i64, last_active: i64) -> Stage {
        let since = |t: i64| self.as_of.saturating_sub(t);
        if last_active != NULL_TIME && since(last_active) > self.churn_after {
            Stage::Churned
        } else if orders == 0 {
            Stage::Prospect
        } else if since(last_order) > self.dormant_after {
            Stage::Dormant
        } else if orders == 1 || since(first_order) <= self.new_within {
            Stage::New
        } else {
            Stage::Repeat
        }
    }
}

/// Each customer's CRM stage at `asOf`, and the counts per stage.
///
/// ```
/// # use insitu::segments::stages::{stages, StagesOptions};
/// # use insitu::retention::DurationArg;
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// let s = stages(ds, &StagesOptions { churn_after: Some(DurationArg::Text("180d".into())), ..Default::default() })?;
/// println!("{} repeat customers", s.counts.repeat);
/// # Ok(()) }
/// ```
pub fn stages(ds: &Dataset, options: &StagesOptions) -> Result<Stages> {
    let duration = |arg: &Option<DurationArg>, option: &str, days: i64| {
        arg.as_ref()
            .map_or(Ok(days * MICROS_PER_DAY), |d| d.micros(option))
    };
    let as_of = match &options.as_of {
        Some(t) => t.micros("asOf")?,
        None => ds
            .time_span
            .map(|(_, last)| last)
            .ok_or_else(|| InsituError::EmptyInput("the dataset has no events or orders".into()))?,
    };
    let rules = Rules {
        as_of,
        dormant_after: duration(&options.dormant_after, "dormantAfter", 60)?,
        churn_after: duration(&options.churn_after, "churnAfter", 90)?,
        new_within: duration(&options.new_within, "newWithin", 30)?,
    };

    let mut counts = StageCounts::default();
    let mut customers = Vec::new();
    for c in 0..ds.num_customers() {
        let events = &ds.events.time[ds.events.rows(c)];
        let orders = &ds.orders.time[ds.orders.rows(c)];
        let signup = signup(ds, c);
        // Rows are time-sorted: the prefix up to asOf is what counts.
        let seen = &events[..events.partition_point(|&t| t <= as_of)];
        let bought = &orders[..orders.partition_point(|&t| t <= as_of)];
        let joined = signup.filter(|&t| t <= as_of);
        let last_active = [seen.last(), bought.last(), joined.as_ref()]
            .into_iter()
            .flatten()
            .copied()
            .max();
        let known = if !bought.is_empty() {
            true
        } else if ds.has_customers {
            let listed = ds.customers.listed.get(c).copied().unwrap_or(false);
            let undated = events.is_empty() && orders.is_empty() && signup.is_none();
            listed
                && match signup {
                    Some(t) => t <= as_of,
                    None => last_active.is_some() || undated,
                }
        } else {
            last_active.is_some()
        };
        if !known {
            continue;
        }
        let last_active = last_active.unwrap_or(NULL_TIME);
        let first_order = bought.first().copied().unwrap_or(NULL_TIME);
        let last_order = bought.last().copied().unwrap_or(NULL_TIME);
        let n = u32::try_from(bought.len()).unwrap_or(u32::MAX);
        let stage = rules.stage(n, first_order, last_order, last_active);
        counts.add(stage);
        customers.push(CustomerStage {
            customer: c as u32,
            stage,
            orders: n,
            first_order,
            last_order,
            last_active,
        });
    }
    Ok(Stages {
        as_of,
        counts,
        customers,
    })
}
