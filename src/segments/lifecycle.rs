//! Lifecycle per period (SEMANTICS.md, "Lifecycle"): for each period p, how many
//! customers were new, returning, resurrecting and dormant.
//!
//! Activity is any event, any order, and — when the customers table has a signup time —
//! the signup itself. For a customer with active periods a_0 < a_1 < ...:
//! - **new** in a_0 (the first active period);
//! - **returning** in a_i when a_{i-1} = a_i - 1;
//! - **resurrecting** in a_i when a_{i-1} < a_i - 1;
//! - **dormant** in a_i + 1 when a_{i+1} != a_i + 1 (the first inactive period after a
//!   run of activity; counted once per gap, not in every inactive period).
//!
//! Choices where SEMANTICS is silent (also in `docs/retention-lifecycle.md`):
//! - Counting the signup as activity is how "new by signup time" is read: a customer
//!   who signed up in period s and is first seen (event/order) in a later period p was
//!   new in s, dormant in s + 1 (unless active then) and is resurrecting in p (returning
//!   if p = s + 1). A signup after the first event does not move "new" later: the first
//!   active period is the earlier of the two, so every period stays classifiable.
//! - Periods listed run from the period holding `from` to the period holding `to`,
//!   defaulting to the first and last activity (events, orders, signups) in the data;
//!   empty periods are listed with zeros. Activity before `from` still decides whether a
//!   customer is returning or resurrecting in the listed periods.
//! - At most [`MAX_LIFECYCLE_PERIODS`] periods; a longer span is a `bad_option` on `from`.

use crate::json::{FromJson, ToJson};

use crate::data::properties::NULL_TIME;
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::retention::args;
use crate::retention::TimeArg;
use crate::time::{Period, MICROS_PER_MS};

/// Most periods a lifecycle table may list.
pub const MAX_LIFECYCLE_PERIODS: i64 = 100_000;

/// Options of [`lifecycle`] (camelCase; unknown fields are errors).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct LifecycleOptions {
    /// `"day"`, `"week"` (default) or `"month"`.
    pub period: Option<String>,
    /// First period listed: the one holding this time (default: the first activity).
    pub from: Option<TimeArg>,
    /// Last period listed: the one holding this time (default: the last activity).
    pub to: Option<TimeArg>,
    /// Fixed UTC offset for period boundaries, e.g. `"+09:00"`; default UTC.
    pub timezone: Option<String>,
}

/// Counts of one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct LifecyclePeriod {
    /// Start of the period, epoch milliseconds.
    pub start: i64,
    /// Customers whose first active period this is.
    pub new: u64,
    /// Customers active in this period and the one before.
    pub returning: u64,
    /// Customers active in this period, not in the one before, but earlier.
    pub resurrecting: u64,
    /// Customers active in the period before and not in this one.
    pub dormant: u64,
}

/// The lifecycle table.
#[derive(Debug, Clone, Default, PartialEq, Eq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Lifecycle {
    /// Every period of the range, in order.
    pub periods: Vec<LifecyclePeriod>,
}

/// The signup time of customer `c`, if the customers table gives one.
pub(crate) fn signup(ds: &Dataset, c: usize) -> Option<i64> {
    ds.customers
        .signup
        .as_ref()
        .and_then(|s| s.get(c).copied())
        .filter(|&t| t != NULL_TIME)
}

/// Pushes period `p` unless it repeats the last one.
fn push_distinct(out: &mut Vec<i64>, p: i64) {
    if out.last() != Some(&p) {
        out.push(p);
    }
}

/// The sorted distinct active periods of customer `c` (a merge of the customer's
/// time-sorted events and orders, with the signup put in its place).
fn active_periods(ds: &Dataset, c: usize, index: impl Fn(i64) -> i64, out: &mut Vec<i64>) {
    out.clear();
    let events = &ds.events.time[ds.events.rows(c)];
    let orders = &ds.orders.time[ds.orders.rows(c)];
    let mut signup = signup(ds, c);
    let (mut i, mut j) = (0, 0);
    loop {
        let next = match (events.get(i), orders.get(j)) {
            (Some(&e), Some(&o)) if e <= o => {
                i += 1;
                e
            }
            (_, Some(&o)) => {
                j += 1;
                o
            }
            (Some(&e), None) => {
                i += 1;
                e
            }
            (None, None) => break,
        };
        if let Some(s) = signup.filter(|&s| s <= next) {
            push_distinct(out, index(s));
            signup = None;
        }
        push_distinct(out, index(next));
    }
    if let Some(s) = signup {
        push_distinct(out, index(s));
    }
}

/// The lifecycle counts of `ds` per period.
///
/// ```
/// # use insitu::segments::lifecycle::{lifecycle, LifecycleOptions};
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// let table = lifecycle(ds, &LifecycleOptions { period: Some("month".into()), ..Default::default() })?;
/// for p in &table.periods {
///     println!("{} +{} ={} ^{} -{}", p.start, p.new, p.returning, p.resurrecting, p.dormant);
/// }
/// # Ok(()) }
/// ```
pub fn lifecycle(ds: &Dataset, options: &LifecycleOptions) -> Result<Lifecycle> {
    let period = args::period(options.period.as_deref(), Period::Week)?;
    let offset = args::timezone(options.timezone.as_deref())?;
    let (from, to) = args::range(options.from.as_ref(), options.to.as_ref())?;
    let index = |t: i64| period.index(t, offset);

    let mut span = ds.time_span;
    if let Some(s) = &ds.customers.signup {
        for &t in s.iter().filter(|&&t| t != NULL_TIME) {
            span = Some(span.map_or((t, t), |(a, b)| (a.min(t), b.max(t))));
        }
    }
    let Some((first, last)) = span else {
        return Ok(Lifecycle::default());
    };
    let lo = index(if from == i64::MIN { first } else { from });
    let hi = index(if to == i64::MAX { last } else { to });
    if hi < lo {
        // Only possible when one end defaults: e.g. `from` after all the data.
        return Ok(Lifecycle::default());
    }
    let count = hi - lo + 1;
    if count > MAX_LIFECYCLE_PERIODS {
        return Err(InsituError::bad_option(
            "from",
            format!(
                "the range spans {count} periods; at most {MAX_LIFECYCLE_PERIODS} are listed: narrow from/to or use a longer period"
            ),
        ));
    }
    let mut periods: Vec<LifecyclePeriod> = (lo..=hi)
        .map(|p| LifecyclePeriod {
            start: period.start(p, offset).div_euclid(MICROS_PER_MS),
            ..LifecyclePeriod::default()
        })
        .collect();
    let slot = |p: i64| (lo..=hi).contains(&p).then(|| (p - lo) as usize);

    let mut active = Vec::new();
    for c in 0..ds.num_customers() {
        active_periods(ds, c, index, &mut active);
        for (i, &p) in active.iter().enumerate() {
            if let Some(s) = slot(p) {
                let row = &mut periods[s];
                match i.checked_sub(1).map(|j| active[j]) {
                    None => row.new += 1,
                    Some(prev) if prev == p - 1 => row.returning += 1,
                    Some(_) => row.resurrecting += 1,
                }
            }
            if active.get(i + 1) != Some(&(p + 1)) {
                if let Some(s) = slot(p + 1) {
                    periods[s].dormant += 1;
                }
            }
        }
    }
    Ok(Lifecycle { periods })
}
