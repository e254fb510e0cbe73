//! The one pass over customers: each customer's cohort memberships (first-time: the
//! period of the first-ever start event; recurring: every period with a start event),
//! then their return periods (or order amounts) added into the cells of those cohorts.
//!
//! Cells are accumulated per (breakdown code, cohort period) row; because each
//! membership belongs to exactly one row, rows of folded breakdown values and the overall
//! table are plain sums of rows afterwards.

use hashbrown::HashMap;

use super::breakdown::{Breakdown, Source};
use super::{Mode, Plan};
use crate::data::{Dataset, NULL_CODE};

/// One (breakdown code, cohort period) row being accumulated.
#[derive(Debug, Clone)]
pub struct Row {
    /// Breakdown value code ([`NULL_CODE`] = missing; 0 without a breakdown).
    pub group: u32,
    /// Cohort period number.
    pub period: i64,
    /// Customers in the cohort.
    pub size: u64,
    /// `cells[k]`: returning customers (or revenue) `k` periods after the cohort period.
    /// `cells[0]` is filled only in revenue mode (the cohort size otherwise).
    pub cells: Vec<f64>,
}

/// All rows, found by (code, period).
#[derive(Debug, Default)]
pub struct Rows {
    index: HashMap<(u32, i64), usize>,
    /// The rows in first-seen order.
    pub rows: Vec<Row>,
}

impl Rows {
    fn get(&mut self, group: u32, period: i64, width: usize) -> &mut Row {
        let next = self.rows.len();
        let i = *self.index.entry((group, period)).or_insert(next);
        if i == next {
            self.rows.push(Row {
                group,
                period,
                size: 0,
                cells: vec![0.0; width],
            });
        }
        &mut self.rows[i]
    }
}

/// Runs the pass. `breakdown` is `None` without a breakdown (every row has code 0).
pub fn accumulate(ds: &Dataset, plan: &Plan, mut breakdown: Option<&mut Breakdown>) -> Rows {
    let mut out = Rows::default();
    let width = plan.periods;
    let events = &ds.events;
    let index = |t: i64| plan.period.index(t, plan.offset);
    // Per-customer scratch, reused.
    let mut memberships: Vec<(i64, u32)> = Vec::new();
    let mut returns: Vec<i64> = Vec::new();
    let mut orders: Vec<(i64, f64)> = Vec::new();

    for c in 0..ds.num_customers() {
        memberships.clear();
        let rows = events.rows(c);
        let customer_code = match breakdown.as_deref_mut() {
            Some(b) if b.source == Source::Customer => b.code(c),
            Some(_) => NULL_CODE,
            None => 0,
        };
        // The value of an event-property breakdown on start event `r`.
        let mut event_code = |r: usize| match breakdown.as_deref_mut() {
            Some(b) if b.source == Source::Event => Some(b.code(r)),
            _ => None,
        };
        let in_range = |t: i64| t >= plan.from && t <= plan.to;
        match plan.mode {
            Mode::FirstTime => {
                let first = rows.clone().find(|&r| events.event[r] == plan.start);
                if let Some(r0) = first.filter(|&r| in_range(events.time[r])) {
                    let p = index(events.time[r0]);
                    let mut code = customer_code;
                    // Event breakdown: the first non-null value on a start event of the
                    // cohort period, from the first start event on.
                    for r in r0..rows.end {
                        let t = events.time[r];
                        if index(t) != p || !in_range(t) {
                            break;
                        }
                        if events.event[r] == plan.start {
                            match event_code(r) {
                                Some(v) if v != NULL_CODE => {
                                    code = v;
                                    break;
                                }
                                Some(_) => {}
                                None => break,
                            }
                        }
                    }
                    memberships.push((p, code));
                }
            }
            Mode::Recurring => {
                for r in rows.clone() {
                    let t = events.time[r];
                    if events.event[r] != plan.start || !in_range(t) {
                        continue;
                    }
                    let p = index(t);
                    let value = event_code(r);
                    match memberships.last_mut() {
                        Some(last) if last.0 == p => {
                            if let Some(v) = value.filter(|_| last.1 == NULL_CODE) {
                                last.1 = v;
                            }
                        }
                        _ => memberships.push((p, value.unwrap_or(customer_code))),
                    }
                }
            }
        }
        if memberships.is_empty() {
            continue;
        }

        if plan.revenue {
            orders.clear();
            let o = &ds.orders;
            orders.extend(o.rows(c).map(|r| (index(o.time[r]), o.amount[r])));
            for &(p, code) in &memberships {
                let row = out.get(code, p, width);
                row.size += 1;
                let first = orders.partition_point(|&(q, _)| q < p);
                for &(q, amount) in &orders[first..] {
                    let k = (q - p) as usize;
                    if k >= width {
                        break;
                    }
                    row.cells[k] += amount;
                }
            }
            continue;
        }

        // Only returns after the first cohort period and before the last cohort's final
        // cell can count, so the scan starts and stops there (rows are time-sorted); a
        // return past the end only matters to "on or after", as a marker.
        returns.clear();
        let (first_cohort, last_cohort) = (memberships[0].0, memberships[memberships.len() - 1].0);
        let after = plan.period.start(first_cohort + 1, plan.offset);
        let end = plan.period.start(last_cohort + width as i64, plan.offset);
        let begin = rows.start + events.time[rows.clone()].partition_point(|&t| t < after);
        for r in begin..rows.end {
            let t = events.time[r];
            if t >= end {
                if plan.cumulative && events.event[r..rows.end].contains(&plan.ret) {
                    returns.push(last_cohort + width as i64);
                }
                break;
            }
            if events.event[r] == plan.ret {
                let p = index(t);
                if returns.last() != Some(&p) {
                    returns.push(p);
                }
            }
        }
        for &(p, code) in &memberships {
            let row = out.get(code, p, width);
            row.size += 1;
            if plan.cumulative {
                // "On or after k": counted for every k up to the latest return period.
                if let Some(&last) = returns.last() {
                    let reach = (last - p).min(width as i64 - 1);
                    for cell in row.cells.iter_mut().take(reach.max(0) as usize + 1).skip(1) {
                        *cell += 1.0;
                    }
                }
            } else {
                // A return in the cohort period itself only counts for k = 0 (the size).
                let first = returns.partition_point(|&q| q <= p);
                for &q in &returns[first..] {
                    let k = (q - p) as usize;
                    if k >= width {
                        break;
                    }
                    row.cells[k] += 1.0;
                }
            }
        }
    }
    out
}
