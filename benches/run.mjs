// The ingest benchmark: makes the data, runs the cases in Node (a process per size) and
// in headless Chromium (a page per size), and writes bench-results/ingest.json and
// BENCHMARKS.md. usage: node benches/run.mjs [--quick | --report-only | --only=SECTION]
// (--report-only re-renders BENCHMARKS.md from the saved results, measuring nothing;
// --only=scaling|segments|ltv measures one section and re-renders the rest as saved.)
import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { analyticsMarkdown, runAnalyticsBench } from "./analytics.mjs";
import { runBrowser } from "./ingest-browser.mjs";
import { CASES } from "./lib/analytics-cases.mjs";
import { cargoBench } from "./lib/native.mjs";
import { REPO, RESULTS, WASM, describe, ensureData, snapshotDist } from "./lib/data.mjs";
import { loadAverage, machine } from "./lib/machine.mjs";
import { derive, markdown, targets } from "./lib/report.mjs";
import { RUNTIME } from "./lib/format.mjs";
import { allTargets, targetsMarkdown } from "./lib/targets.mjs";
import { runScalingBench, scalingMarkdown } from "./scaling.mjs";
import { ltvMarkdown, runLtvBench } from "./ltv.mjs";
import { ltvTarget } from "./lib/ltv-report.mjs";
import { runSegmentsBench, segmentsMarkdown } from "./segments.mjs";

const TITLES = Object.fromEntries(CASES.map((c) => [c.name, c.title]));
// The dashboard's own figures come from its browser test (tests/browser/dashboard-perf).
const dashboard = JSON.parse(await readFile(`${REPO}test-results/dashboard-perf.json`, "utf8").catch(() => "null"));
const dashboardMarkdown = (d) =>
  d
    ? [
        "## Dashboard",
        "",
        `Measured by \`tests/browser/dashboard-perf.test.mjs\` (part of \`npm test\`) in headless Chromium ${d.browser}, ${d.events.toLocaleString("en-US")} generated events:`,
        `"Generate" to the overview drawn ${d.generateToOverviewMs} ms (wall clock ${d.generateToOverviewWallMs} ms); a funnel control change`,
        `(${d.controlChange.control}) to the funnel redrawn: median ${d.controlChange.medianMs} ms, max ${d.controlChange.maxMs} ms over ${d.controlChange.runs} changes, of which the`,
        `engine ${d.controlChange.engineMedianMs} ms. Target: under ${d.targetMs} ms. (${d.measuredAt.slice(0, 10)})`,
        "",
      ].join("\n")
    : "";
// The sections after Ingest, each from its own results file (null: not measured).
const SECTIONS = {
  analytics: (a) => analyticsMarkdown(a, TITLES),
  scaling: scalingMarkdown,
  segments: segmentsMarkdown,
  ltv: ltvMarkdown,
};

/** The targets and wasm / native pairs the issue-specific sections judge themselves. */
function sectionTargets({ segments, ltv }) {
  const extra = [];
  const pairs = [];
  if (segments) {
    const judged = (c) => segments.targets.filter((t) => t.case === c);
    const items = (c) => judged(c).map((t) => `${RUNTIME[t.runtime]} ${Number.isFinite(t.ratio) ? `${t.ratio.toFixed(1)}×` : "no agreeing fit"}${t.met ? "" : " (not met)"}`).join("; ");
    const verdict = (c) => (judged(c).length === 0 ? "not measured" : judged(c).every((t) => t.met) ? "met" : "not met");
    const size = `${(segments.data.customers ?? 0).toLocaleString("en-US")} customers`;
    extra.push({ name: `RFM at least 10× faster than DuckDB-WASM (quantile SQL) on ${size}`, verdict: verdict("rfm"), evidence: items("rfm") });
    extra.push({ name: `3-clause rule segment at least 10× faster than DuckDB-WASM SQL on ${size}`, verdict: verdict("rule"), evidence: items("rule") });
    extra.push({
      name: "Lookalike fit on 1M customers × 20 features at least as fast as scikit-learn's LogisticRegression (lbfgs, its first fit agreeing with Insitu's)",
      verdict: verdict("lookalike"),
      evidence: items("lookalike"),
    });
    for (const r of segments.results) {
      for (const [name, c] of Object.entries(r.cases)) {
        const n = segments.native.find((x) => x.case === name);
        if (n) pairs.push({ what: `segments ${name}`, runtime: r.runtime, ratio: c.insitu.median / n.medianMs });
      }
    }
  }
  if (ltv) {
    const t = ltvTarget(ltv);
    extra.push({
      name: `Lifetime value: summary + BG/NBD + Gamma-Gamma at least 20× faster than lifetimes on ${t.dataset}, same parameters to 3 decimals`,
      verdict: /missed|differ|no lifetimes/.test(t.text) || !t.text ? "not met" : "met",
      evidence: t.text,
    });
    for (const d of ltv.datasets) {
      for (const r of d.runtimes.filter((x) => !x.missing && d.native)) {
        pairs.push({ what: `LTV fit ${d.name}`, runtime: r.runtime, ratio: r.timings.fit.median / d.native.fitMs[0] });
      }
    }
  }
  return { extra, pairs };
}
// What the last run saved: bench-results/NAME.json, else the committed BENCHMARKS.json (so a
// fresh clone can re-render the report or re-run one section).
const committed = JSON.parse(await readFile(`${REPO}BENCHMARKS.json`, "utf8").catch(() => "{}"));
const saved = async (name) =>
  JSON.parse(await readFile(`${RESULTS}${name}.json`, "utf8").catch(() => "null")) ?? committed[name] ?? null;
const savedSections = async () =>
  Object.fromEntries(await Promise.all(Object.keys(SECTIONS).map(async (name) => [name, await saved(name)])));
// Hand-written findings from profiling, kept beside the code and copied into the report.
const notes = await readFile(`${REPO}benches/NOTES.md`, "utf8").catch(() => "");
const render = (ingest, sections) => {
  const extra = Object.entries(SECTIONS)
    .filter(([name]) => sections[name])
    .map(([name, section]) => section(sections[name]))
    .join("\n");
  const { extra: own, pairs } = sectionTargets(sections);
  const goals = targetsMarkdown(allTargets({ ingest, ...sections }, own, pairs));
  return markdown(ingest).replace("## Package size", `${extra}\n${dashboardMarkdown(dashboard)}\n${goals}\n${notes}\n## Package size`);
};
// The raw figures of every section, committed beside BENCHMARKS.md.
const saveAll = (ingest, sections) => writeFile(`${REPO}BENCHMARKS.json`, JSON.stringify({ ingest, ...sections }));

// `--only=scaling|segments|ltv` measures that section alone, then re-renders the report with
// the other sections as last saved.
const only = process.argv.find((a) => a.startsWith("--only="))?.slice("--only=".length);
const SECTION_RUNNERS = { scaling: runScalingBench, segments: runSegmentsBench, ltv: runLtvBench };
if (only !== undefined) {
  const run = SECTION_RUNNERS[only];
  if (!run) {
    console.error(`--only=${only}: the sections that run alone are ${Object.keys(SECTION_RUNNERS).join(", ")}`);
    process.exit(2);
  }
  await mkdir(RESULTS, { recursive: true });
  await snapshotDist();
  await run({ quick: process.argv.includes("--quick") });
}
if (process.argv.includes("--report-only") || only !== undefined) {
  const ingest = await saved("ingest");
  if (!ingest) {
    console.error("no saved ingest results: run `npm run bench` once");
    process.exit(2);
  }
  // The package size is a property of the build, not a timing: measure the current one.
  const wasmNow = await readFile(`${REPO}dist/wasm/insitu_bg.wasm`).catch(() => readFile(WASM));
  ingest.wasm = { raw: wasmNow.byteLength, gzip: gzipSync(wasmNow, { level: 9 }).byteLength };
  ingest.targets = targets(ingest.results);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(`${RESULTS}ingest.json`, JSON.stringify(ingest, null, 1));
  const sections = await savedSections();
  await writeFile(`${REPO}BENCHMARKS.md`, render(ingest, sections));
  await saveAll(ingest, sections);
  console.log("re-rendered BENCHMARKS.md from the saved results");
  process.exit(0);
}

const quick = process.argv.includes("--quick");
const sizes = quick ? [100_000, 1_000_000] : [100_000, 1_000_000, 10_000_000];
// More runs where a run is short, so the median settles; never fewer than 5.
// (A quick run takes the minimum everywhere, to finish in under 2 minutes.)
const runsFor = (events) => (quick ? 5 : events <= 1_000_000 ? 10 : 7);
const started = performance.now();
const loadAtStart = loadAverage();

await snapshotDist();
await ensureData(sizes);
const data = [];
for (const events of sizes) data.push(await describe(events));

const nodeResults = [];
for (const d of data) {
  console.log(`node: ${d.events} events (${d.rows} rows)`);
  const out = `${RESULTS}node-${d.events}.json`;
  execFileSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", fileURLToPath(new URL("./ingest-node.mjs", import.meta.url)),
      "--events", String(d.events), "--rows", String(d.rows), "--runs", String(runsFor(d.events)), "--out", out],
    { stdio: "inherit" },
  );
  nodeResults.push(JSON.parse(await readFile(out, "utf8")));
}

// The native build on the same data (the generator is deterministic across targets), so
// wasm can be compared with native in the same run.
console.log("native: cargo bench --bench ingest_native");
const native = cargoBench("ingest_native", sizes.map(String));

console.log("chromium: starting");
const browser = await runBrowser(data.map((d) => ({ events: d.events, rows: d.rows, runs: runsFor(d.events) })));

const byEvents = new Map(data.map((d) => [d.events, d]));
const results = [...nodeResults, ...browser.results].map((r) =>
  derive(r, byEvents.get(r.events), native.find((n) => n.events === r.rows)),
);
const wasmBytes = await readFile(WASM);
const report = {
  quick,
  machine: { ...machine(), load: { start: loadAtStart, end: loadAverage() } },
  chromium: browser.version,
  duckdb: nodeResults[0].duckdb,
  wasm: { raw: wasmBytes.byteLength, gzip: gzipSync(wasmBytes, { level: 9 }).byteLength },
  data: data.map(({ file, ...d }) => d),
  native,
  results,
  targets: targets(results),
  seconds: (performance.now() - started) / 1000,
};
await writeFile(`${RESULTS}ingest.json`, JSON.stringify(report, null, 1));
const analytics = await runAnalyticsBench(sizes, runsFor);
// Campaign KPIs again on a longer sample, which holds about 200 campaigns (full runs).
if (!quick) {
  const CAMPAIGN_DAYS = 1900;
  await ensureData([sizes.at(-1)], console.log, CAMPAIGN_DAYS);
  const many = await runAnalyticsBench([sizes.at(-1)], runsFor, { days: CAMPAIGN_DAYS, only: ["campaigns"] });
  analytics.results.push(...many.results);
  analytics.native.push(...many.native);
}
await writeFile(`${RESULTS}analytics.json`, JSON.stringify(analytics, null, 1));
const sections = { analytics, scaling: await runScalingBench({ quick }), segments: await runSegmentsBench({ quick }), ltv: await runLtvBench({ quick }) };
report.seconds = (performance.now() - started) / 1000;
await writeFile(`${REPO}BENCHMARKS.md`, render(report, sections));
await saveAll(report, sections);
console.log(render(report, sections).split("## Package size")[0]);
console.log(`wrote BENCHMARKS.md and bench-results/ingest.json in ${report.seconds.toFixed(0)} s`);
