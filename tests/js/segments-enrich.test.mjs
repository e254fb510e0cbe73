// The enrich table through the package: joined by customer id, usable in rules.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Float64, Int64, Table, TimestampMillisecond, Utf8, vectorFromArray } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";

const insitu = await Insitu.load();

test("enrich columns become attributes for segment rules", () => {
  const orders = new Table({
    customer_id: vectorFromArray([1n, 2n, 3n], new Int64()),
    timestamp: vectorFromArray([0, 86_400_000, 2 * 86_400_000], new TimestampMillisecond()),
    amount: vectorFromArray([10, 20, 30], new Float64()),
  });
  const enrich = new Table({
    crm_id: vectorFromArray(["2", "3", "99"], new Utf8()),
    tier: vectorFromArray(["gold", "silver", "gold"], new Utf8()),
  });
  const ds = insitu.dataset({ orders, enrich }, { enrich: { customer: "crm_id" } });
  assert.equal(ds.summary().customers, 3);
  assert.deepEqual(ds.summary().skippedRows.filter((s) => s.table === "enrich").map((s) => s.code), ["unknown_customer"]);
  const gold = ds.segment('tier = "gold"');
  assert.deepEqual([...gold.members.getChild("customer_id")].map(Number), [2]);
  assert.ok(ds.segmentFields().some((f) => f.name === "tier" && f.source === "attribute"));
  ds.free();
  assert.throws(
    () => insitu.dataset({ orders, enrich }),
    (e) => e instanceof InsituError && e.code === "missing_column" && /^enrich/.test(e.message),
  );
});
