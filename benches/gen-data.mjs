// Child process: generates the sample tables once and writes their IPC stream bytes
// (OUT_FILE for events, and orders-N / customers-N beside it for the analytics cases).
// Kept apart from the measuring processes so their wasm memory never held the generator's.
// usage: node benches/gen-data.mjs EVENTS OUT_FILE
import { rename, writeFile } from "node:fs/promises";
import { loadPackage } from "./lib/data.mjs";

const [events, out] = [Number(process.argv[2]), process.argv[3]];
const { insitu } = await loadPackage();
const started = performance.now();
const tables = insitu.sample({ events, seed: 42 });
const bytes = tables.events;
for (const [name, file] of [["orders", out.replace(/events-/, "orders-")], ["customers", out.replace(/events-/, "customers-")], ["events", out]]) {
  await writeFile(`${file}.tmp`, tables[name]);
  await rename(`${file}.tmp`, file); // never leave a half-written cache file; events last marks completion
}
console.log(`generated ${events} events: ${bytes.byteLength} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
