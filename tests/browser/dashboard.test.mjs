// The page `npm start` serves: built with Vite, served by `vite preview`, loaded in
// headless Chromium. It must show the sample data's summary under its strict CSP and make
// no request beyond its own static assets.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { Insitu } from "../../dist/node.js";
import { launch, record } from "./chromium.mjs";

const configFile = fileURLToPath(new URL("../../www/vite.config.ts", import.meta.url));
let server;
let browser;

before(async () => {
  await build({ configFile, logLevel: "error" });
  server = await preview({ configFile, logLevel: "error", preview: { port: 0, host: "127.0.0.1" } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.httpServer.close(resolve));
});

test("the dashboard shows the sample summary, keeps a strict CSP, and stays local", async () => {
  const origin = server.resolvedUrls.local[0].replace(/\/$/, "");
  const page = await browser.newPage();
  const { requests, errors } = record(page);
  await page.goto(origin);
  await page.waitForSelector('dd[data-metric="customers"]', { timeout: 60_000 });

  const insitu = await Insitu.load();
  const ds = insitu.dataset(insitu.sample({ events: 100_000 }));
  const expected = ds.summary();
  ds.free();
  const shown = async (metric) => (await page.textContent(`dd[data-metric="${metric}"]`)).replace(/[^\d]/g, "");
  assert.equal(await shown("customers"), String(expected.customers));
  assert.equal(await shown("events"), String(expected.events));
  assert.equal(await shown("orders"), String(expected.orders));

  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /default-src 'self'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(await page.textContent("footer"), /nothing is uploaded/);

  // Generating another size through the form works from the keyboard.
  await page.focus("#sample-size");
  await page.selectOption("#sample-size", "10000");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /10,000 events/.test(document.getElementById("status")?.textContent ?? ""));

  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: fileURLToPath(new URL("../../test-results/dashboard.png", import.meta.url)) });
  await page.close();
});
