// The "raw column bytes" of a table: every Arrow buffer the columns hold (values,
// offsets, validity bitmaps, type ids, children and dictionaries), each counted once.
// This is the yardstick the peak-memory target is stated against.

/** Sum of the byte lengths of all buffers behind `table` (an apache-arrow Table). */
export function rawColumnBytes(table) {
  const seen = new Set();
  let total = 0;
  const add = (data) => {
    if (!data || seen.has(data)) return;
    seen.add(data);
    for (const buffer of [data.values, data.valueOffsets, data.nullBitmap, data.typeIds]) {
      if (buffer) total += buffer.byteLength;
    }
    for (const child of data.children ?? []) add(child);
    // Batches of one stream share their dictionary; `seen` counts it once.
    for (const dict of data.dictionary?.data ?? []) add(dict);
  };
  for (let i = 0; i < table.numCols; i++) {
    for (const data of table.getChildAt(i).data) add(data);
  }
  return total;
}
