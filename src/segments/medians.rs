//! Medians of many values split into a few groups (an RFM segment's order amounts),
//! without gathering the values: a radix selection on the bits of the numbers.
//!
//! Pass 1 counts the values of each group by their top 16 bits (an order-preserving key:
//! sign, exponent, 4 bits of mantissa), which finds the buckets holding the two middle
//! ranks; pass 2 keeps only the values in those buckets, and a selection among them gives
//! the exact values at those ranks. Two reads of the values instead of copying ten million
//! of them into per-group lists and selecting there. Non-finite values are left out, as
//! [`super::summary::sorted_finite`] does, and ties order as `f64::total_cmp` does.

use super::summary::{type7, type7_ranks};

const SHIFT: u32 = 48;
const BUCKETS: usize = 1 << (64 - SHIFT);

/// A key that orders like `f64::total_cmp`.
fn key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The type-7 median of each of `groups` groups (None for a group without finite values).
/// `each` hands every slice of values with its group to the visitor it is given; it is
/// called twice and must hand the same slices both times.
pub fn group_medians(
    groups: usize,
    each: impl Fn(&mut dyn FnMut(usize, &[f64])),
) -> Vec<Option<f64>> {
    // u32 counts: a dataset indexes its rows with u32, so no group holds more.
    let mut hist = vec![0_u32; groups * BUCKETS];
    let mut count = vec![0_usize; groups];
    each(&mut |g, xs| {
        if g >= groups {
            return;
        }
        let h = &mut hist[g * BUCKETS..(g + 1) * BUCKETS];
        for &x in xs.iter().filter(|x| x.is_finite()) {
            h[(key(x) >> SHIFT) as usize] += 1;
            count[g] += 1;
        }
    });
    // Per group: the buckets of the two middle ranks and the ranks within them.
    let wanted: Vec<Option<[(usize, usize); 2]>> = (0..groups)
        .map(|g| {
            let n = count[g];
            if n == 0 {
                return None;
            }
            let (lo, hi, _) = type7_ranks(n, 0.5);
            let h = &hist[g * BUCKETS..(g + 1) * BUCKETS];
            let find = |rank: usize| {
                let mut before = 0;
                for (b, &c) in h.iter().enumerate() {
                    if rank < before + c as usize {
                        return (b, rank - before);
                    }
                    before += c as usize;
                }
                (BUCKETS - 1, 0)
            };
            Some([find(lo), find(hi)])
        })
        .collect();
    drop(hist);
    let mut kept: Vec<[Vec<f64>; 2]> = vec![[Vec::new(), Vec::new()]; groups];
    each(&mut |g, xs| {
        let Some(Some([(b0, _), (b1, _)])) = wanted.get(g) else {
            return;
        };
        for &x in xs.iter().filter(|x| x.is_finite()) {
            let b = (key(x) >> SHIFT) as usize;
            if b == *b0 {
                kept[g][0].push(x);
            } else if b == *b1 {
                kept[g][1].push(x);
            }
        }
    });
    wanted
        .iter()
        .zip(kept.iter_mut())
        .zip(&count)
        .map(|((w, [first, second]), &n)| {
            let [(b0, r0), (b1, r1)] = (*w)?;
            let pick = |v: &mut Vec<f64>, r: usize| {
                v.get(r)?;
                Some(*v.select_nth_unstable_by(r, f64::total_cmp).1)
            };
            let a = pick(first, r0)?;
            let b = if b1 == b0 {
                pick(first, r1)?
            } else {
                pick(second, r1)?
            };
            Some(type7(a, b, type7_ranks(n, 0.5).2))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segments::summary::{quantile_sorted, sorted_finite};

    #[test]
    fn equal_the_sorted_medians() {
        let mut state = 11_u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        // Ties, negatives, zeros of both signs, spread magnitudes, non-finite values.
        let values: Vec<(usize, f64)> = (0..5000)
            .map(|_| {
                let g = (next() % 4) as usize;
                let x = match next() % 6 {
                    0 => (next() % 50) as f64,
                    1 => -((next() % 7) as f64),
                    2 => (next() % 1000) as f64 * 1e-3 + 1e6,
                    3 => -0.0,
                    4 => f64::NAN,
                    _ => (next() % 97) as f64 / 7.0,
                };
                (g, x)
            })
            .collect();
        let got = group_medians(5, |visit| {
            for chunk in values.chunks(3) {
                for &(g, x) in chunk {
                    visit(g, &[x]);
                }
            }
        });
        for (g, m) in got.iter().enumerate() {
            let sorted = sorted_finite(values.iter().filter(|v| v.0 == g).map(|v| v.1));
            let want = (!sorted.is_empty()).then(|| quantile_sorted(&sorted, 0.5));
            assert_eq!(m.map(f64::to_bits), want.map(f64::to_bits), "group {g}");
        }
        assert_eq!(got[4], None);
    }
}
