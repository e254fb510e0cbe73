//! A minimal flatbuffer writer for the Arrow IPC metadata this crate writes.
//!
//! Objects are described as a small tree and laid out front to back: each table's
//! vtable, then the table, then the objects it points to (flatbuffer offsets must point
//! forward). Every scalar, vector and table is aligned as verifying readers
//! (arrow C++ in DuckDB) require, relative to the buffer start, which the IPC framing
//! keeps 8-byte aligned.

/// A field value of a table.
#[derive(Debug, Clone)]
pub enum Value {
    /// A `u8` or bool (and union type tags).
    U8(u8),
    /// An `i16` (enums).
    I16(i16),
    /// An `i32`.
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// A string.
    Str(String),
    /// A sub-table (or a union's value).
    Table(Object),
    /// A vector of tables.
    Tables(Vec<Object>),
    /// A vector of structs whose fields are all 8 bytes wide, as raw bytes.
    Structs8(Vec<u8>, usize),
}

/// A table: (slot, value) pairs; slots not listed are absent.
#[derive(Debug, Clone, Default)]
pub struct Object(pub Vec<(u16, Value)>);

impl Value {
    /// Size of the value inline in its table (offsets are 4 bytes).
    fn inline_size(&self) -> usize {
        match self {
            Value::U8(_) => 1,
            Value::I16(_) => 2,
            Value::I64(_) => 8,
            _ => 4,
        }
    }
}

/// Pads `buf` with zeros until `(buf.len() + phase) % align == 0`.
fn pad(buf: &mut Vec<u8>, align: usize, phase: usize) {
    while !(buf.len() + phase).is_multiple_of(align) {
        buf.push(0);
    }
}

fn patch(buf: &mut [u8], slot: usize, target: usize) {
    let rel = (target - slot) as u32;
    buf[slot..slot + 4].copy_from_slice(&rel.to_le_bytes());
}

/// The flatbuffer bytes of `root`, padded to a multiple of 8.
pub fn finish(root: &Object) -> Vec<u8> {
    let mut buf = vec![0u8; 4];
    let pos = write_table(&mut buf, root);
    patch(&mut buf, 0, pos);
    pad(&mut buf, 8, 0);
    buf
}

fn write_table(buf: &mut Vec<u8>, obj: &Object) -> usize {
    // Inline layout: the vtable offset, then fields from widest to narrowest so each
    // is aligned when the table starts 4 bytes before an 8-byte boundary.
    let mut order: Vec<usize> = (0..obj.0.len()).collect();
    crate::sorting::sort_by_key(&mut order, &|&i| {
        std::cmp::Reverse(obj.0[i].1.inline_size())
    });
    let mut inline_at = vec![0usize; obj.0.len()];
    let mut size = 4;
    for &i in &order {
        inline_at[i] = size;
        size += obj.0[i].1.inline_size();
    }
    let slots = obj
        .0
        .iter()
        .map(|(s, _)| *s as usize + 1)
        .max()
        .unwrap_or(0);

    pad(buf, 2, 0);
    let vtable = buf.len();
    buf.extend_from_slice(&((4 + 2 * slots) as u16).to_le_bytes());
    buf.extend_from_slice(&(size as u16).to_le_bytes());
    let mut entries = vec![0u16; slots];
    for (i, (slot, _)) in obj.0.iter().enumerate() {
        entries[*slot as usize] = inline_at[i] as u16;
    }
    for e in entries {
        buf.extend_from_slice(&e.to_le_bytes());
    }

    pad(buf, 8, 4);
    let table = buf.len();
    buf.extend_from_slice(&((table - vtable) as i32).to_le_bytes());
    buf.resize(table + size, 0);
    for (i, (_, value)) in obj.0.iter().enumerate() {
        let at = table + inline_at[i];
        match value {
            Value::U8(v) => buf[at] = *v,
            Value::I16(v) => buf[at..at + 2].copy_from_slice(&v.to_le_bytes()),
            Value::I32(v) => buf[at..at + 4].copy_from_slice(&v.to_le_bytes()),
            Value::I64(v) => buf[at..at + 8].copy_from_slice(&v.to_le_bytes()),
            _ => {}
        }
    }
    // The objects the table points to, after it.
    for (i, (_, value)) in obj.0.iter().enumerate() {
        let slot = table + inline_at[i];
        let target = match value {
            Value::Str(s) => {
                pad(buf, 4, 0);
                let at = buf.len();
                buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
                buf.extend_from_slice(s.as_bytes());
                buf.push(0);
                at
            }
            Value::Table(t) => write_table(buf, t),
            Value::Tables(ts) => {
                pad(buf, 4, 0);
                let at = buf.len();
                buf.extend_from_slice(&(ts.len() as u32).to_le_bytes());
                buf.resize(at + 4 + 4 * ts.len(), 0);
                for (j, t) in ts.iter().enumerate() {
                    let pos = write_table(buf, t);
                    patch(buf, at + 4 + 4 * j, pos);
                }
                at
            }
            Value::Structs8(bytes, count) => {
                pad(buf, 8, 4);
                let at = buf.len();
                buf.extend_from_slice(&(*count as u32).to_le_bytes());
                buf.extend_from_slice(bytes);
                at
            }
            _ => continue,
        };
        patch(buf, slot, target);
    }
    table
}
