//! Property columns (event properties, order columns, customer attributes) in core form:
//! categorical values as small integer codes into a label list, numbers as `f64`, times
//! as epoch microseconds. Rows follow the order of the table they belong to.

use hashbrown::HashMap;

/// Code of a missing (null) categorical value.
pub const NULL_CODE: u32 = u32::MAX;
/// A missing time value.
pub const NULL_TIME: i64 = i64::MIN;

/// One named property column.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Column name as it appears in the input table.
    pub name: String,
    /// The values, one per row.
    pub values: PropertyValues,
}

/// The values of a property column.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValues {
    /// Text, dictionary or boolean columns: `codes[row]` indexes `labels`, or is [`NULL_CODE`].
    Categorical {
        codes: Vec<u32>,
        labels: Vec<String>,
    },
    /// Integer, float and decimal columns; `NaN` is missing.
    Numeric(Vec<f64>),
    /// Timestamp and date columns in epoch microseconds; [`NULL_TIME`] is missing.
    Time(Vec<i64>),
}

impl PropertyValues {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            PropertyValues::Categorical { codes, .. } => codes.len(),
            PropertyValues::Numeric(v) => v.len(),
            PropertyValues::Time(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new column whose row `i` is row `rows[i]` of this one, or missing when
    /// `rows[i] == u32::MAX`. Used to reorder rows into customer/time order.
    pub fn gather(&self, rows: &[u32]) -> PropertyValues {
        fn pick<T: Copy>(values: &[T], rows: &[u32], missing: T) -> Vec<T> {
            rows.iter()
                .map(|&r| values.get(r as usize).copied().unwrap_or(missing))
                .collect()
        }
        match self {
            PropertyValues::Categorical { codes, labels } => PropertyValues::Categorical {
                codes: pick(codes, rows, NULL_CODE),
                labels: labels.clone(),
            },
            PropertyValues::Numeric(v) => PropertyValues::Numeric(pick(v, rows, f64::NAN)),
            PropertyValues::Time(v) => PropertyValues::Time(pick(v, rows, NULL_TIME)),
        }
    }

    /// A new column of `total` rows with row `dest[i]` taken from row `i` of this one
    /// (rows with `dest[i] == u32::MAX` are dropped; rows nobody fills are missing).
    pub fn scatter(&self, dest: &[u32], total: usize) -> PropertyValues {
        use crate::data::dataset::scatter;
        match self {
            PropertyValues::Categorical { codes, labels } => PropertyValues::Categorical {
                codes: scatter(codes, dest, total, NULL_CODE),
                labels: labels.clone(),
            },
            PropertyValues::Numeric(v) => {
                PropertyValues::Numeric(scatter(v, dest, total, f64::NAN))
            }
            PropertyValues::Time(v) => PropertyValues::Time(scatter(v, dest, total, NULL_TIME)),
        }
    }

    /// A short name of the kind of values, for summaries: `"category"`, `"number"`, `"time"`.
    pub fn kind(&self) -> &'static str {
        match self {
            PropertyValues::Categorical { .. } => "category",
            PropertyValues::Numeric(_) => "number",
            PropertyValues::Time(_) => "time",
        }
    }
}

/// Assigns dense codes `0..n` to distinct strings in first-seen order.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    codes: HashMap<String, u32>,
    labels: Vec<String>,
}

impl Interner {
    /// The code of `text`, adding it if new.
    pub fn intern(&mut self, text: &str) -> u32 {
        if let Some(&code) = self.codes.get(text) {
            return code;
        }
        let code = self.labels.len() as u32;
        self.codes.insert(text.to_owned(), code);
        self.labels.push(text.to_owned());
        code
    }

    /// The code of `text` if it was seen.
    pub fn get(&self, text: &str) -> Option<u32> {
        self.codes.get(text).copied()
    }

    /// The labels in code order.
    pub fn into_labels(self) -> Vec<String> {
        self.labels
    }

    /// The labels in code order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_reorders_and_fills_missing() {
        let v = PropertyValues::Categorical {
            codes: vec![0, 1, NULL_CODE],
            labels: vec!["a".into(), "b".into()],
        };
        let g = v.gather(&[2, 0, u32::MAX, 1]);
        assert_eq!(
            g,
            PropertyValues::Categorical {
                codes: vec![NULL_CODE, 0, NULL_CODE, 1],
                labels: vec!["a".into(), "b".into()],
            }
        );
        let n = PropertyValues::Numeric(vec![1.5, 2.5]).gather(&[1, u32::MAX]);
        match n {
            PropertyValues::Numeric(v) => {
                assert_eq!(v[0], 2.5);
                assert!(v[1].is_nan());
            }
            _ => panic!("kind changed"),
        }
    }

    #[test]
    fn interner_is_first_seen_order() {
        let mut i = Interner::default();
        assert_eq!(i.intern("visit"), 0);
        assert_eq!(i.intern("purchase"), 1);
        assert_eq!(i.intern("visit"), 0);
        assert_eq!(i.get("purchase"), Some(1));
        assert_eq!(i.get("nope"), None);
        assert_eq!(i.into_labels(), vec!["visit", "purchase"]);
    }
}
