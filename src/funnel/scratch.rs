//! One customer's in-range events with the steps and exclusions each one matches, in the
//! order the funnel engines read them.

use crate::data::Dataset;
use crate::funnel::query::FunnelMode;
use crate::funnel::spec::{FunnelSpec, Matcher};

/// An event as the engines see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepEvent {
    /// Epoch microseconds.
    pub time: i64,
    /// Row in `ds.events`.
    pub row: u32,
    /// Bit `i` set: the event matches step `i`.
    pub steps: u32,
    /// Bit `i` set: the event matches exclusion `i`.
    pub exclusions: u32,
}

impl StepEvent {
    /// Events with equal timestamps are taken in step order; events matching no step last.
    fn order_key(&self) -> u32 {
        if self.steps == 0 {
            32
        } else {
            self.steps.trailing_zeros()
        }
    }
}

/// Per-event-code masks, computed once per query so most events need no filter checks.
pub struct Masks {
    /// Steps matched by the event code alone (steps without filters).
    plain_steps: Vec<u32>,
    /// Steps with filters: (step, matcher).
    filtered_steps: Vec<(usize, Matcher)>,
    /// Exclusions matched by the code alone.
    plain_exclusions: Vec<u32>,
    /// Exclusions with filters.
    filtered_exclusions: Vec<(usize, Matcher)>,
    /// Keep events that match nothing (strict mode: they break paths).
    keep_all: bool,
    from: i64,
    to: i64,
}

impl Masks {
    /// Masks for `spec` over `ds`'s event codes.
    pub fn new(ds: &Dataset, spec: &FunnelSpec) -> Masks {
        let codes = ds.event_names.len();
        let mut plain_steps = vec![0u32; codes];
        let mut filtered_steps = Vec::new();
        for (i, m) in spec.steps.iter().enumerate() {
            match (m.event, m.filters.is_empty()) {
                (Some(code), true) => plain_steps[code as usize] |= 1 << i,
                (Some(_), false) => filtered_steps.push((i, m.clone())),
                (None, _) => {}
            }
        }
        let mut plain_exclusions = vec![0u32; codes];
        let mut filtered_exclusions = Vec::new();
        for (i, x) in spec.exclusions.iter().enumerate() {
            match (x.matcher.event, x.matcher.filters.is_empty()) {
                (Some(code), true) => plain_exclusions[code as usize] |= 1 << i,
                (Some(_), false) => filtered_exclusions.push((i, x.matcher.clone())),
                (None, _) => {}
            }
        }
        Masks {
            plain_steps,
            filtered_steps,
            plain_exclusions,
            filtered_exclusions,
            keep_all: spec.mode == FunnelMode::Strict,
            from: spec.from,
            to: spec.to,
        }
    }

    /// Fills `out` with customer `customer`'s in-range events, ordered by time and, at
    /// equal times, by step.
    pub fn collect(&self, ds: &Dataset, customer: usize, out: &mut Vec<StepEvent>) {
        out.clear();
        let mut ties = false;
        for row in ds.events.rows(customer) {
            let time = ds.events.time[row];
            if time < self.from || time > self.to {
                continue;
            }
            let code = ds.events.event[row];
            let mut steps = self.plain_steps.get(code as usize).copied().unwrap_or(0);
            for (i, m) in &self.filtered_steps {
                if m.matches(ds, row, code) {
                    steps |= 1 << i;
                }
            }
            let mut exclusions = self
                .plain_exclusions
                .get(code as usize)
                .copied()
                .unwrap_or(0);
            for (i, m) in &self.filtered_exclusions {
                if m.matches(ds, row, code) {
                    exclusions |= 1 << i;
                }
            }
            if steps == 0 && exclusions == 0 && !self.keep_all {
                continue;
            }
            if out.last().is_some_and(|e| e.time == time) {
                ties = true;
            }
            out.push(StepEvent {
                time,
                row: row as u32,
                steps,
                exclusions,
            });
        }
        if ties {
            // Stable: equal keys keep input order.
            out.sort_by_key(|e| (e.time, e.order_key()));
        }
    }
}
