// The analytics cases, written once for both hosts (Node and the Chromium page): each
// runs the same question through Insitu and through DuckDB-WASM SQL on the same tables,
// checks the answers are equal, then times both, alternating round by round.
// The Insitu options live in benches/queries.json, which the native benchmark reads too.
import { orderedFunnelSql } from "../../tests/reference/funnel_sql.mjs";
import { matrix, retentionSql } from "../../tests/reference/retention_sql.mjs";
import { rfmSql } from "../../tests/reference/rfm_sql.mjs";
import { campaignKpiSql } from "../../tests/reference/campaign_sql.mjs";
import QUERIES from "../queries.json" with { type: "json" };
import { plainRetention } from "./plain-js.mjs";
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
    // The same question in plain JavaScript over the decoded Arrow tables.
    plain: (tables) => plainRetention(tables, { periods: QUERIES.retention.periods }),
    plainAnswer: (r) => r,
  },
  {
    name: "rfm",
    title: "RFM scores and the 11 named segments (5 bins, all orders)",
    // Insitu returns the per-customer table (Arrow) and the segment summary; DuckDB the
    // per-customer rows. Compared: customers per segment.
    insitu: (ds) => ds.rfm(QUERIES.rfm),
    sql: rfmSql("orders", QUERIES.rfm.asOf, 5, "total"),
    insituAnswer: (r) => byValue(r.segments.filter((s) => s.customers > 0).map((s) => [s.segment, s.customers])),
    sqlAnswer: (rows) => {
      const counts = new Map();
      for (const r of rows) counts.set(r.segment, (counts.get(r.segment) ?? 0) + 1);
      return byValue(counts.entries());
    },
  },
  {
    name: "campaigns",
    title: "Campaign KPIs: recipients, opens, clicks, last-touch converters within 7 days",
    insitu: (ds) => ds.campaigns(QUERIES.campaigns),
    sql: campaignKpiSql(7 * 86_400_000),
    insituAnswer: (r) => byValue(r.campaigns.map((c) => [c.name, [c.recipients, c.opens, c.clicks, c.converters, c.conversions]])),
    sqlAnswer: (rows) => byValue(rows.map((r) => [r.k, [r.recipients, r.opens, r.clicks, r.converters, r.conversions]])),
  },
];

/**
 * Runs every case on one dataset. `ds` is an Insitu dataset of the tables, `duck` has
 * the same tables loaded as events / orders / customers and answers `rows(sql)`, and
 * `arrow` holds them decoded by apache-arrow, for the plain JavaScript comparators;
 * `memory()` reads the wasm memory size.
 */
export async function runAnalytics({ ds, duck, arrow, memory, runs, gc, log = () => {}, only }) {
  const results = {};
  for (const c of CASES.filter((c) => !only || only.includes(c.name))) {
    log(`${c.name}: checking answers`);
    const expected = JSON.stringify(c.sqlAnswer(await duck.rows(c.sql)));
    const got = JSON.stringify(c.insituAnswer(c.insitu(ds)));
    if (got !== expected) throw new Error(`${c.name}: Insitu and DuckDB disagree:\n insitu ${got}\n duckdb ${expected}`);
    const cases = { insitu: { run: () => c.insitu(ds) }, duckdb: { run: () => duck.rows(c.sql) } };
    if (c.plain && arrow) {
      const plain = JSON.stringify(c.plainAnswer(c.plain(arrow)));
      if (plain !== expected) throw new Error(`${c.name}: plain JS and DuckDB disagree:\n plain ${plain}\n duckdb ${expected}`);
      cases.plain = { run: () => c.plain(arrow) };
    }
    log(`${c.name}: 1 + ${runs} rounds`);
    results[c.name] = await measureRounds({ runs, gc, cases });
    // Wasm memory only grows, so after a case it is the peak so far (ingest included).
    results[c.name].peakMemory = memory?.();
  }
  return results;
}
