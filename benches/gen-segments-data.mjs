// Child process: the segments benchmark's data, deterministic (a seeded xoshiro128**, integer
// math only, so every run and machine writes the same bytes). For N customers it writes, in OUT_DIR:
//   seg-orders-N.arrows     customer_id int64, timestamp timestamp[ms, UTC], amount float64
//                           (~10 orders per customer; rows grouped by customer, not time-sorted)
//   seg-customers-N.arrows  customer_id, signup_time (2% null), country (dictionary, 3% null),
//                           vip ("yes"/"no", the lookalike seed), 13 numeric and 3 categorical features
//   seg-features-N.f64      the lookalike's 20 feature values per customer for the Python comparator:
//                           float64, column-major (feature j at [j*N, (j+1)*N)), NaN = null,
//                           categories as their dictionary code (NaN = null); customers in id order
//   seg-vip-N.u8            the seed label per customer (1 = vip)
//   seg-meta-N.json         feature names, kinds and category labels; asOf; row counts
// usage: node benches/gen-segments-data.mjs CUSTOMERS OUT_DIR
import { rename, writeFile } from "node:fs/promises";
import {
  Dictionary, Float64, Int32, Int64, Table, TimestampMillisecond, Utf8, makeData, makeVector, tableToIPC, vectorFromArray,
} from "apache-arrow";

import { AS_OF, FEATURES, NUMERIC, T0, segmentsFiles } from "./lib/segments-spec.mjs";

const DAY = 86_400_000;

/** xoshiro128** seeded through SplitMix32: uniform doubles in [0, 1). */
function rng(seed) {
  let x = seed >>> 0;
  const split = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let [a, b, c, d] = [split(), split(), split(), split()];
  return () => {
    const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c = (c ^ t) >>> 0;
    d = ((d << 11) | (d >>> 21)) >>> 0;
    return r / 4294967296;
  };
}

const COUNTRIES = ["KR", "JP", "US", "DE", "FR", "GB", "BR", "IN", "CN", "ES", "IT", "CA"];
const COUNTRY_WEIGHTS = [20, 15, 20, 8, 6, 7, 5, 5, 5, 3, 3, 3];
const DEVICES = ["android", "ios", "web", "other"];
const PLANS = ["free", "basic", "plus", "pro"];
const CHANNELS = ["organic", "paid_search", "social", "email", "referral", "affiliate"];

function pick(u, weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  let x = u * total;
  for (let i = 0; i < weights.length; i++) if ((x -= weights[i]) < 0) return i;
  return weights.length - 1;
}

function dictionary(codes, labels, valid) {
  const type = new Dictionary(new Utf8(), new Int32());
  const nullBitmap = valid && packBits(valid);
  const nullCount = valid ? valid.length - valid.reduce((a, b) => a + b, 0) : 0;
  return makeVector(
    makeData({ type, length: codes.length, data: codes, nullCount, nullBitmap, dictionary: vectorFromArray(labels, new Utf8()) }),
  );
}

function packBits(valid) {
  const out = new Uint8Array((valid.length + 7) >> 3);
  for (let i = 0; i < valid.length; i++) if (valid[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

const float64 = (values) => makeVector(makeData({ type: new Float64(), length: values.length, data: values }));
const int64 = (values) => makeVector(makeData({ type: new Int64(), length: values.length, data: values }));
function timestamps(values, valid) {
  const nullCount = valid ? valid.length - valid.reduce((a, b) => a + b, 0) : 0;
  const type = new TimestampMillisecond("UTC");
  return makeVector(makeData({ type, length: values.length, data: values, nullCount, nullBitmap: valid && packBits(valid) }));
}

/** Generates everything for `n` customers; returns the files' bytes. */
export function generate(n, seed = 42) {
  const u = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  const ids = new BigInt64Array(n);
  const signup = new BigInt64Array(n);
  const signupValid = new Uint8Array(n);
  const country = new Int32Array(n);
  const countryValid = new Uint8Array(n);
  const cats = { device: new Int32Array(n), plan: new Int32Array(n), acquisition_channel: new Int32Array(n) };
  const numeric = Object.fromEntries(NUMERIC.map((k) => [k, new Float64Array(n)]));
  const vip = new Uint8Array(n);
  const orderCount = new Float64Array(n);
  const revenue = new Float64Array(n);
  const sinceSignup = new Float64Array(n);
  // Orders: sized as we go (about 10 per customer).
  let cap = n * 11;
  let oCustomer = new BigInt64Array(cap);
  let oTime = new BigInt64Array(cap);
  let oAmount = new Float64Array(cap);
  let rows = 0;
  const span = AS_OF - T0;
  for (let i = 0; i < n; i++) {
    ids[i] = BigInt(i + 1);
    const joined = T0 + Math.floor(u() * span);
    signupValid[i] = u() < 0.98 ? 1 : 0;
    signup[i] = BigInt(joined);
    sinceSignup[i] = signupValid[i] ? (AS_OF - joined) / DAY : NaN;
    countryValid[i] = u() < 0.97 ? 1 : 0;
    country[i] = pick(u(), COUNTRY_WEIGHTS);
    const plan = pick(u(), [50, 25, 15, 10]);
    cats.plan[i] = plan;
    cats.device[i] = pick(u(), [45, 30, 20, 5]);
    cats.acquisition_channel[i] = pick(u(), [35, 20, 20, 10, 10, 5]);
    // Engagement drives orders, spend and the seed alike, so the features carry signal.
    const engaged = normal() + 0.4 * plan;
    const x = numeric;
    x.age[i] = u() < 0.05 ? NaN : Math.min(80, Math.max(18, Math.round(40 + 12 * normal())));
    x.income[i] = u() < 0.08 ? NaN : Math.max(0, Math.round(500 + 200 * normal() + 60 * plan)) * 100;
    x.sessions_30d[i] = Math.max(0, Math.round(6 * Math.exp(0.5 * engaged + 0.3 * normal())));
    x.pageviews_30d[i] = Math.round(x.sessions_30d[i] * (3 + 4 * u()));
    x.avg_session_minutes[i] = Math.round(10 * Math.exp(0.2 * engaged + 0.4 * normal())) / 10;
    x.email_opens_90d[i] = Math.max(0, Math.round(5 + 3 * engaged + 3 * normal()));
    x.email_clicks_90d[i] = Math.max(0, Math.round(x.email_opens_90d[i] * 0.2 * u() * 2));
    x.app_installs[i] = cats.device[i] < 2 ? (u() < 0.7 ? 1 : 2) : u() < 0.1 ? 1 : 0;
    x.support_tickets[i] = Math.floor(-Math.log(1 - u()) * 1.5);
    x.coupons_used[i] = Math.floor(-Math.log(1 - u()) * (1 + Math.max(0, engaged)));
    x.wishlist_items[i] = Math.floor(-Math.log(1 - u()) * 4);
    x.reviews_written[i] = u() < 0.8 ? 0 : 1 + Math.floor(-Math.log(1 - u()) * 2);
    x.referrals[i] = u() < 0.9 ? 0 : 1 + Math.floor(-Math.log(1 - u()));
    // Orders: 5% never order; of buyers 40% buy once, the rest a Lomax (Pareto II) tail.
    let k = 0;
    if (u() >= 0.05) k = u() < 0.4 ? 1 : Math.min(2000, 2 + Math.floor(8.5 * (Math.pow(1 - u(), -1 / 1.6) - 1) * Math.exp(0.3 * engaged)));
    if (rows + k > cap) {
      cap = Math.ceil((rows + k) * 1.25);
      const grow = (a, T) => {
        const b = new T(cap);
        b.set(a.subarray(0, rows));
        return b;
      };
      oCustomer = grow(oCustomer, BigInt64Array);
      oTime = grow(oTime, BigInt64Array);
      oAmount = grow(oAmount, Float64Array);
    }
    // Active from a first order after signup to a last one; some stop early (recency).
    const first = joined + Math.floor(u() * (AS_OF - joined) * 0.5);
    const last = first + Math.floor((AS_OF - first) * Math.sqrt(u()));
    const basket = Math.exp(3.4 + 0.6 * normal() + 0.1 * plan);
    let total = 0;
    for (let j = 0; j < k; j++) {
      oCustomer[rows] = ids[i];
      oTime[rows] = BigInt(k === 1 ? first : first + Math.floor(u() * (last - first + 1)));
      // Whole currency units: many equal amounts and equal totals.
      const amount = Math.max(1, Math.round(basket * Math.exp(0.35 * normal())));
      oAmount[rows++] = amount;
      total += amount;
    }
    orderCount[i] = k;
    revenue[i] = total;
    const eta = -3.2 + 0.6 * engaged + 0.5 * Math.log1p(k) + 0.35 * (cats.device[i] === 1) - 0.25 * x.support_tickets[i] + 0.4 * (country[i] === 0);
    vip[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  const orders = new Table({
    customer_id: int64(oCustomer.subarray(0, rows)),
    timestamp: timestamps(oTime.subarray(0, rows)),
    amount: float64(oAmount.subarray(0, rows)),
  });
  const customers = new Table({
    customer_id: int64(ids),
    signup_time: timestamps(signup, signupValid),
    country: dictionary(country, COUNTRIES, countryValid),
    vip: dictionary(Int32Array.from(vip, (v) => 1 - v), ["yes", "no"]),
    ...Object.fromEntries(NUMERIC.map((k) => [k, float64WithNulls(numeric[k])])),
    device: dictionary(cats.device, DEVICES),
    plan: dictionary(cats.plan, PLANS),
    acquisition_channel: dictionary(cats.acquisition_channel, CHANNELS),
  });
  // The Python comparator's copy of the features, in FEATURES order.
  const features = new Float64Array(FEATURES.length * n);
  const categories = { country: [country, COUNTRIES, countryValid], device: [cats.device, DEVICES], plan: [cats.plan, PLANS], acquisition_channel: [cats.acquisition_channel, CHANNELS] };
  const computed = { days_since_signup: sinceSignup, orders: orderCount, revenue };
  const kinds = [];
  FEATURES.forEach((name, j) => {
    const out = features.subarray(j * n, (j + 1) * n);
    if (categories[name]) {
      const [codes, labels, valid] = categories[name];
      for (let i = 0; i < n; i++) out[i] = valid && !valid[i] ? NaN : codes[i];
      kinds.push({ name, kind: "category", labels });
    } else {
      out.set(computed[name] ?? numeric[name]);
      kinds.push({ name, kind: "number" });
    }
  });
  const meta = { customers: n, orders: rows, seed, asOf: AS_OF, features: kinds, vip: vip.reduce((a, b) => a + b, 0) };
  return {
    orders: tableToIPC(orders, "stream"),
    customers: tableToIPC(customers, "stream"),
    features: new Uint8Array(features.buffer),
    vip,
    meta: new TextEncoder().encode(JSON.stringify(meta, null, 1)),
  };
}

/** Float64 with NaN written as null (Insitu and DuckDB read nulls; NaN is a value to both). */
function float64WithNulls(values) {
  const valid = Uint8Array.from(values, (v) => (Number.isNaN(v) ? 0 : 1));
  const nullCount = values.length - valid.reduce((a, b) => a + b, 0);
  if (nullCount === 0) return float64(values);
  const data = Float64Array.from(values, (v) => (Number.isNaN(v) ? 0 : v));
  return makeVector(makeData({ type: new Float64(), length: values.length, data, nullCount, nullBitmap: packBits(valid) }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [n, dir] = [Number(process.argv[2]), process.argv[3].replace(/\/?$/, "/")];
  const started = performance.now();
  const out = generate(n);
  const files = segmentsFiles(dir, n);
  // The meta file last: its presence marks a complete set.
  for (const key of ["orders", "customers", "features", "vip", "meta"]) {
    await writeFile(`${files[key]}.tmp`, out[key]);
    await rename(`${files[key]}.tmp`, files[key]);
  }
  console.log(`generated ${n} customers: ${JSON.parse(new TextDecoder().decode(out.meta)).orders} orders in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
