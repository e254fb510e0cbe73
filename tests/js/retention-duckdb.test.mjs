// A second engine: retention matrices, lifecycle counts and CRM stages on the generated
// sample, computed independently in DuckDB SQL (date_trunc periods: ISO weeks from
// Monday), must equal ds.retention() / ds.lifecycle() / ds.stages() exactly.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Insitu } from "../../dist/node.js";
import { UNITS, matrix, retentionSql, trunc } from "../reference/retention_sql.mjs";
import { openDuckDB } from "./duckdb.mjs";

const insitu = await Insitu.load();
const sample = insitu.sample({ events: 50_000, seed: 5 });
const ds = insitu.dataset(sample);
let duck;

before(async () => {
  duck = await openDuckDB();
  duck.load("events", sample.events);
  duck.load("orders", sample.orders);
  duck.load("customers", sample.customers);
});
after(() => {
  duck.close();
  ds.free();
});

const strip = (result) => result.cohorts.map(({ start, size, counts }) => ({ start, size, counts }));

test("weekly first-time and recurring retention equal DuckDB", () => {
  for (const recurring of [false, true]) {
    for (const cumulative of [false, true]) {
      const options = { unit: "week", periods: 8, recurring, cumulative };
      const expected = matrix(duck.rows(retentionSql(options)));
      const got = strip(
        ds.retention({ period: "week", periods: 8, mode: recurring ? "recurring" : "firstTime", cumulative }),
      );
      assert.ok(expected.length > 40, "enough cohorts to mean something");
      assert.ok(expected.some((c) => c.counts[1] > 0) && expected.some((c) => c.counts.includes(null)));
      assert.deepEqual(got, expected, JSON.stringify({ recurring, cumulative }));
    }
  }
});

test("daily and monthly retention equal DuckDB", () => {
  for (const [unit, periods] of [
    ["day", 14],
    ["month", 6],
  ]) {
    for (const recurring of [false, true]) {
      const expected = matrix(duck.rows(retentionSql({ unit, periods, recurring })));
      const got = strip(ds.retention({ period: unit, periods, mode: recurring ? "recurring" : "firstTime" }));
      assert.deepEqual(got, expected, `${unit} recurring=${recurring}`);
    }
  }
});

test("revenue retention equals DuckDB (sums to 1e-9 relative)", () => {
  const expected = matrix(duck.rows(retentionSql({ unit: "week", periods: 8, revenue: true })));
  const got = strip(ds.retention({ period: "week", periods: 8, revenue: true }));
  assert.equal(got.length, expected.length);
  for (let i = 0; i < got.length; i++) {
    assert.equal(got[i].start, expected[i].start);
    assert.equal(got[i].size, expected[i].size);
    got[i].counts.forEach((v, k) => {
      const want = expected[i].counts[k];
      if (want === null) assert.equal(v, null);
      else assert.ok(Math.abs(v - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${v} vs ${want}`);
    });
  }
  assert.ok(got.some((c) => c.counts[1] > 0));
});

test("property: every cell is at most its cohort size", () => {
  for (const mode of ["firstTime", "recurring"]) {
    for (const cumulative of [false, true]) {
      for (const period of ["day", "week", "month"]) {
        const r = ds.retention({ mode, cumulative, period, periods: 20, breakdown: "country" });
        for (const c of [...r.cohorts, ...r.breakdown.flatMap((g) => g.cohorts)]) {
          assert.equal(c.counts[0], c.size);
          for (const v of c.counts) assert.ok(v === null || (v >= 0 && v <= c.size), `${mode} ${period} ${v} > ${c.size}`);
        }
        // Breakdown groups partition the cohorts.
        const total = r.breakdown.reduce((s, g) => s + g.size, 0);
        assert.equal(total, r.cohorts.reduce((s, c) => s + c.size, 0));
      }
    }
  }
});

/** SQL for lifecycle counts per period; activity = events, orders and signups. */
function lifecycleSql(unit) {
  const interval = { day: "INTERVAL 1 DAY", week: "INTERVAL 7 DAY", month: "INTERVAL 1 MONTH" }[unit];
  return `
    WITH act AS (
      SELECT DISTINCT c, p FROM (
        SELECT customer_id AS c, ${trunc(unit, '"timestamp"')} AS p FROM events
        UNION ALL SELECT customer_id, ${trunc(unit, '"timestamp"')} FROM orders
        UNION ALL SELECT customer_id, ${trunc(unit, "signup_time")} FROM customers WHERE signup_time IS NOT NULL)
    ),
    seq AS (
      SELECT p, lag(p) OVER (PARTITION BY c ORDER BY p) AS prev, lead(p) OVER (PARTITION BY c ORDER BY p) AS next FROM act
    ),
    kinds AS (
      SELECT p, CASE WHEN prev IS NULL THEN 'new' WHEN prev = p - ${interval} THEN 'returning' ELSE 'resurrecting' END AS kind FROM seq
      UNION ALL
      SELECT p + ${interval}, 'dormant' FROM seq WHERE next IS NULL OR next <> p + ${interval}
    ),
    span AS (SELECT min(p) AS lo, max(p) AS hi FROM act)
    SELECT epoch_ms(g.p) AS start,
      count(k.kind) FILTER (WHERE k.kind = 'new') AS new,
      count(k.kind) FILTER (WHERE k.kind = 'returning') AS returning,
      count(k.kind) FILTER (WHERE k.kind = 'resurrecting') AS resurrecting,
      count(k.kind) FILTER (WHERE k.kind = 'dormant') AS dormant
    FROM span, generate_series(span.lo, span.hi, ${interval}) g(p)
    LEFT JOIN kinds k ON k.p = g.p
    GROUP BY g.p ORDER BY g.p`;
}

test("lifecycle counts equal DuckDB for days, weeks and months", () => {
  for (const unit of ["day", "week", "month"]) {
    const expected = duck.rows(lifecycleSql(unit));
    const got = ds.lifecycle({ period: unit }).periods;
    assert.ok(expected.length > 10);
    assert.ok(expected.some((p) => p.resurrecting > 0 && p.dormant > 0 && p.returning > 0));
    assert.deepEqual(got, expected, unit);
  }
});

/** SQL for each customer's stage at `asOf` (ms) with thresholds in ms. */
function stagesSql(asOf, { dormant, churn, fresh }) {
  return `
    WITH ev AS (SELECT customer_id AS c, max(epoch_ms("timestamp")) AS last_event FROM events
                WHERE epoch_ms("timestamp") <= ${asOf} GROUP BY 1),
    od AS (SELECT customer_id AS c, count(*) AS n, min(epoch_ms("timestamp")) AS first_order,
                  max(epoch_ms("timestamp")) AS last_order FROM orders WHERE epoch_ms("timestamp") <= ${asOf} GROUP BY 1),
    cu AS (SELECT customer_id AS c, epoch_ms(signup_time) AS signup FROM customers),
    everyone AS (
      SELECT c, ev.last_event, od.n, od.first_order, od.last_order, cu.c IS NOT NULL AS listed,
        CASE WHEN cu.signup <= ${asOf} THEN cu.signup END AS signup
      FROM (SELECT c FROM ev UNION SELECT c FROM od UNION SELECT c FROM cu) ids
      LEFT JOIN ev USING (c) LEFT JOIN od USING (c) LEFT JOIN cu USING (c)
    ),
    known AS (
      SELECT *, greatest(coalesce(last_event, -1e18), coalesce(last_order, -1e18), coalesce(signup, -1e18)) AS last_active
      FROM everyone WHERE n > 0 OR (listed AND signup IS NOT NULL)
    )
    SELECT c AS customer_id, CASE
      WHEN ${asOf} - last_active > ${churn} THEN 'churned'
      WHEN n IS NULL THEN 'prospect'
      WHEN ${asOf} - last_order > ${dormant} THEN 'dormant'
      WHEN n = 1 OR ${asOf} - first_order <= ${fresh} THEN 'new'
      ELSE 'repeat' END AS stage
    FROM known ORDER BY c`;
}

test("stages equal DuckDB per customer", () => {
  const DAY = 86_400_000;
  for (const [asOf, thresholds] of [
    [Date.parse("2024-09-15T00:00:00Z"), { dormant: 60 * DAY, churn: 90 * DAY, fresh: 30 * DAY }],
    [Date.parse("2024-12-31T00:00:00Z"), { dormant: 45 * DAY, churn: 120 * DAY, fresh: 14 * DAY }],
  ]) {
    const expected = duck.rows(stagesSql(asOf, thresholds));
    const { counts, customers } = ds.stages({
      asOf,
      dormantAfter: thresholds.dormant,
      churnAfter: thresholds.churn,
      newWithin: thresholds.fresh,
    });
    const got = customers
      .toArray()
      .map((r) => ({ customer_id: Number(r.customer_id), stage: r.stage }))
      .sort((a, b) => a.customer_id - b.customer_id);
    assert.deepEqual(got, expected);
    const tally = { prospect: 0, new: 0, repeat: 0, dormant: 0, churned: 0 };
    for (const r of expected) tally[r.stage]++;
    assert.deepEqual(counts, tally);
    assert.ok(Object.values(tally).every((n) => n > 0), JSON.stringify(tally));
  }
});
