//! Accumulated rows -> the result: cohorts in period order with `null` future cells,
//! rates, the weighted mean curve, and breakdown values past the limit folded into
//! "Other".

use std::collections::BTreeMap;

use crate::json::ToJson;
use hashbrown::HashMap;

use super::breakdown::Breakdown;
use super::cells::Row;
use super::Plan;
use crate::data::NULL_CODE;
use crate::time::MICROS_PER_MS;

/// One cohort: the customers who started in one period.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct RetentionCohort {
    /// Start of the cohort period, epoch milliseconds.
    pub start: i64,
    /// Customers in the cohort.
    pub size: u64,
    /// `counts[k]`, k = 0..periods-1: customers with a return event `k` periods after the
    /// cohort period (`counts[0]` = size), or revenue in revenue mode; `None` for periods
    /// that start after the data's last event or order.
    pub counts: Vec<Option<f64>>,
    /// `counts[k] / size` (in revenue mode: revenue per cohort customer).
    pub rates: Vec<Option<f64>>,
}

/// The cohorts of one breakdown value.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct RetentionGroup {
    /// The value; `"Other"` for values past the limit, `None` for customers without one.
    pub value: Option<String>,
    /// Customers over all its cohorts (a recurring customer counts once per cohort).
    pub size: u64,
    /// Its cohorts, in period order.
    pub cohorts: Vec<RetentionCohort>,
    /// Its weighted mean curve.
    pub mean: Vec<Option<f64>>,
}

/// A retention table.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Retention {
    /// Non-empty cohorts, in period order.
    pub cohorts: Vec<RetentionCohort>,
    /// For each k: the sum of the non-null `counts[k]` over the sum of the sizes of the
    /// cohorts whose cell k is non-null (`None` when no cohort reaches k).
    pub mean: Vec<Option<f64>>,
    /// Per breakdown value, when a breakdown was asked for.
    pub breakdown: Option<Vec<RetentionGroup>>,
}

/// Cohort period -> (size, summed cells).
type Merged = BTreeMap<i64, (u64, Vec<f64>)>;

/// Adds `row` into the cohort of its period.
fn add(merged: &mut Merged, row: &Row, width: usize) {
    let entry = merged
        .entry(row.period)
        .or_insert_with(|| (0, vec![0.0; width]));
    entry.0 += row.size;
    for (sum, x) in entry.1.iter_mut().zip(&row.cells) {
        *sum += x;
    }
}

/// Cohorts and mean curve of merged rows.
fn table(plan: &Plan, merged: Merged) -> (Vec<RetentionCohort>, Vec<Option<f64>>) {
    let width = plan.periods;
    let mut sums = vec![(0.0f64, 0u64); width];
    let cohorts = merged
        .into_iter()
        .map(|(period, (size, mut cells))| {
            if !plan.revenue {
                cells[0] = size as f64;
            }
            let mut counts = Vec::with_capacity(width);
            let mut running = 0.0;
            for (k, &cell) in cells.iter().enumerate() {
                // Null when the period c+k starts after the data's last timestamp.
                let start = plan.period.start(period + k as i64, plan.offset);
                if start > plan.data_end {
                    counts.push(None);
                    continue;
                }
                running += cell;
                // Cumulative revenue is the running total through k (a cohort LTV curve).
                let value = if plan.revenue && plan.cumulative {
                    running
                } else {
                    cell
                };
                sums[k].0 += value;
                sums[k].1 += size;
                counts.push(Some(value));
            }
            let rates = counts.iter().map(|c| c.map(|v| v / size as f64)).collect();
            RetentionCohort {
                start: plan
                    .period
                    .start(period, plan.offset)
                    .div_euclid(MICROS_PER_MS),
                size,
                counts,
                rates,
            }
        })
        .collect();
    let mean = sums
        .into_iter()
        .map(|(total, sizes)| (sizes > 0).then(|| total / sizes as f64))
        .collect();
    (cohorts, mean)
}

/// The result of the pass: the overall table and, with a breakdown, one per value.
pub fn finish(plan: &Plan, rows: &[Row], breakdown: Option<&Breakdown>) -> Retention {
    let mut all = Merged::new();
    for row in rows {
        add(&mut all, row, plan.periods);
    }
    let (cohorts, mean) = table(plan, all);
    let breakdown = breakdown.map(|b| groups(plan, rows, b));
    Retention {
        cohorts,
        mean,
        breakdown,
    }
}

/// One group per kept value (largest first), then "Other", then the missing value.
fn groups(plan: &Plan, rows: &[Row], b: &Breakdown) -> Vec<RetentionGroup> {
    let mut sizes: HashMap<u32, u64> = HashMap::new();
    for row in rows.iter().filter(|r| r.group != NULL_CODE) {
        *sizes.entry(row.group).or_default() += row.size;
    }
    let mut ranked: Vec<(u64, String, u32)> = sizes
        .iter()
        .map(|(&code, &size)| (size, b.label(code), code))
        .collect();
    // Largest first; equal sizes by label so the order is stable.
    crate::sorting::sort_by(&mut ranked, &|x, y| {
        y.0.cmp(&x.0).then_with(|| x.1.cmp(&y.1))
    });
    ranked.truncate(plan.breakdown_limit);
    let other = ranked.len();
    let missing = other + 1;
    let slot: HashMap<u32, usize> = ranked.iter().enumerate().map(|(i, r)| (r.2, i)).collect();
    let mut merged = vec![Merged::new(); missing + 1];
    for row in rows {
        let s = if row.group == NULL_CODE {
            missing
        } else {
            slot.get(&row.group).copied().unwrap_or(other)
        };
        add(&mut merged[s], row, plan.periods);
    }
    let values = ranked
        .into_iter()
        .map(|r| Some(r.1))
        .chain([Some("Other".to_owned()), None]);
    merged
        .into_iter()
        .zip(values)
        .filter(|(m, _)| !m.is_empty())
        .map(|(m, value)| {
            let size = m.values().map(|(s, _)| s).sum();
            let (cohorts, mean) = table(plan, m);
            RetentionGroup {
                value,
                size,
                cohorts,
                mean,
            }
        })
        .collect()
}
