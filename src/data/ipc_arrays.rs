//! The body of an IPC record batch or dictionary batch -> Arrow arrays, zero-copy.
//!
//! Buffers are slices of the caller's bytes (copied only when a buffer is not aligned
//! for its value type). Only the types the core reads are decoded; other columns are
//! stepped over and read as all-null placeholders. Every offset, length and key is
//! checked first, because arrow-rs constructors panic on what a corrupt file contains.

use std::mem::{align_of, size_of};
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, BooleanArray, DictionaryArray, GenericStringArray, NullArray,
    OffsetSizeTrait, PrimitiveArray, StringViewArray,
};
use arrow_buffer::{
    ArrowNativeType, BooleanBuffer, Buffer, NullBuffer, OffsetBuffer, ScalarBuffer,
};
use arrow_schema::{DataType, TimeUnit, UnionMode};

use crate::data::flatbuf::{read_i64, FbResult, Table};

/// Dictionaries received so far, by id.
pub type Dictionaries = Vec<(i64, ArrayRef)>;

/// Whether columns of type `t` are decoded (the rest become null placeholders).
pub fn decodable(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, v) => decodable(v) && !matches!(**v, DataType::Dictionary(..)),
        t => {
            t.is_integer()
                || matches!(
                    t,
                    DataType::Null
                        | DataType::Boolean
                        | DataType::Float32
                        | DataType::Float64
                        | DataType::Decimal128(..)
                        | DataType::Timestamp(..)
                        | DataType::Date32
                        | DataType::Date64
                        | DataType::Utf8
                        | DataType::LargeUtf8
                        | DataType::Utf8View
                )
        }
    }
}

fn to_usize(v: i64, what: &str) -> FbResult<usize> {
    usize::try_from(v).map_err(|_| format!("a negative {what} ({v})"))
}

/// The nodes and buffers of one message body, consumed in IPC (depth-first) order.
pub struct Body<'a> {
    body: &'a Buffer,
    nodes: Vec<&'a [u8]>,
    buffers: Vec<&'a [u8]>,
    variadic: Vec<&'a [u8]>,
    next_node: usize,
    next_buffer: usize,
    next_variadic: usize,
    /// The row count the batch declares.
    pub rows: usize,
}

impl<'a> Body<'a> {
    /// The layout described by a `RecordBatch` table over `body`.
    pub fn new(batch: &Table<'a>, body: &'a Buffer) -> FbResult<Self> {
        if batch.table(3)?.is_some() {
            return Err("the data is compressed (LZ4 or ZSTD buffers), which Insitu does not read; write the table uncompressed".into());
        }
        Ok(Body {
            body,
            rows: to_usize(batch.i64(0, 0)?, "row count")?,
            nodes: batch.structs(1, 16)?,
            buffers: batch.structs(2, 16)?,
            variadic: batch.structs(4, 8)?,
            next_node: 0,
            next_buffer: 0,
            next_variadic: 0,
        })
    }

    /// The next node's (length, null count).
    fn node(&mut self) -> FbResult<(usize, usize)> {
        let node = self
            .nodes
            .get(self.next_node)
            .ok_or("a record batch has fewer column nodes than its schema has columns")?;
        self.next_node += 1;
        let len = to_usize(read_i64(node, 0)?, "column length")?;
        let nulls = to_usize(read_i64(node, 8)?, "null count")?;
        if nulls > len {
            return Err(format!("a column of {len} rows claims {nulls} nulls"));
        }
        Ok((len, nulls))
    }

    /// The next buffer, as a slice of the body.
    fn buffer(&mut self) -> FbResult<Buffer> {
        let b = self
            .buffers
            .get(self.next_buffer)
            .ok_or("a record batch has fewer buffers than its columns need")?;
        self.next_buffer += 1;
        let offset = to_usize(read_i64(b, 0)?, "buffer offset")?;
        let length = to_usize(read_i64(b, 8)?, "buffer length")?;
        if offset
            .checked_add(length)
            .is_none_or(|end| end > self.body.len())
        {
            return Err(format!(
                "a buffer (offset {offset}, length {length}) lies outside its message body ({} bytes)",
                self.body.len()
            ));
        }
        Ok(self.body.slice_with_length(offset, length))
    }

    fn skip_buffers(&mut self, n: usize) {
        self.next_buffer += n;
    }

    /// Steps over a column of type `t` (and its children) without reading it.
    pub fn skip(&mut self, t: &DataType) -> FbResult<()> {
        self.node()?;
        let children: Vec<&DataType> = match t {
            DataType::List(f)
            | DataType::LargeList(f)
            | DataType::Map(f, _)
            | DataType::ListView(f)
            | DataType::LargeListView(f)
            | DataType::FixedSizeList(f, _) => vec![f.data_type()],
            DataType::Struct(fs) => fs.iter().map(|f| f.data_type()).collect(),
            DataType::Union(fs, _) => fs.iter().map(|(_, f)| f.data_type()).collect(),
            DataType::RunEndEncoded(a, b) => vec![a.data_type(), b.data_type()],
            _ => Vec::new(),
        };
        let buffers = match t {
            DataType::Null | DataType::RunEndEncoded(..) => 0,
            DataType::Struct(_) | DataType::FixedSizeList(..) => 1,
            DataType::Union(_, UnionMode::Sparse) => 1,
            DataType::Utf8
            | DataType::Binary
            | DataType::LargeUtf8
            | DataType::LargeBinary
            | DataType::ListView(_)
            | DataType::LargeListView(_) => 3,
            DataType::Utf8View | DataType::BinaryView => 2 + self.variadic_count()?,
            _ => 2,
        };
        self.skip_buffers(buffers);
        children.into_iter().try_for_each(|c| self.skip(c))
    }

    fn variadic_count(&mut self) -> FbResult<usize> {
        let count = self
            .variadic
            .get(self.next_variadic)
            .ok_or("a view column has no variadic buffer count")?;
        self.next_variadic += 1;
        let count = to_usize(read_i64(count, 0)?, "variadic buffer count")?;
        if count > self.buffers.len() {
            return Err("a view column claims more buffers than the batch has".into());
        }
        Ok(count)
    }

    /// Reads the next column, of a [`decodable`] type `t`; `dictionary` holds the values
    /// of a dictionary-encoded column.
    pub fn array(&mut self, t: &DataType, dictionary: Option<&ArrayRef>) -> FbResult<ArrayRef> {
        macro_rules! prim {
            ($ty:ty) => {
                Arc::new(self.primitive::<$ty>()?) as ArrayRef
            };
        }
        Ok(match t {
            DataType::Null => Arc::new(NullArray::new(self.node()?.0)),
            DataType::Boolean => {
                let (len, nulls) = self.node()?;
                let validity = self.buffer()?;
                let values = self.buffer()?;
                let values = bits(values, len)?;
                Arc::new(BooleanArray::new(
                    values,
                    null_buffer(validity, len, nulls)?,
                ))
            }
            DataType::Int8 => prim!(Int8Type),
            DataType::Int16 => prim!(Int16Type),
            DataType::Int32 => prim!(Int32Type),
            DataType::Int64 => prim!(Int64Type),
            DataType::UInt8 => prim!(UInt8Type),
            DataType::UInt16 => prim!(UInt16Type),
            DataType::UInt32 => prim!(UInt32Type),
            DataType::UInt64 => prim!(UInt64Type),
            DataType::Float32 => prim!(Float32Type),
            DataType::Float64 => prim!(Float64Type),
            DataType::Date32 => prim!(Date32Type),
            DataType::Date64 => prim!(Date64Type),
            DataType::Decimal128(p, s) => Arc::new(
                self.primitive::<Decimal128Type>()?
                    .with_precision_and_scale(*p, *s)
                    .map_err(|e| e.to_string())?,
            ),
            DataType::Timestamp(unit, tz) => match unit {
                TimeUnit::Second => Arc::new(
                    self.primitive::<TimestampSecondType>()?
                        .with_timezone_opt(tz.clone()),
                ),
                TimeUnit::Millisecond => Arc::new(
                    self.primitive::<TimestampMillisecondType>()?
                        .with_timezone_opt(tz.clone()),
                ),
                TimeUnit::Microsecond => Arc::new(
                    self.primitive::<TimestampMicrosecondType>()?
                        .with_timezone_opt(tz.clone()),
                ),
                TimeUnit::Nanosecond => Arc::new(
                    self.primitive::<TimestampNanosecondType>()?
                        .with_timezone_opt(tz.clone()),
                ),
            },
            DataType::Utf8 => self.string::<i32>()?,
            DataType::LargeUtf8 => self.string::<i64>()?,
            DataType::Utf8View => {
                let (len, nulls) = self.node()?;
                let validity = self.buffer()?;
                let views = typed::<u128>(self.buffer()?, len)?;
                let count = self.variadic_count()?;
                let data = (0..count)
                    .map(|_| self.buffer())
                    .collect::<FbResult<Vec<_>>>()?;
                let nulls = null_buffer(validity, len, nulls)?;
                Arc::new(StringViewArray::try_new(views, data, nulls).map_err(|e| e.to_string())?)
            }
            DataType::Dictionary(key, _) => {
                let values = dictionary
                    .ok_or("a record batch uses a dictionary that was never sent")?
                    .clone();
                macro_rules! dict {
                    ($k:ty) => {
                        Arc::new(
                            DictionaryArray::<$k>::try_new(self.primitive::<$k>()?, values)
                                .map_err(|e| e.to_string())?,
                        ) as ArrayRef
                    };
                }
                match key.as_ref() {
                    DataType::Int8 => dict!(Int8Type),
                    DataType::Int16 => dict!(Int16Type),
                    DataType::Int32 => dict!(Int32Type),
                    DataType::Int64 => dict!(Int64Type),
                    DataType::UInt8 => dict!(UInt8Type),
                    DataType::UInt16 => dict!(UInt16Type),
                    DataType::UInt32 => dict!(UInt32Type),
                    _ => dict!(UInt64Type),
                }
            }
            // Callers check `decodable` first.
            t => return Err(format!("columns of type {t} are not decoded")),
        })
    }

    fn primitive<T: ArrowPrimitiveType>(&mut self) -> FbResult<PrimitiveArray<T>> {
        let (len, nulls) = self.node()?;
        let validity = self.buffer()?;
        let values = typed::<T::Native>(self.buffer()?, len)?;
        PrimitiveArray::try_new(values, null_buffer(validity, len, nulls)?)
            .map_err(|e| e.to_string())
    }

    fn string<O: OffsetSizeTrait>(&mut self) -> FbResult<ArrayRef> {
        let (len, nulls) = self.node()?;
        let validity = self.buffer()?;
        let offsets = self.buffer()?;
        let data = self.buffer()?;
        // Writers may leave out the offsets of an empty column.
        let offsets = if len == 0 && offsets.is_empty() {
            OffsetBuffer::new_empty()
        } else {
            let offsets = typed::<O>(offsets, len + 1)?;
            // Non-negative at the start and never decreasing: what OffsetBuffer asserts.
            let ordered = offsets.first().and_then(|o| o.to_usize()).is_some()
                && offsets.windows(2).all(|w| w[0] <= w[1]);
            if !ordered {
                return Err("a text column's offsets are negative or out of order".into());
            }
            OffsetBuffer::new(offsets)
        };
        let nulls = null_buffer(validity, len, nulls)?;
        Ok(Arc::new(
            GenericStringArray::<O>::try_new(offsets, data, nulls).map_err(|e| e.to_string())?,
        ))
    }
}

/// `len` values of type `T` from the start of `buffer`, copied only if misaligned.
fn typed<T: ArrowNativeType>(buffer: Buffer, len: usize) -> FbResult<ScalarBuffer<T>> {
    let bytes = len
        .checked_mul(size_of::<T>())
        .filter(|&b| b <= buffer.len())
        .ok_or_else(|| {
            format!(
                "a buffer of {} bytes is too short for {len} values of {} bytes",
                buffer.len(),
                size_of::<T>()
            )
        })?;
    let buffer = buffer.slice_with_length(0, bytes);
    let buffer = if buffer.as_ptr().align_offset(align_of::<T>()) == 0 {
        buffer
    } else {
        Buffer::from_slice_ref(buffer.as_slice())
    };
    Ok(ScalarBuffer::new(buffer, 0, len))
}

/// `len` bits from the start of `buffer`.
fn bits(buffer: Buffer, len: usize) -> FbResult<BooleanBuffer> {
    if buffer.len() < len.div_ceil(8) {
        return Err(format!(
            "a bitmap of {} bytes is too short for {len} rows",
            buffer.len()
        ));
    }
    Ok(BooleanBuffer::new(buffer, 0, len))
}

/// The validity bitmap, or `None` when the column declares no nulls.
fn null_buffer(validity: Buffer, len: usize, nulls: usize) -> FbResult<Option<NullBuffer>> {
    if nulls == 0 {
        return Ok(None);
    }
    Ok(Some(NullBuffer::new(bits(validity, len)?)))
}

/// The values of dictionary `old` followed by those of a delta batch `new` (same type).
pub fn concat_values(old: &ArrayRef, new: &ArrayRef) -> FbResult<ArrayRef> {
    macro_rules! prim {
        ($t:ty) => {
            match (old.as_primitive_opt::<$t>(), new.as_primitive_opt::<$t>()) {
                (Some(a), Some(b)) => {
                    Arc::new(a.iter().chain(b.iter()).collect::<PrimitiveArray<$t>>()) as ArrayRef
                }
                _ => return Err("a dictionary delta does not match its dictionary's type".into()),
            }
        };
    }
    Ok(match old.data_type() {
        DataType::Utf8 => match (old.as_string_opt::<i32>(), new.as_string_opt::<i32>()) {
            (Some(a), Some(b)) => Arc::new(a.iter().chain(b.iter()).collect::<GenericStringArray<i32>>()),
            _ => return Err("a dictionary delta does not match its dictionary's type".into()),
        },
        DataType::LargeUtf8 => match (old.as_string_opt::<i64>(), new.as_string_opt::<i64>()) {
            (Some(a), Some(b)) => Arc::new(a.iter().chain(b.iter()).collect::<GenericStringArray<i64>>()),
            _ => return Err("a dictionary delta does not match its dictionary's type".into()),
        },
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        t => {
            return Err(format!(
                "a dictionary delta for values of type {t} is not supported; write the dictionary whole"
            ))
        }
    })
}
