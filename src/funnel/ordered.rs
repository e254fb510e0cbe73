//! Ordered and strict funnels for one customer (SEMANTICS.md, Funnels).
//!
//! One path at a time: a step-1 event that does not advance the path restarts it while
//! the customer has not converted; an event advances at most one step; a step repeating
//! the previous step's event needs a strictly later timestamp. In strict mode an event
//! that matches neither the next step nor the current one breaks the path.

use crate::funnel::path::{Outcome, Path, PathChooser};
use crate::funnel::scratch::StepEvent;
use crate::funnel::spec::FunnelSpec;

/// Precomputed facts about a spec used on every event.
pub struct OrderedRules {
    n: usize,
    window: i64,
    step_windows: Vec<Option<i64>>,
    /// `repeats[k]`: step `k` has the same event as step `k - 1`.
    repeats: Vec<bool>,
    /// Per exclusion: (from_step, to_step, bit).
    exclusions: Vec<(usize, usize, u32)>,
    strict: bool,
}

impl OrderedRules {
    /// Rules of `spec`.
    pub fn new(spec: &FunnelSpec, strict: bool) -> OrderedRules {
        let n = spec.len();
        let repeats = (0..n)
            .map(|k| {
                k > 0
                    && spec.steps[k].event.is_some()
                    && spec.steps[k].event == spec.steps[k - 1].event
            })
            .collect();
        OrderedRules {
            n,
            window: spec.window,
            step_windows: spec.step_windows.clone(),
            repeats,
            exclusions: spec
                .exclusions
                .iter()
                .enumerate()
                .map(|(i, x)| (x.from_step, x.to_step, 1u32 << i))
                .collect(),
            strict,
        }
    }

    fn can_advance(&self, path: &Path, e: &StepEvent) -> bool {
        let k = path.reached;
        if k == 0 || k >= self.n || e.steps & (1 << k) == 0 {
            return false;
        }
        let previous = path.times[k - 1];
        e.time - path.times[0] <= self.window
            && self.step_windows[k].is_none_or(|w| e.time - previous <= w)
            && (!self.repeats[k] || e.time > previous)
    }

    fn taints(&self, path: &Path, e: &StepEvent) -> bool {
        // Guarded while the path has entered from_step but not yet reached to_step.
        e.exclusions != 0
            && path.reached > 0
            && e.time - path.times[0] <= self.window
            && self.exclusions.iter().any(|&(from, to, bit)| {
                e.exclusions & bit != 0 && path.reached > from && path.reached <= to
            })
    }

    /// The outcome of one customer's events (in engine order).
    pub fn run(&self, events: &[StepEvent]) -> Outcome {
        let mut chooser = PathChooser::default();
        let mut path = Path::EMPTY;
        for e in events {
            let converted = path.reached == self.n;
            if converted && !path.tainted {
                break;
            }
            if self.taints(&path, e) {
                path.tainted = true;
            }
            if self.can_advance(&path, e) {
                path.advance(e.time, e.row);
                continue;
            }
            // (A clean converted path has ended the loop above.)
            if e.steps & 1 != 0 {
                chooser.offer(&path);
                path = Path::start(e.time, e.row);
                continue;
            }
            if self.strict && path.reached > 0 {
                let current = 1u32 << (path.reached - 1);
                if e.steps & current == 0 {
                    chooser.offer(&path);
                    path = Path::EMPTY;
                }
            }
        }
        chooser.offer(&path);
        chooser.outcome()
    }
}
