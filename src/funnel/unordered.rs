//! Unordered ("any order") funnels for one customer: a customer reaches k steps if k
//! distinct steps occur within one window, sliding, anchored at each step event. The
//! reported window is the first that reaches the most steps; its path times are the
//! times at which the 1st, 2nd, ... distinct step first occurred in it.

use crate::funnel::path::{Outcome, Path};
use crate::funnel::scratch::StepEvent;
use crate::funnel::spec::FunnelSpec;

/// Precomputed facts about a spec.
pub struct UnorderedRules {
    n: usize,
    window: i64,
    /// Some event can match two steps (shared event names): count with a matching.
    overlapping: bool,
}

impl UnorderedRules {
    /// Rules of `spec`.
    pub fn new(spec: &FunnelSpec) -> UnorderedRules {
        let events: Vec<_> = spec.steps.iter().filter_map(|s| s.event).collect();
        let overlapping = (0..events.len()).any(|i| events[i + 1..].contains(&events[i]));
        UnorderedRules {
            n: spec.len(),
            window: spec.window,
            overlapping,
        }
    }

    /// The outcome of one customer's step events (in time order).
    pub fn run(&self, events: &[StepEvent]) -> Outcome {
        let mut best: Option<(usize, usize)> = None; // (reached, anchor)
        let mut counts = [0u32; 32];
        let mut distinct = 0usize;
        let mut end = 0usize;
        for anchor in 0..events.len() {
            if events[anchor].steps == 0 {
                continue;
            }
            let limit = events[anchor].time.saturating_add(self.window);
            while end < events.len() && events[end].time <= limit {
                for s in bits(events[end].steps) {
                    counts[s] += 1;
                    if counts[s] == 1 {
                        distinct += 1;
                    }
                }
                end += 1;
            }
            let reached = if self.overlapping {
                max_matching(&events[anchor..end], self.n)
            } else {
                distinct
            };
            if best.is_none_or(|(r, _)| reached > r) {
                best = Some((reached, anchor));
                if reached == self.n {
                    break;
                }
            }
            for s in bits(events[anchor].steps) {
                counts[s] -= 1;
                if counts[s] == 0 {
                    distinct -= 1;
                }
            }
        }
        match best {
            None | Some((0, _)) => Outcome::NotEntered,
            Some((reached, anchor)) => Outcome::Reported(self.path(events, anchor, reached)),
        }
    }

    /// Path times of the window at `anchor`: when each new distinct step appeared.
    fn path(&self, events: &[StepEvent], anchor: usize, reached: usize) -> Path {
        let limit = events[anchor].time.saturating_add(self.window);
        let mut path = Path::EMPTY;
        let mut seen = 0u32;
        let mut window = Vec::new();
        for e in events[anchor..].iter().take_while(|e| e.time <= limit) {
            window.push(*e);
            let new = e.steps & !seen;
            if new == 0 {
                continue;
            }
            // With overlapping steps an event counts only if it grows the matching.
            let grows = !self.overlapping || max_matching(&window, self.n) > path.reached;
            if grows && path.reached < reached {
                seen |= 1 << new.trailing_zeros();
                path.advance(e.time, e.row);
            }
        }
        path
    }
}

fn bits(mask: u32) -> impl Iterator<Item = usize> {
    (0..32).filter(move |i| mask & (1 << i) != 0)
}

/// Most steps that distinct events can cover: a bipartite matching of steps (at most
/// 20) to events, with events of the same step mask as interchangeable slots (at most
/// `n` of each kind can be used).
fn max_matching(events: &[StepEvent], n: usize) -> usize {
    let mut groups: Vec<(u32, usize)> = Vec::new();
    for e in events.iter().filter(|e| e.steps != 0) {
        match groups.iter_mut().find(|(m, _)| *m == e.steps) {
            Some((_, c)) => *c = (*c + 1).min(n),
            None => groups.push((e.steps, 1)),
        }
    }
    let slots: Vec<u32> = groups
        .iter()
        .flat_map(|&(mask, count)| std::iter::repeat_n(mask, count))
        .collect();
    let mut step_of_slot: Vec<Option<usize>> = vec![None; slots.len()];
    let mut matched = 0;
    for step in 0..n {
        let mut visited = vec![false; slots.len()];
        if augment(step, &slots, &mut step_of_slot, &mut visited) {
            matched += 1;
        }
    }
    matched
}

/// Kuhn's augmenting path from `step`.
fn augment(
    step: usize,
    slots: &[u32],
    step_of_slot: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for slot in 0..slots.len() {
        if slots[slot] & (1 << step) == 0 || visited[slot] {
            continue;
        }
        visited[slot] = true;
        let free = match step_of_slot[slot] {
            None => true,
            Some(other) => augment(other, slots, step_of_slot, visited),
        };
        if free {
            step_of_slot[slot] = Some(step);
            return true;
        }
    }
    false
}
