// What the segments benchmark asks, shared by the generator, the Node and Chromium runners
// and the report (no Node-only imports: Vite serves this file to the page as is).

/** Data runs 2023-01-01 .. 2025-01-01 (UTC); asOf is the end, so every order counts. */
export const T0 = Date.UTC(2023, 0, 1);
export const AS_OF = Date.UTC(2025, 0, 1);

/** The numeric attribute columns of the customers table. */
export const NUMERIC = [
  "age", "income", "sessions_30d", "pageviews_30d", "avg_session_minutes", "email_opens_90d", "email_clicks_90d",
  "app_installs", "support_tickets", "coupons_used", "wishlist_items", "reviews_written", "referrals",
];
/** The lookalike's 20 features as field expressions: attributes plus three computed fields. */
export const FEATURES = [...NUMERIC, "country", "device", "plan", "acquisition_channel", "days_since_signup", "orders", "revenue"];

/** The 3-clause rule segment. */
export const RULE = 'orders >= 2 and days_since_last_order > 90 and country in ("KR","JP")';
export const SEGMENT = { name: "lapsed KR/JP repeat buyers", where: RULE, asOf: AS_OF };
export const RFM = { asOf: AS_OF, bins: 5, monetary: "total" };
/** The seed is the customers table's `vip` flag, which the generator draws from a logistic model. */
export const LOOKALIKE = { seed: 'vip = "yes"', features: FEATURES, asOf: AS_OF, l2: 1 };

/** The cached files of the N-customer data set, under `dir` (ends with "/"). */
export const segmentsFiles = (dir, n) => ({
  orders: `${dir}seg-orders-${n}.arrows`,
  customers: `${dir}seg-customers-${n}.arrows`,
  features: `${dir}seg-features-${n}.f64`,
  vip: `${dir}seg-vip-${n}.u8`,
  meta: `${dir}seg-meta-${n}.json`,
});
