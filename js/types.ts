/**
 * Public option and result types of the package. The Rust core reads and writes these
 * shapes as JSON (`src/json`, camelCase); this file is the one place they are written down in TS.
 */

/** Epoch milliseconds, an ISO-8601 string, or a `Date`. */
export type TimeValue = number | string | Date;

/** An Arrow table: an `apache-arrow` `Table`, or IPC bytes (stream or file format). */
export type TableInput = import("apache-arrow").Table | Uint8Array | ArrayBuffer;

/** The tables of a dataset: events, orders or both, and optionally customers. */
export interface DatasetTables {
  /** One row per event: customer id, time, event name, any properties. */
  events?: TableInput;
  /** One row per order: customer id, time, amount, any other columns. */
  orders?: TableInput;
  /** One row per customer: customer id, optional signup time, any attributes. */
  customers?: TableInput;
  /**
   * Extra per-customer columns keyed by customer id (e.g. CRM or demographic data),
   * joined onto the customer attributes for segment rules and lookalike features. Ids
   * not in the other tables are skipped and counted; column names must not repeat the
   * customers table's.
   */
  enrich?: TableInput;
}

/**
 * Which column plays which role in one table. Leave a role out to use the usual names
 * (`customer_id`/`user_id`, `timestamp`/`ts`/`time`/`date`, `event`/`event_name`,
 * `amount`/`revenue`/`value`, `signup_time`/`signup`), matched case-insensitively.
 */
export interface TableMapping {
  /** Customer id column (int, uint, utf8 or dictionary). */
  customer?: string;
  /** Time column (timestamp, date, int64 epoch, or ISO text). */
  time?: string;
  /** Event name column (events table). */
  event?: string;
  /** Amount column (orders table). */
  amount?: string;
  /** Signup time column (customers table). */
  signup?: string;
  /** What plain int64 time values count; default `"ms"`. */
  timeUnit?: "s" | "ms" | "us" | "ns";
  /** IPC container format of byte input; default: detected. */
  format?: "auto" | "stream" | "file";
}

/** Column mappings per table. */
export interface DatasetMapping {
  events?: TableMapping;
  orders?: TableMapping;
  customers?: TableMapping;
  /** Only `customer` (the id column) and `format` apply. */
  enrich?: TableMapping;
}

/** Rows of one table left out for one reason. */
export interface SkippedRows {
  table: "events" | "orders" | "customers" | "enrich";
  /** The column at fault. */
  column: string;
  /** The reason in words. */
  reason: string;
  /** Stable reason code: `null_customer`, `null_time`, `bad_time`, `null_event`, `null_amount`, `duplicate_customer`, `unknown_customer` (enrich). */
  code: string;
  rows: number;
}

/** A column with its kind (`category`, `number`, `time`) or, when ignored, its Arrow type. */
export interface ColumnInfo {
  name: string;
  kind: string;
}

/** How one table's columns were used. */
export interface TableColumns {
  table: "events" | "orders" | "customers" | "enrich";
  /** Role -> column name, e.g. `{ customer: "user_id", time: "ts", event: "name" }`. */
  roles: Record<string, string>;
  /** Other columns, kept as properties / attributes. */
  properties: ColumnInfo[];
  /** Columns of unsupported types, not kept. */
  ignored: ColumnInfo[];
}

/** What `dataset.summary()` returns. */
export interface Summary {
  /** Events kept. */
  events: number;
  /** Orders kept. */
  orders: number;
  /** Distinct customers over all tables. */
  customers: number;
  /** Rows skipped over all tables (see `skippedRows` for why). */
  skipped: number;
  /** Skipped rows by table, column and reason. */
  skippedRows: SkippedRows[];
  /** Earliest and latest event or order time in epoch ms, or null without rows. */
  timeRange: [number, number] | null;
  /** Distinct event names, sorted. */
  eventNames: string[];
  /** Events per name, aligned with `eventNames`. */
  eventCounts: number[];
  /** Sum of order amounts. */
  revenue: number;
  /** Customers with at least one order. */
  buyers: number;
  /** Which column played which role. */
  columns: TableColumns[];
}

/** Options of {@link Insitu.sample}. */
export interface SampleOptions {
  /** Approximate number of events (1,000 to 20,000,000; default 100,000). About 10 per customer. */
  events?: number;
  /** Random seed; the same seed gives the same data. Default 42. */
  seed?: number;
  /** First day of the data; default 2024-01-01. */
  start?: TimeValue;
  /** Number of days covered; default 365. */
  days?: number;
}

/** Sample tables as Arrow IPC stream bytes. */
export interface SampleTables {
  events: Uint8Array;
  orders: Uint8Array;
  customers: Uint8Array;
}
