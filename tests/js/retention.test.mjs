// ds.retention() through the package: the hand-worked shop of tests/retention.rs, option
// conversion (ISO strings, Dates), and every bad option as a coded InsituError.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Float64, Table, TimestampMillisecond, Utf8, vectorFromArray } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";

const insitu = await Insitu.load();
const ms = (iso) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);

// Weeks: W0 = 2024-01-01 ... W3 = 01-22; the data ends 01-25 12:00 (inside W3).
const EVENTS = [
  ["A", "2024-01-01T09:00", "signup", "naver"],
  ["A", "2024-01-03T09:00", "visit", null],
  ["A", "2024-01-09T09:00", "visit", null],
  ["A", "2024-01-15T09:00", "signup", "kakao"],
  ["A", "2024-01-24T09:00", "visit", null],
  ["B", "2024-01-02T09:00", "signup", null],
  ["B", "2024-01-02T10:00", "signup", "google"],
  ["B", "2024-01-16T09:00", "visit", null],
  ["C", "2024-01-10T09:00", "signup", "naver"],
  ["C", "2024-01-10T10:00", "visit", null],
  ["C", "2024-01-17T09:00", "visit", null],
  ["D", "2024-01-05T09:00", "visit", null],
  ["E", "2024-01-22T10:00", "signup", null],
  ["E", "2024-01-25T12:00", "visit", null],
];
const ORDERS = [
  ["A", "2024-01-01T08:00", 10],
  ["A", "2024-01-10T09:00", 5],
  ["B", "2024-01-16T09:00", 7],
  ["D", "2024-01-05T09:00", 100],
  ["E", "2024-01-22T00:00", 3],
];
const CUSTOMERS = [
  ["A", "pro"],
  ["B", "free"],
  ["C", "pro"],
  ["E", null],
];

function shop() {
  const events = new Table({
    customer_id: vectorFromArray(EVENTS.map((e) => e[0]), new Utf8()),
    timestamp: vectorFromArray(EVENTS.map((e) => ms(e[1])), new TimestampMillisecond()),
    event: vectorFromArray(EVENTS.map((e) => e[2]), new Utf8()),
    source: vectorFromArray(EVENTS.map((e) => e[3]), new Utf8()),
  });
  const orders = new Table({
    customer_id: vectorFromArray(ORDERS.map((o) => o[0]), new Utf8()),
    timestamp: vectorFromArray(ORDERS.map((o) => ms(o[1])), new TimestampMillisecond()),
    amount: vectorFromArray(ORDERS.map((o) => o[2]), new Float64()),
  });
  const customers = new Table({
    customer_id: vectorFromArray(CUSTOMERS.map((c) => c[0]), new Utf8()),
    plan: vectorFromArray(CUSTOMERS.map((c) => c[1]), new Utf8()),
  });
  return insitu.dataset({ events, orders, customers });
}

const rows = (r) => r.cohorts.map((c) => [c.start, c.size, c.counts]);

test("first-time and recurring weekly retention match the hand-worked table", () => {
  const ds = shop();
  const first = ds.retention({ periods: 4 });
  assert.deepEqual(rows(first), [
    [ms("2024-01-01"), 2, [2, 1, 1, 1]],
    [ms("2024-01-08"), 1, [1, 1, 0, null]],
    [ms("2024-01-22"), 1, [1, null, null, null]],
  ]);
  assert.deepEqual(first.cohorts[0].rates, [1, 0.5, 0.5, 0.5]);
  assert.deepEqual(first.mean, [1, 2 / 3, 1 / 3, 0.5]);
  assert.equal(first.breakdown, null);
  const recurring = ds.retention({ periods: 4, mode: "recurring" });
  assert.deepEqual(rows(recurring)[2], [ms("2024-01-15"), 1, [1, 1, null, null]]);
  // Defaults: signup -> visit, weekly, 8 periods.
  const defaults = ds.retention();
  assert.equal(defaults.cohorts[0].counts.length, 8);
  ds.free();
});

test("cumulative, revenue and breakdown", () => {
  const ds = shop();
  assert.deepEqual(rows(ds.retention({ periods: 4, cumulative: true }))[0], [ms("2024-01-01"), 2, [2, 2, 2, 1]]);
  const revenue = ds.retention({ periods: 4, revenue: true });
  assert.deepEqual(rows(revenue), [
    [ms("2024-01-01"), 2, [10, 5, 7, 0]],
    [ms("2024-01-08"), 1, [0, 0, 0, null]],
    [ms("2024-01-22"), 1, [3, null, null, null]],
  ]);
  assert.deepEqual(revenue.cohorts[0].rates, [5, 2.5, 3.5, 0]);
  assert.deepEqual(ds.retention({ periods: 4, revenue: true, cumulative: true }).cohorts[0].counts, [10, 15, 22, 22]);
  const byPlan = ds.retention({ periods: 2, breakdown: "plan" }).breakdown;
  assert.deepEqual(
    byPlan.map((g) => [g.value, g.size]),
    [
      ["pro", 2],
      ["free", 1],
      [null, 1],
    ],
  );
  const bySource = ds.retention({ periods: 2, breakdown: { property: "source", limit: 1 } }).breakdown;
  assert.deepEqual(
    bySource.map((g) => [g.value, g.size]),
    [
      ["naver", 2],
      ["Other", 1],
      [null, 1],
    ],
  );
  ds.free();
});

test("from / to accept ISO strings, Dates and epoch ms; timezone shifts periods", () => {
  const ds = shop();
  const starts = (r) => r.cohorts.map((c) => c.start);
  assert.deepEqual(starts(ds.retention({ from: "2024-01-08" })), [ms("2024-01-08"), ms("2024-01-22")]);
  assert.deepEqual(starts(ds.retention({ from: new Date("2024-01-08T00:00:00Z"), to: ms("2024-01-18") })), [ms("2024-01-08")]);
  assert.deepEqual(starts(ds.retention({ mode: "recurring", from: "2024-01-08", to: "2024-01-18" })), [
    ms("2024-01-08"),
    ms("2024-01-15"),
  ]);
  // In UTC+14 Monday starts on Sunday 10:00 UTC.
  const kiribati = ds.retention({ timezone: "+14:00" });
  assert.equal(kiribati.cohorts[0].start, ms("2023-12-31T10:00"));
  ds.free();
});

test("bad options are coded InsituErrors naming the option", () => {
  const ds = shop();
  const cases = [
    [{ startEvent: "sigup" }, /"startEvent".*closest: "signup"/],
    [{ returnEvent: "vist" }, /"returnEvent".*closest: "visit"/],
    [{ period: "fortnight" }, /"period".*"day", "week" or "month"/],
    [{ periods: 0 }, /"periods".*1 to 1000/],
    [{ periods: 1001 }, /"periods".*1 to 1000/],
    [{ periods: 2.5 }, /"periods"/],
    [{ from: "2024-02-01", to: "2024-01-01" }, /"from".*after "to"/],
    [{ from: "soon" }, /"from".*not a time/],
    [{ timezone: "Asia/Seoul" }, /"timezone".*\+09:00/],
    [{ breakdown: "plann" }, /"breakdown".*event properties: source.*customer attributes: plan/],
    [{ breakdown: { attribute: "source" } }, /"breakdown"/],
    [{ mode: "sometimes" }, /"mode".*"recurring"/],
    [{ cohorts: 3 }, /unknown field `cohorts`/],
  ];
  for (const [options, message] of cases) {
    assert.throws(
      () => ds.retention(options),
      (e) => e instanceof InsituError && e.code === "bad_option" && message.test(e.message),
      JSON.stringify(options),
    );
  }
  const eventsOnly = insitu.dataset({
    events: new Table({
      customer_id: vectorFromArray(["a"], new Utf8()),
      timestamp: vectorFromArray([0], new TimestampMillisecond()),
      event: vectorFromArray(["signup"], new Utf8()),
    }),
  });
  assert.throws(
    () => eventsOnly.retention({ revenue: true }),
    (e) => e.code === "bad_option" && /orders/.test(e.message),
  );
  assert.throws(
    () => eventsOnly.retention({ startEvent: "signup" }),
    (e) => e.code === "bad_option" && /"returnEvent".*closest: "signup"/.test(e.message),
  );
  eventsOnly.free();
  // The instance is still fine.
  assert.equal(ds.retention({ periods: 1 }).cohorts.length, 3);
  ds.free();
});

test("segments break retention down: groups add up to the whole", () => {
  const ds = insitu.dataset(insitu.sample({ events: 30_000, seed: 4 }));
  const whole = ds.retention({ period: "month", periods: 4 });
  const split = ds.retention({ period: "month", periods: 4, breakdown: { segments: [{ name: "buyers", where: "orders >= 1" }] } });
  const names = split.breakdown.map((g) => g.value);
  assert.ok(names.includes("buyers") && names.includes("none"), names.join());
  for (const [i, cohort] of whole.cohorts.entries()) {
    for (let k = 0; k < 4; k++) {
      const sum = split.breakdown.reduce((s, g) => s + (g.cohorts.find((c) => c.start === cohort.start)?.counts[k] ?? 0), 0);
      assert.equal(sum, cohort.counts[k] ?? 0, `cohort ${i} k ${k}`);
    }
  }
  assert.throws(() => ds.retention({ breakdown: { segments: [{ name: "x", where: "ordrs > 1" }] } }), (e) => e instanceof InsituError && e.code === "bad_option");
  ds.free();
});
