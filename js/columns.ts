/**
 * Arrow columns built directly from their buffers. apache-arrow's own builders
 * (`vectorFromArray`, `tableFromArrays` on JS arrays) compile code with `new Function`,
 * which a strict Content-Security-Policy (no `unsafe-eval`) blocks; these do not.
 */
import { Bool, Dictionary, Float64, Int32, Int64, TimestampMillisecond, Utf8, makeData, makeVector, type Vector } from "apache-arrow";

type Cells<T> = ArrayLike<T | null | undefined>;

function validity<T>(cells: Cells<T>): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(cells.length / 8));
  let nullCount = 0;
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === null || cells[i] === undefined) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  }
  return { nullBitmap, nullCount };
}

/**
 * An int64 column from numbers or bigints (null for missing).
 *
 * @example
 * ```ts
 * const ids = int64Column([1, 2, null]);
 * ```
 */
export function int64Column(cells: Cells<number | bigint>): Vector<Int64> {
  const data = BigInt64Array.from({ length: cells.length }, (_, i) => {
    const v = cells[i];
    return v === null || v === undefined ? 0n : BigInt(v);
  });
  return makeVector(makeData({ type: new Int64(), length: cells.length, data, ...validity(cells) }));
}

/**
 * A float64 column (null for missing).
 *
 * @example
 * ```ts
 * const amounts = float64Column([9.5, null, 120]);
 * ```
 */
export function float64Column(cells: Cells<number>): Vector<Float64> {
  const data = Float64Array.from({ length: cells.length }, (_, i) => cells[i] ?? 0);
  return makeVector(makeData({ type: new Float64(), length: cells.length, data, ...validity(cells) }));
}

/**
 * A timestamp(ms, UTC) column from epoch milliseconds (null for missing).
 *
 * @example
 * ```ts
 * const ts = timestampColumn([Date.UTC(2024, 0, 1), null]);
 * ```
 */
export function timestampColumn(cells: Cells<number>): Vector<TimestampMillisecond> {
  const data = BigInt64Array.from({ length: cells.length }, (_, i) => BigInt(Math.trunc(cells[i] ?? 0)));
  return makeVector(
    makeData({ type: new TimestampMillisecond("UTC"), length: cells.length, data, ...validity(cells) }),
  );
}

function utf8Data(cells: Cells<string>) {
  const encoder = new TextEncoder();
  const encoded = Array.from({ length: cells.length }, (_, i) => encoder.encode(cells[i] ?? ""));
  const valueOffsets = new Int32Array(cells.length + 1);
  for (let i = 0; i < encoded.length; i++) valueOffsets[i + 1] = valueOffsets[i]! + encoded[i]!.length;
  const data = new Uint8Array(valueOffsets[cells.length]!);
  encoded.forEach((bytes, i) => data.set(bytes, valueOffsets[i]!));
  return makeData({ type: new Utf8(), length: cells.length, valueOffsets, data, ...validity(cells) });
}

/**
 * A utf8 column (null for missing).
 *
 * @example
 * ```ts
 * const names = utf8Column(["visit", "purchase"]);
 * ```
 */
export function utf8Column(cells: Cells<string>): Vector<Utf8> {
  return makeVector(utf8Data(cells));
}

/**
 * A dictionary<int32, utf8> column: compact when values repeat (event names, sources).
 *
 * @example
 * ```ts
 * const events = dictionaryColumn(["visit", "visit", "purchase"]);
 * ```
 */
export function dictionaryColumn(cells: Cells<string>): Vector<Dictionary<Utf8, Int32>> {
  const codes = new Map<string, number>();
  const keys = new Int32Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const v = cells[i];
    if (v === null || v === undefined) continue;
    let code = codes.get(v);
    if (code === undefined) {
      code = codes.size;
      codes.set(v, code);
    }
    keys[i] = code;
  }
  const dictionary = makeVector(utf8Data([...codes.keys()]));
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: cells.length, data: keys, dictionary, ...validity(cells) }));
}

/**
 * A boolean column (null for missing).
 *
 * @example
 * ```ts
 * const vip = boolColumn([true, false, null]);
 * ```
 */
export function boolColumn(cells: Cells<boolean>): Vector<Bool> {
  const data = new Uint8Array(Math.ceil(cells.length / 8));
  for (let i = 0; i < cells.length; i++) if (cells[i]) data[i >> 3]! |= 1 << (i & 7);
  return makeVector(makeData({ type: new Bool(), length: cells.length, data, ...validity(cells) }));
}
