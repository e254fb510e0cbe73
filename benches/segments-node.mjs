// Child process: the segments cases on the N-customer data in Node.
// usage: node --expose-gc benches/segments-node.mjs --customers N --runs K --lookalike-runs L --out FILE
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { DATA, loadPackage } from "./lib/data.mjs";
import { openDuckDB } from "./lib/duckdb-node.mjs";
import { runSegments } from "./lib/segments-cases.mjs";
import { segmentsFiles } from "./lib/segments-spec.mjs";

const { values } = parseArgs({
  options: {
    customers: { type: "string" },
    runs: { type: "string" },
    "lookalike-runs": { type: "string" },
    out: { type: "string" },
  },
});
const customers = Number(values.customers);
const files = segmentsFiles(DATA, customers);
const tables = {};
for (const t of ["orders", "customers"]) {
  const file = await readFile(files[t]);
  tables[t] = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
}
const { insitu } = await loadPackage();
const ds = insitu.dataset(tables);
const duck = await openDuckDB();
for (const [name, bytes] of Object.entries(tables)) duck.insert(bytes, name);

const { cases, answers } = await runSegments({
  ds,
  duck,
  runs: Number(values.runs),
  lookalikeRuns: Number(values["lookalike-runs"]),
  gc: globalThis.gc,
  log: (m) => console.log(`  node ${customers}: ${m}`),
});
const summary = ds.summary();
await writeFile(
  values.out,
  JSON.stringify({ runtime: "node", customers, orders: summary.orders, duckdb: duck.info, cases, answers }, null, 1),
);
ds.free();
duck.close();
