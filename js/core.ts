import init, * as wasm from "./wasm/insitu.js";
import { InsituError, toInsituError } from "./errors.js";
import { toEpochMs, toIpcBytes } from "./input.js";
import type { DatasetMapping, DatasetTables, SampleOptions, SampleTables, Summary } from "./types.js";

/** Where the `.wasm` bytes come from: a URL, a fetch `Response`, bytes, or a compiled module. */
export type WasmSource = URL | string | Response | BufferSource | WebAssembly.Module;

let defaultSource: () => Promise<WasmSource> = async () => new URL("./wasm/insitu_bg.wasm", import.meta.url);
let instance: Promise<Insitu> | undefined;
let loaded: Insitu | undefined;

/**
 * @internal The loaded engine, for standalone functions (`abTest`, `sampleSize`) that call
 * into wasm without a dataset; throws `not_loaded` before `await Insitu.load()`.
 */
export function loadedEngine(): Insitu {
  if (!loaded) throw new InsituError("not_loaded", "call `await Insitu.load()` once before using this function");
  return loaded;
}

/** Sets how {@link Insitu.load} finds the wasm file when not told (used by the Node entry). */
export function setDefaultWasmSource(source: () => Promise<WasmSource>): void {
  defaultSource = source;
}

/**
 * The analytics engine: one WebAssembly instance. Get it with {@link Insitu.load}.
 *
 * @example
 * ```ts
 * import { Insitu } from "insitu";
 * const insitu = await Insitu.load();
 * const ds = insitu.dataset({ events }, { events: { customer: "user_id", time: "ts", event: "name" } });
 * console.log(ds.summary().customers);
 * ds.free();
 * ```
 */
export class Insitu {
  #lost = false;

  private constructor() {}

  /**
   * Loads and instantiates the wasm core (once per page or process; later calls return
   * the same engine). In the browser the `.wasm` is fetched from beside this module; in
   * Node it is read from disk. Pass `wasm` to load it from elsewhere.
   */
  static load(options: { wasm?: WasmSource } = {}): Promise<Insitu> {
    if (!instance) {
      instance = (async () => {
        const source = options.wasm ?? (await defaultSource());
        await init({ module_or_path: source });
        loaded = new Insitu();
        return loaded;
      })();
      instance.catch(() => {
        instance = undefined;
      });
    }
    return instance;
  }

  /** The core's version. */
  get version(): string {
    return this.#call(() => wasm.version());
  }

  /** Bytes of WebAssembly memory held (memory only grows, so this is the peak so far). */
  memoryBytes(): number {
    return this.#call(() => wasm.memoryBytes());
  }

  /**
   * Ingests the tables once and indexes them (dense customer numbers, events and orders
   * grouped by customer and sorted by time). Only events or only orders is fine.
   *
   * @example
   * ```ts
   * const ds = insitu.dataset({ events: eventsTable, orders: ordersIpcBytes });
   * ```
   */
  dataset(tables: DatasetTables, mapping: DatasetMapping = {}): Dataset {
    if (tables === null || typeof tables !== "object") {
      throw new InsituError("bad_input", "dataset(tables): pass an object such as { events, orders, customers }");
    }
    const known = new Set(["events", "orders", "customers", "enrich"]);
    for (const key of Object.keys(tables)) {
      if (!known.has(key)) {
        throw new InsituError("bad_option", `option "${key}": unknown table; the tables are events, orders, customers and enrich`);
      }
    }
    const bytes = (name: keyof DatasetTables) => {
      const t = tables[name];
      return t === undefined || t === null ? undefined : toIpcBytes(t, name);
    };
    const events = bytes("events");
    const orders = bytes("orders");
    const customers = bytes("customers");
    const enrich = bytes("enrich");
    const handle = this.#call(() => wasm.createDataset(events, orders, customers, enrich, mapping));
    return new Dataset(handle, this);
  }

  /**
   * Generates the deterministic sample shop (customers, events, orders) as Arrow IPC
   * stream bytes, ready for {@link Insitu.dataset} or for writing to files.
   *
   * @example
   * ```ts
   * const ds = insitu.dataset(insitu.sample({ events: 1_000_000 }));
   * ```
   */
  sample(options: SampleOptions = {}): SampleTables {
    const start = options.start === undefined ? undefined : toEpochMs(options.start, "start");
    return this.#call(() => wasm.generateSample({ ...options, start }) as SampleTables);
  }

  /** @internal Runs a call into wasm, converting what it throws to `InsituError`. */
  #call<T>(f: () => T): T {
    if (this.#lost) {
      throw new InsituError(
        "instance_lost",
        "The analytics engine stopped earlier (out of memory or a crash); reload the page or start a new Worker and load the data again.",
      );
    }
    try {
      return f();
    } catch (e) {
      throw toInsituError(e, () => {
        this.#lost = true;
      });
    }
  }

  /** @internal */
  run<T>(f: () => T): T {
    return this.#call(f);
  }
}

/**
 * An ingested dataset. Holds wasm memory until {@link Dataset.free} is called.
 */
export class Dataset {
  #handle: wasm.DatasetHandle | undefined;
  readonly #engine: Insitu;

  /** @internal */
  constructor(handle: wasm.DatasetHandle, engine: Insitu) {
    this.#handle = handle;
    this.#engine = engine;
  }

  #live(): wasm.DatasetHandle {
    if (!this.#handle) throw new InsituError("bad_input", "this dataset was freed; create it again with insitu.dataset()");
    return this.#handle;
  }

  /**
   * Counts, time range (epoch ms), event names and skipped rows.
   *
   * @example
   * ```ts
   * const { customers, events, timeRange, skipped } = ds.summary();
   * ```
   */
  summary(): Summary {
    const handle = this.#live();
    return this.#engine.run(() => handle.summary() as Summary);
  }

  /** Releases the dataset's wasm memory. The dataset cannot be used afterwards. */
  free(): void {
    this.#handle?.free();
    this.#handle = undefined;
  }

  /** Same as {@link Dataset.free}, for `using ds = insitu.dataset(...)`. */
  [Symbol.dispose](): void {
    this.free();
  }

  /**
   * @internal Runs `f` on the live wasm handle, converting errors to `InsituError`. The
   * analysis modules (funnels, segments, LTV, ...) add their methods to `Dataset` with this.
   */
  static call<T>(ds: Dataset, f: (handle: wasm.DatasetHandle) => T): T {
    const handle = ds.#live();
    return ds.#engine.run(() => f(handle));
  }
}
