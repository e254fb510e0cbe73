// Child process: the ingest cases for one table size in Node. One process per size, so
// each size's peak wasm memory is its own.
// usage: node --expose-gc benches/ingest-node.mjs --events N --rows R --runs K --out FILE
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { runCases } from "./lib/cases.mjs";
import { dataFile, loadPackage } from "./lib/data.mjs";
import { openDuckDB } from "./lib/duckdb-node.mjs";

const { values } = parseArgs({
  options: { events: { type: "string" }, rows: { type: "string" }, runs: { type: "string" }, out: { type: "string" } },
});
const events = Number(values.events);
const file = await readFile(dataFile(events));
const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);

const { insitu, copyBaseline } = await loadPackage();
const duck = await openDuckDB();

const result = await runCases({
  bytes,
  rows: Number(values.rows),
  runs: Number(values.runs),
  insitu,
  copyBaseline,
  duck,
  gc: globalThis.gc,
  log: (m) => console.log(`  node ${events}: ${m}`),
});
duck.close();
await writeFile(values.out, JSON.stringify({ runtime: "node", events, duckdb: duck.info, ...result }, null, 1));
