// The scaling series in Chromium at one size, on the cached events table (the same bytes
// Node measures). Parameters: ?events=N&rows=R&runs=K.
import { Insitu } from "insitu";
import { runScaling } from "../lib/scaling-cases.mjs";
import { publish } from "./publish.js";

const params = new URLSearchParams(location.search);
const events = Number(params.get("events"));

async function run() {
  const insitu = await Insitu.load();
  const response = await fetch(`/data/events-${events}.arrows`);
  if (!response.ok) throw new Error(`fetching the table: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const result = await runScaling({
    insitu,
    bytes,
    rows: Number(params.get("rows")),
    runs: Number(params.get("runs")),
    gc: globalThis.gc,
    log: (m) => console.log(`  scaling, chromium ${events}: ${m}`),
  });
  return { runtime: "chromium", events, ...result };
}

publish(run());
