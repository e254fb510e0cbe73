// Retention written in SQL for DuckDB (date_trunc periods: ISO weeks from Monday), the
// second engine for tests and benchmarks. Tables events(customer_id, timestamp, event)
// and orders(customer_id, timestamp, amount); start event 'signup', return event 'visit'.

// Per period unit: truncation, the number of periods between two truncated times, and
// "k periods later" as an interval.
export const UNITS = {
  day: { diff: (a, b) => `date_diff('day', ${a}, ${b})`, step: (k) => `to_days(CAST(${k} AS INTEGER))` },
  week: { diff: (a, b) => `date_diff('day', ${a}, ${b}) // 7`, step: (k) => `to_days(CAST(7 * ${k} AS INTEGER))` },
  month: { diff: (a, b) => `date_diff('month', ${a}, ${b})`, step: (k) => `to_months(CAST(${k} AS INTEGER))` },
};
// A TIMESTAMPTZ column as a plain UTC TIMESTAMP truncated to the period.
export const trunc = (unit, col) => `date_trunc('${unit}', epoch_ms(epoch_ms(${col})))`;
export const DATA_END = `(SELECT max(m) FROM (SELECT max(epoch_ms("timestamp")) AS m FROM events
                   UNION ALL SELECT max(epoch_ms("timestamp")) FROM orders))`;

/** SQL for the retention matrix: rows (start, size, k, v) with v null after the data ends. */
export function retentionSql({ unit, periods, recurring = false, cumulative = false, revenue = false }) {
  const u = UNITS[unit];
  const cohorts = recurring
    ? `SELECT DISTINCT customer_id AS c, ${trunc(unit, '"timestamp"')} AS cw FROM events WHERE event = 'signup'`
    : `SELECT customer_id AS c, min(${trunc(unit, '"timestamp"')}) AS cw FROM events WHERE event = 'signup' GROUP BY 1`;
  let cells;
  if (revenue) {
    cells = `SELECT cw, ${u.diff("cw", "ow")} AS k, sum(amount) AS n
             FROM cohort JOIN (SELECT customer_id AS c, ${trunc(unit, '"timestamp"')} AS ow, amount FROM orders) USING (c)
             WHERE ow >= cw GROUP BY ALL`;
  } else if (cumulative) {
    cells = `SELECT cw, t.k, count(*) AS n
             FROM cohort JOIN (SELECT c, max(rw) AS last FROM ret GROUP BY c) USING (c), range(1, ${periods}) t(k)
             WHERE ${u.diff("cw", "last")} >= t.k GROUP BY ALL`;
  } else {
    cells = `SELECT cw, ${u.diff("cw", "rw")} AS k, count(*) AS n FROM cohort JOIN ret USING (c) WHERE rw > cw GROUP BY ALL`;
  }
  return `
    WITH cohort AS (${cohorts}),
    ret AS (SELECT DISTINCT customer_id AS c, ${trunc(unit, '"timestamp"')} AS rw FROM events WHERE event = 'visit'),
    sizes AS (SELECT cw, count(*) AS size FROM cohort GROUP BY cw),
    cells AS (${cells})
    SELECT epoch_ms(s.cw) AS start, s.size, t.k,
      CASE WHEN epoch_ms(s.cw + ${u.step("t.k")}) > ${DATA_END} THEN NULL
           WHEN t.k = 0 AND NOT ${revenue} THEN s.size
           ELSE coalesce(cells.n, 0) END AS v
    FROM sizes s CROSS JOIN range(0, ${periods}) t(k)
    LEFT JOIN cells ON cells.cw = s.cw AND cells.k = t.k
    ORDER BY start, t.k`;
}

/** The SQL rows grouped into `{ start, size, counts }` cohorts. */
export function matrix(rows) {
  const out = new Map();
  for (const r of rows) {
    if (!out.has(r.start)) out.set(r.start, { start: r.start, size: r.size, counts: [] });
    out.get(r.start).counts.push(r.v === null ? null : Number(r.v));
  }
  return [...out.values()];
}

