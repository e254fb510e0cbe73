//! Arrow IPC bytes (stream or file format) -> schema and record batches.
//!
//! Streams are decoded zero-copy from the caller's buffer; files go through the footer.

use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_buffer::Buffer;
use arrow_ipc::reader::{FileReader, StreamDecoder};
use arrow_schema::SchemaRef;

use crate::data::ipc_check;
use crate::data::mapping::IpcFormat;
use crate::error::{InsituError, Result};

/// Magic bytes at the start (and end) of an Arrow IPC file.
const FILE_MAGIC: &[u8; 6] = b"ARROW1";

/// A decoded table: its schema and batches (possibly none).
#[derive(Debug, Clone)]
pub struct DecodedTable {
    /// The schema of every batch.
    pub schema: SchemaRef,
    /// The record batches, in order.
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
        IpcFormat::File => {
            ipc_check::check_file(&bytes).map_err(invalid)?;
            decode_file(&bytes).map_err(invalid)
        }
        _ => {
            ipc_check::check_stream(&bytes).map_err(invalid)?;
            decode_stream(bytes).map_err(invalid)
        }
    }
}

fn decode_stream(bytes: Vec<u8>) -> Result<DecodedTable, String> {
    let mut buffer = Buffer::from_vec(bytes);
    let mut decoder = StreamDecoder::new();
    let mut batches = Vec::new();
    while !buffer.is_empty() {
        let before = buffer.len();
        match decoder.decode(&mut buffer) {
            Ok(Some(batch)) => batches.push(batch),
            Ok(None) => {
                // The decoder consumes at least one byte per call unless it has reached
                // the end-of-stream marker; guard against spinning on trailing bytes.
                if buffer.len() == before {
                    break;
                }
            }
            Err(e) => return Err(e.to_string()),
        }
    }
    decoder
        .finish()
        .map_err(|e| format!("{e} (the bytes end in the middle of a message: truncated?)"))?;
    let schema = decoder
        .schema()
        .ok_or_else(|| "the stream has no schema message".to_owned())?;
    Ok(DecodedTable { schema, batches })
}

fn decode_file(bytes: &[u8]) -> Result<DecodedTable, String> {
    if bytes.len() < 2 * FILE_MAGIC.len() + 4
        || &bytes[bytes.len() - FILE_MAGIC.len()..] != FILE_MAGIC
    {
        return Err("the Arrow IPC file is truncated (its closing ARROW1 magic is missing)".into());
    }
    let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(|e| e.to_string())?;
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(DecodedTable { schema, batches })
}
