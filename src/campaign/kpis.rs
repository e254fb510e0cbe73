//! Recipients summed into KPI rows: counts, rates with Wilson intervals, revenue,
//! cost, ROI and goal achievement.

use std::collections::BTreeMap;

use crate::json::ToJson;

use super::recipients::{Recipient, CLICKED, CONVERTED, DELIVERED, OPENED, PREVIOUS_BUYER};
use crate::error::{InsituError, Result};
use crate::stats::{wilson, Rate};
use crate::time::MICROS_PER_MS;

/// Sums over a set of recipients.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Pairs (customer, campaign) with a message.
    pub recipients: u64,
    /// ... delivered.
    pub delivered: u64,
    /// ... opened.
    pub opens: u64,
    /// ... clicked.
    pub clicks: u64,
    /// ... with an attributed conversion.
    pub converters: u64,
    /// Attributed conversions.
    pub conversions: u64,
    /// Attributed order amounts.
    pub revenue: f64,
    /// Delivered pairs whose customer had converted before.
    pub previous_buyers: u64,
    /// ... who converted again within the window.
    pub returning: u64,
    /// Allocated cost.
    pub cost: f64,
    /// Pairs of campaigns without a cost.
    pub uncosted: u64,
    /// Earliest first message (microseconds).
    pub first: i64,
    /// Latest first message (microseconds).
    pub last: i64,
}

impl Totals {
    /// Adds one recipient with its allocated cost (`None` when its campaign has none).
    pub fn add(&mut self, r: &Recipient, cost: Option<f64>) {
        if self.recipients == 0 {
            self.first = r.first_seen;
            self.last = r.first_seen;
        } else {
            self.first = self.first.min(r.first_seen);
            self.last = self.last.max(r.first_seen);
        }
        self.recipients += 1;
        let delivered = r.has(DELIVERED);
        self.delivered += u64::from(delivered);
        self.opens += u64::from(r.has(OPENED));
        self.clicks += u64::from(r.has(CLICKED));
        if delivered {
            self.converters += u64::from(r.has(CONVERTED));
            self.conversions += u64::from(r.conversions);
            self.revenue += r.revenue;
            if r.has(PREVIOUS_BUYER) {
                self.previous_buyers += 1;
                self.returning += u64::from(r.has(CONVERTED));
            }
        }
        match cost {
            Some(c) => self.cost += c,
            None => self.uncosted += 1,
        }
    }
}

/// A named goal and how far the row got.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Goal {
    /// The metric, e.g. `conversionRate`.
    pub metric: String,
    /// The target value.
    pub target: f64,
    /// The row's value (null when undefined, e.g. ROI without cost).
    pub actual: Option<f64>,
    /// `actual / target * 100`.
    pub achievement: Option<f64>,
    /// `actual >= target`.
    pub met: bool,
}

/// The KPIs of one campaign, breakdown value or the total.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct KpiRow {
    /// Campaign name, breakdown value, or `total`.
    pub name: String,
    /// Earliest message of the row (epoch ms).
    pub first_sent: Option<f64>,
    /// Latest first message of a recipient (epoch ms).
    pub last_sent: Option<f64>,
    /// Recipients (customer-campaign pairs sent a message).
    pub recipients: u64,
    /// Delivered recipients.
    pub delivered: u64,
    /// Unique opens (null when opens are not tracked).
    pub opens: Option<u64>,
    /// Unique clicks (null when clicks are not tracked).
    pub clicks: Option<u64>,
    /// Delivered recipients with a conversion attributed.
    pub converters: u64,
    /// Conversions attributed.
    pub conversions: u64,
    /// Revenue of the orders attributed.
    pub revenue: f64,
    /// Delivered recipients who had converted before the message.
    pub previous_buyers: u64,
    /// Previous buyers who converted again (attributed).
    pub returning_converters: u64,
    /// opens / delivered.
    pub open_rate: Option<Rate>,
    /// clicks / delivered.
    pub ctr: Option<Rate>,
    /// clicks / opens.
    pub click_to_open: Option<Rate>,
    /// converters / delivered.
    pub conversion_rate: Rate,
    /// returning converters / previous buyers.
    pub return_customer_rate: Rate,
    /// revenue / recipients.
    pub revenue_per_recipient: Option<f64>,
    /// Cost (null unless every campaign in the row has one).
    pub cost: Option<f64>,
    /// (revenue - cost) / cost.
    pub roi: Option<f64>,
    /// Goal achievement, one per target.
    pub goals: Vec<Goal>,
}

/// What rows report on opens and clicks.
#[derive(Debug, Clone, Copy)]
pub struct Tracking {
    /// Opens are tracked.
    pub opens: bool,
    /// Clicks are tracked.
    pub clicks: bool,
    /// Costs were given.
    pub costs: bool,
    /// `1 - confidence`.
    pub alpha: f64,
}

/// The metrics `kpiTrend` follows and `targets` name.
pub const METRICS: &[&str] = &[
    "recipients",
    "delivered",
    "opens",
    "clicks",
    "converters",
    "conversions",
    "revenue",
    "cost",
    "openRate",
    "ctr",
    "clickToOpen",
    "conversionRate",
    "returnCustomerRate",
    "revenuePerRecipient",
    "roi",
];

impl KpiRow {
    /// The row of `t`.
    pub fn new(name: String, t: &Totals, k: Tracking) -> KpiRow {
        let f = |v: u64| v as f64;
        let rate = |x: u64, n: u64| wilson(f(x), f(n), k.alpha);
        let cost = (k.costs && t.uncosted == 0 && t.recipients > 0).then_some(t.cost);
        let ms = |us: i64| us.div_euclid(MICROS_PER_MS) as f64;
        KpiRow {
            name,
            first_sent: (t.recipients > 0).then(|| ms(t.first)),
            last_sent: (t.recipients > 0).then(|| ms(t.last)),
            recipients: t.recipients,
            delivered: t.delivered,
            opens: k.opens.then_some(t.opens),
            clicks: k.clicks.then_some(t.clicks),
            converters: t.converters,
            conversions: t.conversions,
            revenue: t.revenue,
            previous_buyers: t.previous_buyers,
            returning_converters: t.returning,
            open_rate: k.opens.then(|| rate(t.opens, t.delivered)),
            ctr: k.clicks.then(|| rate(t.clicks, t.delivered)),
            click_to_open: (k.opens && k.clicks).then(|| rate(t.clicks, t.opens)),
            conversion_rate: rate(t.converters, t.delivered),
            return_customer_rate: rate(t.returning, t.previous_buyers),
            revenue_per_recipient: (t.recipients > 0).then(|| t.revenue / f(t.recipients)),
            cost,
            roi: cost.filter(|&c| c > 0.0).map(|c| (t.revenue - c) / c),
            goals: Vec::new(),
        }
    }

    /// The value of `metric` (one of [`METRICS`]), with its interval for rates.
    pub fn metric(&self, metric: &str) -> Option<Rate> {
        let plain = |v: f64| Rate {
            value: v,
            low: f64::NAN,
            high: f64::NAN,
        };
        let n = |v: u64| Some(plain(v as f64));
        match metric {
            "recipients" => n(self.recipients),
            "delivered" => n(self.delivered),
            "opens" => self.opens.and_then(n),
            "clicks" => self.clicks.and_then(n),
            "converters" => n(self.converters),
            "conversions" => n(self.conversions),
            "revenue" => Some(plain(self.revenue)),
            "cost" => self.cost.map(plain),
            "openRate" => self.open_rate,
            "ctr" => self.ctr,
            "clickToOpen" => self.click_to_open,
            "conversionRate" => Some(self.conversion_rate),
            "returnCustomerRate" => Some(self.return_customer_rate),
            "revenuePerRecipient" => self.revenue_per_recipient.map(plain),
            "roi" => self.roi.map(plain),
            _ => None,
        }
        .filter(|r| r.value.is_finite())
    }

    /// Fills `goals` from validated targets.
    pub fn score(&mut self, targets: &BTreeMap<String, f64>) {
        self.goals = targets
            .iter()
            .map(|(metric, &target)| {
                let actual = self.metric(metric).map(|r| r.value);
                Goal {
                    metric: metric.clone(),
                    target,
                    actual,
                    achievement: actual.map(|a| a / target * 100.0),
                    met: actual.is_some_and(|a| a >= target),
                }
            })
            .collect();
    }
}

/// Checks a metric name for `option`.
pub fn check_metric(option: &str, metric: &str) -> Result<()> {
    if METRICS.contains(&metric) {
        Ok(())
    } else {
        Err(InsituError::bad_option(
            option,
            format!(
                "unknown metric \"{metric}\"; the metrics are: {}",
                METRICS.join(", ")
            ),
        ))
    }
}

/// Checks `targets`: known metrics (not cost, where lower is better), positive values.
pub fn check_targets(targets: &BTreeMap<String, f64>) -> Result<()> {
    for (metric, &value) in targets {
        let option = format!("targets.{metric}");
        check_metric(&option, metric)?;
        if metric == "cost" {
            return Err(InsituError::bad_option(
                option,
                "cost is not a goal (lower is better); set a target for roi instead",
            ));
        }
        if !(value.is_finite() && value > 0.0) {
            return Err(InsituError::bad_option(
                option,
                format!("{value} is not a positive number"),
            ));
        }
    }
    Ok(())
}
