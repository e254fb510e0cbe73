/**
 * Stable machine codes of {@link InsituError}. Branch on these, not on messages.
 */
export type InsituErrorCode =
  | "missing_column"
  | "bad_type"
  | "invalid_ipc"
  | "bad_option"
  | "empty_input"
  | "out_of_memory"
  | "limit_exceeded"
  | "no_convergence"
  | "bad_input"
  | "invalid_file"
  | "instance_lost"
  | "not_loaded"
  | "wasm_trap"
  | (string & {});

/**
 * Every failure the package reports: a stable `code` and a message naming the column,
 * option or value at fault.
 *
 * @example
 * ```ts
 * try {
 *   insitu.dataset({ events }, { events: { customer: "uid" } });
 * } catch (e) {
 *   if (e instanceof InsituError && e.code === "missing_column") console.warn(e.message);
 * }
 * ```
 */
export class InsituError extends Error {
  /** Stable machine-readable code, e.g. `"missing_column"`. */
  readonly code: InsituErrorCode;

  constructor(code: InsituErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InsituError";
    this.code = code;
  }
}

/** Whether `e` is the error object the wasm core throws for an `InsituError`. */
function isCoreError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && e.name === "InsituError" && typeof (e as { code?: unknown }).code === "string";
}

/**
 * Converts anything thrown by the wasm core into an {@link InsituError}. A WebAssembly
 * trap (out of memory, or an internal bug) means the instance is gone; `onTrap` is told.
 */
export function toInsituError(e: unknown, onTrap: () => void): InsituError {
  if (e instanceof InsituError) return e;
  if (isCoreError(e)) return new InsituError(e.code, e.message, { cause: e });
  if (e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && /memory/i.test(e.message))) {
    onTrap();
    const oom = /memory|unreachable/i.test(e.message);
    return new InsituError(
      oom ? "out_of_memory" : "wasm_trap",
      `The analytics engine stopped (${e.message}), most likely out of memory. ` +
        "Load Insitu again (Insitu.load()) and ingest the tables again, perhaps fewer rows.",
      { cause: e },
    );
  }
  return new InsituError("bad_input", e instanceof Error ? e.message : String(e), { cause: e });
}
