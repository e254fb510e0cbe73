// Debian's headless Chromium through playwright-core, with the flags the browser tests use
// (tests/browser/chromium.mjs) plus V8 flags for the benchmark: a heap large enough for
// 10M-event tables and an exposed gc() so collections stay out of the timed calls.
import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM } from "../../tests/browser/chromium.mjs";

export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), "insitu-bench-chromium-"));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--js-flags=--expose-gc --max-old-space-size=8192",
    ],
  });
}

/** "Chromium 156.0.8078.79 built on Debian ..." (the wrapper script's stderr noise dropped). */
export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "unknown";
  }
}
