/**
 * Campaigns: KPIs per campaign with goal achievement, the A/B test found in the data, and
 * the A/B and sample size calculators.
 */
import type { AbTestResult, CampaignOptions, CampaignResult, ExperimentResult, KpiRow, SampleSizeResult, VariantResult } from "insitu";
import { hbarChart } from "../charts/bars.js";
import { categories, type Context } from "../context.js";
import { checkbox, h, input, select } from "../dom.js";
import { t } from "../i18n/index.js";
import { card, dataTable, figure, note } from "../ui.js";
import { WINDOWS } from "./funnel.js";
import { code, Panel } from "./panel.js";
import { panelView, type View } from "./view.js";

type Target = "conversionRate" | "openRate" | "ctr";
const TARGETS: { metric: Target; key: "campaigns.target.conversionRate" | "campaigns.target.openRate" | "campaigns.target.ctr"; value: number }[] = [
  { metric: "conversionRate", key: "campaigns.target.conversionRate", value: 3 },
  { metric: "openRate", key: "campaigns.target.openRate", value: 20 },
  { metric: "ctr", key: "campaigns.target.ctr", value: 3 },
];

export function campaignsView(ctx: Context): View {
  const state = { window: "7d", attributeTo: "delivered" as NonNullable<CampaignOptions["attributeTo"]>, targets: Object.fromEntries(TARGETS.map((x) => [x.metric, x.value])) as Record<Target, number> };
  const options = (): CampaignOptions => ({
    attributionWindow: state.window,
    attributeTo: state.attributeTo,
    targets: Object.fromEntries(Object.entries(state.targets).filter(([, v]) => Number.isFinite(v) && v > 0).map(([k, v]) => [k, v / 100])),
  });

  const kpis = new Panel<CampaignResult>({
    name: "campaigns",
    title: "campaigns.title",
    intro: "campaigns.intro",
    run: () => ctx.engine.call("campaigns", options()),
    query: () => ({ code: code("campaigns", [options()]), method: "campaigns", args: [options()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      if (r.campaigns.length === 0) {
        body.replaceChildren(note(t("campaigns.none", { event: r.settings.sent })));
        return;
      }
      const rate = (x: { value: number | null } | null) => x?.value ?? null;
      const goalText = (row: KpiRow) =>
        row.goals.map((g) => `${t(`campaigns.metric.${g.metric as Target}`)} ${f.pct((g.achievement ?? 0) / 100, 0)} ${g.met ? "✓" : "✗"}`).join(" · ") || "–";
      const rows = [...r.campaigns, r.total];
      const top = [...r.campaigns].sort((a, b) => (rate(b.conversionRate) ?? 0) - (rate(a.conversionRate) ?? 0)).slice(0, 12);
      body.replaceChildren(
        h(
          "div",
          { class: "cards" },
          card("campaign-recipients", t("campaigns.recipients"), f.int(r.total.recipients), r.total.recipients),
          card("campaign-open-rate", t("campaigns.metric.openRate"), f.pct(rate(r.total.openRate)), rate(r.total.openRate)),
          card("campaign-conversion-rate", t("campaigns.metric.conversionRate"), f.pct(rate(r.total.conversionRate)), rate(r.total.conversionRate)),
          card("campaign-revenue", t("metric.revenue"), f.money(r.total.revenue), r.total.revenue),
          card(
            "campaign-goals-met",
            t("campaigns.goalsMet"),
            `${f.int(r.campaigns.filter((c) => c.goals.length > 0 && c.goals.every((g) => g.met)).length)} / ${f.int(r.campaigns.length)}`,
            r.campaigns.filter((c) => c.goals.length > 0 && c.goals.every((g) => g.met)).length,
          ),
        ),
        figure(
          "campaign-conversion",
          t("campaigns.chart"),
          hbarChart(t("campaigns.chart"), top.map((c) => ({ label: c.name, value: rate(c.conversionRate) ?? 0 })), (v) => f.pct(v)),
        ),
        dataTable<KpiRow>(
          "campaigns",
          t("campaigns.table"),
          [
            { label: t("col.campaign"), value: (c) => c.name, text: (c) => (c === r.total ? t("campaigns.total") : c.name) },
            { label: t("col.firstSent"), value: (c) => (c.firstSent === null ? null : new Date(c.firstSent).toISOString()), text: (c) => f.date(c.firstSent) },
            { label: t("campaigns.recipients"), value: (c) => c.recipients, text: (c) => f.int(c.recipients), numeric: true, key: (c) => `recipients-${c.name}` },
            { label: t("campaigns.metric.openRate"), value: (c) => rate(c.openRate), text: (c) => f.pct(rate(c.openRate)), numeric: true },
            { label: t("campaigns.metric.ctr"), value: (c) => rate(c.ctr), text: (c) => f.pct(rate(c.ctr)), numeric: true },
            { label: t("campaigns.converters"), value: (c) => c.converters, text: (c) => f.int(c.converters), numeric: true, key: (c) => `converters-${c.name}` },
            { label: t("campaigns.metric.conversionRate"), value: (c) => rate(c.conversionRate), text: (c) => f.pct(rate(c.conversionRate)), numeric: true },
            { label: t("metric.revenue"), value: (c) => c.revenue, text: (c) => f.money(c.revenue), numeric: true, key: (c) => `revenue-${c.name}` },
            { label: t("campaigns.revenuePerRecipient"), value: (c) => c.revenuePerRecipient, text: (c) => f.money(c.revenuePerRecipient), numeric: true },
            { label: t("campaigns.goals"), value: (c) => c.goals.map((g) => `${g.metric}:${g.achievement ?? ""}:${g.met}`).join(";"), text: goalText },
          ],
          rows,
        ),
      );
    },
  });

  const exp = { assignment: "", window: "7d" };
  const experiment = new Panel<ExperimentResult>({
    name: "experiment",
    title: "experiment.title",
    intro: "experiment.intro",
    run: () => ctx.engine.call("experiment", { assignment: exp.assignment, window: exp.window }),
    query: () => ({ code: code("experiment", [{ assignment: exp.assignment, window: exp.window }]), method: "experiment", args: [{ assignment: exp.assignment, window: exp.window }] }),
    draw: (r, body) => body.replaceChildren(...abResult(ctx, r, "experiment")),
  });

  const ab = { a: { exposures: 1000, conversions: 100 }, b: { exposures: 1000, conversions: 130 }, alpha: 0.05 };
  const abOptions = () => ({ variants: [{ name: "A", ...ab.a }, { name: "B", ...ab.b }], alpha: ab.alpha });
  const abPanel = new Panel<AbTestResult>({
    name: "ab-calculator",
    title: "ab.title",
    intro: "ab.intro",
    needsData: false,
    run: () => ctx.engine.abTest(abOptions()),
    query: () => ({ code: code("abTest", [abOptions()], "insitu").replace("insitu.", ""), method: "abTest", args: [abOptions()] }),
    draw: (r, body) => body.replaceChildren(...abResult(ctx, r, "ab")),
  });

  const ss = { baseline: 10, effect: 2, relative: false, alpha: 0.05, power: 0.8 };
  const ssOptions = () => ({ baseline: ss.baseline / 100, minDetectableEffect: ss.relative ? ss.effect / 100 : ss.effect / 100, relative: ss.relative, alpha: ss.alpha, power: ss.power });
  const ssPanel = new Panel<SampleSizeResult>({
    name: "sample-size",
    title: "ss.title",
    intro: "ss.intro",
    needsData: false,
    run: () => ctx.engine.sampleSize(ssOptions()),
    query: () => ({ code: code("sampleSize", [ssOptions()], "insitu").replace("insitu.", ""), method: "sampleSize", args: [ssOptions()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      body.replaceChildren(
        h(
          "div",
          { class: "cards" },
          card("ss-per-variant", t("ss.perVariant"), f.int(r.perVariant), r.perVariant),
          card("ss-total", t("ss.total"), f.int(r.total), r.total),
          card("ss-target", t("ss.target"), f.pct(r.target, 2), r.target, t("ss.from", { base: f.pct(r.baseline, 2) })),
        ),
      );
    },
  });

  // Calculator controls do not depend on the data: built once.
  const num = (key: Parameters<typeof input>[0], value: number, attrs: Record<string, string | number>, set: (v: number) => void, panel: Panel<unknown>) => {
    const field = input(key, { type: "number", value, inputmode: "decimal", ...attrs });
    let timer: ReturnType<typeof setTimeout> | undefined;
    field.input.addEventListener("input", () => {
      const v = Number(field.input.value);
      if (field.input.value === "" || !Number.isFinite(v)) return;
      set(v);
      clearTimeout(timer);
      const started = performance.now();
      timer = setTimeout(() => void panel.update(started), 150);
    });
    return field.field;
  };
  const alphaOptions = ["0.01", "0.05", "0.1"].map((v) => ({ value: v, text: v }));
  const abAlpha = select("ab.alpha", alphaOptions, String(ab.alpha), { "data-control": "ab-alpha" });
  abAlpha.input.addEventListener("change", () => {
    ab.alpha = Number(abAlpha.input.value);
    void abPanel.update();
  });
  const abp = abPanel as unknown as Panel<unknown>;
  abPanel.controls.append(
    h(
      "div",
      { class: "row" },
      h("fieldset", {}, h("legend", { "data-i18n": "ab.variantA" }, t("ab.variantA")),
        num("ab.exposures", ab.a.exposures, { min: 1, step: 1, "data-control": "ab-a-exposures" }, (v) => (ab.a.exposures = v), abp),
        num("ab.conversions", ab.a.conversions, { min: 0, step: 1, "data-control": "ab-a-conversions" }, (v) => (ab.a.conversions = v), abp)),
      h("fieldset", {}, h("legend", { "data-i18n": "ab.variantB" }, t("ab.variantB")),
        num("ab.exposures", ab.b.exposures, { min: 1, step: 1, "data-control": "ab-b-exposures" }, (v) => (ab.b.exposures = v), abp),
        num("ab.conversions", ab.b.conversions, { min: 0, step: 1, "data-control": "ab-b-conversions" }, (v) => (ab.b.conversions = v), abp)),
      abAlpha.field,
    ),
  );
  const ssp = ssPanel as unknown as Panel<unknown>;
  const relative = checkbox("ss.relative", ss.relative, { "data-control": "ss-relative" });
  relative.input.addEventListener("change", () => {
    ss.relative = relative.input.checked;
    void ssPanel.update();
  });
  const ssAlpha = select("ab.alpha", alphaOptions, String(ss.alpha), { "data-control": "ss-alpha" });
  ssAlpha.input.addEventListener("change", () => {
    ss.alpha = Number(ssAlpha.input.value);
    void ssPanel.update();
  });
  const power = select("ss.power", ["0.8", "0.9", "0.95"].map((v) => ({ value: v, text: v })), String(ss.power), { "data-control": "ss-power" });
  power.input.addEventListener("change", () => {
    ss.power = Number(power.input.value);
    void ssPanel.update();
  });
  ssPanel.controls.append(
    h(
      "div",
      { class: "row" },
      num("ss.baseline", ss.baseline, { min: 0.01, max: 99.99, step: 0.1, "data-control": "ss-baseline" }, (v) => (ss.baseline = v), ssp),
      num("ss.effect", ss.effect, { min: 0.01, step: 0.1, "data-control": "ss-effect" }, (v) => (ss.effect = v), ssp),
      relative.field,
      ssAlpha.field,
      power.field,
    ),
  );

  const setup = () => {
    const w = select("control.attributionWindow", WINDOWS.map((x) => ({ value: x, text: x })), state.window, { "data-control": "campaigns-window" });
    w.input.addEventListener("change", () => {
      state.window = w.input.value;
      void kpis.update();
    });
    const to = select(
      "campaigns.attributeTo",
      (["sent", "delivered", "opened", "clicked"] as const).map((v) => ({ value: v, key: `campaigns.attributeTo.${v}` as const })),
      state.attributeTo,
      { "data-control": "campaigns-attribute-to" },
    );
    to.input.addEventListener("change", () => {
      state.attributeTo = to.input.value as typeof state.attributeTo;
      void kpis.update();
    });
    const targets = TARGETS.map((x) =>
      num(x.key, state.targets[x.metric], { min: 0, max: 100, step: 0.5, "data-control": `campaigns-target-${x.metric}` }, (v) => (state.targets[x.metric] = v), kpis as unknown as Panel<unknown>),
    );
    kpis.controls.replaceChildren(h("div", { class: "row" }, w.field, to.field, ...targets));

    const props = categories(ctx.summary, "events");
    exp.assignment = props.includes("variant") ? "variant" : (props[0] ?? "variant");
    const a = select("experiment.assignment", props.map((p) => ({ value: p, text: p })), exp.assignment, { "data-control": "experiment-assignment" });
    a.input.addEventListener("change", () => {
      exp.assignment = a.input.value;
      void experiment.update();
    });
    const ew = select("control.window", WINDOWS.map((x) => ({ value: x, text: x })), exp.window, { "data-control": "experiment-window" });
    ew.input.addEventListener("change", () => {
      exp.window = ew.input.value;
      void experiment.update();
    });
    experiment.controls.replaceChildren(h("div", { class: "row" }, a.field, ew.field));
  };

  return panelView("campaigns", "tab.campaigns", [kpis, experiment, abPanel, ssPanel], setup);
}

/** The headline and per-variant table of an A/B result (calculator or experiment). */
function abResult(ctx: Context, r: AbTestResult, name: string): HTMLElement[] {
  const f = ctx.fmt;
  const verdict = r.significant
    ? t("ab.significant", { treatment: r.treatment, control: r.control, p: f.num(r.pValue, 4) })
    : t("ab.notSignificant", { p: f.num(r.pValue, 4) });
  return [
    h("p", { class: r.significant ? "verdict good" : "verdict", "data-key": `${name}-significant`, "data-value": String(r.significant) }, verdict),
    h(
      "div",
      { class: "cards" },
      card(`${name}-p-value`, t("ab.pValue"), f.num(r.pValue, 4), r.pValue),
      card(`${name}-lift`, t("ab.lift"), f.pct(r.lift), r.lift),
      card(`${name}-difference`, t("ab.difference"), f.pct(r.difference.estimate, 2), r.difference.estimate, `${f.pct(r.difference.low, 2)} … ${f.pct(r.difference.high, 2)}`),
      card(`${name}-p-beat`, t("ab.probabilityToBeat"), f.pct(r.probabilityToBeat), r.probabilityToBeat),
    ),
    r.notEnoughData ? note(t("ab.notEnoughData")) : h("span"),
    dataTable<VariantResult>(`${name}-variants`, t("ab.variants"), [
      { label: t("col.variant"), value: (v) => v.name },
      { label: t("ab.exposures"), value: (v) => v.exposures, text: (v) => f.int(v.exposures), numeric: true, key: (v) => `${name}-${v.name}-exposures` },
      { label: t("ab.conversions"), value: (v) => v.conversions, text: (v) => f.int(v.conversions), numeric: true, key: (v) => `${name}-${v.name}-conversions` },
      { label: t("col.conversion"), value: (v) => v.rate.value, text: (v) => `${f.pct(v.rate.value, 2)} (${f.pct(v.rate.low, 1)} … ${f.pct(v.rate.high, 1)})`, numeric: true },
      { label: t("ab.lift"), value: (v) => v.lift, text: (v) => f.pct(v.lift), numeric: true },
      { label: t("ab.pValue"), value: (v) => v.pValue, text: (v) => f.num(v.pValue, 4), numeric: true },
      { label: t("ab.probabilityToBest"), value: (v) => v.probabilityToBeBest, text: (v) => f.pct(v.probabilityToBeBest), numeric: true },
    ], r.variants),
  ];
}
