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

/// Every customer's orders when all of them count (asOf after all the data, the usual
/// case): ingest's per-customer offsets, spend and last order, read a column at a time
/// instead of looking each customer's rows up (a million customers: several ms in wasm
/// per field).
#[derive(Debug, Clone, Copy)]
pub struct AllOrders<'a> {
    /// `offsets[c]..offsets[c + 1]` are customer `c`'s rows (one more than customers).
    pub offsets: &'a [u32],
    /// Total amount per customer.
    pub spend: &'a [f64],
    /// Last order time per customer ([`NULL_TIME`] without orders).
    pub last: &'a [i64],
}

impl<'a> AllOrders<'a> {
    /// The customers' orders if every one counts at `as_of` and ingest kept their totals.
    pub fn at(ds: &'a Dataset, as_of: i64) -> Option<AllOrders<'a>> {
        let n = ds.num_customers();
        let o = &ds.orders;
        (all_before(ds, as_of) && o.offsets.len() > n && o.spend.len() >= n && o.last.len() >= n)
            .then(|| AllOrders {
                offsets: &o.offsets[..=n],
                spend: &o.spend[..n],
                last: &o.last[..n],
            })
    }

    /// Each customer's order count.
    pub fn counts(&self) -> impl Iterator<Item = u32> + 'a {
        self.offsets.windows(2).map(|w| w[1] - w[0])
    }
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
    let n = ds.num_customers();
    let (events, orders) = (&ds.events.offsets, &ds.orders.offsets);
    if all_before(ds, as_of) && events.len() > n && orders.len() > n {
        // Every event and order counts, so only signup can be at or after asOf: a
        // customer with rows is known, one without is known unless it signed up later.
        match &ds.customers.signup {
            None => return vec![true; n],
            Some(signup) if signup.len() >= n => {
                return events[..=n]
                    .windows(2)
                    .zip(orders[..=n].windows(2))
                    .zip(signup)
                    .map(|((e, o), &t)| e[1] > e[0] || o[1] > o[0] || t == NULL_TIME || t < as_of)
                    .collect();
            }
            Some(_) => {}
        }
    }
    (0..ds.num_customers())
        .map(|c| known(ds, c, as_of))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{CustomerIds, Customers, Events, Orders};

    /// Five customers: 0 with events, 1 with orders, 2 with neither but a signup before
    /// asOf, 3 signed up after asOf, 4 with no signup time.
    fn dataset(signup: Option<Vec<i64>>) -> Dataset {
        Dataset {
            ids: CustomerIds::Int(vec![10, 11, 12, 13, 14]),
            events: Events {
                offsets: vec![0, 2, 2, 2, 2, 2],
                time: vec![100, 200],
                event: vec![0, 0],
                ..Events::default()
            },
            orders: Orders {
                offsets: vec![0, 0, 2, 2, 2, 2],
                time: vec![150, 250],
                amount: vec![5.0, 7.5],
                spend: vec![0.0, 12.5, 0.0, 0.0, 0.0],
                last: vec![NULL_TIME, 250, NULL_TIME, NULL_TIME, NULL_TIME],
                ..Orders::default()
            },
            customers: Customers {
                signup,
                ..Customers::default()
            },
            time_span: Some((100, 250)),
            ..Dataset::default()
        }
    }

    #[test]
    fn known_all_agrees_with_known_when_every_row_counts() {
        let signups = Some(vec![NULL_TIME, NULL_TIME, 50, 900, NULL_TIME]);
        for (signup, as_of) in [(signups.clone(), 300), (signups, 220), (None, 300)] {
            let ds = dataset(signup);
            let each: Vec<bool> = (0..5).map(|c| known(&ds, c, as_of)).collect();
            assert_eq!(known_all(&ds, as_of), each, "asOf {as_of}");
        }
        let ds = dataset(Some(vec![NULL_TIME, NULL_TIME, 50, 900, NULL_TIME]));
        assert_eq!(known_all(&ds, 300), vec![true, true, true, false, true]);
    }

    #[test]
    fn all_orders_only_when_every_order_counts() {
        let ds = dataset(None);
        let all = AllOrders::at(&ds, 300).unwrap();
        assert_eq!(all.counts().collect::<Vec<_>>(), vec![0, 2, 0, 0, 0]);
        for c in 0..5 {
            let summary = orders_summary(&ds, c, 300);
            assert_eq!(summary.total, all.spend[c]);
            assert_eq!(summary.last, all.last[c]);
        }
        assert!(AllOrders::at(&ds, 200).is_none());
    }
}
