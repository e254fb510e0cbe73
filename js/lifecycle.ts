/**
 * Lifecycle counts per period and CRM stages at an as-of date, added to {@link Dataset}.
 * Semantics: SEMANTICS.md (Lifecycle) and docs/retention-lifecycle.md for the choices
 * made where it is silent.
 */
import { tableFromIPC, type Table } from "apache-arrow";
import { Dataset } from "./core.js";
import { toEpochMs } from "./input.js";
import type { TimeValue } from "./types.js";

/**
 * Options of {@link Dataset.lifecycle}.
 *
 * @example
 * ```ts
 * const options: LifecycleOptions = { period: "month", from: "2024-01-01", timezone: "+09:00" };
 * ```
 */
export interface LifecycleOptions {
  /** `"day"`, `"week"` (ISO, Monday; default) or `"month"`. */
  period?: "day" | "week" | "month";
  /** First period listed: the one holding this time; default the first activity. */
  from?: TimeValue;
  /** Last period listed: the one holding this time; default the last activity. */
  to?: TimeValue;
  /** Fixed UTC offset for period boundaries, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
}

/**
 * Counts of one period. Activity is any event, order, or signup (customers table).
 *
 * @example
 * ```ts
 * const p = ds.lifecycle().periods.at(-1);
 * const active = p ? p.new + p.returning + p.resurrecting : 0;
 * ```
 */
export interface LifecyclePeriod {
  /** Start of the period, epoch ms. */
  start: number;
  /** Customers whose first active period this is. */
  new: number;
  /** Active in this period and the one before. */
  returning: number;
  /** Active in this period, not in the one before, but earlier. */
  resurrecting: number;
  /** Active in the period before, not in this one. */
  dormant: number;
}

/**
 * What {@link Dataset.lifecycle} returns.
 *
 * @example
 * ```ts
 * for (const p of ds.lifecycle({ period: "week" }).periods) console.log(new Date(p.start), p.new, -p.dormant);
 * ```
 */
export interface LifecycleResult {
  /** Every period from `from` to `to`, in order (empty periods too). */
  periods: LifecyclePeriod[];
}

/**
 * Options of {@link Dataset.stages}. Durations are text such as `"90d"`, `"12h"`, `"4w"`,
 * or milliseconds; they must not be negative.
 *
 * @example
 * ```ts
 * const options: StagesOptions = { asOf: "2024-12-31", dormantAfter: "45d", churnAfter: "120d", newWithin: "14d" };
 * ```
 */
export interface StagesOptions {
  /** The date the stages are for (only data at or before it counts); default the last event or order. */
  asOf?: TimeValue;
  /** No order for longer than this: dormant. Default `"60d"`. */
  dormantAfter?: string | number;
  /** No activity (event, order, signup) for longer than this: churned. Default `"90d"`. */
  churnAfter?: string | number;
  /** First order at most this long ago: new. Default `"30d"`. */
  newWithin?: string | number;
}

/**
 * A CRM stage.
 *
 * @example
 * ```ts
 * const target: CustomerStage = "dormant";
 * ```
 */
export type CustomerStage = "prospect" | "new" | "repeat" | "dormant" | "churned";

/**
 * What {@link Dataset.stages} returns.
 *
 * @example
 * ```ts
 * const { counts, customers } = ds.stages({ asOf: "2024-12-31" });
 * const dormant = customers.toArray().filter((r) => r.stage === "dormant").map((r) => r.customer_id);
 * ```
 */
export interface StagesResult {
  /** The as-of time used, epoch ms. */
  asOf: number;
  /** Customers per stage. */
  counts: Record<CustomerStage, number>;
  /**
   * One row per customer who exists at asOf: `customer_id`, `stage` (dictionary),
   * `orders` (up to asOf), `lastOrder`, `firstOrder`, `lastActive` (timestamps, UTC, null
   * when missing).
   */
  customers: Table;
}

declare module "./core.js" {
  interface Dataset {
    /**
     * New, returning, resurrecting and dormant customers per period.
     *
     * @example
     * ```ts
     * const { periods } = ds.lifecycle({ period: "month" });
     * periods.map((p) => [new Date(p.start), p.new, p.returning, p.resurrecting, -p.dormant]);
     * ```
     */
    lifecycle(options?: LifecycleOptions): LifecycleResult;
    /**
     * Each customer's CRM stage at `asOf`: prospect, new, repeat, dormant or churned.
     *
     * @example
     * ```ts
     * const { counts, customers } = ds.stages({ asOf: new Date(), dormantAfter: "60d", churnAfter: "90d" });
     * console.log(counts.repeat, customers.numRows);
     * ```
     */
    stages(options?: StagesOptions): StagesResult;
  }
}

/** `options` with the time fields named in `fields` as epoch ms. */
function withTimes<T extends object>(options: T, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  for (const field of fields) {
    const value = out[field] as TimeValue | null | undefined;
    if (value === undefined || value === null) delete out[field];
    else out[field] = toEpochMs(value, field);
  }
  return out;
}

Dataset.prototype.lifecycle = function (this: Dataset, options: LifecycleOptions = {}): LifecycleResult {
  const query = withTimes(options ?? {}, ["from", "to"]);
  return Dataset.call(this, (h) => h.lifecycle(query)) as LifecycleResult;
};

Dataset.prototype.stages = function (this: Dataset, options: StagesOptions = {}): StagesResult {
  const query = withTimes(options ?? {}, ["asOf"]);
  const result = Dataset.call(this, (h) => h.stages(query)) as Omit<StagesResult, "customers"> & {
    customers: Uint8Array;
  };
  return { ...result, customers: tableFromIPC(result.customers) };
};
