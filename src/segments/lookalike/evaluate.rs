//! How well scores separate the seed from the rest: ROC AUC and lift at the top.

/// The area under the ROC curve of `scores` for binary `labels` (Mann–Whitney U with
/// tied scores sharing their average rank); `None` without both classes.
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        // Ranks i+1..=j+1 share their mean.
        let mean_rank = (i + j + 2) as f64 / 2.0;
        rank_sum += mean_rank * order[i..=j].iter().filter(|&&k| labels[k]).count() as f64;
        i = j + 1;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// Lift in the top `fraction` by score: the seed share among the `ceil(fraction * n)`
/// highest scores over the seed share overall. Ties at the cut are broken by position
/// (earlier first). Returns (lift, rows in the top, seed members among them).
pub fn lift_at(scores: &[f64], labels: &[bool], fraction: f64) -> (Option<f64>, usize, usize) {
    let n = scores.len();
    let positives = labels.iter().filter(|&&l| l).count();
    if n == 0 || positives == 0 {
        return (None, 0, 0);
    }
    let k = ((fraction * n as f64).ceil() as usize).clamp(1, n);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let hits = order[..k].iter().filter(|&&i| labels[i]).count();
    let base = positives as f64 / n as f64;
    (Some(hits as f64 / k as f64 / base), k, hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_with_ties_matches_sklearn() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75
        assert_eq!(
            auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]),
            Some(0.75)
        );
        // All tied: 0.5.
        assert_eq!(auc(&[1.0, 1.0, 1.0], &[true, false, false]), Some(0.5));
        assert_eq!(auc(&[1.0], &[true]), None);
    }

    #[test]
    fn lift_counts_the_top() {
        let scores = [0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.05];
        let labels = [
            true, false, false, false, false, false, false, false, false, true,
        ];
        // Top 10% = 1 row (0.9, a seed member); base rate 0.2: lift 5.
        assert_eq!(lift_at(&scores, &labels, 0.1), (Some(5.0), 1, 1));
    }
}
