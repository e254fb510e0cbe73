//! Computes fields at one as-of date: resolves a field reference (a built-in or an
//! attribute) to a per-customer [`Column`]. The order, event, signup and activity
//! figures are computed here; RFM, stage, funnel and LTV fields in [`super::sources`].

use std::borrow::Cow;

use super::expr::{Arg, FieldRef, Literal};
use super::fields::{Builtin, Column, FieldSettings, Kind, BUILTINS};
use super::population::{
    events_before, known_all, orders_before, orders_summary, signup, AllOrders,
};
use super::rfm::RfmScores;
use super::when::{duration_text, TimeValue};
use crate::data::properties::{PropertyValues, NULL_TIME};
use crate::data::suggest::{closest, unknown_message};
use crate::data::Dataset;
use crate::error::{InsituError, Result};
use crate::time::{format_iso, MICROS_PER_DAY};

/// A half-open time window `[from, to)`, further cut at asOf.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    from: i64,
    to: i64,
    /// The window as written canonically (`30d`, or two ISO times), for field keys.
    label: String,
}

/// A duration in the largest whole unit (`30d`, `36h`), for field keys.
fn duration_label(us: i64) -> String {
    use crate::time::{MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND};
    for (unit, name) in [
        (MICROS_PER_DAY, "d"),
        (MICROS_PER_HOUR, "h"),
        (MICROS_PER_MINUTE, "m"),
        (MICROS_PER_SECOND, "s"),
    ] {
        if us % unit == 0 {
            return format!("{}{name}", us / unit);
        }
    }
    format!("{}s", us as f64 / MICROS_PER_SECOND as f64)
}

/// A resolved field: its canonical key (equal fields share one column), display name
/// and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved<'a> {
    /// Canonical form, e.g. `events(purchase,2592000000000)`.
    pub key: String,
    /// The name as written.
    pub name: String,
    /// The values.
    pub column: Column<'a>,
}

/// Computes fields for one as-of date. Expensive sources (RFM, stages) are computed
/// once and shared by every field that reads them.
pub struct Context<'a> {
    /// The data.
    pub ds: &'a Dataset,
    /// The as-of date, µs: only data before it counts.
    pub as_of: i64,
    /// Which customers exist at asOf.
    pub known: Vec<bool>,
    pub(super) settings: &'a FieldSettings,
    /// Prefix of option names in errors (`where`, `segments[1].where`).
    pub(super) option: String,
    pub(super) rfm: Option<RfmScores>,
}

impl<'a> Context<'a> {
    /// A context at `as_of`; `option` names the predicate in errors.
    pub fn new(ds: &'a Dataset, as_of: i64, settings: &'a FieldSettings, option: &str) -> Self {
        Context {
            ds,
            as_of,
            known: known_all(ds, as_of),
            settings,
            option: option.to_owned(),
            rfm: None,
        }
    }

    pub(super) fn bad(&self, loc: &str, detail: String) -> InsituError {
        InsituError::bad_option(&self.option, format!("{detail} (at {loc})"))
    }

    /// Resolves and computes a field.
    pub fn resolve(&mut self, field: &FieldRef) -> Result<Resolved<'a>> {
        let ds = self.ds;
        if !field.quoted {
            let lower = field.name.to_ascii_lowercase();
            if let Some(b) = BUILTINS
                .iter()
                .find(|b| b.name == lower || b.aliases.contains(&lower.as_str()))
            {
                return self.builtin(b, field);
            }
        }
        let attrs = &ds.customers.attributes;
        let found = attrs.iter().position(|a| a.name == field.name).or_else(|| {
            let mut same = attrs
                .iter()
                .enumerate()
                .filter(|(_, a)| a.name.eq_ignore_ascii_case(&field.name));
            match (same.next(), same.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        });
        let Some(i) = found else {
            return Err(self.unknown(field));
        };
        if !field.args.is_empty() {
            return Err(self.bad(
                &field.loc,
                format!("attribute \"{}\" takes no arguments", field.name),
            ));
        }
        let a = &attrs[i];
        let column = match &a.values {
            PropertyValues::Categorical { codes, labels } => Column::Category {
                codes: Cow::Borrowed(codes),
                labels: Cow::Borrowed(labels),
                closed: false,
            },
            PropertyValues::Numeric(v) => Column::Number(Cow::Borrowed(v)),
            PropertyValues::Time(v) => Column::Time(Cow::Borrowed(v)),
        };
        Ok(Resolved {
            // Backquoted when a built-in has that name, so the two never share a column.
            key: if BUILTINS.iter().any(|b| {
                b.name.eq_ignore_ascii_case(&a.name)
                    || b.aliases.iter().any(|x| x.eq_ignore_ascii_case(&a.name))
            }) {
                format!("`{}`", a.name)
            } else {
                a.name.clone()
            },
            name: a.name.clone(),
            column,
        })
    }

    fn unknown(&self, field: &FieldRef) -> InsituError {
        let ds = self.ds;
        let builtins = BUILTINS.iter().map(|b| b.name);
        let attrs = ds.customers.attributes.iter().map(|a| a.name.as_str());
        let near = closest(&field.name, builtins.clone().chain(attrs.clone()), 3);
        let quoted: Vec<String> = near.iter().map(|n| format!("\"{n}\"")).collect();
        let usage: Vec<&str> = BUILTINS.iter().map(|b| b.usage).collect();
        let attr_list: Vec<&str> = attrs.collect();
        self.bad(
            &field.loc,
            format!(
                "unknown field \"{}\"; closest: {}. Fields: {}; customer attributes: {}",
                field.name,
                quoted.join(", "),
                usage.join(", "),
                if attr_list.is_empty() {
                    "(none: the dataset has no customers table attributes)".to_owned()
                } else {
                    attr_list.join(", ")
                }
            ),
        )
    }

    fn no_args(&self, b: &Builtin, field: &FieldRef) -> Result<()> {
        if field.args.is_empty() {
            Ok(())
        } else {
            Err(self.bad(
                &field.loc,
                format!("{} takes no arguments (usage: {})", b.name, b.usage),
            ))
        }
    }

    /// Reads an optional window from `args`: nothing, one duration, or `from, to` times.
    fn window(&self, b: &Builtin, field: &FieldRef, args: &[Arg]) -> Result<Option<Window>> {
        let bad = |detail: String| self.bad(&field.loc, format!("{detail} (usage: {})", b.usage));
        let time = |arg: &Arg| -> Result<i64> {
            match arg {
                Arg::Value(Literal::Number(ms)) => TimeValue::Ms(*ms).micros(&self.option),
                Arg::Value(Literal::Text(t)) => TimeValue::Text(t.clone())
                    .micros(&self.option)
                    .map_err(|_| bad(format!("\"{t}\" is not an ISO date"))),
                Arg::Value(Literal::Ago(us)) => Ok(self.as_of.saturating_sub(*us)),
                _ => Err(bad("expected a time".into())),
            }
        };
        match args {
            [] => Ok(None),
            [arg] => {
                let d = match arg {
                    Arg::Value(Literal::Duration(d)) => *d,
                    Arg::Value(Literal::Text(t)) => duration_text(&self.option, t)
                        .map_err(|_| bad(format!("\"{t}\" is not a duration such as 30d")))?,
                    _ => return Err(bad("expected a duration such as 30d".into())),
                };
                Ok(Some(Window {
                    from: self.as_of.saturating_sub(d),
                    to: self.as_of,
                    label: duration_label(d),
                }))
            }
            [from, to] => {
                let (from, to) = (time(from)?, time(to)?);
                if from >= to {
                    return Err(bad("the window's start must be before its end".into()));
                }
                Ok(Some(Window {
                    from,
                    to: to.min(self.as_of),
                    label: format!("\"{}\", \"{}\"", format_iso(from), format_iso(to)),
                }))
            }
            _ => Err(bad("too many arguments".into())),
        }
    }

    /// The canonical name of a built-in with optional leading arguments and window:
    /// `orders`, `orders(30d)`, `events(purchase, 30d)`.
    fn key(b: &Builtin, lead: Option<&str>, window: Option<&Window>) -> String {
        let args: Vec<&str> = lead
            .into_iter()
            .chain(window.map(|w| w.label.as_str()))
            .collect();
        if args.is_empty() {
            b.name.to_owned()
        } else {
            format!("{}({})", b.name, args.join(", "))
        }
    }

    fn builtin(&mut self, b: &Builtin, field: &FieldRef) -> Result<Resolved<'a>> {
        let ds = self.ds;
        let as_of = self.as_of;
        let n = ds.num_customers();
        let days = |t: i64| {
            if t == NULL_TIME {
                f64::NAN
            } else {
                (as_of - t) as f64 / MICROS_PER_DAY as f64
            }
        };
        let mut key = b.name.to_owned();
        let column = match b.name {
            "orders" | "revenue" | "avg_order_value" => {
                let window = self.window(b, field, &field.args)?;
                key = Self::key(b, None, window.as_ref());
                let rows = |c: usize| orders_in(ds, c, as_of, window.as_ref());
                let total = |c: usize| match &window {
                    None => orders_summary(ds, c, as_of).total,
                    Some(_) => ds.orders.amount[rows(c)].iter().sum::<f64>(),
                };
                // A count reads only the customer's row range, never the amounts.
                let all = AllOrders::at(ds, as_of).filter(|_| window.is_none());
                let v: Vec<f64> = match (b.name, all) {
                    ("orders", Some(all)) => all.counts().map(f64::from).collect(),
                    ("revenue", Some(all)) => all.spend.to_vec(),
                    (_, Some(all)) => all
                        .counts()
                        .zip(all.spend)
                        .map(|(k, &total)| match k {
                            0 => f64::NAN,
                            k => total / f64::from(k),
                        })
                        .collect(),
                    ("orders", None) => (0..n).map(|c| rows(c).len() as f64).collect(),
                    ("revenue", None) => (0..n).map(total).collect(),
                    (_, None) => (0..n)
                        .map(|c| match rows(c).len() {
                            0 => f64::NAN,
                            k => total(c) / k as f64,
                        })
                        .collect(),
                };
                Column::Number(Cow::Owned(v))
            }
            "first_order" | "last_order" | "days_since_first_order" | "days_since_last_order" => {
                self.no_args(b, field)?;
                let first = b.name.contains("first");
                let all = AllOrders::at(ds, as_of);
                let times: Vec<i64> = match all {
                    Some(all) if !first => all.last.to_vec(),
                    _ => (0..n)
                        .map(|c| {
                            let rows = orders_before(ds, c, as_of);
                            match (rows.is_empty(), first) {
                                (true, _) => NULL_TIME,
                                (false, true) => ds.orders.time[rows.start],
                                (false, false) => orders_summary(ds, c, as_of).last,
                            }
                        })
                        .collect(),
                };
                if b.name.starts_with("days") {
                    Column::Number(Cow::Owned(times.into_iter().map(days).collect()))
                } else {
                    Column::Time(Cow::Owned(times))
                }
            }
            "events" => {
                let Some((event, rest)) = field.args.split_first() else {
                    return Err(self.bad(
                        &field.loc,
                        format!("events needs an event name (usage: {})", b.usage),
                    ));
                };
                let name = match event {
                    Arg::Field(f) if f.args.is_empty() => f.name.clone(),
                    Arg::Value(Literal::Text(t)) => t.clone(),
                    _ => {
                        return Err(self.bad(
                            &field.loc,
                            format!("events needs an event name first (usage: {})", b.usage),
                        ))
                    }
                };
                let code = ds.event_code(&name).ok_or_else(|| {
                    self.bad(
                        &field.loc,
                        unknown_message("event", &name, ds.event_names.iter().map(String::as_str)),
                    )
                })?;
                let window = self.window(b, field, rest)?;
                key = Self::key(b, Some(&name), window.as_ref());
                let v = (0..n)
                    .map(|c| {
                        let rows = events_before(ds, c, as_of);
                        let times = &ds.events.time[rows.clone()];
                        let (lo, hi) = match &window {
                            None => (0, times.len()),
                            Some(w) => (
                                times.partition_point(|&t| t < w.from),
                                times.partition_point(|&t| t < w.to),
                            ),
                        };
                        let codes = &ds.events.event[rows.start + lo..rows.start + hi.max(lo)];
                        codes.iter().filter(|&&e| e == code).count() as f64
                    })
                    .collect();
                Column::Number(Cow::Owned(v))
            }
            "signup" | "days_since_signup" => {
                self.no_args(b, field)?;
                if ds.customers.signup.is_none() {
                    return Err(self.bad(
                        &field.loc,
                        format!("{} needs a signup time column in the customers table; the dataset has none", b.name),
                    ));
                }
                let times: Vec<i64> = (0..n)
                    .map(|c| signup(ds, c).filter(|&t| t < as_of).unwrap_or(NULL_TIME))
                    .collect();
                if b.name == "signup" {
                    Column::Time(Cow::Owned(times))
                } else {
                    Column::Number(Cow::Owned(times.into_iter().map(days).collect()))
                }
            }
            "last_seen" | "days_since_last_seen" => {
                self.no_args(b, field)?;
                let times: Vec<i64> = (0..n)
                    .map(|c| {
                        let e = events_before(ds, c, as_of);
                        let o = orders_before(ds, c, as_of);
                        [
                            (!e.is_empty()).then(|| ds.events.time[e.end - 1]),
                            (!o.is_empty()).then(|| ds.orders.time[o.end - 1]),
                            signup(ds, c).filter(|&t| t < as_of),
                        ]
                        .into_iter()
                        .flatten()
                        .max()
                        .unwrap_or(NULL_TIME)
                    })
                    .collect();
                if b.name == "last_seen" {
                    Column::Time(Cow::Owned(times))
                } else {
                    Column::Number(Cow::Owned(times.into_iter().map(days).collect()))
                }
            }
            "recency" | "frequency" | "monetary" | "r_score" | "f_score" | "m_score"
            | "rfm_score" | "rfm_segment" => {
                self.no_args(b, field)?;
                self.rfm_column(b.name)?
            }
            "stage" => {
                self.no_args(b, field)?;
                self.stage_column()?
            }
            "funnel_step" => {
                self.no_args(b, field)?;
                self.funnel_column(field)?
            }
            "clv" | "p_alive" | "expected_purchases" => {
                self.no_args(b, field)?;
                self.ltv_column(b.name, field)?
            }
            "percentile" => {
                let [Arg::Field(inner)] = field.args.as_slice() else {
                    return Err(self.bad(
                        &field.loc,
                        format!("percentile needs one field (usage: {})", b.usage),
                    ));
                };
                let inner = self.resolve(inner)?;
                if inner.column.kind() == Kind::Category {
                    return Err(self.bad(
                        &field.loc,
                        format!(
                            "percentile needs a number or time field; \"{}\" holds text",
                            inner.name
                        ),
                    ));
                }
                key = format!("percentile({})", inner.key);
                Column::Number(Cow::Owned(self.percentiles(&inner.column)))
            }
            other => {
                // Every BUILTINS entry has an arm above; a new entry without one is a bug.
                return Err(InsituError::Limit(format!(
                    "field \"{other}\" is not implemented"
                )));
            }
        };
        Ok(Resolved {
            key,
            name: field.name.clone(),
            column,
        })
    }

    /// 100 × the share of known customers with a non-null value whose value is <= each
    /// customer's (the empirical CDF); null where the value is null.
    fn percentiles(&self, column: &Column) -> Vec<f64> {
        let n = self.ds.num_customers();
        let mut sorted: Vec<f64> = (0..n)
            .filter(|&c| self.known[c])
            .filter_map(|c| column.number(c))
            .collect();
        sorted.sort_by(f64::total_cmp);
        let total = sorted.len() as f64;
        (0..n)
            .map(|c| match column.number(c) {
                Some(x) if total > 0.0 => {
                    100.0 * sorted.partition_point(|&y| y <= x) as f64 / total
                }
                _ => f64::NAN,
            })
            .collect()
    }
}

/// Customer `c`'s orders before `as_of`, within `window` if given.
fn orders_in(
    ds: &Dataset,
    c: usize,
    as_of: i64,
    window: Option<&Window>,
) -> std::ops::Range<usize> {
    let rows = orders_before(ds, c, as_of);
    let Some(w) = window else { return rows };
    let times = &ds.orders.time[rows.clone()];
    let lo = times.partition_point(|&t| t < w.from);
    let hi = times.partition_point(|&t| t < w.to).max(lo);
    rows.start + lo..rows.start + hi
}
