//! `ds.rfm(options)`: the per-customer RFM table and a summary per named segment.

use crate::json::{FromJson, ToJson};

use super::medians::group_medians;
use super::rfm::{score, Monetary, RfmConfig, RfmScores, RfmSettings, Thresholds};
use super::rfm_rules::RfmRule;
use super::when::{as_of, TimeValue};
use crate::data::{Dataset, ResultTable};
use crate::error::Result;
use crate::time::MICROS_PER_MS;

/// Options of [`rfm`] (camelCase; unknown fields are errors).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct RfmOptions {
    /// Only orders before this time count; default UTC midnight after the last event or
    /// order.
    pub as_of: Option<TimeValue>,
    /// Scores run 1..bins; 2 to 10, default 5.
    pub bins: Option<f64>,
    /// `"total"` (default) or `"mean"` order amount.
    pub monetary: Option<Monetary>,
    /// Custom segment rules (score ranges) replacing the standard table.
    pub segments: Option<Vec<RfmRule>>,
    /// Add each customer's last order time to the table as `last_order` (default false:
    /// recency already says how long ago it was).
    pub last_order: Option<bool>,
}

impl RfmOptions {
    /// The settings shared with rule fields.
    pub fn settings(&self) -> RfmSettings {
        RfmSettings {
            bins: self.bins,
            monetary: self.monetary,
            segments: self.segments.clone(),
        }
    }
}

/// Figures of one named segment.
#[derive(Debug, Clone, Default, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct RfmSegmentSummary {
    /// The segment name.
    pub segment: String,
    /// Customers in the segment.
    pub customers: usize,
    /// `customers` over all scored customers.
    pub share: f64,
    /// Total order amount before asOf.
    pub revenue: f64,
    /// `revenue` over all scored customers' revenue.
    pub revenue_share: Option<f64>,
    /// Orders before asOf.
    pub orders: usize,
    /// Mean order amount over the segment's orders.
    pub mean_order_value: Option<f64>,
    /// Median order amount over the segment's orders.
    pub median_order_value: Option<f64>,
    /// Mean recency, days.
    pub mean_recency: Option<f64>,
    /// Mean frequency, orders per customer.
    pub mean_frequency: Option<f64>,
    /// Mean monetary value.
    pub mean_monetary: Option<f64>,
}

/// What [`rfm`] returns (the per-customer table comes from [`RfmReport::table`]).
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct RfmReport {
    /// The as-of date, epoch ms.
    pub as_of: f64,
    /// Number of score bins.
    pub bins: u8,
    /// Total or mean.
    pub monetary: Monetary,
    /// Customers scored (with an order before asOf). (`customers` is the per-customer
    /// table in JS.)
    pub scored: usize,
    /// The thresholds (`bins - 1` interior quantiles of each measure).
    pub thresholds: Thresholds,
    /// One row per segment, in rule order, then "Others" (segments without customers too).
    pub segments: Vec<RfmSegmentSummary>,
    /// Notes, e.g. segment rules that can never match.
    pub warnings: Vec<String>,
    /// The scores behind the table.
    #[json(skip)]
    pub scores: RfmScores,
}

impl RfmReport {
    /// The per-customer table: customer_id, recency (days), frequency, monetary, r, f, m,
    /// score (`"545"`), segment, and last_order when asked for.
    pub fn table(&self) -> ResultTable {
        self.scores.clone().into_table()
    }
}

/// RFM scores and named segments at `asOf`, with per-segment figures.
///
/// ```
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// use insitu::segments::{rfm, RfmOptions};
/// let report = rfm(ds, &RfmOptions { bins: Some(5.0), ..Default::default() })?;
/// println!("{} champions", report.segments[0].customers);
/// # Ok(()) }
/// ```
pub fn rfm(ds: &Dataset, options: &RfmOptions) -> Result<RfmReport> {
    let config = RfmConfig {
        last_order: options.last_order.unwrap_or(false),
        ..RfmConfig::resolve(&options.settings(), "")?
    };
    let as_of = as_of(ds, "asOf", options.as_of.as_ref())?;
    let scores = score(ds, as_of, &config, "asOf")?;
    let segments = summarise(ds, &scores);
    Ok(RfmReport {
        as_of: as_of as f64 / MICROS_PER_MS as f64,
        bins: scores.bins,
        monetary: config.monetary,
        scored: scores.customers.len(),
        thresholds: scores.thresholds.clone(),
        segments,
        warnings: scores.warnings.clone(),
        scores,
    })
}

fn summarise(ds: &Dataset, s: &RfmScores) -> Vec<RfmSegmentSummary> {
    let k = s.labels.len();
    let mut rows: Vec<RfmSegmentSummary> = s
        .labels
        .iter()
        .map(|l| RfmSegmentSummary {
            segment: l.clone(),
            ..Default::default()
        })
        .collect();
    // Per segment: customers, orders, and the sums of revenue, recency and monetary
    // value, in one pass over the columns.
    let mut sums = vec![Sums::default(); k];
    let columns = s.segment.iter().zip(&s.frequency).zip(s.revenue());
    for (((&g, &orders), &revenue), (&recency, &monetary)) in
        columns.zip(s.recency.iter().zip(&s.monetary))
    {
        if let Some(sum) = sums.get_mut(usize::from(g)) {
            sum.customers += 1;
            sum.orders += u64::from(orders);
            sum.revenue += revenue;
            sum.recency += recency;
            sum.monetary += monetary;
        }
    }
    for (row, sum) in rows.iter_mut().zip(&sums) {
        row.customers = sum.customers as usize;
        row.orders = sum.orders as usize;
        row.revenue = sum.revenue;
    }
    // Median order value: over each segment's orders, never gathered into lists.
    let medians = group_medians(
        k,
        &ds.orders.amount,
        &s.segment,
        &s.first_order_row,
        &s.frequency,
    );
    let total_customers = s.customers.len() as f64;
    let total_revenue: f64 = rows.iter().map(|r| r.revenue).sum();
    for (g, row) in rows.iter_mut().enumerate() {
        let n = row.customers as f64;
        row.share = n / total_customers;
        row.revenue_share = (total_revenue != 0.0).then(|| row.revenue / total_revenue);
        let per = |sum: f64| (row.customers > 0).then(|| sum / n);
        row.mean_recency = per(sums[g].recency);
        row.mean_frequency = per(sums[g].orders as f64);
        row.mean_monetary = per(sums[g].monetary);
        row.mean_order_value = (row.orders > 0).then(|| row.revenue / row.orders as f64);
        row.median_order_value = medians.get(g).copied().flatten();
    }
    rows
}

/// A segment's running totals in [`summarise`].
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    customers: u64,
    orders: u64,
    revenue: f64,
    recency: f64,
    monetary: f64,
}
