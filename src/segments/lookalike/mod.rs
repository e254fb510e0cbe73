//! `ds.lookalike({ seed, population, features })`: customers of a population who look
//! like a seed segment.
//!
//! Fits an L2-regularised logistic regression of seed membership on the features over
//! the seed (label 1) and the population minus the seed (label 0); scores the
//! population minus the seed; returns the scores, the top-k audience, the coefficients,
//! and a holdout AUC and lift at the top 10%.
//!
//! Choices:
//! - **Features** are field expressions as in rules (`orders`, `country`,
//!   `events(view_product, 30d)`), computed at `asOf` with the seed definition's
//!   rfm/stages/funnel settings. Numbers are standardised over the training rows (mean 0,
//!   population standard deviation 1, as scikit-learn's StandardScaler); a number with
//!   nulls gets its mean imputed plus a standardised "(missing)" indicator; times become
//!   days before asOf; categories are one-hot without a reference level (L2 keeps that
//!   identifiable), their `maxLevels` (default 20) most frequent levels kept and the rest
//!   folded into "(other)"; a null category is all zeros.
//! - **Penalty** `l2` = λ in `Σ log-loss + λ/2 ‖w‖²` (intercept free), i.e. scikit-learn's
//!   `C = 1/λ`; default 1 (scikit-learn's default C = 1).
//! - **Holdout**: a stratified seeded split (`holdout` fraction of each class, default
//!   0.25, at least one of each class on each side; SplitMix64 seeded by `randomSeed`,
//!   default 42). A model fitted on the training part (its scaling too) gives the holdout
//!   AUC and lift; the coefficients and scores come from a refit on all rows.
//! - **Lift at 10%**: seed share among the top `ceil(10%)` of holdout customers by score
//!   over the holdout seed share.
//! - **Audience**: the `size` highest-scoring customers (default 10% of the scored
//!   population, rounded up), ties by customer order.

pub mod design;
pub mod evaluate;
pub mod logistic;
pub mod pass;
pub mod split;

use crate::json::{FromJson, ToJson};

use super::context::Context;
use super::definition::{evaluate_at, SegmentDefinition};
use super::fields::Column;
use super::parse::parse_field;
use super::population::known_all;
use super::when::{as_of, before_all_data, TimeValue};
use crate::data::properties::NULL_TIME;
use crate::data::{Dataset, ResultColumn, ResultTable};
use crate::error::{InsituError, Result};
use crate::time::{MICROS_PER_DAY, MICROS_PER_MS};
use design::{unusable, Design, Feature, Training, Values};
use evaluate::{auc, lift_at};
use logistic::fit;

/// Fewest seed members a lookalike needs.
pub const MIN_SEED: usize = 10;
/// Most features.
pub const MAX_FEATURES: usize = 50;
/// Most model columns (features expanded into levels and indicators).
pub const MAX_COLUMNS: usize = 500;

/// Options of [`lookalike`] (camelCase; unknown fields are errors).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct LookalikeOptions {
    /// The segment to find more of (at least 10 members).
    pub seed: Option<SegmentDefinition>,
    /// Where to look; default every customer not in the seed.
    pub population: Option<SegmentDefinition>,
    /// Field expressions used as features.
    #[json(default)]
    pub features: Vec<String>,
    /// The date fields are computed at; default UTC midnight after the last event or order.
    pub as_of: Option<TimeValue>,
    /// Audience size; default 10% of the scored population (rounded up).
    pub size: Option<f64>,
    /// Holdout fraction, more than 0 and less than 1; default 0.25.
    pub holdout: Option<f64>,
    /// Seed of the holdout split; default 42.
    pub random_seed: Option<f64>,
    /// L2 penalty λ (scikit-learn's 1 / C), more than 0; default 1.
    pub l2: Option<f64>,
    /// Category levels kept per feature (the rest fold into "(other)"); 2 to 100, default 20.
    pub max_levels: Option<f64>,
}

/// One model coefficient.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Coefficient {
    /// The feature.
    pub feature: String,
    /// The category level, `"(missing)"` or `"(other)"`; null for a number.
    pub level: Option<String>,
    /// Change in log-odds per standard deviation (numbers) or for the level (categories).
    pub coefficient: f64,
    /// `exp(coefficient)`.
    pub odds_ratio: f64,
    /// Mean used to standardise (numbers).
    pub mean: Option<f64>,
    /// Standard deviation used to standardise (numbers).
    pub std: Option<f64>,
}

/// The holdout evaluation.
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct Holdout {
    /// Customers in the holdout.
    pub customers: usize,
    /// Seed members in the holdout.
    pub seed: usize,
    /// Customers the evaluated model was trained on.
    pub train_customers: usize,
    /// ROC AUC on the holdout.
    pub auc: Option<f64>,
    /// Lift in the top 10% of holdout scores.
    pub lift_at_10: Option<f64>,
    /// Holdout customers in that top 10%.
    pub top_customers: usize,
    /// Seed members among them.
    pub top_seed: usize,
}

/// What [`lookalike`] returns (scores and audience as tables).
#[derive(Debug, Clone, PartialEq, ToJson)]
#[json(rename_all = "camelCase")]
pub struct LookalikeReport {
    /// The as-of date, epoch ms.
    pub as_of: f64,
    /// Seed members.
    pub seed: usize,
    /// Customers scored (the population minus the seed).
    pub population: usize,
    /// Audience size.
    pub audience_size: usize,
    /// The features as given.
    pub features: Vec<String>,
    /// The model intercept (all inputs at their means / no level).
    pub intercept: f64,
    /// One coefficient per model column.
    pub coefficients: Vec<Coefficient>,
    /// The holdout evaluation.
    pub holdout: Holdout,
    /// Newton iterations of the final fit.
    pub iterations: usize,
    /// Notes, e.g. a feature the seed's own rule uses.
    pub warnings: Vec<String>,
    /// Scored customers, best first: (customer, score).
    #[json(skip)]
    pub ranked: Vec<(u32, f64)>,
}

impl LookalikeReport {
    /// The first `limit` ranked customers: customer_id, score, rank (1 = best).
    pub fn table(&self, limit: usize) -> ResultTable {
        let rows = &self.ranked[..limit.min(self.ranked.len())];
        ResultTable::default()
            .with(
                "customer_id",
                ResultColumn::Customers(rows.iter().map(|r| r.0).collect()),
            )
            .with(
                "score",
                ResultColumn::Float64(rows.iter().map(|r| r.1).collect()),
            )
            .with(
                "rank",
                ResultColumn::UInt32((1..=rows.len() as u32).collect()),
            )
    }
}

/// Rows a subsample for a warm start aims at.
const WARM_START_ROWS: usize = 16_384;

/// A start for the fit on `rows`: a fit on every k-th row (about [`WARM_START_ROWS`]),
/// with the penalty scaled down alike so it solves nearly the same problem. Newton's
/// method then needs a few passes over all rows instead of eight or so from zero. None
/// for small fits, or if the subsample cannot be fitted (the full fit then starts at 0).
fn warm_start(
    rows: &[usize],
    l2: f64,
    fit_on: impl Fn(&[usize], f64) -> Result<logistic::Fit>,
) -> Option<Vec<f64>> {
    let stride = rows.len() / WARM_START_ROWS;
    if stride < 4 {
        return None;
    }
    let sub: Vec<usize> = rows.iter().step_by(stride).copied().collect();
    let scale = sub.len() as f64 / rows.len() as f64;
    fit_on(&sub, l2 * scale).ok().map(|f| f.theta())
}

fn number(
    option: &str,
    value: Option<f64>,
    default: f64,
    ok: impl Fn(f64) -> bool,
    rule: &str,
) -> Result<f64> {
    match value {
        None => Ok(default),
        Some(v) if v.is_finite() && ok(v) => Ok(v),
        Some(v) => Err(InsituError::bad_option(
            option,
            format!("{v} is not allowed; {rule}"),
        )),
    }
}

/// The feature values of `ctx`'s customers for `text` (a field expression).
fn feature(ctx: &mut Context, option: &str, text: &str) -> Result<(String, Feature)> {
    let field = parse_field(option, text)?;
    let resolved = ctx.resolve(&field).map_err(|e| match e {
        InsituError::BadOption { detail, .. } => InsituError::bad_option(option, detail),
        e => e,
    })?;
    let as_of = ctx.as_of;
    let values = match resolved.column {
        Column::Number(v) => Values::Number(v.into_owned()),
        Column::Time(v) => Values::Number(
            v.iter()
                .map(|&t| {
                    if t == NULL_TIME {
                        f64::NAN
                    } else {
                        (as_of - t) as f64 / MICROS_PER_DAY as f64
                    }
                })
                .collect(),
        ),
        Column::Category { codes, labels, .. } => Values::Category {
            codes: codes.into_owned(),
            labels: labels.into_owned(),
        },
    };
    Ok((
        resolved.key,
        Feature {
            name: text.trim().to_owned(),
            values,
        },
    ))
}

/// Finds customers like the seed; see the module docs.
///
/// ```
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// use insitu::segments::lookalike::{lookalike, LookalikeOptions};
/// use insitu::segments::SegmentDefinition;
/// let r = lookalike(ds, &LookalikeOptions {
///     seed: Some(SegmentDefinition::text("champions", "rfm_segment = 'Champions'")),
///     features: vec!["country".into(), "events(view_product, 30d)".into()],
///     ..Default::default()
/// })?;
/// println!("holdout AUC {:?}", r.holdout.auc);
/// # Ok(()) }
/// ```
pub fn lookalike(ds: &Dataset, options: &LookalikeOptions) -> Result<LookalikeReport> {
    let Some(seed_def) = &options.seed else {
        return Err(InsituError::bad_option(
            "seed",
            "missing: the segment to find more of",
        ));
    };
    for (name, def) in [
        ("seed", Some(seed_def)),
        ("population", options.population.as_ref()),
    ] {
        if def.is_some_and(|d| d.as_of.is_some()) {
            return Err(InsituError::bad_option(
                format!("{name}.asOf"),
                "the lookalike's own asOf applies to the seed and population; remove this one",
            ));
        }
    }
    let holdout = number(
        "holdout",
        options.holdout,
        0.25,
        |v| v > 0.0 && v < 1.0,
        "use a fraction between 0 and 1 (default 0.25)",
    )?;
    let l2 = number(
        "l2",
        options.l2,
        1.0,
        |v| v > 0.0,
        "use a penalty above 0 (default 1, scikit-learn's C = 1 / l2)",
    )?;
    let random_seed = number(
        "randomSeed",
        options.random_seed,
        42.0,
        |v| v >= 0.0 && v.fract() == 0.0 && v < 9.0e15,
        "use a whole number >= 0",
    )? as u64;
    let max_levels = number(
        "maxLevels",
        options.max_levels,
        20.0,
        |v| v.fract() == 0.0 && (2.0..=100.0).contains(&v),
        "use a whole number from 2 to 100",
    )? as usize;
    if options.features.is_empty() || options.features.len() > MAX_FEATURES {
        return Err(InsituError::bad_option(
            "features",
            format!("give 1 to {MAX_FEATURES} features (fields such as \"orders\", \"country\", \"events(view_product, 30d)\"); {} given", options.features.len()),
        ));
    }
    let t = as_of(ds, "asOf", options.as_of.as_ref())?;
    let known = known_all(ds, t);
    if !known.iter().any(|&k| k) {
        return Err(before_all_data(ds, "asOf", t, "any activity"));
    }

    let seed_eval = evaluate_at(ds, seed_def, t, "seed")?;
    let seed = seed_eval.members;
    let in_population: Vec<bool> = match &options.population {
        Some(def) => evaluate_at(ds, def, t, "population")?.members,
        None => known.clone(),
    };
    let positives: Vec<usize> = (0..ds.num_customers()).filter(|&c| seed[c]).collect();
    let negatives: Vec<usize> = (0..ds.num_customers())
        .filter(|&c| in_population[c] && !seed[c])
        .collect();
    if positives.len() < MIN_SEED {
        return Err(InsituError::bad_option(
            "seed",
            format!(
                "the seed segment has {} members at asOf; a lookalike needs at least {MIN_SEED}",
                positives.len()
            ),
        ));
    }
    if negatives.len() < 2 {
        return Err(InsituError::bad_option(
            if options.population.is_some() { "population" } else { "seed" },
            format!(
                "{} of the population {} outside the seed; a lookalike needs non-members to learn from and to score (at least 2)",
                negatives.len(),
                if negatives.len() == 1 { "customer is" } else { "customers are" }
            ),
        ));
    }
    let size = match options.size {
        None => (negatives.len() as f64 * 0.1).ceil() as usize,
        Some(s) if s.is_finite() && s >= 1.0 && s.fract() == 0.0 => {
            (s as usize).min(negatives.len())
        }
        Some(s) => {
            return Err(InsituError::bad_option(
                "size",
                format!("{s} is not an audience size; use a whole number >= 1"),
            ))
        }
    };

    let settings = seed_def.settings();
    let mut ctx = Context::new(ds, t, &settings, "features");
    let mut features = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut warnings = seed_eval.warnings;
    for (i, text) in options.features.iter().enumerate() {
        let option = format!("features[{i}]");
        let (key, f) = feature(&mut ctx, &option, text)?;
        if keys.contains(&key) {
            return Err(InsituError::bad_option(
                option,
                format!("\"{text}\" is already a feature"),
            ));
        }
        if seed_eval.fields.contains(&key) {
            warnings.push(format!(
                "feature \"{text}\" is also used by the seed's rule: the model can recognise the seed by the rule itself, so the audience will be customers who nearly meet it"
            ));
        }
        keys.push(key);
        features.push(f);
    }
    drop(ctx);
    let mut rows: Vec<usize> = positives.iter().chain(&negatives).copied().collect();
    rows.sort_unstable();
    for (i, f) in features.iter().enumerate() {
        if let Some(why) = unusable(f, &rows) {
            return Err(InsituError::bad_option(
                format!("features[{i}]"),
                format!("\"{}\" {why}; leave it out", f.name),
            ));
        }
    }
    let design = Design::fit(&features, &rows, max_levels);
    if design.dim() > MAX_COLUMNS {
        return Err(InsituError::bad_option(
            "features",
            format!("the features expand to {} model columns; at most {MAX_COLUMNS} (lower maxLevels or use fewer features)", design.dim()),
        ));
    }

    // Holdout evaluation: scaling and model from the training part only.
    let (train, hold) = split::stratified(&positives, &negatives, holdout, random_seed);
    let train_design = Design::fit(&features, &train, max_levels);
    let training = |customers: &[usize], l2: f64, start: Option<&[f64]>| {
        let rows = Training {
            design: &train_design,
            features: &features,
            customers,
            seed: &seed,
        };
        fit(&rows, l2, start)
    };
    let start = warm_start(&train, l2, |sub, l2| training(sub, l2, None));
    let train_fit = training(&train, l2, start.as_deref())?;
    let mut buf = Vec::new();
    let hold_scores: Vec<f64> = hold
        .iter()
        .map(|&c| {
            train_design.row(&features, c, &mut buf);
            train_fit.predict(&buf)
        })
        .collect();
    let hold_labels: Vec<bool> = hold.iter().map(|&c| seed[c]).collect();
    let (lift, top_customers, top_seed) = lift_at(&hold_scores, &hold_labels, 0.1);
    let hold_seed = hold_labels.iter().filter(|&&l| l).count();
    if hold_seed < MIN_SEED {
        warnings.push(format!(
            "the holdout has only {hold_seed} seed members, so its AUC and lift are rough; a larger seed gives a firmer estimate"
        ));
    }

    // The final fit starts from the training fit: the same model up to the holdout's
    // rows, so a few Newton steps finish it.
    let model = fit(
        &Training {
            design: &design,
            features: &features,
            customers: &rows,
            seed: &seed,
        },
        l2,
        Some(&design.carry(&train_design, &train_fit)),
    )?;
    let mut ranked: Vec<(u32, f64)> = negatives
        .iter()
        .map(|&c| {
            design.row(&features, c, &mut buf);
            (c as u32, model.predict(&buf))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let coefficients = design
        .terms
        .iter()
        .zip(&model.weights)
        .map(|(term, &w)| Coefficient {
            feature: features[term.feature].name.clone(),
            level: term.level.clone(),
            coefficient: w,
            odds_ratio: w.exp(),
            mean: term.mean,
            std: term.std,
        })
        .collect();
    Ok(LookalikeReport {
        as_of: t as f64 / MICROS_PER_MS as f64,
        seed: positives.len(),
        population: negatives.len(),
        audience_size: size,
        features: features.iter().map(|f| f.name.clone()).collect(),
        intercept: model.intercept,
        coefficients,
        holdout: Holdout {
            customers: hold.len(),
            seed: hold_seed,
            train_customers: train.len(),
            auc: auc(&hold_scores, &hold_labels),
            lift_at_10: lift,
            top_customers,
            top_seed,
        },
        iterations: model.iterations,
        warnings,
        ranked,
    })
}
