// The lifetime-value benchmark (issue 5): summary + BG/NBD + Gamma-Gamma fit on the CDNOW
// sample and on generated customers, in Node, headless Chromium and the native build,
// against the Python `lifetimes` package on the same transactions in the same run. Each
// side's parameters are checked against lifetimes' (3 decimals) before its time counts.
// usage: node benches/ltv.mjs [--quick]   (writes bench-results/ltv.json, prints Markdown)
// As a module: runLtvBench({ quick }) and ltvMarkdown(json), for benches/run.mjs.
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runBrowser } from "./ingest-browser.mjs";
import { REPO, RESULTS, snapshotDist } from "./lib/data.mjs";
import { ensureLtvData, ltvFile } from "./lib/ltv-data.mjs";
import { cargoBench } from "./lib/native.mjs";
import { checkLtv, ltvMarkdown, summarizeRuns } from "./lib/ltv-report.mjs";
import { loadAverage, machine } from "./lib/machine.mjs";
import { ensurePython } from "./lib/python.mjs";

export { ltvMarkdown };

// Insitu runs are short: more of them. lifetimes takes tens of seconds per run on 1M
// customers, so it gets 3 there (documented in the report); 5 or more elsewhere.
const insituRuns = (customers) => (customers > 200_000 ? 7 : 10);
const pythonRuns = (customers) => (customers > 200_000 ? 3 : customers > 10_000 ? 5 : 7);

function runPython(python, meta, log) {
  const runs = pythonRuns(meta.customers);
  log(`ltv, lifetimes: ${meta.name} (${runs} runs after a warm-up)`);
  const out = execFileSync(
    python,
    [`${REPO}benches/python/ltv_bench.py`, "--csv", ltvFile(meta.name, "csv"), "--calibration-end", meta.calibrationEnd, "--runs", String(runs)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 << 20 },
  );
  const raw = JSON.parse(out.trim().split("\n").at(-1));
  return { ...raw, timing: summarizeRuns(raw.runs) };
}

async function runNode(meta, log) {
  log(`ltv, node: ${meta.name}`);
  const out = `${RESULTS}ltv-node-${meta.name}.json`;
  execFileSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", fileURLToPath(new URL("./ltv-node.mjs", import.meta.url)),
      "--name", meta.name, "--runs", String(insituRuns(meta.customers)), "--out", out],
    { stdio: "inherit" },
  );
  return JSON.parse(await readFile(out, "utf8"));
}

function runNative(metas, log) {
  log("ltv, native: cargo bench --bench ltv_native");
  return cargoBench("ltv_native", [...metas.map((m) => m.name), "runs=7"]);
}

/**
 * Runs every side on every dataset (making the data first if it is missing or stale; dist/
 * must be snapshotted, as run.mjs and the standalone run below do); writes
 * bench-results/ltv.json and returns it.
 */
export async function runLtvBench({ quick = false, log = console.log } = {}) {
  const started = performance.now();
  const loadAtStart = loadAverage();
  const metas = await ensureLtvData(quick, log);
  const python = await ensurePython(log);
  const native = runNative(metas, log);
  const node = [];
  for (const meta of metas) node.push(await runNode(meta, log));
  // A browser per dataset: runBrowser's query is per call, and each page gets its own wasm.
  const browser = { version: null, error: null, results: [] };
  for (const meta of metas) {
    log(`ltv, chromium: ${meta.name}`);
    try {
      const b = await runBrowser([{ events: 0, rows: 0, runs: insituRuns(meta.customers) }], {
        page: "browser/ltv.html",
        timeoutMs: 30 * 60_000,
        query: `&name=${meta.name}`,
      });
      browser.version = b.version;
      browser.results.push(...b.results);
    } catch (e) {
      browser.error = `${meta.name}: ${e}`;
      log(`ltv, chromium failed: ${browser.error}`);
    }
  }
  const pythonResults = [];
  for (const meta of metas) pythonResults.push(python ? runPython(python, meta, log) : null);

  const datasets = metas.map(({ key, ...meta }, i) => {
    const lifetimes = pythonResults[i];
    const nat = native.find((n) => n.dataset === meta.name) ?? null;
    const runtimes = ["node", "chromium"].map((runtime) => {
      const r = (runtime === "node" ? node : browser.results).find((x) => x.dataset === meta.name);
      return r ? { runtime, ...r, check: checkLtv(r, lifetimes) } : { runtime, missing: true };
    });
    return { ...meta, lifetimes, native: nat ? { ...nat, check: checkLtv(nat, lifetimes) } : null, runtimes };
  });
  const report = {
    quick,
    machine: { ...machine(), load: { start: loadAtStart, end: loadAverage() } },
    chromium: browser.version,
    chromiumError: browser.error,
    python: python ? pythonResults.find(Boolean)?.versions ?? null : null,
    pythonSkipped: python ? null : "python3 not found: lifetimes was not run",
    datasets,
    seconds: (performance.now() - started) / 1000,
  };
  await writeFile(`${RESULTS}ltv.json`, JSON.stringify(report, null, 1));
  return report;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes("--quick");
  await snapshotDist();
  const report = await runLtvBench({ quick });
  console.log(ltvMarkdown(report));
  console.log(`wrote bench-results/ltv.json in ${report.seconds.toFixed(0)} s`);
}
