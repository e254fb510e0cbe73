//! Type-checks a predicate against its fields and evaluates it per customer.
//!
//! Logic is three-valued (SQL's): a comparison with a null value is *unknown*, `not
//! unknown` is unknown, `false and unknown` is false, `true or unknown` is true, and a
//! customer is a member only when the predicate is *true*. So a null attribute never
//! satisfies a comparison, `!=` and `not in` included; `is null` tests for it.

use std::collections::HashMap;

use super::context::Context;
use super::expr::{Expr, FieldRef, Literal, Op, Test};
use super::fields::{Column, Kind};
use super::when::relative_ago;
use crate::data::properties::{NULL_CODE, NULL_TIME};
use crate::data::suggest::unknown_message;
use crate::error::{InsituError, Result};
use crate::time::{parse_iso, MICROS_PER_MS};

/// A check of a number (or time, as µs) value.
#[derive(Debug, Clone, PartialEq)]
enum Check {
    Cmp(Op, f64),
    In(Vec<f64>),
    Between(f64, f64),
}

/// A compiled predicate over column indexes.
#[derive(Debug, Clone, PartialEq)]
enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Number { col: usize, check: Check },
    Category { col: usize, allowed: Vec<bool> },
    IsNull { col: usize },
}

/// A predicate ready to evaluate: its columns and the compiled tests.
#[derive(Debug, Clone)]
pub struct Compiled<'a> {
    columns: Vec<Column<'a>>,
    /// Canonical keys of the fields used (one per column).
    pub keys: Vec<String>,
    cond: Cond,
    /// Notes, e.g. a text value that does not occur in its column.
    pub warnings: Vec<String>,
}

/// Compiles `expr` with the fields of `ctx`.
pub fn compile<'a>(ctx: &mut Context<'a>, option: &str, expr: &Expr) -> Result<Compiled<'a>> {
    let mut c = Compiler {
        ctx,
        option,
        index: HashMap::new(),
        columns: Vec::new(),
        keys: Vec::new(),
        warnings: Vec::new(),
    };
    let cond = c.cond(expr)?;
    Ok(Compiled {
        columns: c.columns,
        keys: c.keys,
        cond,
        warnings: c.warnings,
    })
}

struct Compiler<'c, 'a> {
    ctx: &'c mut Context<'a>,
    option: &'c str,
    index: HashMap<String, usize>,
    columns: Vec<Column<'a>>,
    keys: Vec<String>,
    warnings: Vec<String>,
}

impl Compiler<'_, '_> {
    fn bad(&self, loc: &str, detail: String) -> InsituError {
        InsituError::bad_option(self.option, format!("{detail} (at {loc})"))
    }

    fn column(&mut self, field: &FieldRef) -> Result<(usize, Kind)> {
        let resolved = self.ctx.resolve(field)?;
        let kind = resolved.column.kind();
        if let Some(&i) = self.index.get(&resolved.key) {
            return Ok((i, kind));
        }
        let i = self.columns.len();
        self.index.insert(resolved.key.clone(), i);
        self.keys.push(resolved.key);
        self.columns.push(resolved.column);
        Ok((i, kind))
    }

    fn cond(&mut self, expr: &Expr) -> Result<Cond> {
        Ok(match expr {
            Expr::And(items) => {
                Cond::And(items.iter().map(|e| self.cond(e)).collect::<Result<_>>()?)
            }
            Expr::Or(items) => Cond::Or(items.iter().map(|e| self.cond(e)).collect::<Result<_>>()?),
            Expr::Not(e) => Cond::Not(Box::new(self.cond(e)?)),
            Expr::Test { field, test, loc } => {
                let (col, kind) = self.column(field)?;
                self.test(col, kind, &field.name, test, loc)?
            }
        })
    }

    fn test(&mut self, col: usize, kind: Kind, name: &str, test: &Test, loc: &str) -> Result<Cond> {
        if let Test::IsNull = test {
            return Ok(Cond::IsNull { col });
        }
        if kind == Kind::Category {
            let values: Vec<&Literal> = match test {
                Test::Compare(Op::Eq, v) => vec![v],
                Test::Compare(Op::Ne, v) => {
                    let allowed = self.allowed(col, name, &[v], loc)?;
                    return Ok(Cond::Not(Box::new(Cond::Category { col, allowed })));
                }
                Test::In(vs) => vs.iter().collect(),
                Test::Compare(op, _) => {
                    return Err(self.bad(
                        loc,
                        format!(
                            "\"{name}\" holds text, which has no order: compare it with =, != or in, not {}",
                            op.symbol()
                        ),
                    ))
                }
                Test::Between(..) => {
                    return Err(self.bad(loc, format!("\"{name}\" holds text; between needs numbers or times")))
                }
                Test::InLast(_) => {
                    return Err(self.bad(loc, format!("\"{name}\" holds text; \"in last\" needs a time field")))
                }
                Test::IsNull => return Ok(Cond::IsNull { col }),
            };
            let allowed = self.allowed(col, name, &values, loc)?;
            return Ok(Cond::Category { col, allowed });
        }
        let value = |this: &Self, v: &Literal| this.scalar(kind, name, v, loc);
        let check = match test {
            Test::Compare(op, v) => Check::Cmp(*op, value(self, v)?),
            Test::In(vs) => Check::In(vs.iter().map(|v| value(self, v)).collect::<Result<_>>()?),
            Test::Between(lo, hi) => {
                let (lo, hi) = (value(self, lo)?, value(self, hi)?);
                if lo > hi {
                    return Err(self.bad(
                        loc,
                        format!("between {lo} and {hi}: the low end is above the high end"),
                    ));
                }
                Check::Between(lo, hi)
            }
            Test::InLast(d) => {
                if kind != Kind::Time {
                    return Err(self.bad(
                        loc,
                        format!("\"in last\" needs a time field; \"{name}\" holds numbers (for days_since_* fields write e.g. {name} <= 30)"),
                    ));
                }
                let as_of = self.ctx.as_of as f64;
                Check::Between(as_of - *d as f64, as_of)
            }
            Test::IsNull => return Ok(Cond::IsNull { col }),
        };
        Ok(Cond::Number { col, check })
    }

    /// A literal as a number (numbers) or µs (times).
    fn scalar(&self, kind: Kind, name: &str, v: &Literal, loc: &str) -> Result<f64> {
        let mismatch = || {
            self.bad(
                loc,
                format!(
                    "type mismatch: \"{name}\" holds {}, but the value is {}",
                    kind.describe(),
                    v.describe()
                ),
            )
        };
        if let Literal::Null = v {
            return Err(self.bad(
                loc,
                format!("compare with null using \"{name} is null\" or \"is not null\""),
            ));
        }
        match kind {
            Kind::Number => match v {
                Literal::Number(n) => Ok(*n),
                Literal::Text(t) => Err(self.bad(
                    loc,
                    format!("type mismatch: \"{name}\" holds numbers, but \"{t}\" is text (write numbers without quotes)"),
                )),
                _ => Err(mismatch()),
            },
            Kind::Time => match v {
                Literal::Number(ms) => Ok(ms * MICROS_PER_MS as f64),
                Literal::Ago(us) => Ok((self.ctx.as_of - us) as f64),
                Literal::Text(t) => parse_iso(t)
                    .or_else(|| relative_ago(t).map(|us| self.ctx.as_of - us))
                    .map(|us| us as f64)
                    .ok_or_else(|| {
                        self.bad(
                            loc,
                            format!("\"{name}\" holds times; \"{t}\" is neither an ISO date (\"2024-03-01\") nor a relative date (\"30 days ago\")"),
                        )
                    }),
                _ => Err(mismatch()),
            },
            Kind::Category => Err(mismatch()),
        }
    }

    /// Which category codes the text values pick.
    fn allowed(
        &mut self,
        col: usize,
        name: &str,
        values: &[&Literal],
        loc: &str,
    ) -> Result<Vec<bool>> {
        let Column::Category { labels, closed, .. } = &self.columns[col] else {
            return Err(self.bad(loc, format!("\"{name}\" is not a text field")));
        };
        let mut allowed = vec![false; labels.len()];
        let mut missing = Vec::new();
        for v in values {
            let text = match v {
                Literal::Text(t) => t.clone(),
                Literal::Bool(b) => b.to_string(),
                Literal::Number(n) => {
                    return Err(self.bad(
                        loc,
                        format!("type mismatch: \"{name}\" holds text, but the value is the number {n} (quote it: \"{n}\")"),
                    ))
                }
                Literal::Null => {
                    return Err(self.bad(loc, format!("compare with null using \"{name} is null\"")))
                }
                other => {
                    return Err(self.bad(
                        loc,
                        format!("type mismatch: \"{name}\" holds text, but the value is {}", other.describe()),
                    ))
                }
            };
            match labels.iter().position(|l| *l == text) {
                Some(i) => allowed[i] = true,
                None => missing.push(text),
            }
        }
        for text in missing {
            let message = unknown_message(
                &format!("value of \"{name}\""),
                &text,
                labels.iter().map(String::as_str),
            );
            if *closed {
                return Err(self.bad(loc, message));
            }
            // An open column (an attribute) may simply not hold the value in this data.
            self.warnings
                .push(format!("{message}: it matches no customer"));
        }
        Ok(allowed)
    }
}

/// Three-valued truth per customer, ordered so that `and` is the minimum and `or` the
/// maximum: false < unknown < true.
const FALSE: u8 = 0;
const UNKNOWN: u8 = 1;
const TRUE: u8 = 2;

/// `test` on every customer's value of `column`: [`UNKNOWN`] where the value is null.
/// Generic over the test so that each comparison compiles to its own tight loop.
fn number_truth(column: &Column, n: usize, test: impl Fn(f64) -> bool) -> Vec<u8> {
    let truth = |x: f64| {
        if x.is_nan() {
            UNKNOWN
        } else if test(x) {
            TRUE
        } else {
            FALSE
        }
    };
    // Straight over the column (a million customers), then unknown for any past its end.
    let mut out: Vec<u8> = match column {
        Column::Number(v) => v.iter().take(n).map(|&x| truth(x)).collect(),
        Column::Time(v) => v
            .iter()
            .take(n)
            .map(|&t| {
                if t == NULL_TIME {
                    UNKNOWN
                } else {
                    truth(t as f64)
                }
            })
            .collect(),
        Column::Category { .. } => Vec::new(),
    };
    out.resize(n, UNKNOWN);
    out
}

impl Compiled<'_> {
    /// The truth of `cond` for customers `0..n`, a column at a time: each test is one
    /// pass over its column rather than a walk of the tree per customer.
    fn truth(&self, cond: &Cond, n: usize) -> Vec<u8> {
        match cond {
            Cond::And(items) | Cond::Or(items) => {
                let and = matches!(cond, Cond::And(_));
                let Some((first, rest)) = items.split_first() else {
                    return vec![if and { TRUE } else { FALSE }; n];
                };
                // Combined in place, one loop per operator (no test per customer).
                let mut out = self.truth(first, n);
                for item in rest {
                    let t = self.truth(item, n);
                    let pairs = out.iter_mut().zip(t);
                    if and {
                        pairs.for_each(|(o, x)| *o = (*o).min(x));
                    } else {
                        pairs.for_each(|(o, x)| *o = (*o).max(x));
                    }
                }
                out
            }
            Cond::Not(inner) => {
                let mut t = self.truth(inner, n);
                for x in &mut t {
                    *x = TRUE - *x;
                }
                t
            }
            Cond::IsNull { col } => {
                let column = &self.columns[*col];
                let bool_truth = |b: bool| if b { TRUE } else { FALSE };
                match column {
                    Column::Category { codes, .. } => (0..n)
                        .map(|c| bool_truth(codes.get(c).is_none_or(|&x| x == NULL_CODE)))
                        .collect(),
                    other => (0..n)
                        .map(|c| bool_truth(other.number(c).is_none()))
                        .collect(),
                }
            }
            Cond::Category { col, allowed } => match &self.columns[*col] {
                Column::Category { codes, .. } => {
                    // The truth of each code (null and unknown codes are unknown).
                    let mut out: Vec<u8> = codes
                        .iter()
                        .take(n)
                        .map(|&x| match allowed.get(x as usize) {
                            _ if x == NULL_CODE => UNKNOWN,
                            Some(true) => TRUE,
                            Some(false) | None => FALSE,
                        })
                        .collect();
                    out.resize(n, UNKNOWN);
                    out
                }
                _ => vec![UNKNOWN; n],
            },
            Cond::Number { col, check } => {
                let column = &self.columns[*col];
                match check {
                    Check::Cmp(op, v) => {
                        let v = *v;
                        match op {
                            Op::Eq => number_truth(column, n, |x| x == v),
                            Op::Ne => number_truth(column, n, |x| x != v),
                            Op::Lt => number_truth(column, n, |x| x < v),
                            Op::Le => number_truth(column, n, |x| x <= v),
                            Op::Gt => number_truth(column, n, |x| x > v),
                            Op::Ge => number_truth(column, n, |x| x >= v),
                        }
                    }
                    Check::In(vs) => number_truth(column, n, |x| vs.contains(&x)),
                    Check::Between(lo, hi) => {
                        let (lo, hi) = (*lo, *hi);
                        number_truth(column, n, |x| lo <= x && x <= hi)
                    }
                }
            }
        }
    }

    /// Which of customers `0..n` satisfy the predicate (unknown does not).
    pub fn matches_all(&self, n: usize) -> Vec<bool> {
        self.truth(&self.cond, n)
            .into_iter()
            .map(|t| t == TRUE)
            .collect()
    }
}
