//! A structural check of IPC bytes before arrow-ipc decodes them.
//!
//! arrow-ipc trusts the buffer offsets and lengths in each message's metadata and panics
//! (slicing out of bounds) when they point past the message body. In wasm a panic kills
//! the instance and the user's loaded data, so corrupted bytes are caught here first.

use arrow_ipc::{
    root_as_footer, root_as_message, DateUnit, Field, IntervalUnit, MessageHeader, Precision,
    Schema, Type,
};

/// Checks the messages of an IPC stream. Truncation is left for the decoder to report.
pub fn check_stream(bytes: &[u8]) -> Result<(), String> {
    let mut pos = 0usize;
    let mut schema: Option<Schema> = None;
    while pos < bytes.len() {
        let Some((meta_start, meta_len)) = message_prefix(bytes, pos) else {
            return Ok(());
        };
        if meta_len == 0 {
            return Ok(());
        }
        let Some(meta) = bytes.get(meta_start..meta_start + meta_len) else {
            return Ok(());
        };
        if (meta_start + meta_len) % 8 != 0 {
            return Err("a message body does not start on an 8-byte boundary (the metadata is not padded as the IPC format requires)".into());
        }
        let body_len = check_message(meta, &mut schema)?;
        pos = meta_start
            .checked_add(meta_len)
            .and_then(|p| p.checked_add(body_len))
            .ok_or("a message body length overflows")?;
    }
    Ok(())
}

/// Checks the footer and every block of an IPC file.
pub fn check_file(bytes: &[u8]) -> Result<(), String> {
    let n = bytes.len();
    if n < 10 {
        return Err("the file is too short".into());
    }
    let footer_len = i32::from_le_bytes([bytes[n - 10], bytes[n - 9], bytes[n - 8], bytes[n - 7]]);
    let footer_len = usize::try_from(footer_len).map_err(|_| "negative footer length")?;
    let footer_start = n
        .checked_sub(10 + footer_len)
        .ok_or("the footer length is larger than the file")?;
    let footer = root_as_footer(&bytes[footer_start..n - 10])
        .map_err(|e| format!("unreadable footer: {e}"))?;
    let mut schema = footer.schema();
    if let Some(s) = &schema {
        check_schema(s)?;
    }
    let blocks = footer
        .dictionaries()
        .into_iter()
        .flatten()
        .chain(footer.recordBatches().into_iter().flatten());
    for block in blocks {
        let start = usize::try_from(block.offset()).map_err(|_| "negative block offset")?;
        let meta_total =
            usize::try_from(block.metaDataLength()).map_err(|_| "negative metadata length")?;
        let body_len = usize::try_from(block.bodyLength()).map_err(|_| "negative body length")?;
        let end = start
            .checked_add(meta_total)
            .and_then(|e| e.checked_add(body_len))
            .ok_or("a block length overflows")?;
        if end > footer_start {
            return Err("a record batch block points past the end of the data".into());
        }
        if meta_total < 8 {
            return Err("a block's metadata is too short".into());
        }
        let (meta_start, meta_len) =
            message_prefix(bytes, start).ok_or("a block has no message prefix")?;
        let meta = bytes
            .get(meta_start..meta_start + meta_len)
            .filter(|_| meta_start + meta_len <= start + meta_total)
            .ok_or("a message is longer than its block")?;
        if (start + meta_total) % 8 != 0 {
            return Err("a record batch body does not start on an 8-byte boundary".into());
        }
        let declared_body = check_message(meta, &mut schema)?;
        if declared_body > body_len {
            return Err("a message body is longer than its block".into());
        }
    }
    Ok(())
}

/// The start and length of the metadata flatbuffer of the message at `pos`.
fn message_prefix(bytes: &[u8], pos: usize) -> Option<(usize, usize)> {
    let word = |at: usize| -> Option<u32> {
        let b = bytes.get(at..at + 4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let first = word(pos)?;
    if first == 0xFFFF_FFFF {
        Some((pos + 8, word(pos + 4)? as usize))
    } else {
        // Pre-1.0 streams have no continuation marker.
        Some((pos + 4, first as usize))
    }
}

/// Checks that every buffer of a batch message lies inside its body and fits the
/// layout its schema implies; returns the body length. A schema message is remembered.
fn check_message<'a>(meta: &'a [u8], schema: &mut Option<Schema<'a>>) -> Result<usize, String> {
    let message = root_as_message(meta).map_err(|e| format!("unreadable message: {e}"))?;
    let body_len = usize::try_from(message.bodyLength()).map_err(|_| "negative body length")?;
    if let Some(s) = message.header_as_schema() {
        check_schema(&s)?;
        *schema = Some(s);
    }
    // The fields whose buffers the batch holds, in order.
    let mut layout: Vec<Field> = Vec::new();
    let batch = match message.header_type() {
        MessageHeader::RecordBatch => {
            layout.extend(schema.and_then(|s| s.fields()).into_iter().flatten());
            message.header_as_record_batch()
        }
        MessageHeader::DictionaryBatch => {
            let dictionary = message.header_as_dictionary_batch();
            if let (Some(d), Some(s)) = (dictionary, *schema) {
                if let Some(f) = find_dictionary_field(s.fields().into_iter().flatten(), d.id()) {
                    layout.push(f);
                }
            }
            dictionary.and_then(|d| d.data())
        }
        _ => None,
    };
    if let Some(batch) = batch {
        let variadic: Vec<i64> = batch.variadicBufferCounts().into_iter().flatten().collect();
        let widths = buffer_widths(
            &layout,
            message.header_type() == MessageHeader::DictionaryBatch,
            &variadic,
        );
        if let Some(buffers) = batch.buffers() {
            for (buffer, width) in buffers.iter().zip(widths) {
                if width > 1 && buffer.length() % width as i64 != 0 {
                    return Err(format!(
                        "a buffer of {} bytes cannot hold values of {width} bytes",
                        buffer.length()
                    ));
                }
            }
        }
        if batch.length() < 0 {
            return Err("negative row count".into());
        }
        for buffer in batch.buffers().into_iter().flatten() {
            let offset = usize::try_from(buffer.offset()).map_err(|_| "negative buffer offset")?;
            let length = usize::try_from(buffer.length()).map_err(|_| "negative buffer length")?;
            if offset % 8 != 0 {
                return Err(format!("a buffer starts at offset {offset}, not on the 8-byte boundary the IPC format requires"));
            }
            if offset.checked_add(length).is_none_or(|end| end > body_len) {
                return Err(format!(
                    "a buffer (offset {offset}, length {length}) lies outside its message body ({body_len} bytes)"
                ));
            }
        }
        for node in batch.nodes().into_iter().flatten() {
            if node.length() < 0 || node.null_count() < 0 || node.null_count() > node.length() {
                return Err("a column has a negative or impossible length".into());
            }
        }
    }
    Ok(body_len)
}

fn find_dictionary_field<'a>(
    fields: impl Iterator<Item = Field<'a>>,
    id: i64,
) -> Option<Field<'a>> {
    for f in fields {
        if f.dictionary().is_some_and(|d| d.id() == id) {
            return Some(f);
        }
        if let Some(found) = find_dictionary_field(f.children().into_iter().flatten(), id) {
            return Some(found);
        }
    }
    None
}

/// The element width in bytes of each buffer the fields' columns hold, in IPC order
/// (1 = bytes or bits, no constraint). Stops at types whose layout it does not model,
/// leaving the rest of the buffers to the decoder.
fn buffer_widths(fields: &[Field], dictionary_values: bool, variadic: &[i64]) -> Vec<usize> {
    let mut widths = Vec::new();
    let mut variadic = variadic.iter();
    for (i, f) in fields.iter().enumerate() {
        // A dictionary batch holds the values of its field; a record batch the keys.
        let as_keys = !(dictionary_values && i == 0);
        if !push_widths(f, as_keys, &mut widths, &mut variadic) {
            break;
        }
    }
    widths
}

fn push_widths(
    f: &Field,
    dictionary_as_keys: bool,
    out: &mut Vec<usize>,
    variadic: &mut std::slice::Iter<i64>,
) -> bool {
    if dictionary_as_keys {
        if let Some(d) = f.dictionary() {
            let bits = d.indexType().map_or(32, |t| t.bitWidth());
            out.extend([1, (bits.max(8) / 8) as usize]);
            return true;
        }
    }
    let fixed = |out: &mut Vec<usize>, w: usize| {
        out.extend([1, w]);
        true
    };
    match f.type_type() {
        Type::Null => true,
        Type::Bool => fixed(out, 1),
        Type::Int => fixed(
            out,
            f.type_as_int()
                .map_or(1, |t| (t.bitWidth().max(8) / 8) as usize),
        ),
        Type::FloatingPoint => fixed(
            out,
            match f.type_as_floating_point().map(|t| t.precision()) {
                Some(Precision::HALF) => 2,
                Some(Precision::SINGLE) => 4,
                _ => 8,
            },
        ),
        Type::Decimal => fixed(
            out,
            f.type_as_decimal()
                .map_or(16, |t| (t.bitWidth().max(8) / 8) as usize),
        ),
        Type::Date => fixed(
            out,
            if f.type_as_date().is_some_and(|t| t.unit() == DateUnit::DAY) {
                4
            } else {
                8
            },
        ),
        Type::Time => fixed(
            out,
            f.type_as_time()
                .map_or(8, |t| (t.bitWidth().max(8) / 8) as usize),
        ),
        Type::Timestamp | Type::Duration => fixed(out, 8),
        Type::Interval => fixed(
            out,
            match f.type_as_interval().map(|t| t.unit()) {
                Some(IntervalUnit::YEAR_MONTH) => 4,
                Some(IntervalUnit::DAY_TIME) => 8,
                _ => 16,
            },
        ),
        Type::FixedSizeBinary => fixed(
            out,
            f.type_as_fixed_size_binary()
                .map_or(1, |t| t.byteWidth().max(1) as usize),
        ),
        Type::Utf8 | Type::Binary => {
            out.extend([1, 4, 1]);
            true
        }
        Type::LargeUtf8 | Type::LargeBinary => {
            out.extend([1, 8, 1]);
            true
        }
        Type::Utf8View | Type::BinaryView => {
            out.extend([1, 16]);
            let Some(&count) = variadic.next() else {
                return false;
            };
            out.extend(std::iter::repeat_n(
                1,
                usize::try_from(count).unwrap_or(0).min(1 << 20),
            ));
            true
        }
        Type::List | Type::Map | Type::LargeList | Type::FixedSizeList | Type::Struct_ => {
            out.push(1);
            match f.type_type() {
                Type::List | Type::Map => out.push(4),
                Type::LargeList => out.push(8),
                _ => {}
            }
            f.children()
                .into_iter()
                .flatten()
                .all(|child| push_widths(&child, true, out, variadic))
        }
        _ => false,
    }
}

/// Rejects column types that Insitu does not read and whose corrupted forms the decoder
/// does not survive.
fn check_schema(schema: &Schema) -> Result<(), String> {
    fn walk(f: Field) -> Result<(), String> {
        let unsupported = match f.type_type() {
            Type::Union => Some("union"),
            Type::RunEndEncoded => Some("run-end encoded"),
            Type::ListView | Type::LargeListView => Some("list view"),
            Type::NONE => Some("unknown"),
            _ => None,
        };
        if let Some(kind) = unsupported {
            return Err(format!(
                "column \"{}\" has a {kind} type, which Insitu does not read; drop or convert it before loading",
                f.name().unwrap_or("?")
            ));
        }
        f.children().into_iter().flatten().try_for_each(walk)
    }
    schema.fields().into_iter().flatten().try_for_each(walk)
}
