//! Who exists at an as-of date, and each customer's orders before it.
//!
//! Everything in this module looks only at data strictly before `asOf`.

use std::ops::Range;

use crate::data::properties::NULL_TIME;
use crate::data::Dataset;

/// Whether every event and order is before `as_of` (the usual case: asOf defaults to
/// after the data), so that each customer's rows are all counted without reading times.
#[inline]
pub fn all_before(ds: &Dataset, as_of: i64) -> bool {
    ds.time_span.is_none_or(|(_, last)| last < as_of)
}

/// The rows of customer `c`'s orders placed before `as_of` (orders are time-sorted, so
/// they are a prefix of the customer's rows).
#[inline]
pub fn orders_before(ds: &Dataset, c: usize, as_of: i64) -> Range<usize> {
    let rows = ds.orders.rows(c);
    if all_before(ds, as_of) {
        return rows;
    }
    let times = &ds.orders.time[rows.clone()];
    // Usually asOf is after all the data: one comparison instead of a binary search.
    if times.last().is_none_or(|&t| t < as_of) {
        return rows;
    }
    let n = times.partition_point(|&t| t < as_of);
    rows.start..rows.start + n
}

/// A customer's orders before an as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct OrdersBefore {
    /// Their rows.
    pub rows: Range<usize>,
    /// Their total amount.
    pub total: f64,
    /// The last one's time, [`NULL_TIME`] without orders.
    pub last: i64,
}

/// Customer `c`'s orders before `as_of` with their total and last time: read from the
/// per-customer figures kept at ingest when all the customer's orders count, so that
/// the amounts are only summed again for an asOf inside the customer's history.
#[inline]
pub fn orders_summary(ds: &Dataset, c: usize, as_of: i64) -> OrdersBefore {
    let rows = orders_before(ds, c, as_of);
    let whole = rows.end == ds.orders.rows(c).end;
    if let (true, Some(&total), Some(&last)) =
        (whole, ds.orders.spend.get(c), ds.orders.last.get(c))
    {
        return OrdersBefore { rows, total, last };
    }
    OrdersBefore {
        total: ds.orders.amount[rows.clone()].iter().sum(),
        last: if rows.is_empty() {
            NULL_TIME
        } else {
            ds.orders.time[rows.end - 1]
        },
        rows,
    }
}

/// The rows of customer `c`'s events before `as_of`.
pub fn events_before(ds: &Dataset, c: usize, as_of: i64) -> Range<usize> {
    let rows = ds.events.rows(c);
    if all_before(ds, as_of) {
        return rows;
    }
    let times = &ds.events.time[rows.clone()];
    if times.last().is_none_or(|&t| t < as_of) {
        return rows;
    }
    let n = times.partition_point(|&t| t < as_of);
    rows.start..rows.start + n
}

/// Customer `c`'s signup time, if the customers table gives one.
pub fn signup(ds: &Dataset, c: usize) -> Option<i64> {
    ds.customers
        .signup
        .as_ref()
        .and_then(|s| s.get(c).copied())
        .filter(|&t| t != NULL_TIME)
}

/// Whether customer `c` exists at `as_of`: an event, order or signup before it, or a
/// customers-table row with no dated activity at all (known at every date).
pub fn known(ds: &Dataset, c: usize, as_of: i64) -> bool {
    let first = |times: &[i64]| times.first().copied();
    let events = first(&ds.events.time[ds.events.rows(c)]);
    let orders = first(&ds.orders.time[ds.orders.rows(c)]);
    let joined = signup(ds, c);
    let dated = [events, orders, joined];
    if dated.iter().all(Option::is_none) {
        return true;
    }
    dated.iter().flatten().any(|&t| t < as_of)
}

/// [`known`] for every customer.
pub fn known_all(ds: &Dataset, as_of: i64) -> Vec<bool> {
    if all_before(ds, as_of) {
        // Every event and order counts, so only signup can be at or after asOf: a
        // customer with rows is known, one without is known unless it signed up later.
        return (0..ds.num_customers())
            .map(|c| {
                !ds.events.rows(c).is_empty()
                    || !ds.orders.rows(c).is_empty()
                    || signup(ds, c).is_none_or(|t| t < as_of)
            })
            .collect();
    }
    (0..ds.num_customers())
        .map(|c| known(ds, c, as_of))
        .collect()
}
