// Child process: the analytics cases for one table size in Node.
// usage: node --expose-gc benches/analytics-node.mjs --events N --runs K --out FILE
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { runAnalytics } from "./lib/analytics-cases.mjs";
import { dataFile, loadPackage } from "./lib/data.mjs";
import { openDuckDB } from "./lib/duckdb-node.mjs";

const { values } = parseArgs({
  options: {
    events: { type: "string" },
    runs: { type: "string" },
    out: { type: "string" },
    days: { type: "string", default: "365" },
    only: { type: "string" },
  },
});
const events = Number(values.events);
const days = Number(values.days);
const only = values.only?.split(",");
const tables = {};
for (const t of ["events", "orders", "customers"]) {
  const file = await readFile(dataFile(events, t, days));
  tables[t] = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
const arrow = Object.fromEntries(Object.entries(tables).map(([name, bytes]) => [name, tableFromIPC(bytes)]));
const { insitu } = await loadPackage();
const ds = insitu.dataset(tables);
const duck = await openDuckDB();
for (const [name, bytes] of Object.entries(tables)) duck.insert(bytes, name);

const cases = await runAnalytics({
  ds,
  duck,
  arrow,
  memory: () => insitu.memoryBytes(),
  runs: Number(values.runs),
  only,
  gc: globalThis.gc,
  log: (m) => console.log(`  node ${events}: ${m}`),
});
const summary = ds.summary();
await writeFile(
  values.out,
  JSON.stringify(
    { runtime: "node", events, days, rows: summary.events, customers: summary.customers, campaigns: ds.campaigns().campaigns.length, cases },
    null,
    1,
  ),
);
ds.free();
duck.close();
