//! Segment definitions and their members: the entry points funnels, retention,
//! transitions and lookalikes use.

use crate::json::FromJson;

use super::compile::{compile, Compiled};
use super::context::Context;
use super::expr::Expr;
use super::fields::{ClvSettings, FieldSettings, StageSettings};
use super::rfm::RfmSettings;
use super::tree::from_json;
use super::when::{as_of, before_all_data, TimeValue};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::funnel::FunnelQuery;

/// A named predicate over per-customer fields (camelCase; unknown fields are errors).
///
/// `where` is the text form (`"orders >= 2 and country in ('KR', 'JP')"`) or a JSON
/// tree (`{"and": [{"field": "orders", "op": ">=", "value": 2}, ...]}`).
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentDefinition {
    /// The segment's name (results and transition matrices use it).
    #[json(default)]
    pub name: String,
    /// The predicate: text or a JSON tree.
    #[json(rename = "where")]
    pub predicate: crate::json::Json,
    /// The date the fields are computed at (only data before it counts); default UTC
    /// midnight after the last event or order.
    pub as_of: Option<TimeValue>,
    /// Settings of the RFM fields (bins, monetary, segments).
    pub rfm: Option<RfmSettings>,
    /// Thresholds of the `stage` field.
    pub stages: Option<StageSettings>,
    /// The funnel of the `funnel_step` field.
    pub funnel: Option<FunnelQuery>,
    /// The fitted LTV model (and horizon, discount rate, margin) of the `clv`, `p_alive`
    /// and `expected_purchases` fields.
    pub clv: Option<ClvSettings>,
}

impl SegmentDefinition {
    /// A definition from a name and a predicate in the text form.
    pub fn text(name: &str, predicate: &str) -> SegmentDefinition {
        SegmentDefinition {
            name: name.to_owned(),
            predicate: crate::json::Json::String(predicate.to_owned()),
            ..SegmentDefinition::default()
        }
    }

    /// The predicate as a tree; `option` names it in errors (e.g. `where`).
    pub fn parse(&self, option: &str) -> Result<Expr> {
        from_json(option, &self.predicate)
    }

    /// The field settings given with the definition.
    pub fn settings(&self) -> FieldSettings {
        FieldSettings {
            rfm: self.rfm.clone().unwrap_or_default(),
            stages: self.stages.clone().unwrap_or_default(),
            funnel: self.funnel.clone(),
            clv: self.clv.clone(),
        }
    }
}

/// A definition evaluated at one date.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The as-of date, µs.
    pub as_of: i64,
    /// Members by customer number.
    pub members: Vec<bool>,
    /// Customers that exist at asOf (members are a subset).
    pub known: Vec<bool>,
    /// Canonical keys of the fields the predicate reads.
    pub fields: Vec<String>,
    /// Notes, e.g. a text value that does not occur.
    pub warnings: Vec<String>,
}

/// Evaluates `def` at `as_of` (µs); `option` names the definition in errors (e.g.
/// `"segments[2]"`, or `""` at the top level).
pub fn evaluate_at(
    ds: &Dataset,
    def: &SegmentDefinition,
    as_of: i64,
    option: &str,
) -> Result<Evaluation> {
    let path = join(option, "where");
    let expr = def.parse(&path)?;
    let settings = def.settings();
    let mut ctx = Context::new(ds, as_of, &settings, &path);
    let compiled: Compiled = compile(&mut ctx, &path, &expr)?;
    let known = std::mem::take(&mut ctx.known);
    let members = compiled
        .matches_all(ds.num_customers())
        .into_iter()
        .zip(&known)
        .map(|(m, &k)| m && k)
        .collect();
    Ok(Evaluation {
        as_of,
        members,
        known,
        fields: compiled.keys.clone(),
        warnings: compiled.warnings.clone(),
    })
}

/// Evaluates `def` at its own `asOf` (or the default), refusing a date before all data.
pub fn evaluate(ds: &Dataset, def: &SegmentDefinition, option: &str) -> Result<Evaluation> {
    let as_of_option = join(option, "asOf");
    let t = as_of(ds, &as_of_option, def.as_of.as_ref())?;
    let e = evaluate_at(ds, def, t, option)?;
    if !e.known.iter().any(|&k| k) {
        return Err(before_all_data(ds, &as_of_option, t, "any activity"));
    }
    Ok(e)
}

/// The members of a segment by customer number (`members[c]`), at the definition's
/// `asOf` (default: after all data). For funnel and retention filters and breakdowns.
///
/// ```
/// # fn demo(ds: &insitu::Dataset) -> insitu::Result<()> {
/// use insitu::segments::{members, SegmentDefinition};
/// let lapsed = members(ds, &SegmentDefinition::text("lapsed", "orders >= 2 and days_since_last_order > 90"))?;
/// let n = lapsed.iter().filter(|&&m| m).count();
/// # Ok(()) }
/// ```
pub fn members(ds: &Dataset, def: &SegmentDefinition) -> Result<Vec<bool>> {
    Ok(evaluate(ds, def, "")?.members)
}

/// Code of customers no segment matches in [`assign`].
pub const NO_SEGMENT: u32 = u32::MAX - 1;
/// Code of customers who do not exist at the date in [`assign`].
pub const NOT_KNOWN: u32 = u32::MAX;

/// Each customer's first matching segment (index into `defs`) at `as_of`, or
/// [`NO_SEGMENT`], or [`NOT_KNOWN`] for customers who do not exist yet. For a breakdown
/// by segment. `option` names the list in errors (e.g. `"segments"`).
pub fn assign(
    ds: &Dataset,
    defs: &[SegmentDefinition],
    as_of: i64,
    option: &str,
) -> Result<Vec<u32>> {
    let known = super::population::known_all(ds, as_of);
    let mut out: Vec<u32> = known
        .iter()
        .map(|&k| if k { NO_SEGMENT } else { NOT_KNOWN })
        .collect();
    for (i, def) in defs.iter().enumerate() {
        let e = evaluate_at(ds, def, as_of, &format!("{option}[{i}]"))?;
        for (slot, &member) in out.iter_mut().zip(&e.members) {
            if *slot == NO_SEGMENT && member {
                *slot = i as u32;
            }
        }
    }
    Ok(out)
}

/// A breakdown by segments at `as_of`: each customer's code into the returned labels
/// (the segment names, then `"none"` for customers in no segment), or `NULL_CODE` for
/// customers who do not exist yet. Names are checked (given, distinct, not "none").
/// For funnel and retention breakdowns: `labels[codes[c]]` is customer `c`'s value.
pub fn breakdown(
    ds: &Dataset,
    defs: &[SegmentDefinition],
    as_of: i64,
    option: &str,
) -> Result<(Vec<u32>, Vec<String>)> {
    check_names(defs, option, "none")?;
    let codes = assign(ds, defs, as_of, option)?
        .into_iter()
        .map(|x| match x {
            NOT_KNOWN => crate::data::NULL_CODE,
            NO_SEGMENT => defs.len() as u32,
            i => i,
        })
        .collect();
    let mut labels: Vec<String> = defs.iter().map(|d| d.name.trim().to_owned()).collect();
    labels.push("none".to_owned());
    Ok((codes, labels))
}

/// Checks that segment names are given, distinct and not `reserved`.
pub fn check_names(defs: &[SegmentDefinition], option: &str, reserved: &str) -> Result<()> {
    for (i, d) in defs.iter().enumerate() {
        let name = d.name.trim();
        if name.is_empty() {
            return Err(InsituError::bad_option(
                format!("{option}[{i}].name"),
                "every segment needs a name",
            ));
        }
        if name == reserved {
            return Err(InsituError::bad_option(
                format!("{option}[{i}].name"),
                format!("\"{reserved}\" is reserved for customers in no segment"),
            ));
        }
        if defs[..i].iter().any(|p| p.name.trim() == name) {
            return Err(InsituError::bad_option(
                format!("{option}[{i}].name"),
                format!("segment \"{name}\" is defined twice"),
            ));
        }
    }
    Ok(())
}

/// `prefix.name`, or `name` when there is no prefix.
pub fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}
