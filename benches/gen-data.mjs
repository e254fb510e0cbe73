// Child process: generates the sample tables once and writes their IPC stream bytes
// (OUT_FILE for events, and orders-N / customers-N beside it for the analytics cases).
// Kept apart from the measuring processes so their wasm memory never held the generator's.
// usage: node benches/gen-data.mjs EVENTS OUT_FILE [DAYS]
import { rename, writeFile } from "node:fs/promises";
import { loadPackage } from "./lib/data.mjs";

const [events, out, days] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 365)];
const { insitu } = await loadPackage();
const started = performance.now();
const tables = insitu.sample({ events, seed: 42, days });
const bytes = tables.events;
for (const [name, file] of [["orders", out.replace(/events-(?=\d)/, "orders-")], ["customers", out.replace(/events-(?=\d)/, "customers-")], ["events", out]]) {
  await writeFile(`${file}.tmp`, tables[name]);
  await rename(`${file}.tmp`, file); // never leave a half-written cache file; events last marks completion
}
console.log(`generated ${events} events: ${bytes.byteLength} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
