//! A/B(/n) tests on conversion counts: frequentist (pooled z-test, chi-square, Newcombe
//! interval of the difference) and Bayesian (probability to beat control and to be
//! best, Beta(1, 1) priors) side by side.

use crate::json::{FromJson, ToJson};

use super::bayes::{prob_best, prob_greater, Posterior, BEST_DRAWS};
use super::check::{count, open_unit};
use super::intervals::{newcombe_difference, wilson, Estimate, Rate};
use super::proportions::{chi_square, two_proportion_z, ChiSquare};
use crate::error::{InsituError, Result};

/// Fewer exposures than this in any variant flags the test as not having enough data.
pub const MIN_EXPOSURES: u64 = 100;

/// Seed of the sampling for the probability to be best, unless given.
pub const DEFAULT_SEED: u64 = 1;

/// Which test gives the headline p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromJson, ToJson)]
#[json(rename_all = "camelCase")]
pub enum AbMethod {
    /// Pooled two-proportion z-test (two variants only; the default for two).
    ZTest,
    /// Pearson's chi-square test of independence (the default for three or more).
    ChiSquare,
}

/// One variant as given to `abTest`.
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct VariantInput {
    /// Its name; default "A", "B", "C", ... by position.
    pub name: Option<String>,
    /// Customers exposed.
    pub exposures: Option<f64>,
    /// Exposed customers who converted.
    pub conversions: Option<f64>,
}

/// Options of [`ab_test`].
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct AbTestOptions {
    /// Two or more variants; the first is the control unless `control` names another.
    #[json(default)]
    pub variants: Vec<VariantInput>,
    /// Significance level, default 0.05; intervals are at `1 - alpha`.
    pub alpha: Option<f64>,
    /// The headline test; default z-test for two variants, chi-square for more.
    pub method: Option<AbMethod>,
    /// Name of the control variant; default the first.
    pub control: Option<String>,
    /// Seed of the sampling for the probability to be best (three or more variants).
    pub seed: Option<f64>,
}

/// Validated counts of one variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Variant name.
    pub name: String,
    /// Customers exposed (at least 1).
    pub exposures: u64,
    /// Customers who converted (at most `exposures`).
    pub conversions: u64,
}

/// One variant in the result.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct VariantResult {
    /// Variant name.
    pub name: String,
    /// Customers exposed.
    pub exposures: u64,
    /// Customers who converted.
    pub conversions: u64,
    /// Conversion rate with its Wilson interval.
    pub rate: Rate,
    /// Rate minus the control's, with Newcombe's interval (null for the control).
    pub difference: Option<Estimate>,
    /// Relative lift over the control (null for the control or a zero control rate).
    pub lift: Option<f64>,
    /// Pooled z against the control (null for the control).
    pub z: Option<f64>,
    /// Two-sided p-value of the z-test against the control, not corrected for multiple
    /// comparisons (null for the control).
    pub p_value: Option<f64>,
    /// Posterior probability that this variant's rate beats the control's (null for the
    /// control).
    pub probability_to_beat: Option<f64>,
    /// Posterior probability that this variant has the highest rate.
    pub probability_to_be_best: f64,
    /// Fewer than [`MIN_EXPOSURES`] exposures.
    pub not_enough_data: bool,
}

/// The result of an A/B(/n) test. The headline fields compare `treatment` with
/// `control`: the second variant when there are two, else the non-control variant with
/// the highest observed rate.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct AbTestResult {
    /// The test behind `p_value`.
    pub method: AbMethod,
    /// Significance level.
    pub alpha: f64,
    /// The control's name.
    pub control: String,
    /// The variant the headline compares with the control.
    pub treatment: String,
    /// Pooled z of treatment against control.
    pub z: f64,
    /// The chi-square test over all variants (equals z² for two).
    pub chi_square: ChiSquare,
    /// p-value of `method`: the z-test for two variants, the chi-square test over all.
    pub p_value: f64,
    /// `p_value < alpha`.
    pub significant: bool,
    /// Treatment rate minus control rate with Newcombe's `1 - alpha` interval.
    pub difference: Estimate,
    /// Relative lift of treatment over control (null when the control rate is 0).
    pub lift: Option<f64>,
    /// Posterior probability that the treatment beats the control.
    pub probability_to_beat: f64,
    /// Every variant, in the order given.
    pub variants: Vec<VariantResult>,
    /// Some variant has fewer than 100 exposures.
    pub not_enough_data: bool,
}

/// The standalone `abTest`: validates counts and options, then [`compare`]s.
pub fn ab_test(options: &AbTestOptions) -> Result<AbTestResult> {
    let alpha = open_unit("alpha", options.alpha.unwrap_or(0.05))?;
    if options.variants.len() < 2 {
        return Err(InsituError::bad_option(
            "variants",
            format!(
                "{} given; an A/B test needs at least two variants, e.g. [{{ name: \"control\", exposures: 1000, conversions: 100 }}, {{ name: \"treatment\", exposures: 1000, conversions: 130 }}]",
                options.variants.len()
            ),
        ));
    }
    let mut counts = Vec::with_capacity(options.variants.len());
    for (i, v) in options.variants.iter().enumerate() {
        counts.push(validate_variant(i, v)?);
    }
    for (i, c) in counts.iter().enumerate() {
        if counts[..i].iter().any(|d| d.name == c.name) {
            return Err(InsituError::bad_option(
                format!("variants[{i}].name"),
                format!("\"{}\" is used twice; variant names must differ", c.name),
            ));
        }
    }
    let control = match &options.control {
        None => 0,
        Some(name) => counts.iter().position(|c| &c.name == name).ok_or_else(|| {
            let names: Vec<&str> = counts.iter().map(|c| c.name.as_str()).collect();
            InsituError::bad_option(
                "control",
                format!(
                    "no variant is called \"{name}\"; the variants are: {}",
                    names.join(", ")
                ),
            )
        })?,
    };
    let seed = match options.seed {
        None => DEFAULT_SEED,
        Some(s) => count("seed", s)?,
    };
    compare(&counts, control, alpha, options.method, seed)
}

fn validate_variant(i: usize, v: &VariantInput) -> Result<Counts> {
    let name = v.name.clone().unwrap_or_else(|| default_name(i));
    let field = |f: &str| format!("variants[{i}].{f}");
    let exposures = v
        .exposures
        .ok_or_else(|| InsituError::bad_option(field("exposures"), "missing"))?;
    let conversions = v
        .conversions
        .ok_or_else(|| InsituError::bad_option(field("conversions"), "missing"))?;
    let exposures = count(&field("exposures"), exposures)?;
    let conversions = count(&field("conversions"), conversions)?;
    if exposures == 0 {
        return Err(InsituError::bad_option(
            field("exposures"),
            format!("variant \"{name}\" has no exposures; each variant needs at least one"),
        ));
    }
    if conversions > exposures {
        return Err(InsituError::bad_option(
            field("conversions"),
            format!(
                "{conversions} conversions exceed the {exposures} exposures of variant \"{name}\"; conversions count exposed customers who converted"
            ),
        ));
    }
    Ok(Counts {
        name,
        exposures,
        conversions,
    })
}

/// "A", "B", ..., "Z", "V27", ...
fn default_name(i: usize) -> String {
    match u8::try_from(i) {
        Ok(k) if k < 26 => char::from(b'A' + k).to_string(),
        _ => format!("V{}", i + 1),
    }
}

/// Compares every variant with `counts[control]` (exposures at least 1 each,
/// conversions at most exposures; callers validate).
pub fn compare(
    counts: &[Counts],
    control: usize,
    alpha: f64,
    method: Option<AbMethod>,
    seed: u64,
) -> Result<AbTestResult> {
    let Some(c) = counts.get(control) else {
        return Err(InsituError::bad_option("control", "no such variant"));
    };
    if counts.len() < 2 {
        return Err(InsituError::bad_option(
            "variants",
            "an A/B test needs at least two variants",
        ));
    }
    let method = match method {
        Some(AbMethod::ZTest) if counts.len() > 2 => {
            return Err(InsituError::bad_option(
                "method",
                format!(
                    "\"zTest\" compares two variants and there are {}; use \"chiSquare\" (the default for three or more)",
                    counts.len()
                ),
            ))
        }
        Some(m) => m,
        None if counts.len() == 2 => AbMethod::ZTest,
        None => AbMethod::ChiSquare,
    };
    let f = |v: u64| v as f64;
    let posteriors: Vec<Posterior> = counts
        .iter()
        .map(|v| Posterior::from_counts(v.conversions, v.exposures))
        .collect();
    let best = prob_best(&posteriors, seed, BEST_DRAWS);
    let control_rate = f(c.conversions) / f(c.exposures);
    let variants: Vec<VariantResult> = counts
        .iter()
        .enumerate()
        .map(|(k, v)| {
            let rate = wilson(f(v.conversions), f(v.exposures), alpha);
            let is_control = k == control;
            let vs = (!is_control).then(|| {
                let z = two_proportion_z(
                    f(c.conversions),
                    f(c.exposures),
                    f(v.conversions),
                    f(v.exposures),
                );
                let diff = newcombe_difference(
                    f(c.conversions),
                    f(c.exposures),
                    f(v.conversions),
                    f(v.exposures),
                    alpha,
                );
                (z, diff, prob_greater(posteriors[k], posteriors[control]))
            });
            VariantResult {
                name: v.name.clone(),
                exposures: v.exposures,
                conversions: v.conversions,
                rate,
                difference: vs.map(|s| s.1),
                lift: vs.and_then(|_| lift(rate.value, control_rate)),
                z: vs.map(|s| s.0.z),
                p_value: vs.map(|s| s.0.p_value),
                probability_to_beat: vs.map(|s| s.2),
                probability_to_be_best: best[k],
                not_enough_data: v.exposures < MIN_EXPOSURES,
            }
        })
        .collect();
    // The headline treatment: the other variant, or the best-performing one.
    let treatment = (0..counts.len())
        .filter(|&k| k != control)
        .fold(None, |best: Option<usize>, k| match best {
            Some(b) if variants[b].rate.value >= variants[k].rate.value => Some(b),
            _ => Some(k),
        })
        .unwrap_or(0);
    let t = &variants[treatment];
    let chi = chi_square(
        &counts
            .iter()
            .map(|v| (f(v.conversions), f(v.exposures)))
            .collect::<Vec<_>>(),
    );
    let z = t.z.unwrap_or(f64::NAN);
    let p_value = match method {
        AbMethod::ZTest => t.p_value.unwrap_or(f64::NAN),
        AbMethod::ChiSquare => chi.p_value,
    };
    Ok(AbTestResult {
        method,
        alpha,
        control: c.name.clone(),
        treatment: t.name.clone(),
        z,
        chi_square: chi,
        p_value,
        significant: p_value < alpha,
        difference: t.difference.unwrap_or(Estimate {
            estimate: f64::NAN,
            low: f64::NAN,
            high: f64::NAN,
        }),
        lift: t.lift,
        probability_to_beat: t.probability_to_beat.unwrap_or(f64::NAN),
        not_enough_data: variants.iter().any(|v| v.not_enough_data),
        variants,
    })
}

/// `(rate - base) / base`, or `None` when the base rate is 0.
fn lift(rate: f64, base: f64) -> Option<f64> {
    (base > 0.0).then(|| (rate - base) / base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(name: &str, exposures: f64, conversions: f64) -> VariantInput {
        VariantInput {
            name: Some(name.into()),
            exposures: Some(exposures),
            conversions: Some(conversions),
        }
    }

    #[test]
    fn two_variants_headline() {
        let r = ab_test(&AbTestOptions {
            variants: vec![variant("A", 1000.0, 100.0), variant("B", 1000.0, 130.0)],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(r.method, AbMethod::ZTest);
        assert!((r.z - 2.1027).abs() < 5e-5);
        assert!(r.significant);
        assert!((r.lift.unwrap() - 0.3).abs() < 1e-12);
        assert!(!r.not_enough_data);
        assert_eq!(r.treatment, "B");
    }

    #[test]
    fn bad_counts_are_named() {
        let e = ab_test(&AbTestOptions {
            variants: vec![variant("A", 10.0, 11.0), variant("B", 10.0, 1.0)],
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("variants[0].conversions"), "{e}");
        let e = ab_test(&AbTestOptions {
            variants: vec![variant("A", 10.0, 1.0), variant("B", -10.0, 1.0)],
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("variants[1].exposures"), "{e}");
        assert!(e.to_string().contains("negative"), "{e}");
    }
}
