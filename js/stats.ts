/**
 * Statistics on numbers you already have: A/B tests on conversion counts, sample sizes,
 * Welch's t-test. They run in the wasm core, so `await Insitu.load()` must come first.
 * Semantics: SEMANTICS.md (Campaigns and tests).
 */
import * as wasm from "./wasm/insitu.js";
import { loadedEngine } from "./core.js";

/** A rate with its confidence interval (null when nobody is in the denominator). */
export interface Rate {
  value: number | null;
  low: number | null;
  high: number | null;
}

/** An estimate with its confidence interval. */
export interface Estimate {
  estimate: number | null;
  low: number | null;
  high: number | null;
}

/** One variant of an A/B test. */
export interface VariantCounts {
  /** Name; default `"A"`, `"B"`, ... by position. */
  name?: string;
  /** Customers exposed (whole number, at least 1). */
  exposures: number;
  /** Exposed customers who converted (at most `exposures`). */
  conversions: number;
}

/** Options of {@link abTest}. */
export interface AbTestOptions {
  /** Two or more variants; the first is the control unless `control` names another. */
  variants: VariantCounts[];
  /** Significance level, default 0.05; intervals are at `1 - alpha`. */
  alpha?: number;
  /** Headline test: `"zTest"` (pooled, two-sided; default for two variants) or `"chiSquare"` (default for more). */
  method?: "zTest" | "chiSquare";
  /** Name of the control variant; default the first. */
  control?: string;
  /** Seed of the sampling behind `probabilityToBeBest` with three or more variants; default 1. */
  seed?: number;
}

/** One variant in an A/B test result. */
export interface VariantResult {
  name: string;
  exposures: number;
  conversions: number;
  /** Conversion rate with its Wilson interval. */
  rate: Rate;
  /** Rate minus the control's with Newcombe's interval; null for the control. */
  difference: Estimate | null;
  /** `(rate - controlRate) / controlRate`; null for the control or a zero control rate. */
  lift: number | null;
  /** Pooled z against the control; null for the control. */
  z: number | null;
  /** Two-sided p-value against the control (not corrected for multiple comparisons); null for the control. */
  pValue: number | null;
  /** Posterior probability (Beta(1,1) priors) that this variant beats the control; null for the control. */
  probabilityToBeat: number | null;
  /** Posterior probability that this variant is the best (exact for two, 100,000 seeded draws for more). */
  probabilityToBeBest: number;
  /** Fewer than 100 exposures. */
  notEnoughData: boolean;
}

/**
 * What {@link abTest} returns. The headline fields compare `treatment` with `control`:
 * the second variant when there are two, else the best-performing other variant.
 */
export interface AbTestResult {
  method: "zTest" | "chiSquare";
  alpha: number;
  control: string;
  treatment: string;
  /** Pooled z of treatment against control (positive when the treatment converts more). */
  z: number | null;
  /** Chi-square test over all variants (without Yates' correction; equals z² for two). */
  chiSquare: { statistic: number; df: number; pValue: number };
  /** p-value of `method`. */
  pValue: number | null;
  /** `pValue < alpha`. */
  significant: boolean;
  /** Treatment rate minus control rate, with Newcombe's `1 - alpha` interval. */
  difference: Estimate;
  /** Relative lift of the treatment; null when the control rate is 0. */
  lift: number | null;
  /** Posterior probability that the treatment beats the control. */
  probabilityToBeat: number | null;
  variants: VariantResult[];
  /** Some variant has fewer than 100 exposures. */
  notEnoughData: boolean;
}

/** Options of {@link sampleSize}. */
export interface SampleSizeOptions {
  /** The control's conversion rate, strictly between 0 and 1. */
  baseline: number;
  /** Smallest change worth detecting: absolute (0.02 = two points) unless `relative` (0.2 = +20%). */
  minDetectableEffect: number;
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Power, default 0.8. */
  power?: number;
  /** Whether `minDetectableEffect` is relative to the baseline; default false. */
  relative?: boolean;
  /** Number of variants for `total`; default 2. */
  variants?: number;
}

/** What {@link sampleSize} returns. */
export interface SampleSizeResult {
  /** Exposures needed per variant. */
  perVariant: number;
  /** `perVariant` times the number of variants. */
  total: number;
  baseline: number;
  /** The rate to detect: baseline plus the effect. */
  target: number;
  alpha: number;
  power: number;
}

/** A sample for {@link welchTest}: raw values, or summary statistics (`sd` with divisor n - 1). */
export type SampleInput = number[] | Float64Array | { n: number; mean: number; sd: number };

/** Options of {@link welchTest}. */
export interface WelchOptions {
  control: SampleInput;
  treatment: SampleInput;
  /** Significance level, default 0.05. */
  alpha?: number;
}

/** Summary of one sample. */
export interface SampleSummary {
  n: number;
  mean: number | null;
  sd: number | null;
}

/** What {@link welchTest} returns. */
export interface WelchResult {
  /** `(meanT - meanC) / se`; null when both samples have zero variance. */
  t: number | null;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number | null;
  /** Two-sided p-value. */
  pValue: number | null;
  significant: boolean;
  /** `meanT - meanC` with its `1 - alpha` interval. */
  difference: Estimate;
  /** `(meanT - meanC) / meanC`; null when the control mean is 0. */
  lift: number | null;
  control: SampleSummary;
  treatment: SampleSummary;
}

/**
 * A/B(/n) test on conversion counts: pooled two-proportion z-test (chi-square for more
 * than two variants), Newcombe interval of the difference, relative lift, and Bayesian
 * probabilities to beat the control and to be best (Beta(1,1) priors). Needs
 * `await Insitu.load()` first.
 *
 * @example
 * ```ts
 * import { Insitu, abTest } from "insitu";
 * await Insitu.load();
 * const r = abTest({ variants: [
 *   { name: "control", exposures: 1000, conversions: 100 },
 *   { name: "treatment", exposures: 1000, conversions: 130 },
 * ] });
 * r.z;                 // 2.1027
 * r.pValue;            // 0.0355
 * r.probabilityToBeat; // 0.982
 * ```
 */
export function abTest(options: AbTestOptions): AbTestResult {
  return loadedEngine().run(() => wasm.abTest(options) as AbTestResult);
}

/**
 * Exposures needed per variant to detect a change of a conversion rate (two-sided test
 * of two proportions). Needs `await Insitu.load()` first.
 *
 * @example
 * ```ts
 * import { Insitu, sampleSize } from "insitu";
 * await Insitu.load();
 * sampleSize({ baseline: 0.1, minDetectableEffect: 0.02 }); // { perVariant: 3841, total: 7682, ... }
 * ```
 */
export function sampleSize(options: SampleSizeOptions): SampleSizeResult {
  return loadedEngine().run(() => wasm.sampleSize(options) as SampleSizeResult);
}

/**
 * Welch's t-test (unequal variances) of `treatment` against `control`, e.g. revenue per
 * user. Samples are arrays of values or `{ n, mean, sd }`. Needs `await Insitu.load()`.
 *
 * @example
 * ```ts
 * import { Insitu, welchTest } from "insitu";
 * await Insitu.load();
 * const r = welchTest({ control: { n: 500, mean: 42, sd: 30 }, treatment: [51.2, 0, 38.5, 77] });
 * r.pValue;
 * ```
 */
export function welchTest(options: WelchOptions): WelchResult {
  const sample = (s: SampleInput | undefined) =>
    Array.isArray(s) || s instanceof Float64Array ? { values: Array.from(s) } : s;
  const query =
    options === null || typeof options !== "object"
      ? options
      : { ...options, control: sample(options.control), treatment: sample(options.treatment) };
  return loadedEngine().run(() => wasm.welchTest(query) as WelchResult);
}
