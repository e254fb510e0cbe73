//! The short text form of a rule predicate, e.g.
//! `orders >= 2 and days_since_last_order > 90 and country in ("KR", "JP")`.
//!
//! ```text
//! predicate  := or
//! or         := and ("or" and)*
//! and        := unary ("and" unary)*
//! unary      := "not" unary | "(" or ")" | condition
//! condition  := field ( op value
//!                     | ["not"] "in" "(" value ("," value)* ")"
//!                     | ["not"] "in" "last" duration | "within" ["last"] duration
//!                     | ["not"] "between" value "and" value
//!                     | "is" ["not"] "null" )
//! field      := name ["(" arg ("," arg)* ")"] | `any name`
//! value      := number | "text" | 'text' | true | false | null | duration "ago" | now
//! duration   := 30d | 30 days | 12h | 4w | "30d"
//! op         := = | == | != | <> | < | <= | > | >=
//! ```
//! Keywords are case-insensitive. A syntax error names its position (0-based, in
//! characters) and shows where it is.

use super::expr::{Arg, Expr, FieldRef, Literal, Op, Test};
use super::when::duration_text;
use crate::error::{InsituError, Result};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Quoted(String),
    Str(String),
    Num(f64),
    Dur(i64),
    Op(Op),
    LParen,
    RParen,
    Comma,
    End,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("\"{s}\""),
            Tok::Quoted(s) => format!("`{s}`"),
            Tok::Str(s) => format!("the text \"{s}\""),
            Tok::Num(n) => format!("the number {n}"),
            Tok::Dur(_) => "a duration".into(),
            Tok::Op(op) => format!("\"{}\"", op.symbol()),
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::Comma => "\",\"".into(),
            Tok::End => "the end of the text".into(),
        }
    }
}

/// A syntax error at character `pos` of `source`, with a caret under it.
fn syntax(option: &str, source: &str, pos: usize, detail: String) -> InsituError {
    InsituError::bad_option(
        option,
        format!(
            "syntax error at position {pos}: {detail}\n    {source}\n    {}^",
            " ".repeat(pos)
        ),
    )
}

fn is_unit(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "s" | "sec"
            | "second"
            | "seconds"
            | "m"
            | "min"
            | "minute"
            | "minutes"
            | "h"
            | "hour"
            | "hours"
            | "d"
            | "day"
            | "days"
            | "w"
            | "week"
            | "weeks"
    )
}

fn is_month(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "mo" | "month" | "months" | "y" | "year" | "years"
    )
}

fn lex(option: &str, source: &str) -> Result<Vec<(Tok, usize)>> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |pos: usize, d: String| syntax(option, source, pos, d);
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let tok = match c {
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            ',' => {
                i += 1;
                Tok::Comma
            }
            '=' | '!' | '<' | '>' => {
                let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
                let (symbol, len) = match Op::parse(&two) {
                    Some(_) => (two, 2),
                    None => (c.to_string(), 1),
                };
                let op = Op::parse(&symbol).ok_or_else(|| {
                    err(i, format!("\"{c}\" is not an operator; use = != < <= > >="))
                })?;
                i += len;
                Tok::Op(op)
            }
            '"' | '\'' | '`' => {
                let quote = c;
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(err(start, format!("this {quote} is never closed"))),
                        Some('\\') if chars.get(i + 1).is_some() => {
                            text.push(chars[i + 1]);
                            i += 2;
                        }
                        Some(&ch) if ch == quote => {
                            i += 1;
                            break;
                        }
                        Some(&ch) => {
                            text.push(ch);
                            i += 1;
                        }
                    }
                }
                if quote == '`' {
                    Tok::Quoted(text)
                } else {
                    Tok::Str(text)
                }
            }
            c if starts_number(&chars, i) => {
                if c == '-' {
                    i += 1;
                }
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let number: String = chars[start..i].iter().collect();
                let value: f64 = number
                    .parse()
                    .map_err(|_| err(start, format!("\"{number}\" is not a number")))?;
                // A unit right after the digits makes a duration: 30d, 12h, 2weeks.
                let unit_start = i;
                while i < chars.len() && chars[i].is_ascii_alphabetic() {
                    i += 1;
                }
                if i == unit_start {
                    Tok::Num(value)
                } else {
                    let unit: String = chars[unit_start..i].iter().collect();
                    Tok::Dur(duration(option, source, unit_start, &number, &unit)?)
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.')
                {
                    i += 1;
                }
                Tok::Ident(chars[start..i].iter().collect())
            }
            other => return Err(err(start, format!("unexpected character \"{other}\""))),
        };
        out.push((tok, start));
    }
    out.push((Tok::End, chars.len()));
    Ok(out)
}

fn duration(option: &str, source: &str, pos: usize, number: &str, unit: &str) -> Result<i64> {
    if is_month(unit) {
        return Err(syntax(
            option,
            source,
            pos,
            format!(
                "\"{unit}\": months and years vary in length; use days or weeks (\"90d\", \"52w\")"
            ),
        ));
    }
    if !is_unit(unit) {
        return Err(syntax(
            option,
            source,
            pos,
            format!("\"{unit}\" is not a unit; use s, m (minutes), h, d or w"),
        ));
    }
    duration_text(option, &format!("{number}{unit}")).map_err(|_| {
        syntax(
            option,
            source,
            pos,
            format!("\"{number}{unit}\" is not a usable duration"),
        )
    })
}

struct Parser<'a> {
    option: &'a str,
    source: &'a str,
    toks: Vec<(Tok, usize)>,
    at: usize,
    /// Nesting of groups, `not`s and field arguments: bounded so that a hostile input
    /// cannot exhaust the (small, wasm) stack.
    depth: usize,
}

/// Deepest nesting of parentheses, `not` and field arguments accepted.
const MAX_DEPTH: usize = 64;

/// Parses the text form of a predicate; `option` names the option in errors.
pub fn parse(option: &str, source: &str) -> Result<Expr> {
    let toks = lex(option, source)?;
    let mut p = Parser {
        option,
        source,
        toks,
        at: 0,
        depth: 0,
    };
    if p.peek() == &Tok::End {
        return Err(p.error("the predicate is empty; write a condition such as orders >= 2".into()));
    }
    let expr = p.or()?;
    if p.peek() != &Tok::End {
        let what = p.peek().describe();
        return Err(p.error(format!("expected \"and\", \"or\" or the end, found {what}")));
    }
    Ok(expr)
}

/// Parses a field reference alone (`"events(purchase, 30d)"` in a JSON tree).
pub fn parse_field(option: &str, source: &str) -> Result<FieldRef> {
    let toks = lex(option, source)?;
    let mut p = Parser {
        option,
        source,
        toks,
        at: 0,
        depth: 0,
    };
    let field = p.field()?;
    if p.peek() != &Tok::End {
        let what = p.peek().describe();
        return Err(p.error(format!("expected the end of the field, found {what}")));
    }
    Ok(field)
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.at.min(self.toks.len() - 1)].0
    }

    fn pos(&self) -> usize {
        self.toks[self.at.min(self.toks.len() - 1)].1
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        // Always advance (peek clamps to End), so that `self.at -= 1` undoes a `next()`.
        self.at += 1;
        t
    }

    fn error(&self, detail: String) -> InsituError {
        syntax(self.option, self.source, self.pos(), detail)
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s.eq_ignore_ascii_case(word))
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.keyword(word) {
            self.next();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<()> {
        if self.peek() == &tok {
            self.next();
            Ok(())
        } else {
            let found = self.peek().describe();
            Err(self.error(format!("expected {what}, found {found}")))
        }
    }

    fn or(&mut self) -> Result<Expr> {
        self.chain("or", Self::and, Expr::Or)
    }

    fn and(&mut self) -> Result<Expr> {
        self.chain("and", Self::unary, Expr::And)
    }

    /// `operand (word operand)*`: one operand as it is, more joined by `join`.
    fn chain(
        &mut self,
        word: &str,
        operand: fn(&mut Self) -> Result<Expr>,
        join: fn(Vec<Expr>) -> Expr,
    ) -> Result<Expr> {
        let mut items = vec![operand(self)?];
        while self.eat(word) {
            items.push(operand(self)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            join(items)
        })
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nested more than {MAX_DEPTH} levels deep")));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr> {
        self.enter()?;
        let e = if self.eat("not") {
            Expr::Not(Box::new(self.unary()?))
        } else if self.peek() == &Tok::LParen {
            self.next();
            let inner = self.or()?;
            self.expect(Tok::RParen, "\")\" closing the group")?;
            inner
        } else {
            self.condition()?
        };
        self.depth -= 1;
        Ok(e)
    }

    fn field(&mut self) -> Result<FieldRef> {
        let pos = self.pos();
        let (name, quoted) = match self.next() {
            Tok::Ident(name) if is_reserved(&name) => {
                self.at -= 1;
                return Err(self.error(format!(
                    "expected a field name, found the keyword \"{name}\" (write `{name}` in backquotes for a column of that name)"
                )));
            }
            Tok::Ident(name) => (name, false),
            Tok::Quoted(name) => (name, true),
            other => {
                self.at -= 1;
                let hint = match other {
                    Tok::Str(_) => " (field names are not quoted; use backquotes `like this` for names with spaces)",
                    _ => "",
                };
                return Err(self.error(format!(
                    "expected a field name, found {}{hint}",
                    other.describe()
                )));
            }
        };
        let mut args = Vec::new();
        if !quoted && self.peek() == &Tok::LParen {
            self.enter()?;
            self.next();
            loop {
                args.push(self.arg()?);
                match self.next() {
                    Tok::Comma => continue,
                    Tok::RParen => {
                        self.depth -= 1;
                        break;
                    }
                    other => {
                        self.at -= 1;
                        return Err(self.error(format!(
                            "expected \",\" or \")\" in the arguments of {name}, found {}",
                            other.describe()
                        )));
                    }
                }
            }
        }
        Ok(FieldRef {
            name,
            args,
            loc: format!("position {pos}"),
            quoted,
        })
    }

    fn arg(&mut self) -> Result<Arg> {
        match self.peek().clone() {
            Tok::Ident(s) if s.eq_ignore_ascii_case("last") => {
                self.next();
                Ok(Arg::Value(Literal::Duration(self.duration()?)))
            }
            Tok::Ident(_) | Tok::Quoted(_) => Ok(Arg::Field(self.field()?)),
            // A duration is a window (`30d`), or with "ago" a relative date.
            Tok::Dur(_) => self.duration_arg(),
            Tok::Num(_) if matches!(self.toks.get(self.at + 1), Some((Tok::Ident(u), _)) if is_unit(u) || is_month(u)) => {
                self.duration_arg()
            }
            _ => Ok(Arg::Value(self.value()?)),
        }
    }

    fn duration_arg(&mut self) -> Result<Arg> {
        let d = self.duration()?;
        Ok(Arg::Value(if self.eat("ago") {
            Literal::Ago(d)
        } else {
            Literal::Duration(d)
        }))
    }

    fn duration(&mut self) -> Result<i64> {
        let pos = self.pos();
        match self.next() {
            Tok::Dur(d) => Ok(d),
            Tok::Num(n) => match self.next() {
                Tok::Ident(unit) => duration(self.option, self.source, pos, &n.to_string(), &unit),
                other => {
                    self.at -= 1;
                    Err(self.error(format!(
                        "expected a unit after {n} (days, weeks, hours), found {}",
                        other.describe()
                    )))
                }
            },
            Tok::Str(s) => duration_text(self.option, &s).map_err(|_| {
                syntax(
                    self.option,
                    self.source,
                    pos,
                    format!("\"{s}\" is not a duration; use e.g. 30d"),
                )
            }),
            other => {
                self.at -= 1;
                Err(self.error(format!(
                    "expected a duration such as 30d or 30 days, found {}",
                    other.describe()
                )))
            }
        }
    }

    fn value(&mut self) -> Result<Literal> {
        let pos = self.pos();
        let lit = match self.next() {
            Tok::Num(n) => {
                if let Tok::Ident(unit) = self.peek().clone() {
                    if is_unit(&unit) || is_month(&unit) {
                        self.next();
                        let d = duration(self.option, self.source, pos, &n.to_string(), &unit)?;
                        return self.ago(d);
                    }
                }
                Literal::Number(n)
            }
            Tok::Dur(d) => return self.ago(d),
            Tok::Str(s) => Literal::Text(s),
            Tok::Ident(s) if s.eq_ignore_ascii_case("true") => Literal::Bool(true),
            Tok::Ident(s) if s.eq_ignore_ascii_case("false") => Literal::Bool(false),
            Tok::Ident(s) if s.eq_ignore_ascii_case("null") => Literal::Null,
            Tok::Ident(s) if s.eq_ignore_ascii_case("now") => Literal::Ago(0),
            Tok::Ident(s) => {
                self.at -= 1;
                return Err(self.error(format!(
                    "expected a value, found the name \"{s}\" (put text in quotes: \"{s}\")"
                )));
            }
            other => {
                self.at -= 1;
                return Err(self.error(format!("expected a value, found {}", other.describe())));
            }
        };
        Ok(lit)
    }

    /// After a duration in value position: `ago` makes it a relative date.
    fn ago(&mut self, d: i64) -> Result<Literal> {
        if self.eat("ago") {
            Ok(Literal::Ago(d))
        } else {
            let found = self.peek().describe();
            Err(self.error(format!(
                "expected \"ago\" after the duration (as in 30 days ago), found {found}"
            )))
        }
    }

    fn condition(&mut self) -> Result<Expr> {
        let field = self.field()?;
        let loc = field.loc.clone();
        let test = |field: FieldRef, test: Test| Expr::Test {
            field,
            test,
            loc: loc.clone(),
        };
        if let Tok::Op(op) = self.peek().clone() {
            self.next();
            let value = self.value()?;
            return Ok(test(field, Test::Compare(op, value)));
        }
        if self.eat("is") {
            let negated = self.eat("not");
            if !self.eat("null") {
                return Err(self.error("expected \"null\" after \"is\"".into()));
            }
            let e = test(field, Test::IsNull);
            return Ok(if negated { Expr::Not(Box::new(e)) } else { e });
        }
        if self.eat("within") {
            self.eat("last");
            let d = self.duration()?;
            return Ok(test(field, Test::InLast(d)));
        }
        let negated = self.eat("not");
        let e = if self.eat("in") {
            if self.eat("last") {
                let d = self.duration()?;
                test(field, Test::InLast(d))
            } else {
                self.expect(
                    Tok::LParen,
                    "\"(\" and a list of values, or \"last\" and a duration",
                )?;
                let mut values = vec![self.value()?];
                loop {
                    match self.next() {
                        Tok::Comma => values.push(self.value()?),
                        Tok::RParen => break,
                        other => {
                            self.at -= 1;
                            return Err(self.error(format!(
                                "expected \",\" or \")\" in the list, found {}",
                                other.describe()
                            )));
                        }
                    }
                }
                test(field, Test::In(values))
            }
        } else if self.eat("between") {
            let lo = self.value()?;
            if !self.eat("and") {
                let found = self.peek().describe();
                return Err(self.error(format!(
                    "expected \"and\" in \"between ... and ...\", found {found}"
                )));
            }
            let hi = self.value()?;
            test(field, Test::Between(lo, hi))
        } else {
            let found = self.peek().describe();
            let what = if negated {
                "\"in\" or \"between\" after \"not\""
            } else {
                "an operator (= != < <= > >=), in, between, is null or in last"
            };
            return Err(self.error(format!(
                "expected {what} after the field {}, found {found}",
                field.name
            )));
        };
        Ok(if negated { Expr::Not(Box::new(e)) } else { e })
    }
}

/// A digit, or `.` / `-` followed by a digit (there is no subtraction, so `-` is a sign).
fn starts_number(chars: &[char], i: usize) -> bool {
    let digit_at = |j: usize| chars.get(j).is_some_and(char::is_ascii_digit);
    match chars[i] {
        c if c.is_ascii_digit() => true,
        '.' => digit_at(i + 1),
        '-' => digit_at(i + 1) || (chars.get(i + 1) == Some(&'.') && digit_at(i + 2)),
        _ => false,
    }
}

fn is_reserved(word: &str) -> bool {
    [
        "and", "or", "not", "in", "between", "is", "null", "true", "false",
    ]
    .iter()
    .any(|k| k.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MICROS_PER_DAY;

    fn test_of(e: &Expr) -> (&str, &Test) {
        match e {
            Expr::Test { field, test, .. } => (field.name.as_str(), test),
            other => panic!("not a test: {other:?}"),
        }
    }

    #[test]
    fn parses_the_example() {
        let e = parse(
            "where",
            r#"orders >= 2 and days_since_last_order > 90 and country in ("KR","JP")"#,
        )
        .unwrap();
        let Expr::And(items) = e else { panic!() };
        assert_eq!(items.len(), 3);
        assert_eq!(
            test_of(&items[0]),
            ("orders", &Test::Compare(Op::Ge, Literal::Number(2.0)))
        );
        assert_eq!(
            test_of(&items[2]),
            (
                "country",
                &Test::In(vec![Literal::Text("KR".into()), Literal::Text("JP".into())])
            )
        );
    }

    #[test]
    fn precedence_not_and_or() {
        let e = parse("w", "a = 1 or not b = 2 and c = 3").unwrap();
        let Expr::Or(items) = e else { panic!() };
        assert!(matches!(&items[1], Expr::And(v) if matches!(v[0], Expr::Not(_))));
        let e = parse("w", "(a = 1 or b = 2) and c between 1 and 5").unwrap();
        assert!(matches!(e, Expr::And(_)));
    }

    #[test]
    fn relative_dates_durations_and_functions() {
        let e = parse("w", "last_order < 30 days ago").unwrap();
        assert_eq!(
            test_of(&e).1,
            &Test::Compare(Op::Lt, Literal::Ago(30 * MICROS_PER_DAY))
        );
        let e = parse("w", "signup in last 2w").unwrap();
        assert_eq!(test_of(&e).1, &Test::InLast(14 * MICROS_PER_DAY));
        let e = parse("w", "events(purchase, last 30 days) >= 1").unwrap();
        let Expr::Test { field, .. } = e else {
            panic!()
        };
        assert_eq!(field.args.len(), 2);
        assert_eq!(
            field.args[1],
            Arg::Value(Literal::Duration(30 * MICROS_PER_DAY))
        );
        let e = parse("w", "`first name` is not null").unwrap();
        assert!(matches!(e, Expr::Not(_)));
    }

    #[test]
    fn errors_name_the_position() {
        let e = parse("where", "orders >= ").unwrap_err();
        assert_eq!(e.code(), "bad_option");
        assert!(e.to_string().contains("position 10"), "{e}");
        let e = parse("where", "orders >= 2 and and").unwrap_err();
        assert!(e.to_string().contains("position 16"), "{e}");
        let e = parse("where", "country in (\"KR\" \"JP\")").unwrap_err();
        assert!(e.to_string().contains("position 17"), "{e}");
        let e = parse("where", "country = \"KR").unwrap_err();
        assert!(e.to_string().contains("position 10"), "{e}");
        let e = parse("where", "orders >= 2)").unwrap_err();
        assert!(e.to_string().contains("position 11"), "{e}");
        let e = parse("where", "signup in last 3 months").unwrap_err();
        assert!(e.to_string().contains("months"), "{e}");
        assert!(parse("where", "").is_err());
        let deep = format!("{}orders > 1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse("where", &deep)
            .unwrap_err()
            .to_string()
            .contains("nested"));
        let nots = format!("{}orders > 1", "not ".repeat(10_000));
        assert!(parse("where", &nots)
            .unwrap_err()
            .to_string()
            .contains("nested"));
        let fields = format!(
            "{}orders{} > 1",
            "percentile(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert!(parse("where", &fields)
            .unwrap_err()
            .to_string()
            .contains("nested"));
        assert!(parse("where", "country = KR")
            .unwrap_err()
            .to_string()
            .contains("quotes"));
    }
}
