//! The one pass over customers: every (customer, campaign) pair that got a message
//! becomes a [`Recipient`] with its funnel flags, and every conversion is attributed to
//! at most one recipient.
//!
//! Rules (also in the package docs):
//! - Stages imply the earlier ones: a click without a logged open counts as an open, an
//!   open as a delivery, a delivery as a send. Counts are of pairs, so a customer who gets
//!   a campaign twice counts once for it.
//! - Attribution is last touch: a conversion at time `u` goes to the customer's latest
//!   touch (the `attributeTo` event of any campaign) at or before `u`, provided
//!   `u - touch <= window`. An earlier message whose window also covers `u` gets nothing.
//! - Revenue is the amount of orders attributed by the same rule (also when conversions
//!   are events).
//! - A previous buyer had a conversion strictly before their first message of the
//!   campaign; a returning converter is a previous buyer who converted for it.

use super::resolve::{conversion_times, Dimension};
use super::setup::Setup;
use crate::data::{Dataset, NULL_CODE};

/// Flag: delivered (or opened or clicked).
pub const DELIVERED: u8 = 1;
/// Flag: opened (or clicked).
pub const OPENED: u8 = 2;
/// Flag: clicked.
pub const CLICKED: u8 = 4;
/// Flag: at least one conversion attributed.
pub const CONVERTED: u8 = 8;
/// Flag: a conversion before the first message of the campaign.
pub const PREVIOUS_BUYER: u8 = 16;

/// One customer's messages of one campaign.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Recipient {
    /// Customer number.
    pub customer: u32,
    /// Campaign code; `labels.len()` for messages without a campaign.
    pub campaign: u32,
    /// Time of the first message event of the pair (epoch microseconds).
    pub first_seen: i64,
    /// [`DELIVERED`], [`OPENED`], ... bits.
    pub flags: u8,
    /// Conversions attributed.
    pub conversions: u32,
    /// Order amounts attributed.
    pub revenue: f64,
}

impl Recipient {
    /// Whether flag `f` is set.
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
}

/// All recipients, and their breakdown values.
#[derive(Debug, Clone, Default)]
pub struct Recipients {
    /// Pairs, by customer then first appearance.
    pub pairs: Vec<Recipient>,
    /// `dims[k][i]`: code of breakdown `k` for pair `i` (`labels.len()` for none).
    pub dims: Vec<Vec<u32>>,
}

/// Per-customer scratch, reused across customers.
struct Scratch {
    /// Local pair index by campaign code (`u32::MAX` = none yet).
    slot: Vec<u32>,
    /// Pairs of the current customer.
    local: Vec<Recipient>,
    /// Event-dimension codes of the current customer's pairs, `[pair][dim]`.
    local_dims: Vec<u32>,
    /// (time, local pair) of touches, in time order.
    touches: Vec<(i64, u32)>,
    conversions: Vec<i64>,
}

/// Runs the pass. `dims` are the breakdowns to record per pair.
pub fn collect(ds: &Dataset, s: &Setup, dims: &[Dimension]) -> Recipients {
    let none = s.campaign.labels.len() as u32;
    let mut scratch = Scratch {
        slot: vec![u32::MAX; none as usize + 1],
        local: Vec::new(),
        local_dims: Vec::new(),
        touches: Vec::new(),
        conversions: Vec::new(),
    };
    let mut out = Recipients {
        pairs: Vec::new(),
        dims: vec![Vec::new(); dims.len()],
    };
    let events = &ds.events;
    for c in 0..ds.num_customers() {
        let rows = events.rows(c);
        if rows.is_empty() {
            continue;
        }
        scratch.local.clear();
        scratch.local_dims.clear();
        scratch.touches.clear();
        for row in rows {
            let e = events.event[row];
            let is_sent = e == s.sent;
            let is_delivered = e == s.delivered;
            let is_opened = s.opened == Some(e);
            let is_clicked = s.clicked == Some(e);
            if !(is_sent || is_delivered || is_opened || is_clicked) {
                continue;
            }
            let t = events.time[row];
            let code = match s.campaign.codes.get(row) {
                Some(&k) if k != NULL_CODE => k.min(none),
                _ => none,
            };
            let index = match scratch.slot[code as usize] {
                u32::MAX => {
                    let index = scratch.local.len() as u32;
                    scratch.slot[code as usize] = index;
                    scratch.local.push(Recipient {
                        customer: c as u32,
                        campaign: code,
                        first_seen: t,
                        flags: 0,
                        conversions: 0,
                        revenue: 0.0,
                    });
                    scratch
                        .local_dims
                        .extend(std::iter::repeat_n(NULL_CODE, dims.len()));
                    index
                }
                i => i,
            };
            let pair = &mut scratch.local[index as usize];
            if is_delivered {
                pair.flags |= DELIVERED;
            }
            if is_opened {
                pair.flags |= DELIVERED | OPENED;
            }
            if is_clicked {
                pair.flags |= DELIVERED | OPENED | CLICKED;
            }
            if e == s.touch {
                scratch.touches.push((t, index));
            }
            // Event breakdowns: the first non-null value on the pair's messages.
            let base = index as usize * dims.len();
            for (k, d) in dims.iter().enumerate() {
                if let Dimension::Event(cat) = d {
                    let slot = &mut scratch.local_dims[base + k];
                    if *slot == NULL_CODE {
                        *slot = cat.codes.get(row).copied().unwrap_or(NULL_CODE);
                    }
                }
            }
        }
        if scratch.local.is_empty() {
            continue;
        }
        attribute(ds, s, c, &mut scratch);
        for (i, pair) in scratch.local.iter().enumerate() {
            scratch.slot[pair.campaign as usize] = u32::MAX;
            out.pairs.push(*pair);
            for (k, d) in dims.iter().enumerate() {
                let code = match d {
                    Dimension::Event(_) => scratch.local_dims[i * dims.len() + k],
                    Dimension::Customer(cat) => cat.codes.get(c).copied().unwrap_or(NULL_CODE),
                };
                let n = d.labels().len() as u32;
                out.dims[k].push(if code == NULL_CODE { n } else { code.min(n) });
            }
        }
    }
    out
}

/// Attributes customer `c`'s conversions and orders to its pairs (last touch).
fn attribute(ds: &Dataset, s: &Setup, c: usize, scratch: &mut Scratch) {
    conversion_times(ds, s.conversion, c, &mut scratch.conversions);
    let touches = &scratch.touches;
    let last_touch = |u: i64| -> Option<usize> {
        let i = touches.partition_point(|&(t, _)| t <= u);
        let (t, pair) = *touches.get(i.checked_sub(1)?)?;
        (u - t <= s.window).then_some(pair as usize)
    };
    for &u in &scratch.conversions {
        if let Some(p) = last_touch(u) {
            let pair = &mut scratch.local[p];
            pair.flags |= CONVERTED;
            pair.conversions += 1;
        }
    }
    let orders = ds.orders.rows(c);
    for (&u, &amount) in ds.orders.time[orders.clone()]
        .iter()
        .zip(&ds.orders.amount[orders])
    {
        if let Some(p) = last_touch(u) {
            // With order conversions, an attributed order is also a conversion (above).
            scratch.local[p].revenue += amount;
        }
    }
    if let Some(&first) = scratch.conversions.first() {
        for pair in &mut scratch.local {
            if first < pair.first_seen {
                pair.flags |= PREVIOUS_BUYER;
            }
        }
    }
}
