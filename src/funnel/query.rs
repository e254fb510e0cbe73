//! Funnel options as users write them (JSON from JS, camelCase). `spec.rs` resolves them
//! against a dataset.

use std::collections::BTreeMap;

use crate::json::FromJson;

/// One step: an event name, or an event with property filters.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum StepQuery {
    /// Just the event name.
    Event(String),
    /// An event with `where` filters (property -> value or list of values) and an
    /// optional display name.
    Filtered(FilteredStep),
}

/// An event with property filters.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct FilteredStep {
    /// The event name.
    pub event: String,
    /// Property filters; all must hold.
    #[json(default, rename = "where")]
    pub filters: BTreeMap<String, FilterValue>,
    /// A name for the step in results (default: the event name).
    pub name: Option<String>,
}

/// A filter value: one value or any of several.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum FilterValue {
    /// One text value.
    Text(String),
    /// One number.
    Number(f64),
    /// One boolean.
    Bool(bool),
    /// Any of these.
    Any(Vec<FilterValue>),
}

/// A duration: `"90m"`, `"12h"`, `"7d"`, `"4w"`, or milliseconds.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum DurationQuery {
    /// Milliseconds.
    Millis(f64),
    /// A number with a unit.
    Text(String),
}

/// Funnel ordering mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromJson)]
#[json(rename_all = "camelCase")]
pub enum FunnelMode {
    /// Steps in order; other events in between are fine.
    #[default]
    Ordered,
    /// Steps in order with no other event in between.
    Strict,
    /// Steps in any order within one window.
    Unordered,
}

/// An exclusion: customers who do `event` between entering `fromStep` and reaching
/// `toStep` (0-based) on their reported path are dropped.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExclusionQuery {
    /// The excluded event.
    pub event: String,
    /// Property filters on the excluded event.
    #[json(default, rename = "where")]
    pub filters: BTreeMap<String, FilterValue>,
    /// First step (0-based) of the guarded span; default 0.
    #[json(default)]
    pub from_step: Option<i64>,
    /// Last step (0-based) of the guarded span; default the last step.
    pub to_step: Option<i64>,
}

/// Which event's value a customer is counted under in a breakdown.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum AttributionQuery {
    /// `"firstTouch"` or `"lastTouch"`.
    Named(String),
    /// `{ step: n }`: the value on the reported path's step `n` (0-based).
    Step {
        /// The step.
        step: i64,
    },
}

/// A breakdown: a property name, or an object naming a property or customer attribute.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum BreakdownQuery {
    /// An event property, or if there is none of that name, a customer attribute.
    Name(String),
    /// Spelled out.
    Detailed(BreakdownDetail),
}

/// A spelled-out breakdown.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct BreakdownDetail {
    /// An event property.
    pub property: Option<String>,
    /// A customer attribute (customers table).
    pub attribute: Option<String>,
    /// Attribution for event properties; default first touch.
    pub attribution: Option<AttributionQuery>,
    /// Values beyond this many (by customers entering) fold into "Other"; default 25.
    pub limit: Option<i64>,
    /// Segments (first match wins; customers in none are "none"), evaluated at the end of
    /// the date range (or of the data).
    pub segments: Option<Vec<crate::segments::SegmentDefinition>>,
}

/// Everything `ds.funnel(options)` accepts.
#[derive(Debug, Clone, PartialEq, Default, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct FunnelQuery {
    /// 2 to 20 steps.
    #[json(default)]
    pub steps: Vec<StepQuery>,
    /// Ordering mode; default ordered.
    #[json(default)]
    pub mode: FunnelMode,
    /// Conversion window from step 1; default 14 days.
    pub window: Option<DurationQuery>,
    /// Optional windows between consecutive steps: entry `i` bounds step `i` (0-based)
    /// from step `i - 1`; entry 0 is ignored; `null` means none.
    pub step_windows: Option<Vec<Option<DurationQuery>>>,
    /// Only events at or after this time (epoch ms).
    pub from: Option<f64>,
    /// Only events at or before this time (epoch ms).
    pub to: Option<f64>,
    /// Excluded events.
    #[json(default)]
    pub exclusions: Vec<ExclusionQuery>,
    /// Break the counts down by a property or attribute.
    pub breakdown: Option<BreakdownQuery>,
    /// Entered and converted per period of the step-1 event: "day", "week" or "month".
    pub trend: Option<String>,
    /// Fixed UTC offset for trend periods, e.g. "+09:00"; default UTC.
    pub timezone: Option<String>,
    /// Steps whose event does not occur count zero instead of being an error.
    #[json(default)]
    pub allow_missing: bool,
    /// Bins of the time-to-convert histograms; default `clamp(ceil(cbrt(n)), 1, 60)`.
    pub bins: Option<i64>,
    /// Only customers in this segment (evaluated at the end of the date range or data).
    pub segment: Option<Box<crate::segments::SegmentDefinition>>,
}
