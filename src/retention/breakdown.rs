//! Where a retention breakdown value comes from: a property of the start event, or else a
//! customer attribute of the same name. Category columns use their codes; number columns
//! are interned per distinct value as the pass meets them; time columns are refused.

use std::borrow::Cow;

use crate::json::FromJson;
use hashbrown::HashMap;

use crate::data::suggest::closest;
use crate::data::{Dataset, PropertyValues, NULL_CODE};
use crate::error::{InsituError, Result};

/// Where the values are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A column of the events table, read on the start event.
    Event,
    /// A column of the customers table, read per customer.
    Customer,
}

/// The `breakdown` option: a column name, or which table's column, with a limit.
#[derive(Debug, Clone, PartialEq, FromJson)]
#[json(untagged)]
pub enum BreakdownArg {
    /// An event property, or if there is none of that name, a customer attribute.
    Name(String),
    /// Spelled out.
    Detailed(BreakdownSpec),
    /// Anything else: rejected with the option's name.
    Other(crate::json::Json),
}

/// A spelled-out breakdown: exactly one of `property`, `attribute` and `segments`.
#[derive(Debug, Clone, Default, PartialEq, FromJson)]
#[json(rename_all = "camelCase", deny_unknown_fields)]
pub struct BreakdownSpec {
    /// A property of the start event (events table).
    pub property: Option<String>,
    /// A customer attribute (customers table).
    pub attribute: Option<String>,
    /// Values kept before the rest fold into "Other" (by customers); default 25.
    pub limit: Option<f64>,
    /// Segments (first match wins, "none" for the rest), evaluated at the end of the
    /// cohort range or of the data.
    pub segments: Option<Vec<crate::segments::SegmentDefinition>>,
}

impl BreakdownArg {
    /// The `limit` of the object form, if given.
    pub fn limit(&self) -> Option<f64> {
        match self {
            BreakdownArg::Detailed(spec) => spec.limit,
            _ => None,
        }
    }
}

/// A breakdown column and the codes it has handed out.
#[derive(Debug)]
pub struct Breakdown<'a> {
    /// Which table the column is in.
    pub source: Source,
    values: Cow<'a, PropertyValues>,
    /// Number columns: value bits -> code, and the labels in code order.
    numbers: HashMap<u64, u32>,
    number_labels: Vec<String>,
}

impl<'a> Breakdown<'a> {
    /// Resolves the `breakdown` option: a name is looked up among the event properties,
    /// then the customer attributes; the object form says which.
    pub fn resolve(ds: &'a Dataset, arg: &BreakdownArg, as_of: i64) -> Result<Breakdown<'a>> {
        if let BreakdownArg::Detailed(BreakdownSpec {
            segments: Some(defs),
            property: None,
            attribute: None,
            ..
        }) = arg
        {
            let (codes, labels) =
                crate::segments::breakdown(ds, defs, as_of, "breakdown.segments")?;
            return Ok(Breakdown {
                source: Source::Customer,
                values: Cow::Owned(PropertyValues::Categorical { codes, labels }),
                numbers: HashMap::new(),
                number_labels: Vec::new(),
            });
        }
        let attribute = |name: &str| ds.customers.attributes.iter().find(|p| p.name == name);
        let (source, property, name) = match arg {
            BreakdownArg::Name(name) => match ds.events.property(name) {
                Some(p) => (Source::Event, p, name),
                None => match attribute(name) {
                    Some(p) => (Source::Customer, p, name),
                    None => return Err(unknown(ds, name)),
                },
            },
            BreakdownArg::Detailed(BreakdownSpec {
                property: Some(name),
                attribute: None,
                ..
            }) => match ds.events.property(name) {
                Some(p) => (Source::Event, p, name),
                None => return Err(unknown(ds, name)),
            },
            BreakdownArg::Detailed(BreakdownSpec {
                property: None,
                attribute: Some(name),
                ..
            }) => match attribute(name) {
                Some(p) => (Source::Customer, p, name),
                None => return Err(unknown(ds, name)),
            },
            _ => {
                return Err(InsituError::bad_option(
                    "breakdown",
                    "use a column name, { property: \"...\" } (an event property), { attribute: \"...\" } (a customer attribute) or { segments: [...] }, with an optional limit",
                ))
            }
        };
        if let PropertyValues::Time(_) = property.values {
            return Err(InsituError::bad_option(
                "breakdown",
                format!("\"{name}\" is a time column; break down by a category or number column"),
            ));
        }
        Ok(Breakdown {
            source,
            values: Cow::Borrowed(&property.values),
            numbers: HashMap::new(),
            number_labels: Vec::new(),
        })
    }

    /// The value code at `row` (an event row or a customer number, by [`Self::source`]),
    /// or [`NULL_CODE`] when missing.
    pub fn code(&mut self, row: usize) -> u32 {
        match self.values.as_ref() {
            PropertyValues::Categorical { codes, .. } => {
                codes.get(row).copied().unwrap_or(NULL_CODE)
            }
            PropertyValues::Numeric(v) => match v.get(row) {
                Some(&x) if !x.is_nan() => {
                    // -0.0 and 0.0 are one value.
                    let x = if x == 0.0 { 0.0 } else { x };
                    let next = self.number_labels.len() as u32;
                    let code = *self.numbers.entry(x.to_bits()).or_insert(next);
                    if code == next {
                        self.number_labels.push(x.to_string());
                    }
                    code
                }
                _ => NULL_CODE,
            },
            PropertyValues::Time(_) => NULL_CODE,
        }
    }

    /// The label of a code handed out by [`Self::code`].
    pub fn label(&self, code: u32) -> String {
        let labels = match self.values.as_ref() {
            PropertyValues::Categorical { labels, .. } => labels,
            _ => &self.number_labels,
        };
        labels.get(code as usize).cloned().unwrap_or_default()
    }
}

fn unknown(ds: &Dataset, name: &str) -> InsituError {
    let events: Vec<&str> = ds
        .events
        .properties
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let customers: Vec<&str> = ds
        .customers
        .attributes
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let list = |names: &[&str]| {
        if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        }
    };
    let near = closest(name, events.iter().chain(&customers).copied(), 3);
    let hint = if near.is_empty() {
        String::new()
    } else {
        format!(" (closest: {})", near.join(", "))
    };
    InsituError::bad_option(
        "breakdown",
        format!(
            "\"{name}\" is neither an event property nor a customer attribute{hint}; event properties: {}; customer attributes: {}",
            list(&events),
            list(&customers)
        ),
    )
}
