/**
 * Funnels (ordered, strict, unordered) and the AARRR preset, added to {@link Dataset}.
 * Semantics: SEMANTICS.md (Funnels); steps are numbered from 0 in options.
 */
import { tableFromIPC, type Table } from "apache-arrow";
import { Dataset } from "./core.js";
import { toEpochMs } from "./input.js";
import { segmentQuery, type SegmentDefinition, type SegmentPredicate } from "./segments.js";
import type { TimeValue } from "./types.js";

/** A duration: `"90m"`, `"12h"`, `"7d"`, `"4w"`, or milliseconds. */
export type Duration = string | number;

/** A property filter value: one value or any of several. */
export type FilterValue = string | number | boolean | FilterValue[];

/** A funnel step: an event name, or an event with property filters. */
export type FunnelStep = string | { event: string; where?: Record<string, FilterValue>; name?: string };

/** Options of {@link Dataset.funnel}. */
export interface FunnelOptions {
  /** 2 to 20 steps. */
  steps: FunnelStep[];
  /** `"ordered"` (default): in order, other events between are fine; `"strict"`: nothing else between; `"unordered"`: any order. */
  mode?: "ordered" | "strict" | "unordered";
  /** Conversion window measured from step 1; default `"14d"`. */
  window?: Duration;
  /** Windows between consecutive steps: entry `i` bounds step `i` from step `i - 1` (entry 0 unused). */
  stepWindows?: (Duration | null)[];
  /** Only events at or after this time. */
  from?: TimeValue;
  /** Only events at or before this time. */
  to?: TimeValue;
  /** Customers doing `event` between entering `fromStep` and reaching `toStep` (0-based) are dropped. */
  exclusions?: { event: string; where?: Record<string, FilterValue>; fromStep?: number; toStep?: number }[];
  /**
   * Break counts down by an event property (with attribution), a customer attribute, or
   * segments (first match wins, "none" for the rest; evaluated at the end of the range).
   */
  breakdown?:
    | string
    | {
        property?: string;
        attribute?: string;
        attribution?: "firstTouch" | "lastTouch" | { step: number };
        /** Values past this many fold into "Other"; default 25. */
        limit?: number;
      }
    | { segments: (SegmentDefinition | SegmentPredicate)[] };
  /** Only customers in this segment (evaluated at the end of the range or data). */
  segment?: SegmentDefinition | SegmentPredicate;
  /** Entered and converted per period of the step-1 event. */
  trend?: "day" | "week" | "month";
  /** Fixed UTC offset for trend periods, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
  /** Count a step whose event never occurs as zero instead of failing. */
  allowMissing?: boolean;
  /** Bins of time-to-convert histograms; default `clamp(ceil(cbrt(n)), 1, 60)`. */
  bins?: number;
}

/** One step of a funnel result. */
export interface FunnelStepResult {
  index: number;
  name: string;
  /** Customers who reached the step. */
  count: number;
  /** `count / count[0]`. */
  conversion: number | null;
  /** Wilson 95% interval of `conversion`. */
  conversionInterval: [number, number] | null;
  /** `count / count[i - 1]`. */
  stepConversion: number | null;
  stepConversionInterval: [number, number] | null;
  /** Reached the previous step but not this one. */
  dropOff: number;
  dropOffRate: number | null;
  /** Mean / median time from the previous step (ms), over customers with a non-zero time. */
  meanTimeMs: number | null;
  medianTimeMs: number | null;
}

/** Time to convert between two steps. */
export interface TimeToConvert {
  fromStep: number;
  toStep: number;
  /** Customers with a non-zero time. */
  customers: number;
  meanMs: number | null;
  medianMs: number | null;
  histogram: { startMs: number; endMs: number; customers: number }[];
}

/** What {@link Dataset.funnel} returns. */
export interface FunnelResult {
  mode: "ordered" | "strict" | "unordered";
  windowMs: number;
  steps: FunnelStepResult[];
  /** Customers dropped by exclusions. */
  excluded: number;
  /** Consecutive step pairs, then first to last step. */
  timeToConvert: TimeToConvert[];
  breakdown: {
    name: string;
    source: "property" | "attribute" | "segment";
    attribution: string;
    values: { value: string; steps: FunnelStepResult[] }[];
  } | null;
  trend: { start: number; entered: number; converted: number; conversion: number | null; conversionInterval: [number, number] | null }[] | null;
  /**
   * The customers who reached step `step` (0-based), or with `"dropped"` those who reached it
   * and not the next, as an Arrow table (`customer_id`, `steps_reached`, `entered_at`,
   * `last_step_at`) ready for a CRM export.
   */
  customers(step: number, which?: "reached" | "dropped"): Table;
}

/** Options of {@link Dataset.aarrr}: the event of each stage (defaults fit the sample data). */
export interface AarrrOptions {
  /** Default `"visit"`. */
  acquisition?: string;
  /** Default `"signup"`. */
  activation?: string;
  /** A return after activation; default `"visit"`. */
  retention?: string;
  /** Default `"invite_sent"`. */
  referral?: string;
  /** Default `"purchase"`. */
  revenue?: string;
  /** Logged on the inviter when an invitee signs up; default `"referral_signup"`. */
  referralSignup?: string;
  /** Property of the acquisition event naming its source; default `"source"`. */
  sourceProperty?: string;
  /** Funnel window; default `"30d"`. */
  window?: Duration;
  from?: TimeValue;
  to?: TimeValue;
  timezone?: string;
  allowMissing?: boolean;
}

/** Each AARRR stage's key figures. */
export interface AarrrFigures {
  visitors: number;
  visitorsBySource: { source: string; customers: number }[];
  activated: number;
  signupRate: number | null;
  activatedBuyers: number;
  firstPurchaseRate: number | null;
  revisitors: number;
  revisitRate: number | null;
  buyers: number;
  repeatBuyers: number;
  repeatPurchaseRate: number | null;
  referrers: number;
  referralSignups: number;
  /** Invited signups per inviting customer. */
  viralCoefficient: number | null;
  revenue: number;
  orders: number;
  averageOrderValue: number | null;
  /** Revenue per buyer to date. */
  ltv: number | null;
  revenueByMonth: { start: number; revenue: number }[];
  /** Growth of the last complete month's revenue over the month before. */
  revenueGrowth: number | null;
}

/** What {@link Dataset.aarrr} returns. */
export interface AarrrResult {
  funnel: Omit<FunnelResult, "customers">;
  figures: AarrrFigures;
}

declare module "./core.js" {
  interface Dataset {
    /**
     * Funnel conversion: counts per step with conversion, Wilson intervals, drop-off, time
     * to convert, breakdown and trend.
     *
     * @example
     * ```ts
     * const f = ds.funnel({ steps: ["visit", "add_to_cart", "purchase"], window: "7d", breakdown: "source" });
     * f.steps[2].conversion;              // overall conversion to purchase
     * const lost = f.customers(1, "dropped"); // added to cart, did not buy
     * ```
     */
    funnel(options: FunnelOptions): FunnelResult;
    /**
     * The AARRR preset: the stage funnel and each stage's key figures.
     *
     * @example
     * ```ts
     * const { funnel, figures } = ds.aarrr();
     * figures.viralCoefficient;
     * ```
     */
    aarrr(options?: AarrrOptions): AarrrResult;
  }
}

function times<T extends { from?: TimeValue; to?: TimeValue }>(options: T): Omit<T, "from" | "to"> & { from?: number; to?: number } {
  const { from, to, ...rest } = options;
  return {
    ...rest,
    ...(from === undefined ? {} : { from: toEpochMs(from, "from") }),
    ...(to === undefined ? {} : { to: toEpochMs(to, "to") }),
  };
}

/** The funnel options as the core reads them: times as epoch ms, segments normalised. */
function funnelQuery(options: FunnelOptions): Record<string, unknown> {
  const { segment, breakdown, ...rest } = times(options ?? ({} as FunnelOptions));
  const query: Record<string, unknown> = { ...rest };
  if (segment !== undefined) query.segment = segmentQuery(segment, "segment.");
  if (breakdown !== undefined) {
    query.breakdown =
      typeof breakdown === "object" && "segments" in breakdown && Array.isArray(breakdown.segments)
        ? { ...breakdown, segments: breakdown.segments.map((d, i) => segmentQuery(d, `breakdown.segments[${i}].`)) }
        : breakdown;
  }
  return query;
}

Dataset.prototype.funnel = function (this: Dataset, options: FunnelOptions): FunnelResult {
  const query = funnelQuery(options);
  const result = Dataset.call(this, (h) => h.funnel(query)) as Omit<FunnelResult, "customers">;
  return {
    ...result,
    customers: (step: number, which: "reached" | "dropped" = "reached") =>
      tableFromIPC(Dataset.call(this, (h) => h.funnelCustomers(query, step, which))),
  };
};

Dataset.prototype.aarrr = function (this: Dataset, options: AarrrOptions = {}): AarrrResult {
  const query = times(options);
  return Dataset.call(this, (h) => h.aarrr(query)) as AarrrResult;
};
