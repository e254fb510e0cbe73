//! Aggregates per-customer outcomes into the funnel result: counts, conversions with
//! Wilson intervals, drop-off, time to convert, breakdown and trend.

use std::collections::BTreeMap;

use crate::json::ToJson;

use crate::data::properties::{PropertyValues, NULL_CODE};
use crate::data::Dataset;
use crate::funnel::interval::{ratio, wilson};
use crate::funnel::path::{Outcome, Path};
use crate::funnel::query::FunnelMode;
use crate::funnel::scratch::StepEvent;
use crate::funnel::spec::{Attribution, BreakdownSource, FunnelSpec};
use crate::funnel::timing::{summarize, TimeToConvert};
use crate::time::MICROS_PER_MS;

/// One step of the result.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct StepResult {
    /// 0-based position.
    pub index: usize,
    /// Display name.
    pub name: String,
    /// Customers who reached this step.
    pub count: usize,
    /// `count / count[0]`.
    pub conversion: Option<f64>,
    /// Wilson 95% interval of `conversion`.
    pub conversion_interval: Option<[f64; 2]>,
    /// `count / count[i - 1]` (1 for the first step).
    pub step_conversion: Option<f64>,
    /// Wilson 95% interval of `step_conversion`.
    pub step_conversion_interval: Option<[f64; 2]>,
    /// Customers who reached the previous step but not this one.
    pub drop_off: usize,
    /// `drop_off / count[i - 1]`.
    pub drop_off_rate: Option<f64>,
    /// Mean time from the previous step, ms (customers with a non-zero time).
    pub mean_time_ms: Option<f64>,
    /// Median time from the previous step, ms.
    pub median_time_ms: Option<f64>,
}

/// Counts of one breakdown value.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct BreakdownValue {
    /// The value; `"(none)"` for customers without one, `"Other"` for folded values.
    pub value: String,
    /// Per step: count, conversion and intervals (times are not broken down).
    pub steps: Vec<StepResult>,
}

/// The breakdown part of the result.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct BreakdownResult {
    /// The property or attribute.
    pub name: String,
    /// `"property"` or `"attribute"`.
    pub source: String,
    /// `"firstTouch"`, `"lastTouch"`, `"step 2"` or `"customer"`.
    pub attribution: String,
    /// Values by customers entering, most first.
    pub values: Vec<BreakdownValue>,
}

/// Entered and converted customers of one period of the step-1 event.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct TrendPoint {
    /// Period start, epoch ms.
    pub start: f64,
    /// Customers whose reported path started in the period.
    pub entered: usize,
    /// Of those, customers who completed the funnel.
    pub converted: usize,
    /// `converted / entered`.
    pub conversion: Option<f64>,
    /// Wilson 95% interval.
    pub conversion_interval: Option<[f64; 2]>,
}

/// Everything `ds.funnel()` returns.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct FunnelResult {
    /// `"ordered"`, `"strict"` or `"unordered"`.
    pub mode: String,
    /// The conversion window, ms.
    pub window_ms: f64,
    /// Per step.
    pub steps: Vec<StepResult>,
    /// Customers dropped because of exclusions.
    pub excluded: usize,
    /// Time between consecutive steps, and from the first to the last step.
    pub time_to_convert: Vec<TimeToConvert>,
    /// Per breakdown value, if asked.
    pub breakdown: Option<BreakdownResult>,
    /// Per period, if asked.
    pub trend: Option<Vec<TrendPoint>>,
}

/// The breakdown value (a label code) of a customer, or `NULL_CODE`.
fn breakdown_code(
    ds: &Dataset,
    spec: &FunnelSpec,
    customer: usize,
    path: &Path,
    events: &[StepEvent],
) -> u32 {
    let Some(b) = &spec.breakdown else {
        return NULL_CODE;
    };
    match &b.source {
        BreakdownSource::Segment { codes, .. } => codes.get(customer).copied().unwrap_or(NULL_CODE),
        BreakdownSource::CustomerAttribute { attribute } => {
            match &ds.customers.attributes[*attribute].values {
                PropertyValues::Categorical { codes, .. } => {
                    codes.get(customer).copied().unwrap_or(NULL_CODE)
                }
                _ => NULL_CODE,
            }
        }
        BreakdownSource::EventProperty {
            property,
            attribution,
        } => {
            let PropertyValues::Categorical { codes, .. } = &ds.events.properties[*property].values
            else {
                return NULL_CODE;
            };
            let value = |e: &StepEvent| codes[e.row as usize];
            let step_events = events.iter().filter(|e| e.steps != 0);
            match attribution {
                Attribution::FirstTouch => step_events
                    .map(value)
                    .find(|&c| c != NULL_CODE)
                    .unwrap_or(NULL_CODE),
                Attribution::LastTouch => step_events
                    .rev()
                    .map(value)
                    .find(|&c| c != NULL_CODE)
                    .unwrap_or(NULL_CODE),
                Attribution::Step(n) if path.reached > *n => codes[path.rows[*n] as usize],
                Attribution::Step(_) => NULL_CODE,
            }
        }
    }
}

fn labels(ds: &Dataset, spec: &FunnelSpec) -> Vec<String> {
    let values = match spec.breakdown.as_ref().map(|b| &b.source) {
        Some(BreakdownSource::Segment { labels, .. }) => return labels.clone(),
        Some(BreakdownSource::CustomerAttribute { attribute }) => {
            &ds.customers.attributes[*attribute].values
        }
        Some(BreakdownSource::EventProperty { property, .. }) => {
            &ds.events.properties[*property].values
        }
        None => return Vec::new(),
    };
    match values {
        PropertyValues::Categorical { labels, .. } => labels.clone(),
        _ => Vec::new(),
    }
}

/// Per-step results from counts (and optional timing per step).
pub fn step_results(
    names: &[String],
    counts: &[usize],
    timing: Option<&[TimeToConvert]>,
) -> Vec<StepResult> {
    (0..counts.len())
        .map(|i| {
            let previous = if i == 0 { counts[0] } else { counts[i - 1] };
            let time =
                timing.and_then(|t| t.iter().find(|t| t.to_step == i && t.from_step + 1 == i));
            StepResult {
                index: i,
                name: names[i].clone(),
                count: counts[i],
                conversion: ratio(counts[i], counts[0]),
                conversion_interval: wilson(counts[i], counts[0]),
                step_conversion: ratio(counts[i], previous),
                step_conversion_interval: wilson(counts[i], previous),
                drop_off: previous - counts[i],
                drop_off_rate: ratio(previous - counts[i], previous),
                mean_time_ms: time.and_then(|t| t.mean_ms),
                median_time_ms: time.and_then(|t| t.median_ms),
            }
        })
        .collect()
}

/// Runs `spec` over `ds` and aggregates.
pub fn funnel(ds: &Dataset, spec: &FunnelSpec) -> FunnelResult {
    let n = spec.len();
    let mut counts = vec![0usize; n];
    let mut excluded = 0;
    // durations[j]: times from step j-1 to j; durations[n]: first to last.
    let mut durations: Vec<Vec<i64>> = vec![Vec::new(); n + 1];
    let mut by_value: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    let mut trend: BTreeMap<i64, (usize, usize)> = BTreeMap::new();
    crate::funnel::run::for_each_outcome(ds, spec, |customer, outcome, events| {
        let path = match outcome {
            Outcome::Reported(p) => p,
            Outcome::Excluded => {
                excluded += 1;
                return;
            }
            Outcome::NotEntered => return,
        };
        for c in counts.iter_mut().take(path.reached) {
            *c += 1;
        }
        for (j, d) in durations.iter_mut().enumerate().take(path.reached).skip(1) {
            d.push(path.times[j] - path.times[j - 1]);
        }
        if path.reached == n {
            durations[n].push(path.times[n - 1] - path.times[0]);
        }
        if spec.breakdown.is_some() {
            let code = breakdown_code(ds, spec, customer, path, events);
            let value = by_value.entry(code).or_insert_with(|| vec![0; n]);
            for c in value.iter_mut().take(path.reached) {
                *c += 1;
            }
        }
        if let Some(period) = spec.trend {
            let entry = trend
                .entry(period.index(path.times[0], spec.offset))
                .or_default();
            entry.0 += 1;
            entry.1 += usize::from(path.reached == n);
        }
    });

    let mut time_to_convert: Vec<TimeToConvert> = (1..n)
        .map(|j| summarize(j - 1, j, &mut durations[j], spec.bins))
        .collect();
    time_to_convert.push(summarize(0, n - 1, &mut durations[n], spec.bins));

    let breakdown = spec.breakdown.as_ref().map(|b| {
        let labels = labels(ds, spec);
        let mut values: Vec<(String, Vec<usize>)> = by_value
            .into_iter()
            .map(|(code, c)| {
                (
                    labels
                        .get(code as usize)
                        .cloned()
                        .unwrap_or_else(|| "(none)".to_owned()),
                    c,
                )
            })
            .collect();
        crate::sorting::sort_by(&mut values, &|a, b| {
            b.1[0].cmp(&a.1[0]).then_with(|| a.0.cmp(&b.0))
        });
        if values.len() > b.limit {
            let mut other = vec![0usize; n];
            for (_, c) in values.drain(b.limit..) {
                other.iter_mut().zip(c).for_each(|(o, c)| *o += c);
            }
            values.push(("Other".to_owned(), other));
        }
        BreakdownResult {
            name: b.name.clone(),
            source: match b.source {
                BreakdownSource::EventProperty { .. } => "property".into(),
                BreakdownSource::CustomerAttribute { .. } => "attribute".into(),
                BreakdownSource::Segment { .. } => "segment".into(),
            },
            attribution: match b.source {
                BreakdownSource::CustomerAttribute { .. } | BreakdownSource::Segment { .. } => {
                    "customer".into()
                }
                BreakdownSource::EventProperty { attribution, .. } => match attribution {
                    Attribution::FirstTouch => "firstTouch".into(),
                    Attribution::LastTouch => "lastTouch".into(),
                    Attribution::Step(s) => format!("step {s}"),
                },
            },
            values: values
                .into_iter()
                .map(|(value, c)| BreakdownValue {
                    value,
                    steps: step_results(&spec.names, &c, None),
                })
                .collect(),
        }
    });

    let trend = spec.trend.map(|period| {
        trend
            .into_iter()
            .map(|(index, (entered, converted))| TrendPoint {
                start: (period.start(index, spec.offset) / MICROS_PER_MS) as f64,
                entered,
                converted,
                conversion: ratio(converted, entered),
                conversion_interval: wilson(converted, entered),
            })
            .collect()
    });

    FunnelResult {
        mode: match spec.mode {
            FunnelMode::Ordered => "ordered",
            FunnelMode::Strict => "strict",
            FunnelMode::Unordered => "unordered",
        }
        .into(),
        window_ms: spec.window as f64 / MICROS_PER_MS as f64,
        steps: step_results(&spec.names, &counts, Some(&time_to_convert)),
        excluded,
        time_to_convert,
        breakdown,
        trend,
    }
}
