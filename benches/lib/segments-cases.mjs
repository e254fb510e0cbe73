// The segments cases, written once for both hosts (Node and the Chromium page): RFM and
// the rule segment through Insitu and through DuckDB-WASM SQL on the same tables, answers
// checked equal before timing; the lookalike through Insitu only (its comparator is
// scikit-learn, run by benches/segments.mjs on the same data). Insitu and DuckDB alternate
// round by round (benches/lib/stats.mjs).
import { TABLE, rfmSql } from "../../tests/reference/rfm_sql.mjs";
import { AS_OF, LOOKALIKE, RFM, SEGMENT } from "./segments-spec.mjs";
import { measureRounds } from "./stats.mjs";

const DAY = 86_400_000;

/** The rule segment in SQL: the members' rows, as Insitu's `members` table has them. */
export const ruleSql = `WITH per AS (
    SELECT customer_id AS c, count(*) AS orders, sum(amount) AS revenue, max(timestamp) AS last_order
    FROM orders WHERE epoch_ms(timestamp) < ${AS_OF} GROUP BY customer_id)
  SELECT per.c AS customer_id, per.orders, per.revenue, per.last_order
  FROM per JOIN customers ON customers.customer_id = per.c
  WHERE per.orders >= 2 AND (${AS_OF} - epoch_ms(per.last_order))::DOUBLE / ${DAY} > 90 AND customers.country IN ('KR', 'JP')`;

/**
 * RFM as it is usually written in SQL, with NTILE(5): timed for reference only. NTILE
 * deals equal values into different buckets (40% of buyers here have one order), so its
 * scores differ from SEMANTICS.md's and cannot be checked equal to Insitu's.
 */
export const rfmNtileSql = `WITH per AS (
    SELECT customer_id AS c, (${AS_OF} - max(epoch_ms(timestamp)))::DOUBLE / ${DAY} AS rec, count(*) AS freq, sum(amount) AS mon
    FROM orders WHERE epoch_ms(timestamp) < ${AS_OF} GROUP BY customer_id),
  s AS (SELECT c, ntile(5) OVER (ORDER BY rec DESC) AS r, ntile(5) OVER (ORDER BY freq) AS f, ntile(5) OVER (ORDER BY mon) AS m FROM per)
  SELECT c, r, f, m, CASE ${TABLE.map(([name, r, f, m]) => `WHEN r BETWEEN ${r[0]} AND ${r[1]} AND f BETWEEN ${f[0]} AND ${f[1]} AND m BETWEEN ${m[0]} AND ${m[1]} THEN '${name.replace("'", "''")}'`).join(" ")} ELSE 'Others' END AS segment FROM s`;

/** An order-independent checksum of (customer, R, F, M) rows: count and a sum of 32-bit mixes. */
export function rfmChecksum(ids, r, f, m) {
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const key = Number(ids[i]) * 1000 + Number(r[i]) * 100 + Number(f[i]) * 10 + Number(m[i]);
    let h = (key >>> 0) ^ Math.floor(key / 4294967296);
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    sum = (sum + ((h ^ (h >>> 16)) >>> 0)) % 4294967296;
  }
  return { rows: ids.length, sum };
}

const column = (table, name) => table.getChild(name).toArray();
const sorted = (entries) => Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : 1)));

function rfmAnswerInsitu(r) {
  const t = r.customers;
  return {
    segments: sorted(r.segments.filter((s) => s.customers > 0).map((s) => [s.segment, s.customers])),
    checksum: rfmChecksum(column(t, "customer_id"), column(t, "r"), column(t, "f"), column(t, "m")),
  };
}

function rfmAnswerSql(t) {
  const counts = new Map();
  for (const s of t.getChild("segment")) counts.set(s, (counts.get(s) ?? 0) + 1);
  return { segments: sorted(counts), checksum: rfmChecksum(column(t, "c"), column(t, "r"), column(t, "f"), column(t, "m")) };
}

const ruleAnswerInsitu = (r) => ({ members: r.count, revenue: r.revenue, orders: r.orders });
function ruleAnswerSql(t) {
  let revenue = 0;
  let orders = 0;
  for (const v of column(t, "revenue")) revenue += v;
  for (const v of column(t, "orders")) orders += Number(v);
  return { members: t.numRows, revenue, orders };
}

/** What the lookalike fitted, for the scikit-learn check and for comparing hosts. */
export const lookalikeAnswer = (r) => ({
  seed: r.seed,
  population: r.population,
  intercept: r.intercept,
  iterations: r.iterations,
  auc: r.holdout.auc,
  coefficients: r.coefficients.map(({ feature, level, coefficient }) => ({ feature, level, coefficient })),
});

function check(name, insitu, duckdb) {
  const [a, b] = [JSON.stringify(insitu), JSON.stringify(duckdb)];
  if (a !== b) throw new Error(`${name}: Insitu and DuckDB disagree:\n insitu ${a}\n duckdb ${b}`);
}

/**
 * Runs the cases on one dataset. `ds`: an Insitu dataset of the orders and customers
 * tables; `duck`: the same tables in DuckDB as `orders` / `customers`, answering
 * `table(sql)` with an Arrow table. Returns the timings and the answers.
 */
export async function runSegments({ ds, duck, runs, lookalikeRuns, gc, log = () => {} }) {
  const cases = {};
  const answers = {};

  log("rfm: checking answers");
  const rfmSqlText = rfmSql("orders", AS_OF, 5, "total");
  answers.rfm = rfmAnswerInsitu(ds.rfm(RFM));
  check("rfm", answers.rfm, rfmAnswerSql(await duck.table(rfmSqlText)));
  log(`rfm: 1 + ${runs} rounds`);
  cases.rfm = await measureRounds({
    runs,
    gc,
    cases: {
      insitu: { run: () => ds.rfm(RFM) },
      duckdb: { run: () => duck.table(rfmSqlText) },
      duckdbNtile: { run: () => duck.table(rfmNtileSql) },
    },
  });

  log("rule: checking answers");
  answers.rule = ruleAnswerInsitu(ds.segment(SEGMENT));
  check("rule", answers.rule, ruleAnswerSql(await duck.table(ruleSql)));
  log(`rule: 1 + ${runs} rounds`);
  cases.rule = await measureRounds({
    runs,
    gc,
    cases: { insitu: { run: () => ds.segment(SEGMENT) }, duckdb: { run: () => duck.table(ruleSql) } },
  });

  // A fit takes seconds at 1M customers: the warm-up run's answer is the one reported.
  log(`lookalike: 1 + ${lookalikeRuns} runs`);
  cases.lookalike = await measureRounds({
    runs: lookalikeRuns,
    gc,
    cases: {
      insitu: {
        run: () => ds.lookalike(LOOKALIKE),
        after: (r, i) => {
          if (i === 0) answers.lookalike = lookalikeAnswer(r);
        },
      },
    },
  });
  return { cases, answers };
}
