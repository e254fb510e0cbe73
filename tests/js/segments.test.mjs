// Segments through the package: RFM checked against DuckDB SQL (sample data, and a
// coarsened copy with many ties), rule segments against SQL, transitions, lookalikes,
// and coded errors.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Float64, Int64, Table, TimestampMillisecond, tableToIPC, vectorFromArray } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";
import { rfmSql } from "../reference/rfm_sql.mjs";
import { openDuckDB } from "./duckdb.mjs";

const insitu = await Insitu.load();
const sample = insitu.sample({ events: 60_000, seed: 11 });
const ds = insitu.dataset(sample);
const AS_OF = Date.UTC(2024, 9, 1); // 2024-10-01: later orders must not count
const DAY = 86_400_000;
let duck;
let coarse;
let coarseBytes;

before(async () => {
  duck = await openDuckDB();
  duck.load("events", sample.events);
  duck.load("orders", sample.orders);
  duck.load("customers", sample.customers);
  // Day-granular times and amounts rounded to 10: recency, frequency and monetary all tie.
  const rows = duck.rows(
    `SELECT customer_id, (epoch_ms(timestamp) // ${DAY}) * ${DAY} AS ts, round(amount / 10) * 10 AS amount FROM orders`,
  );
  const table = new Table({
    customer_id: vectorFromArray(rows.map((r) => BigInt(r.customer_id)), new Int64()),
    timestamp: vectorFromArray(rows.map((r) => r.ts), new TimestampMillisecond()),
    amount: vectorFromArray(rows.map((r) => r.amount), new Float64()),
  });
  coarseBytes = tableToIPC(table, "stream");
  duck.load("coarse", coarseBytes);
  coarse = insitu.dataset({ orders: coarseBytes });
});
after(() => {
  duck.close();
  ds.free();
  coarse.free();
});

function compareRfm(dataset, orders, options) {
  const r = dataset.rfm({ asOf: AS_OF, ...options });
  const expected = new Map(duck.rows(rfmSql(orders, AS_OF, options.bins ?? 5, options.monetary ?? "total")).map((x) => [x.c, x]));
  assert.equal(r.customers.numRows, expected.size);
  assert.equal(r.scored, expected.size);
  let onThreshold = 0;
  for (const row of r.customers) {
    const e = expected.get(Number(row.customer_id));
    assert.ok(e, `customer ${row.customer_id}`);
    assert.deepEqual([row.r, row.f, row.m, row.segment], [e.r, e.f, e.m, e.segment], `customer ${row.customer_id} ${JSON.stringify(options)}`);
    assert.equal(row.score, [e.r, e.f, e.m].join((options.bins ?? 5) < 10 ? "" : "-"));
    if (r.thresholds.frequency.includes(row.frequency)) onThreshold++;
  }
  return { r, onThreshold };
}

test("RFM scores and segments equal DuckDB SQL on sample data", () => {
  const { r } = compareRfm(ds, "orders", {});
  const total = r.segments.reduce((s, x) => s + x.customers, 0);
  assert.equal(total, r.scored);
  assert.deepEqual(r.segments.map((s) => s.segment).at(-1), "Others");
  const [row] = duck.rows(`SELECT sum(amount) AS revenue FROM orders WHERE epoch_ms(timestamp) < ${AS_OF}`);
  assert.ok(Math.abs(r.segments.reduce((s, x) => s + x.revenue, 0) - row.revenue) < 1e-6 * row.revenue);
  assert.deepEqual(r.customers.schema.fields.map((f) => f.name), ["customer_id", "recency", "frequency", "monetary", "r", "f", "m", "score", "segment"]);
});

test("RFM's last_order column, on request, is each customer's last order before asOf", () => {
  const r = ds.rfm({ asOf: AS_OF, lastOrder: true });
  assert.equal(r.customers.schema.fields.at(-1).name, "last_order");
  const expected = new Map(
    duck.rows(`SELECT customer_id AS c, max(epoch_ms(timestamp)) AS last FROM orders WHERE epoch_ms(timestamp) < ${AS_OF} GROUP BY 1`).map((x) => [x.c, x.last]),
  );
  assert.equal(r.customers.numRows, expected.size);
  for (const row of r.customers) {
    assert.equal(Number(row.last_order), expected.get(Number(row.customer_id)), `customer ${row.customer_id}`);
    assert.ok(Math.abs(row.recency - (AS_OF - Number(row.last_order)) / DAY) < 1e-9);
  }
});

test("RFM with many ties equals DuckDB SQL for 5, 4 and 10 bins, total and mean", () => {
  for (const options of [{}, { bins: 4 }, { bins: 10, monetary: "mean" }, { monetary: "mean" }]) {
    const { onThreshold } = compareRfm(coarse, "coarse", options);
    assert.ok(onThreshold > 100, `ties exercised: ${onThreshold}`);
  }
});

test("rule segments equal SQL predicates", () => {
  const def = { name: "lapsed", where: 'orders >= 2 and days_since_last_order > 60 and country in ("KR", "JP")', asOf: new Date(AS_OF) };
  const s = ds.segment(def);
  const expected = duck.rows(`WITH o AS (SELECT customer_id AS c, count(*) AS n, max(epoch_ms(timestamp)) AS last, sum(amount) AS spend
      FROM orders WHERE epoch_ms(timestamp) < ${AS_OF} GROUP BY c)
    SELECT c, n, spend FROM o JOIN customers ON customers.customer_id = o.c
    WHERE n >= 2 AND (${AS_OF} - last)::DOUBLE / ${DAY} > 60 AND country IN ('KR', 'JP') ORDER BY c`);
  assert.ok(expected.length > 0);
  assert.equal(s.count, expected.length);
  assert.deepEqual([...s.members.getChild("customer_id")].map(Number).sort((a, b) => a - b), expected.map((e) => e.c));
  const revenue = expected.reduce((t, e) => t + e.spend, 0);
  assert.ok(Math.abs(s.revenue - revenue) < 1e-6 * revenue);
  const [v] = duck.rows(`SELECT var_samp(n) AS v, median(n) AS med FROM (${expected.map((e) => `SELECT ${e.n} AS n`).join(" UNION ALL ")})`);
  assert.ok(Math.abs(s.orderCount.variance - v.v) < 1e-9);
  assert.equal(s.orderCount.median, v.med);

  // The same rule as a JSON tree.
  const tree = ds.segment({
    where: { and: [{ field: "orders", op: ">=", value: 2 }, "days_since_last_order > 60", { field: "country", op: "in", value: ["KR", "JP"] }] },
    asOf: AS_OF,
  });
  assert.equal(tree.count, s.count);

  // Event counts in a window, prospects only.
  const browsing = ds.segment({ where: "orders = 0 and events(view_product, 30d) >= 2", asOf: AS_OF });
  const [b] = duck.rows(`SELECT count(*) AS n FROM (SELECT customer_id FROM events
      WHERE event = 'view_product' AND epoch_ms(timestamp) >= ${AS_OF - 30 * DAY} AND epoch_ms(timestamp) < ${AS_OF}
      GROUP BY customer_id HAVING count(*) >= 2) v
    WHERE customer_id NOT IN (SELECT customer_id FROM orders WHERE epoch_ms(timestamp) < ${AS_OF})`);
  assert.equal(browsing.count, b.n);
  assert.ok(ds.segmentFields().some((f) => f.name === "country" && f.source === "attribute"));
});

test("transitions sum to the population", () => {
  const t = ds.transitions({
    from: "2024-06-01",
    to: new Date("2024-12-01"),
    segments: [
      { name: "champions", where: 'rfm_segment = "Champions"' },
      { name: "repeat", where: 'stage = "repeat"' },
      { name: "lapsed", where: "orders >= 1 and days_since_last_order > 60" },
    ],
  });
  assert.deepEqual(t.labels, ["champions", "repeat", "lapsed", "none"]);
  assert.equal(t.counts.flat().reduce((a, b) => a + b, 0), t.population);
  assert.equal(t.customers.numRows, t.population);
  assert.equal(t.stayed + t.moved, t.population);
  for (const row of t.rates) {
    const sum = row.reduce((a, b) => a + (b ?? 0), 0);
    assert.ok(sum === 0 || Math.abs(sum - 1) < 1e-9);
  }
});

test("lookalike audience with holdout AUC and lift", () => {
  const l = ds.lookalike({
    seed: 'rfm_segment = "Champions"',
    population: { where: "orders = 0" },
    features: ["country", "acquisition_channel", "events(visit, 30d)", "events(view_product)", "days_since_signup"],
    size: 50,
  });
  assert.ok(l.seed >= 10);
  assert.equal(l.audience.numRows, 50);
  assert.equal(l.scores.numRows, l.population);
  const scores = [...l.scores.getChild("score")];
  assert.ok(scores.every((s, i) => i === 0 || scores[i - 1] >= s));
  assert.ok(l.holdout.auc > 0 && l.holdout.auc <= 1);
  assert.ok(l.coefficients.some((c) => c.feature === "country" && c.level === "KR"));
});

test("predicted CLV fields read a fitted LTV model", () => {
  const model = ds.fitLtv();
  const expected = [...ds.ltvPredictions(model).getChild("clv")].filter((v) => v > 50).length;
  assert.ok(expected > 0);
  assert.equal(ds.segment({ where: "clv > 50", clv: { model } }).count, expected);
  assert.throws(() => ds.segment("clv > 50"), /fitted LTV model/);
});

test("bad input is a coded InsituError", () => {
  const fails = (f, pattern) => {
    assert.throws(f, (e) => e instanceof InsituError && e.code === "bad_option" && pattern.test(e.message), String(pattern));
  };
  fails(() => ds.segment("orders >= 2 and"), /syntax error at position 15/);
  fails(() => ds.segment("contry = 'KR'"), /unknown field "contry".*closest: "country".*customer attributes: country/s);
  fails(() => ds.segment("country > 3"), /"country" holds text/);
  fails(() => ds.segment({ where: "orders > 0", asOf: "2001-01-01" }), /before all data/);
  fails(() => ds.rfm({ asOf: "2001-01-01" }), /asOf.*before all data/);
  fails(() => ds.rfm({ bins: 20 }), /bins/);
  fails(() => ds.rfm({ bin: 5 }), /unknown field `bin`/);
  fails(() => ds.rfm({ lastOrder: "yes" }), /lastOrder/);
  fails(() => ds.transitions({ from: "2024-06-01", segments: [{ name: "a", where: "orders > 0" }, { name: "a", where: "orders > 1" }] }), /twice/);
  fails(() => ds.lookalike({ seed: "orders > 1000", features: ["country"] }), /at least 10/);
  fails(() => ds.lookalike({ seed: "orders >= 1", population: "orders >= 1", features: ["country"] }), /outside the seed/);
  fails(() => ds.lookalike({ seed: "orders >= 3", features: ["revenue(1d, 2d)"] }), /features\[0\]/);
  fails(() => ds.lookalike({ seed: "orders >= 3", features: ["events(visit, \"2001-01-01\", \"2001-02-01\")"] }), /constant/);
});
