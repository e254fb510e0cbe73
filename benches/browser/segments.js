// The segments cases in Chromium on the cached tables (the same bytes Node and the native
// build measure). Parameters: ?events=N (customers)&runs=K&lookalikeRuns=L (runBrowser names the size "events").
import { Insitu } from "insitu";
import { runSegments } from "../lib/segments-cases.mjs";
import { openDuckDB } from "./duckdb.js";
import { publish } from "./publish.js";

const params = new URLSearchParams(location.search);
const customers = Number(params.get("events"));

async function fetchTable(name) {
  const response = await fetch(`/data/seg-${name}-${customers}.arrows`);
  if (!response.ok) throw new Error(`fetching ${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function run() {
  const insitu = await Insitu.load();
  const tables = {};
  for (const t of ["orders", "customers"]) tables[t] = await fetchTable(t);
  const ds = insitu.dataset(tables);
  const duck = await openDuckDB();
  // The async insert transfers (detaches) the buffer, so DuckDB gets copies.
  for (const [name, bytes] of Object.entries(tables)) await duck.insert(bytes.slice(), name);
  const { cases, answers } = await runSegments({
    ds,
    duck,
    runs: Number(params.get("runs")),
    lookalikeRuns: Number(params.get("lookalikeRuns")),
    gc: globalThis.gc,
    log: (m) => console.log(`  chromium ${customers}: ${m}`),
  });
  const orders = ds.summary().orders;
  ds.free();
  const info = duck.info;
  await duck.close();
  return { runtime: "chromium", customers, orders, duckdb: info, cases, answers };
}

publish(run());
