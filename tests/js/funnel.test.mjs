// Funnels and AARRR through the package, checked against DuckDB SQL on generated data.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";
import { orderedFunnelSql } from "../reference/funnel_sql.mjs";
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

test("ordered funnel counts equal DuckDB SQL on generated data", () => {
  for (const windowMs of [3_600_000, 7 * 86_400_000]) {
    const [row] = duck.rows(orderedFunnelSql(STEPS, windowMs));
    const expected = STEPS.map((_, k) => row[`n${k}`]);
    const got = ds.funnel({ steps: STEPS, window: windowMs }).steps.map((s) => s.count);
    assert.deepEqual(got, expected, `window ${windowMs}`);
    assert.ok(expected[4] > 0);
  }
});

test("breakdown by first-touch source equals DuckDB SQL", () => {
  const rows = duck.rows(orderedFunnelSql(STEPS, 7 * 86_400_000, "source"));
  const f = ds.funnel({ steps: STEPS, window: "7d", breakdown: "source" });
  const got = Object.fromEntries(f.breakdown.values.map((v) => [v.value, v.steps.map((s) => s.count)]));
  const expected = Object.fromEntries(rows.map((r) => [r.value, STEPS.map((_, k) => r[`n${k}`])]));
  assert.deepEqual(got, expected);
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
    // Where a value deep inside the options is wrong, the message says where.
    [{ steps: ["visit", { event: "purchase", nme: "p" }] }, /unknown field `nme`, expected one of `event`, `where`, `name` at `steps\[1\]`/],
    [{ steps: ["visit", "purchase"], exclusions: [{ event: "signup", fromStep: 0.5 }] }, /expected i64 at `exclusions\[0\]\.fromStep`/],
  ];
  for (const [options, message] of bad) {
    assert.throws(() => ds.funnel(options), (e) => e instanceof InsituError && e.code === "bad_option" && message.test(e.message), JSON.stringify(options));
  }
  assert.equal(ds.funnel({ steps: ["visit", "nope"], allowMissing: true }).steps[1].count, 0);
  assert.throws(() => ds.funnel({ steps: STEPS }).customers(9), (e) => e.code === "bad_option");
  assert.ok(ds.funnel({ steps: STEPS }).steps[0].count > 0);
});

test("segments break a funnel down and filter it consistently", () => {
  const segments = [{ name: "repeat", where: "orders >= 2" }, { name: "KR", where: 'country = "KR"' }];
  const f = ds.funnel({ steps: STEPS, window: "7d", breakdown: { segments } });
  assert.equal(f.breakdown.source, "segment");
  const total = ds.funnel({ steps: STEPS, window: "7d" }).steps.map((s) => s.count);
  for (let k = 0; k < STEPS.length; k++) {
    assert.equal(f.breakdown.values.reduce((sum, v) => sum + v.steps[k].count, 0), total[k]);
  }
  // First match wins: the "repeat" row equals a funnel filtered to that segment.
  const repeat = f.breakdown.values.find((v) => v.value === "repeat").steps.map((s) => s.count);
  assert.deepEqual(ds.funnel({ steps: STEPS, window: "7d", segment: "orders >= 2" }).steps.map((s) => s.count), repeat);
  assert.throws(() => ds.funnel({ steps: STEPS, segment: "ordrs >= 2" }), (e) => e.code === "bad_option" && /orders/.test(e.message));
});
