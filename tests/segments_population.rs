//! Each customer's orders before an as-of date and who exists then: the figures kept at
//! ingest (per-customer spend and last order, the "all data is before asOf" shortcut)
//! must equal a plain scan of the rows at every date, inside the data or after it.

mod common;

use insitu::segments::population::{known_all, orders_summary};

#[test]
fn kept_figures_equal_a_scan_of_the_rows_at_any_date() {
    let ds = common::sample_dataset(20_000, 7);
    let (first, last) = ds.time_span.expect("the sample has rows");
    let dates = [
        first,
        first + (last - first) / 3,
        last - 1,
        last,
        last + 1,
        last + 86_400_000_000,
    ];
    for as_of in dates {
        let known = known_all(&ds, as_of);
        for (c, &exists_got) in known.iter().enumerate() {
            let rows = ds.orders.rows(c);
            let before: Vec<usize> = rows.filter(|&r| ds.orders.time[r] < as_of).collect();
            let got = orders_summary(&ds, c, as_of);
            assert_eq!(got.rows.len(), before.len(), "customer {c} at {as_of}");
            let total: f64 = before.iter().map(|&r| ds.orders.amount[r]).sum();
            assert_eq!(got.total, total, "customer {c} at {as_of}");
            let last_time = before.iter().map(|&r| ds.orders.time[r]).max();
            assert_eq!(
                (got.last != i64::MIN).then_some(got.last),
                last_time,
                "customer {c} at {as_of}"
            );
            // Exists: any event, order or signup before asOf, or no dated activity at all.
            let mut dated = ds.events.time[ds.events.rows(c)].to_vec();
            dated.extend(&ds.orders.time[ds.orders.rows(c)]);
            if let Some(s) = ds.customers.signup.as_ref().and_then(|s| s.get(c)) {
                if *s != i64::MIN {
                    dated.push(*s);
                }
            }
            let exists = dated.is_empty() || dated.iter().any(|&t| t < as_of);
            assert_eq!(exists_got, exists, "customer {c} at {as_of}");
        }
    }
}
