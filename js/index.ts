/**
 * Insitu: customer analytics on Apache Arrow tables, computed in WebAssembly where the
 * data is. Browser entry (the `.wasm` is fetched from beside this module).
 *
 * @example
 * ```ts
 * import { Insitu, InsituError } from "insitu";
 * const insitu = await Insitu.load();
 * const ds = insitu.dataset({ events, orders });
 * console.log(ds.summary());
 * ```
 */
// Each analysis module adds its methods to Dataset when imported.
import "./funnel.js";
import "./retention.js";
import "./lifecycle.js";
import "./segments.js";
import "./ltv.js";
import "./campaign.js";

export { Insitu, Dataset, setDefaultWasmSource } from "./core.js";
export type { WasmSource } from "./core.js";
export { InsituError } from "./errors.js";
export type { InsituErrorCode } from "./errors.js";
export { toEpochMs, toIpcBytes } from "./input.js";
export { abTest, sampleSize, welchTest } from "./stats.js";
export * from "./worker-client.js";
export type * from "./types.js";
export type * from "./funnel.js";
export type * from "./retention.js";
export type * from "./lifecycle.js";
export type * from "./segments.js";
export type * from "./ltv.js";
export type * from "./campaign.js";
export type * from "./stats.js";
