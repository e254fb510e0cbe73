// The dashboard as `npm start` serves it, for the browser tests: built with Vite, served
// by `vite preview` on a free local port, and a headless Chromium to drive it.
import { mkdir } from "node:fs/promises";
import { after, before } from "node:test";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";
import { launch } from "./chromium.mjs";

/** Where the tests write screenshots and measurements. */
export const RESULTS = fileURLToPath(new URL("../../test-results/", import.meta.url));
const configFile = fileURLToPath(new URL("../../www/vite.config.ts", import.meta.url));

/**
 * Registers the test file's before/after hooks that build and serve the dashboard and
 * start Chromium. The returned object's `origin` and `browser` are set once `before` ran.
 */
export function servedDashboard() {
  const dashboard = { origin: "", browser: null };
  let server;
  before(async () => {
    await mkdir(RESULTS, { recursive: true });
    await build({ configFile, logLevel: "error" });
    server = await preview({ configFile, logLevel: "error", preview: { port: 0, host: "127.0.0.1" } });
    dashboard.origin = server.resolvedUrls.local[0].replace(/\/$/, "");
    dashboard.browser = await launch();
  });
  after(async () => {
    await dashboard.browser?.close();
    await new Promise((resolve) => server?.httpServer.close(resolve));
  });
  return dashboard;
}
