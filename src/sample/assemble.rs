//! Runs the simulation at a size that hits the event target, then turns the raw log
//! into time-ordered columns and the orders table.

use super::calendar::DAY;
use super::labels::{self, ev};
use super::log::{unpack, EventLog, MAX_PERSONS};
use super::orders::push_order;
use super::person::{simulate, CustomerRow};
use super::shop::Shop;
use super::{SampleCustomers, SampleData, SampleEvents, SampleOptions, SampleOrders, NULL_CODE};
use crate::error::{InsituError, Result};

/// First customer id (ids are person index + this).
const CUSTOMER_ID_BASE: i64 = 1_000_000;
/// Accept a run whose event count is within this share of the target.
const TOLERANCE: f64 = 0.04;

/// One simulation run of `n` persons; a `pilot` run draws other people and only counts.
fn run(shop: &Shop, n: usize, pilot: bool, capacity: usize) -> (EventLog, Vec<CustomerRow>) {
    let mut log = EventLog::new(shop.start, shop.days, pilot, capacity);
    let mut customers = Vec::new();
    let mut sessions = Vec::new();
    for person in 0..n as u32 {
        if let Some(row) = simulate(shop, &mut log, &mut sessions, pilot, person, n) {
            if !pilot {
                customers.push(row);
            }
        }
    }
    (log, customers)
}

/// Persons needed for `target` events, estimated from a pilot of other people.
fn estimate_persons(shop: &Shop, target: usize) -> usize {
    let pilot = (target / 100).clamp(4_096, 65_536);
    let (log, _) = run(shop, pilot, true, 0);
    let per_person = (log.len as f64 / pilot as f64).max(1.0);
    ((target as f64 / per_person) + 0.5) as usize
}

fn too_many(n: usize) -> InsituError {
    InsituError::Limit(format!(
        "sample data would need {n} customers; at most {MAX_PERSONS} are supported"
    ))
}

/// Generates validated options.
pub(crate) fn generate(options: &SampleOptions) -> Result<SampleData> {
    let shop = Shop::new(options);
    let target = options.events;
    let mut n = estimate_persons(&shop, target).max(1);
    let max_attempts = if target < 200_000 { 12 } else { 4 };
    let mut best: Option<(f64, usize)> = None;
    let mut accepted = None;
    for _ in 0..max_attempts {
        if n > MAX_PERSONS {
            return Err(too_many(n));
        }
        let capacity = target + target / 8;
        let (log, customers) = run(&shop, n, false, capacity);
        let off = (log.len as f64 - target as f64).abs() / target as f64;
        if off <= TOLERANCE {
            accepted = Some((log, customers));
            break;
        }
        if best.is_none_or(|(b, _)| off < b) {
            best = Some((off, n));
        }
        let next = ((n as f64 * target as f64 / log.len.max(1) as f64) + 0.5) as usize;
        // Tiny data: rescaling may round back to the same size; nudge instead.
        n = match next.cmp(&n) {
            std::cmp::Ordering::Equal if log.len < target => n + 1,
            std::cmp::Ordering::Equal => n.saturating_sub(1).max(1),
            _ => next.max(1),
        };
    }
    let (log, customers) = match accepted {
        Some(run) => run,
        None => {
            // No run was close enough: redo the closest one (runs are deterministic).
            let n = best.map_or(n, |(_, n)| n);
            if n > MAX_PERSONS {
                return Err(too_many(n));
            }
            run(&shop, n, false, target + target / 8)
        }
    };
    Ok(build(&shop, log, customers))
}

/// Sorted columns and the orders table from one run.
fn build(shop: &Shop, log: EventLog, customer_rows: Vec<CustomerRow>) -> SampleData {
    let (sorted, offsets) = log.into_sorted();
    let n = sorted.len();
    let mut events = SampleEvents {
        customer_id: Vec::with_capacity(n),
        timestamp: Vec::with_capacity(n),
        event: Vec::with_capacity(n),
        source: Vec::with_capacity(n),
        campaign: Vec::with_capacity(n),
        channel: Vec::with_capacity(n),
        variant: Vec::with_capacity(n),
    };
    let mut orders = SampleOrders::default();
    for (day, w) in offsets.windows(2).enumerate() {
        let day_start = shop.start + day as i64 * DAY;
        for &rec in sorted.get(w[0]..w[1]).unwrap_or(&[]) {
            let e = unpack(rec);
            let t = day_start + e.ms_in_day;
            let customer = CUSTOMER_ID_BASE + i64::from(e.person);
            events.customer_id.push(customer);
            events.timestamp.push(t);
            events.event.push(u32::from(e.code));
            let (mut source, mut variant, mut campaign, mut channel) =
                (NULL_CODE, NULL_CODE, NULL_CODE, NULL_CODE);
            match e.code {
                ev::VISIT => {
                    source = u32::from(e.prop & 0xf);
                    let v = u32::from(e.prop >> 4);
                    if v > 0 {
                        variant = v - 1;
                    }
                }
                ev::MESSAGE_SENT | ev::MESSAGE_OPENED | ev::MESSAGE_CLICKED => {
                    if let Some(c) = shop.campaigns.get(e.prop as usize) {
                        campaign = u32::from(e.prop);
                        channel = u32::from(c.channel);
                    }
                }
                ev::PURCHASE => push_order(shop.seed, &mut orders, e.person, customer, t),
                _ => {}
            }
            events.source.push(source);
            events.variant.push(variant);
            events.campaign.push(campaign);
            events.channel.push(channel);
        }
    }
    drop(sorted);

    let mut customers = SampleCustomers {
        customer_id: Vec::with_capacity(customer_rows.len()),
        signup_time: Vec::with_capacity(customer_rows.len()),
        country: Vec::with_capacity(customer_rows.len()),
        acquisition_channel: Vec::with_capacity(customer_rows.len()),
    };
    for row in &customer_rows {
        customers
            .customer_id
            .push(CUSTOMER_ID_BASE + i64::from(row.person));
        customers.signup_time.push(row.signup_ms);
        customers.country.push(u32::from(row.country));
        customers
            .acquisition_channel
            .push(u32::from(row.acquisition));
    }

    SampleData {
        customers,
        events,
        orders,
        event_names: labels::EVENT_NAMES.to_vec(),
        sources: labels::SOURCES.to_vec(),
        campaigns: shop.campaigns.iter().map(|c| c.name.clone()).collect(),
        message_channels: labels::MESSAGE_CHANNELS.to_vec(),
        variants: labels::VARIANTS.to_vec(),
        order_channels: labels::ORDER_CHANNELS.to_vec(),
        countries: labels::COUNTRIES.to_vec(),
        acquisition_channels: labels::ACQUISITION_CHANNELS.to_vec(),
    }
}
