/**
 * Node entry of the package: the same API as the browser entry, with the `.wasm` read
 * from disk instead of fetched.
 */
import { readFile } from "node:fs/promises";
import { setDefaultWasmSource } from "./core.js";

setDefaultWasmSource(async () => readFile(new URL("./wasm/insitu_bg.wasm", import.meta.url)));

export * from "./index.js";
