/** Errors in plain words: the engine's message plus what to do about it. */
import { InsituError } from "insitu";
import { t, type Key } from "./i18n/index.js";

const HINTS: Record<string, Key> = {
  missing_column: "error.hint.missing_column",
  bad_type: "error.hint.bad_type",
  invalid_ipc: "error.hint.invalid_file",
  invalid_file: "error.hint.invalid_file",
  empty_input: "error.hint.empty_input",
  bad_option: "error.hint.bad_option",
  out_of_memory: "error.hint.out_of_memory",
  instance_lost: "error.hint.instance_lost",
  wasm_trap: "error.hint.out_of_memory",
};

/** The message to show for an error. */
export function describeError(e: unknown): string {
  if (e instanceof InsituError) {
    const hint = HINTS[e.code];
    return hint ? `${e.message} — ${t(hint)}` : e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
