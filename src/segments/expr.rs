//! The predicate of a rule segment as a tree, whichever way it was written (the short
//! text form in [`super::parse`], the JSON tree in [`super::tree`]).

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }

    /// The operator for a symbol (`==` and `<>` too).
    pub fn parse(symbol: &str) -> Option<Op> {
        Some(match symbol {
            "=" | "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => return None,
        })
    }

    /// Whether `ordering` (of the value against the literal) satisfies the operator.
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Op::Eq => ordering == Equal,
            Op::Ne => ordering != Equal,
            Op::Lt => ordering == Less,
            Op::Le => ordering != Greater,
            Op::Gt => ordering == Greater,
            Op::Ge => ordering != Less,
        }
    }
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// A number.
    Number(f64),
    /// Text (also ISO dates, which time fields parse).
    Text(String),
    /// `true` / `false`.
    Bool(bool),
    /// A time relative to the as-of date: this many µs before it (`30 days ago`, `now`).
    Ago(i64),
    /// A duration in µs (`30d`, `last 30 days`).
    Duration(i64),
    /// `null` (only meaningful with `is null`; comparisons reject it).
    Null,
}

impl Literal {
    /// The literal as a user would read it, for messages.
    pub fn describe(&self) -> String {
        match self {
            Literal::Number(n) => format!("the number {n}"),
            Literal::Text(t) => format!("the text \"{t}\""),
            Literal::Bool(b) => format!("{b}"),
            Literal::Ago(_) => "a relative date".into(),
            Literal::Duration(_) => "a duration".into(),
            Literal::Null => "null".into(),
        }
    }
}

/// A field reference such as `orders`, `country` or `events(purchase, 30d)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldRef {
    /// The field name as written.
    pub name: String,
    /// Arguments, for fields that take them.
    pub args: Vec<Arg>,
    /// Where it was written ("position 12" or a JSON path), for messages.
    pub loc: String,
    /// Written in backquotes (always an attribute name, never a built-in field).
    pub quoted: bool,
}

/// An argument of a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A bare name or a nested field (`purchase` in `events(purchase)`).
    Field(FieldRef),
    /// A value.
    Value(Literal),
}

/// What is tested about a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `field op value`.
    Compare(Op, Literal),
    /// `field in (a, b, ...)`.
    In(Vec<Literal>),
    /// `field between lo and hi` (inclusive).
    Between(Literal, Literal),
    /// `field is null`.
    IsNull,
    /// `field in last 30 days`: a time within the duration before asOf (inclusive).
    InLast(i64),
}

/// A predicate.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// All hold.
    And(Vec<Expr>),
    /// Any holds.
    Or(Vec<Expr>),
    /// Negation (three-valued: not unknown is unknown).
    Not(Box<Expr>),
    /// A test of one field.
    Test {
        /// The field.
        field: FieldRef,
        /// The test.
        test: Test,
        /// Where it was written, for messages.
        loc: String,
    },
}

impl Expr {
    /// Every field referenced (including nested arguments), in order of appearance.
    pub fn fields(&self) -> Vec<&FieldRef> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a FieldRef>) {
        match self {
            Expr::And(v) | Expr::Or(v) => v.iter().for_each(|e| e.collect(out)),
            Expr::Not(e) => e.collect(out),
            Expr::Test { field, .. } => out.push(field),
        }
    }
}
