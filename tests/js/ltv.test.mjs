// Lifetime value through the package: the CDNOW sample against the published figures and
// lifetimes' values (tests/fixtures/ltv/reference.json), the model object and its JSON,
// historical and cohort LTV against plain JS over the sample's Arrow tables, and bad
// options as coded InsituErrors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { Float64, Int32, Table, TimestampMillisecond, Utf8, tableFromIPC, vectorFromArray } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";

const insitu = await Insitu.load();
const fixture = (name) => readFileSync(new URL(`../fixtures/ltv/${name}`, import.meta.url), "utf8");
const reference = JSON.parse(fixture("reference.json"));
const ms = (iso) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);

function close(actual, expected, rel, what) {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected),
    `${what}: ${actual} vs ${expected} (allowed relative error ${rel})`,
  );
}

function cdnow() {
  const rows = fixture("CDNOW_sample.txt")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
  const orders = new Table({
    customer_id: vectorFromArray(rows.map((r) => Number(r[1])), new Int32()),
    date: vectorFromArray(
      rows.map((r) => Date.UTC(Number(r[2].slice(0, 4)), Number(r[2].slice(4, 6)) - 1, Number(r[2].slice(6, 8)))),
      new TimestampMillisecond(),
    ),
    amount: vectorFromArray(rows.map((r) => Number(r[4])), new Float64()),
  });
  return insitu.dataset({ orders }, { orders: { time: "date" } });
}

const ds = cdnow();
const CDNOW = { calibrationEnd: "1997-09-30", unit: "week" };

test("rfmSummary reproduces the published CDNOW summary", () => {
  const t = ds.rfmSummary(CDNOW);
  assert.equal(t.numRows, 2357);
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ["customer_id", "frequency", "recency", "T", "monetary_value"],
  );
  const published = fixture("cdnow_customers_summary.csv")
    .split("\n")
    .slice(1)
    .filter((l) => l)
    .map((l) => l.split(",").map(Number));
  const ids = t.getChild("customer_id").toArray();
  for (let i = 0; i < t.numRows; i++) {
    const [id, frequency, recency, T] = published[Number(ids[i]) - 1];
    assert.equal(t.getChild("frequency").get(i), frequency, `frequency of ${id}`);
    assert.ok(Math.abs(t.getChild("recency").get(i) - recency) <= 0.005 + 1e-12, `recency of ${id}`);
    assert.ok(Math.abs(t.getChild("T").get(i) - T) <= 0.005 + 1e-12, `T of ${id}`);
  }
});

test("fitLtv matches the paper and lifetimes; the model predicts", () => {
  const started = performance.now();
  const model = ds.fitLtv(CDNOW);
  const elapsed = performance.now() - started;
  console.log(`# CDNOW fitLtv in wasm (Node): ${elapsed.toFixed(1)} ms`);
  const { r, alpha, a, b } = model.bgnbd;
  assert.deepEqual([r, alpha, a, b].map((v) => v.toFixed(3)), ["0.243", "4.414", "0.793", "2.426"]);
  assert.equal(model.logLikelihood.bgnbd.toFixed(1), "-9582.4");
  assert.deepEqual(
    [model.gammaGamma.p, model.gammaGamma.q, model.gammaGamma.gamma].map((v) => v.toFixed(2)),
    ["6.25", "3.74", "15.44"],
  );
  assert.equal(model.converged, true);
  assert.equal(model.spendCustomers, 946);
  assert.equal(model.unit, "week");
  assert.equal(model.calibrationEnd, ms("1997-09-30"));
  close(model.standardErrors.bgnbd.r, reference.bgnbd.standardErrors.r, 1e-2, "se r");
  // E[X(39) | x=2, t_x=30.43, T=38.86] = 1.226 (Fader, Hardie & Lee 2005).
  const p = model.predict({ frequency: 2, recency: 30.43, T: 38.86, t: 39 });
  assert.equal(p.expectedPurchases.toFixed(3), "1.226");
  assert.equal(p.purchasesWindow, 39);
  // CLV within 0.1% of lifetimes' customer_lifetime_value.
  for (const run of reference.clv.runs) {
    for (const [id, want] of Object.entries(run.clv)) {
      const got = model.predict({ customer: Number(id), horizon: run.horizon, discountRate: run.discountRate });
      assert.equal(got.customer, id);
      close(got.clv, want, 1e-3, `CLV of ${id} (${run.horizon} months at ${run.discountRate})`);
    }
  }
});

test("predictions table, JSON round trip and the holdout check", () => {
  const model = ds.fitLtv(CDNOW);
  const t = model.predictions({ margin: 0.3 });
  assert.equal(t.numRows, 2357);
  assert.deepEqual(
    t.schema.fields.map((f) => f.name),
    ["customer_id", "frequency", "recency", "T", "monetary_value", "p_alive", "expected_purchases", "expected_spend", "clv"],
  );
  for (const name of ["p_alive", "expected_purchases", "expected_spend", "clv"]) {
    const column = t.getChild(name);
    assert.equal(column.nullCount, 0, name);
    for (const v of column.toArray()) assert.ok(Number.isFinite(v), `${name}: ${v}`);
  }
  const ids = t.getChild("customer_id").toArray();
  const row = ids.findIndex((id) => Number(id) === 1);
  const one = model.predict({ customer: "1", margin: 0.3 });
  close(t.getChild("clv").get(row), one.clv, 1e-12, "table vs predict");
  close(one.clv, 0.3 * reference.clv.runs[0].clv["1"], 1e-3, "margin 0.3");

  // A stored model predicts the same.
  const saved = JSON.parse(JSON.stringify(model));
  assert.equal(typeof saved.predict, "undefined");
  assert.deepEqual(ds.ltvPredict(saved, { customer: 1, margin: 0.3 }), one);

  const check = model.check({ holdoutEnd: "1998-06-30" });
  assert.equal(check.duration, reference.holdout.duration);
  assert.equal(check.actual, reference.holdout.actual);
  close(check.expected, reference.holdout.expected, 2e-3, "expected holdout purchases");
  assert.deepEqual(
    check.buckets.map((b) => [b.frequency, b.customers]),
    reference.holdout.buckets.map((b) => [b.frequency, b.customers]),
  );
});

test("bad LTV options are coded InsituErrors naming the option", () => {
  const model = ds.fitLtv(CDNOW);
  const cases = [
    [() => ds.fitLtv({ ...CDNOW, unit: "fortnight" }), "bad_option", /unit.*fortnight/],
    [() => ds.fitLtv({ ...CDNOW, penalizer: -1 }), "bad_option", /penalizer/],
    [() => ds.fitLtv({ ...CDNOW, model: "pareto" }), "bad_option", /model.*pareto/],
    [() => ds.fitLtv({ ...CDNOW, calibrationEnd: "1996-01-01" }), "bad_option", /calibrationEnd.*before the first order/],
    [() => ds.fitLtv({ ...CDNOW, calibrationEnd: "1999-01-01" }), "bad_option", /calibrationEnd.*after the data/],
    [() => ds.fitLtv({ ...CDNOW, calibrationEnd: "yesterday" }), "bad_option", /calibrationEnd/],
    [() => ds.fitLtv({ ...CDNOW, calibrationEnd: "1997-09-30", unti: "week" }), "bad_option", /unti/],
    [() => ds.rfmSummary({ periodUnit: "hour" }), "bad_option", /periodUnit/],
    [() => model.predictions({ horizon: 0 }), "bad_option", /horizon/],
    [() => model.predictions({ horizon: -12 }), "bad_option", /horizon/],
    [() => model.predictions({ discountRate: 1 }), "bad_option", /discountRate/],
    [() => model.predictions({ discountRate: -0.1 }), "bad_option", /discountRate/],
    [() => model.predictions({ margin: "30%" }), "bad_option", /margin/],
    [() => model.predict({ customer: 999999 }), "bad_option", /customer.*999999/],
    [() => model.predict({}), "bad_option", /customer/],
    [() => model.check({ holdoutEnd: "1997-09-01" }), "bad_option", /holdoutEnd/],
    [() => ds.ltvPredictions(null), "bad_option", /model/],
    [() => ds.ltvPredictions({ ...model, bgnbd: { r: -1, alpha: 1, a: 1, b: 1 } }), "bad_option", /model/],
    [() => ds.ltv({ by: "acquisition_channel" }), "bad_option", /by.*no customers table/],
    [() => ds.cohortLtv({ periods: 0 }), "bad_option", /periods/],
    [() => ds.cohortLtv({ acquisition: "signup" }), "bad_option", /acquisition/],
    [() => ds.ltv({ timezone: "Mars" }), "bad_option", /timezone/],
  ];
  for (const [f, code, pattern] of cases) {
    assert.throws(
      f,
      (e) => e instanceof InsituError && e.code === code && pattern.test(e.message),
      `expected ${code} matching ${pattern}`,
    );
  }
  // Everyone bought once: no repeat purchases, no model.
  const once = insitu.dataset({
    orders: new Table({
      customer_id: vectorFromArray(["a", "b", "c"], new Utf8()),
      timestamp: vectorFromArray([ms("2024-01-01"), ms("2024-01-02"), ms("2024-01-03")], new TimestampMillisecond()),
      amount: vectorFromArray([1, 2, 3], new Float64()),
    }),
  });
  assert.throws(() => once.fitLtv(), (e) => e.code === "no_convergence" && /repeat/.test(e.message));
  once.free();
  // Events only.
  const events = insitu.dataset({
    events: new Table({
      customer_id: vectorFromArray(["a"], new Utf8()),
      timestamp: vectorFromArray([ms("2024-01-01")], new TimestampMillisecond()),
      event: vectorFromArray(["visit"], new Utf8()),
    }),
  });
  for (const f of [() => events.fitLtv(), () => events.ltv(), () => events.cohortLtv(), () => events.rfmSummary()]) {
    assert.throws(f, (e) => e instanceof InsituError && e.code === "empty_input" && /orders table/.test(e.message));
  }
  events.free();
});

// The sample shop, and the same figures computed in plain JS over its Arrow tables.
const sample = insitu.sample({ events: 50_000 });
const tables = {
  orders: tableFromIPC(sample.orders),
  customers: tableFromIPC(sample.customers),
  events: tableFromIPC(sample.events),
};
const shop = insitu.dataset(sample);

function rows(table, names) {
  const cols = names.map((n) => table.getChild(n));
  return Array.from({ length: table.numRows }, (_, i) => cols.map((c) => c.get(i)));
}

const month = (t) => {
  const d = new Date(Number(t));
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

const orders = rows(tables.orders, ["customer_id", "timestamp", "amount", "margin"]).map(([c, t, a, m]) => ({
  c: String(c),
  t: Number(t),
  a,
  m,
}));
const customers = new Map(
  rows(tables.customers, ["customer_id", "signup_time", "acquisition_channel"]).map(([c, s, ch]) => [
    String(c),
    { signup: s === null ? null : Number(s), channel: ch },
  ]),
);
const last = Math.max(
  ...orders.map((o) => o.t),
  ...Array.from(tables.events.getChild("timestamp").toArray(), Number),
);

test("historical LTV by channel matches plain JS over the sample", () => {
  const r = shop.ltv({ by: "acquisition_channel", margin: { column: "margin" }, cac: { paid_search: 25 } });
  assert.equal(r.asOf, last);
  const expected = new Map();
  const firstOrder = new Map();
  for (const o of orders) if (!firstOrder.has(o.c) || o.t < firstOrder.get(o.c)) firstOrder.set(o.c, o.t);
  for (const o of orders) {
    const group = customers.get(o.c)?.channel ?? "(missing)";
    const g = expected.get(group) ?? { customers: new Set(), revenue: 0, margin: 0, orders: 0 };
    g.customers.add(o.c);
    g.revenue += o.a;
    g.margin += o.m;
    g.orders += 1;
    expected.set(group, g);
  }
  assert.deepEqual(r.groups.map((g) => g.group).sort(), [...expected.keys()].sort());
  for (const g of r.groups) {
    const e = expected.get(g.group);
    assert.equal(g.customers, e.customers.size, g.group);
    assert.equal(g.orders, e.orders, g.group);
    close(g.revenue, e.revenue, 1e-12, `revenue of ${g.group}`);
    close(g.marginPerCustomer, e.margin / e.customers.size, 1e-12, `margin per customer of ${g.group}`);
    if (g.group === "paid_search") close(g.ltvCac, e.margin / e.customers.size / 25, 1e-12, "LTV/CAC");
    else assert.equal(g.ltvCac, null);
  }
  assert.equal(r.customers.numRows, firstOrder.size);
  assert.equal(r.total.customers, firstOrder.size);
  // Signup acquisition counts the customers table's signups too.
  const s = shop.ltv({ acquisition: "signup" });
  const acquired = new Set([...firstOrder.keys()]);
  for (const [id, c] of customers) if (c.signup !== null && c.signup <= last) acquired.add(id);
  assert.equal(s.total.customers, acquired.size);
});

test("cohort LTV matches plain JS over the sample", () => {
  const periods = 6;
  const r = shop.cohortLtv({ period: "month", periods });
  const first = new Map();
  for (const o of orders) if (!first.has(o.c) || o.t < first.get(o.c)) first.set(o.c, o.t);
  const cohorts = new Map();
  for (const [c, t] of first) {
    const k = month(t);
    const e = cohorts.get(k) ?? { n: 0, sums: new Array(periods).fill(0) };
    e.n += 1;
    cohorts.set(k, e);
  }
  for (const o of orders) {
    const k = month(first.get(o.c));
    const offset = month(o.t) - k;
    if (offset < periods) cohorts.get(k).sums[offset] += o.a;
  }
  const lastMonth = month(last);
  assert.equal(r.cohorts.length, cohorts.size);
  for (const row of r.cohorts) {
    const k = month(row.start);
    const e = cohorts.get(k);
    assert.equal(row.customers, e.n, row.cohort);
    let running = 0;
    row.values.forEach((v, i) => {
      running += e.sums[i];
      if (k + i > lastMonth) assert.equal(v, null, `${row.cohort}+${i} is in the future`);
      else close(v, running / e.n, 1e-12, `${row.cohort}+${i}`);
    });
  }
});

test("fitLtv on the sample: converged numbers, finite predictions", () => {
  const started = performance.now();
  const model = shop.fitLtv({ unit: "week", calibrationEnd: new Date(last - 90 * 86_400_000) });
  console.log(
    `# sample (${model.customers} customers, ${model.distinctHistories} histories) fitLtv: ${(performance.now() - started).toFixed(1)} ms`,
  );
  for (const v of [...Object.values(model.bgnbd), ...Object.values(model.gammaGamma)]) assert.ok(Number.isFinite(v) && v > 0);
  const t = model.predictions({ margin: { column: "margin" } });
  for (const v of t.getChild("clv").toArray()) assert.ok(Number.isFinite(v));
  assert.equal(t.getChild("clv").nullCount, 0);
  const check = model.check();
  assert.ok(check.actual > 0 && Number.isFinite(check.expected));
});
