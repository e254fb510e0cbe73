// The three ingest cases, written once for both hosts (Node and the Chromium page).
// Each host passes in its own Insitu instance, copyBaseline export and DuckDB adapter.
import { measureRounds } from "./stats.mjs";

/**
 * Runs the cases on one table's IPC stream bytes and returns their timings.
 * Insitu and DuckDB alternate (the comparison the target is about); the copy baseline
 * runs afterwards, so the peak wasm memory read before it reflects Insitu ingest alone
 * (copyBaseline allocates in the same instance; DuckDB has its own).
 *
 * duck: { prepare(bytes) -> bytes to hand over (a copy where the insert transfers it),
 *         insert(bytes, name), count(name) -> number, drop(name) }
 */
export async function runCases({ bytes, rows, runs, insitu, copyBaseline, duck, gc, log = () => {} }) {
  const memoryAtLoad = insitu.memoryBytes();
  let customers;

  log(`insitu ingest + index and duckdb insert, 1 + ${runs} rounds`);
  const { insitu: ingest, duckdb } = await measureRounds({
    runs,
    gc,
    cases: {
      insitu: {
        run: () => insitu.dataset({ events: bytes }),
        after: (ds) => {
          const summary = ds.summary();
          ds.free();
          if (summary.events !== rows) throw new Error(`insitu ingested ${summary.events} events, expected ${rows}`);
          customers = summary.customers;
        },
      },
      duckdb: {
        prepare: () => duck.prepare(bytes),
        run: (input, i) => duck.insert(input, `events_${i}`),
        after: async (_, i) => {
          const n = await duck.count(`events_${i}`);
          await duck.drop(`events_${i}`);
          if (n !== rows) throw new Error(`duckdb inserted ${n} rows, expected ${rows}`);
        },
      },
    },
  });
  // Memory never shrinks, so this is the peak of the ingest runs.
  const peakMemory = insitu.memoryBytes();

  log(`copy baseline, 1 + ${runs} runs`);
  const { copy } = await measureRounds({
    runs,
    gc,
    cases: {
      copy: {
        run: () => copyBaseline(bytes),
        after: (n) => {
          if (n !== bytes.byteLength) throw new Error(`copyBaseline saw ${n} bytes, expected ${bytes.byteLength}`);
        },
      },
    },
  });

  return { rows, customers, memoryAtLoad, peakMemory, cases: { copy, insitu: ingest, duckdb } };
}
