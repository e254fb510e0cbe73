//! Row-wise readers that turn Arrow arrays of the accepted types into core values:
//! codes (ids, event names, categories), epoch microseconds and `f64` amounts.
//! Dictionary arrays are read through a per-value cache so each distinct value is
//! converted once.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType};
use arrow_buffer::ArrowNativeType;
use arrow_schema::{DataType, TimeUnit};

use crate::data::properties::NULL_TIME;
use crate::time::{parse_iso, MICROS_PER_DAY, MICROS_PER_MS, MICROS_PER_SECOND};

/// A time value that could not be read (out of range or unparseable text).
pub const BAD_TIME: i64 = i64::MIN + 1;

/// One cell of an id, name or category column.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'a str),
    Bool(bool),
}

/// Types accepted for customer ids, in words for error messages.
pub const ID_TYPES: &str =
    "int8/16/32/64, uint8/16/32/64, utf8, large utf8, or a dictionary of those";
/// Types accepted for timestamps.
pub const TIME_TYPES: &str = "timestamp (s/ms/us/ns, any time zone), date32, date64, int64 epoch (ms by default), or ISO-8601 text";
/// Types accepted for event names.
pub const NAME_TYPES: &str = "utf8, large utf8, or a dictionary of utf8";
/// Types accepted for amounts.
pub const AMOUNT_TYPES: &str = "int, uint, float or decimal128";

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn is_integer(t: &DataType) -> bool {
    t.is_integer()
}

/// Whether `t` can hold customer ids.
pub fn is_id_type(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, v) => is_text(v) || is_integer(v),
        t => is_text(t) || is_integer(t),
    }
}

/// Whether ids of type `t` are text (so all ids of the dataset become text).
pub fn is_text_id_type(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, v) => is_text(v),
        t => is_text(t),
    }
}

/// Whether `t` can hold timestamps.
pub fn is_time_type(t: &DataType) -> bool {
    match t {
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 | DataType::Int64 => true,
        DataType::Dictionary(_, v) => is_text(v),
        t => is_text(t),
    }
}

/// Whether `t` can hold event names.
pub fn is_name_type(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, v) => is_text(v),
        t => is_text(t),
    }
}

/// Whether `t` can hold amounts.
pub fn is_amount_type(t: &DataType) -> bool {
    t.is_integer() || t.is_floating() || matches!(t, DataType::Decimal128(_, _))
}

/// How a column is kept when it is not mapped to a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    Categorical,
    Numeric,
    Time,
}

/// The property kind of a column type, or `None` if such columns are not kept.
pub fn property_kind(t: &DataType) -> Option<PropertyKind> {
    match t {
        DataType::Boolean => Some(PropertyKind::Categorical),
        DataType::Dictionary(_, v) if is_text(v) || is_integer(v) => {
            Some(PropertyKind::Categorical)
        }
        t if is_text(t) => Some(PropertyKind::Categorical),
        t if is_amount_type(t) => Some(PropertyKind::Numeric),
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 => Some(PropertyKind::Time),
        _ => None,
    }
}

/// Maps every row of `array` to a code with `f`, or to `null` for a null row, appending
/// to `out`. Dictionary values are mapped lazily, once each, so values that no row
/// uses are never passed to `f`.
pub fn map_rows<F: FnMut(Value) -> u32>(
    array: &dyn Array,
    null: u32,
    out: &mut Vec<u32>,
    mut f: F,
) {
    out.reserve(array.len());
    if let DataType::Dictionary(key, _) = array.data_type() {
        match key.as_ref() {
            DataType::Int8 => map_dictionary::<Int8Type, F>(array, null, out, f),
            DataType::Int16 => map_dictionary::<Int16Type, F>(array, null, out, f),
            DataType::Int32 => map_dictionary::<Int32Type, F>(array, null, out, f),
            DataType::Int64 => map_dictionary::<Int64Type, F>(array, null, out, f),
            DataType::UInt8 => map_dictionary::<UInt8Type, F>(array, null, out, f),
            DataType::UInt16 => map_dictionary::<UInt16Type, F>(array, null, out, f),
            DataType::UInt32 => map_dictionary::<UInt32Type, F>(array, null, out, f),
            DataType::UInt64 => map_dictionary::<UInt64Type, F>(array, null, out, f),
            _ => out.extend(std::iter::repeat_n(null, array.len())),
        }
        return;
    }
    let nulls = array.logical_nulls();
    let valid = |i: usize| nulls.as_ref().is_none_or(|n| n.is_valid(i));
    macro_rules! ints {
        ($t:ty, $variant:ident, $conv:ty) => {{
            let a = array.as_primitive::<$t>();
            for (i, v) in a.values().iter().enumerate() {
                out.push(if valid(i) {
                    f(Value::$variant(*v as $conv))
                } else {
                    null
                });
            }
        }};
    }
    match array.data_type() {
        DataType::Int8 => ints!(Int8Type, Int, i64),
        DataType::Int16 => ints!(Int16Type, Int, i64),
        DataType::Int32 => ints!(Int32Type, Int, i64),
        DataType::Int64 => ints!(Int64Type, Int, i64),
        DataType::UInt8 => ints!(UInt8Type, UInt, u64),
        DataType::UInt16 => ints!(UInt16Type, UInt, u64),
        DataType::UInt32 => ints!(UInt32Type, UInt, u64),
        DataType::UInt64 => ints!(UInt64Type, UInt, u64),
        DataType::Float32 => ints!(Float32Type, Float, f64),
        DataType::Float64 => ints!(Float64Type, Float, f64),
        _ => {
            for i in 0..array.len() {
                out.push(match value_at(array, i) {
                    Some(v) if valid(i) => f(v),
                    _ => null,
                });
            }
        }
    }
}

/// Row `i` of a non-dictionary array as a [`Value`], or `None` when null or unsupported.
fn value_at(array: &dyn Array, i: usize) -> Option<Value<'_>> {
    if array.is_null(i) {
        return None;
    }
    fn prim<T: ArrowPrimitiveType>(a: &dyn Array, i: usize) -> T::Native {
        a.as_primitive::<T>().value(i)
    }
    Some(match array.data_type() {
        DataType::Utf8 => Value::Str(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Value::Str(array.as_string::<i64>().value(i)),
        DataType::Utf8View => Value::Str(array.as_string_view().value(i)),
        DataType::Boolean => Value::Bool(array.as_boolean().value(i)),
        DataType::Int8 => Value::Int(prim::<Int8Type>(array, i).into()),
        DataType::Int16 => Value::Int(prim::<Int16Type>(array, i).into()),
        DataType::Int32 => Value::Int(prim::<Int32Type>(array, i).into()),
        DataType::Int64 => Value::Int(prim::<Int64Type>(array, i)),
        DataType::UInt8 => Value::UInt(prim::<UInt8Type>(array, i).into()),
        DataType::UInt16 => Value::UInt(prim::<UInt16Type>(array, i).into()),
        DataType::UInt32 => Value::UInt(prim::<UInt32Type>(array, i).into()),
        DataType::UInt64 => Value::UInt(prim::<UInt64Type>(array, i)),
        DataType::Float32 => Value::Float(prim::<Float32Type>(array, i).into()),
        DataType::Float64 => Value::Float(prim::<Float64Type>(array, i)),
        _ => return None,
    })
}

/// [`map_rows`] for a dictionary with keys of type `K`: each used value is mapped once.
fn map_dictionary<K: ArrowDictionaryKeyType, F: FnMut(Value) -> u32>(
    array: &dyn Array,
    null: u32,
    out: &mut Vec<u32>,
    mut f: F,
) {
    const UNSET: u32 = u32::MAX - 1;
    let dict = array.as_dictionary::<K>();
    let values = dict.values().as_ref();
    let keys = dict.keys();
    let mut cache = vec![UNSET; values.len()];
    let mut code_of = |key: K::Native| match key.to_usize() {
        Some(k) if k < cache.len() => {
            if cache[k] == UNSET {
                cache[k] = match value_at(values, k) {
                    Some(v) => f(v),
                    None => null,
                };
            }
            cache[k]
        }
        _ => null,
    };
    out.reserve(keys.len());
    // Without null keys (the common case) the loop has no per-row validity test.
    match keys.nulls().filter(|n| n.null_count() > 0) {
        None => out.extend(keys.values().iter().map(|&key| code_of(key))),
        Some(nulls) => out.extend(keys.values().iter().zip(nulls.iter()).map(|(&key, valid)| {
            if valid {
                code_of(key)
            } else {
                null
            }
        })),
    }
}

/// Appends each row of a time column as epoch microseconds: [`NULL_TIME`] for nulls,
/// [`BAD_TIME`] for values out of range or text that is not ISO-8601.
/// `int_unit` says what plain integers count (milliseconds unless mapped otherwise).
pub fn read_times(array: &dyn Array, int_unit: TimeUnit, out: &mut Vec<i64>) {
    out.reserve(array.len());
    let nulls = array.logical_nulls();
    let valid = |i: usize| nulls.as_ref().is_none_or(|n| n.is_valid(i));
    // Out-of-range values and values that collide with the sentinels become BAD_TIME.
    let clamp = |t: Option<i64>| match t {
        Some(t) if t > BAD_TIME => t,
        _ => BAD_TIME,
    };
    macro_rules! push_scaled {
        ($values:expr, $convert:expr) => {{
            let convert = $convert;
            for (i, &v) in $values.iter().enumerate() {
                out.push(if valid(i) {
                    clamp(convert(v))
                } else {
                    NULL_TIME
                });
            }
        }};
    }
    macro_rules! push_unit {
        ($values:expr, $unit:expr) => {
            match $unit {
                TimeUnit::Second => {
                    push_scaled!($values, |v: i64| v.checked_mul(MICROS_PER_SECOND))
                }
                TimeUnit::Millisecond => {
                    push_scaled!($values, |v: i64| v.checked_mul(MICROS_PER_MS))
                }
                TimeUnit::Microsecond => push_scaled!($values, |v: i64| Some(v)),
                // Nanoseconds are truncated towards the past so ordering is kept.
                TimeUnit::Nanosecond => push_scaled!($values, |v: i64| Some(v.div_euclid(1_000))),
            }
        };
    }
    match array.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => {
            push_unit!(
                array.as_primitive::<TimestampSecondType>().values(),
                TimeUnit::Second
            )
        }
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            push_unit!(
                array.as_primitive::<TimestampMillisecondType>().values(),
                TimeUnit::Millisecond
            )
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            push_unit!(
                array.as_primitive::<TimestampMicrosecondType>().values(),
                TimeUnit::Microsecond
            )
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            push_unit!(
                array.as_primitive::<TimestampNanosecondType>().values(),
                TimeUnit::Nanosecond
            )
        }
        DataType::Int64 => push_unit!(array.as_primitive::<Int64Type>().values(), int_unit),
        DataType::Date64 => push_unit!(
            array.as_primitive::<Date64Type>().values(),
            TimeUnit::Millisecond
        ),
        DataType::Date32 => {
            for (i, &d) in array
                .as_primitive::<Date32Type>()
                .values()
                .iter()
                .enumerate()
            {
                out.push(if valid(i) {
                    i64::from(d) * MICROS_PER_DAY
                } else {
                    NULL_TIME
                });
            }
        }
        _ => {
            // Text (plain or dictionary): parse ISO-8601, once per distinct dictionary value.
            let mut parsed: Vec<i64> = Vec::new();
            let mut codes = Vec::with_capacity(array.len());
            map_rows(array, u32::MAX, &mut codes, |v| match v {
                Value::Str(s) => {
                    parsed.push(parse_iso(s).unwrap_or(BAD_TIME));
                    (parsed.len() - 1) as u32
                }
                _ => {
                    parsed.push(BAD_TIME);
                    (parsed.len() - 1) as u32
                }
            });
            out.extend(
                codes
                    .iter()
                    .map(|&c| parsed.get(c as usize).copied().unwrap_or(NULL_TIME)),
            );
        }
    }
}

/// Appends each row of a numeric column as `f64` (`NaN` for nulls).
pub fn read_numbers(array: &dyn Array, out: &mut Vec<f64>) {
    out.reserve(array.len());
    let nulls = array.logical_nulls();
    let valid = |i: usize| nulls.as_ref().is_none_or(|n| n.is_valid(i));
    macro_rules! nums {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            for (i, v) in a.values().iter().enumerate() {
                out.push(if valid(i) { *v as f64 } else { f64::NAN });
            }
        }};
    }
    match array.data_type() {
        DataType::Int8 => nums!(Int8Type),
        DataType::Int16 => nums!(Int16Type),
        DataType::Int32 => nums!(Int32Type),
        DataType::Int64 => nums!(Int64Type),
        DataType::UInt8 => nums!(UInt8Type),
        DataType::UInt16 => nums!(UInt16Type),
        DataType::UInt32 => nums!(UInt32Type),
        DataType::UInt64 => nums!(UInt64Type),
        DataType::Float32 => nums!(Float32Type),
        DataType::Float64 => nums!(Float64Type),
        DataType::Decimal128(_, scale) => {
            let divisor = 10f64.powi(i32::from(*scale));
            let a = array.as_primitive::<Decimal128Type>();
            for (i, v) in a.values().iter().enumerate() {
                out.push(if valid(i) {
                    *v as f64 / divisor
                } else {
                    f64::NAN
                });
            }
        }
        _ => out.extend(std::iter::repeat_n(f64::NAN, array.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{
        Date32Array, DictionaryArray, Int64Array, StringArray, TimestampNanosecondArray,
        TimestampSecondArray,
    };

    #[test]
    fn dictionary_values_are_mapped_once_and_only_when_used() {
        let dict: DictionaryArray<Int8Type> = vec![Some("b"), None, Some("b"), Some("a")]
            .into_iter()
            .collect();
        // Add an unused dictionary value.
        let values = StringArray::from(vec!["b", "a", "unused"]);
        let dict = dict.with_values(std::sync::Arc::new(values));
        let mut seen = Vec::new();
        let mut out = Vec::new();
        map_rows(&dict, 99, &mut out, |v| {
            let Value::Str(s) = v else { return 98 };
            seen.push(s.to_owned());
            seen.len() as u32 - 1
        });
        assert_eq!(out, vec![0, 99, 0, 1]);
        assert_eq!(seen, vec!["b", "a"]);
    }

    #[test]
    fn times_convert_units_and_mark_bad_values() {
        let mut out = Vec::new();
        read_times(
            &TimestampSecondArray::from(vec![Some(-1), None, Some(i64::MAX)]),
            TimeUnit::Millisecond,
            &mut out,
        );
        assert_eq!(out, vec![-1_000_000, NULL_TIME, BAD_TIME]);
        out.clear();
        read_times(
            &TimestampNanosecondArray::from(vec![1_999, -1]),
            TimeUnit::Millisecond,
            &mut out,
        );
        assert_eq!(out, vec![1, -1]);
        out.clear();
        read_times(
            &Date32Array::from(vec![1, -1]),
            TimeUnit::Millisecond,
            &mut out,
        );
        assert_eq!(out, vec![MICROS_PER_DAY, -MICROS_PER_DAY]);
        out.clear();
        read_times(
            &Int64Array::from(vec![1_500]),
            TimeUnit::Millisecond,
            &mut out,
        );
        assert_eq!(out, vec![1_500_000]);
        out.clear();
        read_times(
            &StringArray::from(vec![Some("1970-01-01T00:00:01Z"), Some("soon"), None]),
            TimeUnit::Millisecond,
            &mut out,
        );
        assert_eq!(out, vec![1_000_000, BAD_TIME, NULL_TIME]);
    }
}
