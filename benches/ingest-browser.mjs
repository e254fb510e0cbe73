// The ingest cases in headless Chromium: one local server and one browser, a fresh page
// per table size (so each size's wasm instance and peak memory are its own). Fails if
// the page requests anything outside the local server.
import { record } from "../tests/browser/chromium.mjs";
import { chromiumVersion, launch } from "./lib/chromium.mjs";
import { startServer } from "./lib/server.mjs";

/**
 * sizes: [{ events, rows, runs }]; `page` is the benchmark page under benches/ (the
 * ingest page by default). Returns { version, results }.
 */
export async function runBrowser(sizes, { timeoutMs = 15 * 60_000, page: pagePath = "browser/index.html", query = "" } = {}) {
  const { server, origin } = await startServer();
  const browser = await launch();
  const results = [];
  try {
    for (const { events, rows, runs } of sizes) {
      const page = await browser.newPage();
      const { requests, errors } = record(page);
      page.on("console", (m) => {
        if (m.type() === "log") console.log(m.text());
      });
      await page.goto(`${origin}/${pagePath}?events=${events}&rows=${rows}&runs=${runs}${query}`);
      await page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs, polling: 500 });
      const result = await page.evaluate(() => window.__result);
      await page.close();
      if (result.failed) throw new Error(`chromium ${events}: ${result.failed}`);
      const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith("data:") && !u.startsWith("blob:"));
      if (foreign.length) throw new Error(`the page requested outside the local server: ${foreign.join(", ")}`);
      if (errors.length) throw new Error(`chromium ${events}: page errors: ${errors.join("; ")}`);
      results.push(result);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { version: chromiumVersion(), results };
}
