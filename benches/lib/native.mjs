// Runs a native benchmark (`cargo bench --bench NAME -- ARGS`) and returns the JSON lines
// it prints. glibc's malloc is told to keep freed memory for reuse instead of handing big
// blocks back to the kernel: otherwise every native run pays for the kernel zeroing
// fresh pages (a 10M-event ingest spent more time in page faults than in Insitu), while
// the wasm runs reuse memory they already grew. Both then measure the computation.
import { execFileSync } from "node:child_process";
import { REPO } from "./data.mjs";

export const NATIVE_MALLOC =
  "glibc.malloc.mmap_threshold=4294967296:glibc.malloc.trim_threshold=17179869184:glibc.malloc.top_pad=1073741824";

/** The JSON lines a native benchmark printed. */
export function cargoBench(bench, args) {
  return execFileSync("cargo", ["bench", "--quiet", "--bench", bench, "--", ...args], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, GLIBC_TUNABLES: NATIVE_MALLOC },
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 2 ** 20,
  })
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}
