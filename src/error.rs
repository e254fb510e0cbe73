//! The one error type users see. Every variant has a stable machine `code`
//! (what JS code branches on) and a message naming the column, option or value at fault.

use thiserror::Error;

/// A user-facing failure. `code()` is stable across versions; the message is for people.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InsituError {
    /// A mapped (or required) column is not in the table.
    #[error("{table}: column \"{column}\" not found; the table has: {available}")]
    MissingColumn {
        table: String,
        column: String,
        available: String,
    },
    /// A column exists but its Arrow type cannot be used for its role.
    #[error("{table}: column \"{column}\" has type {found}; expected {expected}")]
    BadType {
        table: String,
        column: String,
        found: String,
        expected: String,
    },
    /// The bytes are not a readable Arrow IPC stream or file.
    #[error("{table}: invalid Arrow IPC data: {detail}")]
    InvalidIpc { table: String, detail: String },
    /// An option has an unknown name or an unusable value.
    #[error("option \"{option}\": {detail}")]
    BadOption { option: String, detail: String },
    /// Nothing to analyse: no tables given, or no usable rows.
    #[error("{0}")]
    EmptyInput(String),
    /// An allocation of the given size failed (the wasm instance is out of memory).
    #[error("out of memory while {0}")]
    OutOfMemory(String),
    /// A value inside the data cannot be represented (e.g. too many distinct customers).
    #[error("{0}")]
    Limit(String),
    /// A model fit did not converge (or stopped at its start values); the reason says why.
    #[error("the model fit did not converge: {0}")]
    NoConvergence(String),
}

impl InsituError {
    /// The stable machine-readable code of this error, e.g. `"missing_column"`.
    pub fn code(&self) -> &'static str {
        match self {
            InsituError::MissingColumn { .. } => "missing_column",
            InsituError::BadType { .. } => "bad_type",
            InsituError::InvalidIpc { .. } => "invalid_ipc",
            InsituError::BadOption { .. } => "bad_option",
            InsituError::EmptyInput(_) => "empty_input",
            InsituError::OutOfMemory(_) => "out_of_memory",
            InsituError::Limit(_) => "limit_exceeded",
            InsituError::NoConvergence(_) => "no_convergence",
        }
    }

    /// Shorthand for a [`InsituError::BadOption`].
    pub fn bad_option(option: impl Into<String>, detail: impl Into<String>) -> Self {
        InsituError::BadOption {
            option: option.into(),
            detail: detail.into(),
        }
    }
}

/// Result alias used across the crate.
pub type Result<T, E = InsituError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_messages_name_the_column() {
        let e = InsituError::MissingColumn {
            table: "events".into(),
            column: "user_id".into(),
            available: "id, ts".into(),
        };
        assert_eq!(e.code(), "missing_column");
        assert_eq!(
            e.to_string(),
            "events: column \"user_id\" not found; the table has: id, ts"
        );
        assert_eq!(InsituError::bad_option("window", "x").code(), "bad_option");
    }
}
