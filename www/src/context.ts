/** What every view shares: the engine in its Worker, the loaded data's summary, formats. */
import type { InsituWorker, Summary } from "insitu";
import { formats, type Currency, type Formats, type Language } from "./format.js";

export interface Context {
  engine: InsituWorker;
  /** Summary of the loaded dataset, or undefined before any data. */
  summary: Summary | undefined;
  /** The Dataset methods this build of the engine has (segments and LTV are optional). */
  methods: Set<string>;
  language: Language;
  currency: Currency;
  fmt: Formats;
}

export function createContext(engine: InsituWorker): Context {
  return { engine, summary: undefined, methods: new Set(), language: "en", currency: "USD", fmt: formats("en", "USD") };
}

/** Event names of the loaded data, most frequent first. */
export function eventsByCount(summary: Summary | undefined): string[] {
  if (!summary) return [];
  return summary.eventNames
    .map((name, i) => ({ name, count: summary.eventCounts[i] ?? 0 }))
    .sort((a, b) => b.count - a.count)
    .map((e) => e.name);
}

/** Category columns of a table (event properties, customer attributes) from the summary. */
export function categories(summary: Summary | undefined, table: "events" | "orders" | "customers"): string[] {
  const info = summary?.columns.find((c) => c.table === table);
  return info ? info.properties.filter((p) => p.kind === "category").map((p) => p.name) : [];
}

/** The last day of data as YYYY-MM-DD (UTC). */
export function lastDay(summary: Summary | undefined): string {
  const ms = summary?.timeRange?.[1];
  return ms === undefined ? new Date().toISOString().slice(0, 10) : new Date(ms).toISOString().slice(0, 10);
}
