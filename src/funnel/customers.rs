//! The customers behind a funnel step, for targeting: who reached a step, or who reached
//! it and went no further.

use crate::data::output::{ResultColumn, ResultTable};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::funnel::path::Outcome;
use crate::funnel::run::for_each_outcome;
use crate::funnel::spec::FunnelSpec;

/// Which customers of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepCustomers {
    /// Reached the step (and maybe further).
    Reached,
    /// Reached the step and not the next one.
    Dropped,
}

impl StepCustomers {
    /// Parses `"reached"` or `"dropped"`.
    pub fn parse(text: &str) -> Result<StepCustomers> {
        match text {
            "reached" => Ok(StepCustomers::Reached),
            "dropped" => Ok(StepCustomers::Dropped),
            _ => Err(InsituError::bad_option(
                "which",
                format!("\"{text}\" is not \"reached\" or \"dropped\""),
            )),
        }
    }
}

/// A table of `customer_id`, `steps_reached`, `entered_at`, `last_step_at` for the
/// customers of `step` (0-based).
pub fn step_customers(
    ds: &Dataset,
    spec: &FunnelSpec,
    step: i64,
    which: StepCustomers,
) -> Result<ResultTable> {
    let step = usize::try_from(step)
        .ok()
        .filter(|&s| s < spec.len())
        .ok_or_else(|| {
            InsituError::bad_option(
                "step",
                format!(
                    "{step} is not a step; steps are numbered 0 to {}",
                    spec.len() - 1
                ),
            )
        })?;
    let (mut ids, mut reached, mut entered, mut last) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for_each_outcome(ds, spec, |customer, outcome, _| {
        let Outcome::Reported(path) = outcome else {
            return;
        };
        let keep = match which {
            StepCustomers::Reached => path.reached > step,
            StepCustomers::Dropped => path.reached == step + 1,
        };
        if keep {
            ids.push(customer as u32);
            reached.push(path.reached as u32);
            entered.push(path.times[0]);
            last.push(path.times[path.reached - 1]);
        }
    });
    Ok(ResultTable::default()
        .with("customer_id", ResultColumn::Customers(ids))
        .with("steps_reached", ResultColumn::UInt32(reached))
        .with("entered_at", ResultColumn::Time(entered))
        .with("last_step_at", ResultColumn::Time(last)))
}
