//! A funnel query resolved against a dataset: event codes, property filters as lookup
//! tables, windows in microseconds. All option errors are raised here, before any work.

use std::collections::BTreeMap;

use crate::data::properties::{PropertyValues, NULL_CODE};
use crate::data::suggest::unknown_message;
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::funnel::query::{
    AttributionQuery, BreakdownDetail, BreakdownQuery, DurationQuery, FilterValue, FunnelMode,
    FunnelQuery, StepQuery,
};
use crate::time::{parse_duration, parse_offset, Period, MICROS_PER_DAY, MICROS_PER_MS};

/// Most steps a funnel may have (step masks are `u32`).
pub const MAX_STEPS: usize = 20;

/// A property filter: which values of one event property pass.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// A categorical property: `allowed[code]`.
    Categorical { property: usize, allowed: Vec<bool> },
    /// A numeric property: any of these values.
    Numeric { property: usize, values: Vec<f64> },
}

/// Which events a step (or an exclusion) matches.
#[derive(Debug, Clone, PartialEq)]
pub struct Matcher {
    /// The event code, or `None` for an event that does not occur (matches nothing).
    pub event: Option<u32>,
    /// All must pass.
    pub filters: Vec<Filter>,
}

impl Matcher {
    /// Whether event row `row` (with event code `code`) matches.
    pub fn matches(&self, ds: &Dataset, row: usize, code: u32) -> bool {
        self.event == Some(code)
            && self.filters.iter().all(|f| match f {
                Filter::Categorical { property, allowed } => {
                    match &ds.events.properties[*property].values {
                        PropertyValues::Categorical { codes, .. } => {
                            let c = codes[row];
                            c != NULL_CODE && allowed.get(c as usize).copied().unwrap_or(false)
                        }
                        _ => false,
                    }
                }
                Filter::Numeric { property, values } => {
                    match &ds.events.properties[*property].values {
                        PropertyValues::Numeric(v) => values.contains(&v[row]),
                        _ => false,
                    }
                }
            })
    }
}

/// A resolved exclusion.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// The excluded event.
    pub matcher: Matcher,
    /// Guarded from entering this step (0-based) ...
    pub from_step: usize,
    /// ... until reaching this one.
    pub to_step: usize,
}

/// Attribution of a breakdown by event property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// The earliest step-matching event with a value.
    FirstTouch,
    /// The latest step-matching event with a value.
    LastTouch,
    /// The reported path's event at this step.
    Step(usize),
}

/// What a breakdown groups customers by.
#[derive(Debug, Clone, PartialEq)]
pub enum BreakdownSource {
    /// A categorical event property (index into `ds.events.properties`).
    EventProperty {
        property: usize,
        attribution: Attribution,
    },
    /// A categorical customer attribute (index into `ds.customers.attributes`).
    CustomerAttribute { attribute: usize },
    /// Segments: `labels[codes[c]]` is customer `c`'s segment (or "none").
    Segment {
        codes: Vec<u32>,
        labels: Vec<String>,
    },
}

/// A resolved breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// The column name.
    pub name: String,
    /// Where values come from.
    pub source: BreakdownSource,
    /// Values kept before folding into "Other".
    pub limit: usize,
}

/// A funnel ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelSpec {
    /// Step names for results.
    pub names: Vec<String>,
    /// Step matchers.
    pub steps: Vec<Matcher>,
    /// Ordering mode.
    pub mode: FunnelMode,
    /// Conversion window from step 1, microseconds.
    pub window: i64,
    /// Per-step windows from the previous step (index 0 unused).
    pub step_windows: Vec<Option<i64>>,
    /// Events before this time are ignored.
    pub from: i64,
    /// Events after this time are ignored.
    pub to: i64,
    /// Exclusions.
    pub exclusions: Vec<Exclusion>,
    /// Breakdown, if any.
    pub breakdown: Option<Breakdown>,
    /// Trend period, if any.
    pub trend: Option<Period>,
    /// UTC offset of trend periods, microseconds.
    pub offset: i64,
    /// Histogram bins, if fixed.
    pub bins: Option<usize>,
    /// Only these customers count (a segment filter), if given.
    pub members: Option<Vec<bool>>,
}

fn duration(option: &str, d: &DurationQuery) -> Result<i64> {
    let micros = match d {
        DurationQuery::Millis(ms) if ms.is_finite() && ms.abs() < 1e15 => {
            (ms * MICROS_PER_MS as f64).round() as i64
        }
        DurationQuery::Millis(ms) => {
            return Err(InsituError::bad_option(
                option,
                format!("{ms} is not a duration in milliseconds"),
            ))
        }
        DurationQuery::Text(t) => parse_duration(option, t)?,
    };
    if micros <= 0 {
        return Err(InsituError::bad_option(option, "must be longer than zero"));
    }
    Ok(micros)
}

fn time(option: &str, ms: Option<f64>, default: i64) -> Result<i64> {
    match ms {
        None => Ok(default),
        Some(ms) if ms.is_finite() && ms.abs() < 9e15 => {
            Ok((ms * MICROS_PER_MS as f64).floor() as i64)
        }
        Some(ms) => Err(InsituError::bad_option(
            option,
            format!("{ms} is not a time"),
        )),
    }
}

fn event_code(ds: &Dataset, option: &str, name: &str, allow_missing: bool) -> Result<Option<u32>> {
    match ds.event_code(name) {
        Some(code) => Ok(Some(code)),
        None if allow_missing => Ok(None),
        None => Err(InsituError::bad_option(
            option,
            format!(
                "{} (or set allowMissing: true to count such a step as zero)",
                unknown_message("event", name, ds.event_names.iter().map(String::as_str))
            ),
        )),
    }
}

fn filter(ds: &Dataset, option: &str, property: &str, value: &FilterValue) -> Result<Filter> {
    let index = ds
        .events
        .properties
        .iter()
        .position(|p| p.name == property)
        .ok_or_else(|| {
            InsituError::bad_option(
                option,
                unknown_message(
                    "event property",
                    property,
                    ds.events.properties.iter().map(|p| p.name.as_str()),
                ),
            )
        })?;
    let mut wanted = Vec::new();
    flatten(value, &mut wanted);
    match &ds.events.properties[index].values {
        PropertyValues::Categorical { labels, .. } => {
            let texts: Vec<String> = wanted
                .iter()
                .map(|v| match v {
                    FilterValue::Text(t) => t.clone(),
                    FilterValue::Number(n) => n.to_string(),
                    FilterValue::Bool(b) => b.to_string(),
                    FilterValue::Any(_) => String::new(),
                })
                .collect();
            // A value that never occurs simply matches nothing.
            let allowed = labels.iter().map(|l| texts.contains(l)).collect();
            Ok(Filter::Categorical {
                property: index,
                allowed,
            })
        }
        PropertyValues::Numeric(_) => {
            let values = wanted
                .iter()
                .map(|v| match v {
                    FilterValue::Number(n) => Ok(*n),
                    FilterValue::Text(t) => t.trim().parse::<f64>().map_err(|_| {
                        InsituError::bad_option(
                            option,
                            format!("property \"{property}\" holds numbers; \"{t}\" is not one"),
                        )
                    }),
                    _ => Err(InsituError::bad_option(
                        option,
                        format!("property \"{property}\" holds numbers"),
                    )),
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Filter::Numeric {
                property: index,
                values,
            })
        }
        PropertyValues::Time(_) => Err(InsituError::bad_option(
            option,
            format!("property \"{property}\" holds times; filter on text or number properties"),
        )),
    }
}

fn flatten<'a>(value: &'a FilterValue, out: &mut Vec<&'a FilterValue>) {
    match value {
        FilterValue::Any(values) => values.iter().for_each(|v| flatten(v, out)),
        v => out.push(v),
    }
}

fn matcher(
    ds: &Dataset,
    option: &str,
    event: &str,
    filters: &BTreeMap<String, FilterValue>,
    allow_missing: bool,
) -> Result<Matcher> {
    Ok(Matcher {
        event: event_code(ds, option, event, allow_missing)?,
        filters: filters
            .iter()
            .map(|(property, value)| filter(ds, option, property, value))
            .collect::<Result<_>>()?,
    })
}

fn step_index(option: &str, value: i64, steps: usize) -> Result<usize> {
    usize::try_from(value)
        .ok()
        .filter(|&v| v < steps)
        .ok_or_else(|| {
            InsituError::bad_option(
                option,
                format!(
                    "{value} is not a step; steps are numbered 0 to {}",
                    steps - 1
                ),
            )
        })
}

fn breakdown(ds: &Dataset, query: &BreakdownQuery, steps: usize, as_of: i64) -> Result<Breakdown> {
    if let BreakdownQuery::Detailed(BreakdownDetail {
        segments: Some(defs),
        property: None,
        attribute: None,
        ..
    }) = query
    {
        let (codes, labels) = crate::segments::breakdown(ds, defs, as_of, "breakdown.segments")?;
        return Ok(Breakdown {
            name: "segment".to_owned(),
            source: BreakdownSource::Segment { codes, labels },
            limit: defs.len() + 1,
        });
    }
    let (property, attribute, attribution, limit) = match query {
        BreakdownQuery::Name(name) => {
            if ds.events.property(name).is_some() {
                (Some(name.as_str()), None, None, None)
            } else {
                (None, Some(name.as_str()), None, None)
            }
        }
        BreakdownQuery::Detailed(d) => (
            d.property.as_deref(),
            d.attribute.as_deref(),
            d.attribution.as_ref(),
            d.limit,
        ),
    };
    let limit = match limit {
        None => 25,
        Some(l) if (1..=1000).contains(&l) => l as usize,
        Some(l) => {
            return Err(InsituError::bad_option(
                "breakdown.limit",
                format!("{l} is not between 1 and 1000"),
            ))
        }
    };
    let attribution = match attribution {
        None => Attribution::FirstTouch,
        Some(AttributionQuery::Named(n)) if n == "firstTouch" => Attribution::FirstTouch,
        Some(AttributionQuery::Named(n)) if n == "lastTouch" => Attribution::LastTouch,
        Some(AttributionQuery::Named(n)) => {
            return Err(InsituError::bad_option(
                "breakdown.attribution",
                format!(
                "\"{n}\" is not an attribution; use \"firstTouch\", \"lastTouch\" or {{ step: n }}"
            ),
            ))
        }
        Some(AttributionQuery::Step { step }) => {
            Attribution::Step(step_index("breakdown.attribution.step", *step, steps)?)
        }
    };
    let categorical = |values: &PropertyValues, name: &str| match values {
        PropertyValues::Categorical { .. } => Ok(()),
        other => Err(InsituError::bad_option(
            "breakdown",
            format!(
                "\"{name}\" holds {} values; a breakdown needs a text/category column",
                other.kind()
            ),
        )),
    };
    match (property, attribute) {
        (Some(name), None) => {
            let index = ds
                .events
                .properties
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| {
                    InsituError::bad_option(
                        "breakdown",
                        unknown_message(
                            "event property",
                            name,
                            ds.events.properties.iter().map(|p| p.name.as_str()),
                        ),
                    )
                })?;
            categorical(&ds.events.properties[index].values, name)?;
            Ok(Breakdown {
                name: name.to_owned(),
                source: BreakdownSource::EventProperty {
                    property: index,
                    attribution,
                },
                limit,
            })
        }
        (None, Some(name)) => {
            let index = ds
                .customers
                .attributes
                .iter()
                .position(|p| p.name == name)
                .ok_or_else(|| {
                    let names = ds
                        .events
                        .properties
                        .iter()
                        .chain(&ds.customers.attributes)
                        .map(|p| p.name.as_str());
                    InsituError::bad_option(
                        "breakdown",
                        unknown_message("event property or customer attribute", name, names),
                    )
                })?;
            categorical(&ds.customers.attributes[index].values, name)?;
            Ok(Breakdown {
                name: name.to_owned(),
                source: BreakdownSource::CustomerAttribute { attribute: index },
                limit,
            })
        }
        _ => Err(InsituError::bad_option(
            "breakdown",
            "give exactly one of property or attribute",
        )),
    }
}

impl FunnelSpec {
    /// Resolves and validates `query` against `ds`.
    pub fn resolve(ds: &Dataset, query: &FunnelQuery) -> Result<FunnelSpec> {
        let n = query.steps.len();
        if !(2..=MAX_STEPS).contains(&n) {
            return Err(InsituError::bad_option(
                "steps",
                format!("a funnel needs 2 to {MAX_STEPS} steps; {n} given"),
            ));
        }
        let mut names = Vec::with_capacity(n);
        let mut steps = Vec::with_capacity(n);
        for (i, step) in query.steps.iter().enumerate() {
            let option = format!("steps[{i}]");
            let (name, m) = match step {
                StepQuery::Event(event) => (
                    event.clone(),
                    matcher(ds, &option, event, &BTreeMap::new(), query.allow_missing)?,
                ),
                StepQuery::Filtered(f) => (
                    f.name.clone().unwrap_or_else(|| f.event.clone()),
                    matcher(ds, &option, &f.event, &f.filters, query.allow_missing)?,
                ),
            };
            names.push(name);
            steps.push(m);
        }
        let window = match &query.window {
            Some(w) => duration("window", w)?,
            None => 14 * MICROS_PER_DAY,
        };
        let mut step_windows = vec![None; n];
        if let Some(ws) = &query.step_windows {
            if query.mode == FunnelMode::Unordered {
                return Err(InsituError::bad_option(
                    "stepWindows",
                    "step windows apply to ordered and strict funnels",
                ));
            }
            if ws.len() > n {
                return Err(InsituError::bad_option(
                    "stepWindows",
                    format!("{} windows for {n} steps", ws.len()),
                ));
            }
            for (i, w) in ws.iter().enumerate().skip(1) {
                if let Some(w) = w {
                    step_windows[i] = Some(duration(&format!("stepWindows[{i}]"), w)?);
                }
            }
        }
        let from = time("from", query.from, i64::MIN)?;
        let to = time("to", query.to, i64::MAX)?;
        if from > to {
            return Err(InsituError::bad_option("from", "is after \"to\""));
        }
        if query.mode == FunnelMode::Unordered && !query.exclusions.is_empty() {
            return Err(InsituError::bad_option(
                "exclusions",
                "exclusions apply to ordered and strict funnels",
            ));
        }
        let mut exclusions = Vec::new();
        for (i, e) in query.exclusions.iter().enumerate() {
            let option = format!("exclusions[{i}]");
            let from_step = step_index(&format!("{option}.fromStep"), e.from_step.unwrap_or(0), n)?;
            let to_step = step_index(
                &format!("{option}.toStep"),
                e.to_step.unwrap_or(n as i64 - 1),
                n,
            )?;
            if from_step >= to_step {
                return Err(InsituError::bad_option(
                    &option,
                    format!("fromStep ({from_step}) must be before toStep ({to_step})"),
                ));
            }
            let m = matcher(ds, &option, &e.event, &e.filters, true)?;
            // Excluding an event that is itself a step inside the span would drop every
            // customer who makes that step.
            if let Some(step) = (from_step..=to_step).find(|&s| steps[s] == m && m.event.is_some())
            {
                return Err(InsituError::bad_option(
                    &option,
                    format!("\"{}\" is step {step}, inside its own exclusion span {from_step}..{to_step}", e.event),
                ));
            }
            exclusions.push(Exclusion {
                matcher: m,
                from_step,
                to_step,
            });
        }
        // Segments are evaluated at the end of the range, or just after the data.
        let as_of = if to < i64::MAX {
            to.saturating_add(1)
        } else {
            ds.time_span.map_or(0, |(_, last)| last).saturating_add(1)
        };
        let breakdown = query
            .breakdown
            .as_ref()
            .map(|b| breakdown(ds, b, n, as_of))
            .transpose()?;
        let members = query
            .segment
            .as_deref()
            .map(|def| {
                let mut def = def.clone();
                if def.as_of.is_none() {
                    def.as_of = Some(crate::segments::when::TimeValue::Ms(
                        as_of as f64 / MICROS_PER_MS as f64,
                    ));
                }
                crate::segments::members(ds, &def)
            })
            .transpose()?;
        let trend = query
            .trend
            .as_deref()
            .map(|t| Period::parse("trend", t))
            .transpose()?;
        let offset = match &query.timezone {
            None => 0,
            Some(tz) => parse_offset(tz).ok_or_else(|| {
                InsituError::bad_option(
                    "timezone",
                    format!("\"{tz}\" is not a fixed UTC offset such as \"+09:00\""),
                )
            })?,
        };
        let bins = match query.bins {
            None => None,
            Some(b) if (1..=1000).contains(&b) => Some(b as usize),
            Some(b) => {
                return Err(InsituError::bad_option(
                    "bins",
                    format!("{b} is not between 1 and 1000"),
                ))
            }
        };
        Ok(FunnelSpec {
            names,
            steps,
            mode: query.mode,
            window,
            step_windows,
            from,
            to,
            exclusions,
            breakdown,
            trend,
            offset,
            bins,
            members,
        })
    }

    /// Number of steps.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Always false: a spec has at least two steps.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}
