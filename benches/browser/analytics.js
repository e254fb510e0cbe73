// The analytics cases in Chromium on the cached tables (the same bytes Node measures).
// Parameters: ?events=N&runs=K.
import { tableFromIPC } from "apache-arrow";
import { Insitu } from "insitu";
import { runAnalytics } from "../lib/analytics-cases.mjs";
import { openDuckDB } from "./duckdb.js";
import { publish } from "./publish.js";

const params = new URLSearchParams(location.search);
const events = Number(params.get("events"));
const days = Number(params.get("days") ?? 365);
const only = params.get("only")?.split(",");

async function fetchTable(name) {
  const response = await fetch(`/data/${name}-${events}${days === 365 ? "" : `-d${days}`}.arrows`);
  if (!response.ok) throw new Error(`fetching ${name}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function run() {
  const insitu = await Insitu.load();
  const tables = {};
  for (const t of ["events", "orders", "customers"]) tables[t] = await fetchTable(t);
  const arrow = Object.fromEntries(Object.entries(tables).map(([name, bytes]) => [name, tableFromIPC(bytes)]));
  const ds = insitu.dataset(tables);
  const duck = await openDuckDB();
  // The async insert transfers (detaches) the buffer, so DuckDB gets copies.
  for (const [name, bytes] of Object.entries(tables)) await duck.insert(bytes.slice(), name);
  const cases = await runAnalytics({
    ds,
    duck,
    arrow,
    memory: () => insitu.memoryBytes(),
    runs: Number(params.get("runs")),
    only,
    gc: globalThis.gc,
    log: (m) => console.log(`  chromium ${events}: ${m}`),
  });
  const summary = ds.summary();
  const campaigns = ds.campaigns().campaigns.length;
  ds.free();
  await duck.close();
  return { runtime: "chromium", events, days, rows: summary.events, customers: summary.customers, campaigns, cases };
}

publish(run());
