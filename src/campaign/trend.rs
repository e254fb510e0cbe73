//! `kpiTrend`: one KPI per period of the message's send, optionally one series per
//! campaign, channel or other breakdown value.

use crate::json::ToJson;

use super::kpis::{check_metric, KpiRow};
use super::options::KpiTrendOptions;
use super::recipients::collect;
use super::report::{cost_per_recipient, tracking, Grouped};
use super::resolve::{dimension, Dimension, NONE_LABEL};
use super::setup::{setup, Settings};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{parse_offset, Period, MICROS_PER_MS};

/// One value of the series.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct TrendPoint {
    /// Start of the period (epoch ms).
    pub period: f64,
    /// Series name: `all`, or the breakdown value.
    pub group: String,
    /// The metric (null when undefined, e.g. a rate over nobody).
    pub value: Option<f64>,
    /// Lower interval bound, for rates.
    pub low: Option<f64>,
    /// Upper interval bound, for rates.
    pub high: Option<f64>,
    /// Recipients behind the value.
    pub recipients: u64,
}

/// What `kpiTrend` returns.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct KpiTrend {
    /// The metric followed.
    pub metric: String,
    /// The period.
    pub period: Period,
    /// Points by period, then group; periods without messages are absent.
    pub points: Vec<TrendPoint>,
    /// Events, window and property used.
    pub settings: Settings,
}

/// A recipient's messages belong to the period of its first message, and so do the
/// conversions attributed to it (even if they fall in a later period).
pub fn kpi_trend(ds: &Dataset, o: &KpiTrendOptions) -> Result<KpiTrend> {
    let messages = o.messages();
    let s = setup(ds, &messages)?;
    let metric = o.metric.clone().unwrap_or_else(|| "conversionRate".into());
    check_metric("metric", &metric)?;
    let period = match &o.period {
        Some(p) => Period::parse("period", p)?,
        None => Period::Week,
    };
    let offset = match &o.timezone {
        None => 0,
        Some(tz) => parse_offset(tz).ok_or_else(|| {
            InsituError::bad_option(
                "timezone",
                format!("\"{tz}\" is not a fixed UTC offset such as \"+09:00\" or \"Z\""),
            )
        })?,
    };
    let dims: Vec<Dimension> = match &o.by {
        Some(name) if name != &s.settings.campaign => vec![dimension(ds, "by", name)?],
        _ => Vec::new(),
    };
    let recipients = collect(ds, &s, &dims);
    let costs = cost_per_recipient(&s, &recipients, &messages)?;
    let tracking = tracking(&s, &messages);
    let by_campaign = o.by.as_ref() == Some(&s.settings.campaign);
    let mut groups: Grouped<(i64, u32)> = Grouped::new();
    for (i, r) in recipients.pairs.iter().enumerate() {
        let group = if by_campaign {
            r.campaign
        } else {
            dims.first().map_or(0, |_| recipients.dims[0][i])
        };
        let key = (period.index(r.first_seen, offset), group);
        groups
            .entry(key)
            .or_default()
            .add(r, costs[r.campaign as usize]);
    }
    let labels: Option<&[String]> = if by_campaign {
        Some(s.campaign.labels)
    } else {
        dims.first().map(|d| d.labels())
    };
    let points = groups
        .iter()
        .map(|(&(index, group), totals)| {
            let name = match labels {
                None => "all".to_owned(),
                Some(l) => l
                    .get(group as usize)
                    .cloned()
                    .unwrap_or_else(|| NONE_LABEL.to_owned()),
            };
            let row = KpiRow::new(name, totals, tracking);
            let value = row.metric(&metric);
            let finite = |v: f64| v.is_finite().then_some(v);
            TrendPoint {
                period: period.start(index, offset).div_euclid(MICROS_PER_MS) as f64,
                value: value.map(|v| v.value),
                low: value.and_then(|v| finite(v.low)),
                high: value.and_then(|v| finite(v.high)),
                recipients: totals.recipients,
                group: row.name,
            }
        })
        .collect();
    Ok(KpiTrend {
        metric,
        period,
        points,
        settings: s.settings,
    })
}
