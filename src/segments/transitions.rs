//! `ds.transitions({ segments, from, to })`: how customers moved between segments
//! from one as-of date to another.
//!
//! Each customer is put in the first segment (in list order) whose definition matches
//! at a date, or in "none". The population is every customer who exists at `to` (an
//! event, order or signup before it); those who did not exist yet at `from` are in the
//! "none" row (and counted in `entered`), so the matrix sums to the population.

use crate::json::{FromJson, ToJson};

use super::definition::{assign, check_names, SegmentDefinition, NOT_KNOWN, NO_SEGMENT};
use super::population::known_all;
use super::when::{as_of, before_all_data, TimeValue};
use crate::data::{Dataset, ResultColumn, ResultTable};
use crate::error::{InsituError, Result};
use crate::time::MICROS_PER_MS;

/// The label of customers in no segment.
pub const NONE: &str = "none";

/// Most segments a transition matrix takes.
pub const MAX_SEGMENTS: usize = 50;

/// Options of [`transitions`] (camelCase; unknown fields are errors).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransitionsOptions {
    /// The segments, in priority order (the first match wins).
    #[json(default)]
    pub segments: Vec<SegmentDefinition>,
    /// The earlier as-of date.
    pub from: Option<TimeValue>,
    /// The later as-of date; default UTC midnight after the last event or order.
    pub to: Option<TimeValue>,
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct TransitionCell {
    /// Segment at `from`.
    pub from: String,
    /// Segment at `to`.
    pub to: String,
    /// Customers.
    pub customers: usize,
    /// `customers` over the `from` row's total.
    pub rate: Option<f64>,
}

/// What [`transitions`] returns.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Transitions {
    /// The earlier date, epoch ms.
    pub from: f64,
    /// The later date, epoch ms.
    pub to: f64,
    /// Row and column labels: the segment names, then "none".
    pub labels: Vec<String>,
    /// Customers who exist at `to`; the sum of all counts.
    pub population: usize,
    /// Customers of the population who did not exist yet at `from` (in the "none" row).
    pub entered: usize,
    /// `counts[i][j]`: in segment i at `from` and j at `to`.
    pub counts: Vec<Vec<usize>>,
    /// `rates[i][j] = counts[i][j] / fromTotals[i]` (null for an empty row).
    pub rates: Vec<Vec<Option<f64>>>,
    /// Customers per segment at `from` (row sums).
    pub from_totals: Vec<usize>,
    /// Customers per segment at `to` (column sums).
    pub to_totals: Vec<usize>,
    /// Customers in the same segment at both dates.
    pub stayed: usize,
    /// Customers who changed segment.
    pub moved: usize,
    /// Every cell, row by row.
    pub cells: Vec<TransitionCell>,
    /// Per-customer codes (index into labels) for the table.
    #[json(skip)]
    customers: Vec<(u32, u32, u32)>,
}

impl Transitions {
    /// The population: customer_id, from, to (segment names).
    pub fn table(&self) -> ResultTable {
        let codes = |pick: fn(&(u32, u32, u32)) -> u32| ResultColumn::Category {
            codes: self.customers.iter().map(pick).collect(),
            labels: self.labels.clone(),
        };
        ResultTable::default()
            .with(
                "customer_id",
                ResultColumn::Customers(self.customers.iter().map(|c| c.0).collect()),
            )
            .with("from", codes(|c| c.1))
            .with("to", codes(|c| c.2))
    }
}

/// The matrix of customers moving between `segments` from `from` to `to`.
///
/// ```
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// use insitu::segments::transitions::{transitions, TransitionsOptions};
/// let options: TransitionsOptions = insitu::json::from_str(r#"{
///   "segments": [{"name": "repeat", "where": "orders >= 2 and days_since_last_order <= 60"},
///                {"name": "dormant", "where": "orders >= 1 and days_since_last_order > 60"}],
///   "from": "2024-06-01", "to": "2024-12-01" }"#)
///     .map_err(|e| insitu::InsituError::bad_option("transitions", e.to_string()))?;
/// let t = transitions(ds, &options)?;
/// println!("{} repeat customers went dormant", t.counts[0][1]);
/// # Ok(()) }
/// ```
pub fn transitions(ds: &Dataset, options: &TransitionsOptions) -> Result<Transitions> {
    let defs = &options.segments;
    if defs.is_empty() || defs.len() > MAX_SEGMENTS {
        return Err(InsituError::bad_option(
            "segments",
            format!(
                "give 1 to {MAX_SEGMENTS} segment definitions; {} given",
                defs.len()
            ),
        ));
    }
    check_names(defs, "segments", NONE)?;
    if let Some(i) = defs.iter().position(|d| d.as_of.is_some()) {
        return Err(InsituError::bad_option(
            format!("segments[{i}].asOf"),
            "transitions evaluate every segment at `from` and at `to`; remove asOf",
        ));
    }
    let Some(from) = &options.from else {
        return Err(InsituError::bad_option(
            "from",
            "missing: the earlier as-of date",
        ));
    };
    let from = from.micros("from")?;
    let to = as_of(ds, "to", options.to.as_ref())?;
    if from >= to {
        return Err(InsituError::bad_option("from", "must be before `to`"));
    }
    let known_to = known_all(ds, to);
    if !known_to.iter().any(|&k| k) {
        return Err(before_all_data(ds, "to", to, "any activity"));
    }
    let at_from = assign(ds, defs, from, "segments")?;
    let at_to = assign(ds, defs, to, "segments")?;

    let k = defs.len() + 1;
    let none = defs.len() as u32;
    let code = |x: u32| {
        if x == NO_SEGMENT || x == NOT_KNOWN {
            none
        } else {
            x
        }
    };
    let mut counts = vec![vec![0usize; k]; k];
    let mut customers = Vec::new();
    let mut entered = 0;
    for c in 0..ds.num_customers() {
        if !known_to[c] {
            continue;
        }
        if at_from[c] == NOT_KNOWN {
            entered += 1;
        }
        let (i, j) = (code(at_from[c]), code(at_to[c]));
        counts[i as usize][j as usize] += 1;
        customers.push((c as u32, i, j));
    }
    let mut labels: Vec<String> = defs.iter().map(|d| d.name.trim().to_owned()).collect();
    labels.push(NONE.to_owned());
    let from_totals: Vec<usize> = counts.iter().map(|row| row.iter().sum()).collect();
    let to_totals: Vec<usize> = (0..k)
        .map(|j| counts.iter().map(|row| row[j]).sum())
        .collect();
    let rates: Vec<Vec<Option<f64>>> = counts
        .iter()
        .zip(&from_totals)
        .map(|(row, &t)| {
            row.iter()
                .map(|&x| (t > 0).then(|| x as f64 / t as f64))
                .collect()
        })
        .collect();
    let mut cells = Vec::with_capacity(k * k);
    for i in 0..k {
        for j in 0..k {
            cells.push(TransitionCell {
                from: labels[i].clone(),
                to: labels[j].clone(),
                customers: counts[i][j],
                rate: rates[i][j],
            });
        }
    }
    let population = customers.len();
    let stayed = (0..k).map(|i| counts[i][i]).sum();
    Ok(Transitions {
        from: from as f64 / MICROS_PER_MS as f64,
        to: to as f64 / MICROS_PER_MS as f64,
        labels,
        population,
        entered,
        counts,
        rates,
        from_totals,
        to_totals,
        stayed,
        moved: population - stayed,
        cells,
        customers,
    })
}
