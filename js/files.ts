/**
 * Reading and writing table files locally: Arrow IPC (`.arrow`, `.feather`, `.ipc`),
 * Parquet (via `parquet-wasm`) and CSV (via `papaparse`, with column type inference).
 * Everything happens in memory on this machine; nothing is uploaded.
 */
import Papa from "papaparse";
import { Table, TimestampMillisecond, tableFromIPC, tableToIPC, type Vector } from "apache-arrow";
import { boolColumn, dictionaryColumn, float64Column, int64Column, timestampColumn, utf8Column } from "./columns.js";
import { InsituError } from "./errors.js";

export { boolColumn, dictionaryColumn, float64Column, int64Column, timestampColumn, utf8Column };

/** File formats Insitu reads. */
export type FileFormat = "arrow" | "parquet" | "csv";

/**
 * The format of a file by its name, or `undefined` when unknown.
 *
 * @example
 * ```ts
 * formatOf("events.parquet"); // "parquet"
 * ```
 */
export function formatOf(name: string): FileFormat | undefined {
  const ext = name.toLowerCase().split(".").pop() ?? "";
  if (["arrow", "feather", "ipc", "arrows"].includes(ext)) return "arrow";
  if (ext === "parquet" || ext === "pq") return "parquet";
  if (ext === "csv" || ext === "tsv" || ext === "txt") return "csv";
  return undefined;
}

/** The parts of `parquet-wasm` used here (its Node, ESM or bundler build). */
export interface ParquetModule {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
  writeParquet(table: unknown): Uint8Array;
  Table: { fromIPCStream(bytes: Uint8Array): unknown };
}

async function loadParquet(given?: ParquetModule): Promise<ParquetModule> {
  if (given) return given;
  const mod = (await import("parquet-wasm")) as unknown as ParquetModule & { default?: () => Promise<unknown> };
  // The ESM build must be initialised; the Node build initialises itself.
  if (typeof mod.default === "function") await mod.default();
  return mod;
}

/**
 * Reads a table file into Arrow IPC bytes (stream or file format) for `insitu.dataset()`.
 *
 * @example
 * ```ts
 * const events = await readTableFile(new Uint8Array(await file.arrayBuffer()), file.name);
 * const ds = insitu.dataset({ events });
 * ```
 */
export async function readTableFile(
  bytes: Uint8Array,
  name: string,
  options: { parquet?: ParquetModule } = {},
): Promise<Uint8Array> {
  if (bytes.byteLength === 0) throw new InsituError("empty_input", `${name}: the file is empty`);
  const format = formatOf(name) ?? sniff(bytes);
  switch (format) {
    case "arrow":
      return bytes;
    case "parquet": {
      const parquet = await loadParquet(options.parquet);
      try {
        return parquet.readParquet(bytes).intoIPCStream();
      } catch (e) {
        throw new InsituError("invalid_file", `${name}: not a readable Parquet file (${String(e)})`, { cause: e });
      }
    }
    case "csv":
      return tableToIPC(csvToTable(new TextDecoder("utf-8", { fatal: false }).decode(bytes), name), "stream");
    default:
      throw new InsituError("invalid_file", `${name}: unknown file type; use .arrow/.feather, .parquet or .csv`);
  }
}

function sniff(bytes: Uint8Array): FileFormat | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 6));
  if (head === "ARROW1") return "arrow";
  if (head.startsWith("PAR1")) return "parquet";
  return undefined;
}

const INTEGER = /^-?\d{1,15}$/;
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const BOOLEAN = /^(true|false)$/i;

function parseIsoMs(text: string): number {
  const t = text.replace(" ", "T");
  // Date-only and offset-less date-times are UTC, as in the core.
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || !t.includes("T") ? t : `${t}Z`;
  return Date.parse(withZone);
}

/**
 * Parses CSV text into an Arrow table, inferring each column's type from its values:
 * integers -> int64, numbers -> float64, ISO dates -> timestamp(ms, UTC), true/false ->
 * bool, other text -> utf8 (dictionary-encoded when values repeat). Empty cells are null.
 *
 * @example
 * ```ts
 * const table = csvToTable("customer_id,ts,event\n1,2024-01-01,visit\n");
 * ```
 */
export function csvToTable(text: string, name = "csv"): Table {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  const rows = parsed.data;
  const header = rows[0];
  if (!header || header.length === 0 || header.every((h) => h.trim() === "")) {
    throw new InsituError("empty_input", `${name}: no header row`);
  }
  const fatal = parsed.errors.find((e) => e.type === "Quotes");
  if (fatal) {
    throw new InsituError("invalid_file", `${name}: row ${fatal.row ?? "?"}: ${fatal.message}`);
  }
  const names = header.map((h, i) => h.trim() || `column_${i + 1}`);
  const body = rows.slice(1);
  const columns: Record<string, Vector> = {};
  names.forEach((column, c) => {
    const cells = body.map((r) => {
      const v = r[c];
      return v === undefined || v.trim() === "" ? null : v.trim();
    });
    columns[column] = inferVector(cells);
  });
  return new Table(columns);
}

/**
 * @internal The column type a CSV column's cells infer (see {@link csvToTable}); shared
 * with the Worker's chunked CSV reader.
 */
export function inferVector(cells: (string | null)[]): Vector {
  const present = cells.filter((v): v is string => v !== null);
  const all = (re: RegExp) => present.length > 0 && present.every((v) => re.test(v));
  if (all(INTEGER)) return int64Column(cells.map((v) => (v === null ? null : BigInt(v))));
  if (all(NUMBER)) return float64Column(cells.map((v) => (v === null ? null : Number(v))));
  if (all(ISO_TIME) && present.every((v) => Number.isFinite(parseIsoMs(v)))) {
    return timestampColumn(cells.map((v) => (v === null ? null : parseIsoMs(v))));
  }
  if (all(BOOLEAN)) return boolColumn(cells.map((v) => (v === null ? null : v.toLowerCase() === "true")));
  // Repeating text (event names, countries) is dictionary-encoded, as Arrow writers do.
  return new Set(present).size * 2 <= present.length ? dictionaryColumn(cells) : utf8Column(cells);
}

/**
 * Writes an Arrow table as CSV text (timestamps as ISO-8601 UTC), e.g. for a CRM upload.
 *
 * @example
 * ```ts
 * const csv = tableToCsv(tableFromIPC(bytes));
 * ```
 */
export function tableToCsv(table: Table): string {
  const fields = table.schema.fields;
  const isTime = fields.map((f) => f.type instanceof TimestampMillisecond || String(f.type).startsWith("Timestamp"));
  const lines = [fields.map((f) => quote(f.name)).join(",")];
  const columns = fields.map((f) => table.getChild(f.name));
  for (let row = 0; row < table.numRows; row++) {
    const cells = columns.map((col, c) => {
      const v: unknown = col?.get(row);
      if (v === null || v === undefined) return "";
      if (isTime[c]) return new Date(Number(v)).toISOString();
      return quote(String(v));
    });
    lines.push(cells.join(","));
  }
  return `${lines.join("\n")}\n`;
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Converts Arrow IPC bytes to Parquet bytes (for the sample-data script).
 *
 * @example
 * ```ts
 * const parquetBytes = await ipcToParquet(sample.orders);
 * ```
 */
export async function ipcToParquet(ipc: Uint8Array, options: { parquet?: ParquetModule } = {}): Promise<Uint8Array> {
  const parquet = await loadParquet(options.parquet);
  return parquet.writeParquet(parquet.Table.fromIPCStream(ipc));
}

/** An `apache-arrow` table from IPC bytes (re-exported for convenience). */
export { tableFromIPC };
