// Debian's headless Chromium through playwright-core, with the flags the browser tests use
// (tests/browser/chromium.mjs) plus V8 flags for the benchmark: a heap large enough for
// 10M-event tables and an exposed gc() so collections stay out of the timed calls.
import { execFileSync } from "node:child_process";
import { CHROMIUM, launch as launchChromium } from "../../tests/browser/chromium.mjs";

export const launch = () => launchChromium(["--js-flags=--expose-gc --max-old-space-size=8192"]);

/** "Chromium 156.0.8078.79 built on Debian ..." (the wrapper script's stderr noise dropped). */
export function chromiumVersion() {
  try {
    return execFileSync(CHROMIUM, ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "unknown";
  }
}
