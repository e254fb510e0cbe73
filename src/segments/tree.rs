//! The JSON tree form of a rule predicate:
//!
//! ```json
//! { "and": [
//!     { "field": "orders", "op": ">=", "value": 2 },
//!     { "not": { "field": "country", "op": "in", "value": ["KR", "JP"] } },
//!     "days_since_last_order > 90"
//! ] }
//! ```
//!
//! A node is `{ "and": [...] }`, `{ "or": [...] }`, `{ "not": node }`, a test
//! `{ "field", "op", "value" }`, or a string in the text form. Ops: `=` `!=` `<` `<=`
//! `>` `>=` `in` `notIn` `between` `notBetween` `isNull` `isNotNull` `inLast`. Errors
//! name the path of the node (`where.and[1].op`).

use crate::json::Json as Value;

use super::expr::{Expr, Literal, Op, Test};
use super::parse::{parse, parse_field};
use super::when::duration_text;
use crate::error::{InsituError, Result};

const OPS: &str = "=, !=, <, <=, >, >=, in, notIn, between, notBetween, isNull, isNotNull, inLast";

/// Reads a predicate: text, or a JSON tree. `path` names it in errors.
pub fn from_json(path: &str, value: &Value) -> Result<Expr> {
    match value {
        Value::String(text) => parse(path, text),
        Value::Object(map) => {
            let keys: Vec<&str> = map.iter().map(|(k, _)| k.as_str()).collect();
            let one = |key: &str| keys == [key];
            if one("and") || one("or") {
                let key = keys[0];
                let Some(Value::Array(items)) = value.get(key) else {
                    return Err(InsituError::bad_option(
                        format!("{path}.{key}"),
                        "must be a list of predicates",
                    ));
                };
                if items.is_empty() {
                    return Err(InsituError::bad_option(
                        format!("{path}.{key}"),
                        "needs at least one predicate",
                    ));
                }
                let parts = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| from_json(&format!("{path}.{key}[{i}]"), v))
                    .collect::<Result<Vec<_>>>()?;
                return Ok(if key == "and" {
                    Expr::And(parts)
                } else {
                    Expr::Or(parts)
                });
            }
            if one("not") {
                let inner = value.get("not").unwrap_or(&Value::Null);
                return Ok(Expr::Not(Box::new(from_json(
                    &format!("{path}.not"),
                    inner,
                )?)));
            }
            if keys.contains(&"field") {
                return test(path, value);
            }
            Err(InsituError::bad_option(
                path,
                format!(
                    "expected {{\"and\": [...]}}, {{\"or\": [...]}}, {{\"not\": ...}} or {{\"field\", \"op\", \"value\"}}; found the keys {}",
                    if keys.is_empty() { "(none)".to_owned() } else { keys.join(", ") }
                ),
            ))
        }
        other => Err(InsituError::bad_option(
            path,
            format!("expected a predicate (text or an object), found {other}"),
        )),
    }
}

fn test(path: &str, map: &Value) -> Result<Expr> {
    for key in map.as_object().unwrap_or_default().iter().map(|(k, _)| k) {
        if !["field", "op", "value"].contains(&key.as_str()) {
            return Err(InsituError::bad_option(
                format!("{path}.{key}"),
                "unknown key; a test has \"field\", \"op\" and \"value\"",
            ));
        }
    }
    let field_text = match map.get("field").unwrap_or(&Value::Null) {
        Value::String(s) => s,
        other => {
            return Err(InsituError::bad_option(
                format!("{path}.field"),
                format!("must be a field name such as \"orders\", found {other}"),
            ))
        }
    };
    let mut field = parse_field(&format!("{path}.field"), field_text)?;
    field.loc = path.to_owned();
    let op = match map.get("op") {
        Some(Value::String(op)) => op.as_str(),
        Some(other) => {
            return Err(InsituError::bad_option(
                format!("{path}.op"),
                format!("must be one of {OPS}; found {other}"),
            ))
        }
        None => {
            return Err(InsituError::bad_option(
                format!("{path}.op"),
                format!("missing; use one of {OPS}"),
            ))
        }
    };
    let value_path = format!("{path}.value");
    let value = map.get("value");
    let needs_value = || {
        value.ok_or_else(|| {
            InsituError::bad_option(&value_path, format!("missing; op \"{op}\" needs a value"))
        })
    };
    let list = |min: usize, max: usize| -> Result<Vec<Literal>> {
        match needs_value()? {
            Value::Array(items) if (min..=max).contains(&items.len()) => items
                .iter()
                .enumerate()
                .map(|(i, v)| literal(&format!("{value_path}[{i}]"), v))
                .collect(),
            other => Err(InsituError::bad_option(
                &value_path,
                if min == max {
                    format!("op \"{op}\" needs a list of {min} values [low, high]; found {other}")
                } else {
                    format!("op \"{op}\" needs a list of values; found {other}")
                },
            )),
        }
    };
    let t = |test: Test| Expr::Test {
        field: field.clone(),
        test,
        loc: path.to_owned(),
    };
    let not = |e: Expr| Expr::Not(Box::new(e));
    Ok(match op {
        "in" => t(Test::In(list(1, usize::MAX)?)),
        "notIn" => not(t(Test::In(list(1, usize::MAX)?))),
        "between" | "notBetween" => {
            let mut v = list(2, 2)?;
            let (hi, lo) = (v.remove(1), v.remove(0));
            let e = t(Test::Between(lo, hi));
            if op == "between" {
                e
            } else {
                not(e)
            }
        }
        "isNull" => t(Test::IsNull),
        "isNotNull" => not(t(Test::IsNull)),
        "inLast" => {
            let micros = match needs_value()? {
                Value::String(s) => duration_text(&value_path, s)?,
                Value::Number(n) => {
                    let ms = *n;
                    if !(ms.is_finite() && ms > 0.0 && ms < 8.64e15) {
                        return Err(InsituError::bad_option(
                            &value_path,
                            format!("{ms} is not a duration in milliseconds"),
                        ));
                    }
                    (ms * 1_000.0).round() as i64
                }
                other => {
                    return Err(InsituError::bad_option(
                        &value_path,
                        format!("op \"inLast\" needs a duration such as \"30d\"; found {other}"),
                    ))
                }
            };
            t(Test::InLast(micros))
        }
        symbol => {
            let op = Op::parse(symbol).ok_or_else(|| {
                InsituError::bad_option(
                    format!("{path}.op"),
                    format!("\"{symbol}\" is not an operator; use one of {OPS}"),
                )
            })?;
            t(Test::Compare(op, literal(&value_path, needs_value()?)?))
        }
    })
}

fn literal(path: &str, v: &Value) -> Result<Literal> {
    Ok(match v {
        Value::Number(n) => Literal::Number(*n),
        Value::String(s) => Literal::Text(s.clone()),
        Value::Bool(b) => Literal::Bool(*b),
        Value::Null => Literal::Null,
        other => {
            return Err(InsituError::bad_option(
                path,
                format!("expected a number, text or true/false, found {other}"),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(value: serde_json::Value) -> Value {
        crate::json::parse(&value.to_string()).unwrap()
    }

    macro_rules! json {
        ($($t:tt)+) => {
            json(serde_json::json!($($t)+))
        };
    }

    #[test]
    fn trees_and_text_nodes() {
        let e = from_json(
            "where",
            &json!({"and": [
                {"field": "orders", "op": ">=", "value": 2},
                {"not": {"field": "country", "op": "in", "value": ["KR", "JP"]}},
                "days_since_last_order > 90"
            ]}),
        )
        .unwrap();
        let Expr::And(items) = e else { panic!() };
        assert_eq!(items.len(), 3);
        assert!(matches!(items[1], Expr::Not(_)));
        assert_eq!(items[0].fields()[0].loc, "where.and[0]");
    }

    #[test]
    fn errors_name_the_path() {
        let e = from_json(
            "where",
            &json!({"and": [{"field": "orders", "op": "~", "value": 1}]}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("where.and[0].op"), "{e}");
        let e = from_json(
            "where",
            &json!({"field": "x", "op": "between", "value": [1]}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("where.value"), "{e}");
        let e = from_json(
            "where",
            &json!({"field": "x", "op": "=", "value": 1, "extra": 2}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("where.extra"), "{e}");
        let e = from_json("where", &json!({"or": []})).unwrap_err();
        assert!(e.to_string().contains("where.or"), "{e}");
        let e = from_json("where", &json!(3)).unwrap_err();
        assert_eq!(e.code(), "bad_option");
        let e = from_json("where", &json!({"and": ["orders >"]})).unwrap_err();
        assert!(e.to_string().contains("where.and[0]"), "{e}");
    }
}
