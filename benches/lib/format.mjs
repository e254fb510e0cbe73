// How every section of BENCHMARKS.md writes runtimes, times and sizes.

/** Runtime names as the report prints them. */
export const RUNTIME = { node: "Node", chromium: "Chromium", native: "Native" };

/** Milliseconds: two decimals under 1, one under 100, whole above. */
export const ms = (x) => (x < 1 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toString());

/** A size as 100k, 1M, 20M. */
export const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);
