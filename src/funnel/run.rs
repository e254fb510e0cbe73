//! Runs a funnel over every customer: one linear pass, one outcome per customer.

use crate::data::Dataset;
use crate::funnel::ordered::OrderedRules;
use crate::funnel::path::Outcome;
use crate::funnel::query::FunnelMode;
use crate::funnel::scratch::{Masks, StepEvent};
use crate::funnel::spec::FunnelSpec;
use crate::funnel::unordered::UnorderedRules;

/// Calls `visit(customer, outcome, events)` for every customer, where `events` are the
/// customer's in-range events as the engine read them.
pub fn for_each_outcome(
    ds: &Dataset,
    spec: &FunnelSpec,
    mut visit: impl FnMut(usize, &Outcome, &[StepEvent]),
) {
    let masks = Masks::new(ds, spec);
    let ordered = OrderedRules::new(spec, spec.mode == FunnelMode::Strict);
    let unordered = UnorderedRules::new(spec);
    let mut events = Vec::new();
    for customer in 0..ds.num_customers() {
        if spec
            .members
            .as_ref()
            .is_some_and(|m| !m.get(customer).copied().unwrap_or(false))
        {
            continue;
        }
        masks.collect(ds, customer, &mut events);
        if events.is_empty() {
            continue;
        }
        let outcome = match spec.mode {
            FunnelMode::Unordered => unordered.run(&events),
            _ => ordered.run(&events),
        };
        visit(customer, &outcome, &events);
    }
}
