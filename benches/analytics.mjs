// The analytics benchmark: every case of benches/lib/analytics-cases.mjs at each size, in
// Node (a process per size), in Chromium (a page per size) and natively (cargo bench),
// on the cached sample tables. Returns the figures for the report.
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runBrowser } from "./ingest-browser.mjs";
import { RESULTS } from "./lib/data.mjs";
import { cargoBench } from "./lib/native.mjs";
import { RUNTIME, label, ms } from "./lib/format.mjs";

/**
 * sizes: event counts (their data must be cached); runsFor(events) -> timed runs.
 * `days` other than 365 selects a data variant and `only` a subset of the cases: the
 * campaign case also runs on 5.2 years of data, which holds about 200 campaigns.
 */
export async function runAnalyticsBench(sizes, runsFor, { days = 365, only } = {}) {
  const node = [];
  const extra = ["--days", String(days), ...(only ? ["--only", only.join(",")] : [])];
  for (const events of sizes) {
    console.log(`analytics, node: ${events} events${days === 365 ? "" : `, ${days} days`}`);
    const out = `${RESULTS}analytics-node-${events}-d${days}.json`;
    execFileSync(
      process.execPath,
      ["--expose-gc", "--max-old-space-size=8192", fileURLToPath(new URL("./analytics-node.mjs", import.meta.url)),
        "--events", String(events), "--runs", String(runsFor(events)), "--out", out, ...extra],
      { stdio: "inherit" },
    );
    node.push(JSON.parse(await readFile(out, "utf8")));
  }
  console.log("analytics, native: cargo bench --bench analytics_native");
  const nativeArgs = [...sizes.map(String), `days=${days}`, ...(only ? [`only=${only.join(",")}`] : [])];
  const native = cargoBench("analytics_native", nativeArgs).map((line) => ({ days, ...line }));
  console.log("analytics, chromium");
  const browser = await runBrowser(
    sizes.map((events) => ({ events, rows: 0, runs: runsFor(events) })),
    { page: "browser/analytics.html", timeoutMs: 60 * 60_000, query: `&days=${days}${only ? `&only=${only.join(",")}` : ""}` },
  );
  return { results: [...node, ...browser.results], native };
}


/** The analytics section of BENCHMARKS.md. */
export function analyticsMarkdown({ results, native }, titles) {
  const lines = [
    "## Analytics",
    "",
    "Each case asks the same question of Insitu (on the ingested dataset) and of DuckDB-WASM",
    "(SQL over the same tables, inserted with `insertArrowFromIPCStream`), in the same process or",
    "page. Before timing, both answers are checked equal. Insitu and DuckDB alternate round by",
    "round; median / min / max over the timed rounds after one warm-up. Native is the same query",
    "in the native build (`cargo bench --bench analytics_native`, malloc keeping freed memory as",
    "wasm does: see `benches/lib/native.mjs`), median of 5 after a warm-up.",
    "The SQL is in `tests/reference/` (the tests use it too); the Insitu options in `benches/queries.json`.",
    "Where a metric is simple enough to write by hand, a plain JavaScript version over the apache-arrow",
    "tables (`benches/lib/plain-js.mjs`; decoding them is not timed) is a third comparator, checked equal too.",
    "",
    "| Case | Runtime | Events | Insitu median ms (min–max) | DuckDB median ms (min–max) | DuckDB / Insitu | Plain JS median ms | Plain JS / Insitu | Native ms | Wasm / native | Peak wasm memory |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of results) {
    for (const [name, c] of Object.entries(r.cases)) {
      const n = native.find((x) => x.case === name && x.events === r.rows && (x.days ?? 365) === (r.days ?? 365));
      const title = (titles[name] ?? name) + ((r.days ?? 365) === 365 ? "" : ` (${r.days} days: ${r.campaigns} campaigns)`);
      lines.push(
        `| ${title} | ${RUNTIME[r.runtime]} | ${label(r.events)} | ${ms(c.insitu.median)} (${ms(c.insitu.min)}–${ms(c.insitu.max)}) | ` +
          `${ms(c.duckdb.median)} (${ms(c.duckdb.min)}–${ms(c.duckdb.max)}) | ${(c.duckdb.median / c.insitu.median).toFixed(1)}× | ` +
          (c.plain ? `${ms(c.plain.median)} (${ms(c.plain.min)}–${ms(c.plain.max)}) | ${(c.plain.median / c.insitu.median).toFixed(1)}× | ` : "– | – | ") +
          `${n ? ms(n.medianMs) : "–"} | ${n ? `${(c.insitu.median / n.medianMs).toFixed(2)}×` : "–"} | ` +
          `${c.peakMemory ? `${(c.peakMemory / 2 ** 20).toFixed(0)} MiB` : "–"} |`,
      );
    }
  }
  lines.push(
    "",
    "DuckDB / Insitu above 1× means Insitu is faster. Peak wasm memory is the instance's size after the case",
    "(it only grows, so it includes ingesting the three tables and the cases before).",
    "",
  );
  return lines.join("\n");
}
