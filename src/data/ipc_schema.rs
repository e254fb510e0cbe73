//! Arrow IPC schema metadata (the `Schema` flatbuffer) -> arrow-schema fields.
//!
//! Every type the format defines is named, so error messages and the ignored-columns
//! list can say what a column is; which of them are decoded is up to `ipc_arrays`.

use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, IntervalUnit, TimeUnit, UnionFields, UnionMode};

use crate::data::flatbuf::{FbResult, Table};

/// A top-level column of the schema.
#[derive(Debug, Clone)]
pub struct ColumnSchema {
    /// Name, type (a dictionary type for dictionary-encoded columns) and nullability.
    pub field: Field,
    /// The dictionary id when the column is dictionary-encoded.
    pub dictionary_id: Option<i64>,
}

/// The schema's columns. Big-endian data is rejected: every reader here is little-endian.
pub fn read_schema(schema: &Table) -> FbResult<Vec<ColumnSchema>> {
    if schema.i16(0, 0)? != 0 {
        return Err("the data is big-endian, which Insitu does not read".into());
    }
    schema
        .tables(1)?
        .iter()
        .map(|f| {
            let (field, dictionary_id) = read_field(f, 0)?;
            Ok(ColumnSchema {
                field,
                dictionary_id,
            })
        })
        .collect()
}

/// Deeper nesting than this is rejected, so corrupt metadata cannot recurse forever.
const MAX_DEPTH: usize = 64;

fn read_field(f: &Table, depth: usize) -> FbResult<(Field, Option<i64>)> {
    if depth > MAX_DEPTH {
        return Err("the schema nests types too deeply".into());
    }
    let name = f.str(0)?.unwrap_or_default();
    let nullable = f.bool(1)?;
    let children = f
        .tables(5)?
        .iter()
        .map(|c| read_field(c, depth + 1).map(|(field, _)| field))
        .collect::<FbResult<Vec<Field>>>()?;
    let mut data_type = read_type(name, f.u8(2, 0)?, f.table(3)?, children)?;
    let mut dictionary_id = None;
    if let Some(d) = f.table(4)? {
        dictionary_id = Some(d.i64(0, 0)?);
        let key = match d.table(1)? {
            Some(int) => int_type(&int)?,
            None => DataType::Int32,
        };
        data_type = DataType::Dictionary(Box::new(key), Box::new(data_type));
    }
    Ok((Field::new(name, data_type, nullable), dictionary_id))
}

fn int_type(t: &Table) -> FbResult<DataType> {
    Ok(match (t.i32(0, 0)?, t.bool(1)?) {
        (8, true) => DataType::Int8,
        (16, true) => DataType::Int16,
        (32, true) => DataType::Int32,
        (64, true) => DataType::Int64,
        (8, false) => DataType::UInt8,
        (16, false) => DataType::UInt16,
        (32, false) => DataType::UInt32,
        (64, false) => DataType::UInt64,
        (bits, _) => return Err(format!("an integer type of {bits} bits is not valid")),
    })
}

fn time_unit(unit: i16) -> FbResult<TimeUnit> {
    Ok(match unit {
        0 => TimeUnit::Second,
        1 => TimeUnit::Millisecond,
        2 => TimeUnit::Microsecond,
        3 => TimeUnit::Nanosecond,
        _ => return Err(format!("unknown time unit {unit}")),
    })
}

/// The type of a field from its union tag (`Type` in Schema.fbs) and type table.
fn read_type(
    name: &str,
    tag: u8,
    table: Option<Table>,
    children: Vec<Field>,
) -> FbResult<DataType> {
    let missing = || format!("column \"{name}\" has no type parameters");
    let t = || table.ok_or_else(missing);
    let child = |i: usize| {
        children
            .get(i)
            .cloned()
            .map(Arc::new)
            .ok_or_else(|| format!("column \"{name}\" lacks a child field"))
    };
    Ok(match tag {
        1 => DataType::Null,
        2 => int_type(&t()?)?,
        3 => match t()?.i16(0, 0)? {
            0 => DataType::Float16,
            1 => DataType::Float32,
            2 => DataType::Float64,
            p => return Err(format!("unknown float precision {p}")),
        },
        4 => DataType::Binary,
        5 => DataType::Utf8,
        6 => DataType::Boolean,
        7 => {
            let t = t()?;
            let precision = u8::try_from(t.i32(0, 0)?).map_err(|_| missing())?;
            let scale = i8::try_from(t.i32(1, 0)?).map_err(|_| missing())?;
            match t.i32(2, 128)? {
                32 => DataType::Decimal32(precision, scale),
                64 => DataType::Decimal64(precision, scale),
                128 => DataType::Decimal128(precision, scale),
                _ => DataType::Decimal256(precision, scale),
            }
        }
        8 => match t()?.i16(0, 1)? {
            0 => DataType::Date32,
            _ => DataType::Date64,
        },
        9 => {
            let t = t()?;
            match (time_unit(t.i16(0, 1)?)?, t.i32(1, 32)?) {
                (u @ (TimeUnit::Second | TimeUnit::Millisecond), 32) => DataType::Time32(u),
                (u, _) => DataType::Time64(u),
            }
        }
        10 => {
            let t = t()?;
            let tz = t.str(1)?.map(Arc::from);
            DataType::Timestamp(time_unit(t.i16(0, 0)?)?, tz)
        }
        11 => DataType::Interval(match t()?.i16(0, 0)? {
            0 => IntervalUnit::YearMonth,
            1 => IntervalUnit::DayTime,
            _ => IntervalUnit::MonthDayNano,
        }),
        12 => DataType::List(child(0)?),
        13 => DataType::Struct(Fields::from(children)),
        14 => {
            let mode = match t()?.i16(0, 0)? {
                0 => UnionMode::Sparse,
                _ => UnionMode::Dense,
            };
            let ids = (0..children.len()).map(|i| i as i8);
            let fields = UnionFields::try_new(ids, children)
                .map_err(|_| format!("column \"{name}\" has too many union members"))?;
            DataType::Union(fields, mode)
        }
        15 => DataType::FixedSizeBinary(t()?.i32(0, 0)?),
        16 => DataType::FixedSizeList(child(0)?, t()?.i32(0, 0)?),
        17 => DataType::Map(child(0)?, t()?.bool(0)?),
        18 => DataType::Duration(time_unit(t()?.i16(0, 1)?)?),
        19 => DataType::LargeBinary,
        20 => DataType::LargeUtf8,
        21 => DataType::LargeList(child(0)?),
        22 => DataType::RunEndEncoded(child(0)?, child(1)?),
        23 => DataType::BinaryView,
        24 => DataType::Utf8View,
        25 => DataType::ListView(child(0)?),
        26 => DataType::LargeListView(child(0)?),
        _ => return Err(format!("column \"{name}\" has an unknown type (tag {tag})")),
    })
}
