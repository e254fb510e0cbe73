//! The raw event log written while simulating: one packed `u64` per event plus its
//! period day, so that sorting by time later is a counting sort by day and a small
//! `sort_unstable` of plain integers per day.
//!
//! Packing (most significant first): millisecond of the period day (27 bits), person
//! (24 bits), event code (4 bits), property (9 bits: a source and variant for `visit`,
//! a campaign index for `message_*`). Two events that pack equal are identical rows, so
//! an unstable sort still gives one deterministic output.

use super::calendar::DAY;

/// Persons the packing can address.
pub(crate) const MAX_PERSONS: usize = 1 << 24;

const MS_SHIFT: u32 = 37;
const PERSON_SHIFT: u32 = 13;
const CODE_SHIFT: u32 = 9;

/// One unpacked event of a period day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unpacked {
    /// Milliseconds since the start of the period day.
    pub ms_in_day: i64,
    /// Person index.
    pub person: u32,
    /// Event code.
    pub code: u8,
    /// Property payload.
    pub prop: u16,
}

/// Packs one event (see the module docs for the layout).
#[inline]
pub(crate) fn pack(ms_in_day: i64, person: u32, code: u8, prop: u16) -> u64 {
    ((ms_in_day as u64) << MS_SHIFT)
        | (u64::from(person) << PERSON_SHIFT)
        | (u64::from(code) << CODE_SHIFT)
        | u64::from(prop & 0x1ff)
}

/// Inverse of [`pack`].
#[inline]
pub(crate) fn unpack(rec: u64) -> Unpacked {
    Unpacked {
        ms_in_day: (rec >> MS_SHIFT) as i64,
        person: ((rec >> PERSON_SHIFT) & 0xff_ffff) as u32,
        code: ((rec >> CODE_SHIFT) & 0xf) as u8,
        prop: (rec & 0x1ff) as u16,
    }
}

/// Events of one simulation run, unsorted.
#[derive(Debug)]
pub(crate) struct EventLog {
    start: i64,
    end: i64,
    count_only: bool,
    /// Number of events kept (inside the period).
    pub len: usize,
    /// Packed events (empty when counting only).
    pub recs: Vec<u64>,
    /// Period day of each packed event.
    pub days: Vec<u16>,
    /// Events per period day.
    pub per_day: Vec<usize>,
}

impl EventLog {
    /// A log for the period `[start, start + days)`; `count_only` keeps just counts.
    pub(crate) fn new(start: i64, days: u32, count_only: bool, capacity: usize) -> Self {
        let capacity = if count_only { 0 } else { capacity };
        EventLog {
            start,
            end: start + i64::from(days) * DAY,
            count_only,
            len: 0,
            recs: Vec::with_capacity(capacity),
            days: Vec::with_capacity(capacity),
            per_day: vec![0; days as usize],
        }
    }

    /// Records an event at epoch ms `t`; events outside the period are dropped.
    #[inline]
    pub(crate) fn push(&mut self, t: i64, person: u32, code: u8, prop: u16) {
        if t < self.start || t >= self.end {
            return;
        }
        let offset = t - self.start;
        let day = (offset / DAY) as usize;
        self.len += 1;
        if let Some(c) = self.per_day.get_mut(day) {
            *c += 1;
        }
        if !self.count_only {
            self.recs.push(pack(offset % DAY, person, code, prop));
            self.days.push(day as u16);
        }
    }

    /// Consumes the log: all packed events grouped by day, each day sorted, with the
    /// offsets of each day's slice (`offsets.len() == days + 1`).
    pub(crate) fn into_sorted(self) -> (Vec<u64>, Vec<usize>) {
        let mut offsets = Vec::with_capacity(self.per_day.len() + 1);
        let mut acc = 0;
        offsets.push(0);
        for &c in &self.per_day {
            acc += c;
            offsets.push(acc);
        }
        let mut cursor = offsets.clone();
        let mut sorted = vec![0u64; self.recs.len()];
        for (&rec, &day) in self.recs.iter().zip(&self.days) {
            if let Some(pos) = cursor.get_mut(day as usize) {
                if let Some(slot) = sorted.get_mut(*pos) {
                    *slot = rec;
                }
                *pos += 1;
            }
        }
        drop(self.recs);
        drop(self.days);
        for w in offsets.windows(2) {
            if let Some(slice) = sorted.get_mut(w[0]..w[1]) {
                slice.sort_unstable();
            }
        }
        (sorted, offsets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pack_round_trips_at_the_limits() {
        for &(ms, person, code, prop) in &[
            (0, 0, 0, 0),
            (DAY - 1, (MAX_PERSONS - 1) as u32, 15, 511),
            (12_345_678, 1_000_000, 5, 37),
        ] {
            let u = unpack(pack(ms, person, code, prop));
            assert_eq!(
                u,
                Unpacked {
                    ms_in_day: ms,
                    person,
                    code,
                    prop
                }
            );
        }
        // Time dominates the order.
        assert!(pack(1, 0, 0, 0) > pack(0, (MAX_PERSONS - 1) as u32, 15, 511));
    }

    #[test]
    fn sorted_output_is_grouped_by_day_and_ordered() {
        let start = 1_000 * DAY;
        let mut log = EventLog::new(start, 3, false, 0);
        for (i, t) in [5, 2 * DAY + 1, 3, DAY, -1, 3 * DAY, DAY + 7]
            .into_iter()
            .enumerate()
        {
            log.push(start + t, i as u32, 0, 0);
        }
        assert_eq!(log.len, 5); // -1 and 3*DAY are outside
        let (sorted, offsets) = log.into_sorted();
        assert_eq!(offsets, vec![0, 2, 4, 5]);
        let ms: Vec<i64> = sorted.iter().map(|&r| unpack(r).ms_in_day).collect();
        assert_eq!(ms, vec![3, 5, 0, 7, 1]);
    }
}
