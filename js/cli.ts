#!/usr/bin/env node
/**
 * The `insitu` command line:
 *   insitu report <file> [--events f] [--orders f] [--customers f] [--json] [mapping flags]
 *   insitu sample [--events N] [--seed S] [--format arrow|parquet|csv] [--out DIR]
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import { Insitu, InsituError, type DatasetMapping, type DatasetTables, type Summary } from "./node.js";
import { ipcToParquet, readTableFile, tableToCsv } from "./files.js";

const USAGE = `Usage:
  insitu report <file.arrow|.parquet|.csv> [--json]
  insitu report --events e.arrow [--orders o.parquet] [--customers c.csv] [--json]
      mapping: --customer COL --time COL --event COL --amount COL  (apply to every table given)
  insitu sample [--events 100000] [--seed 42] [--format arrow|parquet|csv] [--out sample-data]`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "report") return report(rest);
  if (command === "sample") return sample(rest);
  console.log(USAGE);
  return command === undefined || command === "--help" || command === "help" ? 0 : 2;
}

/** Guesses which table a lone file is: orders if it has an amount column and no event column. */
function guessTable(ipc: Uint8Array): keyof DatasetTables {
  const names = tableFromIPC(ipc).schema.fields.map((f) => f.name.toLowerCase());
  const hasEvent = ["event", "event_name", "event_type", "name", "action"].some((n) => names.includes(n));
  const hasAmount = ["amount", "revenue", "value", "total", "price"].some((n) => names.includes(n));
  return hasAmount && !hasEvent ? "orders" : "events";
}

async function report(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      events: { type: "string" },
      orders: { type: "string" },
      customers: { type: "string" },
      json: { type: "boolean", default: false },
      customer: { type: "string" },
      time: { type: "string" },
      event: { type: "string" },
      amount: { type: "string" },
    },
  });
  const files: Partial<Record<keyof DatasetTables, string>> = {};
  for (const t of ["events", "orders", "customers"] as const) if (values[t]) files[t] = values[t];
  const tables: DatasetTables = {};
  for (const [table, path] of Object.entries(files) as [keyof DatasetTables, string][]) {
    tables[table] = await readTableFile(new Uint8Array(await readFile(path)), basename(path));
  }
  for (const path of positionals) {
    const ipc = await readTableFile(new Uint8Array(await readFile(path)), basename(path));
    tables[guessTable(ipc)] = ipc;
  }
  if (Object.keys(tables).length === 0) {
    console.error(USAGE);
    return 2;
  }
  const role = { customer: values.customer, time: values.time, event: values.event, amount: values.amount };
  const clean = Object.fromEntries(Object.entries(role).filter(([, v]) => v !== undefined));
  const mapping: DatasetMapping = {};
  for (const t of Object.keys(tables) as (keyof DatasetTables)[]) {
    const forTable = { ...clean };
    if (t !== "events") delete forTable.event;
    if (t !== "orders") delete forTable.amount;
    mapping[t] = forTable;
  }
  const insitu = await Insitu.load();
  const started = performance.now();
  const ds = insitu.dataset(tables, mapping);
  const ms = performance.now() - started;
  const summary = ds.summary();
  ds.free();
  if (values.json) console.log(JSON.stringify(summary, null, 2));
  else console.log(formatSummary(summary, ms));
  return 0;
}

function formatSummary(s: Summary, ingestMs: number): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const lines = [
    `events      ${n(s.events)}`,
    `orders      ${n(s.orders)}  (revenue ${n(Math.round(s.revenue * 100) / 100)}, ${n(s.buyers)} buyers)`,
    `customers   ${n(s.customers)}`,
    `time range  ${s.timeRange ? `${new Date(s.timeRange[0]).toISOString()} .. ${new Date(s.timeRange[1]).toISOString()}` : "-"}`,
    `skipped     ${n(s.skipped)} rows`,
    ...s.skippedRows.map((r) => `            ${n(r.rows)} ${r.table} rows: ${r.reason} (column "${r.column}")`),
    `event names ${s.eventNames.map((name, i) => `${name} (${n(s.eventCounts[i] ?? 0)})`).join(", ") || "-"}`,
  ];
  for (const t of s.columns) {
    const roles = Object.entries(t.roles).map(([r, c]) => `${r}=${c}`).join(" ");
    lines.push(`${t.table.padEnd(11)} ${roles}; properties: ${t.properties.map((p) => p.name).join(", ") || "-"}`);
    if (t.ignored.length) lines.push(`            ignored: ${t.ignored.map((c) => `${c.name} (${c.kind})`).join(", ")}`);
  }
  lines.push(`ingested in ${ingestMs.toFixed(0)} ms`);
  return lines.join("\n");
}

async function sample(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: "string", default: "100000" },
      seed: { type: "string", default: "42" },
      format: { type: "string", default: "arrow" },
      out: { type: "string", default: "sample-data" },
    },
  });
  const format = values.format;
  if (format !== "arrow" && format !== "parquet" && format !== "csv") {
    throw new InsituError("bad_option", `option "format": "${format}" is not one of arrow, parquet, csv`);
  }
  const insitu = await Insitu.load();
  const tables = insitu.sample({ events: Number(values.events), seed: Number(values.seed) });
  await mkdir(values.out, { recursive: true });
  for (const [name, ipc] of Object.entries(tables) as [string, Uint8Array][]) {
    const path = join(values.out, `${name}.${format}`);
    const bytes =
      format === "arrow"
        ? tableToIPC(tableFromIPC(ipc), "file")
        : format === "parquet"
          ? await ipcToParquet(ipc)
          : new TextEncoder().encode(tableToCsv(tableFromIPC(ipc)));
    await writeFile(path, bytes);
    console.log(`wrote ${path} (${tableFromIPC(ipc).numRows.toLocaleString("en-US")} rows)`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e instanceof InsituError ? `error (${e.code}): ${e.message}` : e);
    process.exitCode = 1;
  },
);
