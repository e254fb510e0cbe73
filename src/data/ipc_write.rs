//! Arrow IPC *stream* writing for result tables and sample data: a schema message,
//! dictionary batches and record batches built straight from Rust slices.
//!
//! Only the column types Insitu writes are supported: int64, uint32, float64, bool,
//! timestamp, utf8 and dictionary<int32, utf8>. A dictionary-encoded column uses its
//! column index as dictionary id.

use arrow_schema::{DataType, Field, Schema, TimeUnit};

use crate::data::flatbuf_write::{finish, Object, Value};

/// Message header types (`MessageHeader` in Message.fbs).
const SCHEMA: u8 = 1;
const DICTIONARY_BATCH: u8 = 2;
const RECORD_BATCH: u8 = 3;
/// MetadataVersion V5.
const VERSION: i16 = 4;

/// A piece of an IPC stream: bytes written out, or a column's values lent as they are
/// (their little-endian bytes are the Arrow buffer), so that a boundary can copy a
/// million customers' figures straight from the column instead of from a copy of it.
#[derive(Debug, Clone, PartialEq)]
pub enum IpcPart<'a> {
    /// Bytes written.
    Bytes(Vec<u8>),
    /// A float64 buffer.
    Float64(&'a [f64]),
    /// An int64 buffer.
    Int64(&'a [i64]),
    /// A uint32 buffer.
    UInt32(&'a [u32]),
    /// A uint8 buffer.
    UInt8(&'a [u8]),
}

impl IpcPart<'_> {
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        match self {
            IpcPart::Bytes(b) => b.len(),
            IpcPart::Float64(v) => v.len() * 8,
            IpcPart::Int64(v) => v.len() * 8,
            IpcPart::UInt32(v) => v.len() * 4,
            IpcPart::UInt8(v) => v.len(),
        }
    }

    /// True when it has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends its bytes to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match self {
            IpcPart::Bytes(b) => out.extend_from_slice(b),
            IpcPart::Float64(v) => out.extend(v.iter().flat_map(|x| x.to_le_bytes())),
            IpcPart::Int64(v) => out.extend(v.iter().flat_map(|x| x.to_le_bytes())),
            IpcPart::UInt32(v) => out.extend(v.iter().flat_map(|x| x.to_le_bytes())),
            IpcPart::UInt8(v) => out.extend_from_slice(v),
        }
    }
}

/// The bytes of parts read one after the other.
pub fn concat(parts: &[IpcPart]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(IpcPart::len).sum());
    for part in parts {
        part.write_to(&mut out);
    }
    out
}

/// Writes one IPC stream.
#[derive(Debug)]
pub struct StreamWriter<'a> {
    /// The stream so far, as parts: a record batch's body keeps the parts it was
    /// written as (a million customers' table is tens of megabytes; the boundary copies
    /// the parts out of wasm once).
    parts: Vec<IpcPart<'a>>,
    /// The part being written (headers and small bodies).
    out: Vec<u8>,
}

impl<'a> StreamWriter<'a> {
    /// Starts a stream with the schema message; fails on a type this writer lacks.
    pub fn new(schema: &Schema) -> Result<Self, String> {
        let fields = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| field(i, f))
            .collect::<Result<Vec<_>, _>>()?;
        let mut writer = StreamWriter {
            parts: Vec::new(),
            out: Vec::new(),
        };
        writer.message(
            SCHEMA,
            Object(vec![(1, Value::Tables(fields))]),
            BatchWriter::new(0),
        );
        Ok(writer)
    }

    /// Writes the dictionary of column `column` (every label, in code order).
    pub fn dictionary<S: AsRef<str>>(&mut self, column: usize, labels: &[S]) {
        let mut values = BatchWriter::new(labels.len());
        values.utf8(labels.iter().map(AsRef::as_ref));
        let header = Object(vec![
            (0, Value::I64(column as i64)),
            (1, Value::Table(values.header())),
        ]);
        self.message(DICTIONARY_BATCH, header, values);
    }

    /// Writes a record batch; its body's parts follow its header.
    pub fn batch(&mut self, batch: BatchWriter<'a>) {
        self.message_with_length(RECORD_BATCH, batch.header(), batch.body_len());
        // The header just written announced this body's length.
        let header_part = std::mem::take(&mut self.out);
        self.parts.push(IpcPart::Bytes(header_part));
        self.parts.extend(batch.into_parts());
    }

    /// Ends the stream (the end-of-stream marker) and returns its bytes.
    pub fn finish(self) -> Vec<u8> {
        concat(&self.finish_parts())
    }

    /// Ends the stream and returns its bytes as parts to be read one after the other.
    pub fn finish_parts(mut self) -> Vec<IpcPart<'a>> {
        self.out
            .extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);
        self.parts.push(IpcPart::Bytes(self.out));
        self.parts.retain(|p| !p.is_empty());
        self.parts
    }

    fn message(&mut self, header_type: u8, header: Object, body: BatchWriter) {
        self.message_with_length(header_type, header, body.body_len());
        for part in body.into_parts() {
            part.write_to(&mut self.out);
        }
    }

    /// The message's continuation marker, metadata length and metadata, announcing a
    /// body of `body_len` bytes that the caller writes next.
    fn message_with_length(&mut self, header_type: u8, header: Object, body_len: usize) {
        let meta = finish(&Object(vec![
            (0, Value::I16(VERSION)),
            (1, Value::U8(header_type)),
            (2, Value::Table(header)),
            (3, Value::I64(body_len as i64)),
        ]));
        // Continuation marker, metadata length (a multiple of 8, so the body that
        // follows stays 8-byte aligned), metadata.
        self.out.extend_from_slice(&[0xFF; 4]);
        self.out
            .extend_from_slice(&(meta.len() as u32).to_le_bytes());
        self.out.extend_from_slice(&meta);
    }
}

/// The schema `Field` table of column `index`.
fn field(index: usize, f: &Field) -> Result<Object, String> {
    let int = |bits: i32, signed: bool| {
        Object(vec![
            (0, Value::I32(bits)),
            (1, Value::U8(u8::from(signed))),
        ])
    };
    // (Type union tag, type table) of Schema.fbs.
    let value_type = |t: &DataType| -> Result<(u8, Object), String> {
        Ok(match t {
            DataType::Int64 => (2, int(64, true)),
            DataType::UInt32 => (2, int(32, false)),
            DataType::UInt8 => (2, int(8, false)),
            DataType::Float64 => (3, Object(vec![(0, Value::I16(2))])),
            DataType::Utf8 => (5, Object::default()),
            DataType::Boolean => (6, Object::default()),
            DataType::Timestamp(unit, tz) => {
                let unit = match unit {
                    TimeUnit::Second => 0,
                    TimeUnit::Millisecond => 1,
                    TimeUnit::Microsecond => 2,
                    TimeUnit::Nanosecond => 3,
                };
                let mut t = vec![(0, Value::I16(unit))];
                if let Some(tz) = tz {
                    t.push((1, Value::Str(tz.to_string())));
                }
                (10, Object(t))
            }
            t => return Err(format!("cannot write columns of type {t}")),
        })
    };
    let mut table = vec![
        (0, Value::Str(f.name().clone())),
        (1, Value::U8(u8::from(f.is_nullable()))),
    ];
    let (tag, type_table) = match f.data_type() {
        DataType::Dictionary(key, values) if matches!(**key, DataType::Int8 | DataType::Int32) => {
            let bits = if **key == DataType::Int8 { 8 } else { 32 };
            table.push((
                4,
                Value::Table(Object(vec![
                    (0, Value::I64(index as i64)),
                    (1, Value::Table(int(bits, true))),
                ])),
            ));
            value_type(values)?
        }
        t => value_type(t)?,
    };
    table.push((2, Value::U8(tag)));
    table.push((3, Value::Table(type_table)));
    // Verifying readers (arrow C++) insist on a children vector, even an empty one.
    table.push((5, Value::Tables(Vec::new())));
    Ok(Object(table))
}

/// The columns of one record batch, added in schema order.
#[derive(Debug)]
pub struct BatchWriter<'a> {
    rows: usize,
    /// The body before `body`: bytes written and columns lent.
    parts: Vec<IpcPart<'a>>,
    /// The length of `parts`, bytes.
    parts_len: usize,
    /// The body being written after `parts`.
    body: Vec<u8>,
    nodes: Vec<u8>,
    buffers: Vec<u8>,
}

impl<'a> BatchWriter<'a> {
    /// An empty batch of `rows` rows.
    pub fn new(rows: usize) -> Self {
        BatchWriter {
            rows,
            parts: Vec::new(),
            parts_len: 0,
            body: Vec::new(),
            nodes: Vec::new(),
            buffers: Vec::new(),
        }
    }

    /// Makes room for `bytes` more bytes of body, so that the columns are not copied
    /// again each time it grows.
    pub fn reserve(&mut self, bytes: usize) {
        self.body.reserve(bytes);
    }

    /// The body's length so far, bytes.
    fn body_len(&self) -> usize {
        self.parts_len + self.body.len()
    }

    /// The body as parts.
    fn into_parts(mut self) -> Vec<IpcPart<'a>> {
        self.parts.push(IpcPart::Bytes(self.body));
        self.parts
    }

    fn header(&self) -> Object {
        Object(vec![
            (0, Value::I64(self.rows as i64)),
            (
                1,
                Value::Structs8(self.nodes.clone(), self.nodes.len() / 16),
            ),
            (
                2,
                Value::Structs8(self.buffers.clone(), self.buffers.len() / 16),
            ),
        ])
    }

    /// Records a buffer of `len` bytes at `offset` of the body.
    fn buffer_at(&mut self, offset: usize, len: usize) {
        self.buffers
            .extend_from_slice(&(offset as i64).to_le_bytes());
        self.buffers.extend_from_slice(&(len as i64).to_le_bytes());
    }

    /// Appends a buffer to the body, padded to 8 bytes.
    fn buffer(&mut self, bytes: &[u8]) {
        let offset = self.body_len();
        self.body.extend_from_slice(bytes);
        self.pad();
        self.buffer_at(offset, bytes.len());
    }

    /// Appends a column's values as they are (no copy), padded to 8 bytes.
    fn lend(&mut self, part: IpcPart<'a>) {
        let (offset, len) = (self.body_len(), part.len());
        let written = std::mem::take(&mut self.body);
        self.parts_len += written.len() + len;
        self.parts.push(IpcPart::Bytes(written));
        self.parts.push(part);
        self.pad();
        self.buffer_at(offset, len);
    }

    /// Zeros up to the next multiple of 8 bytes of the body (lent parts can end anywhere).
    fn pad(&mut self) {
        let len = self.body_len();
        self.body
            .resize(self.body.len() + len.next_multiple_of(8) - len, 0);
    }

    /// The field node of a column of `len` values, `nulls` of them null.
    fn node(&mut self, len: usize, nulls: usize) {
        self.nodes.extend_from_slice(&(len as i64).to_le_bytes());
        self.nodes.extend_from_slice(&(nulls as i64).to_le_bytes());
    }

    /// The field node and (zero-length) validity buffer of a column without nulls.
    fn all_valid(&mut self, len: usize) {
        self.node(len, 0);
        self.buffer(&[]);
    }

    /// The field node and validity bitmap of a column: no bitmap (a zero-length buffer)
    /// when nothing is null, which is the usual case and is found by counting first.
    fn validity<T>(&mut self, values: &[T], valid: impl Fn(&T) -> bool) {
        let nulls = values.iter().filter(|v| !valid(v)).count();
        if nulls == 0 {
            self.all_valid(values.len());
            return;
        }
        self.node(values.len(), nulls);
        self.buffer(&bitmap(values, valid));
    }

    /// Appends a buffer of `values` fixed-width values written by `bytes`, padded to
    /// 8 bytes: straight into the body (a column can be tens of megabytes, so no
    /// intermediate copy), in a loop the compiler turns into wide stores.
    fn values<T: Copy, const W: usize>(&mut self, values: &[T], bytes: impl Fn(T) -> [u8; W]) {
        let (offset, at) = (self.body_len(), self.body.len());
        let len = values.len() * W;
        self.body.resize(at + len, 0);
        self.pad();
        let (chunks, _) = self.body[at..at + len].as_chunks_mut::<W>();
        for (out, &v) in chunks.iter_mut().zip(values) {
            // An array store, not a call to memcpy per value (as wasm has it at "s").
            *out = bytes(v);
        }
        self.buffer_at(offset, len);
    }

    /// An int64 column.
    pub fn int64(&mut self, values: &'a [i64]) {
        self.all_valid(values.len());
        self.lend(IpcPart::Int64(values));
    }

    /// A uint32 column.
    pub fn uint32(&mut self, values: &'a [u32]) {
        self.all_valid(values.len());
        self.lend(IpcPart::UInt32(values));
    }

    /// A uint8 column.
    pub fn uint8(&mut self, values: &'a [u8]) {
        self.all_valid(values.len());
        self.lend(IpcPart::UInt8(values));
    }

    /// A float64 column; values that are not finite are written as null (and the
    /// column copied, with zeros in their place; lent as it is when all are finite).
    pub fn float64(&mut self, values: &'a [f64]) {
        if values.iter().all(|v| v.is_finite()) {
            self.all_valid(values.len());
            self.lend(IpcPart::Float64(values));
            return;
        }
        self.validity(values, |v| v.is_finite());
        self.values(values, |v| {
            if v.is_finite() { v } else { 0.0 }.to_le_bytes()
        });
    }

    /// A bool column.
    pub fn bool(&mut self, values: &[bool]) {
        self.all_valid(values.len());
        self.buffer(&bitmap(values, |&v| v));
    }

    /// An int64 column of `f` of each value (no nulls), without an intermediate list.
    pub fn int64_of<T: Copy>(&mut self, values: &[T], f: impl Fn(T) -> i64) {
        self.all_valid(values.len());
        self.values(values, |v| f(v).to_le_bytes());
    }

    /// A timestamp(ms) column from epoch microseconds; `null` marks nulls.
    pub fn timestamp_ms(&mut self, micros: &[i64], null: i64) {
        self.validity(micros, |&t| t != null);
        self.values(micros, |t| {
            if t == null { 0 } else { t.div_euclid(1_000) }.to_le_bytes()
        });
    }

    /// A utf8 column.
    pub fn utf8<'s>(&mut self, values: impl ExactSizeIterator<Item = &'s str>) {
        let len = values.len();
        self.all_valid(len);
        let mut offsets = Vec::with_capacity(4 * (len + 1));
        let mut data = Vec::new();
        offsets.extend_from_slice(&0i32.to_le_bytes());
        for s in values {
            data.extend_from_slice(s.as_bytes());
            offsets.extend_from_slice(&(data.len() as i32).to_le_bytes());
        }
        self.buffer(&offsets);
        self.buffer(&data);
    }

    /// The keys (`key`: Int8 or Int32) of a dictionary column of `labels` values; `null`
    /// marks nulls.
    /// Fails if a code is not a label.
    pub fn dictionary_keys(
        &mut self,
        codes: &[u32],
        null: u32,
        labels: usize,
        key: DataType,
    ) -> Result<(), String> {
        if let Some(bad) = codes.iter().find(|&&c| c != null && c as usize >= labels) {
            return Err(format!(
                "category code {bad} has no label (there are {labels})"
            ));
        }
        self.validity(codes, |&c| c != null);
        let key_of = |c: u32| if c == null { 0 } else { c };
        match key {
            DataType::Int8 if labels <= 128 => self.values(codes, |c| [key_of(c) as u8]),
            DataType::Int32 => self.values(codes, |c| (key_of(c) as i32).to_le_bytes()),
            other => return Err(format!("cannot write dictionary keys of type {other}")),
        }
        Ok(())
    }
}

/// Arrow's bit-packed layout (least significant bit first) of `bit` of each value: a
/// validity bitmap or a boolean column's values.
fn bitmap<T>(values: &[T], bit: impl Fn(&T) -> bool) -> Vec<u8> {
    values
        .chunks(8)
        .map(|chunk| {
            chunk
                .iter()
                .enumerate()
                .fold(0, |byte, (i, v)| byte | u8::from(bit(v)) << i)
        })
        .collect()
}
