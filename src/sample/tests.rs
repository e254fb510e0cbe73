//! Properties of generated data sets that analyses rely on.

use super::labels::ev;
use super::*;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

fn opts(events: usize, seed: u64) -> SampleOptions {
    SampleOptions {
        events,
        seed,
        ..SampleOptions::default()
    }
}

fn small() -> &'static SampleData {
    static DATA: OnceLock<SampleData> = OnceLock::new();
    DATA.get_or_init(|| generate(&opts(10_000, 42)).expect("valid options"))
}

fn large() -> &'static SampleData {
    static DATA: OnceLock<SampleData> = OnceLock::new();
    DATA.get_or_init(|| generate(&opts(1_000_000, 7)).expect("valid options"))
}

/// Distinct customers with at least one event of each code.
fn customers_per_event(d: &SampleData) -> Vec<usize> {
    let mut sets = vec![HashSet::new(); EVENT_NAMES.len()];
    for (&c, &e) in d.events.customer_id.iter().zip(&d.events.event) {
        sets[e as usize].insert(c);
    }
    sets.iter().map(HashSet::len).collect()
}

fn orders_per_customer(d: &SampleData) -> HashMap<i64, usize> {
    let mut m = HashMap::new();
    for &c in &d.orders.customer_id {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

#[test]
fn same_options_same_data_other_seed_other_data() {
    let a = generate(&opts(10_000, 42)).unwrap();
    assert_eq!(&a, small());
    let b = generate(&opts(10_000, 43)).unwrap();
    assert_ne!(a.events, b.events);
    assert_ne!(a.orders.amount, b.orders.amount);
}

#[test]
fn event_count_is_near_the_target() {
    for (target, d) in [(10_000, small()), (1_000_000, large())] {
        let n = d.events.timestamp.len() as f64;
        assert!(
            (n / target as f64 - 1.0).abs() <= 0.1,
            "{n} events for a target of {target}"
        );
    }
    for target in [1_000, 2_500, 40_000] {
        let n = generate(&opts(target, 3)).unwrap().events.event.len() as f64;
        assert!((n / target as f64 - 1.0).abs() <= 0.1, "{n} for {target}");
    }
}

#[test]
fn columns_have_equal_lengths_and_valid_codes() {
    for d in [small(), large()] {
        let e = &d.events;
        let n = e.customer_id.len();
        for len in [
            e.timestamp.len(),
            e.event.len(),
            e.source.len(),
            e.campaign.len(),
            e.channel.len(),
            e.variant.len(),
        ] {
            assert_eq!(len, n);
        }
        let o = &d.orders;
        let m = o.order_id.len();
        for len in [
            o.customer_id.len(),
            o.timestamp.len(),
            o.amount.len(),
            o.channel.len(),
            o.margin.len(),
        ] {
            assert_eq!(len, m);
        }
        let c = &d.customers;
        assert_eq!(c.signup_time.len(), c.customer_id.len());
        assert_eq!(c.country.len(), c.customer_id.len());
        assert_eq!(c.acquisition_channel.len(), c.customer_id.len());
        let valid = |codes: &[u32], labels: usize, nullable: bool| {
            codes
                .iter()
                .all(|&x| (x as usize) < labels || (nullable && x == NULL_CODE))
        };
        assert!(valid(&e.event, d.event_names.len(), false));
        assert!(valid(&e.source, d.sources.len(), true));
        assert!(valid(&e.campaign, d.campaigns.len(), true));
        assert!(valid(&e.channel, d.message_channels.len(), true));
        assert!(valid(&e.variant, d.variants.len(), true));
        assert!(valid(&o.channel, d.order_channels.len(), false));
        assert!(valid(&c.country, d.countries.len(), false));
        assert!(valid(
            &c.acquisition_channel,
            d.acquisition_channels.len(),
            false
        ));
    }
}

#[test]
fn properties_are_set_exactly_on_their_events() {
    let d = large();
    let e = &d.events;
    let message = |x: u32| (ev::MESSAGE_SENT as u32..=ev::MESSAGE_CLICKED as u32).contains(&x);
    for i in 0..e.event.len() {
        let code = e.event[i];
        assert_eq!(e.source[i] != NULL_CODE, code == ev::VISIT as u32);
        assert_eq!(e.campaign[i] != NULL_CODE, message(code));
        assert_eq!(e.channel[i] != NULL_CODE, message(code));
        if e.variant[i] != NULL_CODE {
            assert_eq!(code, ev::VISIT as u32);
        }
    }
    // Each campaign uses one channel.
    let mut channel_of = HashMap::new();
    for (&c, &ch) in e.campaign.iter().zip(&e.channel) {
        if c != NULL_CODE {
            assert_eq!(*channel_of.entry(c).or_insert(ch), ch);
        }
    }
    // A customer keeps one variant.
    let mut variant_of = HashMap::new();
    for (&c, &v) in e.customer_id.iter().zip(&e.variant) {
        if v != NULL_CODE {
            assert_eq!(*variant_of.entry(c).or_insert(v), v);
        }
    }
    let enrolled = variant_of.len() as f64 / d.customers.customer_id.len() as f64;
    assert!((0.3..0.5).contains(&enrolled), "{enrolled}");
}

#[test]
fn events_and_orders_are_in_time_order_inside_the_period() {
    for d in [small(), large()] {
        let start = DEFAULT_START_MS;
        let end = start + 365 * 86_400_000;
        assert!(d.events.timestamp.windows(2).all(|w| w[0] <= w[1]));
        assert!(d.orders.timestamp.windows(2).all(|w| w[0] <= w[1]));
        assert!(d.orders.order_id.windows(2).all(|w| w[0] < w[1]));
        let first = d.events.timestamp.first().copied().unwrap_or(start);
        let last = d.events.timestamp.last().copied().unwrap_or(start);
        assert!(first >= start && last < end);
        // The data spans the whole year.
        assert!(first < start + 86_400_000 * 3 && last > end - 86_400_000 * 3);
    }
}

#[test]
fn every_purchase_has_exactly_one_order() {
    for d in [small(), large()] {
        let purchases: Vec<(i64, i64)> = (0..d.events.event.len())
            .filter(|&i| d.events.event[i] == ev::PURCHASE as u32)
            .map(|i| (d.events.customer_id[i], d.events.timestamp[i]))
            .collect();
        let orders: Vec<(i64, i64)> = d
            .orders
            .customer_id
            .iter()
            .copied()
            .zip(d.orders.timestamp.iter().copied())
            .collect();
        assert!(!orders.is_empty());
        assert_eq!(purchases, orders);
        let ids: HashSet<i64> = d.orders.order_id.iter().copied().collect();
        assert_eq!(ids.len(), d.orders.order_id.len());
    }
}

#[test]
fn order_amounts_and_margins_are_plausible() {
    let d = large();
    let o = &d.orders;
    let n = o.amount.len() as f64;
    for (&a, &m) in o.amount.iter().zip(&o.margin) {
        assert!((2.0..=20_000.0).contains(&a));
        assert_eq!((a * 100.0).round() / 100.0, a);
        assert_eq!((m * 100.0).round() / 100.0, m);
        assert!(m >= 0.14 * a && m <= 0.46 * a, "{m} of {a}");
    }
    let mut sorted = o.amount.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let mean = o.amount.iter().sum::<f64>() / n;
    assert!((30.0..80.0).contains(&median), "median {median}");
    assert!(mean > median, "long right tail");
    let p05 = sorted[sorted.len() / 20];
    let p99 = sorted[sorted.len() * 99 / 100];
    assert!(p05 > 8.0 && p99 > 250.0 && p99 < 1500.0, "{p05} {p99}");
    assert!(o.amount.iter().any(|&a| a > 1000.0));
    // All three channels occur; the app leads (mostly Korean customers).
    let mut per = [0usize; 3];
    o.channel.iter().for_each(|&c| per[c as usize] += 1);
    assert!(per[1] > per[0] && per[0] > per[2] && per[2] > 0, "{per:?}");
}

#[test]
fn funnel_narrows_step_by_step() {
    let funnel = [
        ev::VISIT,
        ev::SIGNUP,
        ev::VIEW_PRODUCT,
        ev::ADD_TO_CART,
        ev::BEGIN_CHECKOUT,
        ev::PURCHASE,
    ];
    for d in [small(), large()] {
        let per = customers_per_event(d);
        let counts: Vec<usize> = funnel.iter().map(|&e| per[e as usize]).collect();
        assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
        assert!(counts[1] > counts[2] && counts[4] > counts[5], "{counts:?}");
        // Sensible drop-offs: a minority of visitors sign up, most sign-ups browse.
        let ratio = |a: usize, b: usize| counts[b] as f64 / counts[a] as f64;
        assert!((0.2..0.6).contains(&ratio(0, 1)), "{counts:?}");
        assert!(ratio(1, 2) > 0.8, "{counts:?}");
        assert!((0.4..0.95).contains(&ratio(4, 5)), "{counts:?}");
    }
}

#[test]
fn signed_up_customers_match_their_signup_events() {
    for d in [small(), large()] {
        let mut signup = HashMap::new();
        for i in 0..d.events.event.len() {
            if d.events.event[i] == ev::SIGNUP as u32 {
                assert!(signup
                    .insert(d.events.customer_id[i], d.events.timestamp[i])
                    .is_none());
            }
        }
        let c = &d.customers;
        assert_eq!(signup.len(), c.customer_id.len());
        for (id, t) in c.customer_id.iter().zip(&c.signup_time) {
            assert_eq!(signup.get(id), Some(t));
        }
        assert!(c.customer_id.windows(2).all(|w| w[0] < w[1]));
        // Anonymous visitors exist: more ids in events than customers.
        let ids: HashSet<i64> = d.events.customer_id.iter().copied().collect();
        assert!(ids.len() > c.customer_id.len() * 3 / 2);
        // Only customers buy.
        assert!(d
            .orders
            .customer_id
            .iter()
            .all(|id| signup.contains_key(id)));
        // Mostly Korean customers; several countries and channels.
        let kr = c.country.iter().filter(|&&x| x == 0).count() as f64;
        assert!(kr / c.country.len() as f64 > 0.4);
        let countries: HashSet<u32> = c.country.iter().copied().collect();
        let channels: HashSet<u32> = c.acquisition_channel.iter().copied().collect();
        assert!(countries.len() >= 6 && channels.len() >= 6);
    }
}

#[test]
fn prospects_one_time_and_repeat_buyers_all_exist() {
    for d in [small(), large()] {
        let per = orders_per_customer(d);
        let customers = d.customers.customer_id.len();
        let prospects = d
            .customers
            .customer_id
            .iter()
            .filter(|id| !per.contains_key(id))
            .count();
        let once = per.values().filter(|&&n| n == 1).count();
        let repeat = per.values().filter(|&&n| n >= 2).count();
        let share = |x: usize| x as f64 / customers as f64;
        assert!(share(prospects) > 0.15, "{prospects} of {customers}");
        assert!(share(once) > 0.15, "{once} of {customers}");
        assert!(share(repeat) > 0.1, "{repeat} of {customers}");
        // Heterogeneous: some heavy buyers.
        assert!(per.values().any(|&n| n >= 6));
    }
}

#[test]
fn message_funnels_are_consistent_per_campaign() {
    for d in [small(), large()] {
        let e = &d.events;
        let mut per = vec![[0usize; 3]; d.campaigns.len()];
        for (&code, &c) in e.event.iter().zip(&e.campaign) {
            if c != NULL_CODE {
                per[c as usize][(code - ev::MESSAGE_SENT as u32) as usize] += 1;
            }
        }
        for (name, [sent, opened, clicked]) in d.campaigns.iter().zip(&per) {
            assert!(
                opened <= sent && clicked <= opened,
                "{name}: {sent} {opened} {clicked}"
            );
        }
        let total = per
            .iter()
            .fold([0usize; 3], |a, x| [a[0] + x[0], a[1] + x[1], a[2] + x[2]]);
        let open = total[1] as f64 / total[0] as f64;
        let click = total[2] as f64 / total[0] as f64;
        assert!((0.12..0.32).contains(&open), "open rate {open}");
        assert!((0.015..0.06).contains(&click), "click rate {click}");
        assert!(d.campaigns.len() >= 24);
    }
}

#[test]
fn clickers_buy_more_within_a_week() {
    let d = large();
    let e = &d.events;
    // Per customer: purchase times; then for each sent message, a purchase within 7 days?
    let mut purchases: HashMap<i64, Vec<i64>> = HashMap::new();
    for i in 0..e.event.len() {
        if e.event[i] == ev::PURCHASE as u32 {
            purchases
                .entry(e.customer_id[i])
                .or_default()
                .push(e.timestamp[i]);
        }
    }
    let mut clicked = HashSet::new();
    for i in 0..e.event.len() {
        if e.event[i] == ev::MESSAGE_CLICKED as u32 {
            clicked.insert((e.customer_id[i], e.campaign[i]));
        }
    }
    let week = 7 * 86_400_000;
    let (mut c_n, mut c_buy, mut o_n, mut o_buy) = (0, 0, 0, 0);
    for i in 0..e.event.len() {
        if e.event[i] != ev::MESSAGE_SENT as u32 {
            continue;
        }
        let t = e.timestamp[i];
        let bought = purchases
            .get(&e.customer_id[i])
            .is_some_and(|ts| ts.iter().any(|&p| p > t && p <= t + week));
        if clicked.contains(&(e.customer_id[i], e.campaign[i])) {
            c_n += 1;
            c_buy += usize::from(bought);
        } else {
            o_n += 1;
            o_buy += usize::from(bought);
        }
    }
    let clicker = c_buy as f64 / c_n as f64;
    let other = o_buy as f64 / o_n as f64;
    assert!(clicker > 3.0 * other, "clickers {clicker}, others {other}");
}

#[test]
fn treatment_converts_checkouts_better_than_control() {
    let d = large();
    let e = &d.events;
    let mut variant_of = HashMap::new();
    for (&c, &v) in e.customer_id.iter().zip(&e.variant) {
        if v != NULL_CODE {
            variant_of.insert(c, v);
        }
    }
    // Distinct customers per arm with a checkout, and of those with a purchase.
    let mut checkout = [HashSet::new(), HashSet::new()];
    let mut bought = [HashSet::new(), HashSet::new()];
    for (&c, &code) in e.customer_id.iter().zip(&e.event) {
        if let Some(&v) = variant_of.get(&c) {
            if code == ev::BEGIN_CHECKOUT as u32 {
                checkout[v as usize].insert(c);
            } else if code == ev::PURCHASE as u32 {
                bought[v as usize].insert(c);
            }
        }
    }
    let rate = |v: usize| bought[v].len() as f64 / checkout[v].len() as f64;
    assert!(checkout[0].len() > 1_000 && checkout[1].len() > 1_000);
    assert!(
        rate(1) > rate(0) + 0.015,
        "treatment {} control {}",
        rate(1),
        rate(0)
    );
}

#[test]
fn weekends_and_december_are_busier() {
    let d = large();
    let day_ms = 86_400_000;
    let mut per_day = vec![0usize; 366];
    for &t in &d.events.timestamp {
        per_day[((t - DEFAULT_START_MS) / day_ms) as usize] += 1;
    }
    // 2024-01-01 is a Monday: day i is a weekend day when i % 7 is 5 or 6.
    let (mut weekend, mut weekday, mut nw, mut nd) = (0, 0, 0, 0);
    for (i, &c) in per_day.iter().enumerate().take(365) {
        if i % 7 >= 5 {
            weekend += c;
            nw += 1;
        } else {
            weekday += c;
            nd += 1;
        }
    }
    let (we, wd) = (weekend as f64 / nw as f64, weekday as f64 / nd as f64);
    assert!(we > 1.08 * wd, "weekend {we} weekday {wd}");
    let month = |from: usize, to: usize| {
        per_day[from..to].iter().sum::<usize>() as f64 / (to - from) as f64
    };
    let (oct, dec) = (month(274, 305), month(335, 358));
    assert!(dec > 1.25 * oct, "december {dec} october {oct}");
}

#[test]
fn referrals_are_logged_on_inviters() {
    let d = large();
    let per = customers_per_event(d);
    let inviters = per[ev::INVITE_SENT as usize];
    let referred = per[ev::REFERRAL_SIGNUP as usize];
    assert!(inviters > 100 && referred > 20 && referred <= inviters);
    // Referral signups only on customers who sent an invite earlier.
    let mut first_invite = HashMap::new();
    for i in 0..d.events.event.len() {
        let (c, t) = (d.events.customer_id[i], d.events.timestamp[i]);
        match d.events.event[i] {
            x if x == ev::INVITE_SENT as u32 => {
                first_invite.entry(c).or_insert(t);
            }
            x if x == ev::REFERRAL_SIGNUP as u32 => {
                assert!(first_invite.get(&c).is_some_and(|&f| f <= t));
            }
            _ => {}
        }
    }
}

#[test]
fn bad_options_are_rejected_by_name() {
    let cases = [
        (opts(999, 1), "events"),
        (opts(20_000_001, 1), "events"),
        (
            SampleOptions {
                days: 0,
                ..SampleOptions::default()
            },
            "days",
        ),
        (
            SampleOptions {
                days: 3651,
                ..SampleOptions::default()
            },
            "days",
        ),
        (
            SampleOptions {
                start_ms: i64::MAX,
                ..SampleOptions::default()
            },
            "start",
        ),
    ];
    for (o, name) in cases {
        let err = generate(&o).unwrap_err();
        assert_eq!(err.code(), "bad_option");
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn short_and_long_periods_work() {
    for (days, start) in [
        (1, DEFAULT_START_MS + 3_600_000),
        (30, 0),
        (3650, DEFAULT_START_MS),
    ] {
        let o = SampleOptions {
            events: 5_000,
            days,
            start_ms: start,
            seed: 9,
        };
        let d = generate(&o).unwrap();
        let n = d.events.event.len() as f64;
        assert!(
            (n / 5_000.0 - 1.0).abs() <= 0.1,
            "{n} events over {days} days"
        );
        let end = start + i64::from(days) * 86_400_000;
        assert!(d.events.timestamp.iter().all(|&t| t >= start && t < end));
        assert!(!d.customers.customer_id.is_empty());
    }
}

/// Prints the shape of a default data set and (release builds) the time for 1M and 20M.
#[test]
#[cfg_attr(debug_assertions, ignore = "slow in debug builds; run with --release")]
fn sample_timing_and_shape() {
    for events in [100_000usize, 1_000_000, 20_000_000] {
        let t = std::time::Instant::now();
        let d = generate(&opts(events, 42)).unwrap();
        let elapsed = t.elapsed();
        let ids: HashSet<i64> = d.events.customer_id.iter().copied().collect();
        let per = customers_per_event(&d);
        let orders = orders_per_customer(&d);
        println!(
            "sample {events}: {:?} -> {} events, {} ids, {} customers, {} orders, {} buyers ({} repeat)",
            elapsed,
            d.events.event.len(),
            ids.len(),
            d.customers.customer_id.len(),
            d.orders.order_id.len(),
            orders.len(),
            orders.values().filter(|&&n| n > 1).count(),
        );
        let mut counts = vec![0usize; EVENT_NAMES.len()];
        d.events.event.iter().for_each(|&e| counts[e as usize] += 1);
        for (i, name) in EVENT_NAMES.iter().enumerate() {
            println!(
                "  {name:16} {:>10} events {:>9} customers",
                counts[i], per[i]
            );
        }
    }
}
