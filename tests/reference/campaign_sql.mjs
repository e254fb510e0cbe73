// Campaign KPIs written in SQL for DuckDB: the second engine for tests and benchmarks.
// Tables events(customer_id, timestamp, event, campaign) and orders(customer_id,
// timestamp, amount); message events message_sent / message_opened / message_clicked.

/** Per campaign: recipients, unique opens (an open or a click) and unique clicks. */
export function campaignCountsSql() {
  return `
    WITH m AS (SELECT customer_id AS c, campaign AS k, event AS e FROM events
               WHERE event IN ('message_sent', 'message_opened', 'message_clicked')),
    pairs AS (SELECT k, c, max(CASE WHEN e <> 'message_sent' THEN 1 ELSE 0 END) AS o,
                     max(CASE WHEN e = 'message_clicked' THEN 1 ELSE 0 END) AS cl
              FROM m GROUP BY k, c)
    SELECT k, count(*) AS recipients, sum(o)::INTEGER AS opens, sum(cl)::INTEGER AS clicks FROM pairs GROUP BY k`;
}

/** Per campaign: converters, conversions and revenue by last touch within `windowMs`. */
export function campaignAttributionSql(windowMs) {
  return `
    WITH s AS (SELECT customer_id AS c, epoch_ms(timestamp) AS t, campaign AS k FROM events WHERE event = 'message_sent'),
    o AS (SELECT customer_id AS c, epoch_ms(timestamp) AS t, amount FROM orders),
    j AS (SELECT o.c, o.t AS ot, o.amount, s.t AS st, s.k FROM o ASOF JOIN s ON o.c = s.c AND o.t >= s.t)
    SELECT k, count(DISTINCT c) AS converters, count(*) AS conversions, sum(amount)::DOUBLE AS revenue
    FROM j WHERE ot - st <= ${windowMs} GROUP BY k`;
}

/** Both, joined per campaign: the whole KPI question in one statement. */
export function campaignKpiSql(windowMs) {
  return `WITH counts AS (${campaignCountsSql()}), attributed AS (${campaignAttributionSql(windowMs)})
    SELECT counts.k, recipients, opens, clicks, coalesce(converters, 0) AS converters,
           coalesce(conversions, 0) AS conversions, coalesce(revenue, 0) AS revenue
    FROM counts LEFT JOIN attributed USING (k) ORDER BY counts.k`;
}
