// The ordered funnel written in SQL for DuckDB, the way an analyst would (window
// functions), as the second engine for tests and benchmarks.
//
// Every step-1 event restarts the path until the customer converts, so the step-1 events
// cut each customer's events into segments (a running count, with ties taken in step
// order); inside a segment the path takes the earliest next step after the previous one
// and within the window of the segment's start: one window pass per step.

/**
 * SQL returning one row per breakdown value (`value`, NULL without breakdown) with columns
 * n0..n{k-1}: customers reaching each step. Steps must be distinct event names.
 * Table `events(customer_id, timestamp, event, <breakdown property>)`.
 * breakdown: a property name; first touch = the earliest step event with a value.
 */
export function orderedFunnelSql(steps, windowMs, breakdown) {
  const list = steps.map((s) => `'${s}'`).join(", ");
  const rank = `CASE event ${steps.map((s, k) => `WHEN '${s}' THEN ${k}`).join(" ")} END`;
  const prop = breakdown ? `, ${breakdown} AS p` : "";
  let sql = `WITH ev AS (SELECT customer_id AS c, epoch_ms(timestamp) AS t, ${rank} AS k${prop}
      FROM events WHERE event IN (${list})),
    seg AS (SELECT *, sum((k = 0)::INT) OVER (PARTITION BY c ORDER BY t, k ROWS UNBOUNDED PRECEDING) AS s FROM ev),
    w0 AS (SELECT *, min(CASE WHEN k = 0 THEN t END) OVER (PARTITION BY c, s) AS t0 FROM seg WHERE s > 0)`;
  for (let i = 1; i < steps.length; i++) {
    const after = i === 1 ? "" : ` AND t >= t${i - 1}`;
    sql += `, w${i} AS (SELECT *, min(CASE WHEN k = ${i}${after} AND t - t0 <= ${windowMs} THEN t END)
      OVER (PARTITION BY c, s) AS t${i} FROM w${i - 1})`;
  }
  const last = `w${steps.length - 1}`;
  const reached = steps.map((_, k) => `(t${k} IS NOT NULL)::INT`).join(" + ");
  const counts = steps.map((_, k) => `count(*) FILTER (WHERE reached >= ${k + 1}) AS n${k}`).join(", ");
  sql += `, per_customer AS (SELECT c, max(${reached}) AS reached FROM ${last} GROUP BY c)`;
  if (!breakdown) return `${sql} SELECT NULL AS value, ${counts} FROM per_customer`;
  return `${sql}, touch AS (SELECT c, arg_min(p, t) AS value FROM ev WHERE p IS NOT NULL GROUP BY c)
    SELECT coalesce(touch.value, '(none)') AS value, ${counts}
    FROM per_customer LEFT JOIN touch USING (c) GROUP BY 1 ORDER BY 1`;
}
