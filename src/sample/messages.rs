//! Campaign messages to one customer: sends (with list hygiene), opens and clicks at
//! per-channel rates, and the visits clicks bring, with a purchase lift within a week.

use super::calendar::{DAY, HOUR, MINUTE, SECOND};
use super::campaigns::Target;
use super::labels::{ev, msg, CLICK_RATE, CLICK_SOURCE, KR, OPEN_RATE};
use super::person::{visit_prop, Sim};

/// Days without a visit after which a customer counts as lapsed for win-back sends.
const LAPSED_DAYS: i64 = 60;
/// Days after their last visit (once they dropped out) that customers still get messages.
const SUPPRESS_DAYS: i64 = 240;

impl Sim<'_> {
    /// Campaign messages after signup: sends, opens, clicks, and the visits (with a
    /// purchase lift) that clicks bring within a week. `death` is when the customer
    /// dropped out (`i64::MAX` if they did not).
    pub(super) fn messages(
        &mut self,
        signup_ms: i64,
        death: i64,
        engagement: f64,
        sessions: &[i64],
    ) {
        let shop = self.shop;
        let first = shop.campaigns.partition_point(|c| c.send_ms <= signup_ms);
        // List hygiene: customers who stopped visiting are suppressed after a while.
        let suppressed = death.saturating_add(SUPPRESS_DAYS * DAY);
        for (index, c) in shop.campaigns.iter().enumerate().skip(first) {
            if c.send_ms >= suppressed {
                break;
            }
            if (c.channel == msg::KAKAO && self.traits.country != KR)
                || (c.channel == msg::PUSH && !self.traits.app_user)
            {
                continue;
            }
            if c.target == Target::Lapsed {
                let before = sessions.partition_point(|&s| s < c.send_ms);
                let last = before.checked_sub(1).and_then(|i| sessions.get(i));
                if last.is_some_and(|&s| c.send_ms - s < LAPSED_DAYS * DAY) {
                    continue;
                }
            }
            if !self.rng.chance(c.audience) {
                continue;
            }
            let prop = index as u16;
            let ch = c.channel as usize;
            let sent = c.send_ms + self.rng.below(30 * MINUTE as u64) as i64;
            self.emit(sent, ev::MESSAGE_SENT, prop);
            let alive = if sent < death { 1.0 } else { 0.45 };
            if !self
                .rng
                .chance((OPEN_RATE[ch] * engagement * alive).min(0.95))
            {
                continue;
            }
            let opened = sent + self.rng.delay_ms(30 * SECOND, 3.0 * HOUR as f64);
            self.emit(opened, ev::MESSAGE_OPENED, prop);
            if !self.rng.chance((CLICK_RATE[ch] * engagement).min(0.9)) {
                continue;
            }
            let clicked = opened + self.rng.delay_ms(3 * SECOND, 30.0 * SECOND as f64);
            self.emit(clicked, ev::MESSAGE_CLICKED, prop);
            let visit = clicked + self.rng.delay_ms(SECOND, 3.0 * SECOND as f64);
            self.emit(visit, ev::VISIT, visit_prop(CLICK_SOURCE[ch], self.variant));
            self.browse(visit, 2.4);
            if self.rng.chance(0.3) {
                let again = clicked + self.rng.delay_ms(HOUR, 1.5 * DAY as f64);
                if again < clicked + 7 * DAY {
                    let source = self.return_source();
                    self.emit(again, ev::VISIT, visit_prop(source, self.variant));
                    self.browse(again, 1.8);
                }
            }
        }
    }
}
