// The LTV benchmark's checks and its Markdown section (no Node-only imports).
import { summarize } from "./stats.mjs";
import { RUNTIME } from "./format.mjs";

/** The speed-up over lifetimes the issue asks for on 1M customers. */
export const LTV_TARGET = 20;
const BG = ["r", "alpha", "a", "b"];
const GG = ["p", "q", "gamma"];

/** Median / min / max of each stage over lifetimes' runs ({ summary, bgnbd, gammaGamma, total }). */
export function summarizeRuns(runs) {
  return Object.fromEntries(Object.keys(runs[0]).map((k) => [k, summarize(runs.map((r) => r[k]))]));
}

/** The parameters of an Insitu result (Node / Chromium carry them under `fit`). */
const paramsOf = (r) => {
  const f = r.fit ?? r;
  return { ...f.bgnbd, ...f.gammaGamma };
};

/**
 * Insitu's result against lifetimes': every parameter equal to 3 decimals (relative above
 * 1: |Δ| <= 5e-4 · max(1, |lifetimes|)) and, where Insitu reports them, the summary totals
 * (counts exact, sums to 1e-9). `ok` null when there is no lifetimes result.
 */
export function checkLtv(r, lifetimes) {
  if (!lifetimes) return { ok: null, problems: ["lifetimes not run"] };
  const problems = [];
  const mine = paramsOf(r);
  const theirs = { ...lifetimes.bgnbd.params, ...lifetimes.gammaGamma.params };
  for (const k of [...BG, ...GG]) {
    const tolerance = 5e-4 * Math.max(1, Math.abs(theirs[k]));
    if (!(Math.abs(mine[k] - theirs[k]) <= tolerance)) problems.push(`${k}: ${mine[k]} vs lifetimes ${theirs[k]}`);
  }
  if (r.summary) {
    for (const k of ["customers", "repeatBuyers", "frequency"]) {
      if (r.summary[k] !== lifetimes.summary[k]) problems.push(`summary ${k}: ${r.summary[k]} vs ${lifetimes.summary[k]}`);
    }
    for (const k of ["recency", "T", "monetary"]) {
      const a = r.summary[k];
      const b = lifetimes.summary[k];
      if (!(Math.abs(a - b) <= 1e-9 * Math.abs(b))) problems.push(`summary ${k}: ${a} vs ${b}`);
    }
  }
  return { ok: problems.length === 0, problems };
}

const ms = (x) => (x == null ? "–" : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US"));
const range = (t) => (t ? `${ms(t.median)} (${ms(t.min)}–${ms(t.max)})` : "–");
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : "–");
const fixed = (v) => (v == null ? "–" : Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(3));

/** The rows of one dataset in the timing table. */
function timingRows(d) {
  const py = d.lifetimes?.timing.total;
  const rows = [];
  for (const r of d.runtimes) {
    if (r.missing) {
      rows.push(`| ${d.title} | ${RUNTIME[r.runtime]} | not run | | | | | | | |`);
      continue;
    }
    const fit = r.timings.fit;
    const both = r.timings.ingestFit;
    const counted = r.check.ok === true;
    const native = d.native;
    rows.push(
      `| ${d.title} | ${RUNTIME[r.runtime]} | ${range(fit)} | ${range(both)} | ${range(py)} | ` +
        `${counted ? ratio(py?.median, both.median) : "not counted"} | ${counted ? ratio(py?.median, fit.median) : "not counted"} | ` +
        `${native ? ms(native.fitMs[0]) : "–"} | ${native ? ms(native.ingestFitMs[0]) : "–"} | ` +
        `${native ? `${(fit.median / native.fitMs[0]).toFixed(2)}×` : "–"} | ${r.check.ok === true ? "equal" : r.check.ok === null ? "no lifetimes" : `differ: ${r.check.problems.join("; ")}`} |`,
    );
  }
  return rows;
}

/** The parameters side by side. */
function paramRows(d) {
  const cols = [
    d.truth ? { ...d.truth.bgnbd, ...d.truth.gammaGamma } : null,
    d.lifetimes ? { ...d.lifetimes.bgnbd.params, ...d.lifetimes.gammaGamma.params } : null,
    ...d.runtimes.map((r) => (r.missing ? null : paramsOf(r))),
    d.native ? paramsOf(d.native) : null,
  ];
  const rows = [...BG, ...GG].map((k) => `| ${d.title} | ${k} | ${cols.map((c) => (c ? fixed(c[k]) : "–")).join(" | ")} |`);
  const ll = (which) => [
    null,
    d.lifetimes ? d.lifetimes[which].logLikelihood : null,
    ...d.runtimes.map((r) => (r.missing ? null : r.fit.logLikelihood[which])),
    d.native ? d.native.logLikelihood[which] : null,
  ];
  rows.push(`| ${d.title} | log-likelihood BG/NBD | ${ll("bgnbd").map(fixed).join(" | ")} |`);
  rows.push(`| ${d.title} | log-likelihood Gamma-Gamma | ${ll("gammaGamma").map(fixed).join(" | ")} |`);
  return rows;
}

/**
 * Whether the target is met on the largest dataset, per runtime, in words. It is judged as
 * issue 5 states it, from the transactions already in memory on both sides (Insitu: the
 * ingested dataset; lifetimes: the parsed DataFrame); with ingest counted too is reported
 * beside it.
 */
export function ltvTarget(report) {
  const d = report.datasets.at(-1);
  const py = d.lifetimes?.timing.total.median;
  const verdict = (x) => `${x.toFixed(1)}× (${x >= LTV_TARGET ? "met" : "missed"})`;
  const parts = d.runtimes
    .filter((r) => !r.missing)
    .map((r) => {
      if (!py) return `${RUNTIME[r.runtime]}: no lifetimes figure`;
      if (r.check.ok !== true) return `${RUNTIME[r.runtime]}: parameters differ, not counted`;
      return `${RUNTIME[r.runtime]} ${verdict(py / r.timings.fit.median)}; with ingest ${verdict(py / r.timings.ingestFit.median)}`;
    });
  return { dataset: d.title, text: parts.join(". ") };
}

/** The `## Lifetime value` section of BENCHMARKS.md. */
export function ltvMarkdown(report) {
  const big = report.datasets.at(-1);
  const target = ltvTarget(report);
  const lines = [
    "## Lifetime value",
    "",
    "Summary (frequency / recency / T / monetary, weeks, orders collapsed per day) + BG/NBD fit + Gamma-Gamma fit",
    "on repeat buyers with positive spend, no penalizer, from the orders table already in memory:",
    "",
    "- **Insitu, ingest + fit**: `insitu.dataset({ orders })` from the Arrow IPC bytes + `ds.fitLtv({ calibrationEnd, unit: \"week\",",
    "  model: \"bgnbd\", spend: \"gammagamma\", penalizer: 0 })` + `free()`.",
    "- **Insitu, fit**: `ds.fitLtv(...)` alone on a dataset ingested before (summary and both fits, standard errors included).",
    "  The target is judged on this one, as issue 5 puts it (from the transactions already in memory: the ingested dataset),",
    "  with the ingest + fit ratio beside it.",
    "- **lifetimes**: from the transactions DataFrame already parsed (CSV reading not timed):",
    "  `summary_data_from_transaction_data(freq=\"D\", freq_multiplier=7)` + `BetaGeoFitter(penalizer_coef=0).fit` +",
    "  `GammaGammaFitter(penalizer_coef=0).fit` (both compute their Hessians, as Insitu its standard errors);",
    "  `benches/python/ltv_bench.py`, after a warm-up on the first 10,000 customers. Called as a lifetimes user would, one",
    "  row per customer: lifetimes does not group identical histories unless given `weights=` (Insitu groups them itself).",
    "",
    "Insitu's timed cases alternate round by round (median / min / max of 10 rounds, 7 on more than 200k customers, after",
    "one warm-up). lifetimes: 7 runs on CDNOW, 5 up to 200k customers, **3 on 1M customers** (tens of seconds each).",
    "Native: the same calls in the native build (`cargo bench --bench ltv_native`), median of 7 after a warm-up.",
    "Before a time counts, its parameters are checked equal to lifetimes' to 3 decimals (|Δ| ≤ 5e-4 · max(1, |value|))",
    "and its summary totals (customers, repeat buyers, Σ frequency exactly; Σ recency, Σ T, Σ monetary to 1e-9) equal.",
    `Data: the CDNOW sample (calibration end 1997-09-30) and ${big.customers.toLocaleString("en-US")} generated customers`,
    `(${big.transactions.toLocaleString("en-US")} orders drawn from BG/NBD + Gamma-Gamma with CDNOW's parameters; first purchases over`,
    "26 weeks, 78 weeks of orders, calibration end after 52), the same bytes for every side (`benches/lib/ltv-data.mjs`).",
    "",
    "| Dataset | Runtime | Insitu fit ms | Insitu ingest + fit ms | lifetimes ms | lifetimes / Insitu (ingest + fit) | lifetimes / Insitu (fit) | Native fit ms | Native ingest + fit ms | Wasm / native (fit) | Parameters |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...report.datasets.flatMap(timingRows),
    "",
    `**Target (≥ ${LTV_TARGET}× lifetimes end to end on ${target.dataset}):** ${target.text}.` +
      (report.quick ? " (A --quick run: the issue's target is for 1M customers.)" : ""),
    "",
    "Where the time goes (medians, ms):",
    "",
    "| Dataset | lifetimes summary | lifetimes BG/NBD | lifetimes Gamma-Gamma | native summary | native BG/NBD | native Gamma-Gamma | native ingest | distinct (x, t_x, T) | BG/NBD iterations |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...report.datasets.map((d) => {
      const t = d.lifetimes?.timing;
      const s = d.native?.stages;
      return `| ${d.title} | ${ms(t?.summary.median)} | ${ms(t?.bgnbd.median)} | ${ms(t?.gammaGamma.median)} | ${s ? ms(s.summaryMs[0]) : "–"} | ${s ? ms(s.bgnbdMs[0]) : "–"} | ${s ? ms(s.gammaGammaMs[0]) : "–"} | ${d.native ? ms(d.native.ingestMs[0]) : "–"} | ${d.native?.distinctHistories?.toLocaleString("en-US") ?? "–"} | ${d.native?.iterations.bgnbd ?? "–"} |`;
    }),
    "",
    "Fitted parameters side by side (generating values for the generated data):",
    "",
    "| Dataset | Parameter | Generating | lifetimes | Insitu Node | Insitu Chromium | Native |",
    "|---|---|---:|---:|---:|---:|---:|",
    ...report.datasets.flatMap(paramRows),
    "",
    ...report.datasets.filter((d) => d.truth && d.lifetimes).map((d) => {
      const truth = { ...d.truth.bgnbd, ...d.truth.gammaGamma };
      const fitted = { ...d.lifetimes.bgnbd.params, ...d.lifetimes.gammaGamma.params };
      const gaps = Object.keys(truth).map((k) => [k, Math.abs(fitted[k] / truth[k] - 1)]);
      const [k, gap] = gaps.reduce((m, g) => (g[1] > m[1] ? g : m));
      return `Sanity: on ${d.title} the fit recovers the generating parameters within ${(gap * 100).toFixed(1)}% (largest gap: ${k}); ` +
        "orders on the same day collapse into one purchase, which the generating process does not do, and the sample is finite.";
    }),
    "",
    report.pythonSkipped ? `lifetimes skipped: ${report.pythonSkipped}.` : `lifetimes ${report.python?.lifetimes}, pandas ${report.python?.pandas}, numpy ${report.python?.numpy}, Python ${report.python?.python}.`,
    `${report.chromium ?? "Chromium not run"}${report.chromiumError ? ` (error: ${report.chromiumError})` : ""}; Node ${report.machine.node}; ${report.machine.cpu}, ${report.machine.cores} cores;`,
    `load average ${report.machine.load.start} at the start, ${report.machine.load.end} at the end; commit ${report.machine.commit}; ${report.machine.date.slice(0, 10)}.`,
    "",
  ];
  return lines.join("\n");
}

