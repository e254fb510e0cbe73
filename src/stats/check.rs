//! Validation of user-given numbers, so every bad value is an error naming its option.

use crate::error::{InsituError, Result};

/// A probability strictly between 0 and 1 (alpha, power, a baseline rate).
pub fn open_unit(option: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(InsituError::bad_option(
            option,
            format!("{} is not between 0 and 1 (both excluded)", show(value)),
        ))
    }
}

/// A whole, non-negative count.
pub fn count(option: &str, value: f64) -> Result<u64> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9.0e15 {
        Ok(value as u64)
    } else if value.is_finite() && value < 0.0 {
        Err(InsituError::bad_option(
            option,
            format!("{} is negative; counts cannot be negative", show(value)),
        ))
    } else {
        Err(InsituError::bad_option(
            option,
            format!("{} is not a whole number", show(value)),
        ))
    }
}

/// A finite number.
pub fn finite(option: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(InsituError::bad_option(option, "is not a finite number"))
    }
}

/// A number as users wrote it (NaN and infinities spelt out).
pub fn show(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_with_the_option_name() {
        assert_eq!(open_unit("alpha", 0.05).unwrap(), 0.05);
        let e = open_unit("alpha", 1.0).unwrap_err();
        assert_eq!(e.code(), "bad_option");
        assert!(e.to_string().contains("alpha"));
        assert_eq!(count("n", 3.0).unwrap(), 3);
        assert!(count("n", -1.0)
            .unwrap_err()
            .to_string()
            .contains("negative"));
        assert!(count("n", 1.5).is_err());
        assert!(finite("x", f64::NAN).is_err());
    }
}
