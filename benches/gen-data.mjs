// Child process: generates the sample events table once and writes its IPC stream bytes.
// Kept apart from the measuring processes so their wasm memory never held the generator's.
// usage: node benches/gen-data.mjs EVENTS OUT_FILE
import { rename, writeFile } from "node:fs/promises";
import { loadPackage } from "./lib/data.mjs";

const [events, out] = [Number(process.argv[2]), process.argv[3]];
const { insitu } = await loadPackage();
const started = performance.now();
const { events: bytes } = insitu.sample({ events, seed: 42 });
await writeFile(`${out}.tmp`, bytes);
await rename(`${out}.tmp`, out); // never leave a half-written cache file
console.log(`generated ${events} events: ${bytes.byteLength} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
