//! Medians and quantiles of many values without sorting them: a radix selection on the
//! bits of the numbers.
//!
//! Pass 1 counts the values (of each group: an RFM segment's order amounts) by their top
//! 16 bits (sign, exponent, 4 bits of mantissa), which finds the buckets holding the
//! ranks a quantile reads; pass 2 keeps only the values in those buckets, and a selection
//! among them gives the exact values at those ranks. Two reads of the values instead of
//! copying ten million of them into per-group lists. The buckets are the raw bits, not an
//! order-preserving key: in wasm the key's sign test made the passes about 15% slower, and
//! only the walk over the 65,536 bucket counts needs their order (negative buckets from
//! the largest magnitude down, then the positive ones up). Non-finite values are left out, as
//! [`super::summary::sorted_finite`] does, and ties order as `f64::total_cmp` does.

use std::ops::RangeInclusive;

use super::summary::{quantile_sorted, quantiles, select_ranks, type7, type7_ranks};

const BUCKETS: usize = 1 << 16;
/// The buckets of finite negative numbers (-0.0 is 0x8000) and finite non-negative ones;
/// 0x7FF0.. and 0xFFF0.. hold only infinities and NaNs.
const NEGATIVE: RangeInclusive<usize> = 0x8000..=0xFFEF;
const POSITIVE: RangeInclusive<usize> = 0x0000..=0x7FEF;

fn bucket(x: f64) -> usize {
    (x.to_bits() >> 48) as usize
}

/// The buckets of finite numbers in ascending order of their values.
fn in_value_order() -> impl Iterator<Item = usize> {
    NEGATIVE.rev().chain(POSITIVE)
}

/// The type-7 median of each of `groups` groups (None for a group without finite values).
/// Member `i` of group `group[i]` has the values `values[start[i]..start[i] + len[i]]`;
/// rows of no member belong to no group, nor do groups `>= groups`.
///
/// By radix selection when the values outnumber the histogram's buckets; for fewer, the
/// 65,536 counts per group would cost more than gathering the values (in wasm, zeroing
/// and walking them took most of an RFM on 100k events).
pub fn group_medians(
    groups: usize,
    values: &[f64],
    group: &[u8],
    start: &[u32],
    len: &[u32],
) -> Vec<Option<f64>> {
    let members = Members {
        values,
        group,
        start,
        len,
    };
    let listed: usize = len.iter().map(|&n| n as usize).sum();
    if listed <= groups * BUCKETS {
        gathered_medians(groups, &members)
    } else {
        radix_medians(groups, &members)
    }
}

/// The members of the groups, as [`group_medians`] takes them.
#[derive(Clone, Copy)]
struct Members<'a> {
    values: &'a [f64],
    group: &'a [u8],
    start: &'a [u32],
    len: &'a [u32],
}

impl<'a> Members<'a> {
    /// Member `i`'s values.
    fn rows(&self, i: usize) -> &'a [f64] {
        let a = self.start[i] as usize;
        self.values
            .get(a..a + self.len[i] as usize)
            .unwrap_or_default()
    }
}

/// [`group_medians`] by copying each group's values and selecting among them.
fn gathered_medians(groups: usize, m: &Members) -> Vec<Option<f64>> {
    let mut lists: Vec<Vec<f64>> = vec![Vec::new(); groups];
    for ((&g, &a), &n) in m.group.iter().zip(m.start).zip(m.len) {
        let (a, n) = (a as usize, n as usize);
        if let (Some(list), Some(xs)) = (lists.get_mut(usize::from(g)), m.values.get(a..a + n)) {
            list.extend(xs.iter().filter(|x| x.is_finite()));
        }
    }
    lists
        .into_iter()
        .map(|list| Some(quantiles(list, &[0.5])[0]).filter(|m| !m.is_nan()))
        .collect()
}

/// [`group_medians`] by radix selection: two passes over the values, a histogram of
/// each group's buckets and then the values in the buckets its median lies in.
fn radix_medians(groups: usize, m: &Members) -> Vec<Option<f64>> {
    let members = m.group.len().min(m.start.len()).min(m.len.len());
    let mut hist = vec![0_u32; (groups + 1) * BUCKETS];
    let rows = RowGroups::new(groups, m, members);
    match &rows {
        Some(rows) => rows.count(m.values, &mut hist),
        None => count_by_member(groups, m, members, &mut hist),
    }
    let wanted: Vec<Option<Wanted>> = (0..groups)
        .map(|g| Wanted::find(&hist[g * BUCKETS..(g + 1) * BUCKETS]))
        .collect();
    drop(hist);
    let mut kept: Vec<Vec<f64>> = vec![Vec::new(); groups + 1];
    match &rows {
        Some(rows) => rows.keep(m.values, &wanted, &mut kept),
        None => keep_by_member(m, members, &wanted, &mut kept),
    }
    wanted
        .iter()
        .zip(kept.iter_mut())
        .map(|(w, v)| {
            let w = w.as_ref()?;
            v.get(w.rank)?;
            let (_, &mut a, rest) = v.select_nth_unstable_by(w.rank, f64::total_cmp);
            let b = if w.next == 0 {
                a
            } else {
                rest.iter().copied().min_by(f64::total_cmp)?
            };
            Some(type7(a, b, w.weight))
        })
        .collect()
}

/// Each row's group, for members whose rows follow one another (an RFM's customers:
/// rows are grouped by customer, customers ascend), so that both passes run over the
/// rows in order. A loop per member over its few rows, whose length the branch
/// predictor cannot know, cost the passes more than the values did (in wasm, 16 against
/// 6 ms for a histogram of ten million amounts).
///
/// `marks[j]` is 1 + the group that starts at row `first + j`, `groups` for none (rows
/// between members), or 0 where the group goes on; the passes carry the group forward.
struct RowGroups {
    groups: usize,
    first: usize,
    marks: Vec<u8>,
}

impl RowGroups {
    /// None when members overlap or go backwards, or there are too many groups for a
    /// byte.
    fn new(groups: usize, m: &Members, members: usize) -> Option<RowGroups> {
        if groups >= usize::from(u8::MAX) {
            return None;
        }
        let end_of = |i: usize| m.start[i] as usize + m.len[i] as usize;
        let mut end = 0;
        for i in 0..members {
            if (m.start[i] as usize) < end {
                return None;
            }
            end = end_of(i);
        }
        let first = m.start.first().map_or(0, |&s| s as usize);
        let end = end.min(m.values.len());
        let mut marks = vec![0_u8; end.saturating_sub(first)];
        let none = groups as u8 + 1;
        // Each member marks its start with its group and its end with "no group"; the
        // next member's start, written later, replaces an end mark on the same row.
        for i in 0..members {
            if m.len[i] == 0 {
                continue;
            }
            let g = usize::from(m.group[i]).min(groups) as u8;
            if let Some(mark) = marks.get_mut(m.start[i] as usize - first) {
                *mark = g + 1;
            }
            if let Some(mark) = marks.get_mut(end_of(i) - first) {
                *mark = none;
            }
        }
        Some(RowGroups {
            groups,
            first,
            marks,
        })
    }

    /// The rows' values with each one's group (`groups` for none).
    fn rows<'v>(&'v self, values: &'v [f64]) -> impl Iterator<Item = (usize, f64)> + 'v {
        let values = values.get(self.first..).unwrap_or_default();
        self.marks
            .iter()
            .zip(values)
            .scan(self.groups, |group, (&mark, &x)| {
                // A select, not a branch: a group starts every ten rows or so.
                *group = if mark == 0 {
                    *group
                } else {
                    usize::from(mark) - 1
                };
                Some((*group, x))
            })
    }

    /// Pass 1: each group's counts by bucket (`hist` has a histogram per group and one
    /// for rows of none).
    fn count(&self, values: &[f64], hist: &mut [u32]) {
        for (g, x) in self.rows(values) {
            if let Some(h) = hist.get_mut(g * BUCKETS + bucket(x)) {
                *h += 1;
            }
        }
    }

    /// Pass 2: the values in each group's wanted buckets.
    fn keep(&self, values: &[f64], wanted: &[Option<Wanted>], kept: &mut [Vec<f64>]) {
        // Per group (and none) the two wanted buckets; BUCKETS matches no value.
        let mut pairs = vec![[BUCKETS; 2]; self.groups + 1];
        for (pair, w) in pairs.iter_mut().zip(wanted) {
            if let Some(w) = w {
                *pair = w.buckets;
            }
        }
        for (g, x) in self.rows(values) {
            let b = bucket(x);
            let [b0, b1] = pairs[g];
            if (b == b0) | (b == b1) {
                kept[g].push(x);
            }
        }
    }
}

/// Pass 1 member by member (members in any order).
fn count_by_member(groups: usize, m: &Members, members: usize, hist: &mut [u32]) {
    for i in 0..members {
        let g = usize::from(m.group[i]);
        if g >= groups {
            continue;
        }
        let h = &mut hist[g * BUCKETS..(g + 1) * BUCKETS];
        for &x in m.rows(i) {
            h[bucket(x)] += 1;
        }
    }
}

/// Pass 2 member by member: the values in each group's (at most two) wanted buckets.
fn keep_by_member(m: &Members, members: usize, wanted: &[Option<Wanted>], kept: &mut [Vec<f64>]) {
    for i in 0..members {
        let g = usize::from(m.group[i]);
        let Some(Some(w)) = wanted.get(g) else {
            continue;
        };
        let [b0, b1] = w.buckets;
        let keep = &mut kept[g];
        for &x in m.rows(i) {
            let b = bucket(x);
            if (b == b0) | (b == b1) {
                keep.push(x);
            }
        }
    }
}

/// Where a group's two middle ranks lie among its buckets.
#[derive(Debug, Clone)]
struct Wanted {
    /// The buckets of the lower and the higher rank (the same bucket, or two whose
    /// values are adjacent: any bucket between them is empty).
    buckets: [usize; 2],
    /// The lower rank within its bucket.
    rank: usize,
    /// The higher rank minus the lower (0 or 1).
    next: usize,
    /// The type-7 weight of the higher rank.
    weight: f64,
}

impl Wanted {
    /// From a group's counts by bucket.
    fn find(h: &[u32]) -> Option<Wanted> {
        let n: usize = in_value_order().map(|b| h[b] as usize).sum();
        if n == 0 {
            return None;
        }
        let (lo, hi, weight) = type7_ranks(n, 0.5);
        let (mut before, mut first) = (0, None);
        for b in in_value_order() {
            let end = before + h[b] as usize;
            if first.is_none() && lo < end {
                first = Some((b, lo - before));
            }
            if hi < end {
                let (b0, rank) = first?;
                return Some(Wanted {
                    buckets: [b0, b],
                    rank,
                    next: hi - lo,
                    weight,
                });
            }
            before = end;
        }
        None
    }
}

/// The type-7 quantiles `ps` of the finite values of `values`: [`radix_quantiles`] for
/// many values, plain selection ([`super::summary::quantiles`]) for fewer than the
/// histogram has buckets.
pub fn selected_quantiles(values: &[f64], ps: &[f64]) -> Vec<f64> {
    if values.len() <= BUCKETS {
        quantiles(values.iter().copied(), ps)
    } else {
        radix_quantiles(values, ps)
    }
}

/// The type-7 quantiles `ps` of the finite values of `values`, equal to
/// [`super::summary::quantiles`] but by the same radix selection: a histogram of the
/// values' top bits finds the buckets of the ranks the quantiles read, and only the
/// values in those buckets are selected among (an RFM's million recencies and amounts
/// are read twice, never sorted).
pub fn radix_quantiles(values: &[f64], ps: &[f64]) -> Vec<f64> {
    let mut hist = vec![0_u32; BUCKETS];
    for &x in values {
        hist[bucket(x)] += 1;
    }
    let n: usize = in_value_order().map(|b| hist[b] as usize).sum();
    if n == 0 {
        return vec![f64::NAN; ps.len()];
    }
    // The ranks the quantiles read.
    let mut ranks: Vec<usize> = ps
        .iter()
        .flat_map(|&p| {
            let (lo, hi, _) = type7_ranks(n, p);
            [lo, hi]
        })
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    // Each rank's bucket is wanted; its place among the kept values is its rank less the
    // values before its bucket, plus the kept ones before its bucket.
    let mut wanted = vec![false; BUCKETS];
    let mut places = Vec::with_capacity(ranks.len());
    let mut order = in_value_order();
    let (mut b, mut before, mut kept_before) = (order.next(), 0, 0);
    for &r in &ranks {
        while let Some(at) = b {
            if r < before + hist[at] as usize {
                break;
            }
            before += hist[at] as usize;
            if wanted[at] {
                kept_before += hist[at] as usize;
            }
            b = order.next();
        }
        let Some(at) = b else { break };
        wanted[at] = true;
        places.push(r - before + kept_before);
    }
    let mut kept: Vec<f64> = values
        .iter()
        .copied()
        .filter(|&x| wanted[bucket(x)])
        .collect();
    select_ranks(&mut kept, &places);
    // `kept` now reads like the sorted values at the wanted places.
    ps.iter()
        .map(|&p| {
            let (lo, hi, t) = type7_ranks(n, p);
            let at = |r: usize| {
                let i = ranks.binary_search(&r).ok()?;
                kept.get(*places.get(i)?)
            };
            match (at(lo), at(hi)) {
                (Some(&a), Some(&b)) => type7(a, b, t),
                _ => quantile_sorted(&[], p),
            }
        })
        .collect()
}

/// [`radix_quantiles`] of counts: small whole numbers (an RFM's order counts, where two
/// in five buyers have one order) are counted by value, one pass and no selection.
pub fn count_quantiles(values: &[u32], ps: &[f64]) -> Vec<f64> {
    let max = values.iter().copied().max().unwrap_or(0) as usize;
    if max >= 1 << 20 {
        let values: Vec<f64> = values.iter().map(|&x| f64::from(x)).collect();
        return radix_quantiles(&values, ps);
    }
    let mut counts = vec![0_u32; max + 1];
    for &x in values {
        counts[x as usize] += 1;
    }
    let n = values.len();
    // The value at each rank, by walking the cumulative counts.
    let at = |rank: usize| {
        let mut before = 0;
        for (v, &c) in counts.iter().enumerate() {
            before += c as usize;
            if rank < before {
                return v as f64;
            }
        }
        f64::NAN
    };
    ps.iter()
        .map(|&p| {
            if n == 0 {
                return f64::NAN;
            }
            let (lo, hi, t) = type7_ranks(n, p);
            type7(at(lo), at(hi), t)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ops::Range;

    use crate::segments::summary::{quantile_sorted, sorted_finite};

    fn lcg(seed: u64) -> impl FnMut() -> u64 {
        let mut state = seed;
        move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        }
    }

    /// `group_medians` of `(group, rows)` members.
    fn medians_of(
        groups: usize,
        values: &[f64],
        members: &[(usize, Range<usize>)],
    ) -> Vec<Option<f64>> {
        let group: Vec<u8> = members.iter().map(|m| m.0 as u8).collect();
        let start: Vec<u32> = members.iter().map(|m| m.1.start as u32).collect();
        let len: Vec<u32> = members.iter().map(|m| m.1.len() as u32).collect();
        let m = Members {
            values,
            group: &group,
            start: &start,
            len: &len,
        };
        let (radix, gathered) = (radix_medians(groups, &m), gathered_medians(groups, &m));
        let bits = |m: &[Option<f64>]| m.iter().map(|x| x.map(f64::to_bits)).collect::<Vec<_>>();
        assert_eq!(bits(&radix), bits(&gathered));
        radix
    }

    /// The medians by sorting each group's listed values.
    fn sorted_medians(
        groups: usize,
        values: &[f64],
        members: &[(usize, Range<usize>)],
    ) -> Vec<Option<u64>> {
        (0..groups)
            .map(|g| {
                let listed = members
                    .iter()
                    .filter(|(h, _)| *h == g)
                    .flat_map(|(_, r)| values[r.clone()].iter().copied());
                let sorted = sorted_finite(listed);
                (!sorted.is_empty()).then(|| quantile_sorted(&sorted, 0.5).to_bits())
            })
            .collect()
    }

    #[test]
    fn equal_the_sorted_medians() {
        let mut next = lcg(11);
        // Ties, negatives, zeros of both signs, spread magnitudes, non-finite values.
        let values: Vec<f64> = (0..5000)
            .map(|_| match next() % 7 {
                0 => (next() % 50) as f64,
                1 => -((next() % 7) as f64),
                2 => (next() % 1000) as f64 * 1e-3 + 1e6,
                3 => -0.0,
                4 => f64::NAN,
                5 => f64::NEG_INFINITY,
                _ => (next() % 97) as f64 / 7.0,
            })
            .collect();
        // Ascending ranges of 0..40 rows with gaps (rows of no group), groups 0..=4 and
        // one past the last.
        let mut members = Vec::new();
        let mut row = 0;
        while row < values.len() {
            let len = (next() % 40) as usize;
            let end = (row + len).min(values.len());
            if !next().is_multiple_of(5) {
                members.push(((next() % 6) as usize, row..end));
            }
            row = end + (next() % 3) as usize;
        }
        let got = medians_of(5, &values, &members);
        let want = sorted_medians(5, &values, &members);
        assert_eq!(
            got.iter().map(|m| m.map(f64::to_bits)).collect::<Vec<_>>(),
            want
        );
        assert!(got.iter().all(Option::is_some));
        assert_eq!(medians_of(7, &values, &members)[6], None);
    }

    #[test]
    fn radix_quantiles_equal_sorted_ones() {
        let mut next = lcg(3);
        for n in [1_usize, 2, 3, 5, 17, 100, 1001, 20_000] {
            let v: Vec<f64> = (0..n)
                .map(|_| match next() % 4 {
                    0 => (next() % 13) as f64 * 0.5,
                    1 => -((next() % 1000) as f64) / 3.0,
                    2 => (next() % 5) as f64,
                    _ => (next() % 1_000_000) as f64 * 1e-2,
                })
                .chain([f64::NAN, f64::INFINITY, -0.0])
                .collect();
            let ps = [0.0, 0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.8, 0.99, 1.0];
            let sorted = sorted_finite(v.iter().copied());
            let want: Vec<u64> = ps
                .iter()
                .map(|&p| quantile_sorted(&sorted, p).to_bits())
                .collect();
            let got: Vec<u64> = radix_quantiles(&v, &ps)
                .iter()
                .map(|x| x.to_bits())
                .collect();
            assert_eq!(got, want, "n = {n}");
        }
        let counts: Vec<u32> = vec![5, 1, 1, 2, 1, 3, 2, 1];
        assert_eq!(
            radix_quantiles(
                &counts.iter().map(|&x| f64::from(x)).collect::<Vec<_>>(),
                &[0.4, 0.6]
            ),
            vec![1.0, 2.0]
        );
        let q = count_quantiles(&counts, &[0.2, 0.4, 0.6, 0.8]);
        assert_eq!(q[..3], [1.0, 1.0, 2.0]);
        assert!((q[3] - 2.6).abs() < 1e-12);
        let many: Vec<u32> = (0..10_000).map(|_| (next() % 40) as u32).collect();
        let ps = [0.2, 0.4, 0.6, 0.8, 0.33];
        let many_f: Vec<f64> = many.iter().map(|&x| f64::from(x)).collect();
        assert_eq!(count_quantiles(&many, &ps), radix_quantiles(&many_f, &ps));
        assert!(count_quantiles(&[], &[0.5])[0].is_nan());
        assert!(radix_quantiles(&[], &[0.5])[0].is_nan());
    }

    #[test]
    fn descending_ranges_and_many_groups() {
        let mut next = lcg(5);
        let values: Vec<f64> = (0..3000).map(|_| (next() % 300) as f64 / 4.0).collect();
        // Descending ranges, many groups.
        let members: Vec<(usize, Range<usize>)> = (0..300)
            .rev()
            .map(|i| ((i * 7) % 256, i * 10..i * 10 + 1 + i % 9))
            .collect();
        // 256 groups: every byte a group, more than the row marks can carry.
        let got = medians_of(256, &values, &members);
        let want = sorted_medians(256, &values, &members);
        assert_eq!(
            got.iter().map(|m| m.map(f64::to_bits)).collect::<Vec<_>>(),
            want
        );
    }
}
