//! Per-customer results as Arrow IPC stream bytes (what `apache-arrow`'s `tableFromIPC`
//! reads in JS). Analyses describe their columns in plain Rust; only this file knows Arrow.

use arrow_schema::{DataType, Field, Schema, TimeUnit};

use crate::data::dataset::Dataset;
use crate::data::ids::CustomerIds;
use crate::data::ipc_write::{concat, BatchWriter, IpcPart, StreamWriter};
use crate::data::properties::{NULL_CODE, NULL_TIME};
use crate::error::{InsituError, Result};

/// One column of a result table.
#[derive(Debug, Clone, PartialEq)]
pub enum ResultColumn {
    /// Customers by dense number, written as their external ids (int64 or utf8).
    Customers(Vec<u32>),
    /// Numbers; `NaN` is written as null.
    Float64(Vec<f64>),
    /// Integers.
    Int64(Vec<i64>),
    /// Counts.
    UInt32(Vec<u32>),
    /// Scores (1..10): a byte each, as a million customers' table is copied out whole.
    UInt8(Vec<u8>),
    /// Flags.
    Bool(Vec<bool>),
    /// Times in epoch microseconds, written as timestamp(ms, UTC); [`NULL_TIME`] is null.
    Time(Vec<i64>),
    /// Text.
    Text(Vec<String>),
    /// Categories: `codes[i]` indexes `labels` ([`NULL_CODE`] is null); written as a
    /// dictionary<int8, utf8> (int32 above 128 labels).
    Category {
        codes: Vec<u32>,
        labels: Vec<String>,
    },
    /// Categories of at most [`BYTE_CATEGORY_LABELS`] labels, none null: the codes are
    /// their dictionary<int8, utf8> keys as they are, so a million customers' column
    /// (an RFM segment or score) is lent to the output, not converted.
    ByteCategory { codes: Vec<u8>, labels: Vec<String> },
}

/// The most labels a [`ResultColumn::ByteCategory`] takes: its codes are int8 keys.
pub const BYTE_CATEGORY_LABELS: usize = i8::MAX as usize + 1;

/// A named list of equally long columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultTable {
    /// The columns, in order.
    pub columns: Vec<(String, ResultColumn)>,
}

impl ResultTable {
    /// Adds a column.
    pub fn with(mut self, name: &str, column: ResultColumn) -> Self {
        self.columns.push((name.to_owned(), column));
        self
    }

    /// The Arrow type a column is written as.
    fn data_type(column: &ResultColumn, ds: &Dataset) -> DataType {
        match column {
            ResultColumn::Customers(_) => match &ds.ids {
                CustomerIds::Int(_) => DataType::Int64,
                CustomerIds::Text(_) => DataType::Utf8,
            },
            ResultColumn::Float64(_) => DataType::Float64,
            ResultColumn::Int64(_) => DataType::Int64,
            ResultColumn::UInt32(_) => DataType::UInt32,
            ResultColumn::UInt8(_) => DataType::UInt8,
            ResultColumn::Bool(_) => DataType::Boolean,
            ResultColumn::Time(_) => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            ResultColumn::Text(_) => DataType::Utf8,
            ResultColumn::Category { labels, .. } => {
                DataType::Dictionary(Box::new(key_type(labels.len())), Box::new(DataType::Utf8))
            }
            ResultColumn::ByteCategory { .. } => {
                DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
            }
        }
    }

    fn write<'a>(
        column: &'a ResultColumn,
        ds: &Dataset,
        batch: &mut BatchWriter<'a>,
    ) -> Result<()> {
        match column {
            ResultColumn::Customers(rows) => match &ds.ids {
                CustomerIds::Int(ids) => {
                    batch.int64_of(rows, |c| ids.get(c as usize).copied().unwrap_or_default())
                }
                CustomerIds::Text(_) => {
                    let ids: Vec<String> =
                        rows.iter().map(|&c| ds.ids.display(c as usize)).collect();
                    batch.utf8(ids.iter().map(String::as_str));
                }
            },
            ResultColumn::Float64(v) => batch.float64(v),
            ResultColumn::Int64(v) => batch.int64(v),
            ResultColumn::UInt32(v) => batch.uint32(v),
            ResultColumn::UInt8(v) => batch.uint8(v),
            ResultColumn::Bool(v) => batch.bool(v),
            ResultColumn::Time(v) => batch.timestamp_ms(v, NULL_TIME),
            ResultColumn::Text(v) => batch.utf8(v.iter().map(String::as_str)),
            ResultColumn::Category { codes, labels } => batch
                .dictionary_keys(codes, NULL_CODE, labels.len(), key_type(labels.len()))
                .map_err(|e| InsituError::Limit(format!("cannot write the result table: {e}")))?,
            ResultColumn::ByteCategory { codes, labels } => {
                if let Some(bad) = codes.iter().find(|&&c| usize::from(c) >= labels.len()) {
                    return Err(InsituError::Limit(format!(
                        "cannot write the result table: category code {bad} has no label (there are {})",
                        labels.len()
                    )));
                }
                if labels.len() > BYTE_CATEGORY_LABELS {
                    return Err(InsituError::Limit(format!(
                        "cannot write the result table: {} labels do not fit int8 keys",
                        labels.len()
                    )));
                }
                // Keys below 128 are the same bytes signed or not.
                batch.uint8(codes);
            }
        }
        Ok(())
    }

    /// The table as Arrow IPC stream bytes (one record batch).
    pub fn to_ipc(&self, ds: &Dataset) -> Result<Vec<u8>> {
        Ok(concat(&self.to_ipc_parts(ds)?))
    }

    /// [`ResultTable::to_ipc`]'s bytes as parts to be read one after the other: columns
    /// whose values are already their Arrow buffer (counts, scores, finite numbers) are
    /// lent rather than copied, so a boundary copies them straight out of the table.
    pub fn to_ipc_parts(&self, ds: &Dataset) -> Result<Vec<IpcPart<'_>>> {
        let rows = self.columns.first().map_or(0, |(_, c)| c.len());
        if let Some((name, _)) = self.columns.iter().find(|(_, c)| c.len() != rows) {
            return Err(InsituError::Limit(format!(
                "cannot write the result table: column \"{name}\" has a different length"
            )));
        }
        let fields: Vec<Field> = self
            .columns
            .iter()
            .map(|(name, c)| Field::new(name, Self::data_type(c, ds), true))
            .collect();
        let mut writer = StreamWriter::new(&Schema::new(fields))
            .map_err(|e| InsituError::Limit(format!("cannot write the result table: {e}")))?;
        for (i, (_, c)) in self.columns.iter().enumerate() {
            if let ResultColumn::Category { labels, .. }
            | ResultColumn::ByteCategory { labels, .. } = c
            {
                writer.dictionary(i, labels);
            }
        }
        let mut batch = BatchWriter::new(rows);
        batch.reserve(self.columns.iter().map(|(_, c)| c.body_bytes(ds)).sum());
        for (_, c) in &self.columns {
            Self::write(c, ds, &mut batch)?;
        }
        writer.batch(batch);
        Ok(writer.finish_parts())
    }
}

/// The narrowest dictionary key for `labels` labels: a byte a row for the usual few
/// categories (an RFM segment, a score), since a million customers' table is copied out
/// of wasm whole.
fn key_type(labels: usize) -> DataType {
    if labels <= i8::MAX as usize + 1 {
        DataType::Int8
    } else {
        DataType::Int32
    }
}

impl ResultColumn {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ResultColumn::Customers(v) | ResultColumn::UInt32(v) => v.len(),
            ResultColumn::Float64(v) => v.len(),
            ResultColumn::Int64(v) | ResultColumn::Time(v) => v.len(),
            ResultColumn::Bool(v) => v.len(),
            ResultColumn::UInt8(v) => v.len(),
            ResultColumn::Text(v) => v.len(),
            ResultColumn::Category { codes, .. } => codes.len(),
            ResultColumn::ByteCategory { codes, .. } => codes.len(),
        }
    }

    /// About how many body bytes the column takes as Arrow (values, validity, padding).
    fn body_bytes(&self, ds: &Dataset) -> usize {
        let rows = self.len();
        let width = match self {
            ResultColumn::Customers(_) if matches!(ds.ids, CustomerIds::Text(_)) => 16,
            ResultColumn::Customers(_)
            | ResultColumn::Float64(_)
            | ResultColumn::Int64(_)
            | ResultColumn::Time(_) => 8,
            ResultColumn::UInt32(_) => 4,
            ResultColumn::Category { labels, .. } => {
                key_type(labels.len()).primitive_width().unwrap_or(4)
            }
            ResultColumn::Bool(_) => 0,
            ResultColumn::UInt8(_) | ResultColumn::ByteCategory { .. } => 1,
            ResultColumn::Text(v) => 4 + v.iter().map(String::len).sum::<usize>() / rows.max(1),
        };
        rows * width + rows.div_ceil(8) * 2 + 32
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ipc::decode;
    use crate::data::mapping::IpcFormat;
    use arrow_array::cast::AsArray;
    use arrow_array::{Array, Int64Array, TimestampMillisecondArray};

    #[test]
    fn writes_customer_ids_and_nulls() {
        let ds = Dataset {
            ids: CustomerIds::Int(vec![10, 20, 30]),
            ..Dataset::default()
        };
        let table = ResultTable::default()
            .with("customer_id", ResultColumn::Customers(vec![2, 0]))
            .with("score", ResultColumn::Float64(vec![1.5, f64::NAN]))
            .with(
                "segment",
                ResultColumn::Category {
                    codes: vec![1, NULL_CODE],
                    labels: vec!["a".into(), "b".into()],
                },
            )
            .with("last", ResultColumn::Time(vec![1_500, NULL_TIME]));
        let bytes = table.to_ipc(&ds).unwrap();
        let decoded = decode("result", bytes, IpcFormat::Stream).unwrap();
        let batch = &decoded.batches[0];
        let ids = batch
            .column(0)
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap();
        assert_eq!(ids.values().to_vec(), vec![30, 10]);
        assert_eq!(batch.column(1).null_count(), 1);
        assert_eq!(batch.column(2).null_count(), 1);
        let t = batch
            .column(3)
            .as_any()
            .downcast_ref::<TimestampMillisecondArray>()
            .unwrap();
        assert_eq!(t.value(0), 1);
        assert!(t.is_null(1));
    }

    #[test]
    fn plain_columns_are_lent_at_aligned_offsets() {
        let ds = Dataset {
            ids: CustomerIds::Int(vec![7, 8, 9]),
            ..Dataset::default()
        };
        let table = ResultTable::default()
            .with("customer_id", ResultColumn::Customers(vec![1, 2, 0]))
            .with("score", ResultColumn::Float64(vec![0.5, -2.0, 1e300]))
            .with("r", ResultColumn::UInt8(vec![1, 2, 3]))
            .with("orders", ResultColumn::UInt32(vec![4, 0, u32::MAX]))
            .with("n", ResultColumn::Int64(vec![-1, 0, i64::MAX]));
        let parts = table.to_ipc_parts(&ds).unwrap();
        let (mut at, mut lent) = (0, 0);
        for part in &parts {
            let align = match part {
                IpcPart::Bytes(_) => 1,
                IpcPart::UInt8(_) => 1,
                IpcPart::UInt32(_) => 4,
                IpcPart::Float64(_) | IpcPart::Int64(_) => 8,
            };
            assert_eq!(at % align, 0, "{part:?} at {at}");
            lent += usize::from(!matches!(part, IpcPart::Bytes(_)));
            at += part.len();
        }
        assert_eq!(lent, 4);
        let decoded = decode("result", concat(&parts), IpcFormat::Stream).unwrap();
        let batch = &decoded.batches[0];
        fn values<T: arrow_array::ArrowPrimitiveType>(
            batch: &arrow_array::RecordBatch,
            i: usize,
        ) -> Vec<T::Native> {
            batch.column(i).as_primitive::<T>().values().to_vec()
        }
        use arrow_array::types::{Float64Type, Int64Type, UInt32Type, UInt8Type};
        assert_eq!(values::<Int64Type>(batch, 0), vec![8, 9, 7]);
        assert_eq!(values::<Float64Type>(batch, 1), vec![0.5, -2.0, 1e300]);
        assert_eq!(batch.column(1).null_count(), 0);
        assert_eq!(values::<UInt8Type>(batch, 2), vec![1, 2, 3]);
        assert_eq!(values::<UInt32Type>(batch, 3), vec![4, 0, u32::MAX]);
        assert_eq!(values::<Int64Type>(batch, 4), vec![-1, 0, i64::MAX]);
    }

    #[test]
    fn category_keys_are_as_narrow_as_the_labels_allow() {
        let ds = Dataset::default();
        let few: Vec<String> = (0..128).map(|i| format!("s{i}")).collect();
        let many: Vec<String> = (0..129).map(|i| format!("s{i}")).collect();
        let table = ResultTable::default()
            .with(
                "few",
                ResultColumn::Category {
                    codes: vec![127, NULL_CODE, 0],
                    labels: few,
                },
            )
            .with(
                "many",
                ResultColumn::Category {
                    codes: vec![128, 0, NULL_CODE],
                    labels: many,
                },
            );
        let decoded = decode("result", table.to_ipc(&ds).unwrap(), IpcFormat::Stream).unwrap();
        let batch = &decoded.batches[0];
        let key = |i: usize| match batch.column(i).data_type() {
            DataType::Dictionary(k, _) => (**k).clone(),
            t => panic!("not a dictionary: {t}"),
        };
        assert_eq!((key(0), key(1)), (DataType::Int8, DataType::Int32));
        let label = |i: usize, row: usize| {
            let d = batch.column(i).as_any_dictionary();
            let values = d
                .values()
                .as_any()
                .downcast_ref::<arrow_array::StringArray>()
                .unwrap();
            let k = d.normalized_keys()[row];
            (!batch.column(i).is_null(row)).then(|| values.value(k).to_owned())
        };
        assert_eq!(label(0, 0).as_deref(), Some("s127"));
        assert_eq!(label(0, 1), None);
        assert_eq!(label(1, 0).as_deref(), Some("s128"));
        assert_eq!(label(1, 2), None);
    }

    #[test]
    fn byte_categories_are_lent_as_int8_keys() {
        let ds = Dataset::default();
        let labels: Vec<String> = (0..128).map(|i| format!("s{i}")).collect();
        let table_of = |codes: Vec<u8>, labels: &[String]| {
            ResultTable::default().with(
                "segment",
                ResultColumn::ByteCategory {
                    codes,
                    labels: labels.to_vec(),
                },
            )
        };
        let table = table_of(vec![127, 0, 5], &labels);
        let parts = table.to_ipc_parts(&ds).unwrap();
        assert!(parts
            .iter()
            .any(|p| matches!(p, IpcPart::UInt8(codes) if *codes == [127, 0, 5])));
        let decoded = decode("result", concat(&parts), IpcFormat::Stream).unwrap();
        let column = decoded.batches[0].column(0);
        assert_eq!(
            column.data_type(),
            &DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
        );
        let d = column.as_any_dictionary();
        let values = d
            .values()
            .as_any()
            .downcast_ref::<arrow_array::StringArray>()
            .unwrap();
        let got: Vec<&str> = d
            .normalized_keys()
            .iter()
            .map(|&k| values.value(k))
            .collect();
        assert_eq!(got, ["s127", "s0", "s5"]);
        assert_eq!(column.null_count(), 0);
        // A code without a label, or more labels than int8 keys reach: an error.
        let error = |t: ResultTable| t.to_ipc(&ds).unwrap_err().to_string();
        let e = error(table_of(vec![3], &labels[..3]));
        assert!(e.contains("code 3 has no label"), "{e}");
        let many: Vec<String> = (0..129).map(|i| format!("s{i}")).collect();
        let e = error(table_of(vec![0], &many));
        assert!(e.contains("129 labels"), "{e}");
    }
}
