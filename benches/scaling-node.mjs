// Child process: the scaling series at one size in Node (a process per size, so each
// size's wasm memory is its own).
// usage: node --expose-gc benches/scaling-node.mjs --events N --rows R --runs K --out FILE
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { dataFile, loadPackage } from "./lib/data.mjs";
import { runScaling } from "./lib/scaling-cases.mjs";

const { values } = parseArgs({
  options: { events: { type: "string" }, rows: { type: "string" }, runs: { type: "string" }, out: { type: "string" } },
});
const events = Number(values.events);
const file = await readFile(dataFile(events));
const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
const { insitu } = await loadPackage();
const result = await runScaling({
  insitu,
  bytes,
  rows: Number(values.rows),
  runs: Number(values.runs),
  gc: globalThis.gc,
  log: (m) => console.log(`  scaling, node ${events}: ${m}`),
});
await writeFile(values.out, JSON.stringify({ runtime: "node", events, ...result }, null, 1));
