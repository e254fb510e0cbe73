// The scaling series: ingest + index and the benchmark funnel at 1M, 2M, 5M, 10M and 20M
// events, in Node (a process per size), Chromium (a page per size) and natively, to show
// how cost grows with the data. Target (issue 8): within 1.3x of linear from 1M to 20M.
// usage: node benches/scaling.mjs [--quick]   (standalone; run.mjs calls runScalingBench)
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runBrowser } from "./ingest-browser.mjs";
import { RESULTS, describe, ensureData, snapshotDist } from "./lib/data.mjs";
import { cargoBench } from "./lib/native.mjs";
import { label, ms } from "./lib/format.mjs";

export const SCALING_SIZES = [1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000];
// A quick run reuses the ingest benchmark's two sizes.
const QUICK_SIZES = [100_000, 1_000_000];
const LINEAR_TARGET = 1.3;
const RUNS = 5;

/** Runs the series; writes bench-results/scaling.json and returns the figures. */
export async function runScalingBench({ quick = false } = {}) {
  const sizes = quick ? QUICK_SIZES : SCALING_SIZES;
  await ensureData(sizes);
  const data = [];
  for (const events of sizes) data.push(await describe(events));
  const results = [];
  for (const d of data) {
    console.log(`scaling, node: ${d.events} events`);
    const out = `${RESULTS}scaling-node-${d.events}.json`;
    execFileSync(
      process.execPath,
      ["--expose-gc", "--max-old-space-size=8192", fileURLToPath(new URL("./scaling-node.mjs", import.meta.url)),
        "--events", String(d.events), "--rows", String(d.rows), "--runs", String(RUNS), "--out", out],
      { stdio: "inherit" },
    );
    results.push(JSON.parse(await readFile(out, "utf8")));
  }
  console.log("scaling, chromium");
  const browser = await runBrowser(
    data.map((d) => ({ events: d.events, rows: d.rows, runs: RUNS })),
    { page: "browser/scaling.html", timeoutMs: 30 * 60_000 },
  );
  results.push(...browser.results);
  console.log("scaling, native: cargo bench --bench ingest_native / analytics_native");
  const native = [
    ...cargoBench("ingest_native", sizes.map(String)).map((n) => ({ case: "ingest", events: n.events, medianMs: n.ingestMedianMs })),
    ...cargoBench("analytics_native", [...sizes.map(String), "only=funnel"]).map((n) => ({ case: n.case, events: n.events, medianMs: n.medianMs })),
  ];
  const report = { quick, sizes, runs: RUNS, data: data.map(({ file, ...d }) => d), results, native };
  await writeFile(`${RESULTS}scaling.json`, JSON.stringify(report, null, 1));
  return report;
}

const RUNTIMES = [
  ["node", "Node"],
  ["chromium", "Chromium"],
  ["native", "Native"],
];
const CASE_TITLES = { ingest: "Ingest + index", funnel: "5-step funnel, 7-day window, breakdown by source" };

/** Median ms per runtime × case × rows, with native figures keyed the same way. */
function series({ results, native }) {
  const rows = [];
  for (const r of results) for (const [c, t] of Object.entries(r.cases)) rows.push({ runtime: r.runtime, case: c, events: r.events, rows: r.rows, ms: t.median, min: t.min, max: t.max });
  for (const n of native) rows.push({ runtime: "native", case: n.case, rows: n.events, ms: n.medianMs });
  return rows;
}

/**
 * Growth against linear: (cost per event at N) / (cost per event at the smallest size).
 * 1.0 is exactly linear; the target is at most 1.3 at every size.
 */
export function linearity(points) {
  const sorted = [...points].sort((a, b) => a.rows - b.rows);
  const base = sorted[0].ms / sorted[0].rows;
  return sorted.map((p) => ({ ...p, perEventNs: (p.ms / p.rows) * 1e6, growth: p.ms / p.rows / base }));
}

/** The scaling section of BENCHMARKS.md. */
export function scalingMarkdown(report) {
  const all = series(report);
  const eventsOf = new Map(report.data.map((d) => [d.rows, d.events]));
  const lines = [
    "## Scaling",
    "",
    `Insitu alone at ${report.sizes.map(label).join(", ")} events (the sample generator, seed 42, one table per size):`,
    "ingest + index of the events table (a fresh dataset per run), then the benchmark funnel on it",
    `(\`benches/queries.json\`). Median of ${report.runs} runs after a warm-up; Node and Chromium in a process or page per size,`,
    "native from `cargo bench` (ingest_native, analytics_native with `only=funnel`; the native funnel runs on the",
    "dataset of all three sample tables). *Growth* is the cost per event at that size over the cost per event",
    `at the smallest size: 1.00× is linear; the target is at most ${LINEAR_TARGET}× at every size.`,
    "",
    "| Case | Runtime | " + report.sizes.map((s) => `${label(s)} ms`).join(" | ") + " | ns / event (smallest → largest) | Largest growth |",
    "|---|---|" + report.sizes.map(() => "---:|").join("") + "---:|---:|",
  ];
  const verdicts = [];
  for (const c of Object.keys(CASE_TITLES)) {
    for (const [runtime, name] of RUNTIMES) {
      const points = all.filter((p) => p.case === c && p.runtime === runtime);
      if (!points.length) continue;
      const grown = linearity(points);
      const byEvents = new Map(grown.map((p) => [p.events ?? eventsOf.get(p.rows), p]));
      const worst = grown.reduce((a, b) => (b.growth > a.growth ? b : a));
      verdicts.push({ case: c, runtime: name, worst });
      lines.push(
        `| ${CASE_TITLES[c]} | ${name} | ` +
          report.sizes.map((s) => (byEvents.has(s) ? ms(byEvents.get(s).ms) : "–")).join(" | ") +
          ` | ${grown[0].perEventNs.toFixed(1)} → ${grown.at(-1).perEventNs.toFixed(1)} | ${worst.growth.toFixed(2)}× |`,
      );
    }
  }
  const missed = verdicts.filter((v) => v.worst.growth > LINEAR_TARGET);
  lines.push(
    "",
    missed.length
      ? `Linear-growth target missed for: ${missed.map((v) => `${CASE_TITLES[v.case].split(",")[0]} in ${v.runtime} (${v.worst.growth.toFixed(2)}× at ${label(eventsOf.get(v.worst.rows) ?? v.worst.events)})`).join("; ")}.`
      : `Linear-growth target met: every case and runtime stays within ${LINEAR_TARGET}× of linear.`,
    "",
  );
  return lines.join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await snapshotDist();
  const report = await runScalingBench({ quick: process.argv.includes("--quick") });
  console.log(scalingMarkdown(report));
}
