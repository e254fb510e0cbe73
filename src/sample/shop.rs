//! The shop being simulated (period, seasonality, campaign calendar) and the stable
//! traits of each person, derived from `(seed, person)` alone so that any stage (the
//! event simulation, the order table) can recompute them without storing them.

use super::calendar::{Calendar, DAY, HOUR};
use super::campaigns::{self, Campaign};
use super::labels::{COUNTRY_UTC_OFFSET_H, COUNTRY_WEIGHTS, KR};
use super::rng::Rng;
use super::SampleOptions;

/// Random streams (the second argument of [`Rng::new`]).
pub(crate) mod stream {
    pub const TRAITS: u64 = 1;
    pub const PERSON: u64 = 2;
    pub const ORDER: u64 = 3;
    pub const PILOT: u64 = 4;
}

/// Everything shared by all persons of one generation.
#[derive(Debug)]
pub(crate) struct Shop {
    /// The user's seed.
    pub seed: u64,
    /// Period start, epoch ms.
    pub start: i64,
    /// Period end (exclusive), epoch ms.
    pub end: i64,
    /// Period length in days.
    pub days: u32,
    /// Seasonality and arrivals.
    pub calendar: Calendar,
    /// Campaign sends in time order.
    pub campaigns: Vec<Campaign>,
}

impl Shop {
    /// The shop for validated options.
    pub(crate) fn new(options: &SampleOptions) -> Self {
        let end = options.start_ms + i64::from(options.days) * DAY;
        Shop {
            seed: options.seed,
            start: options.start_ms,
            end,
            days: options.days,
            calendar: Calendar::new(options.start_ms, options.days),
            campaigns: campaigns::plan(options.start_ms, end),
        }
    }
}

/// ln(48): the median order amount of a typical customer.
const LN_48: f64 = 3.871_201_010_907_891;

/// What stays the same about a person for the whole period.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Traits {
    /// Country code.
    pub country: u8,
    /// UTC offset of the person's local time, ms.
    pub utc_offset_ms: i64,
    /// Uses the mobile app (gets push messages, orders mostly in the app).
    pub app_user: bool,
    /// Mean of ln(order amount) for this person.
    pub spend_mu: f64,
}

impl Traits {
    /// The traits of `person` under `seed`.
    pub(crate) fn of(seed: u64, person: u32) -> Self {
        let mut rng = Rng::new(seed, stream::TRAITS, u64::from(person));
        let country = rng.pick(COUNTRY_WEIGHTS) as u8;
        let utc_offset_ms = COUNTRY_UTC_OFFSET_H[country as usize] * HOUR;
        let app_user = rng.chance(if country == KR { 0.68 } else { 0.45 });
        let spend_mu = LN_48 + 0.5 * rng.normal();
        Traits {
            country,
            utc_offset_ms,
            app_user,
            spend_mu,
        }
    }
}
