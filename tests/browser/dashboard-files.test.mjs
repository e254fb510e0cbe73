// Loading files in the dashboard: generated sample data written as .arrow, .csv and
// .parquet goes through the file inputs and the mapping step and shows the engine's
// numbers for the same files read in Node; bad files (a PNG renamed .csv, an empty file, a
// CSV without the amount column) give a readable error and the page keeps working; a
// failed Worker is replaced and the files are ingested again.
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { tableFromIPC } from "apache-arrow";
import { Insitu } from "../../dist/node.js";
import { ipcToParquet, readTableFile, tableToCsv } from "../../dist/files.js";
import { record } from "./chromium.mjs";
import { RESULTS, servedDashboard } from "./dashboard-server.mjs";

let dir;

const dashboard = servedDashboard();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "insitu-dashboard-files-"));
});

async function loaded(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.ready ?? 0) >= n, n, { timeout: 120_000 });
}

const metric = (page, key) => page.getAttribute(`[data-metric="${key}"]`, "data-value");

async function chooseFiles(page, files) {
  for (const table of ["events", "orders", "customers"]) await page.setInputFiles(`#${table}-file`, files[table] ? [files[table]] : []);
}

test("files through the inputs and the mapping step show the engine's numbers; bad files say what is wrong", async () => {
  const insitu = await Insitu.load();
  const sample = insitu.sample({ events: 20_000, seed: 7 });
  const files = {
    events: join(dir, "events.arrow"),
    orders: join(dir, "orders.csv"),
    customers: join(dir, "customers.parquet"),
  };
  await writeFile(files.events, sample.events);
  await writeFile(files.orders, tableToCsv(tableFromIPC(sample.orders)));
  await writeFile(files.customers, await ipcToParquet(sample.customers));
  // The same files read in Node with the package.
  const tables = {};
  for (const [table, path] of Object.entries(files)) tables[table] = await readTableFile(new Uint8Array(await readFile(path)), path);
  const ds = insitu.dataset(tables);
  const expected = ds.summary();
  const lifecycle = ds.lifecycle({ period: "month" });

  const page = await dashboard.browser.newPage();
  const { requests, errors } = record(page);
  await page.goto(dashboard.origin);
  await loaded(page, 1);

  await chooseFiles(page, files);
  await page.click("#load-files");
  await page.waitForSelector('[data-step="mapping"]');
  // The mapping step guessed every role and shows the first rows.
  assert.equal(await page.inputValue('[data-control="map-events-customer"]'), "customer_id");
  assert.equal(await page.inputValue('[data-control="map-events-time"]'), "timestamp");
  assert.equal(await page.inputValue('[data-control="map-events-event"]'), "event");
  assert.equal(await page.inputValue('[data-control="map-orders-amount"]'), "amount");
  assert.equal(await page.inputValue('[data-control="map-customers-signup"]'), "signup_time");
  assert.equal(await page.$$eval('[data-table-map="orders"] tbody tr', (rows) => rows.length), 5);
  await page.screenshot({ path: `${RESULTS}dashboard-mapping.png` });
  await page.click('[data-action="ingest"]');
  await loaded(page, 2);
  assert.equal(await metric(page, "customers"), String(expected.customers));
  assert.equal(await metric(page, "orders"), String(expected.orders));
  assert.ok(Math.abs(Number(await metric(page, "revenue")) - expected.revenue) < 1e-6);
  const active = await page.$$eval('[data-panel="overview-active"] [data-key^="active-"]', (els) => els.map((e) => Number(e.dataset.value)));
  assert.deepEqual(active, lifecycle.periods.map((p) => p.new + p.returning + p.resurrecting));
  assert.match(await page.textContent('[data-columns="orders"]'), /amount/);

  // A failed Worker is replaced and the files are ingested again.
  const [worker] = page.workers();
  await worker.evaluate(() => setTimeout(() => {
    throw new Error("simulated crash");
  }, 0));
  await page.waitForFunction(() => document.body.dataset.restarts === "1");
  await page.waitForSelector("#restart:not([hidden])");
  assert.match(await page.textContent("#restart"), /restarted; your data was loaded again/);
  await page.waitForFunction(() => document.querySelector('[data-panel="overview-figures"]')?.getAttribute("aria-busy") === "false");
  await page.waitForFunction((n) => document.querySelector('[data-metric="customers"]')?.dataset.value === String(n), expected.customers);
  await page.click('[data-tab="funnel"]');
  await page.waitForFunction(() => Number(document.querySelector('[data-panel="funnel"]')?.dataset.renders ?? 0) >= 1);
  const { args } = JSON.parse(await page.getAttribute('[data-panel="funnel"]', "data-query"));
  const funnel = ds.funnel(...args);
  assert.equal(await page.getAttribute('[data-key="step-0-count"]', "data-value"), String(funnel.steps[0].count));
  await page.click('[data-tab="overview"]');

  // A PNG renamed .csv.
  const png = join(dir, "picture.csv");
  await writeFile(png, Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5e9b5d40000000049454e44ae426082", "hex"));
  await chooseFiles(page, { events: png });
  await page.click("#load-files");
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await page.textContent("#error"), /picture\.csv: this is not a CSV text file .*PNG image/);

  // An empty file.
  const empty = join(dir, "events-empty.csv");
  await writeFile(empty, "");
  await chooseFiles(page, { events: empty });
  await page.click("#load-files");
  await page.waitForFunction(() => /empty/.test(document.getElementById("error").textContent));
  assert.match(await page.textContent("#error"), /events-empty\.csv: the file is empty/);

  // A CSV without the amount column: the mapping step says so, and so does the engine.
  const noAmount = join(dir, "orders-no-amount.csv");
  await writeFile(noAmount, "order_id,customer_id,timestamp,channel\n1,10,2024-01-05T10:00:00Z,web\n2,11,2024-01-06T11:00:00Z,app\n");
  await chooseFiles(page, { orders: noAmount });
  await page.click("#load-files");
  await page.waitForSelector('[data-table-map="orders"]');
  assert.match(await page.textContent('[data-table-map="orders"] .problems'), /No column is chosen for Amount\. The file has: order_id, customer_id, timestamp, channel/);
  await page.click('[data-action="ingest"]');
  await page.waitForSelector("[data-mapping-error]:not([hidden])");
  const message = await page.textContent("[data-mapping-error]");
  assert.match(message, /amount/i);
  assert.match(message, /order_id/);
  assert.match(message, /Choose the right column/);
  // A wrongly typed column is explained in plain words before ingest.
  await page.selectOption('[data-control="map-orders-amount"]', "channel");
  assert.match(await page.textContent('[data-table-map="orders"] .problems'), /“channel” holds text values, but Amount needs whole number, decimal number/);
  await page.screenshot({ path: `${RESULTS}dashboard-bad-file.png` });

  // The page keeps working: generate sample data.
  await page.selectOption("#sample-size", "10000");
  await page.click("#generate");
  await loaded(page, 3);
  assert.match(await page.textContent("#status"), /10,000 events/);
  assert.equal(await page.isHidden("#error"), true);

  for (const url of requests.filter((u) => !u.startsWith("blob:") && !u.startsWith("data:"))) {
    assert.ok(url.startsWith(`${dashboard.origin}/`), `request to another origin: ${url}`);
    assert.match(new URL(url).pathname, /^\/(|style\.css|favicon\.svg|assets\/[\w.-]+\.(js|wasm|css))$/, url);
  }
  assert.deepEqual(errors, []);
  ds.free();
  await page.close();
});
