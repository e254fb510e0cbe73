// The dashboard `npm start` serves, built with Vite, served by `vite preview`, driven in
// Debian's headless Chromium: every view shows the engine's numbers for the sample data
// (computed again here in Node with the package), exports work, the page makes no request
// beyond its own static assets and none at all once data is loaded, it keeps a strict CSP,
// switches to Korean, and works from the keyboard. Screenshots go to test-results/.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { Insitu, abTest, sampleSize } from "../../dist/node.js";
import { record } from "./chromium.mjs";
import { RESULTS, servedDashboard } from "./dashboard-server.mjs";

const dashboard = servedDashboard();

/** Waits until the page has finished loading data `n` times. */
async function loaded(page, n) {
  await page.waitForFunction((n) => Number(document.body.dataset.ready ?? 0) >= n, n, { timeout: 120_000 });
}

/** Shows a tab and waits until each of its panels has drawn (or shown an error). */
async function visit(page, view) {
  await page.click(`[data-tab="${view}"]`);
  await page.waitForFunction(
    (view) =>
      [...document.querySelectorAll(`div[data-view="${view}"] .panel[data-query]:not([hidden])`)].every(
        (p) => p.getAttribute("aria-busy") === "false" && (Number(p.dataset.renders ?? 0) > 0 || p.dataset.error),
      ),
    view,
    { timeout: 60_000 },
  );
}

/** The query a panel ran, as `{ method, args }`. */
async function query(page, panel) {
  return JSON.parse(await page.getAttribute(`[data-panel="${panel}"]`, "data-query"));
}

/** `data-value` of the elements with `data-key` (or `data-metric`) in a panel. */
async function values(page, panel) {
  return page.$$eval(`[data-panel="${panel}"] [data-key], [data-panel="${panel}"] [data-metric]`, (els) =>
    Object.fromEntries(els.map((e) => [e.dataset.key ?? e.dataset.metric, e.dataset.value])),
  );
}

async function screenshot(page, name) {
  await page.evaluate(() => {
    const nav = document.querySelector(".tabs-nav");
    const views = document.getElementById("views");
    window.scrollTo(0, views.getBoundingClientRect().top + window.scrollY - nav.offsetHeight);
  });
  await page.screenshot({ path: `${RESULTS}dashboard-${name}.png` });
}

const close = (actual, expected, message) => {
  if (expected === null || expected === undefined) return assert.equal(actual ?? "", "", message);
  assert.ok(Math.abs(Number(actual) - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${message}: ${actual} != ${expected}`);
};

/**
 * Requests that reach the network: everything but the page's own `blob:` URLs (exports
 * made on the page, downloaded from a Blob) and `data:` URLs.
 */
const network = (requests) => requests.filter((u) => !u.startsWith(`blob:${dashboard.origin}/`) && !u.startsWith("data:"));

/** Only the page's own static files: the page, its CSS, icon and built assets. */
function assertOwnAssets(requests) {
  for (const url of network(requests)) {
    assert.ok(url.startsWith(`${dashboard.origin}/`), `request to another origin: ${url}`);
    const path = new URL(url).pathname;
    assert.match(path, /^\/(|style\.css|favicon\.svg|assets\/[\w.-]+\.(js|wasm|css))$/, `not a static asset: ${url}`);
  }
}

test("every view shows the engine's results for the sample data, and nothing leaves the page", async () => {
  const page = await dashboard.browser.newPage();
  const { requests, errors } = record(page);
  await page.goto(dashboard.origin);
  await loaded(page, 1);
  const afterLoad = requests.length;

  const insitu = await Insitu.load();
  const ds = insitu.dataset(insitu.sample({ events: 100_000 }));
  const summary = ds.summary();
  const run = ({ method, args }) => ds[method](...args);

  // Overview.
  await visit(page, "overview");
  const figures = await values(page, "overview-figures");
  assert.equal(figures.customers, String(summary.customers));
  assert.equal(figures.orders, String(summary.orders));
  close(figures.revenue, summary.revenue, "revenue");
  assert.equal(
    await page.textContent('[data-metric="revenue"]'),
    new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(summary.revenue),
  );
  const aarrr = run(await query(page, "overview-figures"));
  close(figures.aov, aarrr.figures.averageOrderValue, "AOV");
  close(figures["repeat-rate"], aarrr.figures.repeatPurchaseRate, "repeat rate");
  assert.equal(await page.textContent('[data-metric="repeat-rate"]'), `${(aarrr.figures.repeatPurchaseRate * 100).toFixed(1)}%`);
  const lifecycle = run(await query(page, "overview-active"));
  const active = await values(page, "overview-active");
  lifecycle.periods.slice(0, 12).forEach((p, i) => {
    assert.equal(active[`active-${i}`], String(p.new + p.returning + p.resurrecting), `active customers, period ${i}`);
    assert.equal(active[`new-${i}`], String(p.new));
  });
  await screenshot(page, "overview");

  // AARRR funnel.
  await visit(page, "funnel");
  const funnelQuery = await query(page, "funnel");
  const funnel = run(funnelQuery);
  const shownFunnel = await values(page, "funnel");
  funnel.steps.forEach((s) => {
    assert.equal(shownFunnel[`step-${s.index}-count`], String(s.count), `funnel step ${s.index}`);
    close(shownFunnel[`step-${s.index}-conversion`], s.conversion, `conversion ${s.index}`);
    assert.equal(shownFunnel[`step-${s.index}-dropoff`], String(s.dropOff));
  });
  const pirate = run(await query(page, "aarrr"));
  const shownPirate = await values(page, "aarrr");
  assert.equal(shownPirate.visitors, String(pirate.figures.visitors));
  close(shownPirate["signup-rate"], pirate.figures.signupRate, "signup rate");
  close(shownPirate["viral-coefficient"], pirate.figures.viralCoefficient, "viral coefficient");
  // A breakdown by source shows the engine's per-source counts.
  await page.selectOption('[data-control="funnel-breakdown"]', "property:source");
  await page.waitForFunction(() => document.querySelector('[data-table="funnel-breakdown"]'));
  const byQuery = await query(page, "funnel");
  assert.deepEqual(byQuery.args[0].breakdown, { property: "source" });
  const bySource = run(byQuery);
  const shownBy = await values(page, "funnel");
  for (const v of bySource.breakdown.values.slice(0, 5)) {
    assert.equal(shownBy[`bd-${v.value}-0`], String(v.steps[0].count), `breakdown ${v.value}`);
  }
  await screenshot(page, "funnel");
  // Dropped customers of the last step, as a CSV for a CRM tool.
  const last = bySource.steps.length - 1;
  const [csvDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.click(`[data-export="funnel-dropped-step-${last + 1}.csv"]`),
  ]);
  const csv = await readFile(await csvDownload.path(), "utf8");
  const dropped = bySource.customers(last - 1, "dropped");
  assert.equal(csv.trim().split("\n").length - 1, dropped.numRows);
  assert.match(csv.split("\n")[0], /customer_id/);
  // A chart as PNG and SVG, made locally.
  const [png] = await Promise.all([page.waitForEvent("download"), page.click('[data-chart="funnel"] [data-export="funnel.png"]')]);
  assert.deepEqual([...(await readFile(await png.path())).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const [svg] = await Promise.all([page.waitForEvent("download"), page.click('[data-chart="funnel"] [data-export="funnel.svg"]')]);
  assert.match(await readFile(await svg.path(), "utf8"), /<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);

  // Segments: CRM stages.
  await visit(page, "segments");
  const stages = run(await query(page, "stages"));
  const shownStages = await values(page, "stages");
  for (const [stage, n] of Object.entries(stages.counts)) assert.equal(shownStages[`stage-${stage}`], String(n), `stage ${stage}`);
  const [members] = await Promise.all([page.waitForEvent("download"), page.click('[data-export="stage-dormant.csv"]')]);
  const memberCsv = (await readFile(await members.path(), "utf8")).trim().split("\n");
  assert.equal(memberCsv.length - 1, stages.counts.dormant);
  assert.ok(memberCsv.slice(1).every((line) => line.split(",")[1] === "dormant"));
  if (typeof ds.rfm === "function") {
    const rfm = run(await query(page, "rfm"));
    const shownRfm = await values(page, "rfm");
    for (const seg of rfm.segments) assert.equal(shownRfm[`rfm-${seg.segment}`], String(seg.customers), `RFM ${seg.segment}`);
    // The rule editor counts live as a rule is typed.
    await page.fill('[data-control="segment-where"]', 'orders >= 3 and country in ("KR", "JP")');
    await page.waitForFunction(() => /orders >= 3/.test(document.querySelector('[data-panel="segment"]').dataset.query));
    await page.waitForFunction(() => document.querySelector('[data-panel="segment"]').getAttribute("aria-busy") === "false");
    const segment = run(await query(page, "segment"));
    assert.equal((await values(page, "segment"))["segment-count"], String(segment.count));
    // A rule with a syntax error says where.
    await page.fill('[data-control="segment-where"]', "orders >== 3");
    await page.waitForSelector('[data-panel="segment"] .error:not([hidden])');
    assert.match(await page.textContent('[data-panel="segment"] .error'), /syntax error at position/);
    await page.fill('[data-control="segment-where"]', 'orders >= 3 and country in ("KR", "JP")');
    await page.waitForSelector('[data-panel="segment"] .error', { state: "hidden" });
    const transitions = run(await query(page, "transitions"));
    const shownTransitions = await values(page, "transitions");
    transitions.labels.forEach((from, i) =>
      transitions.labels.forEach((to, j) => assert.equal(shownTransitions[`tr-${from}-${to}`], String(transitions.counts[i][j]), `${from} -> ${to}`)),
    );
    const lookalike = run(await query(page, "lookalike"));
    const shownLookalike = await values(page, "lookalike");
    assert.equal(shownLookalike["lookalike-audience"], String(lookalike.audienceSize));
    close(shownLookalike["lookalike-auc"], lookalike.holdout.auc, "lookalike AUC");
  }
  await screenshot(page, "segments");

  // Retention.
  await visit(page, "retention");
  const retention = run(await query(page, "retention"));
  const shownRetention = await values(page, "retention");
  retention.cohorts.forEach((c, i) => {
    assert.equal(shownRetention[`cohort-${i}-size`], String(c.size), `cohort ${i} size`);
    close(shownRetention[`cohort-${i}-k1`], c.rates[1], `cohort ${i} k=1`);
  });
  close(shownRetention["retention-mean-1"], retention.mean[1], "mean k=1");
  await screenshot(page, "retention");

  // LTV (when this build has the LTV engine; else the tab says it is coming).
  if (typeof ds.fitLtv === "function") {
    await visit(page, "ltv");
    const cohortLtv = run(await query(page, "cohort-ltv"));
    const shownCohorts = await values(page, "cohort-ltv");
    for (const c of cohortLtv.cohorts) {
      assert.equal(shownCohorts[`cohort-${c.cohort}-customers`], String(c.customers));
      close(shownCohorts[`cohort-${c.cohort}-1`], c.values[1], `cohort ${c.cohort} LTV at 1`);
    }
    const groups = run(await query(page, "ltv-groups"));
    const shownGroups = await values(page, "ltv-groups");
    for (const g of groups.groups) close(shownGroups[`group-${g.group}-ltv`], g.revenuePerCustomer, `LTV of ${g.group}`);
    const model = run(await query(page, "ltv-fit"));
    const shownFit = await values(page, "ltv-fit");
    close(shownFit["fit-r"], model.bgnbd.r, "BG/NBD r");
    close(shownFit["check-expected"], model.check().expected, "holdout expected");
    const { horizon } = (await query(page, "ltv-clv")).args[0];
    const predictions = ds.fitLtv({ unit: "week" }).predictions({ horizon });
    const clv = predictions.getChild("clv").toArray();
    const best = [...clv].filter(Number.isFinite).sort((a, b) => b - a)[0];
    close((await values(page, "ltv-clv"))["top-0-clv"], best, "top CLV");
  } else {
    await page.click('[data-tab="ltv"]');
    await page.waitForSelector('[data-panel="ltv-pending"]');
  }
  await screenshot(page, "ltv");

  // Campaigns: KPIs, the experiment in the data, the calculators.
  await visit(page, "campaigns");
  const campaigns = run(await query(page, "campaigns"));
  const shownCampaigns = await values(page, "campaigns");
  for (const c of campaigns.campaigns) {
    assert.equal(shownCampaigns[`recipients-${c.name}`], String(c.recipients), `recipients ${c.name}`);
    assert.equal(shownCampaigns[`converters-${c.name}`], String(c.converters), `converters ${c.name}`);
    close(shownCampaigns[`revenue-${c.name}`], c.revenue, `revenue ${c.name}`);
  }
  const experiment = run(await query(page, "experiment"));
  const shownExperiment = await values(page, "experiment");
  close(shownExperiment["experiment-p-value"], experiment.pValue, "experiment p");
  assert.equal(shownExperiment["experiment-significant"], String(experiment.significant));
  const ab = abTest((await query(page, "ab-calculator")).args[0]);
  close((await values(page, "ab-calculator"))["ab-p-value"], ab.pValue, "A/B p");
  // Typing into the calculator recomputes it.
  await page.fill('[data-control="ab-b-conversions"]', "160");
  await page.waitForFunction(() => JSON.parse(document.querySelector('[data-panel="ab-calculator"]').dataset.query).args[0].variants[1].conversions === 160);
  await page.waitForFunction(() => document.querySelector('[data-panel="ab-calculator"]').getAttribute("aria-busy") === "false");
  const ab2 = abTest((await query(page, "ab-calculator")).args[0]);
  close((await values(page, "ab-calculator"))["ab-p-value"], ab2.pValue, "A/B p after typing");
  const ss = sampleSize((await query(page, "sample-size")).args[0]);
  assert.equal((await values(page, "sample-size"))["ss-per-variant"], String(ss.perVariant));
  await screenshot(page, "campaigns");

  // Korean: words, ₩ and the locale's number format; then back.
  await page.selectOption("#lang", "ko");
  await page.click('[data-tab="overview"]');
  assert.equal(await page.textContent('[data-tab="overview"]'), "개요");
  assert.equal(await page.getAttribute("html", "lang"), "ko");
  assert.equal(
    await page.textContent('[data-metric="revenue"]'),
    new Intl.NumberFormat("ko-KR", { style: "currency", currency: "KRW", minimumFractionDigits: 0, maximumFractionDigits: 0 }).format(summary.revenue),
  );
  assert.match(await page.textContent("footer"), /이 기기/);
  await screenshot(page, "overview-ko");
  await page.selectOption("#lang", "en");
  await page.selectOption("#currency", "USD");
  assert.match(await page.textContent("footer"), /nothing is uploaded/);

  // Privacy: a strict CSP, only the page's own static assets, and nothing after the data loaded.
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|https?:/);
  assertOwnAssets(requests);
  assert.deepEqual(network(requests.slice(afterLoad)), [], "requests after the data was loaded");
  assert.deepEqual(errors, []);
  ds.free();
  await page.close();
});

test("the main controls work from the keyboard, and every input has a label", async () => {
  const page = await dashboard.browser.newPage();
  const { errors } = record(page);
  await page.goto(dashboard.origin);
  await loaded(page, 1);

  // Every form control has a label.
  const unlabelled = await page.$$eval("input, select, textarea", (els) =>
    els
      .filter((el) => !(el.labels?.length > 0 || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")))
      .map((el) => el.outerHTML),
  );
  assert.deepEqual(unlabelled, []);

  // Tabs: arrow keys, Home and End.
  await page.focus('[data-tab="overview"]');
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.tab), "funnel");
  assert.equal(await page.getAttribute('[data-tab="funnel"]', "aria-selected"), "true");
  assert.equal(await page.isVisible("#view-funnel"), true);
  await page.keyboard.press("End");
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.tab), "campaigns");
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");

  // A funnel control changed with the keyboard re-renders the funnel.
  await page.waitForFunction(() => Number(document.querySelector('[data-panel="funnel"]')?.dataset.renders ?? 0) >= 1);
  const before = Number(await page.getAttribute('[data-panel="funnel"]', "data-renders"));
  await page.focus('[data-control="funnel-window"]');
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction((n) => Number(document.querySelector('[data-panel="funnel"]').dataset.renders) > n, before);
  assert.equal((await query(page, "funnel")).args[0].window, "30d");

  // Generate other sample data from the keyboard: size select, Tab to the button, Enter.
  await page.focus("#sample-size");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.inputValue("#sample-size"), "10000");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "generate");
  await page.keyboard.press("Enter");
  await loaded(page, 2);
  assert.match(await page.textContent("#status"), /10,000 events/);
  assert.deepEqual(errors, []);
  await page.close();
});
