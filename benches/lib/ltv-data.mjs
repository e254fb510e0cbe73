// The LTV benchmark's input, cached in bench-results/data/: each dataset as one orders
// table written twice from the same arrays, an Arrow IPC stream (Insitu in Node, Chromium
// and natively) and a CSV (lifetimes, through pandas). Times are epoch milliseconds in
// both, so the two readers see the same instants; amounts are written in JS's shortest
// round-trip form and pandas reads them with float_precision="round_trip".
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { Float64, Int32, Table, TimestampMillisecond, makeData, makeVector, tableToIPC } from "apache-arrow";
import { DATA, REPO } from "./data.mjs";
import { LTV_TRUTH, generateLtv, parseCdnow } from "./ltv-generate.mjs";

// Bump when the generator changes: the cache key.
const GENERATOR_VERSION = 1;
const START = Date.UTC(2023, 0, 2); // a Monday

/**
 * The datasets of a run. Every one is fitted in weeks with purchases collapsed per day
 * (lifetimes' freq="D", freq_multiplier=7, the CDNOW convention).
 */
export function ltvDatasets(quick) {
  const generated = quick ? 100_000 : 1_000_000;
  return [
    {
      name: "cdnow",
      title: "CDNOW sample",
      calibrationEnd: "1997-09-30",
      unit: "week",
    },
    {
      name: `gen-${generated}`,
      title: `Generated, ${generated.toLocaleString("en-US")} customers`,
      generated: { customers: generated, seed: 42, start: START, acquisitionWeeks: 26, weeks: 78 },
      // 52 weeks of calibration, 26 of holdout.
      calibrationEnd: "2023-12-31",
      unit: "week",
      truth: LTV_TRUTH,
    },
  ];
}

export const ltvFile = (name, ext) => `${DATA}ltv-${name}.${ext}`;

function toIpc({ customer, time, amount }) {
  const n = customer.length;
  const ms = new BigInt64Array(n);
  for (let i = 0; i < n; i++) ms[i] = BigInt(time[i]);
  const table = new Table({
    customer_id: makeVector(customer),
    time: makeVector(makeData({ type: new TimestampMillisecond(), length: n, data: ms })),
    amount: makeVector(amount),
  });
  if (!(table.schema.fields[0].type instanceof Int32 && table.schema.fields[2].type instanceof Float64)) {
    throw new Error(`unexpected orders schema: ${table.schema.fields.map(String).join(", ")}`);
  }
  return tableToIPC(table, "stream");
}

function toCsv({ customer, time, amount }) {
  const parts = ["customer_id,time,amount\n"];
  const CHUNK = 100_000;
  for (let start = 0; start < customer.length; start += CHUNK) {
    let s = "";
    const end = Math.min(customer.length, start + CHUNK);
    for (let i = start; i < end; i++) s += `${customer[i]},${time[i]},${amount[i]}\n`;
    parts.push(s);
  }
  return parts.join("");
}

/** Writes the IPC and CSV files of every dataset that is missing or stale; returns the metas. */
export async function ensureLtvData(quick, log = console.log) {
  await mkdir(DATA, { recursive: true });
  const metas = [];
  for (const spec of ltvDatasets(quick)) {
    const key = JSON.stringify({ GENERATOR_VERSION, spec });
    const metaFile = ltvFile(spec.name, "json");
    const meta = existsSync(metaFile) ? JSON.parse(await readFile(metaFile, "utf8")) : null;
    if (meta?.key === key && existsSync(ltvFile(spec.name, "arrows")) && existsSync(ltvFile(spec.name, "csv"))) {
      metas.push(meta);
      continue;
    }
    log(`ltv data: writing ${spec.name} ...`);
    const tx = spec.generated
      ? generateLtv(spec.generated)
      : parseCdnow(await readFile(`${REPO}tests/fixtures/ltv/CDNOW_sample.txt`, "utf8"));
    const ipc = toIpc(tx);
    // Written under a temporary name first, so an interrupted run leaves no half file.
    for (const [ext, bytes] of [["arrows", ipc], ["csv", toCsv(tx)]]) {
      await writeFile(`${ltvFile(spec.name, ext)}.tmp`, bytes);
      await rename(`${ltvFile(spec.name, ext)}.tmp`, ltvFile(spec.name, ext));
    }
    const fresh = {
      key,
      ...spec,
      transactions: tx.customer.length,
      customers: new Set(tx.customer).size,
      ipcBytes: ipc.byteLength,
    };
    await writeFile(metaFile, JSON.stringify(fresh, null, 1));
    metas.push(fresh);
  }
  return metas;
}
