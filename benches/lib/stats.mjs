// Timing helpers shared by the Node runner and the browser page (no Node-only imports,
// so Vite can serve this file to Chromium as is).

/** Median, min and max of timing samples in milliseconds; the samples are kept too. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: samples.length, median, min: sorted[0], max: sorted[sorted.length - 1], samples };
}

/**
 * Times several cases in rounds: round 0 is the untimed-in-the-median warm-up (kept as
 * `first`, what a fresh page's one-off ingest costs), then `runs` rounds in which every
 * case runs once. Interleaving makes load from other work on the machine fall on all
 * cases alike instead of on whichever ran during a busy spell.
 *
 * cases: { name: { prepare?(i) -> input, run(input, i) -> output, after?(output, i) } }
 * `prepare` and `after` (checks, freeing) are not timed; `gc` (if the host exposes one)
 * runs before each timed call so collecting one run's garbage does not land in the next.
 */
export async function measureRounds({ runs, cases, gc }) {
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let i = 0; i <= runs; i++) {
    for (const [name, c] of Object.entries(cases)) {
      const input = await c.prepare?.(i);
      gc?.();
      const started = performance.now();
      const output = await c.run(input, i);
      samples[name].push(performance.now() - started);
      await c.after?.(output, i);
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, [first, ...timed]]) => [name, { first, ...summarize(timed) }]),
  );
}
