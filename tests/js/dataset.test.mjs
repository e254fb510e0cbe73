// The package in Node: Insitu.load(), dataset(), summary(), errors. Runs against dist/.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Dictionary,
  Float64,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from "apache-arrow";
import { Insitu, InsituError, toEpochMs } from "../../dist/node.js";

const insitu = await Insitu.load();

function eventsTable() {
  return new Table({
    user_id: vectorFromArray([7n, 3n, 7n, null, 3n], new Int64()),
    ts: vectorFromArray([30, 20, 10, 5, 25], new TimestampMillisecond()),
    name: vectorFromArray(["buy", "visit", "visit", "visit", "buy"], new Dictionary(new Utf8(), new Int32())),
    source: vectorFromArray(["naver", null, "kakao", null, null], new Utf8()),
  });
}

test("loads once and reports a version", async () => {
  assert.equal(await Insitu.load(), insitu);
  assert.match(insitu.version, /^\d+\.\d+\.\d+$/);
  assert.ok(insitu.memoryBytes() > 0);
});

test("ingests an apache-arrow Table with a mapping and summarises it", () => {
  const ds = insitu.dataset({ events: eventsTable() }, { events: { customer: "user_id", time: "ts", event: "name" } });
  const s = ds.summary();
  assert.equal(s.events, 4);
  assert.equal(s.customers, 2);
  assert.equal(s.skipped, 1);
  assert.deepEqual(s.skippedRows, [
    { table: "events", column: "user_id", reason: "customer id is null", code: "null_customer", rows: 1 },
  ]);
  assert.deepEqual(s.timeRange, [10, 30]);
  assert.deepEqual(s.eventNames, ["buy", "visit"]);
  assert.deepEqual(s.eventCounts, [2, 2]);
  assert.deepEqual(s.columns[0].roles, { customer: "user_id", event: "name", time: "ts" });
  assert.deepEqual(s.columns[0].properties, [{ name: "source", kind: "category" }]);
  ds.free();
  assert.throws(() => ds.summary(), (e) => e instanceof InsituError && /freed/.test(e.message));
});

test("accepts IPC stream and file bytes, and orders-only datasets", () => {
  const orders = new Table({
    customer_id: vectorFromArray(["a", "b", "a"], new Utf8()),
    timestamp: vectorFromArray([1_000, 2_000, 3_000], new TimestampMillisecond()),
    amount: vectorFromArray([10, 20.5, 5], new Float64()),
  });
  for (const format of ["stream", "file"]) {
    const ds = insitu.dataset({ orders: tableToIPC(orders, format) });
    const s = ds.summary();
    assert.equal(s.orders, 3);
    assert.equal(s.customers, 2);
    assert.equal(s.buyers, 2);
    assert.equal(s.revenue, 35.5);
    ds.free();
  }
});

test("a customer only in orders is one customer shared across tables", () => {
  const events = new Table({
    customer_id: vectorFromArray([1n, 2n], new Int64()),
    ts: vectorFromArray([1, 2], new TimestampMillisecond()),
    event: vectorFromArray(["visit", "visit"], new Utf8()),
  });
  const orders = new Table({
    customer_id: vectorFromArray(["2", "3"], new Utf8()),
    ts: vectorFromArray([5, 6], new TimestampMillisecond()),
    revenue: vectorFromArray([1, 2], new Float64()),
  });
  const ds = insitu.dataset({ events, orders });
  assert.equal(ds.summary().customers, 3);
  ds.free();
});

test("bad inputs are coded InsituErrors and the instance keeps working", () => {
  const ipc = tableToIPC(eventsTable(), "stream");
  const cases = [
    [{ events: new Uint8Array() }, {}, "invalid_ipc"],
    [{ events: ipc.subarray(0, ipc.length - 20) }, {}, "invalid_ipc"],
    [{ events: Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) % 251) }, {}, "invalid_ipc"],
    [{ events: tableToIPC(eventsTable(), "file") }, { events: { format: "stream" } }, "invalid_ipc"],
    [{ events: ipc }, { events: { format: "file" } }, "invalid_ipc"],
    [{ events: ipc }, { events: { customer: "uid", event: "name" } }, "missing_column"],
    [{ events: ipc }, { events: { event: "ts" } }, "bad_type"],
    [{ events: ipc }, { events: { custmer: "user_id" } }, "bad_option"],
    [{}, {}, "empty_input"],
    [{ events: "not a table" }, {}, "bad_input"],
    [{ event: ipc }, {}, "bad_option"],
  ];
  for (const [tables, mapping, code] of cases) {
    assert.throws(
      () => insitu.dataset(tables, mapping),
      (e) => e instanceof InsituError && e.code === code && e.message.length > 10,
      `expected ${code} for ${JSON.stringify(mapping)}`,
    );
  }
  const missing = (() => {
    try {
      insitu.dataset({ events: ipc }, { events: { customer: "uid", event: "name" } });
    } catch (e) {
      return e;
    }
  })();
  assert.match(missing.message, /"uid" not found; the table has: user_id, ts, name, source/);
  // Zero rows and all-null ids.
  const empty = new Table({
    customer_id: vectorFromArray([], new Int64()),
    ts: vectorFromArray([], new TimestampMillisecond()),
    event: vectorFromArray([], new Utf8()),
  });
  assert.throws(() => insitu.dataset({ events: empty }), (e) => e.code === "empty_input");
  const nullIds = new Table({
    customer_id: vectorFromArray([null, null], new Int64()),
    ts: vectorFromArray([1, 2], new TimestampMillisecond()),
    event: vectorFromArray(["a", "b"], new Utf8()),
  });
  assert.throws(() => insitu.dataset({ events: nullIds }), (e) => e.code === "empty_input" && /customer id is null/.test(e.message));
  // Still alive.
  const ds = insitu.dataset({ events: eventsTable() }, { events: { event: "name" } });
  assert.equal(ds.summary().events, 4);
  ds.free();
});

test("time option values: epoch ms, ISO strings and Date", () => {
  assert.equal(toEpochMs(86_400_000, "from"), 86_400_000);
  assert.equal(toEpochMs("1970-01-02", "from"), 86_400_000);
  assert.equal(toEpochMs("1970-01-02T09:00:00+09:00", "from"), 86_400_000);
  assert.equal(toEpochMs(new Date(86_400_000), "from"), 86_400_000);
  assert.throws(() => toEpochMs("tomorrow-ish", "from"), (e) => e.code === "bad_option" && /"from"/.test(e.message));
});

test("sample data: summary matches an independent count with apache-arrow", () => {
  const sample = insitu.sample({ events: 20_000, seed: 7 });
  const events = tableFromIPC(sample.events);
  const orders = tableFromIPC(sample.orders);
  const customers = tableFromIPC(sample.customers);
  const ids = new Set();
  let min = Infinity;
  let max = -Infinity;
  const counts = new Map();
  for (const row of events) {
    ids.add(String(row.customer_id));
    const t = Number(row.timestamp);
    min = Math.min(min, t);
    max = Math.max(max, t);
    counts.set(row.event, (counts.get(row.event) ?? 0) + 1);
  }
  let revenue = 0;
  const buyers = new Set();
  for (const row of orders) {
    ids.add(String(row.customer_id));
    buyers.add(String(row.customer_id));
    revenue += row.amount;
    const t = Number(row.timestamp);
    min = Math.min(min, t);
    max = Math.max(max, t);
  }
  for (const row of customers) ids.add(String(row.customer_id));

  const ds = insitu.dataset(sample);
  const s = ds.summary();
  assert.equal(s.events, events.numRows);
  assert.equal(s.orders, orders.numRows);
  assert.equal(s.customers, ids.size);
  assert.equal(s.buyers, buyers.size);
  assert.ok(Math.abs(s.revenue - revenue) < 1e-6 * revenue);
  assert.deepEqual(s.timeRange, [min, max]);
  assert.deepEqual(s.eventNames, [...counts.keys()].sort());
  assert.deepEqual(s.eventCounts, s.eventNames.map((n) => counts.get(n)));
  assert.equal(s.skipped, 0);
  assert.ok(Math.abs(events.numRows - 20_000) <= 2_000, `${events.numRows} events`);
  ds.free();
  // Deterministic: the same seed gives the same bytes.
  assert.deepEqual(insitu.sample({ events: 20_000, seed: 7 }).orders, sample.orders);
  assert.throws(() => insitu.sample({ events: -5 }), (e) => e.code === "bad_option");
});
