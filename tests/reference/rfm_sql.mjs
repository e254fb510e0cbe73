// RFM written in SQL for DuckDB (SEMANTICS.md, RFM): type-7 interior quantiles with
// quantile_cont, scores by counting thresholds (equal values share a score), and the
// 11-segment table, first match wins. The second engine for tests and benchmarks.
// (NTILE would split equal values across scores, so it cannot give the same answer.)

const DAY = 86_400_000;

export const TABLE = [
  ["Champions", [4, 5], [4, 5], [4, 5]],
  ["Loyal Customers", [2, 5], [3, 5], [3, 5]],
  ["Potential Loyalist", [3, 5], [1, 3], [1, 3]],
  ["New Customers", [4, 5], [1, 1], [1, 1]],
  ["Promising", [3, 4], [1, 1], [1, 1]],
  ["Need Attention", [2, 3], [2, 3], [2, 3]],
  ["About To Sleep", [2, 3], [1, 2], [1, 2]],
  ["At Risk", [1, 2], [2, 5], [2, 5]],
  ["Can't Lose Them", [1, 1], [4, 5], [4, 5]],
  ["Hibernating", [1, 2], [1, 2], [1, 2]],
  ["Lost", [1, 2], [1, 2], [1, 2]],
];

/** RFM in SQL: type-7 quantiles (quantile_cont), scores by counting thresholds, the table. */
export function rfmSql(orders, asOf, bins, monetary) {
  const ps = Array.from({ length: bins - 1 }, (_, k) => `${(k + 1) / bins}::DOUBLE`).join(", ");
  const count = (x, q, cmp) => Array.from({ length: bins - 1 }, (_, k) => `(${x} ${cmp} ${q}[${k + 1}])::INT`).join(" + ");
  const scale = (s) => (bins === 5 ? s : `(1 + round((${s} - 1) * 4.0 / ${bins - 1}))`);
  const cases = TABLE.map(
    ([name, r, f, m]) =>
      `WHEN ${scale("r")} BETWEEN ${r[0]} AND ${r[1]} AND ${scale("f")} BETWEEN ${f[0]} AND ${f[1]} AND ${scale("m")} BETWEEN ${m[0]} AND ${m[1]} THEN '${name.replace("'", "''")}'`,
  ).join(" ");
  return `WITH o AS (SELECT customer_id AS c, epoch_ms(timestamp) AS t, amount AS a FROM ${orders} WHERE epoch_ms(timestamp) < ${asOf}),
    per AS (SELECT c, (${asOf} - max(t))::DOUBLE / ${DAY} AS rec, count(*)::DOUBLE AS freq,
                   ${monetary === "total" ? "sum(a)" : "avg(a)"} AS mon FROM o GROUP BY c),
    q AS (SELECT quantile_cont(rec, [${ps}]) AS qr, quantile_cont(freq, [${ps}]) AS qf, quantile_cont(mon, [${ps}]) AS qm FROM per),
    s AS (SELECT c, 1 + ${count("rec", "qr", "<")} AS r, 1 + ${count("freq", "qf", ">")} AS f, 1 + ${count("mon", "qm", ">")} AS m FROM per, q)
    SELECT c, r, f, m, CASE ${cases} ELSE 'Others' END AS segment FROM s`;
}

