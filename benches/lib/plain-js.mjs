// The simpler metrics written the way a web developer would in a few dozen lines of plain
// JavaScript over apache-arrow tables: the third comparator of the analytics benchmark.
// They read the decoded columns (decoding is not timed, as DuckDB's insert is not).

const DAY = 86_400_000;
const WEEK = 7 * DAY;
// 1970-01-01 was a Thursday; ISO weeks start on Monday, 1969-12-29 (3 days earlier).
const MONDAY = -3 * DAY;
const weekOf = (ms) => Math.floor((ms - MONDAY) / WEEK);

/** Calls `visit(ids, times, codes, i)` for every row, batch by batch (raw typed arrays). */
function forEachRow(table, visit) {
  const id = table.getChild("customer_id").data;
  const time = table.getChild("timestamp").data;
  const event = table.getChild("event")?.data;
  for (let b = 0; b < id.length; b++) {
    const ids = id[b].values;
    const times = time[b].values;
    const codes = event?.[b].values;
    for (let i = 0; i < ids.length; i++) visit(ids, times, codes, i);
  }
}

/** The dictionary code of `name` in a dictionary column (every batch shares one dictionary). */
function codeOf(table, column, name) {
  const dictionary = table.getChild(column).data[0].dictionary;
  for (let i = 0; i < dictionary.length; i++) if (dictionary.get(i) === name) return i;
  return -1;
}

/**
 * First-time weekly retention: cohort = week of each customer's first `start` event,
 * counts[k] = customers of the cohort with a `ret` event k weeks later (k >= 1),
 * counts[0] = cohort size, null where the cell lies after the data ends.
 * Returns [{ start, size, counts }] by cohort start, as the SQL reference's `matrix`.
 */
export function plainRetention({ events, orders }, { periods, start = "signup", ret = "visit" }) {
  const startCode = codeOf(events, "event", start);
  const retCode = codeOf(events, "event", ret);
  let end = -Infinity;
  const latest = (_, times, __, i) => {
    const t = Number(times[i]);
    if (t > end) end = t;
  };
  forEachRow(events, latest);
  forEachRow(orders, latest);

  const cohort = new Map();
  forEachRow(events, (ids, times, codes, i) => {
    if (codes[i] !== startCode) return;
    const c = Number(ids[i]);
    const w = weekOf(Number(times[i]));
    const seen = cohort.get(c);
    if (seen === undefined || w < seen) cohort.set(c, w);
  });
  // Per customer, a bit per week k after their cohort week (distinct returns).
  const returned = new Map();
  forEachRow(events, (ids, times, codes, i) => {
    if (codes[i] !== retCode) return;
    const c = Number(ids[i]);
    const cw = cohort.get(c);
    if (cw === undefined) return;
    const k = weekOf(Number(times[i])) - cw;
    if (k >= 1 && k < periods) returned.set(c, (returned.get(c) ?? 0) | (1 << k));
  });
  const rows = new Map();
  for (const [c, cw] of cohort) {
    let row = rows.get(cw);
    if (!row) rows.set(cw, (row = { size: 0, cells: new Array(periods).fill(0) }));
    row.size++;
    const bits = returned.get(c) ?? 0;
    for (let k = 1; k < periods; k++) if (bits & (1 << k)) row.cells[k]++;
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([cw, row]) => {
      const startMs = cw * WEEK + MONDAY;
      const counts = row.cells.map((n, k) => (startMs + k * WEEK > end ? null : k === 0 ? row.size : n));
      return { start: startMs, size: row.size, counts };
    });
}
