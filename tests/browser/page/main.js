// Loads the package in the browser, ingests tables, and reports results to the test.
// apache-arrow's vectorFromArray compiles code with new Function, which this page's CSP
// blocks (as the dashboard's does); the package's column helpers build buffers directly.
import { Table, tableToIPC } from "apache-arrow";
import { Insitu, InsituError } from "insitu";
import { int64Column, timestampColumn, utf8Column } from "insitu/files";

async function run() {
  const insitu = await Insitu.load();
  const events = new Table({
    user_id: int64Column([7n, 3n, 7n, null]),
    ts: timestampColumn([30, 20, 10, 5]),
    name: utf8Column(["buy", "visit", "visit", "visit"]),
  });
  const ds = insitu.dataset({ events }, { events: { customer: "user_id", time: "ts", event: "name" } });
  const table = ds.summary();
  ds.free();

  const fromBytes = insitu.dataset({ events: tableToIPC(events, "file") }, { events: { event: "name" } });
  const bytes = fromBytes.summary();
  fromBytes.free();

  let error = null;
  try {
    insitu.dataset({ events: new Uint8Array([1, 2, 3]) });
  } catch (e) {
    error = { isInsituError: e instanceof InsituError, code: e.code, message: e.message };
  }

  const sample = insitu.sample({ events: 50_000, seed: 11 });
  const started = performance.now();
  const big = insitu.dataset(sample);
  const ingestMs = performance.now() - started;
  const sampleSummary = big.summary();
  big.free();
  return { table, bytes, error, sampleSummary, ingestMs, memory: insitu.memoryBytes() };
}

run().then(
  (result) => {
    window.__result = result;
    document.getElementById("out").textContent = JSON.stringify(result, null, 1);
  },
  (e) => {
    window.__result = { failed: String(e && e.stack ? e.stack : e) };
  },
);
