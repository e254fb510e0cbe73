//! `campaigns`: KPI rows per campaign, per breakdown value and in total.

use std::collections::BTreeMap;

use crate::json::ToJson;

use super::kpis::{check_targets, KpiRow, Totals, Tracking};
use super::options::{CampaignOptions, MessageOptions};
use super::recipients::{collect, Recipients};
use super::resolve::{dimension, list, NONE_LABEL};
use super::setup::{setup, Settings, Setup};
use crate::data::Dataset;
use crate::error::{InsituError, Result};

/// The rows of one breakdown.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Breakdown {
    /// The property or attribute broken down by.
    pub by: String,
    /// One row per value, most recipients first.
    pub rows: Vec<KpiRow>,
}

/// What `campaigns` returns.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct CampaignReport {
    /// One row per campaign, in order of first send.
    pub campaigns: Vec<KpiRow>,
    /// One entry per `by`.
    pub breakdowns: Vec<Breakdown>,
    /// All recipients together.
    pub total: KpiRow,
    /// Events, window and property used.
    pub settings: Settings,
}

/// Campaign KPIs; see [`super::recipients`] for the counting and attribution rules.
pub fn campaigns(ds: &Dataset, o: &CampaignOptions) -> Result<CampaignReport> {
    let messages = o.messages();
    let s = setup(ds, &messages)?;
    let by = o.by.clone().unwrap_or_default();
    let dims = by
        .iter()
        .enumerate()
        .map(|(i, name)| dimension(ds, &format!("by[{i}]"), name))
        .collect::<Result<Vec<_>>>()?;
    let targets = o.targets.clone().unwrap_or_default();
    check_targets(&targets)?;
    let recipients = collect(ds, &s, &dims);
    let costs = cost_per_recipient(&s, &recipients, &messages)?;
    let tracking = tracking(&s, &messages);
    let labels = s.campaign.labels;
    let label = |names: &[String], code: u32| {
        names
            .get(code as usize)
            .cloned()
            .unwrap_or_else(|| NONE_LABEL.to_owned())
    };

    let mut per_campaign = vec![Totals::default(); labels.len() + 1];
    let mut total = Totals::default();
    let mut per_dim: Vec<Vec<Totals>> = dims
        .iter()
        .map(|d| vec![Totals::default(); d.labels().len() + 1])
        .collect();
    for (i, r) in recipients.pairs.iter().enumerate() {
        let cost = costs[r.campaign as usize];
        per_campaign[r.campaign as usize].add(r, cost);
        total.add(r, cost);
        for (k, totals) in per_dim.iter_mut().enumerate() {
            totals[recipients.dims[k][i] as usize].add(r, cost);
        }
    }
    let row = |name: String, t: &Totals| {
        let mut row = KpiRow::new(name, t, tracking);
        row.score(&targets);
        row
    };
    let mut campaign_rows: Vec<(i64, KpiRow)> = per_campaign
        .iter()
        .enumerate()
        .filter(|(_, t)| t.recipients > 0)
        .map(|(code, t)| (t.first, row(label(labels, code as u32), t)))
        .collect();
    crate::sorting::sort_by(&mut campaign_rows, &|a, b| {
        a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name))
    });
    let breakdowns = per_dim
        .iter()
        .zip(&dims)
        .zip(&by)
        .map(|((totals, d), name)| {
            let mut rows: Vec<KpiRow> = totals
                .iter()
                .enumerate()
                .filter(|(_, t)| t.recipients > 0)
                .map(|(code, t)| row(label(d.labels(), code as u32), t))
                .collect();
            crate::sorting::sort_by(&mut rows, &|a, b| {
                b.recipients
                    .cmp(&a.recipients)
                    .then_with(|| a.name.cmp(&b.name))
            });
            Breakdown {
                by: name.clone(),
                rows,
            }
        })
        .collect();
    Ok(CampaignReport {
        campaigns: campaign_rows.into_iter().map(|(_, r)| r).collect(),
        breakdowns,
        total: row("total".into(), &total),
        settings: s.settings.clone(),
    })
}

/// What the rows report, from the setup and options.
pub fn tracking(s: &Setup, o: &MessageOptions) -> Tracking {
    Tracking {
        opens: s.opened.is_some(),
        clicks: s.clicked.is_some(),
        costs: o.costs.is_some(),
        alpha: s.alpha,
    }
}

/// Each campaign's cost spread evenly over its recipients (so breakdowns and trends can
/// sum it): cost per recipient by campaign code, `None` for campaigns without a cost.
pub fn cost_per_recipient(
    s: &Setup,
    recipients: &Recipients,
    o: &MessageOptions,
) -> Result<Vec<Option<f64>>> {
    let labels = s.campaign.labels;
    let mut out = vec![None; labels.len() + 1];
    let Some(costs) = &o.costs else {
        return Ok(out);
    };
    let mut counts = vec![0u64; labels.len() + 1];
    for r in &recipients.pairs {
        counts[r.campaign as usize] += 1;
    }
    let present = || {
        list(
            counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(code, _)| labels.get(code).map_or(NONE_LABEL, String::as_str)),
        )
    };
    for (name, &cost) in costs {
        let option = format!("costs.{name}");
        if !(cost.is_finite() && cost >= 0.0) {
            return Err(InsituError::bad_option(
                option,
                format!("{cost} is not a cost (a number >= 0)"),
            ));
        }
        let code = if name == NONE_LABEL {
            Some(labels.len())
        } else {
            labels.iter().position(|l| l == name)
        };
        match code.filter(|&c| counts[c] > 0) {
            Some(c) => out[c] = Some(cost / counts[c] as f64),
            None => {
                return Err(InsituError::bad_option(
                    option,
                    format!(
                        "no campaign \"{name}\" among the messages; the campaigns are: {}",
                        present()
                    ),
                ))
            }
        }
    }
    Ok(out)
}

/// Totals keyed by anything ordered (used by the trend).
pub type Grouped<K> = BTreeMap<K, Totals>;
