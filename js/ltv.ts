/**
 * Lifetime value, added to {@link Dataset}: historical LTV per group and LTV/CAC, cohort
 * LTV curves, the RFM summary of the `lifetimes` package, BG/NBD + Gamma-Gamma fits and
 * their predictions (P(alive), expected purchases, expected spend, CLV), and a holdout
 * check of the model. Semantics: SEMANTICS.md (Lifetime value).
 */
import { tableFromIPC, type Table } from "apache-arrow";
import { Dataset } from "./core.js";
import { InsituError } from "./errors.js";
import { toEpochMs } from "./input.js";
import type { TimeValue } from "./types.js";

/** A calendar unit: UTC (or `timezone`) days, ISO weeks (Monday) or months. */
export type LtvPeriod = "day" | "week" | "month";

/**
 * Margin: a share of revenue from 0 to 1 (`0.3` = 30%), or an orders column holding each
 * order's margin in money (`{ column: "margin" }`; nulls count as 0).
 */
export type LtvMargin = number | { column: string };

/**
 * How to group customers: a customer attribute (`"acquisition_channel"`, or
 * `{ attribute: "country" }`), or the acquisition cohort (`"cohort"` = months, or
 * `{ cohort: "week" }`).
 */
export type LtvGroupBy = string | { attribute: string } | { cohort: LtvPeriod };

/**
 * Who counts as a customer and from when: `"firstOrder"` (default; the customers are the
 * buyers) or `"signup"` (customers with a signup time count from signup, buyers or not; a
 * purchase before signup counts from that purchase).
 */
export type LtvAcquisition = "firstOrder" | "signup";

/** Options of {@link Dataset.ltv}. */
export interface LtvOptions {
  /** Count orders up to this time; default the data's last timestamp. */
  asOf?: TimeValue;
  /** Also report margin. */
  margin?: LtvMargin;
  /** Group customers. */
  by?: LtvGroupBy;
  /** Acquisition cost per customer by group label of `by`, e.g. `{ ads: 40, organic: 0 }`. */
  cac?: Record<string, number>;
  /** Who counts as a customer; default `"firstOrder"`. */
  acquisition?: LtvAcquisition;
  /** Fixed UTC offset for cohort periods, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
}

/** Figures of one group of {@link LtvResult}. */
export interface LtvGroup {
  /** Attribute value or cohort label (`2024-03`, `2024-03-04`); `"all"` for the total; `"(missing)"` for no value. */
  group: string;
  /** Cohort start, epoch ms (cohort groups only). */
  start?: number;
  /** Customers acquired by `asOf`. */
  customers: number;
  /** Of those, customers with an order by `asOf`. */
  buyers: number;
  /** Orders by `asOf`. */
  orders: number;
  /** Revenue (sum of order amounts). */
  revenue: number;
  /** Revenue per customer: the historical LTV. */
  revenuePerCustomer: number | null;
  /** Revenue per buyer. */
  revenuePerBuyer: number | null;
  /** Margin (with `margin`). */
  margin: number | null;
  /** Margin per customer (with `margin`). */
  marginPerCustomer: number | null;
  /** The acquisition cost per customer given in `cac`. */
  cac: number | null;
  /** Margin per customer (revenue per customer without `margin`) over `cac`. */
  ltvCac: number | null;
}

/** What {@link Dataset.ltv} returns. */
export interface LtvResult {
  /** The as-of time used, epoch ms. */
  asOf: number;
  acquisition: LtvAcquisition;
  /** All customers. */
  total: LtvGroup;
  /** Per group (attribute values alphabetically, missing last; cohorts in time order); empty without `by`. */
  groups: LtvGroup[];
  /** Orders whose margin column is null (counted as 0). */
  marginMissing: number;
  /** Per customer: `customer_id`, `group` (with `by`), `acquired`, `orders`, `revenue`, `margin` (with `margin`). */
  customers: Table;
}

/** Options of {@link Dataset.cohortLtv}. */
export interface CohortLtvOptions {
  /** Cohort and offset period; default `"month"`. */
  period?: LtvPeriod;
  /** Offsets 0..periods-1 (1 to 1000); default 12. */
  periods?: number;
  /** Cohort by first order (default) or signup. */
  acquisition?: LtvAcquisition;
  /** Cumulative margin instead of revenue. */
  margin?: LtvMargin;
  /** Fixed UTC offset, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
}

/** One cohort's LTV curve. */
export interface CohortLtvRow {
  /** Cohort label: `2024-03` (months) or the first day, `2024-03-04` (days, weeks). */
  cohort: string;
  /** Cohort start, epoch ms. */
  start: number;
  /** Customers acquired in the cohort period. */
  customers: number;
  /** Cumulative value per customer at offsets 0..periods-1 (0 = the acquisition period); `null` after the data's last timestamp. */
  values: (number | null)[];
}

/** What {@link Dataset.cohortLtv} returns. */
export interface CohortLtvResult {
  period: LtvPeriod;
  acquisition: LtvAcquisition;
  /** `"revenue"` or `"margin"`. */
  value: "revenue" | "margin";
  /** Cohorts in time order. */
  cohorts: CohortLtvRow[];
  /** The customer-weighted mean curve over the cohorts that have each offset. */
  average: (number | null)[];
}

/** Options of {@link Dataset.rfmSummary}: the `lifetimes` summary conventions. */
export interface RfmSummaryOptions {
  /** End of the calibration period; its whole `periodUnit` counts. Default the data's last timestamp. */
  calibrationEnd?: TimeValue;
  /** Unit of recency, T (and the model's `alpha`); default `"day"`. */
  unit?: LtvPeriod;
  /** Orders in one such period are one purchase (their amounts summed); default `"day"`. */
  periodUnit?: LtvPeriod;
  /** Fixed UTC offset of the calendar, e.g. `"+09:00"`; default UTC. */
  timezone?: string;
}

/** Options of {@link Dataset.fitLtv}. */
export interface FitLtvOptions extends RfmSummaryOptions {
  /** The purchase model; only `"bgnbd"` for now. */
  model?: "bgnbd";
  /** The spend model: `"gammagamma"` (default) or `"none"` (no spend or CLV predictions). */
  spend?: "gammagamma" | "none";
  /** L2 penalty on the BG/NBD parameters (as `lifetimes`' `penalizer_coef`); default 0. */
  penalizer?: number;
  /** L2 penalty on the Gamma-Gamma parameters; default 0. */
  spendPenalizer?: number;
}

/** BG/NBD parameters: purchase rate ~ Gamma(r, alpha), dropout probability ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Gamma-Gamma parameters (`gamma` is `lifetimes`' `v`). */
export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** What predictions need from a fit: serialisable (store it as JSON and pass it back). */
export interface LtvModelParams {
  model?: "bgnbd";
  /** Calibration end, epoch ms. */
  calibrationEnd: number;
  unit: LtvPeriod;
  periodUnit: LtvPeriod;
  timezone?: string;
  bgnbd: BgNbdParams;
  gammaGamma: GammaGammaParams | null;
}

/** The fit statistics {@link Dataset.fitLtv} returns besides the parameters. */
export interface LtvFit extends LtvModelParams {
  model: "bgnbd";
  /** Total log-likelihood of each fit (without the penalty). */
  logLikelihood: { bgnbd: number; gammaGamma: number | null };
  /** Optimiser (BFGS) iterations of each fit. */
  iterations: { bgnbd: number; gammaGamma: number | null };
  /** Always true: a fit that does not converge throws `no_convergence`. */
  converged: true;
  /** From the inverse Hessian; `null` where it is not positive definite (a parameter the data do not pin down). */
  standardErrors: { bgnbd: BgNbdParams | null; gammaGamma: GammaGammaParams | null };
  penalizer: number;
  spendPenalizer: number;
  /** Customers in the calibration summary. */
  customers: number;
  /** Of those, customers with a repeat purchase. */
  repeatBuyers: number;
  /** Distinct (frequency, recency, T) histories the likelihood was summed over. */
  distinctHistories: number;
  /** Customers the Gamma-Gamma model was fitted on (repeat buyers with positive spend). */
  spendCustomers: number | null;
}

/** Options of the predictions. */
export interface LtvPredictionOptions {
  /** CLV horizon in whole months (1 to 1200); default 12. */
  horizon?: number;
  /** Monthly discount rate, 0 <= rate < 1; default 0.01. */
  discountRate?: number;
  /** Margin applied to CLV (a column: each customer's own margin share up to the calibration end); default none (revenue). */
  margin?: LtvMargin;
  /** Window of `expectedPurchases` in the model's unit; default the horizon (30 days, 4.345 weeks or 1 month per month). */
  t?: number;
}

/** Options of {@link Dataset.ltvPredict}: a customer, or a history. */
export interface LtvPredictOptions extends LtvPredictionOptions {
  /** A customer id of the dataset. */
  customer?: string | number | bigint;
  /** A history instead: repeat purchases... */
  frequency?: number;
  /** ...recency and age in the model's unit... */
  recency?: number;
  T?: number;
  /** ...and mean repeat spend. */
  monetaryValue?: number;
}

/** One prediction. */
export interface LtvPrediction {
  /** The customer id (when asked for a customer). */
  customer?: string;
  frequency: number;
  recency: number;
  T: number;
  monetaryValue: number;
  /** Probability the customer is still active at the calibration end. */
  pAlive: number;
  /** Expected repeat purchases over `purchasesWindow`. */
  expectedPurchases: number;
  /** The window of `expectedPurchases`, in the model's unit. */
  purchasesWindow: number;
  /** Expected spend per purchase (Gamma-Gamma); `null` without a spend model. */
  expectedSpend: number | null;
  /** Discounted CLV over the horizon times the margin; `null` without a spend model. */
  clv: number | null;
  /** The margin share applied. */
  margin: number;
}

/** Options of {@link Dataset.ltvCheck}. */
export interface LtvCheckOptions {
  /** End of the holdout (its whole `periodUnit` included); default the data's last timestamp. */
  holdoutEnd?: TimeValue;
  /** Calibration frequencies from this up share the last bucket; default 7. */
  maxFrequency?: number;
}

/** Expected vs actual repeat purchases of customers with one calibration frequency. */
export interface LtvCheckBucket {
  /** `"0"`, `"1"`, ..., `"7+"`. */
  frequency: string;
  customers: number;
  /** Mean actual repeat purchases in the holdout. */
  actual: number;
  /** Mean expected repeat purchases in the holdout. */
  expected: number;
}

/** What {@link Dataset.ltvCheck} returns. */
export interface LtvCheck {
  calibrationEnd: number;
  holdoutEnd: number;
  /** Holdout length in the model's unit. */
  duration: number;
  customers: number;
  /** Actual repeat purchases (distinct purchase periods) in the holdout. */
  actual: number;
  /** Expected repeat purchases in the holdout. */
  expected: number;
  /** `expected / actual - 1`; `null` without actual purchases. */
  relativeError: number | null;
  /** Mean |expected - actual| per customer. */
  meanAbsoluteError: number;
  buckets: LtvCheckBucket[];
}

/**
 * A fitted model: the fit's figures ({@link LtvFit}, all plain data, so
 * `JSON.stringify(model)` stores it) plus methods predicting on the dataset it was fitted
 * on. A stored model works with {@link Dataset.ltvPredictions} and friends.
 *
 * @example
 * ```ts
 * const model = ds.fitLtv({ calibrationEnd: "2024-09-30", unit: "week" });
 * model.bgnbd;                                 // { r, alpha, a, b }
 * model.predict({ customer: "c42" }).clv;      // 12-month CLV, 1% monthly discount
 * const table = model.predictions({ horizon: 24, margin: 0.3 });
 * model.check().buckets;                       // expected vs actual in the holdout
 * ```
 */
export class LtvModel {
  declare readonly model: "bgnbd";
  declare readonly calibrationEnd: number;
  declare readonly unit: LtvPeriod;
  declare readonly periodUnit: LtvPeriod;
  declare readonly timezone?: string;
  declare readonly bgnbd: BgNbdParams;
  declare readonly gammaGamma: GammaGammaParams | null;
  declare readonly logLikelihood: LtvFit["logLikelihood"];
  declare readonly iterations: LtvFit["iterations"];
  declare readonly converged: true;
  declare readonly standardErrors: LtvFit["standardErrors"];
  declare readonly penalizer: number;
  declare readonly spendPenalizer: number;
  declare readonly customers: number;
  declare readonly repeatBuyers: number;
  declare readonly distinctHistories: number;
  declare readonly spendCustomers: number | null;
  readonly #dataset: Dataset;

  /** @internal */
  constructor(fit: LtvFit, dataset: Dataset) {
    Object.assign(this, fit);
    this.#dataset = dataset;
  }

  /**
   * The prediction for one customer or history. See {@link Dataset.ltvPredict}.
   *
   * @example
   * ```ts
   * model.predict({ frequency: 2, recency: 30.43, T: 38.86, t: 39 }).expectedPurchases; // 1.226 on CDNOW
   * ```
   */
  predict(options: LtvPredictOptions): LtvPrediction {
    return this.#dataset.ltvPredict(this, options);
  }

  /**
   * Per-customer predictions as an Arrow table. See {@link Dataset.ltvPredictions}.
   *
   * @example
   * ```ts
   * const t = model.predictions({ horizon: 12, discountRate: 0.01, margin: 0.3 });
   * t.getChild("clv");
   * ```
   */
  predictions(options: LtvPredictionOptions = {}): Table {
    return this.#dataset.ltvPredictions(this, options);
  }

  /**
   * Expected vs actual repeat purchases after the calibration end. See {@link Dataset.ltvCheck}.
   *
   * @example
   * ```ts
   * const { expected, actual, buckets } = model.check({ holdoutEnd: "2025-06-30" });
   * ```
   */
  check(options: LtvCheckOptions = {}): LtvCheck {
    return this.#dataset.ltvCheck(this, options);
  }
}

declare module "./core.js" {
  interface Dataset {
    /**
     * Historical LTV: revenue (and margin) per customer to `asOf`, averages per group
     * (attribute or cohort), LTV/CAC with a cost per customer per group.
     *
     * @example
     * ```ts
     * const r = ds.ltv({ by: "acquisition_channel", margin: { column: "margin" }, cac: { ads: 40 } });
     * r.groups.map((g) => [g.group, g.marginPerCustomer, g.ltvCac]);
     * r.customers; // Arrow table, one row per customer
     * ```
     */
    ltv(options?: LtvOptions): LtvResult;
    /**
     * Cohort LTV curves: cumulative revenue per customer of each acquisition cohort by
     * periods since acquisition; `null` for periods after the data.
     *
     * @example
     * ```ts
     * const { cohorts, average } = ds.cohortLtv({ period: "month", periods: 12 });
     * ```
     */
    cohortLtv(options?: CohortLtvOptions): CohortLtvResult;
    /**
     * The per-customer frequency / recency / T / monetary_value table exactly as
     * `lifetimes`' `summary_data_from_transaction_data` makes it.
     *
     * @example
     * ```ts
     * const t = ds.rfmSummary({ calibrationEnd: "1997-09-30", unit: "week" }); // CDNOW convention
     * ```
     */
    rfmSummary(options?: RfmSummaryOptions): Table;
    /**
     * Fits BG/NBD (and Gamma-Gamma on repeat buyers) by maximum likelihood. Throws
     * `no_convergence` (with the reason) rather than returning a fit that did not converge.
     *
     * @example
     * ```ts
     * const model = ds.fitLtv({ calibrationEnd: "2024-09-30", unit: "week" });
     * const { r, alpha, a, b } = model.bgnbd;
     * ```
     */
    fitLtv(options?: FitLtvOptions): LtvModel;
    /**
     * Per-customer predictions of a model: `customer_id`, `frequency`, `recency`, `T`,
     * `monetary_value`, `p_alive`, `expected_purchases`, and with a spend model
     * `expected_spend` and `clv`.
     *
     * @example
     * ```ts
     * const t = ds.ltvPredictions(JSON.parse(saved), { horizon: 12, margin: 0.3 });
     * ```
     */
    ltvPredictions(model: LtvModelParams, options?: LtvPredictionOptions): Table;
    /**
     * The prediction for one customer (`{ customer }`) or a history (`{ frequency, recency, T, monetaryValue }`).
     *
     * @example
     * ```ts
     * ds.ltvPredict(model, { customer: 42 }).pAlive;
     * ```
     */
    ltvPredict(model: LtvModelParams, options: LtvPredictOptions): LtvPrediction;
    /**
     * Model check: expected vs actual repeat purchases in the holdout after the
     * calibration end, overall and by calibration frequency.
     *
     * @example
     * ```ts
     * ds.ltvCheck(model, { holdoutEnd: "2025-06-30" }).relativeError;
     * ```
     */
    ltvCheck(model: LtvModelParams, options?: LtvCheckOptions): LtvCheck;
  }
}

function time(value: TimeValue | undefined, option: string): number | undefined {
  return value === undefined ? undefined : toEpochMs(value, option);
}

/** Only the fields the core reads, so a whole fit (or its JSON) can be passed. */
function modelParams(model: LtvModelParams): LtvModelParams {
  if (model === null || typeof model !== "object") {
    throw new InsituError("bad_option", 'option "model": pass the result of fitLtv() (or its JSON)');
  }
  const { calibrationEnd, unit, periodUnit, timezone, bgnbd, gammaGamma } = model;
  return {
    model: model.model ?? "bgnbd",
    calibrationEnd: toEpochMs(calibrationEnd, "model.calibrationEnd"),
    unit,
    periodUnit,
    ...(timezone === undefined || timezone === null ? {} : { timezone }),
    bgnbd,
    gammaGamma: gammaGamma ?? null,
  };
}

Dataset.prototype.ltv = function (this: Dataset, options: LtvOptions = {}): LtvResult {
  const query = { ...options, asOf: time(options.asOf, "asOf") };
  const result = Dataset.call(this, (h) => h.ltv(query)) as Omit<LtvResult, "customers"> & { customers: Uint8Array };
  return { ...result, customers: tableFromIPC(result.customers) };
};

Dataset.prototype.cohortLtv = function (this: Dataset, options: CohortLtvOptions = {}): CohortLtvResult {
  return Dataset.call(this, (h) => h.cohortLtv(options)) as CohortLtvResult;
};

Dataset.prototype.rfmSummary = function (this: Dataset, options: RfmSummaryOptions = {}): Table {
  const query = { ...options, calibrationEnd: time(options.calibrationEnd, "calibrationEnd") };
  return tableFromIPC(Dataset.call(this, (h) => h.rfmSummary(query)));
};

Dataset.prototype.fitLtv = function (this: Dataset, options: FitLtvOptions = {}): LtvModel {
  const query = { ...options, calibrationEnd: time(options.calibrationEnd, "calibrationEnd") };
  const fit = Dataset.call(this, (h) => h.fitLtv(query)) as LtvFit;
  return new LtvModel(fit, this);
};

Dataset.prototype.ltvPredictions = function (
  this: Dataset,
  model: LtvModelParams,
  options: LtvPredictionOptions = {},
): Table {
  const params = modelParams(model);
  return tableFromIPC(Dataset.call(this, (h) => h.ltvPredictions(params, options)));
};

Dataset.prototype.ltvPredict = function (this: Dataset, model: LtvModelParams, options: LtvPredictOptions): LtvPrediction {
  const params = modelParams(model);
  const query = typeof options?.customer === "bigint" ? { ...options, customer: options.customer.toString() } : options;
  return Dataset.call(this, (h) => h.ltvPredict(params, query)) as LtvPrediction;
};

Dataset.prototype.ltvCheck = function (this: Dataset, model: LtvModelParams, options: LtvCheckOptions = {}): LtvCheck {
  const params = modelParams(model);
  const query = { ...options, holdoutEnd: time(options.holdoutEnd, "holdoutEnd") };
  return Dataset.call(this, (h) => h.ltvCheck(params, query)) as LtvCheck;
};
