//! Lifetime value: what customers have been worth (historical LTV per group, cohort LTV
//! curves) and what they will be worth (the lifetimes-convention RFM summary, BG/NBD and
//! Gamma-Gamma fits, per-customer predictions and CLV, and a holdout check of the model).
//!
//! Everything reads the orders table of a [`Dataset`]; see `SEMANTICS.md`, "Lifetime value".

pub mod bgnbd;
pub mod check;
pub mod clv;
pub mod cohort;
pub mod fit;
pub mod gamma_gamma;
#[cfg(test)]
mod gradient_check;
pub mod groups;
pub mod historical;
pub mod margin;
pub mod optimize;
pub mod prepared;
pub mod special;
pub mod summary;

pub use check::{holdout_check, CheckOptions, HoldoutBucket, HoldoutCheck};
pub use clv::{predict_customer, predictions, ClvOptions, Prediction, PredictionInput};
pub use cohort::{cohort_ltv, Acquisition, CohortLtv, CohortOptions, CohortRow};
pub use fit::{fit_ltv, FitOptions, LtvFit, LtvModel};
pub use groups::GroupBy;
pub use historical::{historical_ltv, HistoricalLtv, HistoricalOptions, LtvGroup};
pub use margin::Margin;
pub use summary::{rfm_summary, RfmRow, RfmSummary, SummaryOptions};

use crate::data::Dataset;
use crate::error::{InsituError, Result};

/// An error unless the dataset has orders: every LTV figure is made of order amounts.
pub fn require_orders(ds: &Dataset) -> Result<()> {
    if !ds.has_orders {
        return Err(InsituError::EmptyInput(
            "lifetime value needs an orders table (customer, time, amount); this dataset has \
             events only: pass `orders` to insitu.dataset()"
                .into(),
        ));
    }
    if ds.orders.is_empty() {
        return Err(InsituError::EmptyInput(
            "lifetime value needs orders; every row of the orders table was skipped (see \
             summary().skippedRows)"
                .into(),
        ));
    }
    Ok(())
}

/// A label for "no value" in group and cohort listings.
pub const MISSING_LABEL: &str = "(missing)";
