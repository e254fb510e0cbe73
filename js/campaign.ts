/**
 * Campaign KPIs, KPI trends and experiments, added to {@link Dataset}.
 * Semantics: SEMANTICS.md (Campaigns and tests).
 *
 * Counting rules: a recipient is a (customer, campaign) pair that got a message, so a
 * customer sent a campaign twice counts once for it (and once per campaign in breakdowns
 * and the total). Stages imply the earlier ones (a click without a logged open counts as
 * an open). A conversion goes to the customer's latest message (the `attributeTo` event
 * of any campaign) at or before it, if within the attribution window: last message wins,
 * an earlier message whose window also covers it gets nothing. Revenue is the amount of
 * the orders attributed the same way.
 */
import { Dataset } from "./core.js";
import type { AbTestResult, Estimate, Rate } from "./stats.js";

/** Events and properties that describe messages, and how conversions are attributed. */
export interface MessageOptions {
  /** Send event; default `"message_sent"`. */
  sent?: string;
  /** Delivery event; default `"message_delivered"` when the data has it, else the send. */
  delivered?: string;
  /** Open event; default `"message_opened"`; `null` when opens are not tracked. */
  opened?: string | null;
  /** Click event; default `"message_clicked"`; `null` when clicks are not tracked. */
  clicked?: string | null;
  /** `"orders"` (default with an orders table, else a `purchase` event) or a conversion event name. */
  conversion?: string;
  /** Window after a message for attributing a conversion: `"7d"` (default), `"48h"`, or milliseconds. */
  attributionWindow?: string | number;
  /** Which message event starts the window; default `"delivered"`. */
  attributeTo?: "sent" | "delivered" | "opened" | "clicked";
  /** Event property naming the campaign; default `"campaign"`. */
  campaign?: string;
  /** Total cost per campaign name, spread evenly over its recipients in breakdowns and trends. */
  costs?: Record<string, number>;
  /** Level of the rate intervals; default 0.95. */
  confidence?: number;
}

/** A KPI a target or a trend can name. */
export type CampaignMetric =
  | "recipients"
  | "delivered"
  | "opens"
  | "clicks"
  | "converters"
  | "conversions"
  | "revenue"
  | "cost"
  | "openRate"
  | "ctr"
  | "clickToOpen"
  | "conversionRate"
  | "returnCustomerRate"
  | "revenuePerRecipient"
  | "roi";

/** Options of {@link Dataset.campaigns}. */
export interface CampaignOptions extends MessageOptions {
  /** Breakdowns besides the campaign: message event properties (`"channel"`) or customer attributes (`"country"`). */
  by?: string[];
  /** Goals, e.g. `{ conversionRate: 0.03, roi: 2 }`: each row gets achievement % and met / not met. */
  targets?: Partial<Record<Exclude<CampaignMetric, "cost">, number>>;
}

/** A goal and how far a row got. */
export interface Goal {
  metric: CampaignMetric;
  target: number;
  /** The row's value; null when undefined (e.g. ROI without a cost). */
  actual: number | null;
  /** `actual / target * 100`. */
  achievement: number | null;
  /** `actual >= target`. */
  met: boolean;
}

/** The KPIs of a campaign, a breakdown value, or the total. */
export interface KpiRow {
  /** Campaign name, breakdown value (`"(none)"` for missing), or `"total"`. */
  name: string;
  /** Earliest message (epoch ms). */
  firstSent: number | null;
  /** Latest first message of a recipient (epoch ms). */
  lastSent: number | null;
  /** Customer-campaign pairs sent a message. */
  recipients: number;
  delivered: number;
  /** Unique opens; null when opens are not tracked. */
  opens: number | null;
  /** Unique clicks; null when clicks are not tracked. */
  clicks: number | null;
  /** Delivered recipients with a conversion attributed. */
  converters: number;
  /** Conversions attributed. */
  conversions: number;
  /** Amount of the orders attributed. */
  revenue: number;
  /** Delivered recipients who had converted before their first message of the campaign. */
  previousBuyers: number;
  /** Previous buyers who converted again (attributed). */
  returningConverters: number;
  /** opens / delivered. */
  openRate: Rate | null;
  /** clicks / delivered. */
  ctr: Rate | null;
  /** clicks / opens. */
  clickToOpen: Rate | null;
  /** converters / delivered. */
  conversionRate: Rate;
  /** returningConverters / previousBuyers. */
  returnCustomerRate: Rate;
  /** revenue / recipients. */
  revenuePerRecipient: number | null;
  /** Null unless every campaign in the row has a cost. */
  cost: number | null;
  /** (revenue - cost) / cost. */
  roi: number | null;
  goals: Goal[];
}

/** The events, window and property an analysis used (defaults made visible). */
export interface CampaignSettings {
  sent: string;
  delivered: string;
  opened: string | null;
  clicked: string | null;
  conversion: string;
  attributionWindowMs: number;
  attributeTo: "sent" | "delivered" | "opened" | "clicked";
  campaign: string;
  confidence: number;
}

/** What {@link Dataset.campaigns} returns. */
export interface CampaignResult {
  /** One row per campaign, in order of first send. */
  campaigns: KpiRow[];
  /** One entry per `by`, rows with the most recipients first. */
  breakdowns: { by: string; rows: KpiRow[] }[];
  total: KpiRow;
  settings: CampaignSettings;
}

/** Options of {@link Dataset.kpiTrend}. */
export interface KpiTrendOptions extends MessageOptions {
  /** The figure to follow; default `"conversionRate"`. */
  metric?: CampaignMetric;
  /** Period of the message's send; default `"week"` (ISO, Monday). */
  period?: "day" | "week" | "month";
  /** Fixed UTC offset of the periods, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
  /** One series per value of the campaign property, an event property or a customer attribute. */
  by?: string;
}

/** One point of a KPI trend. */
export interface TrendPoint {
  /** Start of the period (epoch ms). */
  period: number;
  /** `"all"`, or the `by` value. */
  group: string;
  /** The metric; null when undefined (e.g. a rate over nobody). */
  value: number | null;
  /** Interval bounds, for rates. */
  low: number | null;
  high: number | null;
  recipients: number;
}

/** What {@link Dataset.kpiTrend} returns. */
export interface KpiTrendResult {
  metric: CampaignMetric;
  period: "day" | "week" | "month";
  /** By period, then group; periods without messages are absent. */
  points: TrendPoint[];
  settings: CampaignSettings;
}

/** Options of {@link Dataset.experiment}. */
export interface ExperimentOptions {
  /** Event property holding the variant; default `"variant"`. */
  assignment?: string;
  /** Only events with this name assign customers; default any event. */
  exposure?: string;
  /** `"orders"` (default with an orders table) or a conversion event name. */
  conversion?: string;
  /** Conversion window after the first exposure: `"7d"` (default) or milliseconds. */
  window?: string | number;
  /** The control variant; default `"control"` when present, else the first value seen. */
  control?: string;
  /** Significance level, default 0.05. */
  alpha?: number;
  /** Headline test, as for `abTest`. */
  method?: "zTest" | "chiSquare";
  /** Seed of the sampling behind `probabilityToBeBest` with three or more variants. */
  seed?: number;
}

/** Revenue per exposed customer of one variant, with Welch's test against the control. */
export interface RevenueVariant {
  name: string;
  customers: number;
  /** Revenue within the window, summed. */
  revenue: number;
  /** Mean revenue per exposed customer (0 for those who did not buy). */
  mean: number | null;
  sd: number | null;
  /** The following are null for the control. */
  difference: Estimate | null;
  lift: number | null;
  t: number | null;
  df: number | null;
  pValue: number | null;
  significant: boolean | null;
}

/** What {@link Dataset.experiment} returns: an {@link AbTestResult} plus how it was measured. */
export interface ExperimentResult extends AbTestResult {
  assignment: string;
  exposure: string | null;
  conversion: string;
  windowMs: number;
  /** Customers later seen with another variant (they stay in their first). */
  mixedAssignments: number;
  /** Revenue per exposed customer per variant; null without an orders table. */
  revenue: RevenueVariant[] | null;
}

declare module "./core.js" {
  interface Dataset {
    /**
     * Campaign KPIs per campaign (and per `by` breakdown, and in total): recipients,
     * delivered, unique opens and clicks, converters within the attribution window (last
     * message wins), revenue, rates with Wilson intervals, cost, ROI and goals.
     *
     * @example
     * ```ts
     * const r = ds.campaigns({ by: ["channel"], costs: { spring_sale_2024: 1200 }, targets: { conversionRate: 0.03, roi: 2 } });
     * r.campaigns[0].openRate?.value;  // opens / delivered
     * r.breakdowns[0].rows;            // one row per channel
     * r.total.goals;                   // [{ metric: "conversionRate", target: 0.03, actual, achievement, met }, ...]
     * ```
     */
    campaigns(options?: CampaignOptions): CampaignResult;
    /**
     * One campaign KPI per day, week or month of the message's send.
     *
     * @example
     * ```ts
     * const t = ds.kpiTrend({ metric: "openRate", period: "month", by: "channel" });
     * // Observable Plot: Plot.line(t.points, { x: "period", y: "value", stroke: "group" })
     * ```
     */
    kpiTrend(options?: KpiTrendOptions): KpiTrendResult;
    /**
     * An A/B test whose variants come from the data: the first exposure event with a
     * non-null `assignment` value assigns a customer; they convert with an order (or the
     * conversion event) within the window after it. Also compares revenue per exposed
     * customer with Welch's t-test.
     *
     * @example
     * ```ts
     * const e = ds.experiment({ assignment: "variant", window: "14d" });
     * e.pValue; e.probabilityToBeat; e.revenue?.[1].pValue;
     * ```
     */
    experiment(options?: ExperimentOptions): ExperimentResult;
  }
}

Dataset.prototype.campaigns = function (this: Dataset, options: CampaignOptions = {}): CampaignResult {
  return Dataset.call(this, (h) => h.campaigns(options)) as CampaignResult;
};

Dataset.prototype.kpiTrend = function (this: Dataset, options: KpiTrendOptions = {}): KpiTrendResult {
  return Dataset.call(this, (h) => h.kpiTrend(options)) as KpiTrendResult;
};

Dataset.prototype.experiment = function (this: Dataset, options: ExperimentOptions = {}): ExperimentResult {
  return Dataset.call(this, (h) => h.experiment(options)) as ExperimentResult;
};
