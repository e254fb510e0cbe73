// The LTV case, written once for both hosts (Node and the Chromium page): from the orders
// table's IPC bytes, Insitu's summary + BG/NBD + Gamma-Gamma fit, timed two ways in
// alternating rounds:
//   fit:       ds.fitLtv(...) on a dataset ingested once before (the transactions table
//              already in memory, as the Python side starts from its parsed DataFrame);
//   ingestFit: insitu.dataset({ orders }) + ds.fitLtv(...) + ds.free(), from the IPC bytes.
// No Node-only imports, so Vite can serve this file to Chromium as is.
import { measureRounds } from "./stats.mjs";

/** The fitLtv options of a dataset spec (see benches/lib/ltv-data.mjs). */
export const fitOptions = (spec) => ({
  calibrationEnd: spec.calibrationEnd,
  unit: spec.unit,
  model: "bgnbd",
  spend: "gammagamma",
  penalizer: 0,
});

/** The figures the lifetimes side reports too, for the check before timing. */
function summaryTotals(table) {
  const sum = (name) => {
    let s = 0;
    for (const v of table.getChild(name).toArray()) s += Number(v);
    return s;
  };
  let repeat = 0;
  for (const v of table.getChild("frequency").toArray()) if (v > 0) repeat++;
  return {
    customers: table.numRows,
    repeatBuyers: repeat,
    frequency: sum("frequency"),
    recency: sum("recency"),
    T: sum("T"),
    monetary: sum("monetary_value"),
  };
}

/** Runs the case on `orders` (IPC bytes); returns the fit, summary totals and timings. */
export async function runLtvCase({ insitu, orders, spec, runs, gc, log = () => {} }) {
  const options = fitOptions(spec);
  const mapping = { orders: { time: "time" } };
  let started = performance.now();
  const ds = insitu.dataset({ orders }, mapping);
  const firstIngestMs = performance.now() - started;
  started = performance.now();
  const fit = ds.fitLtv(options);
  const firstFitMs = performance.now() - started;
  const summary = summaryTotals(ds.rfmSummary({ calibrationEnd: spec.calibrationEnd, unit: spec.unit }));
  log(`${spec.name}: fitted once (ingest ${firstIngestMs.toFixed(0)} ms, fit ${firstFitMs.toFixed(0)} ms); 1 + ${runs} rounds`);
  const timings = await measureRounds({
    runs,
    gc,
    cases: {
      fit: { run: () => ds.fitLtv(options) },
      ingestFit: {
        run: () => {
          const d = insitu.dataset({ orders }, mapping);
          d.fitLtv(options);
          d.free();
        },
      },
      ingest: { run: () => insitu.dataset({ orders }, mapping), after: (d) => d.free() },
    },
  });
  ds.free();
  return {
    fit: {
      bgnbd: fit.bgnbd,
      gammaGamma: fit.gammaGamma,
      logLikelihood: fit.logLikelihood,
      iterations: fit.iterations,
      customers: fit.customers,
      repeatBuyers: fit.repeatBuyers,
      distinctHistories: fit.distinctHistories,
      spendCustomers: fit.spendCustomers,
    },
    summary,
    firstIngestMs,
    firstFitMs,
    timings,
  };
}
