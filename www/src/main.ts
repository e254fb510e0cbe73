/**
 * The Insitu dashboard: data is read, ingested and analysed in a Web Worker on this device
 * (the `InsituWorker` client of the package); nothing is uploaded.
 */
import { InsituWorker } from "insitu";
import { createContext } from "./context.js";
import { byId, h } from "./dom.js";
import { formats, type Currency, type Language } from "./format.js";
import { applyI18n, setLanguage, t } from "./i18n/index.js";
import { dataDetails } from "./load/details.js";
import { setupLoading, type Loaded } from "./load/load.js";
import { campaignsView } from "./views/campaigns.js";
import { funnelView } from "./views/funnel.js";
import { ltvView } from "./views/ltv.js";
import { overviewView } from "./views/overview.js";
import { Panel } from "./views/panel.js";
import { retentionView } from "./views/retention.js";
import { segmentsView } from "./views/segments.js";
import type { View } from "./views/view.js";

const status = byId<HTMLParagraphElement>("status");

const engine = InsituWorker.start({
  onRestart: ({ reason, reingested, error }) => {
    const message = reingested ? t("restart.reingested", { reason: reason.message }) : t("restart.lost", { reason: error?.message ?? reason.message });
    const banner = byId<HTMLDivElement>("restart");
    banner.textContent = message;
    banner.hidden = false;
    if (!reingested) ctx.summary = undefined;
    document.body.dataset.restarts = String(engine.restarts);
    for (const v of views) v.onData();
    void active().refresh();
  },
});
const ctx = createContext(engine);
Panel.hasData = () => ctx.summary !== undefined;

const views: View[] = [overviewView(ctx), funnelView(ctx), segmentsView(ctx), retentionView(ctx), ltvView(ctx), campaignsView(ctx)];
let current = views[0]!;
const active = () => current;

// Tabs (WAI-ARIA tabs pattern: arrow keys move between tabs, Tab goes to the panel).
const tablist = byId<HTMLDivElement>("tabs");
const panels = byId<HTMLDivElement>("views");
const tabs = views.map((view) => {
  const tab = h("button", { type: "button", role: "tab", id: `tab-${view.id}`, "aria-controls": `view-${view.id}`, "aria-selected": "false", tabindex: -1, "data-i18n": view.title, "data-tab": view.id }, t(view.title));
  const panel = h("section", { role: "tabpanel", id: `view-${view.id}`, "aria-labelledby": `tab-${view.id}`, tabindex: 0, hidden: true }, view.el);
  tab.addEventListener("click", () => show(view));
  tablist.append(tab);
  panels.append(panel);
  return tab;
});
tablist.addEventListener("keydown", (e) => {
  const i = views.indexOf(current);
  const to = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? views.length - 1 : null;
  if (to === null) return;
  e.preventDefault();
  const view = views[(to + views.length) % views.length]!;
  show(view);
  tabs[views.indexOf(view)]!.focus();
});

const stale = new Set<View>(views);
function show(view: View): void {
  current = view;
  views.forEach((v, i) => {
    const selected = v === view;
    tabs[i]!.setAttribute("aria-selected", String(selected));
    tabs[i]!.tabIndex = selected ? 0 : -1;
    byId(`view-${v.id}`).hidden = !selected;
  });
  document.body.dataset.activeView = view.id;
  if (stale.has(view)) {
    stale.delete(view);
    void view.refresh();
  }
}

function onLoaded(loaded: Loaded): void {
  ctx.summary = loaded.summary;
  const what = loaded.source.kind === "sample" ? t("load.sampleDone", { n: ctx.fmt.int(loaded.source.events) }) : loaded.source.names.join(", ");
  status.textContent = t("load.done", { what, ms: Math.round(loaded.ms), customers: ctx.fmt.int(loaded.summary.customers), events: ctx.fmt.int(loaded.summary.events), orders: ctx.fmt.int(loaded.summary.orders) });
  byId("restart").hidden = true;
  byId("data-details").replaceChildren(...dataDetails(loaded.summary, ctx.fmt));
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? 0) + 1);
  for (const v of views) {
    v.onData();
    stale.add(v);
  }
  stale.delete(current);
  const view = current;
  void view.refresh().then(() => {
    // From the user's click to the view drawn (BENCHMARKS: Generate -> overview).
    performance.measure(`insitu:load→${view.id}`, { start: loaded.started, end: performance.now() });
    document.body.dataset.ready = String(Number(document.body.dataset.ready ?? 0) + 1);
  });
}

// Language and currency.
const langSelect = byId<HTMLSelectElement>("lang");
const currencySelect = byId<HTMLSelectElement>("currency");
let currencyChosen = false;
function setPrefs(language: Language, currency: Currency): void {
  setLanguage(language);
  ctx.language = language;
  ctx.currency = currency;
  ctx.fmt = formats(language, currency);
  langSelect.value = language;
  currencySelect.value = currency;
  applyI18n(document);
  for (const v of views) v.rerender();
  if (ctx.summary) byId("data-details").replaceChildren(...dataDetails(ctx.summary, ctx.fmt));
}
langSelect.addEventListener("change", () => {
  const language = langSelect.value as Language;
  setPrefs(language, currencyChosen ? ctx.currency : language === "ko" ? "KRW" : "USD");
});
currencySelect.addEventListener("change", () => {
  currencyChosen = true;
  setPrefs(ctx.language, currencySelect.value as Currency);
});

const loading = setupLoading(ctx, onLoaded);
const initial: Language = navigator.language.toLowerCase().startsWith("ko") ? "ko" : "en";
setPrefs(initial, initial === "ko" ? "KRW" : "USD");
show(current);

engine
  .hello()
  .then(({ value }) => {
    ctx.methods = new Set(value.methods);
    document.body.dataset.engine = value.version;
    for (const v of views) v.onData();
    // Start with the sample shop so the page shows something at once.
    return loading.generate(100_000);
  })
  .catch((e: unknown) => {
    byId("error").textContent = String(e instanceof Error ? e.message : e);
    byId("error").hidden = false;
  });
