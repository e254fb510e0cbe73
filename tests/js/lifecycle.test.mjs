// ds.lifecycle() and ds.stages() through the package: the hand-worked cases of
// tests/lifecycle.rs, the stages table as an apache-arrow Table, and bad options.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Float64, Table, TimestampMillisecond, Utf8, vectorFromArray } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";

const insitu = await Insitu.load();
const ms = (iso) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);
const DAY = 86_400_000;

function tables(events, orders, customers) {
  const out = {};
  if (events.length)
    out.events = new Table({
      customer_id: vectorFromArray(events.map((e) => e[0]), new Utf8()),
      timestamp: vectorFromArray(events.map((e) => e[1]), new TimestampMillisecond()),
      event: vectorFromArray(events.map((e) => e[2]), new Utf8()),
    });
  if (orders.length)
    out.orders = new Table({
      customer_id: vectorFromArray(orders.map((o) => o[0]), new Utf8()),
      timestamp: vectorFromArray(orders.map((o) => o[1]), new TimestampMillisecond()),
      amount: vectorFromArray(orders.map((o) => o[2]), new Float64()),
    });
  if (customers.length)
    out.customers = new Table({
      customer_id: vectorFromArray(customers.map((c) => c[0]), new Utf8()),
      signup_time: vectorFromArray(customers.map((c) => c[1]), new TimestampMillisecond()),
    });
  return insitu.dataset(out);
}

function lifecycleShop() {
  return tables(
    [
      ["P", ms("2024-01-02T09:00"), "visit"],
      ["P", ms("2024-01-03T09:00"), "visit"],
      ["P", ms("2024-01-09T09:00"), "visit"],
      ["P", ms("2024-01-23T09:00"), "visit"],
      ["Q", ms("2024-01-16T09:00"), "visit"],
      ["S", ms("2024-01-10T09:00"), "visit"],
    ],
    [["R", ms("2024-01-11T09:00"), 20]],
    [
      ["Q", ms("2024-01-01T12:00")],
      ["S", ms("2024-01-17T12:00")],
      ["R", null],
    ],
  );
}

const period = (start, [n, r, s, d]) => ({ start: ms(start), new: n, returning: r, resurrecting: s, dormant: d });

test("lifecycle counts new, returning, resurrecting and dormant per week", () => {
  const ds = lifecycleShop();
  assert.deepEqual(ds.lifecycle().periods, [
    period("2024-01-01", [2, 0, 0, 0]),
    period("2024-01-08", [2, 1, 0, 1]),
    period("2024-01-15", [0, 1, 1, 2]),
    period("2024-01-22", [0, 0, 1, 2]),
  ]);
  assert.deepEqual(ds.lifecycle({ from: new Date(ms("2024-01-17")), to: "2024-01-29" }).periods, [
    period("2024-01-15", [0, 1, 1, 2]),
    period("2024-01-22", [0, 0, 1, 2]),
    period("2024-01-29", [0, 0, 0, 1]),
  ]);
  assert.deepEqual(ds.lifecycle({ period: "month" }).periods, [period("2024-01-01", [4, 0, 0, 0])]);
  assert.equal(ds.lifecycle({ timezone: "-05:00" }).periods[0].start, ms("2024-01-01T05:00"));
  ds.free();
});

const AS_OF = ms("2024-06-01");
const ago = (days, plusMs = 0) => AS_OF - days * DAY - plusMs;

function stageShop() {
  return tables(
    [
      ["prospect", ago(10), "signup"],
      ["atAsOf", ago(0), "visit"],
      ["oneOrder45", ago(1), "visit"],
      ["repeatAt60", ago(1), "visit"],
      ["dormant", ago(1), "visit"],
      ["anonymous", ago(1), "visit"],
    ],
    [
      ["new2", ago(30), 1],
      ["new2", ago(1), 1],
      ["repeat2", ago(30, 1), 1],
      ["repeat2", ago(1), 1],
      ["oneOrder45", ago(45), 1],
      ["repeatAt60", ago(100), 1],
      ["repeatAt60", ago(60), 1],
      ["dormant", ago(100), 1],
      ["dormant", ago(60, 1), 1],
      ["dormantAt90", ago(90), 1],
      ["churned", ago(90, 1), 1],
    ],
    [
      ["prospect", ago(10)],
      ["prospect90", ago(90)],
      ["churnedProspect", ago(90, 1)],
      ["undated", null],
      ["atAsOf", null],
      ["lateSignup", ago(-2)],
    ],
  );
}

test("stages at each threshold (boundaries to the millisecond)", () => {
  const ds = stageShop();
  const { asOf, counts, customers } = ds.stages({ asOf: "2024-06-01" });
  assert.equal(asOf, AS_OF);
  assert.deepEqual(counts, { prospect: 4, new: 2, repeat: 2, dormant: 2, churned: 2 });
  const stage = Object.fromEntries(customers.toArray().map((r) => [r.customer_id, r.stage]));
  assert.deepEqual(stage, {
    prospect: "prospect",
    atAsOf: "prospect",
    prospect90: "prospect",
    undated: "prospect",
    churnedProspect: "churned",
    new2: "new",
    repeat2: "repeat",
    oneOrder45: "new",
    repeatAt60: "repeat",
    dormant: "dormant",
    dormantAt90: "dormant",
    churned: "churned",
  });
  assert.deepEqual(
    customers.schema.fields.map((f) => f.name),
    ["customer_id", "stage", "orders", "lastOrder", "firstOrder", "lastActive"],
  );
  const row = customers.toArray().find((r) => r.customer_id === "repeatAt60");
  assert.equal(row.orders, 2);
  assert.equal(row.lastOrder, ago(60));
  assert.equal(row.firstOrder, ago(100));
  assert.equal(row.lastActive, ago(1));
  // Thresholds as options, in text or milliseconds.
  const longer = ds.stages({ asOf: AS_OF, churnAfter: "180d", newWithin: 31 * DAY, dormantAfter: "100d" }).counts;
  assert.deepEqual(longer, { prospect: 5, new: 5, repeat: 2, dormant: 0, churned: 0 });
  ds.free();
});

test("bad lifecycle and stages options are coded InsituErrors", () => {
  const ds = stageShop();
  const cases = [
    [() => ds.lifecycle({ period: "quarter" }), /"period".*"day", "week" or "month"/],
    [() => ds.lifecycle({ from: "2024-02-01", to: "2024-01-01" }), /"from".*after "to"/],
    [() => ds.lifecycle({ timezone: "KST" }), /"timezone"/],
    [() => ds.lifecycle({ asOf: 1 }), /unknown field `asOf`/],
    [() => ds.stages({ asOf: "yesterday" }), /"asOf".*not a time/],
    [() => ds.stages({ asOf: {} }), /"asOf".*not a time/],
    [() => ds.stages({ dormantAfter: "-5d" }), /"dormantAfter".*negative/],
    [() => ds.stages({ churnAfter: -1 }), /"churnAfter".*negative/],
    [() => ds.stages({ newWithin: "a month" }), /"newWithin".*not a duration/],
    [() => ds.stages({ dormant: "5d" }), /unknown field `dormant`/],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof InsituError && e.code === "bad_option" && message.test(e.message), String(message));
  }
  ds.free();
});
