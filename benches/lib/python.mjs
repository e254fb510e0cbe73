// The Python comparators (lifetimes, scikit-learn) run in a virtualenv made on first use
// in bench-results/pyenv from benches/python/requirements.txt (PyPI). Without python3
// the Python cases are skipped and the report says so.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { RESULTS, REPO } from "./data.mjs";

const VENV = `${RESULTS}pyenv`;
const REQUIREMENTS = `${REPO}benches/python/requirements.txt`;

/** The venv's python, made if missing or stale; null when no python3 is available. */
export async function ensurePython(log = console.log) {
  const python = `${VENV}/bin/python`;
  const wanted = await readFile(REQUIREMENTS, "utf8");
  const stamp = `${VENV}/requirements.txt`;
  if (existsSync(python) && existsSync(stamp) && (await readFile(stamp, "utf8")) === wanted) return python;
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
  } catch {
    log("python3 not found: the Python comparator cases are skipped");
    return null;
  }
  log("making bench-results/pyenv (lifetimes, scikit-learn) ...");
  execFileSync("python3", ["-m", "venv", "--clear", VENV], { stdio: "inherit" });
  execFileSync(python, ["-m", "pip", "install", "--quiet", "-r", REQUIREMENTS], { stdio: "inherit" });
  await writeFile(stamp, wanted);
  return python;
}
