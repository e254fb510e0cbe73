// The package in headless Chromium: load, ingest a Table and IPC bytes, coded errors,
// sample data; and no request leaves the local server.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";
import { Insitu } from "../../dist/node.js";
import { launch, record } from "./chromium.mjs";

const root = fileURLToPath(new URL("./page/", import.meta.url));
const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
let server;
let browser;

before(async () => {
  server = await createServer({
    configFile: false,
    root,
    logLevel: "error",
    resolve: {
      alias: [
        { find: /^insitu$/, replacement: `${dist}index.js` },
        { find: /^insitu\/files$/, replacement: `${dist}files.js` },
      ],
    },
    server: { host: "127.0.0.1", port: 0, fs: { allow: [fileURLToPath(new URL("../../", import.meta.url))] } },
    optimizeDeps: { include: ["apache-arrow"] },
  });
  await server.listen();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("the package ingests tables in Chromium and sends nothing anywhere", async () => {
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  const page = await browser.newPage();
  const { requests, errors } = record(page);
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60_000 });
  const result = await page.evaluate(() => window.__result);
  assert.equal(result.failed, undefined, result.failed);

  assert.equal(result.table.events, 3);
  assert.equal(result.table.customers, 2);
  assert.equal(result.table.skipped, 1);
  assert.deepEqual(result.table.timeRange, [10, 30]);
  assert.deepEqual(result.bytes.eventNames, ["buy", "visit"]);
  assert.deepEqual(result.error && [result.error.isInsituError, result.error.code], [true, "invalid_ipc"]);

  // The same sample in Node gives the same summary: one engine, two hosts.
  const insitu = await Insitu.load();
  const ds = insitu.dataset(insitu.sample({ events: 50_000, seed: 11 }));
  assert.deepEqual(result.sampleSummary, ds.summary());
  ds.free();

  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert.deepEqual(foreign, [], "requests outside the local server");
  assert.deepEqual(errors, []);
  await page.close();
});
