//! Who exists at an as-of date, and each customer's orders before it.
//!
//! Everything in this module looks only at data strictly before `asOf`.

use std::ops::Range;

use crate::data::properties::NULL_TIME;
use crate::data::Dataset;

/// The rows of customer `c`'s orders placed before `as_of` (orders are time-sorted, so
/// they are a prefix of the customer's rows).
pub fn orders_before(ds: &Dataset, c: usize, as_of: i64) -> Range<usize> {
    let rows = ds.orders.rows(c);
    let times = &ds.orders.time[rows.clone()];
    // Usually asOf is after all the data: one comparison instead of a binary search.
    if times.last().is_none_or(|&t| t < as_of) {
        return rows;
    }
    let n = times.partition_point(|&t| t < as_of);
    rows.start..rows.start + n
}

/// The rows of customer `c`'s events before `as_of`.
pub fn events_before(ds: &Dataset, c: usize, as_of: i64) -> Range<usize> {
    let rows = ds.events.rows(c);
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
    (0..ds.num_customers())
        .map(|c| known(ds, c, as_of))
        .collect()
}
