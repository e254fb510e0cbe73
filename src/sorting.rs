//! One stable sort shared by the short lists the analyses order for display (breakdown
//! rows, labels, campaign rows): each `sort_by` with its own closure is a new copy of the
//! standard library's sort in the `.wasm` (46 copies, 150 KB), while these lists hold tens
//! of rows, where a comparison through a pointer costs nothing that shows.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp` through the one shared sort of positions.
///
/// ```
/// let mut rows = vec![("b", 2), ("a", 2), ("c", 9)];
/// insitu::sorting::sort_by(&mut rows, &|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
/// assert_eq!(rows, vec![("c", 9), ("a", 2), ("b", 2)]);
/// ```
pub fn sort_by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_positions(&mut order, &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sorts `v` stably by the key `key` gives (through the shared sort).
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, key: &dyn Fn(&T) -> K) {
    sort_by(v, &|a, b| key(a).cmp(&key(b)));
}

/// The shared, non-generic sort: positions ordered by a comparison of the positions.
fn sort_positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_by_key() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, &|x| x.0);
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, &|a, b| a.cmp(b));
        assert!(empty.is_empty());
    }
}
