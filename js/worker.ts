/**
 * The Web Worker host of the engine: loads the wasm core in the worker, keeps one
 * {@link Dataset}, and answers the messages of {@link InsituWorker} (`worker-client.ts`).
 * Files are read here too (CSV parsed in chunks, with progress), so the page never
 * blocks. Start it through `InsituWorker.start()`, not directly.
 */
import Papa from "papaparse";
import { DataType, Table, tableFromIPC, tableToIPC, type Field, type Vector } from "apache-arrow";
import { Dataset, Insitu } from "./core.js";
import { toInsituError, InsituError } from "./errors.js";
import { formatOf, inferVector, readTableFile } from "./files.js";
import { abTest, sampleSize, welchTest } from "./stats.js";
import { TABLE_TAG, type FileColumn, type FileTable, type WorkerProgress, type WorkerRequest, type WorkerResponse } from "./worker-client.js";
// The analyses add their methods to Dataset when imported.
import "./index.js";

interface Scope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}
const scope = globalThis as unknown as Scope;

let dataset: Dataset | undefined;
const engine = Insitu.load();

scope.onmessage = (event) => {
  void handle(event.data);
};

async function handle(request: WorkerRequest): Promise<void> {
  const { id } = request;
  const progress = (p: WorkerProgress) => scope.postMessage({ id, progress: p });
  try {
    const insitu = await engine;
    const started = performance.now();
    const transfer: Transferable[] = [];
    const value = await run(insitu, request, progress, transfer);
    const ms = performance.now() - started;
    scope.postMessage({ id, ok: true, value, ms }, transfer);
  } catch (e) {
    const error = toInsituError(e, () => {});
    scope.postMessage({ id, ok: false, error: { code: error.code, message: error.message } });
  }
}

async function run(
  insitu: Insitu,
  request: WorkerRequest,
  progress: (p: WorkerProgress) => void,
  transfer: Transferable[],
): Promise<unknown> {
  switch (request.type) {
    case "hello":
      return { version: insitu.version, methods: datasetMethods() };
    case "read": {
      const table = await readFile(request.file, request.name, request.previewRows, progress);
      transfer.push(table.bytes.buffer);
      return table;
    }
    case "ingest": {
      progress({ phase: "ingest", done: 0, total: 0 });
      return ingest(insitu, () => insitu.dataset(request.tables, request.mapping));
    }
    case "sample": {
      progress({ phase: "generate", done: 0, total: 0 });
      const tables = insitu.sample(request.options);
      transfer.push(tables.events.buffer, tables.orders.buffer, tables.customers.buffer);
      if (!request.ingest) return { tables };
      progress({ phase: "ingest", done: 0, total: 0 });
      return { tables, ...ingest(insitu, () => insitu.dataset(tables)) };
    }
    case "call": {
      if (!dataset) throw new InsituError("empty_input", "No data is loaded yet: load files or generate sample data first.");
      const method = (dataset as unknown as Record<string, unknown>)[request.method];
      if (typeof method !== "function" || request.method === "free" || request.method === "constructor") {
        throw new InsituError(
          "bad_option",
          `"${request.method}" is not an analysis of this engine; it has ${datasetMethods().join(", ")}`,
        );
      }
      let result: unknown = (method as (...a: unknown[]) => unknown).apply(dataset, request.args);
      if (request.member) {
        const member = (result as Record<string, unknown> | null)?.[request.member.name];
        if (typeof member !== "function") {
          throw new InsituError("bad_option", `the result of ${request.method} has no function "${request.member.name}"`);
        }
        result = (member as (...a: unknown[]) => unknown).apply(result, request.member.args);
      }
      return encode(result, transfer);
    }
    case "stats": {
      const fn = { abTest, sampleSize, welchTest }[request.fn] as (options: unknown) => unknown;
      return fn(request.options);
    }
    case "free":
      dataset?.free();
      dataset = undefined;
      return null;
  }
}

function ingest(insitu: Insitu, create: () => Dataset) {
  // Free the previous dataset first: two large datasets may not fit together.
  dataset?.free();
  dataset = undefined;
  dataset = create();
  return { summary: dataset.summary(), memoryBytes: insitu.memoryBytes() };
}

/** The analyses this build has: the methods on Dataset's prototype. */
function datasetMethods(): string[] {
  const proto = Dataset.prototype as unknown as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== "constructor" && name !== "free" && typeof proto[name] === "function")
    .sort();
}

/** Results with apache-arrow tables as tagged IPC bytes; functions dropped. */
function encode(value: unknown, transfer: Transferable[]): unknown {
  if (value === null || typeof value !== "object") return typeof value === "function" ? undefined : value;
  if (ArrayBuffer.isView(value)) return value;
  if (value instanceof Table) {
    const bytes = tableToIPC(value, "stream");
    transfer.push(bytes.buffer);
    return { [TABLE_TAG]: bytes };
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, transfer));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== "function") out[key] = encode(v, transfer);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Files

async function readBytes(file: Blob | Uint8Array, progress: (p: WorkerProgress) => void): Promise<Uint8Array> {
  if (file instanceof Uint8Array) return file;
  const total = file.size;
  const out = new Uint8Array(total);
  let done = 0;
  const reader = file.stream().getReader();
  let last = 0;
  for (;;) {
    const { done: finished, value } = await reader.read();
    if (finished) break;
    out.set(value, done);
    done += value.byteLength;
    if (done - last > 4 << 20 || done === total) {
      last = done;
      progress({ phase: "read", done, total });
    }
  }
  return done === total ? out : out.subarray(0, done);
}

async function readFile(
  file: Blob | Uint8Array,
  name: string,
  previewRows: number,
  progress: (p: WorkerProgress) => void,
): Promise<FileTable> {
  const bytes = await readBytes(file, progress);
  if (bytes.byteLength === 0) throw new InsituError("empty_input", `${name}: the file is empty`);
  const format = formatOf(name) ?? sniff(bytes);
  let ipc: Uint8Array;
  if (format === "csv") {
    if (looksBinary(bytes)) {
      throw new InsituError(
        "invalid_file",
        `${name}: this is not a CSV text file (it holds binary data${isPng(bytes) ? ": it is a PNG image" : ""}); ` +
          "choose a .csv, .arrow/.feather or .parquet file",
      );
    }
    ipc = tableToIPC(csvToTableChunked(bytes, name, progress), "stream");
  } else if (format === "arrow" || format === "parquet") {
    ipc = await readTableFile(bytes, name);
  } else {
    throw new InsituError("invalid_file", `${name}: unknown file type; use .arrow/.feather, .parquet or .csv`);
  }
  let table: Table;
  try {
    table = tableFromIPC(ipc);
  } catch (e) {
    throw new InsituError("invalid_file", `${name}: not a readable Arrow file (${e instanceof Error ? e.message : String(e)})`, {
      cause: e,
    });
  }
  if (table.schema.fields.length === 0) throw new InsituError("empty_input", `${name}: the file has no columns`);
  const columns = table.schema.fields.map(describeField);
  const preview: string[][] = [];
  const shown = Math.min(previewRows, table.numRows);
  const vectors = table.schema.fields.map((f) => table.getChild(f.name));
  for (let row = 0; row < shown; row++) {
    preview.push(vectors.map((v, c) => cellText(v?.get(row), columns[c]!.kind)));
  }
  // The IPC bytes handed to the page own their buffer, so it can be transferred.
  const owned = ipc.byteOffset === 0 && ipc.byteLength === ipc.buffer.byteLength ? ipc : ipc.slice();
  return { bytes: owned, format: format === "csv" ? "csv" : format, rows: table.numRows, columns, preview };
}

function sniff(bytes: Uint8Array): "arrow" | "parquet" | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 6));
  if (head === "ARROW1") return "arrow";
  if (head.startsWith("PAR1")) return "parquet";
  return undefined;
}

function isPng(bytes: Uint8Array): boolean {
  return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

/** Text files have no NUL bytes and few control characters in their first 64 KiB. */
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 65536);
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control > head.length / 100;
}

function describeField(field: Field): FileColumn {
  const type = field.type as DataType;
  const valueType = DataType.isDictionary(type) ? type.dictionary : type;
  let kind: FileColumn["kind"] = "other";
  if (DataType.isInt(valueType)) kind = "integer";
  else if (DataType.isFloat(valueType) || DataType.isDecimal(valueType)) kind = "decimal";
  else if (DataType.isUtf8(valueType) || DataType.isLargeUtf8(valueType)) kind = "text";
  else if (DataType.isTimestamp(valueType) || DataType.isDate(valueType)) kind = "time";
  else if (DataType.isBool(valueType)) kind = "boolean";
  return { name: field.name, type: String(field.type), kind };
}

function cellText(value: unknown, kind: FileColumn["kind"]): string {
  if (value === null || value === undefined) return "";
  if (kind === "time") {
    const ms = Number(value instanceof Date ? value.getTime() : value);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : String(value);
  }
  return String(value);
}

// CSV: the same type inference as `csvToTable` in files.ts, parsed in chunks with progress.
function csvToTableChunked(bytes: Uint8Array, name: string, progress: (p: WorkerProgress) => void): Table {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  let header: string[] | undefined;
  let cells: (string | null)[][] = [];
  let quoteError: Papa.ParseError | undefined;
  let rows = 0;
  // Papa parses a string in chunks (synchronously) when given `chunk`; its types omit that case.
  const config = {
    header: false,
    skipEmptyLines: true,
    chunkSize: 1 << 20,
    chunk: (result: Papa.ParseResult<string[]>) => {
      quoteError ??= result.errors.find((e) => e.type === "Quotes");
      for (const row of result.data) {
        if (!header) {
          header = row;
          cells = row.map(() => []);
          continue;
        }
        for (let c = 0; c < cells.length; c++) {
          const v = row[c];
          cells[c]!.push(v === undefined || v.trim() === "" ? null : v.trim());
        }
        rows++;
      }
      progress({ phase: "parse", done: result.meta.cursor, total: text.length });
    },
  };
  Papa.parse<string[]>(text, config as Papa.ParseConfig<string[]>);
  if (!header || header.length === 0 || header.every((h) => h.trim() === "")) {
    throw new InsituError("empty_input", `${name}: no header row`);
  }
  if (quoteError) throw new InsituError("invalid_file", `${name}: row ${quoteError.row ?? "?"}: ${quoteError.message}`);
  const names = header.map((h, i) => h.trim() || `column_${i + 1}`);
  const columns: Record<string, Vector> = {};
  names.forEach((column, c) => {
    columns[column] = inferVector(cells[c]!);
  });
  progress({ phase: "build", done: rows, total: rows });
  return new Table(columns);
}

