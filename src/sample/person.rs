//! One person's life in the shop: arrival, maybe a signup, shopping sessions with a
//! purchase funnel, repeat visits until they drop out (BG/NBD-style), messages from
//! campaigns with opens, clicks and the visits those bring, and referral invites.
//!
//! Everything is drawn from the person's own random stream, so a person's events
//! depend only on `(seed, person, arrival quantile)`.

use super::calendar::{pick_hour, DAY, HOUR, MINUTE, SECOND};
use super::labels::{
    acq, ev, src, BUY_PROPENSITY, FIRST_SOURCE_KR, FIRST_SOURCE_OTHER, KR, RETURN_SOURCE_KR,
    RETURN_SOURCE_OTHER, SIGNUP_RATE,
};
use super::log::EventLog;
use super::rng::Rng;
use super::shop::{stream, Shop, Traits};

/// A customers-table row (a person who signed up inside the period).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CustomerRow {
    /// Person index.
    pub person: u32,
    /// Signup time, epoch ms.
    pub signup_ms: i64,
    /// Country code.
    pub country: u8,
    /// Acquisition channel code.
    pub acquisition: u8,
}

/// Chance a session's cart step happens, before customer and session multipliers.
const BASE_CART: f64 = 0.56;
/// Chance a cart goes on to checkout.
const CHECKOUT: f64 = 0.70;
/// Chance a checkout completes, control and treatment of the checkout experiment.
const PURCHASE_CONTROL: f64 = 0.68;
const PURCHASE_TREATMENT: f64 = 0.75;
/// Share of signed-up customers enrolled in the checkout experiment.
const ENROLLED: f64 = 0.4;
/// Safety cap on sessions per person.
const MAX_SESSIONS: usize = 2_000;

/// Variant payload of `visit` events: 0 = not enrolled, 1 = control, 2 = treatment.
pub(super) fn visit_prop(source: u8, variant: u8) -> u16 {
    u16::from(source) | (u16::from(variant) << 4)
}

/// The simulation state of one person.
pub(super) struct Sim<'a> {
    /// The shop.
    pub shop: &'a Shop,
    /// Where events go.
    pub log: &'a mut EventLog,
    /// The person's random stream.
    pub rng: Rng,
    /// Person index.
    pub person: u32,
    /// Stable traits.
    pub traits: Traits,
    /// Checkout experiment arm: 0 = not enrolled, 1 = control, 2 = treatment.
    pub variant: u8,
    /// Cart-step multiplier (purchase propensity).
    pub propensity: f64,
    /// Chance a checkout completes.
    pub purchase_p: f64,
    /// Referral activity multiplier.
    pub referrer: f64,
}

/// Simulates person `person` of `n` (arrival quantile from their index) into `log`;
/// returns their customers-table row if they signed up. `sessions` is scratch space;
/// `pilot` draws a different set of people (for estimating events per person).
pub(crate) fn simulate(
    shop: &Shop,
    log: &mut EventLog,
    sessions: &mut Vec<i64>,
    pilot: bool,
    person: u32,
    n: usize,
) -> Option<CustomerRow> {
    // Pilot persons (used only to estimate events per person) are other people.
    let (traits_seed, stream) = if pilot {
        (!shop.seed, stream::PILOT)
    } else {
        (shop.seed, stream::PERSON)
    };
    let traits = Traits::of(traits_seed, person);
    let mut rng = Rng::new(shop.seed, stream, u64::from(person));
    let u = (f64::from(person) + rng.f64()) / n as f64;
    let mut sim = Sim {
        shop,
        log,
        rng,
        person,
        traits,
        variant: 0,
        propensity: 0.0,
        purchase_p: 0.0,
        referrer: 0.0,
    };
    sim.life(u, sessions)
}

impl Sim<'_> {
    /// Logs one event of this person.
    pub(super) fn emit(&mut self, t: i64, code: u8, prop: u16) {
        self.log.push(t, self.person, code, prop);
    }

    /// The source of a returning (not message-driven) visit.
    pub(super) fn return_source(&mut self) -> u8 {
        let w = if self.traits.country == KR {
            RETURN_SOURCE_KR
        } else {
            RETURN_SOURCE_OTHER
        };
        self.rng.pick(w) as u8
    }

    fn life(&mut self, u: f64, sessions: &mut Vec<i64>) -> Option<CustomerRow> {
        let shop = self.shop;
        // Arrival: a day from the growth/seasonality curve, a local hour from the daily curve.
        let day = shop.calendar.arrival_day(u) as i64;
        let hour = pick_hour(&mut self.rng);
        let start_time_of_day = shop.start.rem_euclid(DAY);
        let local = hour * HOUR + self.rng.below(HOUR as u64) as i64;
        let in_day = (local - self.traits.utc_offset_ms - start_time_of_day).rem_euclid(DAY);
        let t0 = shop.start + day * DAY + in_day;

        let first_weights = if self.traits.country == KR {
            FIRST_SOURCE_KR
        } else {
            FIRST_SOURCE_OTHER
        };
        let first_source = self.rng.pick(first_weights) as u8;
        let acquisition = match first_source {
            src::NAVER | src::GOOGLE if self.rng.chance(0.45) => acq::PAID_SEARCH,
            src::KAKAO | src::INSTAGRAM | src::YOUTUBE | src::FACEBOOK => {
                if self.rng.chance(0.5) {
                    acq::PAID_SOCIAL
                } else {
                    acq::SOCIAL
                }
            }
            src::REFERRAL => acq::REFERRAL,
            src::AFFILIATE => acq::AFFILIATE,
            src::EMAIL => acq::EMAIL,
            src::DIRECT => acq::ORGANIC,
            _ => acq::ORGANIC,
        };

        if !self.rng.chance(SIGNUP_RATE[acquisition as usize]) {
            self.anonymous(t0, first_source);
            return None;
        }

        // Visits before the one where they sign up, then the signup itself.
        let extra_visits = self.rng.pick(&[0.62, 0.25, 0.13]);
        let mut visits = [(t0, first_source); 3];
        for i in 1..=extra_visits {
            let t = visits[i - 1].0 + self.rng.delay_ms(HOUR, 2.5 * DAY as f64);
            visits[i] = (t, self.return_source());
        }
        let (signup_visit, signup_source) = visits[extra_visits];
        let signup_ms = signup_visit + self.rng.delay_ms(20 * SECOND, 90.0 * SECOND as f64);
        if signup_ms >= self.shop.end {
            // The period ends first: to this data set they are an anonymous visitor.
            for &(t, s) in &visits[..=extra_visits] {
                self.emit(t, ev::VISIT, visit_prop(s, 0));
            }
            return None;
        }
        for &(t, s) in &visits[..extra_visits] {
            self.emit(t, ev::VISIT, visit_prop(s, 0));
            let views = 1 + self.rng.geometric(0.5, 8);
            self.views(t, views);
        }

        // Customer parameters (heterogeneous: gamma rates, beta dropout, never-buyers).
        if self.rng.chance(ENROLLED) {
            self.variant = 1 + self.rng.below(2) as u8;
        }
        let never_buyer = self.rng.chance(0.16);
        self.propensity = BUY_PROPENSITY[acquisition as usize]
            * if never_buyer {
                0.3
            } else {
                self.rng.gamma(2.0) / 2.0
            };
        self.purchase_p = match (never_buyer, self.variant) {
            (true, _) => 0.0,
            (false, 2) => PURCHASE_TREATMENT,
            (false, _) => PURCHASE_CONTROL,
        };
        self.referrer = self.rng.gamma(0.5) / 0.5;
        let sessions_per_day = self.rng.gamma(0.8) / 0.8 / 14.0;
        let dropout = self.rng.beta(2.0, 6.0);
        let opted_in = self.rng.chance(0.78);
        let engagement = self.rng.gamma(3.0) / 3.0;

        self.emit(
            signup_visit,
            ev::VISIT,
            visit_prop(signup_source, self.variant),
        );
        self.emit(signup_ms, ev::SIGNUP, 0);
        // Signing up often happens on the way to a first order (welcome coupon); a few
        // leave right after.
        let mut t = signup_ms;
        if self.rng.chance(0.94) {
            t = self.browse(signup_ms, 2.6);
        }

        // Repeat sessions: a Poisson process thinned by weekly/seasonal/daily activity,
        // ending when the customer drops out after a session (or the period ends).
        sessions.clear();
        sessions.push(signup_visit);
        let max_activity = shop.calendar.max_activity();
        let mean_gap = DAY as f64 / (sessions_per_day * max_activity);
        let mut death = if self.rng.chance(dropout) {
            t
        } else {
            i64::MAX
        };
        while death == i64::MAX && sessions.len() < MAX_SESSIONS {
            t += self.rng.delay_ms(MINUTE, mean_gap);
            if t >= self.shop.end {
                break;
            }
            let local = t + self.traits.utc_offset_ms;
            if self.rng.f64() * max_activity > shop.calendar.activity(local) {
                continue;
            }
            sessions.push(t);
            let source = self.return_source();
            self.emit(t, ev::VISIT, visit_prop(source, self.variant));
            if !self.rng.chance(0.22) {
                t = self.browse(t, 1.0);
            }
            if self.rng.chance(dropout) {
                death = t;
            }
        }

        if opted_in {
            self.messages(signup_ms, death, engagement, sessions);
        }
        Some(CustomerRow {
            person: self.person,
            signup_ms,
            country: self.traits.country,
            acquisition,
        })
    }

    /// A visitor who never signs up: one visit and maybe a few more.
    fn anonymous(&mut self, t0: i64, source: u8) {
        self.emit(t0, ev::VISIT, visit_prop(source, 0));
        let more = self.rng.geometric(0.7, 6);
        let mut t = t0;
        for _ in 0..more {
            t += self.rng.delay_ms(HOUR, 5.0 * DAY as f64);
            let s = self.return_source();
            self.emit(t, ev::VISIT, visit_prop(s, 0));
        }
    }

    /// `n` product views starting after `t`; returns the time of the last.
    fn views(&mut self, mut t: i64, n: u32) -> i64 {
        for _ in 0..n {
            t += self.rng.delay_ms(5 * SECOND, 40.0 * SECOND as f64);
            self.emit(t, ev::VIEW_PRODUCT, 0);
        }
        t
    }

    /// The shopping part of a session after `t`: views, then maybe cart, checkout and
    /// purchase (with a referral invite now and then). `boost` scales the cart chance.
    /// Returns the time of the session's last event.
    pub(super) fn browse(&mut self, t: i64, boost: f64) -> i64 {
        let n = 1 + self.rng.geometric(0.45, 12);
        let mut t = self.views(t, n);
        if !self
            .rng
            .chance((BASE_CART * self.propensity * boost).min(0.9))
        {
            return t;
        }
        t += self.rng.delay_ms(10 * SECOND, 60.0 * SECOND as f64);
        self.emit(t, ev::ADD_TO_CART, 0);
        if !self.rng.chance(CHECKOUT) {
            return t;
        }
        t += self.rng.delay_ms(15 * SECOND, 120.0 * SECOND as f64);
        self.emit(t, ev::BEGIN_CHECKOUT, 0);
        if !self.rng.chance(self.purchase_p) {
            return t;
        }
        t += self.rng.delay_ms(20 * SECOND, 60.0 * SECOND as f64);
        self.emit(t, ev::PURCHASE, 0);
        if self.rng.chance((0.1 * self.referrer).min(0.8)) {
            let invites = 1 + self.rng.geometric(0.55, 10);
            let mut ti = t;
            for _ in 0..invites {
                ti += self.rng.delay_ms(20 * SECOND, 5.0 * MINUTE as f64);
                self.emit(ti, ev::INVITE_SENT, 0);
                if self.rng.chance(0.3) {
                    let joined = ti + self.rng.delay_ms(HOUR, 3.0 * DAY as f64);
                    self.emit(joined, ev::REFERRAL_SIGNUP, 0);
                }
            }
            t = ti;
        }
        t
    }
}
