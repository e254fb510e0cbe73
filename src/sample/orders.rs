//! The order behind each purchase event: an amount around the customer's own spend
//! level (log-normal, with the odd big basket), a channel by app use, and a margin.

use super::labels::{ORDER_CHANNEL_APP_USER, ORDER_CHANNEL_WEB_USER};
use super::math::exp;
use super::rng::Rng;
use super::shop::{stream, Traits};
use super::SampleOrders;

/// First order id (ids follow time order).
const ORDER_ID_BASE: i64 = 100_000_001;

/// Rounds to cents (half away from zero for the positive values used here).
fn cents(x: f64) -> f64 {
    ((x * 100.0 + 0.5) as i64) as f64 / 100.0
}

/// Appends the order of a purchase event: amount around the customer's own level
/// (log-normal, with the odd big basket), channel by app use, margin 15-45%.
pub(crate) fn push_order(seed: u64, orders: &mut SampleOrders, person: u32, customer: i64, t: i64) {
    let seq = orders.order_id.len() as u64;
    let traits = Traits::of(seed, person);
    let mut rng = Rng::new(seed, stream::ORDER, seq);
    let mut amount = exp(traits.spend_mu + 0.55 * rng.normal());
    if rng.chance(0.02) {
        amount *= 2.0 + rng.exponential(2.0);
    }
    let amount = cents(amount.clamp(2.0, 20_000.0));
    let mix = if traits.app_user {
        ORDER_CHANNEL_APP_USER
    } else {
        ORDER_CHANNEL_WEB_USER
    };
    let channel = rng.pick(mix) as u32;
    let rate = if channel == 2 {
        rng.uniform(0.15, 0.30)
    } else {
        rng.uniform(0.22, 0.45)
    };
    orders.order_id.push(ORDER_ID_BASE + seq as i64);
    orders.customer_id.push(customer);
    orders.timestamp.push(t);
    orders.amount.push(amount);
    orders.channel.push(channel);
    orders.margin.push(cents(amount * rate));
}
