//! Per-customer results as Arrow IPC stream bytes (what `apache-arrow`'s `tableFromIPC`
//! reads in JS). Analyses describe their columns in plain Rust; only this file knows Arrow.

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray, TimestampMillisecondArray, UInt32Array,
};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{Field, Schema};

use crate::data::dataset::Dataset;
use crate::data::ids::CustomerIds;
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
    /// Small counts or scores.
    UInt32(Vec<u32>),
    /// Flags.
    Bool(Vec<bool>),
    /// Times in epoch microseconds, written as timestamp(ms, UTC); [`NULL_TIME`] is null.
    Time(Vec<i64>),
    /// Text.
    Text(Vec<String>),
    /// Categories: `codes[i]` indexes `labels` ([`NULL_CODE`] is null); written as a
    /// dictionary<int32, utf8>.
    Category {
        codes: Vec<u32>,
        labels: Vec<String>,
    },
}

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

    fn array(column: &ResultColumn, ds: &Dataset) -> Result<ArrayRef> {
        Ok(match column {
            ResultColumn::Customers(rows) => match &ds.ids {
                CustomerIds::Int(ids) => Arc::new(Int64Array::from_iter_values(
                    rows.iter()
                        .map(|&c| ids.get(c as usize).copied().unwrap_or_default()),
                )),
                CustomerIds::Text(_) => Arc::new(StringArray::from_iter_values(
                    rows.iter().map(|&c| ds.ids.display(c as usize)),
                )),
            },
            // No validity buffer to build when every value is a number (the usual case).
            ResultColumn::Float64(v) if v.iter().all(|x| x.is_finite()) => {
                Arc::new(Float64Array::from(v.clone()))
            }
            ResultColumn::Float64(v) => Arc::new(Float64Array::from_iter(
                v.iter().map(|&x| x.is_finite().then_some(x)),
            )),
            ResultColumn::Int64(v) => Arc::new(Int64Array::from(v.clone())),
            ResultColumn::UInt32(v) => Arc::new(UInt32Array::from(v.clone())),
            ResultColumn::Bool(v) => Arc::new(BooleanArray::from(v.clone())),
            ResultColumn::Time(v) => Arc::new(
                TimestampMillisecondArray::from_iter(
                    v.iter()
                        .map(|&t| (t != NULL_TIME).then(|| t.div_euclid(1_000))),
                )
                .with_timezone("UTC"),
            ),
            ResultColumn::Text(v) => Arc::new(StringArray::from_iter_values(v.iter())),
            // The codes are the keys and the labels the dictionary as they are: no hashing
            // of a label per row (a builder would), which mattered for million-row tables.
            ResultColumn::Category { codes, labels } => {
                let too_many = || {
                    InsituError::Limit(format!(
                        "{} category labels do not fit a dictionary<int32> column",
                        labels.len()
                    ))
                };
                if i32::try_from(labels.len()).is_err() {
                    return Err(too_many());
                }
                let valid = |c: u32| (c as usize) < labels.len() && c != NULL_CODE;
                let keys = if codes.iter().all(|&c| valid(c)) {
                    Int32Array::from(codes.iter().map(|&c| c as i32).collect::<Vec<_>>())
                } else {
                    Int32Array::from_iter(codes.iter().map(|&c| valid(c).then_some(c as i32)))
                };
                let values = Arc::new(StringArray::from_iter_values(labels.iter()));
                Arc::new(
                    DictionaryArray::<Int32Type>::try_new(keys, values)
                        .map_err(|e| InsituError::Limit(e.to_string()))?,
                )
            }
        })
    }

    /// The table as Arrow IPC stream bytes (one record batch).
    pub fn to_ipc(&self, ds: &Dataset) -> Result<Vec<u8>> {
        let arrays = self
            .columns
            .iter()
            .map(|(_, c)| Self::array(c, ds))
            .collect::<Result<Vec<_>>>()?;
        let fields: Vec<Field> = self
            .columns
            .iter()
            .zip(&arrays)
            .map(|((name, _), a)| Field::new(name, a.data_type().clone(), true))
            .collect();
        let fail = |e: arrow_schema::ArrowError| {
            InsituError::Limit(format!("cannot write the result table: {e}"))
        };
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(fail)?;
        // Sized up front: growing a vector of tens of megabytes by doubling copies it
        // over and over (the schema and message headers take far less than the slack).
        let mut out = Vec::with_capacity(batch.get_array_memory_size() + 4096);
        let mut writer = StreamWriter::try_new(&mut out, &batch.schema()).map_err(fail)?;
        writer.write(&batch).map_err(fail)?;
        writer.finish().map_err(fail)?;
        drop(writer);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::ipc::decode;
    use crate::data::mapping::IpcFormat;
    use arrow_array::Array;

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
}
