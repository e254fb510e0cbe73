// The analytics cases, written once for both hosts (Node and the Chromium page): each
// runs the same question through Insitu and through DuckDB-WASM SQL on the same tables,
// checks the answers are equal, then times both, alternating round by round.
// The Insitu options live in benches/queries.json, which the native benchmark reads too.
import { orderedFunnelSql } from "../../tests/reference/funnel_sql.mjs";
import { matrix, retentionSql } from "../../tests/reference/retention_sql.mjs";
import QUERIES from "../queries.json" with { type: "json" };
import { measureRounds } from "./stats.mjs";

const FUNNEL_STEPS = QUERIES.funnel.steps;
const WEEK_MS = 7 * 86_400_000;

/** Funnel counts per breakdown value, as { value: [n0..n4] }. */
const byValue = (entries) => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));

export const CASES = [
  {
    name: "funnel",
    title: "5-step ordered funnel, 7-day window, breakdown by source (first touch)",
    insitu: (ds) => ds.funnel(QUERIES.funnel),
    sql: orderedFunnelSql(FUNNEL_STEPS, WEEK_MS, "source"),
    insituAnswer: (r) => byValue(r.breakdown.values.map((v) => [v.value, v.steps.map((s) => s.count)])),
    sqlAnswer: (rows) => byValue(rows.map((r) => [r.value, FUNNEL_STEPS.map((_, k) => r[`n${k}`])])),
  },
  {
    name: "retention",
    title: "Weekly retention, 8 periods, first signup -> visit",
    insitu: (ds) => ds.retention(QUERIES.retention),
    sql: retentionSql({ unit: "week", periods: QUERIES.retention.periods }),
    insituAnswer: (r) => r.cohorts.map(({ start, size, counts }) => ({ start, size, counts })),
    sqlAnswer: (rows) => matrix(rows),
  },
];

/**
 * Runs every case on one dataset. `ds` is an Insitu dataset of the tables, `duck` has
 * the same tables loaded as events / orders / customers and answers `rows(sql)`.
 */
export async function runAnalytics({ ds, duck, runs, gc, log = () => {}, only }) {
  const results = {};
  for (const c of CASES.filter((c) => !only || only.includes(c.name))) {
    log(`${c.name}: checking answers`);
    const expected = JSON.stringify(c.sqlAnswer(await duck.rows(c.sql)));
    const got = JSON.stringify(c.insituAnswer(c.insitu(ds)));
    if (got !== expected) throw new Error(`${c.name}: Insitu and DuckDB disagree:\n insitu ${got}\n duckdb ${expected}`);
    log(`${c.name}: 1 + ${runs} rounds`);
    results[c.name] = await measureRounds({
      runs,
      gc,
      cases: {
        insitu: { run: () => c.insitu(ds) },
        duckdb: { run: () => duck.rows(c.sql) },
      },
    });
  }
  return results;
}
