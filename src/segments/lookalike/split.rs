//! A seeded, stratified holdout split: the same seed gives the same split on every
//! platform (integer-only generator).

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and good enough to shuffle.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (n > 0), by rejection so there is no modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// How many of `n` go to the holdout: `round(fraction * n)`, at least 1 and at most
/// `n - 1` so both parts keep some of each class (`n >= 2`).
pub fn holdout_count(n: usize, fraction: f64) -> usize {
    ((fraction * n as f64).round() as usize).clamp(1, n.saturating_sub(1).max(1))
}

/// Splits `positives` and `negatives` (row indexes) into (train, holdout), each class
/// shuffled separately and cut at [`holdout_count`]; both lists come back sorted.
pub fn stratified(
    positives: &[usize],
    negatives: &[usize],
    fraction: f64,
    seed: u64,
) -> (Vec<usize>, Vec<usize>) {
    let mut rng = SplitMix64::new(seed);
    let mut train = Vec::new();
    let mut holdout = Vec::new();
    for class in [positives, negatives] {
        let mut rows = class.to_vec();
        rng.shuffle(&mut rows);
        let k = holdout_count(rows.len(), fraction);
        holdout.extend_from_slice(&rows[..k]);
        train.extend_from_slice(&rows[k..]);
    }
    train.sort_unstable();
    holdout.sort_unstable();
    (train, holdout)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_seeded_and_stratified() {
        let pos: Vec<usize> = (0..10).collect();
        let neg: Vec<usize> = (10..110).collect();
        let (train, hold) = stratified(&pos, &neg, 0.25, 7);
        assert_eq!(hold.iter().filter(|&&i| i < 10).count(), 3);
        assert_eq!(hold.len(), 3 + 25);
        assert_eq!(train.len() + hold.len(), 110);
        assert_eq!(
            stratified(&pos, &neg, 0.25, 7),
            (train.clone(), hold.clone())
        );
        assert_ne!(stratified(&pos, &neg, 0.25, 8).1, hold);
        assert_eq!(holdout_count(2, 0.25), 1);
        assert_eq!(holdout_count(2, 0.9), 1);
    }
}
