// Every target of the benchmark issues, judged from one run's figures: met, not met or
// not measured, each with the evidence (the figures it rests on).
import { linearity } from "../scaling.mjs";
import { RUNTIME, label } from "./format.mjs";

const TARGET_EVENTS = 10_000_000;
const WASM_GZIP_TARGET = 400_000;
const WASM_NATIVE_TARGET = 2;
const LINEAR_TARGET = 1.3;
const x = (r) => `${r.toFixed(2)}×`;

const judge = (name, items) => ({
  name,
  verdict: items.length === 0 ? "not measured" : items.every((i) => i.met) ? "met" : "not met",
  evidence: items.map((i) => `${i.text}${i.met ? "" : " (not met)"}`).join("; "),
});

/** DuckDB / Insitu of an analytics case at 10M events, per runtime, against `min`. */
function faster(analytics, caseName, min) {
  return (analytics?.results ?? [])
    .filter((r) => r.events === TARGET_EVENTS && (r.days ?? 365) === 365 && r.cases[caseName])
    .map((r) => {
      const ratio = r.cases[caseName].duckdb.median / r.cases[caseName].insitu.median;
      return { met: ratio >= min, text: `${RUNTIME[r.runtime]} ${x(ratio)}` };
    });
}

/** Every wasm / native pair the run measured: ingest, analytics cases, the scaling series. */
export function wasmNativePairs({ ingest, analytics, scaling }) {
  const pairs = [];
  for (const r of ingest?.results ?? []) {
    if (r.wasmOverNative !== null) pairs.push({ what: `ingest ${label(r.events)}`, runtime: r.runtime, ratio: r.wasmOverNative });
  }
  for (const r of analytics?.results ?? []) {
    for (const [name, c] of Object.entries(r.cases)) {
      const n = analytics.native.find((m) => m.case === name && m.events === r.rows && (m.days ?? 365) === (r.days ?? 365));
      if (n) pairs.push({ what: `${name} ${label(r.events)}${(r.days ?? 365) === 365 ? "" : ` (${r.days} days)`}`, runtime: r.runtime, ratio: c.insitu.median / n.medianMs });
    }
  }
  for (const r of scaling?.results ?? []) {
    for (const [name, c] of Object.entries(r.cases)) {
      const n = scaling.native.find((m) => m.case === name && m.events === r.rows);
      if (n) pairs.push({ what: `scaling ${name} ${label(r.events)}`, runtime: r.runtime, ratio: c.median / n.medianMs });
    }
  }
  return pairs;
}

/**
 * sections: { ingest, analytics, scaling, ... } as saved in bench-results/; `extra` are
 * targets judged by other sections (segments, lifetime value): [{ name, verdict, evidence }],
 * and `extraPairs` their wasm / native pairs: [{ what, runtime, ratio }].
 */
export function allTargets(sections, extra = [], extraPairs = []) {
  const { ingest, analytics, scaling } = sections;
  const targets = [];
  targets.push(judge("Funnel (5 steps, 7d window, breakdown) at least 20× faster than DuckDB-WASM at 10M events", faster(analytics, "funnel", 20)));
  targets.push(judge("Retention (8 weekly periods) at least 10× faster than DuckDB-WASM at 10M events", faster(analytics, "retention", 10)));
  targets.push(...extra);
  targets.push(judge("Ingest + index of 10M events faster than DuckDB-WASM's insert", ingest?.targets.speed.items ?? []));
  targets.push(judge("Peak wasm memory under 3× the raw column bytes", ingest?.targets.memory.items ?? []));
  const pairs = [...wasmNativePairs(sections), ...extraPairs];
  const over = pairs.filter((p) => p.ratio > WASM_NATIVE_TARGET);
  const worst = [...pairs].sort((a, b) => b.ratio - a.ratio).slice(0, 3);
  targets.push({
    name: `Wasm within ${WASM_NATIVE_TARGET}× of native on every case`,
    verdict: pairs.length === 0 ? "not measured" : over.length ? "not met" : "met",
    evidence:
      `${pairs.length} pairs measured; ` +
      (over.length ? `over ${WASM_NATIVE_TARGET}×: ${over.map((p) => `${p.what} in ${RUNTIME[p.runtime]} ${x(p.ratio)}`).join(", ")}` : `the largest: ${worst.map((p) => `${p.what} in ${RUNTIME[p.runtime]} ${x(p.ratio)}`).join(", ")}`),
  });
  const growth = [];
  for (const r of ["node", "chromium"]) {
    for (const c of ["ingest", "funnel"]) {
      const points = (scaling?.results ?? []).filter((p) => p.runtime === r && p.cases[c]).map((p) => ({ rows: p.rows, events: p.events, ms: p.cases[c].median }));
      if (points.length < 2) continue;
      const g = linearity(points);
      const top = g.reduce((a, b) => (b.growth > a.growth ? b : a));
      growth.push({ met: top.growth <= LINEAR_TARGET, text: `${c} in ${RUNTIME[r]} ${x(top.growth)} (at ${label(top.events)})` });
    }
  }
  const span = scaling ? `${label(scaling.sizes[0])} to ${label(scaling.sizes.at(-1))}` : "1M to 20M";
  targets.push(judge(`Cost grows linearly (within ${LINEAR_TARGET}× of linear from ${span} events) for ingest and funnels`, growth));
  const gz = ingest?.wasm?.gzip;
  targets.push({
    name: "`.wasm` under 400 KB gzipped",
    verdict: gz === undefined ? "not measured" : gz < WASM_GZIP_TARGET ? "met" : "not met",
    evidence: gz === undefined ? "" : `${gz.toLocaleString("en-US")} bytes gzipped (${ingest.wasm.raw.toLocaleString("en-US")} raw)`,
  });
  return targets;
}

/** The Targets section of BENCHMARKS.md. */
export function targetsMarkdown(targets) {
  return ["## Targets", "", ...targets.map((t) => `- ${t.name}: **${t.verdict}**${t.evidence ? `. ${t.evidence}.` : "."}`), ""].join("\n");
}
