/**
 * Cohort retention, added to {@link Dataset}. Semantics: SEMANTICS.md (Retention) and
 * docs/retention-lifecycle.md for the choices made where it is silent.
 */
import { Dataset } from "./core.js";
import { toEpochMs } from "./input.js";
import { segmentQuery, type SegmentDefinition, type SegmentPredicate } from "./segments.js";
import type { TimeValue } from "./types.js";

/**
 * Options of {@link Dataset.retention}. Every field is optional.
 *
 * @example
 * ```ts
 * const options: RetentionOptions = { startEvent: "signup", returnEvent: "purchase", period: "month", periods: 12 };
 * ```
 */
export interface RetentionOptions {
  /** Event that puts a customer in a cohort; default `"signup"`. */
  startEvent?: string;
  /** Event that counts as a return; default `"visit"`. Not used with `revenue`. */
  returnEvent?: string;
  /** Cohort period: `"day"`, `"week"` (ISO, Monday; default) or `"month"`. */
  period?: "day" | "week" | "month";
  /** Columns k = 0..periods-1; default 8, 1 to 1,000. */
  periods?: number;
  /**
   * `"firstTime"` (default): a customer's cohort is the period of their first-ever start
   * event. `"recurring"`: a customer joins the cohort of every period with a start event.
   */
  mode?: "firstTime" | "recurring";
  /** Count returns "on or after" period k (with `revenue`: running revenue totals). */
  cumulative?: boolean;
  /** Sum order amounts per cell instead of counting customers (needs an orders table). */
  revenue?: boolean;
  /**
   * Split cohorts by a property of the start event or a customer attribute. A name looks
   * among the event properties first; `{ property }` / `{ attribute }` say which. Values
   * past `limit` (default 25) fold into `"Other"`.
   */
  breakdown?:
    | string
    | { property?: string; attribute?: string; limit?: number }
    /** Segments (first match wins, "none" for the rest), evaluated at the end of the range or data. */
    | { segments: (SegmentDefinition | SegmentPredicate)[] };
  /** Earliest start event considered (inclusive). */
  from?: TimeValue;
  /** Latest start event considered (inclusive). */
  to?: TimeValue;
  /** Fixed UTC offset for period boundaries, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
}

/**
 * One cohort: the customers who started in one period.
 *
 * @example
 * ```ts
 * const [first] = ds.retention().cohorts;
 * console.log(new Date(first.start), first.size, first.rates[1]);
 * ```
 */
export interface RetentionCohort {
  /** Start of the cohort period, epoch ms. */
  start: number;
  /** Customers in the cohort. */
  size: number;
  /**
   * `counts[k]`: customers with a return event k periods after the cohort period
   * (`counts[0]` = size); with `revenue`, the revenue in that period (`counts[0]` = the
   * revenue in the cohort period). `null` for periods that start after the data ends.
   */
  counts: (number | null)[];
  /** `counts[k] / size` (with `revenue`: revenue per cohort customer). */
  rates: (number | null)[];
}

/**
 * The cohorts of one breakdown value.
 *
 * @example
 * ```ts
 * const groups = ds.retention({ breakdown: "country" }).breakdown ?? [];
 * for (const g of groups) console.log(g.value, g.size, g.mean[1]);
 * ```
 */
export interface RetentionGroup {
  /** The value; `"Other"` for values past the limit; `null` for customers without one. */
  value: string | null;
  /** Customers in all its cohorts. */
  size: number;
  cohorts: RetentionCohort[];
  /** Its weighted mean curve. */
  mean: (number | null)[];
}

/**
 * What {@link Dataset.retention} returns.
 *
 * @example
 * ```ts
 * const { cohorts, mean } = ds.retention({ period: "week", periods: 8 });
 * console.log(`week-1 retention ${(100 * (mean[1] ?? 0)).toFixed(1)}%`);
 * ```
 */
export interface RetentionResult {
  /** Non-empty cohorts in period order. */
  cohorts: RetentionCohort[];
  /**
   * For each k: the sum of the non-null `counts[k]` over the sum of the sizes of those
   * cohorts (a size-weighted mean of `rates[k]`); `null` when no cohort reaches k.
   */
  mean: (number | null)[];
  /** Per breakdown value (largest first, then "Other", then `null`), or `null` without a breakdown. */
  breakdown: RetentionGroup[] | null;
}

declare module "./core.js" {
  interface Dataset {
    /**
     * Cohort retention: per cohort period, how many customers came back k periods later.
     *
     * @example
     * ```ts
     * const r = ds.retention({ startEvent: "signup", returnEvent: "visit", period: "week", periods: 8 });
     * r.cohorts[0].rates;                 // [1, 0.41, 0.33, ...]
     * ds.retention({ revenue: true, cumulative: true, period: "month" }); // revenue per customer curves
     * ```
     */
    retention(options?: RetentionOptions): RetentionResult;
  }
}

/** Options with `from` / `to` as epoch ms, the form the core reads. */
function normalise(options: RetentionOptions): Record<string, unknown> {
  const { from, to, breakdown, ...rest } = options;
  return {
    ...rest,
    ...(breakdown === undefined
      ? {}
      : {
          breakdown:
            typeof breakdown === "object" && "segments" in breakdown && Array.isArray(breakdown.segments)
              ? { segments: breakdown.segments.map((d, i) => segmentQuery(d, `breakdown.segments[${i}].`)) }
              : breakdown,
        }),
    ...(from === undefined || from === null ? {} : { from: toEpochMs(from, "from") }),
    ...(to === undefined || to === null ? {} : { to: toEpochMs(to, "to") }),
  };
}

Dataset.prototype.retention = function (this: Dataset, options: RetentionOptions = {}): RetentionResult {
  const query = normalise(options ?? {});
  return Dataset.call(this, (h) => h.retention(query)) as RetentionResult;
};
