//! Time to convert between two steps: mean, median and a histogram over the customers
//! who made the step with a non-zero time (SEMANTICS.md).

use crate::json::ToJson;

use crate::time::MICROS_PER_MS;

/// One histogram bin, `[start_ms, end_ms)` (the last bin includes its end).
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Bin {
    /// Bin start, ms.
    pub start_ms: f64,
    /// Bin end, ms.
    pub end_ms: f64,
    /// Customers in the bin.
    pub customers: usize,
}

/// Time from one step to another.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct TimeToConvert {
    /// From this step (0-based).
    pub from_step: usize,
    /// To this step.
    pub to_step: usize,
    /// Customers with a non-zero time.
    pub customers: usize,
    /// Mean, ms.
    pub mean_ms: Option<f64>,
    /// Median, ms (mean of the two middle values for an even count).
    pub median_ms: Option<f64>,
    /// Equal-width bins from the shortest to the longest time.
    pub histogram: Vec<Bin>,
}

/// Summarises `durations` (microseconds; zeros are left out). Sorts in place.
pub fn summarize(
    from_step: usize,
    to_step: usize,
    durations: &mut Vec<i64>,
    bins: Option<usize>,
) -> TimeToConvert {
    durations.retain(|&d| d > 0);
    durations.sort_unstable();
    let n = durations.len();
    let ms = |us: f64| us / MICROS_PER_MS as f64;
    let mean = (n > 0).then(|| ms(durations.iter().map(|&d| d as f64).sum::<f64>() / n as f64));
    let median = (n > 0).then(|| {
        if n % 2 == 1 {
            ms(durations[n / 2] as f64)
        } else {
            ms((durations[n / 2 - 1] as f64 + durations[n / 2] as f64) / 2.0)
        }
    });
    let mut histogram = Vec::new();
    if n > 0 {
        let count = bins.unwrap_or_else(|| ((n as f64).cbrt().ceil() as usize).clamp(1, 60));
        let (lo, hi) = (durations[0] as f64, durations[n - 1] as f64);
        let width = (hi - lo) / count as f64;
        let mut tallies = vec![0usize; count];
        for &d in durations.iter() {
            let i = if width > 0.0 {
                (((d as f64 - lo) / width) as usize).min(count - 1)
            } else {
                0
            };
            tallies[i] += 1;
        }
        histogram = tallies
            .into_iter()
            .enumerate()
            .map(|(i, customers)| Bin {
                start_ms: ms(lo + width * i as f64),
                end_ms: ms(if i + 1 == count {
                    hi
                } else {
                    lo + width * (i + 1) as f64
                }),
                customers,
            })
            .collect();
    }
    TimeToConvert {
        from_step,
        to_step,
        customers: n,
        mean_ms: mean,
        median_ms: median,
        histogram,
    }
}
