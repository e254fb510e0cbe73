/**
 * Customer segments, added to {@link Dataset}: RFM scores and named segments, rule
 * segments (a predicate over per-customer fields, as text or a JSON tree), transitions
 * between segments from one date to another, and lookalike audiences.
 * Semantics: SEMANTICS.md ("RFM", "Rule segments and transitions").
 */
import { tableFromIPC, type Table } from "apache-arrow";
import { Dataset } from "./core.js";
import type { FunnelOptions } from "./funnel.js";
import type { LtvModelParams } from "./ltv.js";
import { toEpochMs } from "./input.js";
import type { TimeValue } from "./types.js";

/** A value in a rule: text, a number (epoch ms for time fields) or a boolean. */
export type SegmentValue = string | number | boolean;

/**
 * A rule predicate: the short text form, or a JSON tree whose nodes may also be text.
 *
 * Text: `orders >= 2 and days_since_last_order > 90 and country in ("KR", "JP")`.
 * Operators `= != < <= > >=`, `in (...)`, `not in (...)`, `between a and b`,
 * `is [not] null`, `in last 30 days`; `and`, `or`, `not`, parentheses; relative dates
 * `30 days ago`, `now`; ISO dates in quotes. A null value never satisfies a comparison.
 *
 * @example
 * ```ts
 * const p: SegmentPredicate = { and: [
 *   { field: "orders", op: ">=", value: 2 },
 *   { field: "country", op: "in", value: ["KR", "JP"] },
 *   "last_order < 90 days ago",
 * ] };
 * ```
 */
export type SegmentPredicate =
  | string
  | { and: SegmentPredicate[] }
  | { or: SegmentPredicate[] }
  | { not: SegmentPredicate }
  | { field: string; op: "=" | "==" | "!=" | "<" | "<=" | ">" | ">="; value: SegmentValue }
  | { field: string; op: "in" | "notIn"; value: SegmentValue[] }
  | { field: string; op: "between" | "notBetween"; value: [SegmentValue, SegmentValue] }
  | { field: string; op: "isNull" | "isNotNull" }
  | { field: string; op: "inLast"; value: string | number };

/** RFM settings: score bins, monetary mode, custom named segments. */
export interface RfmSettings {
  /** Scores run 1..bins (bins = best); 2 to 10, default 5. */
  bins?: number;
  /** `"total"` (default) or `"mean"` order amount. */
  monetary?: "total" | "mean";
  /**
   * Custom named segments replacing the standard 11-segment table: inclusive score
   * ranges on the 1..bins scale (a missing range matches any score); first match wins,
   * else "Others". At most 100 segments.
   */
  segments?: { name: string; r?: [number, number]; f?: [number, number]; m?: [number, number] }[];
}

/**
 * A named segment: a predicate over per-customer fields. Fields: `orders`, `revenue`,
 * `avg_order_value` (each optionally windowed: `orders(30d)`), `first_order`,
 * `last_order`, `days_since_first_order`, `days_since_last_order`,
 * `events(name[, window])`, `signup`, `days_since_signup`, `last_seen`,
 * `days_since_last_seen`, `recency`, `frequency`, `monetary`, `r_score`, `f_score`,
 * `m_score`, `rfm_score`, `rfm_segment`, `stage`, `funnel_step`, `percentile(field)`,
 * `clv`, `p_alive`, `expected_purchases`, and every customers-table column (backquote names with spaces). See
 * {@link Dataset.segmentFields}.
 *
 * @example
 * ```ts
 * const lapsed: SegmentDefinition = { name: "lapsed", where: "orders >= 2 and days_since_last_order > 90" };
 * ```
 */
export interface SegmentDefinition {
  /** The segment's name. */
  name?: string;
  /** The predicate. */
  where: SegmentPredicate;
  /** Fields are computed from data before this date; default UTC midnight after the last event or order. */
  asOf?: TimeValue;
  /** Settings of the RFM fields. */
  rfm?: RfmSettings;
  /** Thresholds of the `stage` field (durations such as `"60d"` or ms). */
  stages?: { dormantAfter?: string | number; churnAfter?: string | number; newWithin?: string | number };
  /** The funnel whose furthest step `funnel_step` reports. */
  funnel?: FunnelOptions;
  /**
   * The fitted LTV model (`ds.fitLtv()`'s result) behind the `clv`, `p_alive` and
   * `expected_purchases` fields, predicted at the model's calibration end.
   */
  clv?: { model: LtvModelParams; horizon?: number; discountRate?: number; margin?: number };
}

/** Options of {@link Dataset.rfm}. */
export interface RfmOptions extends RfmSettings {
  /** Only orders before this time count; default UTC midnight after the last event or order. */
  asOf?: TimeValue;
  /**
   * Add each customer's last order time before asOf as a `last_order` column (UTC
   * timestamp). Off by default: `recency` already says how many days ago it was, and a
   * million customers' column is 8 MB more to copy out.
   *
   * @example
   * ds.rfm({ lastOrder: true }).customers.getChild("last_order");
   */
  lastOrder?: boolean;
}

/** Figures of one named RFM segment. */
export interface RfmSegmentSummary {
  segment: string;
  customers: number;
  /** Share of scored customers. */
  share: number;
  /** Order amount before asOf. */
  revenue: number;
  revenueShare: number | null;
  orders: number;
  meanOrderValue: number | null;
  medianOrderValue: number | null;
  /** Days. */
  meanRecency: number | null;
  meanFrequency: number | null;
  meanMonetary: number | null;
}

/** What {@link Dataset.rfm} returns. */
export interface RfmResult {
  /** The as-of date, epoch ms. */
  asOf: number;
  bins: number;
  monetary: "total" | "mean";
  /** Customers scored (with an order before asOf). */
  scored: number;
  /**
   * One row per scored customer: `customer_id`, `recency` (days), `frequency`,
   * `monetary`, `r`, `f`, `m`, `score` (`"545"`; `"10-9-3"` with 10 bins), `segment`,
   * and `last_order` with the `lastOrder` option.
   */
  customers: Table;
  /** Per segment in table order, then "Others" (empty segments included). */
  segments: RfmSegmentSummary[];
  /** The `bins - 1` interior quantile thresholds of each measure. */
  thresholds: { recency: number[]; frequency: number[]; monetary: number[] };
  /** Notes, e.g. segment rules that can never match because earlier rules take their scores. */
  warnings: string[];
}

/** Count, mean, median, sample variance (n - 1), min and max; null where undefined. */
export interface SpreadStats {
  count: number;
  mean: number | null;
  median: number | null;
  variance: number | null;
  min: number | null;
  max: number | null;
}

/** What {@link Dataset.segment} returns. */
export interface SegmentResult {
  name: string;
  /** Epoch ms. */
  asOf: number;
  /** Customers who exist at asOf. */
  population: number;
  /** Members. */
  count: number;
  share: number | null;
  /** Members' order amount before asOf. */
  revenue: number;
  revenueShare: number | null;
  orders: number;
  /** Spend per member. */
  spend: SpreadStats;
  /** Orders per member. */
  orderCount: SpreadStats;
  /** Canonical names of the fields the rule reads. */
  fields: string[];
  /** Notes, e.g. a text value that occurs in no customer. */
  warnings: string[];
  /** The members: `customer_id`, `orders`, `revenue`, `last_order`. */
  members: Table;
}

/** Options of {@link Dataset.transitions}. */
export interface TransitionsOptions {
  /** Segments in priority order (first match wins; without their own `asOf`). */
  segments: SegmentDefinition[];
  /** The earlier as-of date. */
  from: TimeValue;
  /** The later as-of date; default UTC midnight after the last event or order. */
  to?: TimeValue;
}

/** What {@link Dataset.transitions} returns. */
export interface TransitionsResult {
  from: number;
  to: number;
  /** Segment names, then `"none"`. */
  labels: string[];
  /** Customers who exist at `to`: the sum of all counts. */
  population: number;
  /** Of those, customers who did not exist yet at `from` (counted in the "none" row). */
  entered: number;
  /** `counts[i][j]`: in `labels[i]` at `from` and `labels[j]` at `to`. */
  counts: number[][];
  /** Row shares: `counts[i][j] / fromTotals[i]`. */
  rates: (number | null)[][];
  fromTotals: number[];
  toTotals: number[];
  /** Same label at both dates (none → none included). */
  stayed: number;
  moved: number;
  cells: { from: string; to: string; customers: number; rate: number | null }[];
  /** Each customer of the population: `customer_id`, `from`, `to`. */
  customers: Table;
}

/** Options of {@link Dataset.lookalike}. */
export interface LookalikeOptions {
  /** The segment to find more of (at least 10 members). */
  seed: SegmentDefinition | SegmentPredicate;
  /** Where to look; default everyone not in the seed. */
  population?: SegmentDefinition | SegmentPredicate;
  /** Fields used as features, e.g. `["country", "orders", "events(view_product, 30d)"]`. */
  features: string[];
  /** Fields are computed from data before this date. */
  asOf?: TimeValue;
  /** Audience size; default 10% of the scored population. */
  size?: number;
  /** Holdout fraction of each class; default 0.25. */
  holdout?: number;
  /** Seed of the holdout split; default 42. */
  randomSeed?: number;
  /** L2 penalty λ (scikit-learn's C = 1 / λ); default 1. */
  l2?: number;
  /** Category levels kept per feature (others fold into "(other)"); default 20. */
  maxLevels?: number;
}

/** One coefficient of the lookalike model. */
export interface LookalikeCoefficient {
  feature: string;
  /** Category level, `"(missing)"` or `"(other)"`; null for numbers. */
  level: string | null;
  /** Log-odds per standard deviation (numbers) or for the level. */
  coefficient: number;
  oddsRatio: number;
  mean: number | null;
  std: number | null;
}

/** What {@link Dataset.lookalike} returns. */
export interface LookalikeResult {
  asOf: number;
  /** Seed members. */
  seed: number;
  /** Customers scored (population minus seed). */
  population: number;
  audienceSize: number;
  features: string[];
  intercept: number;
  coefficients: LookalikeCoefficient[];
  /** Evaluation of a model fitted without the holdout. */
  holdout: {
    customers: number;
    seed: number;
    trainCustomers: number;
    auc: number | null;
    liftAt10: number | null;
    topCustomers: number;
    topSeed: number;
  };
  iterations: number;
  warnings: string[];
  /** Every scored customer, best first: `customer_id`, `score` (probability), `rank`. */
  scores: Table;
  /** The first `audienceSize` rows of `scores`. */
  audience: Table;
}

/** A field rules can use. */
export interface SegmentField {
  name: string;
  usage: string;
  kind: "number" | "time" | "category";
  source: "metric" | "attribute";
  description: string;
}

declare module "./core.js" {
  interface Dataset {
    /**
     * RFM scores (ties share a score) and named segments, with figures per segment.
     *
     * @example
     * ```ts
     * const { customers, segments } = ds.rfm({ asOf: "2024-12-01" });
     * segments.find((s) => s.segment === "Champions")?.revenue;
     * ```
     */
    rfm(options?: RfmOptions): RfmResult;
    /**
     * A rule segment: members (Arrow), count, revenue, spread of spend and orders.
     *
     * @example
     * ```ts
     * const s = ds.segment({ name: "lapsed KR", where: 'orders >= 2 and days_since_last_order > 90 and country in ("KR","JP")' });
     * s.count; s.members.getChild("customer_id");
     * ```
     */
    segment(definition: SegmentDefinition | SegmentPredicate): SegmentResult;
    /**
     * How customers moved between segments from one date to another (first match wins;
     * "none" when none match); the matrix sums to the population at `to`.
     *
     * @example
     * ```ts
     * const t = ds.transitions({ from: "2024-06-01", to: "2024-12-01", segments: [
     *   { name: "repeat", where: 'stage = "repeat"' }, { name: "dormant", where: 'stage = "dormant"' }] });
     * t.counts[0][1]; // repeat customers who went dormant
     * ```
     */
    transitions(options: TransitionsOptions): TransitionsResult;
    /**
     * Customers who look like a seed segment (L2 logistic regression), with a holdout AUC
     * and lift at 10% to judge the audience.
     *
     * @example
     * ```ts
     * const l = ds.lookalike({ seed: 'rfm_segment = "Champions"', population: "orders = 0",
     *   features: ["country", "acquisition_channel", "events(view_product, 30d)"] });
     * l.holdout.auc; l.audience.numRows;
     * ```
     */
    lookalike(options: LookalikeOptions): LookalikeResult;
    /**
     * The fields rule segments can use on this dataset (built-in metrics and attributes).
     *
     * @example
     * ```ts
     * ds.segmentFields().filter((f) => f.source === "attribute").map((f) => f.name);
     * ```
     */
    segmentFields(): SegmentField[];
  }
}

/** Times to epoch ms, so `Date`s and ISO strings reach the core the same way. */
function time(value: TimeValue | undefined, option: string): number | undefined {
  return value === undefined ? undefined : toEpochMs(value, option);
}

/**
 * @internal A segment definition as the core reads it: a bare predicate wrapped as
 * `{ where }`, times as epoch ms, an LTV model reduced to its parameters. For modules
 * that take segments in their options (e.g. a funnel or retention breakdown by segment).
 * `option` prefixes option names in errors (`"breakdown.segments[0]."`).
 */
export function segmentQuery(d: SegmentDefinition | SegmentPredicate, option = ""): Record<string, unknown> {
  const def: SegmentDefinition =
    typeof d === "string" || !("where" in d) ? { where: d as SegmentPredicate } : (d as SegmentDefinition);
  const { asOf, funnel, clv, ...rest } = def;
  const out: Record<string, unknown> = { ...rest };
  if (asOf !== undefined) out.asOf = time(asOf, `${option}asOf`);
  if (clv !== undefined && clv !== null) {
    // Only the parameters the core reads, so a whole fitLtv() result can be passed.
    const m = clv.model ?? ({} as LtvModelParams);
    const model = {
      model: m.model ?? "bgnbd",
      calibrationEnd: time(m.calibrationEnd, `${option}clv.model.calibrationEnd`),
      unit: m.unit,
      periodUnit: m.periodUnit,
      ...(m.timezone === undefined || m.timezone === null ? {} : { timezone: m.timezone }),
      bgnbd: m.bgnbd,
      gammaGamma: m.gammaGamma ?? null,
    };
    out.clv = { ...clv, model };
  }
  if (funnel !== undefined) {
    const { from, to, ...f } = funnel;
    out.funnel = { ...f, from: time(from, `${option}funnel.from`), to: time(to, `${option}funnel.to`) };
  }
  return out;
}

interface WithBytes {
  [key: string]: unknown;
}

Dataset.prototype.rfm = function (this: Dataset, options: RfmOptions = {}): RfmResult {
  const { asOf, ...rest } = options;
  const query = { ...rest, asOf: time(asOf, "asOf") };
  const r = Dataset.call(this, (h) => h.rfm(query)) as WithBytes;
  return { ...r, customers: tableFromIPC(r.customers as Uint8Array) } as unknown as RfmResult;
};

Dataset.prototype.segment = function (this: Dataset, d: SegmentDefinition | SegmentPredicate): SegmentResult {
  const query = segmentQuery(d, "");
  const r = Dataset.call(this, (h) => h.segment(query)) as WithBytes;
  return { ...r, members: tableFromIPC(r.members as Uint8Array) } as unknown as SegmentResult;
};

Dataset.prototype.transitions = function (this: Dataset, options: TransitionsOptions): TransitionsResult {
  const { from, to, segments, ...rest } = options ?? ({} as TransitionsOptions);
  const query = {
    ...rest,
    from: time(from, "from"),
    to: time(to, "to"),
    segments: Array.isArray(segments) ? segments.map((s, i) => segmentQuery(s, `segments[${i}].`)) : segments,
  };
  const r = Dataset.call(this, (h) => h.transitions(query)) as WithBytes;
  return { ...r, customers: tableFromIPC(r.customers as Uint8Array) } as unknown as TransitionsResult;
};

Dataset.prototype.lookalike = function (this: Dataset, options: LookalikeOptions): LookalikeResult {
  const { asOf, seed, population, ...rest } = options ?? ({} as LookalikeOptions);
  const query = {
    ...rest,
    asOf: time(asOf, "asOf"),
    seed: seed === undefined ? undefined : segmentQuery(seed, "seed."),
    population: population === undefined ? undefined : segmentQuery(population, "population."),
  };
  const r = Dataset.call(this, (h) => h.lookalike(query)) as WithBytes;
  const scores = tableFromIPC(r.scores as Uint8Array);
  return { ...r, scores, audience: scores.slice(0, r.audienceSize as number) } as unknown as LookalikeResult;
};

Dataset.prototype.segmentFields = function (this: Dataset): SegmentField[] {
  return Dataset.call(this, (h) => h.segmentFields()) as SegmentField[];
};
