// Campaign KPIs, KPI trends and experiments through the package: a hand-built shop
// worked out by hand, and the sample shop checked against DuckDB SQL.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Float64, Int64, Table, Utf8, vectorFromArray } from "apache-arrow";
import { Insitu, InsituError, abTest } from "../../dist/node.js";
import { campaignAttributionSql, campaignCountsSql } from "../reference/campaign_sql.mjs";
import { openDuckDB } from "./duckdb.mjs";

const insitu = await Insitu.load();
const H = 3_600_000;
const D = 24 * H;
const T0 = Date.parse("2024-03-04T00:00:00Z");

// The shop of tests/campaign.rs: customer 1 gets both campaigns.
function shop() {
  const rows = [
    [1, T0, "message_sent", "spring", "email"],
    [1, T0 + H, "message_opened", "spring", "email"],
    [1, T0 + 2 * H, "message_clicked", "spring", "email"],
    [1, T0 + 2 * D, "message_sent", "summer", "sms"],
    [2, T0, "message_sent", "spring", "email"],
    [2, T0 + 3 * H, "message_opened", "spring", "email"],
    [3, T0, "message_sent", "spring", "email"],
    [4, T0, "message_sent", "spring", "email"],
    [4, T0 + H, "message_clicked", "spring", "email"],
    [5, T0 + 2 * D, "message_sent", "summer", "sms"],
    [5, T0 + 2 * D + H, "message_opened", "summer", "sms"],
    [6, T0, "visit", null, null],
  ];
  const orders = [
    [1, T0 - 10 * D, 20],
    [1, T0 + D, 50],
    [1, T0 + 3 * D, 30],
    [2, T0 + 8 * D + H, 100],
    [3, T0 + 5 * D, 40],
    [5, T0 + 2 * D + H / 2, 25],
    [6, T0 + D, 10],
  ];
  const col = (r, i, type) => vectorFromArray(r.map((x) => (type instanceof Int64 && x[i] !== null ? BigInt(x[i]) : x[i])), type);
  return insitu.dataset({
    events: new Table({
      customer_id: col(rows, 0, new Int64()),
      timestamp: col(rows, 1, new Int64()),
      event: col(rows, 2, new Utf8()),
      campaign: col(rows, 3, new Utf8()),
      channel: col(rows, 4, new Utf8()),
    }),
    orders: new Table({
      customer_id: col(orders, 0, new Int64()),
      timestamp: col(orders, 1, new Int64()),
      amount: col(orders, 2, new Float64()),
    }),
  });
}

const rejects = (f, code, pattern) =>
  assert.throws(f, (e) => {
    assert.ok(e instanceof InsituError, `not an InsituError: ${e}`);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });

test("campaign KPIs on the hand-built shop", () => {
  const ds = shop();
  const r = ds.campaigns({ by: ["channel"], costs: { spring: 45, summer: 10 }, targets: { conversionRate: 0.4, roi: 2 } });
  assert.deepEqual(
    r.campaigns.map((c) => [c.name, c.recipients, c.opens, c.clicks, c.converters, c.revenue, c.roi]),
    [
      ["spring", 4, 3, 2, 2, 90, 1],
      ["summer", 2, 1, 0, 2, 55, 4.5],
    ],
  );
  const spring = r.campaigns[0];
  assert.equal(spring.openRate.value, 0.75);
  assert.equal(spring.ctr.value, 0.5);
  assert.equal(spring.conversionRate.value, 0.5);
  assert.equal(spring.returnCustomerRate.value, 1);
  assert.equal(spring.revenuePerRecipient, 22.5);
  assert.equal(spring.firstSent, T0);
  assert.deepEqual(
    spring.goals.map((g) => [g.metric, g.achievement, g.met]),
    [
      ["conversionRate", 125, true],
      ["roi", 50, false],
    ],
  );
  assert.deepEqual(
    r.breakdowns[0].rows.map((x) => [x.name, x.recipients]),
    [
      ["email", 4],
      ["sms", 2],
    ],
  );
  assert.equal(r.total.revenue, 145);
  assert.equal(r.settings.delivered, "message_sent");
  assert.equal(r.settings.attributionWindowMs, 7 * D);
  assert.equal(ds.campaigns({ attributionWindow: "10d" }).campaigns[0].converters, 3);
  assert.equal(ds.campaigns({ attributionWindow: 10 * D }).campaigns[0].converters, 3);
  assert.equal(ds.campaigns({ opened: null }).campaigns[0].openRate, null);

  const t = ds.kpiTrend({ metric: "conversionRate", period: "day" });
  assert.deepEqual(
    t.points.map((p) => [p.period, p.group, p.value]),
    [
      [T0, "all", 0.5],
      [T0 + 2 * D, "all", 1],
    ],
  );
  ds.free();
});

test("missing event names and bad options are coded errors listing what exists", () => {
  const ds = shop();
  rejects(() => ds.campaigns({ sent: "msg_sent" }), "bad_option", /option "sent": no event "msg_sent".*message_sent.*visit/);
  rejects(() => ds.campaigns({ opened: "open" }), "bad_option", /option "opened".*message_opened/);
  rejects(() => ds.campaigns({ by: ["colour"] }), "bad_option", /channel/);
  rejects(() => ds.campaigns({ costs: { autumn: 1 } }), "bad_option", /spring, summer/);
  rejects(() => ds.campaigns({ targets: { happiness: 1 } }), "bad_option", /conversionRate/);
  rejects(() => ds.campaigns({ attributionWindow: "7 parsecs" }), "bad_option", /attributionWindow/);
  rejects(() => ds.campaigns({ attributeTo: "bounced" }), "bad_option", /bounced/);
  rejects(() => ds.kpiTrend({ metric: "happiness" }), "bad_option", /openRate/);
  rejects(() => ds.experiment(), "bad_option", /option "assignment".*campaign, channel/);
  ds.free();
});

let sample;
let ds;
let duck;

before(async () => {
  sample = insitu.sample({ events: 80_000, seed: 11 });
  ds = insitu.dataset(sample);
  duck = await openDuckDB();
  duck.load("events", sample.events);
  duck.load("orders", sample.orders);
});
after(() => {
  ds?.free();
  duck?.close();
});

test("sample shop: per-campaign counts and last-touch attribution agree with SQL", () => {
  const r = ds.campaigns();
  assert.ok(r.campaigns.length > 10);
  const counts = duck.rows(campaignCountsSql());
  const attributed = duck.rows(campaignAttributionSql(7 * D));
  assert.equal(counts.length, r.campaigns.length);
  const byName = new Map(r.campaigns.map((c) => [c.name, c]));
  for (const s of counts) {
    const c = byName.get(s.k);
    assert.deepEqual([c.recipients, c.opens, c.clicks], [s.recipients, s.opens, s.clicks], s.k);
  }
  let converters = 0;
  for (const a of attributed) {
    const c = byName.get(a.k);
    assert.deepEqual([c.converters, c.conversions], [a.converters, a.conversions], a.k);
    assert.ok(Math.abs(c.revenue - a.revenue) < 1e-6 * Math.max(1, a.revenue), a.k);
    converters += a.converters;
  }
  assert.ok(converters > 50, `only ${converters} converters: the check would be weak`);
  assert.equal(r.total.converters, converters);
  const noSql = r.campaigns.filter((c) => !attributed.some((a) => a.k === c.name));
  assert.ok(noSql.every((c) => c.converters === 0));
});

test("sample shop: the checkout experiment agrees with SQL and with abTest", () => {
  const e = ds.experiment({ window: "7d" });
  const sql = duck.rows(`
    WITH x AS (SELECT customer_id AS c, arg_min(variant, epoch_ms(timestamp)) AS v, min(epoch_ms(timestamp)) AS t0
               FROM events WHERE variant IS NOT NULL GROUP BY customer_id),
    y AS (SELECT x.c, x.v, coalesce(sum(o.amount), 0) AS spend, count(o.amount) AS n FROM x
          LEFT JOIN orders o ON o.customer_id = x.c AND epoch_ms(o.timestamp) BETWEEN x.t0 AND x.t0 + ${7 * D}
          GROUP BY x.c, x.v)
    SELECT v, count(*) AS exposures, sum(CASE WHEN n > 0 THEN 1 ELSE 0 END)::INTEGER AS conversions, avg(spend)::DOUBLE AS mean
    FROM y GROUP BY v ORDER BY v`);
  assert.deepEqual(
    e.variants.map((v) => [v.name, v.exposures, v.conversions]),
    sql.map((s) => [s.v, s.exposures, s.conversions]),
  );
  e.revenue.forEach((v, i) => assert.ok(Math.abs(v.mean - sql[i].mean) < 1e-9 * sql[i].mean));
  const same = abTest({ variants: e.variants.map(({ name, exposures, conversions }) => ({ name, exposures, conversions })) });
  for (const key of ["z", "pValue", "probabilityToBeat", "difference", "lift"]) assert.deepEqual(e[key], same[key], key);
  assert.equal(e.control, "control");
  assert.equal(e.mixedAssignments, 0);
  assert.equal(typeof e.revenue[1].pValue, "number");
});

test("sample shop: trends by channel add up to the campaign totals", () => {
  const t = ds.kpiTrend({ metric: "recipients", period: "month", by: "channel" });
  const sum = t.points.reduce((s, p) => s + p.value, 0);
  assert.equal(sum, ds.campaigns().total.recipients);
  assert.ok(new Set(t.points.map((p) => p.group)).size >= 3);
  const rates = ds.kpiTrend({ metric: "openRate", period: "week", timezone: "+09:00" });
  assert.ok(rates.points.every((p) => p.value === null || (p.low <= p.value && p.value <= p.high)));
});
