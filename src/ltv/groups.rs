//! Who is a customer for historical LTV, when they were acquired, and which group
//! (`by`) each belongs to: a customer attribute or an acquisition cohort. Segments will
//! be one more [`GroupBy`] variant.

use crate::json::{FromJson, ToJson};

use crate::data::properties::{NULL_CODE, NULL_TIME};
use crate::data::{Dataset, PropertyValues};
use crate::error::{InsituError, Result};
use crate::time::{civil_from_days, Period, MICROS_PER_DAY};

use super::MISSING_LABEL;

/// When a customer counts as acquired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ToJson, FromJson)]
#[json(rename_all = "camelCase")]
pub enum Acquisition {
    /// At their first order: the customers are the buyers (the default).
    #[default]
    FirstOrder,
    /// At signup (the customers table's signup time), so customers who never bought
    /// count too, with zero revenue; a buyer without a known signup time counts from their
    /// first order.
    Signup,
}

/// How customers are grouped.
#[derive(Debug, Clone, PartialEq)]
pub enum GroupBy {
    /// A categorical attribute of the customers table, e.g. `acquisition_channel`.
    Attribute(String),
    /// The period (day, week or month) of acquisition.
    Cohort(Period),
}

/// Each customer's acquisition time (epoch microseconds) up to `as_of`, or
/// [`NULL_TIME`] for customers not acquired by then (and for visitors who are neither
/// buyers nor, with [`Acquisition::Signup`], signed-up customers). With
/// [`Acquisition::Signup`] a customer who bought before signing up (a guest checkout)
/// counts from that first order: the earlier of the two.
pub fn acquisition_times(ds: &Dataset, acquisition: Acquisition, as_of: i64) -> Vec<i64> {
    let signups = match acquisition {
        Acquisition::Signup => ds.customers.signup.as_deref(),
        Acquisition::FirstOrder => None,
    };
    (0..ds.num_customers())
        .map(|c| {
            let first_order = ds.orders.rows(c).next().map(|r| ds.orders.time[r]);
            let signup = signups
                .and_then(|s| s.get(c).copied())
                .filter(|&t| t != NULL_TIME);
            [first_order, signup]
                .into_iter()
                .flatten()
                .filter(|&t| t <= as_of)
                .min()
                .unwrap_or(NULL_TIME)
        })
        .collect()
}

/// Customers' group codes (index into `labels`; [`NULL_CODE`] for customers not acquired)
/// and the group labels, with each group's period start for cohorts.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    /// Group code per customer.
    pub codes: Vec<u32>,
    /// Group labels by code.
    pub labels: Vec<String>,
    /// Cohort start (epoch microseconds) by code, for cohort groups.
    pub starts: Option<Vec<i64>>,
}

/// A cohort label: `2024-03-01` for days and weeks (the Monday), `2024-03` for months.
pub fn period_label(period: Period, index: i64, offset: i64) -> String {
    let start = period.start(index, offset) + offset;
    let (y, m, d) = civil_from_days(start.div_euclid(MICROS_PER_DAY));
    match period {
        Period::Month => format!("{y:04}-{m:02}"),
        _ => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// Groups acquired customers (`acquired[c] != NULL_TIME`) by `by`. Errors name the
/// option `by` and list the attributes that exist.
pub fn group(ds: &Dataset, by: &GroupBy, acquired: &[i64], offset: i64) -> Result<Groups> {
    match by {
        GroupBy::Cohort(period) => {
            let indexes: Vec<Option<i64>> = acquired
                .iter()
                .map(|&t| (t != NULL_TIME).then(|| period.index(t, offset)))
                .collect();
            let mut distinct: Vec<i64> = indexes.iter().flatten().copied().collect();
            distinct.sort_unstable();
            distinct.dedup();
            let codes = indexes
                .iter()
                .map(|i| match i {
                    Some(i) => distinct.binary_search(i).map_or(NULL_CODE, |k| k as u32),
                    None => NULL_CODE,
                })
                .collect();
            Ok(Groups {
                codes,
                labels: distinct
                    .iter()
                    .map(|&i| period_label(*period, i, offset))
                    .collect(),
                starts: Some(distinct.iter().map(|&i| period.start(i, offset)).collect()),
            })
        }
        GroupBy::Attribute(name) => {
            let attribute = ds.customers.attributes.iter().find(|p| &p.name == name);
            let Some(PropertyValues::Categorical { codes, labels }) = attribute.map(|p| &p.values)
            else {
                return Err(unknown_attribute(ds, name, attribute.is_some()));
            };
            let missing = labels.len() as u32;
            let mut any_missing = false;
            let out = (0..acquired.len())
                .map(|c| {
                    if acquired[c] == NULL_TIME {
                        return NULL_CODE;
                    }
                    match codes.get(c) {
                        Some(&code) if code != NULL_CODE => code,
                        _ => {
                            any_missing = true;
                            missing
                        }
                    }
                })
                .collect();
            let mut labels = labels.clone();
            if any_missing {
                labels.push(MISSING_LABEL.to_owned());
            }
            Ok(Groups {
                codes: out,
                labels,
                starts: None,
            })
        }
    }
}

fn unknown_attribute(ds: &Dataset, name: &str, exists: bool) -> InsituError {
    let categorical: Vec<String> = ds
        .customers
        .attributes
        .iter()
        .filter(|p| matches!(p.values, PropertyValues::Categorical { .. }))
        .map(|p| format!("\"{}\"", p.name))
        .collect();
    let choices = if categorical.is_empty() {
        if ds.has_customers {
            "the customers table has no text attributes; use \"cohort\"".to_owned()
        } else {
            "the dataset has no customers table; use \"cohort\", or pass a customers table \
             with attributes such as acquisition_channel"
                .to_owned()
        }
    } else {
        format!(
            "customer attributes: {}, or \"cohort\"",
            categorical.join(", ")
        )
    };
    let what = if exists {
        format!("customer attribute \"{name}\" is not categorical (text) and cannot group")
    } else {
        format!("no customer attribute \"{name}\"")
    };
    InsituError::bad_option("by", format!("{what}; {choices}"))
}

/// An error when `acquisition` is [`Acquisition::Signup`] but there is no signup time.
pub fn check_acquisition(ds: &Dataset, acquisition: Acquisition) -> Result<()> {
    if acquisition == Acquisition::Signup && ds.customers.signup.is_none() {
        return Err(InsituError::bad_option(
            "acquisition",
            if ds.has_customers {
                "\"signup\" needs a signup time column in the customers table (signup_time, \
                 signup, ... or a mapping { customers: { signup: \"...\" } }); it has none"
            } else {
                "\"signup\" needs a customers table with a signup time; the dataset has no \
                 customers table"
            },
        ));
    }
    Ok(())
}
