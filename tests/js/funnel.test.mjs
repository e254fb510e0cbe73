// Funnels and AARRR through the package, checked against DuckDB SQL on generated data.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";
import { openDuckDB } from "./duckdb.mjs";

const insitu = await Insitu.load();
const sample = insitu.sample({ events: 60_000, seed: 9 });
const ds = insitu.dataset(sample);
let duck;

before(async () => {
  duck = await openDuckDB();
  duck.load("events", sample.events);
});
after(() => {
  duck.close();
  ds.free();
});

const STEPS = ["visit", "view_product", "add_to_cart", "begin_checkout", "purchase"];

/**
 * The ordered funnel in SQL. Every step-1 event restarts the path until the customer
 * converts, so each step-1 event opens a segment that ends at the next one; inside a
 * segment the path takes the earliest next step within the window. At equal times the
 * next step-1 event is read first (step order), so a segment is [start, next start).
 */
function orderedFunnelSql(steps, windowMs) {
  const step = (i) => `'${steps[i]}'`;
  let sql = `WITH ev AS (SELECT customer_id AS c, epoch_ms(timestamp) AS t, event AS e FROM events),
    s0 AS (SELECT c, t AS t0, LEAD(t) OVER (PARTITION BY c ORDER BY t) AS nxt FROM ev WHERE e = ${step(0)})`;
  for (let i = 1; i < steps.length; i++) {
    const prev = `s${i - 1}`;
    const keys = Array.from({ length: i }, (_, k) => `${prev}.t${k}`).join(", ");
    sql += `, s${i} AS (SELECT ${prev}.c, ${prev}.nxt, ${keys}, min(ev.t) AS t${i} FROM ${prev} LEFT JOIN ev
      ON ev.c = ${prev}.c AND ev.e = ${step(i)} AND ${prev}.t${i - 1} IS NOT NULL AND ev.t >= ${prev}.t${i - 1}
      AND (${prev}.nxt IS NULL OR ev.t < ${prev}.nxt) AND ev.t - ${prev}.t0 <= ${windowMs}
      GROUP BY ${prev}.c, ${prev}.nxt, ${keys})`;
  }
  const last = `s${steps.length - 1}`;
  const reached = Array.from({ length: steps.length }, (_, k) => `(t${k} IS NOT NULL)::INT`).join(" + ");
  sql += `, per_customer AS (SELECT c, max(${reached}) AS reached FROM ${last} GROUP BY c)
    SELECT ${steps.map((_, k) => `count(*) FILTER (WHERE reached >= ${k + 1}) AS n${k}`).join(", ")} FROM per_customer`;
  return sql;
}

test("ordered funnel counts equal DuckDB SQL on generated data", () => {
  for (const windowMs of [3_600_000, 7 * 86_400_000]) {
    const [row] = duck.rows(orderedFunnelSql(STEPS, windowMs));
    const expected = STEPS.map((_, k) => row[`n${k}`]);
    const got = ds.funnel({ steps: STEPS, window: windowMs }).steps.map((s) => s.count);
    assert.deepEqual(got, expected, `window ${windowMs}`);
    assert.ok(expected[4] > 0);
  }
});

test("breakdown by source, customers behind a step, trend", () => {
  const f = ds.funnel({ steps: STEPS, window: "7d", breakdown: "source", trend: "month" });
  const total = f.steps.map((s) => s.count);
  for (let k = 0; k < STEPS.length; k++) {
    assert.equal(f.breakdown.values.reduce((sum, v) => sum + v.steps[k].count, 0), total[k]);
  }
  assert.ok(f.breakdown.values.some((v) => v.value === "naver"));
  assert.equal(f.trend.reduce((s, t) => s + t.entered, 0), total[0]);
  assert.equal(f.trend.reduce((s, t) => s + t.converted, 0), total[4]);
  const reached = f.customers(2);
  assert.equal(reached.numRows, total[2]);
  assert.deepEqual(reached.schema.fields.map((x) => x.name), ["customer_id", "steps_reached", "entered_at", "last_step_at"]);
  const dropped = f.customers(2, "dropped");
  assert.equal(dropped.numRows, f.steps[3].dropOff);
  for (const row of dropped) assert.equal(row.steps_reached, 3);
  const [ttc] = f.timeToConvert;
  assert.equal(ttc.histogram.reduce((s, b) => s + b.customers, 0), ttc.customers);
  assert.ok(ttc.medianMs > 0);
});

test("strict <= ordered <= unordered, and date ranges accept ISO strings", () => {
  const count = (mode) => ds.funnel({ steps: STEPS, mode, window: "1d" }).steps[4].count;
  assert.ok(count("strict") <= count("ordered"));
  assert.ok(count("ordered") <= count("unordered"));
  const all = ds.funnel({ steps: STEPS }).steps[0].count;
  const q1 = ds.funnel({ steps: STEPS, from: "2024-01-01", to: new Date(Date.UTC(2024, 2, 31, 23, 59, 59)) });
  assert.ok(q1.steps[0].count > 0 && q1.steps[0].count < all);
});

test("AARRR preset: stage funnel and key figures match direct counts", () => {
  const { funnel, figures } = ds.aarrr();
  assert.equal(funnel.steps.length, 5);
  assert.match(funnel.steps[0].name, /^acquisition: visit/);
  const [v] = duck.rows(`SELECT count(DISTINCT customer_id) FILTER (WHERE event = 'visit') AS visitors,
      count(DISTINCT customer_id) FILTER (WHERE event = 'invite_sent') AS referrers,
      count(*) FILTER (WHERE event = 'referral_signup') AS referral_signups FROM events`);
  assert.equal(figures.visitors, v.visitors);
  assert.equal(figures.referrers, v.referrers);
  assert.equal(figures.referralSignups, v.referral_signups);
  assert.equal(funnel.steps[0].count, v.visitors);
  const orders = tableFromIPC(sample.orders);
  const perCustomer = new Map();
  let revenue = 0;
  for (const o of orders) {
    perCustomer.set(String(o.customer_id), (perCustomer.get(String(o.customer_id)) ?? 0) + 1);
    revenue += o.amount;
  }
  assert.equal(figures.buyers, perCustomer.size);
  assert.equal(figures.repeatBuyers, [...perCustomer.values()].filter((n) => n >= 2).length);
  assert.ok(Math.abs(figures.averageOrderValue - revenue / orders.numRows) < 1e-6);
  assert.ok(figures.viralCoefficient > 0);
  assert.equal(figures.revenueByMonth.length, 12);
  assert.equal(typeof figures.revenueGrowth, "number");
});

test("bad funnel options are coded errors and the dataset keeps working", () => {
  const bad = [
    [{ steps: ["visit", "purchse"] }, /closest: "purchase"/],
    [{ steps: ["visit"] }, /2 to 20 steps/],
    [{ steps: ["visit", "purchase"], window: 0 }, /window/],
    [{ steps: ["visit", "purchase"], exclusions: [{ event: "signup", fromStep: 1, toStep: 0 }] }, /fromStep/],
    [{ steps: ["visit", "purchase"], breakdown: "colour" }, /closest/],
    [{ steps: ["visit", "purchase"], trend: "quarter" }, /period/],
    [{ steps: ["visit", "purchase"], from: "not a date" }, /"from"/],
    [{ steps: ["visit", "purchase"], windw: "7d" }, /unknown field `windw`/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => ds.funnel(options), (e) => e instanceof InsituError && e.code === "bad_option" && message.test(e.message), JSON.stringify(options));
  }
  assert.equal(ds.funnel({ steps: ["visit", "nope"], allowMissing: true }).steps[1].count, 0);
  assert.throws(() => ds.funnel({ steps: STEPS }).customers(9), (e) => e.code === "bad_option");
  assert.ok(ds.funnel({ steps: STEPS }).steps[0].count > 0);
});
