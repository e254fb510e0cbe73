//! Deterministic sample data: a believable online shop with mostly Korean customers.
//!
//! [`generate`] simulates visitors arriving over the period (a growing business, weekly
//! and yearly seasonality), a purchase funnel `visit -> signup -> view_product ->
//! add_to_cart -> begin_checkout -> purchase` with drop-offs, repeat buyers who drop out
//! (BG/NBD-style), a checkout A/B test, campaign messages with opens, clicks and a
//! purchase lift, and referrals. Output is plain `Vec` columns (no Arrow here; see
//! `crate::data::sample_ipc`), categorical columns as `u32` codes into label lists with
//! [`NULL_CODE`] for null, times as epoch milliseconds.
//!
//! The same options give byte-identical output on every target: only integer math,
//! `+ - * /`, `sqrt` and our own `ln`/`exp` are used.

mod assemble;
mod calendar;
mod campaigns;
mod labels;
mod log;
mod math;
mod messages;
mod orders;
mod person;
pub(crate) mod rng;
mod shop;
#[cfg(test)]
mod tests;

use crate::error::{InsituError, Result};

pub use labels::{
    ACQUISITION_CHANNELS, COUNTRIES, EVENT_NAMES, MESSAGE_CHANNELS, ORDER_CHANNELS, SOURCES,
    VARIANTS,
};

/// The code of a null value in a categorical column.
pub const NULL_CODE: u32 = u32::MAX;

/// Fewest events [`generate`] accepts.
pub const MIN_EVENTS: usize = 1_000;
/// Most events [`generate`] accepts.
pub const MAX_EVENTS: usize = 20_000_000;
/// Longest period [`generate`] accepts, in days.
pub const MAX_DAYS: u32 = 3_650;

/// 2024-01-01T00:00:00Z in epoch milliseconds.
pub const DEFAULT_START_MS: i64 = 1_704_067_200_000;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleOptions {
    /// Target number of events (the result is within a few percent); about 10 per
    /// customer id. 1,000 to 20,000,000.
    pub events: usize,
    /// Random seed: the same options always give the same data.
    pub seed: u64,
    /// Start of the period, epoch milliseconds.
    pub start_ms: i64,
    /// Length of the period in days, 1 to 3,650.
    pub days: u32,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            events: 100_000,
            seed: 42,
            start_ms: DEFAULT_START_MS,
            days: 365,
        }
    }
}

/// The customers table: one row per customer who signed up in the period, by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleCustomers {
    /// Customer id (the same id their events carry).
    pub customer_id: Vec<i64>,
    /// Signup time, epoch ms (equal to their `signup` event).
    pub signup_time: Vec<i64>,
    /// Country code into [`SampleData::countries`].
    pub country: Vec<u32>,
    /// Acquisition channel code into [`SampleData::acquisition_channels`].
    pub acquisition_channel: Vec<u32>,
}

/// The events table, in time order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleEvents {
    /// Customer id; anonymous visitors (who never sign up) have ids too.
    pub customer_id: Vec<i64>,
    /// Event time, epoch ms, non-decreasing.
    pub timestamp: Vec<i64>,
    /// Event code into [`SampleData::event_names`].
    pub event: Vec<u32>,
    /// Traffic source code into [`SampleData::sources`] (`visit` only, else null).
    pub source: Vec<u32>,
    /// Campaign code into [`SampleData::campaigns`] (`message_*` only, else null).
    pub campaign: Vec<u32>,
    /// Message channel code into [`SampleData::message_channels`] (`message_*` only).
    pub channel: Vec<u32>,
    /// Checkout experiment arm into [`SampleData::variants`] (`visit` of enrolled
    /// customers from their signup on, else null).
    pub variant: Vec<u32>,
}

/// The orders table, in time order: exactly one order per `purchase` event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleOrders {
    /// Unique order id, increasing with time.
    pub order_id: Vec<i64>,
    /// Customer id.
    pub customer_id: Vec<i64>,
    /// Order time, epoch ms (equal to the matching `purchase` event).
    pub timestamp: Vec<i64>,
    /// Order amount (currency-neutral), rounded to cents.
    pub amount: Vec<f64>,
    /// Order channel code into [`SampleData::order_channels`].
    pub channel: Vec<u32>,
    /// Gross margin of the order in money, rounded to cents.
    pub margin: Vec<f64>,
}

/// A generated data set: three tables plus the label list of every categorical column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleData {
    /// The customers table.
    pub customers: SampleCustomers,
    /// The events table.
    pub events: SampleEvents,
    /// The orders table.
    pub orders: SampleOrders,
    /// Labels of `events.event`.
    pub event_names: Vec<&'static str>,
    /// Labels of `events.source`.
    pub sources: Vec<&'static str>,
    /// Labels of `events.campaign` (e.g. `spring_sale_2024`), in send order.
    pub campaigns: Vec<String>,
    /// Labels of `events.channel`.
    pub message_channels: Vec<&'static str>,
    /// Labels of `events.variant`.
    pub variants: Vec<&'static str>,
    /// Labels of `orders.channel`.
    pub order_channels: Vec<&'static str>,
    /// Labels of `customers.country`.
    pub countries: Vec<&'static str>,
    /// Labels of `customers.acquisition_channel`.
    pub acquisition_channels: Vec<&'static str>,
}

/// Checks options, naming the one at fault.
fn validate(options: &SampleOptions) -> Result<()> {
    if !(MIN_EVENTS..=MAX_EVENTS).contains(&options.events) {
        return Err(InsituError::bad_option(
            "events",
            format!(
                "must be between {MIN_EVENTS} and {MAX_EVENTS}, got {}",
                options.events
            ),
        ));
    }
    if options.days == 0 || options.days > MAX_DAYS {
        return Err(InsituError::bad_option(
            "days",
            format!("must be between 1 and {MAX_DAYS}, got {}", options.days),
        ));
    }
    // Years 1900 to 9000: keeps every computed time far from overflow.
    const MIN_START: i64 = -2_208_988_800_000;
    const MAX_START: i64 = 221_845_392_000_000;
    if !(MIN_START..=MAX_START).contains(&options.start_ms) {
        return Err(InsituError::bad_option(
            "start",
            format!(
                "must be an epoch millisecond time between 1900 and 9000, got {}",
                options.start_ms
            ),
        ));
    }
    Ok(())
}

/// Generates the sample shop for `options` (deterministic: same options, same bytes).
///
/// Errors: `bad_option` for `events` outside 1,000..=20,000,000, `days` outside
/// 1..=3,650 or a start outside the years 1900..9000.
pub fn generate(options: &SampleOptions) -> Result<SampleData> {
    validate(options)?;
    assemble::generate(options)
}
