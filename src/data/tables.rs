//! Reads one decoded table into unsorted core columns: dense customer numbers, times,
//! event codes or amounts, and property columns. Rows that cannot be used are marked,
//! not dropped, so the dataset builder can count them by reason.

use arrow_schema::DataType;

use crate::data::columns::{
    map_rows, property_kind, read_numbers, read_times, PropertyKind, Value, BAD_TIME,
};
use crate::data::ids::{CustomerIndexBuilder, IdMode, NULL_CUSTOMER};
use crate::data::ipc::DecodedTable;
use crate::data::mapping::{ResolvedColumns, TableKind};
use crate::data::properties::{Interner, Property, PropertyValues, NULL_CODE, NULL_TIME};

/// One table's columns in input row order.
#[derive(Debug)]
pub struct RawTable {
    /// Which table this is.
    pub kind: TableKind,
    /// Dense customer number per row, or [`NULL_CUSTOMER`].
    pub customer: Vec<u32>,
    /// Time per row (signup time for customers; empty when the table has none).
    pub time: Vec<i64>,
    /// Event code per row (events only), or [`NULL_CODE`].
    pub event: Vec<u32>,
    /// Amount per row (orders only), `NaN` when missing.
    pub amount: Vec<f64>,
    /// The other columns.
    pub properties: Vec<Property>,
    /// Names of the columns mapped to roles, in the order customer, time, event, amount.
    pub role_columns: Vec<(&'static str, String)>,
    /// Columns not kept because their type is not supported (name, type).
    pub ignored_columns: Vec<(String, String)>,
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    NullCustomer,
    NullTime,
    BadTime,
    NullEvent,
    NullAmount,
    DuplicateCustomer,
}

impl SkipReason {
    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::NullCustomer => "customer id is null",
            SkipReason::NullTime => "time is null",
            SkipReason::BadTime => "time is out of range or not a date",
            SkipReason::NullEvent => "event name is null",
            SkipReason::NullAmount => "amount is null or not a number",
            SkipReason::DuplicateCustomer => "customer id appears again (the first row is kept)",
        }
    }

    /// A stable machine code of the reason.
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::NullCustomer => "null_customer",
            SkipReason::NullTime => "null_time",
            SkipReason::BadTime => "bad_time",
            SkipReason::NullEvent => "null_event",
            SkipReason::NullAmount => "null_amount",
            SkipReason::DuplicateCustomer => "duplicate_customer",
        }
    }

    /// The role column the reason is about.
    pub fn role(self) -> &'static str {
        match self {
            SkipReason::NullCustomer | SkipReason::DuplicateCustomer => "customer",
            SkipReason::NullTime | SkipReason::BadTime => "time",
            SkipReason::NullEvent => "event",
            SkipReason::NullAmount => "amount",
        }
    }
}

impl RawTable {
    /// Number of input rows.
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// Why row `row` cannot be used, or `None` if it can. Duplicate customers are
    /// decided by the dataset builder, not here.
    pub fn skip_reason(&self, row: usize) -> Option<SkipReason> {
        if self.customer[row] == NULL_CUSTOMER {
            return Some(SkipReason::NullCustomer);
        }
        if let Some(&t) = self.time.get(row) {
            if t == NULL_TIME {
                // A customer without a signup time is still a customer.
                if self.kind != TableKind::Customers {
                    return Some(SkipReason::NullTime);
                }
            } else if t == BAD_TIME && self.kind != TableKind::Customers {
                return Some(SkipReason::BadTime);
            }
        }
        if self.kind == TableKind::Events && self.event[row] == NULL_CODE {
            return Some(SkipReason::NullEvent);
        }
        if self.kind == TableKind::Orders && !self.amount[row].is_finite() {
            return Some(SkipReason::NullAmount);
        }
        None
    }
}

/// The id mode the dataset needs: text if any id column is text, or holds unsigned
/// values beyond `i64::MAX`.
pub fn id_mode(tables: &[(&DecodedTable, &ResolvedColumns)]) -> IdMode {
    use arrow_array::cast::AsArray;
    use arrow_array::types::UInt64Type;
    for (table, cols) in tables {
        let field = &table.schema.fields()[cols.customer];
        if crate::data::columns::is_text_id_type(field.data_type()) {
            return IdMode::Text;
        }
        if field.data_type() == &DataType::UInt64 {
            let too_big = table.batches.iter().any(|b| {
                b.column(cols.customer)
                    .as_primitive::<UInt64Type>()
                    .iter()
                    .any(|v| v.is_some_and(|v| v > i64::MAX as u64))
            });
            if too_big {
                return IdMode::Text;
            }
        }
    }
    IdMode::Int
}

/// The smallest and largest id over plain integer id columns, and their total rows; `None`
/// when an id column is not a plain integer array (dictionaries, text) or has no values.
pub fn int_id_range(tables: &[(&DecodedTable, &ResolvedColumns)]) -> Option<(i64, i64, usize)> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::*;
    use arrow_array::{Array, ArrowPrimitiveType};
    fn extend<T: ArrowPrimitiveType>(a: &dyn Array, lo: &mut i64, hi: &mut i64) -> Option<()>
    where
        T::Native: TryInto<i64>,
    {
        let a = a.as_primitive::<T>();
        for v in a.iter().flatten() {
            let v: i64 = v.try_into().ok()?;
            *lo = (*lo).min(v);
            *hi = (*hi).max(v);
        }
        Some(())
    }
    let (mut lo, mut hi, mut rows) = (i64::MAX, i64::MIN, 0usize);
    for (table, cols) in tables {
        for batch in &table.batches {
            let a = batch.column(cols.customer).as_ref();
            rows += a.len();
            match a.data_type() {
                DataType::Int8 => extend::<Int8Type>(a, &mut lo, &mut hi)?,
                DataType::Int16 => extend::<Int16Type>(a, &mut lo, &mut hi)?,
                DataType::Int32 => extend::<Int32Type>(a, &mut lo, &mut hi)?,
                DataType::Int64 => extend::<Int64Type>(a, &mut lo, &mut hi)?,
                DataType::UInt8 => extend::<UInt8Type>(a, &mut lo, &mut hi)?,
                DataType::UInt16 => extend::<UInt16Type>(a, &mut lo, &mut hi)?,
                DataType::UInt32 => extend::<UInt32Type>(a, &mut lo, &mut hi)?,
                DataType::UInt64 => extend::<UInt64Type>(a, &mut lo, &mut hi)?,
                _ => return None,
            }
        }
    }
    (lo <= hi).then_some((lo, hi, rows))
}

enum PropertyBuilder {
    Categorical(Interner, Vec<u32>),
    Numeric(Vec<f64>),
    Time(Vec<i64>),
}

/// Reads `table` into core columns, numbering customers with `ids` and event names with
/// `event_names`.
pub fn read_table(
    kind: TableKind,
    table: &DecodedTable,
    cols: &ResolvedColumns,
    ids: &mut CustomerIndexBuilder,
    event_names: &mut Interner,
) -> RawTable {
    let rows = table.num_rows();
    let fields = table.schema.fields();
    let mut raw = RawTable {
        kind,
        customer: Vec::with_capacity(rows),
        time: Vec::with_capacity(if cols.time.is_some() { rows } else { 0 }),
        event: Vec::new(),
        amount: Vec::new(),
        properties: Vec::new(),
        role_columns: Vec::new(),
        ignored_columns: Vec::new(),
    };
    raw.role_columns
        .push(("customer", fields[cols.customer].name().clone()));
    if let Some(i) = cols.time {
        let role = if kind == TableKind::Customers {
            "signup"
        } else {
            "time"
        };
        raw.role_columns.push((role, fields[i].name().clone()));
    }
    if let Some(i) = cols.event {
        raw.role_columns.push(("event", fields[i].name().clone()));
    }
    if let Some(i) = cols.amount {
        raw.role_columns.push(("amount", fields[i].name().clone()));
    }

    let mut builders: Vec<(usize, PropertyBuilder)> = Vec::new();
    for (i, field) in fields.iter().enumerate() {
        if cols.is_role(i) {
            continue;
        }
        match property_kind(field.data_type()) {
            Some(PropertyKind::Categorical) => builders.push((
                i,
                PropertyBuilder::Categorical(Interner::default(), Vec::with_capacity(rows)),
            )),
            Some(PropertyKind::Numeric) => {
                builders.push((i, PropertyBuilder::Numeric(Vec::with_capacity(rows))))
            }
            Some(PropertyKind::Time) => {
                builders.push((i, PropertyBuilder::Time(Vec::with_capacity(rows))))
            }
            None => raw
                .ignored_columns
                .push((field.name().clone(), field.data_type().to_string())),
        }
    }

    for batch in &table.batches {
        map_rows(
            batch.column(cols.customer).as_ref(),
            NULL_CUSTOMER,
            &mut raw.customer,
            |v| ids.intern(v),
        );
        if let Some(i) = cols.time {
            read_times(batch.column(i).as_ref(), cols.int_time_unit, &mut raw.time);
        }
        if let Some(i) = cols.event {
            map_rows(
                batch.column(i).as_ref(),
                NULL_CODE,
                &mut raw.event,
                |v| match v {
                    Value::Str(s) => event_names.intern(s),
                    _ => NULL_CODE,
                },
            );
        }
        if let Some(i) = cols.amount {
            read_numbers(batch.column(i).as_ref(), &mut raw.amount);
        }
        for (i, builder) in &mut builders {
            let column = batch.column(*i).as_ref();
            match builder {
                PropertyBuilder::Categorical(interner, codes) => {
                    map_rows(column, NULL_CODE, codes, |v| category_code(interner, v))
                }
                PropertyBuilder::Numeric(values) => read_numbers(column, values),
                PropertyBuilder::Time(values) => {
                    let start = values.len();
                    read_times(column, cols.int_time_unit, values);
                    for t in &mut values[start..] {
                        if *t == BAD_TIME {
                            *t = NULL_TIME;
                        }
                    }
                }
            }
        }
    }

    raw.properties = builders
        .into_iter()
        .map(|(i, builder)| Property {
            name: fields[i].name().clone(),
            values: match builder {
                PropertyBuilder::Categorical(interner, codes) => PropertyValues::Categorical {
                    codes,
                    labels: interner.into_labels(),
                },
                PropertyBuilder::Numeric(v) => PropertyValues::Numeric(v),
                PropertyBuilder::Time(v) => PropertyValues::Time(v),
            },
        })
        .collect();
    raw
}

fn category_code(interner: &mut Interner, value: Value) -> u32 {
    match value {
        Value::Str(s) => interner.intern(s),
        Value::Bool(b) => interner.intern(if b { "true" } else { "false" }),
        Value::Int(v) => interner.intern(&v.to_string()),
        Value::UInt(v) => interner.intern(&v.to_string()),
        Value::Float(v) => interner.intern(&v.to_string()),
    }
}
