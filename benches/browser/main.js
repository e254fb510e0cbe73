// The ingest cases in Chromium. The table comes from the local server's cache (the same
// bytes Node measures), so this page's Insitu instance only ever ingests: its peak wasm
// memory is that of ingest. Parameters: ?events=N&rows=R&runs=K.
import { Insitu } from "insitu";
import { copyBaseline } from "insitu-glue";
import { runCases } from "../lib/cases.mjs";
import { openDuckDB } from "./duckdb.js";
import { publish } from "./publish.js";

const params = new URLSearchParams(location.search);
const events = Number(params.get("events"));
const log = (m) => console.log(`  chromium ${events}: ${m}`);

async function run() {
  const insitu = await Insitu.load();
  const response = await fetch(`/data/events-${events}.arrows`);
  if (!response.ok) throw new Error(`fetching the table: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const duck = await openDuckDB();
  const result = await runCases({
    bytes,
    rows: Number(params.get("rows")),
    runs: Number(params.get("runs")),
    insitu,
    copyBaseline,
    duck,
    gc: globalThis.gc,
    log,
  });
  await duck.close();
  return { runtime: "chromium", events, duckdb: duck.info, userAgent: navigator.userAgent, ...result };
}

publish(run());
