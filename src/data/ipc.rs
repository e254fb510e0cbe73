//! Arrow IPC bytes (stream or file format) -> schema and record batches.
//!
//! A small reader of its own rather than arrow-ipc: it decodes only the types the core
//! reads, checks every offset instead of panicking on corrupt bytes, and keeps the
//! wasm binary small. Arrays are zero-copy slices of the caller's buffer. Files are
//! read through their footer's blocks; streams message by message.

use std::sync::Arc;

use arrow_array::{ArrayRef, NullArray, RecordBatch, RecordBatchOptions};
use arrow_buffer::Buffer;
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::data::flatbuf::{read_i32, read_i64, read_u32, Table};
use crate::data::ipc_arrays::{concat_values, decodable, Body, Dictionaries};
use crate::data::ipc_schema::{read_schema, ColumnSchema};
use crate::data::mapping::IpcFormat;
use crate::error::{InsituError, Result};

/// Magic bytes at the start (and end) of an Arrow IPC file.
const FILE_MAGIC: &[u8; 6] = b"ARROW1";

/// A decoded table: its schema and batches (possibly none).
#[derive(Debug, Clone)]
pub struct DecodedTable {
    /// The schema as the bytes declare it (the column types to check and report).
    pub schema: SchemaRef,
    /// The record batches, in order. Columns of types Insitu does not read are all-null
    /// placeholders (type `Null` in the batches' own schema).
    pub batches: Vec<RecordBatch>,
}

impl DecodedTable {
    /// Total number of rows over all batches.
    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// Column names, comma separated, for error messages.
    pub fn column_list(&self) -> String {
        let names: Vec<&str> = self
            .schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        if names.is_empty() {
            "(no columns)".to_owned()
        } else {
            names.join(", ")
        }
    }
}

/// Which format `bytes` are in, judged by the file magic.
pub fn detect_format(bytes: &[u8]) -> IpcFormat {
    if bytes.len() >= FILE_MAGIC.len() && &bytes[..FILE_MAGIC.len()] == FILE_MAGIC {
        IpcFormat::File
    } else {
        IpcFormat::Stream
    }
}

/// Decodes the IPC bytes of table `table`. `format` is what the caller says the bytes
/// are; `Auto` detects it.
pub fn decode(table: &str, bytes: Vec<u8>, format: IpcFormat) -> Result<DecodedTable> {
    let invalid = |detail: String| InsituError::InvalidIpc {
        table: table.to_owned(),
        detail,
    };
    if bytes.is_empty() {
        return Err(invalid(
            "no bytes (an empty buffer is not an Arrow table)".into(),
        ));
    }
    let found = detect_format(&bytes);
    match (format, found) {
        (IpcFormat::Stream, IpcFormat::File) => {
            return Err(invalid(
                "these bytes are the Arrow IPC file format, but format \"stream\" was given; \
                 pass format \"file\" or leave format out to detect it"
                    .into(),
            ))
        }
        (IpcFormat::File, IpcFormat::Stream) => {
            return Err(invalid(
                "these bytes are not the Arrow IPC file format (no ARROW1 magic), but format \
                 \"file\" was given; pass format \"stream\" or leave format out to detect it"
                    .into(),
            ))
        }
        _ => {}
    }
    match found {
        IpcFormat::File => decode_file(Buffer::from_vec(bytes)).map_err(invalid),
        _ => decode_stream(Buffer::from_vec(bytes)).map_err(invalid),
    }
}

/// Message header types (`MessageHeader` in Message.fbs).
const SCHEMA: u8 = 1;
const DICTIONARY_BATCH: u8 = 2;
const RECORD_BATCH: u8 = 3;

/// One framed message: its metadata table and where its body lies.
struct Message<'a> {
    header_type: u8,
    header: Table<'a>,
    body_start: usize,
    body_len: usize,
}

/// Reads the message at `pos`: `None` at the end-of-stream marker. Also returns the
/// position after the body.
fn message(bytes: &[u8], pos: usize) -> Result<Option<(Message<'_>, usize)>, String> {
    let truncated = || "the bytes end in the middle of a message (truncated?)".to_owned();
    let first = read_u32(bytes, pos).map_err(|_| truncated())?;
    // Since format 1.0 a message starts with 0xFFFFFFFF then the length; before, with
    // the length alone.
    let (meta_start, meta_len) = if first == 0xFFFF_FFFF {
        (pos + 8, read_u32(bytes, pos + 4).map_err(|_| truncated())?)
    } else {
        (pos + 4, first)
    };
    if meta_len == 0 {
        return Ok(None);
    }
    let meta_end = meta_start
        .checked_add(meta_len as usize)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(truncated)?;
    let meta = &bytes[meta_start..meta_end];
    let m = Table::root(meta)?;
    // MetadataVersion V4 (3) is the oldest whose layout this reader knows.
    if m.i16(0, 0)? < 3 {
        return Err(
            "the data uses a pre-1.0 Arrow format version, which Insitu does not read".into(),
        );
    }
    let body_len = usize::try_from(m.i64(3, 0)?).map_err(|_| "a negative body length")?;
    let end = meta_end
        .checked_add(body_len)
        .filter(|&e| e <= bytes.len())
        .ok_or_else(truncated)?;
    let header = m.table(2)?.ok_or("a message has no header")?;
    Ok(Some((
        Message {
            header_type: m.u8(1, 0)?,
            header,
            body_start: meta_end,
            body_len,
        },
        end,
    )))
}

/// Builds the table from messages in order: dictionaries and record batches after
/// the schema.
#[derive(Default)]
struct Assembler {
    columns: Vec<ColumnSchema>,
    schema: Option<SchemaRef>,
    /// The schema of the decoded batches: undecoded columns are `Null`.
    batch_schema: Option<SchemaRef>,
    dictionaries: Dictionaries,
    batches: Vec<RecordBatch>,
}

impl Assembler {
    fn schema(&mut self, columns: Vec<ColumnSchema>) -> Result<(), String> {
        if self.schema.is_some() {
            return Err("the stream has a second schema message".into());
        }
        let declared: Vec<Field> = columns.iter().map(|c| c.field.clone()).collect();
        let decoded: Vec<Field> = declared
            .iter()
            .map(|f| {
                if decodable(f.data_type()) {
                    f.clone()
                } else {
                    Field::new(f.name(), DataType::Null, true)
                }
            })
            .collect();
        self.schema = Some(Arc::new(Schema::new(declared)));
        self.batch_schema = Some(Arc::new(Schema::new(decoded)));
        self.columns = columns;
        Ok(())
    }

    fn message(&mut self, m: &Message, all: &Buffer) -> Result<(), String> {
        match m.header_type {
            SCHEMA => self.schema(read_schema(&m.header)?),
            DICTIONARY_BATCH => {
                let body = all.slice_with_length(m.body_start, m.body_len);
                self.dictionary(&m.header, &body)
            }
            RECORD_BATCH => {
                let body = all.slice_with_length(m.body_start, m.body_len);
                self.record_batch(&m.header, &body)
            }
            t => Err(format!(
                "a message of type {t} is not part of a table (tensors are not read)"
            )),
        }
    }

    fn dictionary(&mut self, d: &Table, body: &Buffer) -> Result<(), String> {
        if self.schema.is_none() {
            return Err("a dictionary comes before the schema".into());
        }
        let id = d.i64(0, 0)?;
        // Dictionaries of nested or undecoded columns are not needed.
        let value_type = self.columns.iter().find_map(|c| match c.field.data_type() {
            DataType::Dictionary(_, v) if c.dictionary_id == Some(id) => Some(v.as_ref()),
            _ => None,
        });
        let Some(value_type) = value_type.filter(|v| decodable(v)).cloned() else {
            return Ok(());
        };
        let data = d.table(1)?.ok_or("a dictionary message has no data")?;
        let mut layout = Body::new(&data, body)?;
        let values = layout.array(&value_type, None)?;
        let existing = self.dictionaries.iter().position(|(i, _)| *i == id);
        match existing {
            // A delta appends to the dictionary; otherwise the new one replaces it.
            Some(i) if d.bool(2)? => {
                self.dictionaries[i].1 = concat_values(&self.dictionaries[i].1, &values)?
            }
            Some(i) => self.dictionaries[i].1 = values,
            None => self.dictionaries.push((id, values)),
        }
        Ok(())
    }

    fn record_batch(&mut self, b: &Table, body: &Buffer) -> Result<(), String> {
        let Some(schema) = self.batch_schema.clone() else {
            return Err("a record batch comes before the schema".into());
        };
        let mut layout = Body::new(b, body)?;
        let rows = layout.rows;
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.columns.len());
        for c in &self.columns {
            let t = c.field.data_type();
            if !decodable(t) {
                layout.skip(t)?;
                arrays.push(Arc::new(NullArray::new(rows)));
                continue;
            }
            let dictionary = c
                .dictionary_id
                .and_then(|id| self.dictionaries.iter().find(|(i, _)| *i == id))
                .map(|(_, values)| values);
            arrays.push(layout.array(t, dictionary)?);
        }
        let options = RecordBatchOptions::new().with_row_count(Some(rows));
        let batch = RecordBatch::try_new_with_options(schema, arrays, &options)
            .map_err(|e| format!("a record batch is inconsistent: {e}"))?;
        self.batches.push(batch);
        Ok(())
    }

    fn finish(self) -> Result<DecodedTable, String> {
        let schema = self.schema.ok_or("the stream has no schema message")?;
        Ok(DecodedTable {
            schema,
            batches: self.batches,
        })
    }
}

fn decode_stream(all: Buffer) -> Result<DecodedTable, String> {
    let bytes = all.as_slice();
    let mut table = Assembler::default();
    let mut pos = 0;
    while pos < bytes.len() {
        let Some((m, next)) = message(bytes, pos)? else {
            break;
        };
        table.message(&m, &all)?;
        pos = next;
    }
    table.finish()
}

/// Size of an Arrow file's trailer: the footer length (i32) and the magic.
const TRAILER: usize = 4 + FILE_MAGIC.len();

fn decode_file(all: Buffer) -> Result<DecodedTable, String> {
    let bytes = all.as_slice();
    let n = bytes.len();
    if n < 8 + TRAILER || &bytes[n - FILE_MAGIC.len()..] != FILE_MAGIC {
        return Err("the Arrow IPC file is truncated (its closing ARROW1 magic is missing)".into());
    }
    let footer_len =
        usize::try_from(read_i32(bytes, n - TRAILER)?).map_err(|_| "a negative footer length")?;
    let footer_start = (n - TRAILER)
        .checked_sub(footer_len)
        .filter(|&s| s >= 8)
        .ok_or("the footer length is larger than the file")?;
    let data = &bytes[..footer_start];
    let footer = Table::root(&bytes[footer_start..n - TRAILER])?;
    let mut table = Assembler::default();
    table.schema(read_schema(
        &footer.table(1)?.ok_or("the file footer has no schema")?,
    )?)?;
    // Blocks: offset (i64), metadata length (i32, padded), body length (i64).
    let blocks = footer
        .structs(2, 24)?
        .into_iter()
        .map(|b| (DICTIONARY_BATCH, b));
    let blocks = blocks.chain(
        footer
            .structs(3, 24)?
            .into_iter()
            .map(|b| (RECORD_BATCH, b)),
    );
    for (kind, block) in blocks {
        let offset = usize::try_from(read_i64(block, 0)?).map_err(|_| "a negative block offset")?;
        let (m, _) =
            message(data, offset)?.ok_or("a file block points at an end-of-stream marker")?;
        if m.header_type != kind {
            return Err("a file block holds a different message than the footer says".into());
        }
        table.message(&m, &all)?;
    }
    table.finish()
}
