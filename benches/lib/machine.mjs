// What the figures were measured on: CPU model and cores (lscpu), memory, OS, versions.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { REPO } from "./data.mjs";

const run = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { cwd: REPO, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "";
  }
};

export function machine() {
  const lscpu = Object.fromEntries(
    run("lscpu", []).split("\n").map((line) => line.split(/:\s+/, 2).map((s) => s.trim())),
  );
  const os = /PRETTY_NAME="([^"]*)"/.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? process.platform;
  const commit = run("git", ["rev-parse", "--short", "HEAD"]);
  const dirty = run("git", ["status", "--porcelain", "--", "src", "js", "Cargo.toml", "Cargo.lock"]) !== "";
  return {
    cpu: lscpu["Model name"] ?? cpus()[0]?.model ?? "unknown",
    cores: Number(lscpu["CPU(s)"] ?? cpus().length),
    memoryBytes: totalmem(),
    os,
    node: process.version,
    commit: commit ? `${commit}${dirty ? " (with uncommitted changes)" : ""}` : "unknown",
    date: new Date().toISOString(),
  };
}

/** The 1-minute load average: above ~0.5 on this 2-core machine, something else was running. */
export const loadAverage = () => Number(loadavg()[0].toFixed(2));
