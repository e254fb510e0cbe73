//! The per-customer result of a funnel: how far the reported path got, and when.

use crate::funnel::spec::MAX_STEPS;

/// One path through the steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Path {
    /// Steps reached (0 = none).
    pub reached: usize,
    /// Time of each reached step, epoch microseconds.
    pub times: [i64; MAX_STEPS],
    /// Event row of each reached step.
    pub rows: [u32; MAX_STEPS],
    /// An exclusion event happened inside its guarded span.
    pub tainted: bool,
}

impl Path {
    /// No step reached.
    pub const EMPTY: Path = Path {
        reached: 0,
        times: [0; MAX_STEPS],
        rows: [0; MAX_STEPS],
        tainted: false,
    };

    /// A path started by a step-1 event.
    pub fn start(time: i64, row: u32) -> Path {
        let mut p = Path::EMPTY;
        p.reached = 1;
        p.times[0] = time;
        p.rows[0] = row;
        p
    }

    /// Records reaching the next step.
    pub fn advance(&mut self, time: i64, row: u32) {
        self.times[self.reached] = time;
        self.rows[self.reached] = row;
        self.reached += 1;
    }
}

/// What a customer contributes to a funnel.
// Outcomes live on the stack for one customer at a time; boxing the path would allocate
// once per customer.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No step-1 event (in range).
    NotEntered,
    /// The reported path.
    Reported(Path),
    /// The furthest path was tainted by an exclusion and no clean path got as far.
    Excluded,
}

/// Chooses the reported path among a customer's paths, in the order they happened:
/// the first clean path that reached the furthest step of any path.
#[derive(Debug, Default)]
pub struct PathChooser {
    furthest: usize,
    clean: Option<Path>,
}

impl PathChooser {
    /// Considers a finished path.
    pub fn offer(&mut self, path: &Path) {
        if path.reached == 0 {
            return;
        }
        self.furthest = self.furthest.max(path.reached);
        if !path.tainted && self.clean.is_none_or(|c| path.reached > c.reached) {
            self.clean = Some(*path);
        }
    }

    /// The customer's outcome.
    pub fn outcome(self) -> Outcome {
        match self.clean {
            _ if self.furthest == 0 => Outcome::NotEntered,
            Some(p) if p.reached == self.furthest => Outcome::Reported(p),
            _ => Outcome::Excluded,
        }
    }
}
