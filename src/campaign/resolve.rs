//! Looking up what options name in the dataset (event names, property columns, customer
//! attributes), with errors that list what exists.

use crate::data::{Dataset, Property, PropertyValues};
use crate::error::{InsituError, Result};

/// How many names an error message lists before "and N more".
const LIST_LIMIT: usize = 40;

/// Label used for a missing (null) category value.
pub const NONE_LABEL: &str = "(none)";

/// `names` joined for an error message, shortened past [`LIST_LIMIT`].
pub fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    if names.is_empty() {
        return "(none)".into();
    }
    let shown: Vec<&str> = names.iter().take(LIST_LIMIT).copied().collect();
    let mut text = shown.join(", ");
    if names.len() > LIST_LIMIT {
        text.push_str(&format!(" and {} more", names.len() - LIST_LIMIT));
    }
    text
}

/// The code of event `name`, or an error for `option` listing the event names.
pub fn event_code(ds: &Dataset, option: &str, name: &str) -> Result<u32> {
    ds.event_code(name).ok_or_else(|| {
        InsituError::bad_option(
            option,
            format!(
                "no event \"{name}\" in the data; the events are: {}",
                list(ds.event_names.iter().map(String::as_str))
            ),
        )
    })
}

/// A categorical column: a code per row (or per customer) and the labels.
#[derive(Debug, Clone, Copy)]
pub struct Categories<'a> {
    /// Code per row; [`crate::data::NULL_CODE`] is null.
    pub codes: &'a [u32],
    /// Labels by code.
    pub labels: &'a [String],
}

fn categorical(p: &Property) -> Option<Categories<'_>> {
    match &p.values {
        PropertyValues::Categorical { codes, labels } => Some(Categories { codes, labels }),
        _ => None,
    }
}

/// The categorical event property `name`, or an error for `option` listing them.
pub fn event_property<'a>(ds: &'a Dataset, option: &str, name: &str) -> Result<Categories<'a>> {
    match ds.events.property(name) {
        Some(p) => categorical(p).ok_or_else(|| not_categorical(option, name, p)),
        None => Err(InsituError::bad_option(
            option,
            format!(
                "no event property \"{name}\"; the events table has: {}",
                list(ds.events.properties.iter().map(|p| p.name.as_str()))
            ),
        )),
    }
}

/// Where a breakdown's values come from.
#[derive(Debug, Clone, Copy)]
pub enum Dimension<'a> {
    /// A property of the message events (e.g. `channel`), per event row.
    Event(Categories<'a>),
    /// A customer attribute (e.g. `country`), per customer.
    Customer(Categories<'a>),
}

impl Dimension<'_> {
    /// Labels by code.
    pub fn labels(&self) -> &[String] {
        match self {
            Dimension::Event(c) | Dimension::Customer(c) => c.labels,
        }
    }
}

/// A breakdown named `name`: an event property first, else a customer attribute.
pub fn dimension<'a>(ds: &'a Dataset, option: &str, name: &str) -> Result<Dimension<'a>> {
    if let Some(p) = ds.events.property(name) {
        return categorical(p)
            .map(Dimension::Event)
            .ok_or_else(|| not_categorical(option, name, p));
    }
    if let Some(p) = ds.customers.attributes.iter().find(|p| p.name == name) {
        return categorical(p)
            .map(Dimension::Customer)
            .ok_or_else(|| not_categorical(option, name, p));
    }
    Err(InsituError::bad_option(
        option,
        format!(
            "\"{name}\" is neither an event property ({}) nor a customer attribute ({})",
            list(ds.events.properties.iter().map(|p| p.name.as_str())),
            list(ds.customers.attributes.iter().map(|p| p.name.as_str()))
        ),
    ))
}

fn not_categorical(option: &str, name: &str, p: &Property) -> InsituError {
    InsituError::bad_option(
        option,
        format!(
            "\"{name}\" is a {} column; this needs a text, dictionary or boolean column",
            p.values.kind()
        ),
    )
}

/// What counts as a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// An order in the orders table.
    Orders,
    /// An event with this code.
    Event(u32),
}

/// Reads a `conversion` option: `"orders"` or an event name; default orders when the
/// dataset has an orders table, else a `purchase` event.
pub fn conversion(ds: &Dataset, option: &str, given: Option<&str>) -> Result<Conversion> {
    match given {
        Some("orders") | None if ds.has_orders => Ok(Conversion::Orders),
        Some("orders") => Err(InsituError::bad_option(
            option,
            format!(
                "the dataset has no orders table; name a conversion event instead (the events are: {})",
                list(ds.event_names.iter().map(String::as_str))
            ),
        )),
        Some(name) => event_code(ds, option, name).map(Conversion::Event),
        None => ds.event_code("purchase").map(Conversion::Event).ok_or_else(|| {
            InsituError::bad_option(
                option,
                format!(
                    "the dataset has no orders table and no \"purchase\" event; name the conversion event (the events are: {})",
                    list(ds.event_names.iter().map(String::as_str))
                ),
            )
        }),
    }
}

/// The conversion times of customer `c` in time order (into `out`, cleared first).
pub fn conversion_times(ds: &Dataset, conversion: Conversion, c: usize, out: &mut Vec<i64>) {
    out.clear();
    match conversion {
        Conversion::Orders => out.extend_from_slice(&ds.orders.time[ds.orders.rows(c)]),
        Conversion::Event(code) => {
            let rows = ds.events.rows(c);
            out.extend(
                ds.events.time[rows.clone()]
                    .iter()
                    .zip(&ds.events.event[rows])
                    .filter(|(_, &e)| e == code)
                    .map(|(&t, _)| t),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_shortened() {
        let names: Vec<String> = (0..45).map(|i| format!("e{i}")).collect();
        let text = list(names.iter().map(String::as_str));
        assert!(text.ends_with("and 5 more"));
        assert_eq!(list([]), "(none)");
    }
}
