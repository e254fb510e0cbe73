//! `experiment`: an A/B test whose variants come from the data. A customer is assigned
//! by their first exposure event with a non-null assignment value; they convert if a
//! conversion (order or event) falls within the window after that exposure (inclusive).
//! Revenue per exposed customer (orders in the same window, 0 for non-buyers) is
//! compared with Welch's t-test.

use crate::json::ToJson;

use super::options::ExperimentOptions;
use super::resolve::{conversion, conversion_times, event_code, event_property, list, Conversion};
use super::setup::DEFAULT_WINDOW;
use crate::data::{Dataset, NULL_CODE};
use crate::error::{InsituError, Result};
use crate::stats::ab_test::DEFAULT_SEED;
use crate::stats::check::{count, open_unit};
use crate::stats::{compare, welch, AbTestResult, Counts, Estimate, Summary};
use crate::time::MICROS_PER_MS;

/// Revenue per exposed customer of one variant, tested against the control.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct RevenueVariant {
    /// Variant name.
    pub name: String,
    /// Exposed customers.
    pub customers: u64,
    /// Revenue in the window, summed.
    pub revenue: f64,
    /// Mean revenue per exposed customer.
    pub mean: f64,
    /// Its sample standard deviation.
    pub sd: f64,
    /// Mean minus the control's, with Welch's interval (null for the control).
    pub difference: Option<Estimate>,
    /// Relative lift over the control's mean.
    pub lift: Option<f64>,
    /// Welch's t (null for the control).
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p_value: Option<f64>,
    /// `p_value < alpha`.
    pub significant: Option<bool>,
}

/// What `experiment` returns: the `abTest` result plus how it was measured.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct ExperimentReport {
    /// The conversion test, as `abTest` returns it.
    #[json(flatten)]
    pub test: AbTestResult,
    /// The assignment property.
    pub assignment: String,
    /// The exposure event, null for any event.
    pub exposure: Option<String>,
    /// `"orders"` or the conversion event.
    pub conversion: String,
    /// Conversion window in milliseconds.
    pub window_ms: f64,
    /// Customers later seen with a different variant than their first (kept in the first).
    pub mixed_assignments: u64,
    /// Revenue per exposed customer per variant (null without an orders table).
    pub revenue: Option<Vec<RevenueVariant>>,
}

/// Running count, mean and sum of squared deviations (Welford), for revenue.
#[derive(Debug, Clone, Copy, Default)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
    sum: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        self.sum += x;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }
    fn summary(&self) -> Summary {
        Summary {
            n: self.n,
            mean: if self.n > 0.0 { self.mean } else { f64::NAN },
            sd: if self.n > 1.0 {
                (self.m2 / (self.n - 1.0)).sqrt()
            } else {
                f64::NAN
            },
        }
    }
}

/// Runs the experiment analysis.
pub fn experiment(ds: &Dataset, o: &ExperimentOptions) -> Result<ExperimentReport> {
    let assignment = o.assignment.clone().unwrap_or_else(|| "variant".into());
    let variants = event_property(ds, "assignment", &assignment)?;
    let exposure = o
        .exposure
        .as_ref()
        .map(|name| event_code(ds, "exposure", name))
        .transpose()?;
    let conv = conversion(ds, "conversion", o.conversion.as_deref())?;
    let window = match &o.window {
        Some(w) => w.micros("window")?,
        None => DEFAULT_WINDOW,
    };
    let alpha = open_unit("alpha", o.alpha.unwrap_or(0.05))?;
    let seed = o
        .seed
        .map(|s| count("seed", s))
        .transpose()?
        .unwrap_or(DEFAULT_SEED);

    let k = variants.labels.len();
    let mut exposures = vec![0u64; k];
    let mut converted = vec![0u64; k];
    let mut revenue = vec![Moments::default(); k];
    let mut mixed = 0u64;
    let mut times = Vec::new();
    for c in 0..ds.num_customers() {
        let rows = ds.events.rows(c);
        let mut first: Option<(u32, i64)> = None;
        let mut switched = false;
        for row in rows {
            if exposure.is_some_and(|e| e != ds.events.event[row]) {
                continue;
            }
            let v = variants.codes.get(row).copied().unwrap_or(NULL_CODE);
            if v == NULL_CODE || v as usize >= k {
                continue;
            }
            match first {
                None => first = Some((v, ds.events.time[row])),
                Some((w, _)) if w != v => {
                    switched = true;
                    break;
                }
                Some(_) => {}
            }
        }
        let Some((v, t0)) = first else { continue };
        mixed += u64::from(switched);
        let end = t0.saturating_add(window);
        let v = v as usize;
        exposures[v] += 1;
        conversion_times(ds, conv, c, &mut times);
        if times.iter().any(|&u| u >= t0 && u <= end) {
            converted[v] += 1;
        }
        if ds.has_orders {
            let orders = ds.orders.rows(c);
            let spent: f64 = ds.orders.time[orders.clone()]
                .iter()
                .zip(&ds.orders.amount[orders])
                .filter(|(&u, _)| u >= t0 && u <= end)
                .map(|(_, &a)| a)
                .sum();
            revenue[v].push(spent);
        }
    }

    let seen: Vec<usize> = (0..k).filter(|&v| exposures[v] > 0).collect();
    let names = || list(seen.iter().map(|&v| variants.labels[v].as_str()));
    if seen.len() < 2 {
        return Err(InsituError::bad_option(
            "assignment",
            format!(
                "\"{assignment}\" assigns customers to {} variant(s) ({}); an experiment needs at least two",
                seen.len(),
                names()
            ),
        ));
    }
    let control = match &o.control {
        Some(name) => seen
            .iter()
            .copied()
            .find(|&v| &variants.labels[v] == name)
            .ok_or_else(|| {
                InsituError::bad_option(
                    "control",
                    format!(
                        "no exposed variant \"{name}\"; the variants are: {}",
                        names()
                    ),
                )
            })?,
        None => seen
            .iter()
            .copied()
            .find(|&v| variants.labels[v] == "control")
            .unwrap_or(seen[0]),
    };
    let order: Vec<usize> = std::iter::once(control)
        .chain(seen.iter().copied().filter(|&v| v != control))
        .collect();
    let counts: Vec<Counts> = order
        .iter()
        .map(|&v| Counts {
            name: variants.labels[v].clone(),
            exposures: exposures[v],
            conversions: converted[v],
        })
        .collect();
    let test = compare(&counts, 0, alpha, o.method, seed)?;
    let revenue = ds.has_orders.then(|| {
        let base = revenue[control].summary();
        order
            .iter()
            .map(|&v| {
                let s = revenue[v].summary();
                let vs = (v != control).then(|| welch(base, s, alpha));
                RevenueVariant {
                    name: variants.labels[v].clone(),
                    customers: exposures[v],
                    revenue: revenue[v].sum,
                    mean: s.mean,
                    sd: s.sd,
                    difference: vs.map(|w| w.difference),
                    lift: vs.map(|w| w.lift).filter(|l| l.is_finite()),
                    t: vs.map(|w| w.t),
                    df: vs.map(|w| w.df),
                    p_value: vs.map(|w| w.p_value),
                    significant: vs.map(|w| w.significant),
                }
            })
            .collect()
    });
    Ok(ExperimentReport {
        test,
        assignment,
        exposure: o.exposure.clone(),
        conversion: match conv {
            Conversion::Orders => "orders".into(),
            Conversion::Event(code) => ds.event_names[code as usize].clone(),
        },
        window_ms: window as f64 / MICROS_PER_MS as f64,
        mixed_assignments: mixed,
        revenue,
    })
}
