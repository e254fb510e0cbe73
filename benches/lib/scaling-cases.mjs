// The scaling series, written once for both hosts (Node and the Chromium page): ingest +
// index of the events table, then the benchmark funnel on the ingested dataset, timed
// at one size. Insitu only: the point is how its cost grows with the data, not a ratio.
import QUERIES from "../queries.json" with { type: "json" };
import { measureRounds } from "./stats.mjs";

/** Times ingest (a fresh dataset each run, freed untimed) and then the funnel. */
export async function runScaling({ insitu, bytes, rows, runs, gc, log = () => {} }) {
  log(`ingest + index, 1 + ${runs} runs`);
  const { ingest } = await measureRounds({
    runs,
    gc,
    cases: {
      ingest: {
        run: () => insitu.dataset({ events: bytes }),
        after: (ds) => {
          const events = ds.summary().events;
          ds.free();
          if (events !== rows) throw new Error(`ingested ${events} events, expected ${rows}`);
        },
      },
    },
  });
  const ds = insitu.dataset({ events: bytes });
  log(`funnel, 1 + ${runs} runs`);
  let entered;
  const { funnel } = await measureRounds({
    runs,
    gc,
    cases: {
      funnel: {
        run: () => ds.funnel(QUERIES.funnel),
        after: (r) => {
          entered ??= r.steps[0].count;
          if (r.steps[0].count !== entered) throw new Error("the funnel's answer changed between runs");
        },
      },
    },
  });
  const customers = ds.summary().customers;
  ds.free();
  return { rows, customers, entered, peakMemory: insitu.memoryBytes(), cases: { ingest, funnel } };
}
