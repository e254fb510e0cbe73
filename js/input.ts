import { tableToIPC } from "apache-arrow";
import { InsituError } from "./errors.js";
import type { TableInput, TimeValue } from "./types.js";

/**
 * Arrow IPC bytes of a table input: bytes are passed through, `apache-arrow` tables are
 * written in the IPC stream format.
 *
 * @example
 * ```ts
 * const bytes = toIpcBytes(tableFromArrays({ customer_id: [1, 2] }), "events");
 * ```
 */
export function toIpcBytes(input: TableInput, table: string): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  // Duck-typed so tables from another copy of apache-arrow work too.
  const candidate = input as { schema?: unknown; batches?: unknown };
  if (candidate && typeof candidate === "object" && candidate.schema && Array.isArray(candidate.batches)) {
    return tableToIPC(input, "stream");
  }
  throw new InsituError(
    "bad_input",
    `${table}: expected an apache-arrow Table or Arrow IPC bytes (Uint8Array), got ${describe(input)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `an object (${(value as object).constructor?.name ?? "Object"})`;
  return typeof value;
}

/**
 * Epoch milliseconds of a time value: a number (already epoch ms), an ISO-8601 string,
 * or a `Date`. `option` names the option in the error.
 *
 * @example
 * ```ts
 * toEpochMs("2024-03-01", "from"); // 1709251200000
 * ```
 */
export function toEpochMs(value: TimeValue, option: string): number {
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else if (typeof value === "string") {
    // A bare date is UTC midnight; date-times without offset are taken as UTC too.
    const text = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value.trim())
      ? `${value.trim().replace(" ", "T")}Z`
      : value.trim();
    ms = Date.parse(text);
  } else ms = Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new InsituError(
      "bad_option",
      `option "${option}": ${JSON.stringify(value)} is not a time; use epoch milliseconds, an ISO-8601 string or a Date`,
    );
  }
  return ms;
}
