/**
 * The engine in a Web Worker, with a typed client for the page: reading files, ingesting,
 * sample data and every {@link Dataset} analysis run off the main thread, so the page never
 * freezes. The client keeps the ingested tables' IPC bytes and, if the engine traps or runs
 * out of memory, starts a new Worker and ingests them again.
 */
import { tableFromIPC, type Table } from "apache-arrow";
import type { Dataset } from "./core.js";
import { InsituError } from "./errors.js";
import type { AbTestOptions, AbTestResult, SampleSizeOptions, SampleSizeResult, WelchOptions, WelchResult } from "./stats.js";
import type { DatasetMapping, SampleOptions, SampleTables, Summary } from "./types.js";

/** @internal Key marking an Arrow table sent as IPC bytes inside a worker result. */
export const TABLE_TAG = "__insituArrowIpc";

/** The tables of a dataset as Arrow IPC bytes (stream or file format). */
export interface TableBytes {
  events?: Uint8Array;
  orders?: Uint8Array;
  customers?: Uint8Array;
  enrich?: Uint8Array;
}

/** @internal What the page asks the worker. */
export type WorkerRequest =
  | { id: number; type: "hello" }
  | { id: number; type: "read"; file: Blob | Uint8Array; name: string; previewRows: number }
  | { id: number; type: "ingest"; tables: TableBytes; mapping: DatasetMapping }
  | { id: number; type: "sample"; options: SampleOptions; ingest: boolean }
  | { id: number; type: "call"; method: string; args: unknown[]; member?: { name: string; args: unknown[] } }
  | { id: number; type: "stats"; fn: "abTest" | "sampleSize" | "welchTest"; options: unknown }
  | { id: number; type: "free" };

/** Progress of a long request: reading a file, generating or ingesting. */
export interface WorkerProgress {
  /** `read` (file bytes), `parse` (CSV text), `build` (columns), `generate` (sample), `ingest`. */
  phase: "read" | "parse" | "build" | "generate" | "ingest";
  /** Units done and in total (bytes or rows); `total` is 0 when unknown (e.g. ingest). */
  done: number;
  total: number;
}

/** @internal What the worker answers. */
export type WorkerResponse =
  | { id: number; ok: true; value: unknown; ms: number }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: WorkerProgress };

/** A result with the time the worker spent computing it (engine time, ms). */
export interface Timed<T> {
  value: T;
  /** Milliseconds spent in the worker, including encoding tables for transfer. */
  ms: number;
}

/** One column of a file read by {@link InsituWorker.read}. */
export interface FileColumn {
  name: string;
  /** The Arrow type, e.g. `"Int64"`, `"Timestamp<MILLISECOND, UTC>"`, `"Dictionary<Int32, Utf8>"`. */
  type: string;
  /** The type in plain words: `integer`, `decimal`, `text`, `time`, `boolean` or `other`. */
  kind: "integer" | "decimal" | "text" | "time" | "boolean" | "other";
}

/** What {@link InsituWorker.read} returns: the table as IPC bytes plus what a mapping step shows. */
export interface FileTable {
  /** Arrow IPC bytes, ready for {@link InsituWorker.ingest}. */
  bytes: Uint8Array;
  format: "arrow" | "parquet" | "csv";
  rows: number;
  columns: FileColumn[];
  /** The first rows as display text (times as ISO-8601 UTC, nulls as `""`). */
  preview: string[][];
}

/** What ingesting returns. */
export interface IngestResult {
  summary: Summary;
  /** Bytes of wasm memory held by the engine. */
  memoryBytes: number;
}

/** Names of the {@link Dataset} methods that can be called through the worker. */
export type DatasetMethod = Extract<
  {
    [K in keyof Dataset]: K extends "free" ? never : Dataset[K] extends (...args: never[]) => unknown ? K : never;
  }[keyof Dataset],
  string
>;

/** Arguments of a {@link Dataset} method. */
export type MethodArgs<M extends DatasetMethod> = Dataset[M] extends (...args: infer A) => unknown ? A : never;
/** What a {@link Dataset} method returns. */
export type MethodResult<M extends DatasetMethod> = Dataset[M] extends (...args: never[]) => infer R ? R : never;

type AnyFunction = (...args: never[]) => unknown;

/** Names of the function members of a result, such as `customers` of a funnel result. */
export type ResultMember<R> = Extract<{ [K in keyof R]: R[K] extends AnyFunction ? K : never }[keyof R], string>;

/**
 * A result as it arrives from the worker: Arrow tables stay tables, functions are left out
 * (call them with {@link InsituWorker.callMember}).
 */
export type Remote<T> = T extends Table
  ? Table
  : T extends AnyFunction
    ? never
    : T extends readonly unknown[]
      ? { [K in keyof T]: Remote<T[K]> }
      : T extends object
        ? { [K in keyof T as T[K] extends AnyFunction ? never : K]: Remote<T[K]> }
        : T;

/** Options of {@link InsituWorker.start}. */
export interface InsituWorkerOptions {
  /**
   * Creates the Worker. Default: the package's worker module, as a module worker
   * (`new Worker(new URL("./worker.js", import.meta.url), { type: "module" })`, which
   * Vite, webpack 5 and esbuild-based bundlers follow).
   */
  createWorker?: () => Worker;
  /**
   * Told after the engine was restarted because it trapped or ran out of memory (or the
   * Worker failed): the tables last ingested were ingested again (`reingested`), or could
   * not be (then `error` says why and the page must load data again).
   */
  onRestart?: (event: { reason: InsituError; reingested: boolean; error?: InsituError }) => void;
}

/** Codes that mean the wasm instance is gone and the Worker must be replaced. */
const FATAL = new Set(["out_of_memory", "wasm_trap", "instance_lost"]);

interface Pending {
  resolve: (value: { value: unknown; ms: number }) => void;
  reject: (error: InsituError) => void;
  onProgress: ((progress: WorkerProgress) => void) | undefined;
  /** Requests that re-ingest after a restart are not themselves retried. */
  request: WorkerRequest;
}

/**
 * The Insitu engine in a Web Worker. Every call is a message to the worker; results come
 * back as plain objects (Arrow tables as `apache-arrow` tables). The ingested tables' IPC
 * bytes stay on the page, so a Worker lost to a trap or to running out of memory is
 * replaced and the data ingested again ({@link InsituWorkerOptions.onRestart}).
 *
 * @example
 * ```ts
 * import { InsituWorker, tableToCsv } from "insitu";
 *
 * const engine = InsituWorker.start({ onRestart: ({ reason }) => console.warn(reason.message) });
 * const file = await engine.read(input.files[0], input.files[0].name);        // parsed in the worker
 * const { value: { summary } } = await engine.ingest({ events: file.bytes });
 * const { value: funnel, ms } = await engine.call("funnel", { steps: ["visit", "purchase"], window: "7d" });
 * console.log(funnel.steps[1].conversion, `${ms} ms`);
 * const { value: lost } = await engine.callMember("funnel", [{ steps: ["visit", "purchase"] }], "customers", 0, "dropped");
 * download(tableToCsv(lost));                                               // an apache-arrow Table
 * engine.terminate();
 * ```
 */
export class InsituWorker {
  readonly #options: InsituWorkerOptions;
  #worker: Worker;
  #next = 1;
  readonly #pending = new Map<number, Pending>();
  /** Tables and mapping last ingested: what a restart ingests again. */
  #tables: TableBytes | undefined;
  #mapping: DatasetMapping = {};
  /** Resolves when the current Worker is ready for calls (after a restart's re-ingest). */
  #ready: Promise<void> = Promise.resolve();
  #restarts = 0;
  #terminated = false;

  private constructor(options: InsituWorkerOptions) {
    this.#options = options;
    this.#worker = this.#spawn();
  }

  /**
   * Starts the worker (the wasm core loads in it at once).
   *
   * @example
   * ```ts
   * const engine = InsituWorker.start();
   * const { value: version } = await engine.hello();
   * ```
   */
  static start(options: InsituWorkerOptions = {}): InsituWorker {
    return new InsituWorker(options);
  }

  /** How many times the Worker was replaced after a trap, out of memory or a failure. */
  get restarts(): number {
    return this.#restarts;
  }

  /** Waits for the engine to load; returns its version and the {@link Dataset} methods it has. */
  hello(): Promise<Timed<{ version: string; methods: string[] }>> {
    return this.#send({ id: 0, type: "hello" }) as Promise<Timed<{ version: string; methods: string[] }>>;
  }

  /**
   * Reads a table file in the worker: `.arrow`/`.feather`/`.ipc`, `.parquet` or `.csv` (CSV
   * parsed in chunks with types inferred as `csvToTable` does). `onProgress` is told the
   * bytes read and rows parsed.
   *
   * @example
   * ```ts
   * const t = await engine.read(file, file.name, (p) => bar.value = p.done / (p.total || 1));
   * t.value.columns; // [{ name: "user_id", type: "Int64", kind: "integer" }, ...]
   * ```
   */
  read(
    file: Blob | Uint8Array,
    name: string,
    onProgress?: (progress: WorkerProgress) => void,
    previewRows = 5,
  ): Promise<Timed<FileTable>> {
    return this.#send({ id: 0, type: "read", file, name, previewRows }, onProgress) as Promise<Timed<FileTable>>;
  }

  /**
   * Ingests tables (IPC bytes) as the worker's dataset, replacing the previous one. The
   * bytes are copied to the worker and kept here for a restart; do not change them after.
   *
   * @example
   * ```ts
   * const { value } = await engine.ingest({ events: bytes }, { events: { customer: "user_id" } });
   * value.summary.customers;
   * ```
   */
  async ingest(tables: TableBytes, mapping: DatasetMapping = {}): Promise<Timed<IngestResult>> {
    const result = (await this.#send({ id: 0, type: "ingest", tables, mapping })) as Timed<IngestResult>;
    this.#tables = tables;
    this.#mapping = mapping;
    return result;
  }

  /**
   * Generates the sample shop in the worker and (by default) ingests it; the IPC bytes come
   * back (transferred, not copied) and are kept for a restart.
   *
   * @example
   * ```ts
   * const { value } = await engine.sample({ events: 1_000_000 });
   * value.summary?.events;
   * ```
   */
  async sample(
    options: SampleOptions = {},
    { ingest = true, onProgress }: { ingest?: boolean; onProgress?: (progress: WorkerProgress) => void } = {},
  ): Promise<Timed<{ tables: SampleTables } & Partial<IngestResult>>> {
    const result = (await this.#send({ id: 0, type: "sample", options, ingest }, onProgress)) as Timed<
      { tables: SampleTables } & Partial<IngestResult>
    >;
    if (ingest) {
      this.#tables = result.value.tables;
      this.#mapping = {};
    }
    return result;
  }

  /**
   * Calls a {@link Dataset} method on the ingested dataset in the worker.
   *
   * @example
   * ```ts
   * const { value, ms } = await engine.call("retention", { period: "week", periods: 8 });
   * const { value: stages } = await engine.call("stages", { asOf: "2024-12-31" });
   * stages.customers.numRows; // an apache-arrow Table
   * ```
   */
  call<M extends DatasetMethod>(method: M, ...args: MethodArgs<M>): Promise<Timed<Remote<MethodResult<M>>>> {
    return this.#send({ id: 0, type: "call", method, args }) as Promise<Timed<Remote<MethodResult<M>>>>;
  }

  /**
   * Calls a {@link Dataset} method, then a function member of its result, in the worker:
   * e.g. a funnel's `customers(step, "dropped")`.
   *
   * @example
   * ```ts
   * const steps = ["visit", "add_to_cart", "purchase"];
   * const { value } = await engine.callMember("funnel", [{ steps }], "customers", 1, "dropped");
   * value.numRows; // added to cart, did not buy
   * ```
   */
  callMember<M extends DatasetMethod, K extends ResultMember<MethodResult<M>>>(
    method: M,
    args: MethodArgs<M>,
    member: K,
    ...memberArgs: MethodResult<M>[K] extends (...a: infer A) => unknown ? A : never
  ): Promise<Timed<Remote<MethodResult<M>[K] extends (...a: never[]) => infer R ? R : never>>> {
    return this.#send({ id: 0, type: "call", method, args, member: { name: member, args: memberArgs } }) as Promise<
      Timed<Remote<MethodResult<M>[K] extends (...a: never[]) => infer R ? R : never>>
    >;
  }

  /** {@link abTest} in the worker. */
  abTest(options: AbTestOptions): Promise<Timed<AbTestResult>> {
    return this.#send({ id: 0, type: "stats", fn: "abTest", options }) as Promise<Timed<AbTestResult>>;
  }

  /** {@link sampleSize} in the worker. */
  sampleSize(options: SampleSizeOptions): Promise<Timed<SampleSizeResult>> {
    return this.#send({ id: 0, type: "stats", fn: "sampleSize", options }) as Promise<Timed<SampleSizeResult>>;
  }

  /** {@link welchTest} in the worker. */
  welchTest(options: WelchOptions): Promise<Timed<WelchResult>> {
    return this.#send({ id: 0, type: "stats", fn: "welchTest", options }) as Promise<Timed<WelchResult>>;
  }

  /** Frees the worker's dataset and forgets the kept tables. */
  async free(): Promise<void> {
    this.#tables = undefined;
    this.#mapping = {};
    await this.#send({ id: 0, type: "free" });
  }

  /**
   * Replaces the Worker (as after a trap) and ingests the kept tables again. Pending calls
   * are rejected with `instance_lost`.
   */
  restart(reason = new InsituError("instance_lost", "The analytics engine was restarted.")): Promise<void> {
    if (this.#terminated) return Promise.resolve();
    this.#restarts++;
    this.#worker.terminate();
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(
        reason.code === "instance_lost"
          ? reason
          : new InsituError("instance_lost", `${reason.message} The engine was restarted; run this again.`),
      );
    }
    this.#worker = this.#spawn();
    const tables = this.#tables;
    const mapping = this.#mapping;
    this.#ready = (async () => {
      if (!tables) {
        this.#options.onRestart?.({ reason, reingested: false });
        return;
      }
      try {
        await this.#post({ id: 0, type: "ingest", tables, mapping });
        this.#options.onRestart?.({ reason, reingested: true });
      } catch (e) {
        this.#tables = undefined;
        const error = e instanceof InsituError ? e : new InsituError("bad_input", String(e));
        this.#options.onRestart?.({ reason, reingested: false, error });
      }
    })();
    return this.#ready;
  }

  /** Stops the Worker; later calls fail with `instance_lost`. */
  terminate(): void {
    this.#terminated = true;
    this.#worker.terminate();
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      pending.reject(new InsituError("instance_lost", "The analytics worker was stopped."));
    }
  }

  #spawn(): Worker {
    const worker = this.#options.createWorker
      ? this.#options.createWorker()
      : new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<WorkerResponse>) => this.#receive(event.data);
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      void this.restart(new InsituError("wasm_trap", `The analytics worker failed (${event.message || "unknown error"}).`));
    };
    worker.onmessageerror = () => {
      void this.restart(new InsituError("wasm_trap", "The analytics worker sent a message that could not be read."));
    };
    return worker;
  }

  #receive(message: WorkerResponse): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if ("progress" in message) {
      pending.onProgress?.(message.progress);
      return;
    }
    this.#pending.delete(message.id);
    if (message.ok) {
      pending.resolve({ value: revive(message.value), ms: message.ms });
      return;
    }
    const error = new InsituError(message.error.code, message.error.message);
    pending.reject(error);
    if (FATAL.has(error.code) && pending.request.type !== "ingest") void this.restart(error);
    else if (FATAL.has(error.code)) {
      // The ingest itself ran out of memory: the new Worker starts empty.
      this.#tables = undefined;
      void this.restart(error);
    }
  }

  /** Sends once the Worker is ready. */
  async #send(request: WorkerRequest, onProgress?: (progress: WorkerProgress) => void): Promise<Timed<unknown>> {
    if (this.#terminated) throw new InsituError("instance_lost", "The analytics worker was stopped.");
    await this.#ready;
    return this.#post(request, onProgress);
  }

  #post(request: WorkerRequest, onProgress?: (progress: WorkerProgress) => void): Promise<Timed<unknown>> {
    const id = this.#next++;
    const message = { ...request, id } as WorkerRequest;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress, request: message });
      try {
        this.#worker.postMessage(message);
      } catch (e) {
        this.#pending.delete(id);
        reject(new InsituError("bad_input", `could not send to the worker: ${String(e)}`, { cause: e }));
      }
    });
  }
}

/** Turns tagged IPC bytes back into apache-arrow tables, in place. */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (ArrayBuffer.isView(value)) return value;
  const tagged = value as Record<string, unknown>;
  const bytes = tagged[TABLE_TAG];
  if (bytes instanceof Uint8Array) return tableFromIPC(bytes);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i]);
    return value;
  }
  for (const key of Object.keys(tagged)) tagged[key] = revive(tagged[key]);
  return value;
}
