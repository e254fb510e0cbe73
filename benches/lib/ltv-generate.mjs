// Transactions that follow the BG/NBD purchase process and the Gamma-Gamma spend model
// (Fader, Hardie & Lee 2005), so a fit on them should roughly recover the generating
// parameters. Deterministic: a seeded sfc32 generator and nothing else random.
//
// Per customer: a purchase rate λ ~ Gamma(r, rate α) per week, a dropout probability
// p ~ Beta(a, b) and a spend scale ν ~ Gamma(q, rate γ). The first purchase falls uniformly
// in the acquisition window; while alive the customer buys after Exp(λ) waits, and after
// each repeat purchase drops out with probability p (BG/NBD: never right after the first).
// Each purchase's amount is Gamma(p_spend, rate ν), rounded to cents.

/** CDNOW's published fits (weeks): the generating parameters. */
export const LTV_TRUTH = {
  bgnbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  gammaGamma: { p: 6.25, q: 3.74, gamma: 15.44 },
};

const DAY_MS = 86_400_000;

/** sfc32 (Chris Doty-Humphrey's small fast counter), doubles in [0, 1) of 53 bits. */
function rng(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

/** Samplers on one uniform source. */
function samplers(uniform) {
  // Never 0, so logs stay finite.
  const open = () => {
    let u;
    do u = uniform();
    while (u === 0);
    return u;
  };
  const normal = () => Math.sqrt(-2 * Math.log(open())) * Math.cos(2 * Math.PI * uniform());
  // Marsaglia & Tsang (2000); shape < 1 through Gamma(k+1) U^(1/k).
  const gamma = (shape) => {
    if (shape < 1) return gamma(shape + 1) * open() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x;
      let v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = open();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  const beta = (a, b) => {
    const x = gamma(a);
    return x / (x + gamma(b));
  };
  return { uniform, open, gamma, beta };
}

/**
 * The transactions of `customers` customers, sorted by time (an order log's order):
 * { customer: Int32Array (1..n), time: Float64Array (epoch ms), amount: Float64Array }.
 * `start` is the first day (epoch ms), `acquisitionWeeks` the window of first purchases,
 * `weeks` the whole span.
 */
export function generateLtv({ customers, seed = 42, start, acquisitionWeeks, weeks, truth = LTV_TRUTH }) {
  const { uniform, open, gamma, beta } = samplers(rng(seed));
  const { r, alpha, a, b } = truth.bgnbd;
  const { p: pSpend, q, gamma: gammaRate } = truth.gammaGamma;
  const endDays = weeks * 7;
  let ids = [];
  let times = [];
  let amounts = [];
  for (let c = 1; c <= customers; c++) {
    const lambda = gamma(r) / alpha / 7; // per day
    const dropout = beta(a, b);
    const nu = gamma(q) / gammaRate;
    let t = uniform() * acquisitionWeeks * 7;
    for (let k = 0; t < endDays; k++) {
      ids.push(c);
      times.push(start + Math.floor(t * DAY_MS));
      amounts.push(Math.max(1, Math.round((gamma(pSpend) / nu) * 100)) / 100);
      if (k > 0 && uniform() < dropout) break;
      t += -Math.log(open()) / lambda;
    }
  }
  const n = ids.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => times[x] - times[y] || x - y);
  const out = { customer: new Int32Array(n), time: new Float64Array(n), amount: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const j = order[i];
    out.customer[i] = ids[j];
    out.time[i] = times[j];
    out.amount[i] = amounts[j];
  }
  ids = times = amounts = null;
  return out;
}

/** The CDNOW sample (tests/fixtures/ltv/CDNOW_sample.txt) in the same shape. */
export function parseCdnow(text) {
  const rows = text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => l.trim().split(/\s+/));
  return {
    customer: Int32Array.from(rows, (r) => Number(r[1])),
    time: Float64Array.from(rows, (r) => Date.UTC(Number(r[2].slice(0, 4)), Number(r[2].slice(4, 6)) - 1, Number(r[2].slice(6, 8)))),
    amount: Float64Array.from(rows, (r) => Number(r[4])),
  };
}
