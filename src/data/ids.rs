//! The dense customer index: every distinct customer id of every table gets one
//! number `0..n`, in first-seen order.

use std::hash::BuildHasher;
use std::io::Write;

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::data::columns::Value;
use crate::error::{InsituError, Result};

/// A row whose customer id is missing.
pub const NULL_CUSTOMER: u32 = u32::MAX;

/// The external ids of the customers, indexed by dense customer number.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomerIds {
    /// All id columns were integers.
    Int(Vec<i64>),
    /// At least one id column was text; integer ids were written in decimal.
    Text(TextIds),
}

impl CustomerIds {
    /// Number of customers.
    pub fn len(&self) -> usize {
        match self {
            CustomerIds::Int(v) => v.len(),
            CustomerIds::Text(t) => t.len(),
        }
    }

    /// True when there are no customers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of customer `index` as text (for messages and text exports).
    pub fn display(&self, index: usize) -> String {
        match self {
            CustomerIds::Int(v) => v.get(index).map(i64::to_string).unwrap_or_default(),
            CustomerIds::Text(t) => t.get(index).unwrap_or_default().to_owned(),
        }
    }
}

/// Text ids stored in one buffer (no allocation per customer).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextIds {
    bytes: String,
    ends: Vec<usize>,
}

impl TextIds {
    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Id number `index`.
    pub fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.bytes.get(start..end)
    }

    fn push(&mut self, text: &str) {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len());
    }
}

/// Whether the dataset's ids are integers or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdMode {
    Int,
    Text,
}

/// Builds the dense index while the tables are read.
pub struct CustomerIndexBuilder {
    mode: IdMode,
    table: HashTable<u32>,
    hasher: DefaultHashBuilder,
    ints: Vec<i64>,
    texts: TextIds,
    overflow: bool,
    /// For integer ids in a compact range: `direct[id - base]` is the customer number
    /// (or `NULL_CUSTOMER`), a plain array lookup instead of a hash probe.
    direct: Vec<u32>,
    base: i64,
}

#[inline]
fn hash_int(v: i64) -> u64 {
    // A multiplicative mix: cheap, and it spreads sequential ids over the high bits
    // that hashbrown uses for its control bytes.
    let x = (v as u64) ^ ((v as u64) >> 29);
    x.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26)
}

impl CustomerIndexBuilder {
    /// A builder for ids of the given kind.
    pub fn new(mode: IdMode) -> Self {
        CustomerIndexBuilder {
            mode,
            table: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            ints: Vec::new(),
            texts: TextIds::default(),
            overflow: false,
            direct: Vec::new(),
            base: 0,
        }
    }

    /// A builder for integer ids known to lie in `min..=max`, using a direct-address
    /// table when that range is no larger than `budget` entries (falls back to hashing).
    pub fn with_int_range(min: i64, max: i64, budget: usize) -> Self {
        let mut b = CustomerIndexBuilder::new(IdMode::Int);
        let span = max
            .checked_sub(min)
            .and_then(|d| usize::try_from(d).ok())
            .and_then(|d| d.checked_add(1));
        if let Some(span) = span.filter(|&s| s <= budget) {
            b.direct = vec![NULL_CUSTOMER; span];
            b.base = min;
        }
        b
    }

    /// Number of customers so far.
    pub fn len(&self) -> usize {
        match self.mode {
            IdMode::Int => self.ints.len(),
            IdMode::Text => self.texts.len(),
        }
    }

    /// True when no customer has been seen.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The dense number of an id cell, adding the customer if new; [`NULL_CUSTOMER`] for
    /// values that cannot be ids (floats, booleans).
    pub fn intern(&mut self, value: Value) -> u32 {
        match (self.mode, value) {
            (IdMode::Int, Value::Int(v)) => self.intern_int(v),
            (IdMode::Int, Value::UInt(v)) => match i64::try_from(v) {
                Ok(v) => self.intern_int(v),
                // The mode was chosen by scanning for such values; never reached.
                Err(_) => NULL_CUSTOMER,
            },
            (IdMode::Text, Value::Str(s)) => self.intern_text(s),
            (IdMode::Text, Value::Int(v)) => self.intern_decimal(&v),
            (IdMode::Text, Value::UInt(v)) => self.intern_decimal(&v),
            _ => NULL_CUSTOMER,
        }
    }

    fn next_index(&mut self) -> u32 {
        let n = self.len();
        if n >= (NULL_CUSTOMER - 1) as usize {
            self.overflow = true;
            return NULL_CUSTOMER;
        }
        n as u32
    }

    fn intern_int(&mut self, v: i64) -> u32 {
        if !self.direct.is_empty() {
            let slot = v
                .checked_sub(self.base)
                .and_then(|d| usize::try_from(d).ok());
            if let Some(slot) = slot.filter(|&s| s < self.direct.len()) {
                if self.direct[slot] == NULL_CUSTOMER {
                    let i = self.next_index();
                    if i == NULL_CUSTOMER {
                        return i;
                    }
                    self.ints.push(v);
                    self.direct[slot] = i;
                }
                return self.direct[slot];
            }
            // An id outside the scanned range cannot happen; hash it to be safe.
        }
        let ints = &self.ints;
        let hash = hash_int(v);
        if let Some(&i) = self.table.find(hash, |&i| ints[i as usize] == v) {
            return i;
        }
        let i = self.next_index();
        if i == NULL_CUSTOMER {
            return i;
        }
        self.ints.push(v);
        let ints = &self.ints;
        self.table
            .insert_unique(hash, i, |&j| hash_int(ints[j as usize]));
        i
    }

    fn intern_decimal<T: std::fmt::Display>(&mut self, v: &T) -> u32 {
        let mut buf = [0u8; 24];
        let mut cursor = &mut buf[..];
        let _ = write!(cursor, "{v}");
        let written = 24 - cursor.len();
        match std::str::from_utf8(&buf[..written]) {
            Ok(s) => self.intern_text(s),
            Err(_) => NULL_CUSTOMER,
        }
    }

    fn intern_text(&mut self, s: &str) -> u32 {
        let hash = self.hasher.hash_one(s);
        let texts = &self.texts;
        if let Some(&i) = self.table.find(hash, |&i| texts.get(i as usize) == Some(s)) {
            return i;
        }
        let i = self.next_index();
        if i == NULL_CUSTOMER {
            return i;
        }
        self.texts.push(s);
        let (texts, hasher) = (&self.texts, &self.hasher);
        self.table.insert_unique(hash, i, |&j| {
            hasher.hash_one(texts.get(j as usize).unwrap_or_default())
        });
        i
    }

    /// The finished ids, or an error if there were more customers than fit.
    pub fn finish(self) -> Result<CustomerIds> {
        if self.overflow {
            return Err(InsituError::Limit(format!(
                "more than {} distinct customer ids",
                NULL_CUSTOMER - 1
            )));
        }
        Ok(match self.mode {
            IdMode::Int => CustomerIds::Int(self.ints),
            IdMode::Text => CustomerIds::Text(self.texts),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_ids_are_dense_in_first_seen_order() {
        let mut b = CustomerIndexBuilder::new(IdMode::Int);
        let got: Vec<u32> = [7, -3, 7, 1 << 40, -3]
            .iter()
            .map(|&v| b.intern(Value::Int(v)))
            .collect();
        assert_eq!(got, vec![0, 1, 0, 2, 1]);
        assert_eq!(b.intern(Value::UInt(7)), 0);
        assert_eq!(b.finish().unwrap(), CustomerIds::Int(vec![7, -3, 1 << 40]));
    }

    #[test]
    fn text_mode_unifies_int_and_text_ids() {
        let mut b = CustomerIndexBuilder::new(IdMode::Text);
        assert_eq!(b.intern(Value::Str("42")), 0);
        assert_eq!(b.intern(Value::Int(42)), 0);
        assert_eq!(b.intern(Value::UInt(u64::MAX)), 1);
        assert_eq!(b.intern(Value::Str("u-1")), 2);
        assert_eq!(b.intern(Value::Float(1.0)), NULL_CUSTOMER);
        let ids = b.finish().unwrap();
        assert_eq!(ids.display(1), "18446744073709551615");
        assert_eq!(ids.display(2), "u-1");
        assert_eq!(ids.len(), 3);
    }

    #[test]
    fn direct_table_gives_the_same_numbers_as_hashing() {
        let ids = [1_000_007i64, 1_000_000, 1_000_007, 1_000_003, 1_000_000];
        let mut hashed = CustomerIndexBuilder::new(IdMode::Int);
        let mut direct = CustomerIndexBuilder::with_int_range(1_000_000, 1_000_007, 100);
        for v in ids {
            assert_eq!(hashed.intern(Value::Int(v)), direct.intern(Value::Int(v)));
        }
        // Out of the declared range still works.
        assert_eq!(direct.intern(Value::Int(5)), 3);
        assert_eq!(
            direct.finish().unwrap(),
            hashed
                .finish()
                .map(|_| CustomerIds::Int(vec![1_000_007, 1_000_000, 1_000_003, 5]))
                .unwrap()
        );
        // A range over budget falls back to hashing.
        assert!(CustomerIndexBuilder::with_int_range(0, 1 << 40, 1000)
            .direct
            .is_empty());
        assert!(
            CustomerIndexBuilder::with_int_range(i64::MIN, i64::MAX, 1000)
                .direct
                .is_empty()
        );
    }

    #[test]
    fn many_ids_survive_rehashing() {
        let mut b = CustomerIndexBuilder::new(IdMode::Int);
        for v in 0..100_000i64 {
            assert_eq!(b.intern(Value::Int(v * 1_000_003)), v as u32);
        }
        for v in (0..100_000i64).rev() {
            assert_eq!(b.intern(Value::Int(v * 1_000_003)), v as u32);
        }
    }
}
