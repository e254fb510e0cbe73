//! Exposures needed per variant to detect a change in a conversion rate.

use crate::json::{FromJson, ToJson};

use super::check::{finite, open_unit, show};
use super::distributions::normal_quantile;
use crate::error::{InsituError, Result};

/// Options of [`sample_size`].
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct SampleSizeOptions {
    /// The control's conversion rate, strictly between 0 and 1.
    pub baseline: Option<f64>,
    /// The smallest change worth detecting: absolute (0.02 = two points) unless
    /// `relative` (0.2 = 20% of the baseline). Its sign does not matter.
    pub min_detectable_effect: Option<f64>,
    /// Two-sided significance level, default 0.05.
    pub alpha: Option<f64>,
    /// Power, default 0.8.
    pub power: Option<f64>,
    /// Whether the effect is relative to the baseline, default false.
    pub relative: Option<bool>,
    /// Number of variants (for the total), default 2.
    pub variants: Option<f64>,
}

/// Exposures needed.
#[derive(Debug, Clone, Copy, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct SampleSizeResult {
    /// Exposures per variant (rounded up).
    pub per_variant: u64,
    /// `per_variant` times the number of variants.
    pub total: u64,
    /// The baseline rate.
    pub baseline: f64,
    /// The rate the treatment would have: baseline plus the effect.
    pub target: f64,
    /// The significance level used.
    pub alpha: f64,
    /// The power used.
    pub power: f64,
}

/// The classic formula for comparing two proportions (two-sided, equal arms; e.g.
/// Fleiss, *Statistical Methods for Rates and Proportions*, without continuity
/// correction):
/// `n = (z_{1-α/2} √(2 p̄(1-p̄)) + z_{power} √(p1(1-p1) + p2(1-p2)))² / (p2 - p1)²`,
/// `p̄ = (p1 + p2)/2`. 10% -> 12% at alpha 0.05, power 0.8 gives 3,841.
pub fn sample_size(options: &SampleSizeOptions) -> Result<SampleSizeResult> {
    let baseline = options.baseline.ok_or_else(|| {
        InsituError::bad_option(
            "baseline",
            "missing; give the control's conversion rate, e.g. 0.1",
        )
    })?;
    let baseline = open_unit("baseline", baseline)?;
    let effect = options.min_detectable_effect.ok_or_else(|| {
        InsituError::bad_option(
            "minDetectableEffect",
            "missing; give the smallest change worth detecting, e.g. 0.02",
        )
    })?;
    let effect = finite("minDetectableEffect", effect)?;
    let alpha = open_unit("alpha", options.alpha.unwrap_or(0.05))?;
    let power = open_unit("power", options.power.unwrap_or(0.8))?;
    let variants = options.variants.unwrap_or(2.0);
    if !(variants.fract() == 0.0 && (2.0..=1000.0).contains(&variants)) {
        return Err(InsituError::bad_option(
            "variants",
            format!("{} is not a whole number from 2 to 1000", show(variants)),
        ));
    }
    let delta = if options.relative.unwrap_or(false) {
        baseline * effect
    } else {
        effect
    };
    let target = baseline + delta;
    if delta == 0.0 || !(target > 0.0 && target < 1.0) {
        return Err(InsituError::bad_option(
            "minDetectableEffect",
            format!(
                "{} takes the baseline {baseline} to {target}; the effect must be non-zero and the new rate strictly between 0 and 1",
                show(effect)
            ),
        ));
    }
    let za = normal_quantile(1.0 - alpha / 2.0);
    let zb = normal_quantile(power);
    let mean = (baseline + target) / 2.0;
    let root = za * (2.0 * mean * (1.0 - mean)).sqrt()
        + zb * (baseline * (1.0 - baseline) + target * (1.0 - target)).sqrt();
    let n = (root * root / (delta * delta)).ceil();
    if !(n.is_finite() && n < 9.0e15) {
        return Err(InsituError::Limit(
            "the sample size is too large to represent".into(),
        ));
    }
    let per_variant = (n as u64).max(1);
    Ok(SampleSizeResult {
        per_variant,
        total: per_variant * variants as u64,
        baseline,
        target,
        alpha,
        power,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_reference() {
        let r = sample_size(&SampleSizeOptions {
            baseline: Some(0.1),
            min_detectable_effect: Some(0.02),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(r.per_variant, 3841);
        assert_eq!(r.total, 7682);
        let rel = sample_size(&SampleSizeOptions {
            baseline: Some(0.1),
            min_detectable_effect: Some(0.2),
            relative: Some(true),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(rel.per_variant, 3841);
    }
}
