//! A minimal, bounds-checked reader for the flatbuffers Arrow IPC metadata is made of.
//!
//! Only what the IPC reader needs: tables with vtables, scalar fields, strings, unions,
//! and vectors of tables or of fixed-size structs. Every read checks its bounds and
//! returns an error instead of panicking, because the bytes come from the user.

/// A read failure; the IPC reader adds which message it was reading.
pub type FbResult<T> = Result<T, String>;

fn corrupt<T>() -> FbResult<T> {
    Err("corrupt metadata (an offset points outside the message)".to_owned())
}

/// Reads `N` bytes at `at`, or fails.
fn bytes_at<const N: usize>(buf: &[u8], at: usize) -> FbResult<[u8; N]> {
    match buf.get(at..at.wrapping_add(N)) {
        Some(b) if at.checked_add(N).is_some() => {
            let mut out = [0u8; N];
            out.copy_from_slice(b);
            Ok(out)
        }
        _ => corrupt(),
    }
}

/// A little-endian `u32` at `at`.
pub fn read_u32(buf: &[u8], at: usize) -> FbResult<u32> {
    bytes_at::<4>(buf, at).map(u32::from_le_bytes)
}

/// A little-endian `i32` at `at`.
pub fn read_i32(buf: &[u8], at: usize) -> FbResult<i32> {
    bytes_at::<4>(buf, at).map(i32::from_le_bytes)
}

/// A little-endian `i64` at `at`.
pub fn read_i64(buf: &[u8], at: usize) -> FbResult<i64> {
    bytes_at::<8>(buf, at).map(i64::from_le_bytes)
}

fn read_u16(buf: &[u8], at: usize) -> FbResult<u16> {
    bytes_at::<2>(buf, at).map(u16::from_le_bytes)
}

/// Follows the unsigned offset stored at `at` (offsets are relative to where they sit).
fn follow(buf: &[u8], at: usize) -> FbResult<usize> {
    let off = read_u32(buf, at)? as usize;
    match at.checked_add(off) {
        Some(p) if p < buf.len() => Ok(p),
        _ => corrupt(),
    }
}

/// A table: a position in the buffer and its vtable.
#[derive(Debug, Clone, Copy)]
pub struct Table<'a> {
    buf: &'a [u8],
    pos: usize,
    vtable: usize,
    vtable_len: usize,
}

impl<'a> Table<'a> {
    /// The root table of a flatbuffer.
    pub fn root(buf: &'a [u8]) -> FbResult<Self> {
        Self::at(buf, follow(buf, 0)?)
    }

    fn at(buf: &'a [u8], pos: usize) -> FbResult<Self> {
        let soffset = i64::from(read_i32(buf, pos)?);
        let vtable = usize::try_from(pos as i64 - soffset).or_else(|_| corrupt())?;
        let vtable_len = usize::from(read_u16(buf, vtable)?);
        if vtable_len < 4 || vtable.checked_add(vtable_len).is_none_or(|e| e > buf.len()) {
            return corrupt();
        }
        Ok(Table {
            buf,
            pos,
            vtable,
            vtable_len,
        })
    }

    /// Absolute position of field `slot`, or `None` when the field is absent.
    fn field(&self, slot: usize) -> FbResult<Option<usize>> {
        let entry = 4 + 2 * slot;
        if entry + 2 > self.vtable_len {
            return Ok(None);
        }
        let off = usize::from(read_u16(self.buf, self.vtable + entry)?);
        Ok((off != 0).then_some(self.pos + off))
    }

    /// A `u8` (or bool, or union type) field.
    pub fn u8(&self, slot: usize, default: u8) -> FbResult<u8> {
        match self.field(slot)? {
            Some(p) => bytes_at::<1>(self.buf, p).map(|b| b[0]),
            None => Ok(default),
        }
    }

    /// A bool field.
    pub fn bool(&self, slot: usize) -> FbResult<bool> {
        Ok(self.u8(slot, 0)? != 0)
    }

    /// An `i16` (enum) field.
    pub fn i16(&self, slot: usize, default: i16) -> FbResult<i16> {
        match self.field(slot)? {
            Some(p) => bytes_at::<2>(self.buf, p).map(i16::from_le_bytes),
            None => Ok(default),
        }
    }

    /// An `i32` field.
    pub fn i32(&self, slot: usize, default: i32) -> FbResult<i32> {
        match self.field(slot)? {
            Some(p) => read_i32(self.buf, p),
            None => Ok(default),
        }
    }

    /// An `i64` field.
    pub fn i64(&self, slot: usize, default: i64) -> FbResult<i64> {
        match self.field(slot)? {
            Some(p) => read_i64(self.buf, p),
            None => Ok(default),
        }
    }

    /// A sub-table field (also a union's value).
    pub fn table(&self, slot: usize) -> FbResult<Option<Table<'a>>> {
        match self.field(slot)? {
            Some(p) => Table::at(self.buf, follow(self.buf, p)?).map(Some),
            None => Ok(None),
        }
    }

    /// A string field.
    pub fn str(&self, slot: usize) -> FbResult<Option<&'a str>> {
        let Some((start, len)) = self.vector(slot, 1)? else {
            return Ok(None);
        };
        std::str::from_utf8(&self.buf[start..start + len])
            .map(Some)
            .map_err(|_| "a name in the metadata is not valid UTF-8".to_owned())
    }

    /// The start and element count of a vector field whose elements are `width` bytes.
    fn vector(&self, slot: usize, width: usize) -> FbResult<Option<(usize, usize)>> {
        let Some(p) = self.field(slot)? else {
            return Ok(None);
        };
        let at = follow(self.buf, p)?;
        let len = read_u32(self.buf, at)? as usize;
        let start = at + 4;
        match len
            .checked_mul(width)
            .and_then(|bytes| start.checked_add(bytes))
        {
            Some(end) if end <= self.buf.len() => Ok(Some((start, len))),
            _ => corrupt(),
        }
    }

    /// A vector of tables (empty when absent).
    pub fn tables(&self, slot: usize) -> FbResult<Vec<Table<'a>>> {
        let Some((start, len)) = self.vector(slot, 4)? else {
            return Ok(Vec::new());
        };
        (0..len)
            .map(|i| Table::at(self.buf, follow(self.buf, start + 4 * i)?))
            .collect()
    }

    /// A vector of structs of `width` bytes each, as byte slices (empty when absent).
    pub fn structs(&self, slot: usize, width: usize) -> FbResult<Vec<&'a [u8]>> {
        let Some((start, len)) = self.vector(slot, width)? else {
            return Ok(Vec::new());
        };
        Ok(self.buf[start..start + len * width]
            .chunks_exact(width)
            .collect())
    }
}
