//! Margin: a fixed share of revenue, or an orders column holding each order's margin in
//! money (e.g. the sample shop's `margin`).

use crate::data::{Dataset, PropertyValues};
use crate::error::{InsituError, Result};

/// How margin is computed from orders.
#[derive(Debug, Clone, PartialEq)]
pub enum Margin {
    /// A share of each order's amount, 0 to 1 (0.3 = 30%).
    Rate(f64),
    /// A numeric orders column with each order's margin in money.
    Column(String),
}

/// A [`Margin`] checked against a dataset, ready to give each order's margin.
#[derive(Debug, Clone, Copy)]
pub enum OrderMargin<'a> {
    /// A share of the amount.
    Rate(f64),
    /// Margin money per order row; `NaN` (missing) counts as 0.
    Column(&'a [f64]),
}

impl Margin {
    /// Checks the margin against `ds`; `option` names the option in errors. A rate must
    /// be within 0..=1; a column must exist in the orders table and be numeric.
    pub fn resolve<'a>(&self, ds: &'a Dataset, option: &str) -> Result<OrderMargin<'a>> {
        match self {
            Margin::Rate(rate) => {
                if rate.is_finite() && (0.0..=1.0).contains(rate) {
                    Ok(OrderMargin::Rate(*rate))
                } else {
                    Err(InsituError::bad_option(
                        option,
                        format!(
                            "{rate} is not a margin rate; use a share of revenue from 0 to 1 \
                             (0.3 = 30%) or {{ column: \"margin\" }}"
                        ),
                    ))
                }
            }
            Margin::Column(name) => {
                let numeric: Vec<&str> = ds
                    .orders
                    .properties
                    .iter()
                    .filter(|p| matches!(p.values, PropertyValues::Numeric(_)))
                    .map(|p| p.name.as_str())
                    .collect();
                let list = if numeric.is_empty() {
                    "the orders table has no other numeric column".to_owned()
                } else {
                    format!("numeric orders columns: {}", numeric.join(", "))
                };
                match ds.orders.property(name).map(|p| &p.values) {
                    Some(PropertyValues::Numeric(values)) => Ok(OrderMargin::Column(values)),
                    Some(other) => Err(InsituError::bad_option(
                        option,
                        format!(
                            "orders column \"{name}\" holds {} values, not numbers; {list}",
                            other.kind()
                        ),
                    )),
                    None => Err(InsituError::bad_option(
                        option,
                        format!("the orders table has no column \"{name}\"; {list}"),
                    )),
                }
            }
        }
    }
}

impl OrderMargin<'_> {
    /// The margin of order row `row` with amount `amount`.
    pub fn of(&self, row: usize, amount: f64) -> f64 {
        match self {
            OrderMargin::Rate(rate) => rate * amount,
            OrderMargin::Column(values) => match values.get(row) {
                Some(v) if v.is_finite() => *v,
                _ => 0.0,
            },
        }
    }

    /// Whether order row `row` has no margin value (a column with a null there).
    pub fn is_missing(&self, row: usize) -> bool {
        match self {
            OrderMargin::Rate(_) => false,
            OrderMargin::Column(values) => !values.get(row).is_some_and(|v| v.is_finite()),
        }
    }
}
