//! Cohort retention (SEMANTICS.md, "Retention").
//!
//! A cohort is a calendar period (UTC day, ISO week from Monday, or calendar month; or
//! local to a fixed `timezone` offset). Cell (cohort c, offset k >= 1) counts the cohort's
//! customers with at least one return event in period c + k; `counts[0]` is the cohort
//! size. One linear pass over customers (`cells.rs`) fills the cells; `result.rs` turns them
//! into rates, `null` future cells and the weighted mean curve.
//!
//! Choices where SEMANTICS is silent (also in `docs/retention-lifecycle.md`):
//! - **Range.** `from`/`to` (inclusive) filter start events by their time: first-time
//!   mode keeps a customer only if the first-ever start event is inside; recurring mode
//!   uses only the start events inside. Return events are never filtered by the range.
//! - **Cohorts listed** are the non-empty ones, in period order (no zero-size rows).
//! - **Null cells**: cell (c, k) is `null` when period c + k starts after the last event
//!   or order time in the dataset; the period holding that time is a (partial) number.
//! - **Cumulative** counts: customers with a return in any period >= c + k (up to the end
//!   of the data, not only within `periods`). `counts[0]` stays the size.
//! - **Revenue** mode: cells are the sum of the cohort's order amounts in period c + k
//!   (orders are the returns; `returnEvent` is not used). `counts[0]` is the revenue in
//!   the cohort period itself (all of it, including orders placed before the start event
//!   in that period); `rates[k] = counts[k] / size`, revenue per cohort customer, so
//!   cohorts of different sizes compare and a cohort without first-period revenue still
//!   has rates. Cumulative revenue is the running total through k (the cohort's
//!   revenue-per-customer curve), not "on or after k".
//! - **Mean**: for each k, the sum of the non-null `counts[k]` over the sum of the sizes
//!   of those cohorts: a size-weighted average of `rates[k]`.
//! - **Breakdown** `"name"` (or `{ property }` / `{ attribute }` to say which table): an
//!   events-table property read on the start event (first-time: the first non-null value
//!   on a start event in the cohort period, from the first start event on; recurring: the
//!   first non-null value on the start events of that period), else a customers-table
//!   attribute of that name. Values are ranked by customers (cohort memberships), ties
//!   by label; past `limit` (default 25)
//!   they fold into `"Other"`; customers without a value form a group with value `null`,
//!   listed last. Number columns group by distinct value; time columns are refused.
//! - **Defaults**: `startEvent` "signup", `returnEvent` "visit", `period` "week",
//!   `periods` 8 (1 to 1,000), `mode` "firstTime", UTC.

pub mod args;
mod breakdown;
mod cells;
mod result;

use crate::json::FromJson;

pub use args::{DurationArg, TimeArg};
pub use breakdown::{BreakdownArg, BreakdownSpec};
pub use result::{Retention, RetentionCohort, RetentionGroup};

use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::Period;

/// Most periods (columns) a retention table may have.
pub const MAX_PERIODS: u32 = 1_000;
/// Most breakdown values kept before the rest fold into "Other".
pub const MAX_BREAKDOWN_LIMIT: u32 = 10_000;

/// Options of [`retention`], as JS passes them (camelCase; unknown fields are errors).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct RetentionOptions {
    /// Event that puts a customer in a cohort; default `"signup"`.
    pub start_event: Option<String>,
    /// Event that counts as a return; default `"visit"`. Not used in revenue mode.
    pub return_event: Option<String>,
    /// `"day"`, `"week"` (default) or `"month"`.
    pub period: Option<String>,
    /// Number of columns k = 0..periods-1; default 8, at most 1,000.
    pub periods: Option<f64>,
    /// `"firstTime"` (default) or `"recurring"`.
    pub mode: Option<String>,
    /// "On or after k" counts (running revenue totals in revenue mode).
    pub cumulative: Option<bool>,
    /// Sum order amounts instead of counting customers.
    pub revenue: Option<bool>,
    /// Split cohorts by an event property (of the start event) or customer attribute.
    pub breakdown: Option<BreakdownArg>,
    /// Earliest start event considered (inclusive).
    pub from: Option<TimeArg>,
    /// Latest start event considered (inclusive).
    pub to: Option<TimeArg>,
    /// Fixed UTC offset for period boundaries, e.g. `"+09:00"`; default UTC.
    pub timezone: Option<String>,
}

/// Which start events make cohorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The period of each customer's first-ever start event.
    FirstTime,
    /// Every period in which the customer has a start event.
    Recurring,
}

impl Mode {
    fn parse(text: Option<&str>) -> Result<Mode> {
        match text.map(|t| t.trim().to_ascii_lowercase()).as_deref() {
            None | Some("firsttime" | "first_time" | "first") => Ok(Mode::FirstTime),
            Some("recurring") => Ok(Mode::Recurring),
            Some(_) => Err(InsituError::bad_option(
                "mode",
                format!(
                    "\"{}\" is not a mode; use \"firstTime\" or \"recurring\"",
                    text.unwrap_or_default()
                ),
            )),
        }
    }
}

/// Validated options.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    pub start: u32,
    /// Return event code (unused in revenue mode).
    pub ret: u32,
    pub period: Period,
    pub offset: i64,
    pub periods: usize,
    pub mode: Mode,
    pub cumulative: bool,
    pub revenue: bool,
    pub breakdown_limit: usize,
    pub from: i64,
    pub to: i64,
    /// Last event or order time: cells of periods starting later are null.
    pub data_end: i64,
}

/// The retention table of `ds`.
///
/// ```
/// # use insitu::retention::{retention, RetentionOptions};
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// let r = retention(ds, &RetentionOptions { period: Some("month".into()), ..Default::default() })?;
/// for cohort in &r.cohorts {
///     println!("{} {} {:?}", cohort.start, cohort.size, cohort.rates);
/// }
/// # Ok(()) }
/// ```
pub fn retention(ds: &Dataset, options: &RetentionOptions) -> Result<Retention> {
    let revenue = options.revenue.unwrap_or(false);
    let start = args::event_code(
        ds,
        "startEvent",
        options.start_event.as_deref().unwrap_or("signup"),
    )?;
    let ret = if revenue {
        if !ds.has_orders {
            return Err(InsituError::bad_option(
                "revenue",
                "revenue retention needs an orders table; the dataset has none",
            ));
        }
        u32::MAX
    } else {
        args::event_code(
            ds,
            "returnEvent",
            options.return_event.as_deref().unwrap_or("visit"),
        )?
    };
    let period = args::period(options.period.as_deref(), Period::Week)?;
    let periods = args::whole("periods", options.periods, 8, 1, MAX_PERIODS)? as usize;
    let mode = Mode::parse(options.mode.as_deref())?;
    let breakdown_limit = args::whole(
        "breakdown.limit",
        options.breakdown.as_ref().and_then(BreakdownArg::limit),
        25,
        1,
        MAX_BREAKDOWN_LIMIT,
    )? as usize;
    let (from, to) = args::range(options.from.as_ref(), options.to.as_ref())?;
    let offset = args::timezone(options.timezone.as_deref())?;
    let data_end = ds.time_span.map_or(i64::MIN, |(_, last)| last);
    // Segments are evaluated at the end of the cohort range, or just after the data.
    let as_of = if to < i64::MAX { to } else { data_end }.saturating_add(1);
    let mut breakdown = options
        .breakdown
        .as_ref()
        .map(|arg| breakdown::Breakdown::resolve(ds, arg, as_of))
        .transpose()?;
    let plan = Plan {
        start,
        ret,
        period,
        offset,
        periods,
        mode,
        cumulative: options.cumulative.unwrap_or(false),
        revenue,
        breakdown_limit,
        from,
        to,
        data_end,
    };
    let rows = cells::accumulate(ds, &plan, breakdown.as_mut());
    Ok(result::finish(&plan, &rows.rows, breakdown.as_ref()))
}
