//! The AARRR ("pirate metrics") preset: an ordered funnel over the five stage events, and
//! each stage's key figures (SEMANTICS.md, Funnels).
//!
//! Stages in the canonical order acquisition, activation, retention, referral, revenue;
//! the default events fit the sample shop. Figures count distinct customers in the date
//! range:
//! - acquisition: customers with the acquisition event, by the `source` of their first one;
//! - activation: signup rate = activated / acquired; first-purchase rate = buyers among the
//!   activated / activated;
//! - retention: revisit rate = acquired customers with the acquisition event on two or
//!   more distinct days / acquired; repeat-purchase rate = customers with 2+ orders / buyers;
//! - referral: referrers = customers with the referral event; viral coefficient = referral
//!   signup events / referrers;
//! - revenue: revenue, orders, average order value, LTV to date = revenue / buyers, and
//!   monthly revenue with the growth of the last complete month over the one before.
//!
//! Buyers and revenue come from the orders table; without one, from revenue events.

use std::collections::{BTreeMap, HashSet};

use crate::json::{FromJson, ToJson};

use crate::data::properties::{PropertyValues, NULL_CODE};
use crate::data::Dataset;
use crate::error::Result;
use crate::funnel::interval::ratio;
use crate::funnel::query::{DurationQuery, FunnelQuery, StepQuery};
use crate::funnel::report::{funnel, FunnelResult};
use crate::funnel::spec::FunnelSpec;
use crate::time::{Period, MICROS_PER_DAY, MICROS_PER_MS};

/// Options of `ds.aarrr()`.
#[derive(Debug, Clone, PartialEq, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct AarrrQuery {
    /// Acquisition event; default "visit".
    pub acquisition: Option<String>,
    /// Activation event; default "signup".
    pub activation: Option<String>,
    /// Retention event (a return after activation); default "visit".
    pub retention: Option<String>,
    /// Referral event; default "invite_sent".
    pub referral: Option<String>,
    /// Revenue event; default "purchase".
    pub revenue: Option<String>,
    /// Event logged (on the inviter) when an invitee signs up; default "referral_signup".
    pub referral_signup: Option<String>,
    /// Property of the acquisition event naming the source; default "source".
    pub source_property: Option<String>,
    /// Funnel window; default 30 days.
    pub window: Option<DurationQuery>,
    /// Only data at or after this time (epoch ms).
    pub from: Option<f64>,
    /// Only data at or before this time (epoch ms).
    pub to: Option<f64>,
    /// Fixed UTC offset for days and months, e.g. "+09:00".
    pub timezone: Option<String>,
    /// Steps whose event does not occur count zero instead of being an error.
    #[json(default)]
    pub allow_missing: bool,
}

/// Customers by acquisition source.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct SourceCount {
    /// The source, or "(none)".
    pub source: String,
    /// Customers whose first acquisition event had it.
    pub customers: usize,
}

/// Revenue of one month.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct MonthRevenue {
    /// Month start, epoch ms.
    pub start: f64,
    /// Revenue in the month.
    pub revenue: f64,
}

/// Each stage's key figures.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct AarrrFigures {
    /// Customers with the acquisition event.
    pub visitors: usize,
    /// Visitors by the source of their first acquisition event, most first.
    pub visitors_by_source: Vec<SourceCount>,
    /// Acquired customers with the activation event.
    pub activated: usize,
    /// `activated / visitors`.
    pub signup_rate: Option<f64>,
    /// Activated customers who bought.
    pub activated_buyers: usize,
    /// `activated_buyers / activated`.
    pub first_purchase_rate: Option<f64>,
    /// Visitors active on two or more distinct days.
    pub revisitors: usize,
    /// `revisitors / visitors`.
    pub revisit_rate: Option<f64>,
    /// Customers with at least one purchase.
    pub buyers: usize,
    /// Customers with two or more purchases.
    pub repeat_buyers: usize,
    /// `repeat_buyers / buyers`.
    pub repeat_purchase_rate: Option<f64>,
    /// Customers with the referral event.
    pub referrers: usize,
    /// Referral signup events.
    pub referral_signups: usize,
    /// `referral_signups / referrers`.
    pub viral_coefficient: Option<f64>,
    /// Total revenue.
    pub revenue: f64,
    /// Number of purchases.
    pub orders: usize,
    /// `revenue / orders`.
    pub average_order_value: Option<f64>,
    /// `revenue / buyers`: historical LTV to date.
    pub ltv: Option<f64>,
    /// Revenue per calendar month.
    pub revenue_by_month: Vec<MonthRevenue>,
    /// Growth of the last complete month's revenue over the month before.
    pub revenue_growth: Option<f64>,
}

/// What `ds.aarrr()` returns.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct AarrrResult {
    /// The stage funnel (steps named acquisition .. revenue).
    pub funnel: FunnelResult,
    /// Each stage's key figures.
    pub figures: AarrrFigures,
}

/// Runs the AARRR preset.
pub fn aarrr(ds: &Dataset, query: &AarrrQuery) -> Result<AarrrResult> {
    let name = |v: &Option<String>, d: &str| v.clone().unwrap_or_else(|| d.to_owned());
    let events = [
        name(&query.acquisition, "visit"),
        name(&query.activation, "signup"),
        name(&query.retention, "visit"),
        name(&query.referral, "invite_sent"),
        name(&query.revenue, "purchase"),
    ];
    let funnel_query = FunnelQuery {
        steps: events.iter().cloned().map(StepQuery::Event).collect(),
        window: Some(
            query
                .window
                .clone()
                .unwrap_or(DurationQuery::Millis(30.0 * 86_400_000.0)),
        ),
        from: query.from,
        to: query.to,
        timezone: query.timezone.clone(),
        allow_missing: query.allow_missing,
        ..FunnelQuery::default()
    };
    let spec = FunnelSpec::resolve(ds, &funnel_query)?;
    let mut result = funnel(ds, &spec);
    for (step, stage) in result.steps.iter_mut().zip([
        "acquisition",
        "activation",
        "retention",
        "referral",
        "revenue",
    ]) {
        step.name = format!("{stage}: {}", step.name);
    }
    let referral_signup = ds.event_code(&name(&query.referral_signup, "referral_signup"));
    let source = ds
        .events
        .property(&name(&query.source_property, "source"))
        .and_then(|p| match &p.values {
            PropertyValues::Categorical { codes, labels } => Some((codes, labels)),
            _ => None,
        });
    let [acquisition, activation, _, referral, revenue_event] =
        [0, 1, 2, 3, 4].map(|i| spec.steps[i].event);

    let (from, to, offset) = (spec.from, spec.to, spec.offset);
    let in_range = |t: i64| t >= from && t <= to;
    let mut f = Tally::default();
    let mut by_source: BTreeMap<u32, usize> = BTreeMap::new();
    let mut months: BTreeMap<i64, f64> = BTreeMap::new();
    let mut last_time = i64::MIN;
    let mut days = HashSet::new();
    for c in 0..ds.num_customers() {
        let (mut acquired, mut activated, mut referrer) = (false, false, false);
        let mut first_source = None;
        let mut purchases = 0usize;
        days.clear();
        for row in ds.events.rows(c) {
            let t = ds.events.time[row];
            if !in_range(t) {
                continue;
            }
            last_time = last_time.max(t);
            let code = Some(ds.events.event[row]);
            if code == acquisition {
                if !acquired {
                    first_source = Some(source.map_or(NULL_CODE, |(codes, _)| codes[row]));
                }
                acquired = true;
                days.insert((t + offset).div_euclid(MICROS_PER_DAY));
            }
            activated |= code == activation;
            referrer |= code == referral;
            if code == referral_signup && referral_signup.is_some() {
                f.referral_signups += 1;
            }
            if !ds.has_orders && code == revenue_event {
                purchases += 1;
                f.orders += 1;
            }
        }
        if ds.has_orders {
            for row in ds.orders.rows(c) {
                let t = ds.orders.time[row];
                if !in_range(t) {
                    continue;
                }
                last_time = last_time.max(t);
                purchases += 1;
                f.orders += 1;
                f.revenue += ds.orders.amount[row];
                *months.entry(Period::Month.index(t, offset)).or_default() += ds.orders.amount[row];
            }
        }
        if acquired {
            f.visitors += 1;
            *by_source
                .entry(first_source.unwrap_or(NULL_CODE))
                .or_default() += 1;
            f.revisitors += usize::from(days.len() >= 2);
            if activated {
                f.activated += 1;
                f.activated_buyers += usize::from(purchases > 0);
            }
        }
        f.buyers += usize::from(purchases > 0);
        f.repeat_buyers += usize::from(purchases >= 2);
        f.referrers += usize::from(referrer);
    }

    let mut visitors_by_source: Vec<SourceCount> = by_source
        .into_iter()
        .map(|(code, customers)| SourceCount {
            source: source
                .and_then(|(_, labels)| labels.get(code as usize).cloned())
                .unwrap_or_else(|| "(none)".to_owned()),
            customers,
        })
        .collect();
    crate::sorting::sort_by(&mut visitors_by_source, &|a, b| {
        b.customers
            .cmp(&a.customers)
            .then_with(|| a.source.cmp(&b.source))
    });
    let revenue_by_month: Vec<MonthRevenue> = months
        .iter()
        .map(|(&m, &revenue)| MonthRevenue {
            start: (Period::Month.start(m, offset) / MICROS_PER_MS) as f64,
            revenue,
        })
        .collect();
    // A month is complete when the data reaches its end.
    let complete: Vec<(i64, f64)> = months
        .iter()
        .filter(|(&m, _)| Period::Month.start(m + 1, offset) <= last_time.saturating_add(1))
        .map(|(&m, &r)| (m, r))
        .collect();
    let revenue_growth = match complete.as_slice() {
        [.., (pm, previous), (lm, latest)] if lm - pm == 1 && *previous > 0.0 => {
            Some(latest / previous - 1.0)
        }
        _ => None,
    };
    let figures = AarrrFigures {
        visitors: f.visitors,
        visitors_by_source,
        activated: f.activated,
        signup_rate: ratio(f.activated, f.visitors),
        activated_buyers: f.activated_buyers,
        first_purchase_rate: ratio(f.activated_buyers, f.activated),
        revisitors: f.revisitors,
        revisit_rate: ratio(f.revisitors, f.visitors),
        buyers: f.buyers,
        repeat_buyers: f.repeat_buyers,
        repeat_purchase_rate: ratio(f.repeat_buyers, f.buyers),
        referrers: f.referrers,
        referral_signups: f.referral_signups,
        viral_coefficient: ratio(f.referral_signups, f.referrers),
        revenue: f.revenue,
        orders: f.orders,
        average_order_value: (f.orders > 0 && ds.has_orders).then(|| f.revenue / f.orders as f64),
        ltv: (f.buyers > 0 && ds.has_orders).then(|| f.revenue / f.buyers as f64),
        revenue_by_month,
        revenue_growth,
    };
    Ok(AarrrResult {
        funnel: result,
        figures,
    })
}

#[derive(Default)]
struct Tally {
    visitors: usize,
    activated: usize,
    activated_buyers: usize,
    revisitors: usize,
    buyers: usize,
    repeat_buyers: usize,
    referrers: usize,
    referral_signups: usize,
    revenue: f64,
    orders: usize,
}
