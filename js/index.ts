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
export { Insitu, Dataset, setDefaultWasmSource } from "./core.js";
export type { WasmSource } from "./core.js";
export { InsituError } from "./errors.js";
export type { InsituErrorCode } from "./errors.js";
export { toEpochMs, toIpcBytes } from "./input.js";
export type * from "./types.js";
import "./funnel.js";
export type * from "./funnel.js";
export { abTest, sampleSize, welchTest } from "./stats.js";
export type * from "./stats.js";
import "./campaign.js";
export type * from "./campaign.js";
import "./retention.js";
export type * from "./retention.js";
import "./lifecycle.js";
export type * from "./lifecycle.js";
export * from "./worker-client.js";
import "./ltv.js";
export type * from "./ltv.js";
import "./segments.js";
export type * from "./segments.js";
