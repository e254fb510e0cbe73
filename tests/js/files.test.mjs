// Local file reading (CSV, Parquet, Arrow) and the `insitu` CLI.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { tableFromIPC } from "apache-arrow";
import { Insitu, InsituError } from "../../dist/node.js";
import { csvToTable, ipcToParquet, readTableFile, tableToCsv } from "../../dist/files.js";

const run = promisify(execFile);
const cli = new URL("../../dist/cli.js", import.meta.url).pathname;
const insitu = await Insitu.load();

test("CSV columns get sensible types and ingest", async () => {
  const csv = "user_id,ts,event,amount,vip\n1,2024-01-01T10:00:00Z,visit,,true\n2,2024-01-02,buy,9.5,false\n1,2024-01-01 09:00,visit,1,\n";
  const table = csvToTable(csv);
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
  assert.equal(types.user_id, "Int64");
  assert.match(types.ts, /Timestamp/);
  assert.equal(types.amount, "Float64");
  assert.equal(types.vip, "Bool");
  const ds = insitu.dataset({ events: await readTableFile(new TextEncoder().encode(csv), "e.csv") });
  const s = ds.summary();
  assert.equal(s.events, 3);
  assert.deepEqual(s.timeRange, [Date.UTC(2024, 0, 1, 9), Date.UTC(2024, 0, 2)]);
  ds.free();
});

test("CSV written from a table reads back the same", () => {
  const sample = insitu.sample({ events: 2_000, seed: 3 });
  const orders = tableFromIPC(sample.orders);
  const back = csvToTable(tableToCsv(orders));
  assert.equal(back.numRows, orders.numRows);
  const a = orders.getChild("amount").toArray();
  const b = back.getChild("amount").toArray();
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-9);
  assert.equal(Number(back.getChild("timestamp").get(5)), Number(orders.getChild("timestamp").get(5)));
});

test("Parquet round trip through parquet-wasm", async () => {
  const sample = insitu.sample({ events: 2_000, seed: 3 });
  const parquet = await ipcToParquet(sample.orders);
  const ipc = await readTableFile(parquet, "orders.parquet");
  const ds = insitu.dataset({ orders: ipc });
  assert.equal(ds.summary().orders, tableFromIPC(sample.orders).numRows);
  ds.free();
});

test("bad files give readable errors", async () => {
  await assert.rejects(readTableFile(new Uint8Array(), "e.csv"), (e) => e instanceof InsituError && e.code === "empty_input");
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
  await assert.rejects(readTableFile(png, "image.parquet"), (e) => e.code === "invalid_file");
  await assert.rejects(readTableFile(png, "image.png"), (e) => e.code === "invalid_file");
  // A PNG renamed .csv parses as junk text: it must fail at ingest with a named column.
  const junk = await readTableFile(png, "image.csv").catch((e) => e);
  if (junk instanceof Uint8Array) {
    assert.throws(() => insitu.dataset({ events: junk }), (e) => e instanceof InsituError && e.code === "missing_column");
  } else {
    assert.ok(junk instanceof InsituError, String(junk));
  }
});

test("CLI: sample writes files and report summarises them", async () => {
  const dir = await mkdtemp(join(tmpdir(), "insitu-cli-"));
  for (const format of ["arrow", "csv", "parquet"]) {
    const { stdout } = await run("node", [cli, "sample", "--events", "5000", "--format", format, "--out", dir]);
    assert.match(stdout, new RegExp(`events\\.${format}`));
  }
  const arrow = await run("node", [cli, "report", join(dir, "events.arrow"), "--json"]);
  const csv = await run("node", [cli, "report", join(dir, "events.csv"), "--json"]);
  const parquet = await run("node", [cli, "report", join(dir, "events.parquet"), "--json"]);
  const [a, c, p] = [arrow, csv, parquet].map((r) => JSON.parse(r.stdout));
  assert.equal(a.events, c.events);
  assert.equal(a.events, p.events);
  assert.equal(a.customers, c.customers);
  assert.deepEqual(a.eventCounts, p.eventCounts);
  const text = await run("node", [cli, "report", "--events", join(dir, "events.arrow"), "--orders", join(dir, "orders.csv")]);
  assert.match(text.stdout, /orders\s+[\d,]+/);
  assert.match(text.stdout, /event names .*purchase/);
  // A bad column name is a coded error and exit code 1.
  const bad = await run("node", [cli, "report", join(dir, "events.arrow"), "--customer", "nope"]).catch((e) => e);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /missing_column.*"nope" not found/);
  await writeFile(join(dir, "empty.csv"), "");
  const empty = await run("node", [cli, "report", join(dir, "empty.csv")]).catch((e) => e);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /empty_input/);
  assert.ok((await readFile(join(dir, "orders.csv"), "utf8")).startsWith("order_id,customer_id,timestamp,amount"));
});
