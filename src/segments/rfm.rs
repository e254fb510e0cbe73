//! RFM scores (SEMANTICS.md, "RFM") of the customers with at least one order before
//! the as-of date.
//!
//! recency = days (fractional) from the last order to asOf, frequency = orders,
//! monetary = total (or mean) order amount. Thresholds are the interior type-7 quantiles
//! `q_k = quantile(values, k / B)`, k = 1..B-1; `F = 1 + #{k : frequency > q_k}`, M
//! likewise, `R = 1 + #{k : recency < q_k}`. Equal values always share a score.

use crate::json::{FromJson, ToJson};

use super::medians::{count_quantiles, selected_quantiles};
use super::population::{orders_summary, AllOrders, OrdersBefore};
use super::rfm_rules::{RfmRule, SegmentRules};
use super::when::before_all_data;
use crate::data::properties::NULL_CODE;
use crate::data::{Dataset, ResultColumn, ResultTable, BYTE_CATEGORY_LABELS};
use crate::error::{InsituError, Result};
use crate::time::MICROS_PER_DAY;

/// What the monetary value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, FromJson, ToJson)]
#[json(rename_all = "camelCase")]
pub enum Monetary {
    /// Total order amount (default).
    #[default]
    Total,
    /// Mean order amount.
    Mean,
}

/// RFM settings shared by `ds.rfm` and the RFM fields of rule segments.
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct RfmSettings {
    /// Scores run 1..bins; 2 to 10, default 5.
    pub bins: Option<f64>,
    /// `"total"` (default) or `"mean"`.
    pub monetary: Option<Monetary>,
    /// Custom segment rules replacing the standard 11-segment table.
    pub segments: Option<Vec<RfmRule>>,
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmConfig {
    /// Number of score bins.
    pub bins: u8,
    /// Total or mean.
    pub monetary: Monetary,
    /// The named segments.
    pub rules: SegmentRules,
    /// Whether to keep each customer's last order time (for the table's optional
    /// `last_order` column; rule fields never need it).
    pub last_order: bool,
}

impl RfmConfig {
    /// Checks the settings; `prefix` is put before option names in errors.
    pub fn resolve(settings: &RfmSettings, prefix: &str) -> Result<RfmConfig> {
        let bins = match settings.bins {
            None => 5,
            Some(b) if b.fract() == 0.0 && (2.0..=10.0).contains(&b) => b as u8,
            Some(b) => {
                return Err(InsituError::bad_option(
                    format!("{prefix}bins"),
                    format!(
                        "{b} is not a number of bins; use a whole number from 2 to 10 (default 5)"
                    ),
                ))
            }
        };
        let rules = SegmentRules::new(bins, settings.segments.as_deref()).map_err(|e| match e {
            InsituError::BadOption { option, detail } => {
                InsituError::bad_option(format!("{prefix}{option}"), detail)
            }
            e => e,
        })?;
        Ok(RfmConfig {
            bins,
            monetary: settings.monetary.unwrap_or_default(),
            rules,
            last_order: false,
        })
    }
}

/// The quantile thresholds of each measure (`bins - 1` each, ascending).
#[derive(Debug, Clone, Default, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Thresholds {
    /// Recency thresholds, days.
    pub recency: Vec<f64>,
    /// Frequency thresholds, orders.
    pub frequency: Vec<f64>,
    /// Monetary thresholds.
    pub monetary: Vec<f64>,
}

/// Per-customer RFM values and scores, customers in ascending dense order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RfmScores {
    /// The as-of date, µs.
    pub as_of: i64,
    /// Number of score bins.
    pub bins: u8,
    /// Scored customers (dense numbers, ascending).
    pub customers: Vec<u32>,
    /// Days from the last order to asOf.
    pub recency: Vec<f64>,
    /// Orders before asOf.
    pub frequency: Vec<u32>,
    /// The first of the customer's order rows; the orders before asOf are rows
    /// `first_order_row..first_order_row + frequency` (a prefix: rows are time-sorted).
    pub first_order_row: Vec<u32>,
    /// Total or mean order amount.
    pub monetary: Vec<f64>,
    /// Total order amount when `monetary` is the mean; empty when it is the total
    /// (read both through [`RfmScores::revenue`]).
    pub revenue: Vec<f64>,
    /// Time of the last order before asOf, µs; empty unless [`RfmConfig::last_order`].
    pub last_order: Vec<i64>,
    /// Recency score, 1..=bins (bins = most recent).
    pub r: Vec<u8>,
    /// Frequency score.
    pub f: Vec<u8>,
    /// Monetary score.
    pub m: Vec<u8>,
    /// Segment index into `labels` (at most [`super::rfm_rules::MAX_SEGMENTS`] + 1).
    pub segment: Vec<u8>,
    /// Each customer's [`combination`] of r, f and m, kept from scoring so that the
    /// table's score column does not compute it again for a million customers.
    pub combination: Vec<u16>,
    /// Segment names, then "Others".
    pub labels: Vec<String>,
    /// The thresholds used.
    pub thresholds: Thresholds,
    /// Notes about the segment rules (e.g. rules that can never match).
    pub warnings: Vec<String>,
}

impl RfmScores {
    /// Each customer's total order amount (a million customers' totals are not kept
    /// twice when `monetary` is the total).
    pub fn revenue(&self) -> &[f64] {
        if self.revenue.is_empty() {
            &self.monetary
        } else {
            &self.revenue
        }
    }

    /// Customer `i`'s order rows before asOf, without searching the times again.
    pub fn order_rows(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.first_order_row[i] as usize;
        start..start + self.frequency[i] as usize
    }

    /// The per-customer table ([`crate::segments::RfmReport::table`]), built from the
    /// scores' own columns (a million customers' table is not copied once more), with
    /// `last_order` when it was kept.
    pub fn into_table(self) -> ResultTable {
        let score = self.score_column();
        let table = ResultTable::default()
            .with("customer_id", ResultColumn::Customers(self.customers))
            .with("recency", ResultColumn::Float64(self.recency))
            .with("frequency", ResultColumn::UInt32(self.frequency))
            .with("monetary", ResultColumn::Float64(self.monetary))
            .with("r", ResultColumn::UInt8(self.r))
            .with("f", ResultColumn::UInt8(self.f))
            .with("m", ResultColumn::UInt8(self.m))
            .with("score", score)
            .with(
                "segment",
                ResultColumn::ByteCategory {
                    codes: self.segment,
                    labels: self.labels,
                },
            );
        // Empty means not asked for: with no customer scored there is no table.
        if self.last_order.is_empty() {
            table
        } else {
            table.with("last_order", ResultColumn::Time(self.last_order))
        }
    }

    /// The combined score as text: `"545"`, or `"10-9-3"` when bins is 10.
    pub fn score_text(&self, i: usize) -> String {
        score_label(self.bins, self.r[i], self.f[i], self.m[i])
    }

    /// The combined scores as categories: a code per customer into the labels of the
    /// scores that occur, in ascending order. At most bins³ labels however many
    /// customers, so the table carries a small dictionary instead of a string per row;
    /// a byte per customer while they fit one (always with 5 bins or fewer).
    pub fn score_column(&self) -> ResultColumn {
        let b = usize::from(self.bins);
        let mut code = vec![u32::MAX; b * b * b];
        for &k in &self.combination {
            if let Some(c) = code.get_mut(usize::from(k)) {
                *c = 0;
            }
        }
        let mut labels = Vec::new();
        for (k, c) in code.iter_mut().enumerate() {
            if *c == 0 {
                *c = labels.len() as u32;
                let score = |x: usize| (x + 1) as u8;
                labels.push(score_label(
                    self.bins,
                    score(k / (b * b)),
                    score(k / b % b),
                    score(k % b),
                ));
            }
        }
        let code_of = |k: u16| code.get(usize::from(k)).copied().unwrap_or(NULL_CODE);
        if labels.len() <= BYTE_CATEGORY_LABELS {
            let codes = self.combination.iter().map(|&k| code_of(k) as u8).collect();
            ResultColumn::ByteCategory { codes, labels }
        } else {
            let codes = self.combination.iter().map(|&k| code_of(k)).collect();
            ResultColumn::Category { codes, labels }
        }
    }

    /// The combined score as a number `r * 100 + f * 10 + m` (bins below 10), or
    /// `r * 10000 + f * 100 + m` for 10 bins, so that it orders like the text.
    pub fn score_number(&self, i: usize) -> f64 {
        let (r, f, m) = (
            f64::from(self.r[i]),
            f64::from(self.f[i]),
            f64::from(self.m[i]),
        );
        if self.bins < 10 {
            r * 100.0 + f * 10.0 + m
        } else {
            r * 10_000.0 + f * 100.0 + m
        }
    }
}

/// The score combination `((r - 1) * bins + f - 1) * bins + m - 1`, 0..bins³ (at most
/// 1000, so it fits a u16): the index of the per-combination tables (segment rule, score
/// label).
fn combination(bins: u8, r: u8, f: u8, m: u8) -> usize {
    let (b, s) = (usize::from(bins), |x: u8| usize::from(x.saturating_sub(1)));
    (s(r) * b + s(f)) * b + s(m)
}

/// `"545"`, or `"10-9-3"` when bins is 10 (so two-digit scores stay readable).
fn score_label(bins: u8, r: u8, f: u8, m: u8) -> String {
    if bins < 10 {
        format!("{r}{f}{m}")
    } else {
        format!("{r}-{f}-{m}")
    }
}

/// `q_k` for k = 1..bins-1.
fn thresholds(values: &[f64], bins: u8) -> Vec<f64> {
    selected_quantiles(values, &fractions(bins))
}

/// `k / bins` for k = 1..bins-1.
fn fractions(bins: u8) -> Vec<f64> {
    (1..bins).map(|k| f64::from(k) / f64::from(bins)).collect()
}

/// `1 + #{k : x > q_k}` (more is better).
#[inline]
fn score_high(x: f64, q: &[f64]) -> u8 {
    1 + q.iter().filter(|&&t| x > t).count() as u8
}

/// `1 + #{k : x < q_k}` (less is better).
#[inline]
fn score_low(x: f64, q: &[f64]) -> u8 {
    1 + q.iter().filter(|&&t| x < t).count() as u8
}

/// `#{k : x > q_k}` over four thresholds, written out.
#[inline]
fn above4(x: f64, q: &[f64; 4]) -> u8 {
    u8::from(x > q[0]) + u8::from(x > q[1]) + u8::from(x > q[2]) + u8::from(x > q[3])
}

/// `#{k : x < q_k}` over four thresholds, written out.
#[inline]
fn below4(x: f64, q: &[f64; 4]) -> u8 {
    u8::from(x < q[0]) + u8::from(x < q[1]) + u8::from(x < q[2]) + u8::from(x < q[3])
}

/// Every customer's scores (from scorers of recency, less is better, and frequency and
/// monetary value, more is better), their combination and its segment, in one pass.
fn score_each(
    s: &mut RfmScores,
    by_combination: &[u8],
    score_r: impl Fn(f64) -> u8,
    score_f: impl Fn(f64) -> u8,
    score_m: impl Fn(f64) -> u8,
) {
    let (b, len) = (s.bins, s.customers.len());
    let (mut r, mut f, mut m) = (vec![0_u8; len], vec![0_u8; len], vec![0_u8; len]);
    let mut combinations = vec![0_u16; len];
    let mut segment = vec![0_u8; len];
    let figures = s.recency.iter().zip(&s.frequency).zip(&s.monetary);
    let scores = r.iter_mut().zip(&mut f).zip(&mut m);
    let codes = combinations.iter_mut().zip(&mut segment);
    for (((&recency, &frequency), &monetary), (((r, f), m), (code, segment))) in
        figures.zip(scores.zip(codes))
    {
        *r = score_r(recency);
        *f = score_f(f64::from(frequency));
        *m = score_m(monetary);
        let at = combination(b, *r, *f, *m);
        *code = at as u16;
        *segment = by_combination.get(at).copied().unwrap_or_default();
    }
    (s.r, s.f, s.m, s.combination, s.segment) = (r, f, m, combinations, segment);
}

/// The per-customer figures when every order counts (asOf after the data, the usual
/// case): read from ingest's per-customer offsets, spend and last order, a column at a
/// time.
fn figures_of_all(all: AllOrders, as_of: i64, config: &RfmConfig, s: &mut RfmScores) {
    let AllOrders {
        offsets,
        spend,
        last,
    } = all;
    let buyers = offsets.windows(2).filter(|w| w[1] > w[0]).count();
    for v in [&mut s.customers, &mut s.first_order_row, &mut s.frequency] {
        v.reserve_exact(buyers);
    }
    for v in [&mut s.revenue, &mut s.recency] {
        v.reserve_exact(buyers);
    }
    // One pass over the customers, straight from ingest's columns. Totals go into
    // `revenue` and become `monetary` below: moved for the total, divided for the mean.
    for (c, ((w, &spend), &last)) in offsets.windows(2).zip(spend).zip(last).enumerate() {
        if w[1] == w[0] {
            continue;
        }
        s.customers.push(c as u32);
        s.first_order_row.push(w[0]);
        s.frequency.push(w[1] - w[0]);
        s.revenue.push(spend);
        s.recency
            .push((as_of - last) as f64 / MICROS_PER_DAY as f64);
    }
    if config.last_order {
        s.last_order = offsets
            .windows(2)
            .zip(last)
            .filter(|(w, _)| w[1] > w[0])
            .map(|(_, &last)| last)
            .collect();
    }
    s.monetary = match config.monetary {
        Monetary::Total => std::mem::take(&mut s.revenue),
        Monetary::Mean => s
            .revenue
            .iter()
            .zip(&s.frequency)
            .map(|(&total, &n)| total / f64::from(n))
            .collect(),
    };
}

/// The per-customer figures of the orders before `as_of`.
fn figures_before(ds: &Dataset, as_of: i64, config: &RfmConfig, s: &mut RfmScores) {
    for c in 0..ds.num_customers() {
        let OrdersBefore { rows, total, last } = orders_summary(ds, c, as_of);
        if rows.is_empty() {
            continue;
        }
        let n = rows.len();
        s.customers.push(c as u32);
        s.first_order_row.push(rows.start as u32);
        if config.last_order {
            s.last_order.push(last);
        }
        s.recency
            .push((as_of - last) as f64 / MICROS_PER_DAY as f64);
        s.frequency.push(u32::try_from(n).unwrap_or(u32::MAX));
        match config.monetary {
            Monetary::Total => s.monetary.push(total),
            Monetary::Mean => {
                s.revenue.push(total);
                s.monetary.push(total / n as f64);
            }
        }
    }
}

/// Scores every customer with an order before `as_of`. `option` names the as-of option
/// in the error when no customer has ordered before it.
pub fn score(ds: &Dataset, as_of: i64, config: &RfmConfig, option: &str) -> Result<RfmScores> {
    if ds.orders.is_empty() {
        return Err(InsituError::EmptyInput(
            "RFM needs orders: the dataset has no orders table (or no usable order rows)".into(),
        ));
    }
    let mut s = RfmScores {
        as_of,
        bins: config.bins,
        labels: config.rules.labels(),
        ..RfmScores::default()
    };
    match AllOrders::at(ds, as_of) {
        Some(all) => figures_of_all(all, as_of, config, &mut s),
        None => figures_before(ds, as_of, config, &mut s),
    }
    if s.customers.is_empty() {
        return Err(before_all_data(ds, option, as_of, "ordered"));
    }
    let b = config.bins;
    let t = Thresholds {
        recency: thresholds(&s.recency, b),
        frequency: count_quantiles(&s.frequency, &fractions(b)),
        monetary: thresholds(&s.monetary, b),
    };
    // The rule of every score combination (at most 1000), looked up per customer
    // instead of scanning the rules for each of a million customers.
    let k = usize::from(b);
    let mut by_combination = vec![0_u8; k * k * k];
    for r in 1..=b {
        for f in 1..=b {
            for m in 1..=b {
                // At most MAX_SEGMENTS + 1 segments: a byte.
                by_combination[combination(b, r, f, m)] = config.rules.classify(r, f, m) as u8;
            }
        }
    }
    // Five bins (the default) have four thresholds per measure: scored by a written-out
    // expression, as the size-tuned wasm build does not unroll the loop over them.
    let four = |q: &[f64]| <[f64; 4]>::try_from(q).ok();
    match (four(&t.recency), four(&t.frequency), four(&t.monetary)) {
        (Some(qr), Some(qf), Some(qm)) => score_each(
            &mut s,
            &by_combination,
            |x| 1 + below4(x, &qr),
            |x| 1 + above4(x, &qf),
            |x| 1 + above4(x, &qm),
        ),
        _ => score_each(
            &mut s,
            &by_combination,
            |x| score_low(x, &t.recency),
            |x| score_high(x, &t.frequency),
            |x| score_high(x, &t.monetary),
        ),
    }
    s.thresholds = t;
    s.warnings = config.rules.unreachable();
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_score() {
        // Frequencies 1,1,1,1,2,2,3,5: q = quantile(.2,.4,.6,.8) = 1, 1, 2, 2.6 (type 7).
        let f = [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 5.0];
        let q = thresholds(&f, 5);
        assert_eq!(q[..3], [1.0, 1.0, 2.0]);
        assert!((q[3] - 2.6).abs() < 1e-12);
        let scores: Vec<u8> = f.iter().map(|&x| score_high(x, &q)).collect();
        assert_eq!(scores, vec![1, 1, 1, 1, 3, 3, 5, 5]);
        // Recency: smaller is better.
        assert_eq!(score_low(0.0, &[1.0, 2.0, 3.0, 4.0]), 5);
        assert_eq!(score_low(4.0, &[1.0, 2.0, 3.0, 4.0]), 1);
        assert_eq!(score_low(2.0, &[1.0, 2.0, 3.0, 4.0]), 3);
        // The written-out four-threshold forms agree, ties and repeated thresholds too.
        let q = [1.0, 1.0, 2.0, 2.6];
        for x in [0.0, 1.0, 1.5, 2.0, 2.6, 3.0, -1.0] {
            assert_eq!(1 + above4(x, &q), score_high(x, &q), "{x}");
            assert_eq!(1 + below4(x, &q), score_low(x, &q), "{x}");
        }
    }
}
