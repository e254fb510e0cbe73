/** Rule segments (text form, live count), transitions between two dates, and lookalike audiences. */
import type { LookalikeCoefficient, LookalikeOptions, LookalikeResult, SegmentDefinition, SegmentField, SegmentResult, TransitionsOptions, TransitionsResult } from "insitu";
import { heatmap } from "../charts/heatmap.js";
import { lastDay, type Context } from "../context.js";
import { checkbox, h, input, label, nextId, select } from "../dom.js";
import { downloadCsv, downloadTableCsv, tableRowsToCsv } from "../export.js";
import { t, type Key } from "../i18n/index.js";
import { card, dataTable, figure } from "../ui.js";
import { code, Panel } from "./panel.js";

const DAY = 86_400_000;
/** The standard RFM segment names, in the engine's table order. */
export const RFM_SEGMENTS = ["Champions", "Loyal Customers", "Potential Loyalist", "New Customers", "Promising", "Need Attention", "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"];
const STAGES = ["new", "repeat", "dormant", "churned", "prospect"];

/** The rule-segment editor: the text form, counted live as it is typed. */
export function rulePanel(ctx: Context): { panel: Panel<SegmentResult>; setup: () => void } {
  const state = { name: "lapsed repeat buyers", where: "orders >= 2 and days_since_last_order > 90" };
  const definition = (): SegmentDefinition => ({ name: state.name, where: state.where });
  const panel = new Panel<SegmentResult>({
    name: "segment",
    title: "rule.title",
    intro: "rule.intro",
    run: () => ctx.engine.call("segment", definition()),
    query: () => ({ code: code("segment", [definition()]), method: "segment", args: [definition()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const exportButton = h("button", { type: "button", class: "small", "data-export": "segment-members.csv", disabled: r.count === 0 }, t("rule.export"));
      exportButton.addEventListener("click", () => downloadTableCsv(`segment-${r.name.replace(/\W+/g, "-").toLowerCase() || "members"}`, r.members));
      body.replaceChildren(
        h(
          "div",
          { class: "cards" },
          card("segment-count", t("rule.count"), f.int(r.count), r.count, t("rule.of", { n: f.int(r.population), pct: f.pct(r.share) })),
          card("segment-revenue", t("metric.revenue"), f.money(r.revenue), r.revenue, t("rule.revenueShare", { pct: f.pct(r.revenueShare) })),
          card("segment-orders", t("metric.orders"), f.int(r.orders), r.orders),
          card("segment-spend", t("rule.meanSpend"), f.money(r.spend.mean), r.spend.mean, t("rule.median", { v: f.money(r.spend.median) })),
        ),
        h("p", { class: "row" }, exportButton, h("span", { class: "note" }, t("rule.fields", { fields: r.fields.join(", ") }))),
        r.warnings.length > 0 ? h("ul", { class: "problems" }, ...r.warnings.map((w) => h("li", {}, w))) : h("span"),
      );
    },
  });
  const help = h("details", { class: "fields-help" });
  const setup = () => {
    const nameField = input("rule.name", { type: "text", value: state.name, "data-control": "segment-name" });
    const id = nextId("rule");
    const where = h("textarea", { id, class: "rule", rows: 2, spellcheck: "false", "data-control": "segment-where" });
    where.value = state.where;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = () => {
      state.name = nameField.input.value;
      state.where = where.value;
      clearTimeout(timer);
      const started = performance.now();
      timer = setTimeout(() => void panel.update(started), 250);
    };
    where.addEventListener("input", changed);
    nameField.input.addEventListener("input", changed);
    panel.controls.replaceChildren(nameField.field, h("div", { class: "field wide" }, label(id, "rule.where"), where), help);
    help.replaceChildren(h("summary", { "data-i18n": "rule.help" }, t("rule.help")));
    if (ctx.summary) {
      void ctx.engine.call("segmentFields").then(({ value }) => {
        help.append(h("p", {}, ...value.map((fl: SegmentField) => h("code", { title: fl.description }, fl.usage || fl.name))));
      }, () => {});
    }
  };
  return { panel, setup };
}

/** How customers moved between CRM stages from one date to another. */
export function transitionsPanel(ctx: Context): { panel: Panel<TransitionsResult>; setup: () => void } {
  const state = { from: "", to: "" };
  const options = (): TransitionsOptions => ({ from: state.from, to: state.to, segments: STAGES.map((s) => ({ name: s, where: `stage = "${s}"` })) });
  const panel = new Panel<TransitionsResult>({
    name: "transitions",
    title: "transitions.title",
    intro: "transitions.intro",
    run: () => ctx.engine.call("transitions", options()),
    query: () => ({ code: code("transitions", [options()]), method: "transitions", args: [options()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const name = (l: string) => (l === "none" ? t("transitions.none") : t(`stage.${l}` as Key));
      const exportButton = h("button", { type: "button", class: "small", "data-export": "transitions.csv" }, t("transitions.export"));
      exportButton.addEventListener("click", () => downloadTableCsv("stage-transitions", r.customers));
      body.replaceChildren(
        h(
          "div",
          { class: "cards" },
          card("transitions-stayed", t("transitions.stayed"), f.int(r.stayed), r.stayed),
          card("transitions-moved", t("transitions.moved"), f.int(r.moved), r.moved),
          card("transitions-entered", t("transitions.entered"), f.int(r.entered), r.entered),
        ),
        figure(
          "transitions",
          t("transitions.chart", { from: f.date(r.from), to: f.date(r.to) }),
          heatmap(t("transitions.chart", { from: f.date(r.from), to: f.date(r.to) }), {
            rows: r.labels.map((l, i) => `${name(l)} · ${f.int(r.fromTotals[i])}`),
            columns: r.labels.map(name),
            values: r.rates,
            titles: r.labels.map((from, i) => r.labels.map((to, j) => t("transitions.cell", { from: name(from), to: name(to), n: f.int(r.counts[i]?.[j]), rate: f.pct(r.rates[i]?.[j]) }))),
            format: (v) => f.pct(v, 0),
            max: 1,
            rowLabelWidth: 160,
            cellHeight: 30,
          }),
        ),
        dataTable(
          "transitions",
          t("transitions.table"),
          [
            { label: t("transitions.fromTo"), value: (i: number) => r.labels[i], text: (i) => name(r.labels[i]!) },
            ...r.labels.map((to, j) => ({
              label: name(to),
              value: (i: number) => r.counts[i]?.[j] ?? 0,
              text: (i: number) => f.int(r.counts[i]?.[j]),
              numeric: true,
              key: (i: number) => `tr-${r.labels[i]}-${to}`,
            })),
          ],
          r.labels.map((_, i) => i),
        ),
        h("p", {}, exportButton),
      );
    },
  });
  const setup = () => {
    state.to = lastDay(ctx.summary);
    state.from = new Date(Date.parse(state.to) - 90 * DAY).toISOString().slice(0, 10);
    const from = input("transitions.from", { type: "date", value: state.from, "data-control": "transitions-from" });
    const to = input("transitions.to", { type: "date", value: state.to, "data-control": "transitions-to" });
    for (const [field, key] of [[from, "from"], [to, "to"]] as const) {
      field.input.addEventListener("change", () => {
        if (!field.input.value) return;
        state[key] = field.input.value;
        void panel.update();
      });
    }
    panel.controls.replaceChildren(from.field, to.field);
  };
  return { panel, setup };
}

const FEATURES = ["country", "acquisition_channel", "events(view_product, 30d)", "events(visit, 30d)", "days_since_last_seen", "orders", "revenue"];

/** Customers who look like a seed segment. */
export function lookalikePanel(ctx: Context): { panel: Panel<LookalikeResult>; setup: () => void } {
  const state = { seed: "Champions", population: "nonBuyers" as "nonBuyers" | "others", features: new Set(FEATURES.slice(0, 5)), available: new Set(FEATURES) };
  const options = (): LookalikeOptions => ({
    seed: `rfm_segment = "${state.seed.replace(/"/g, '\\"')}"`,
    ...(state.population === "nonBuyers" ? { population: "orders = 0" } : {}),
    features: [...state.features].filter((x) => state.available.has(x)),
  });
  const panel = new Panel<LookalikeResult>({
    name: "lookalike",
    title: "lookalike.title",
    intro: "lookalike.intro",
    run: () => ctx.engine.call("lookalike", options()),
    query: () => ({ code: code("lookalike", [options()]), method: "lookalike", args: [options()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const exportButton = h("button", { type: "button", class: "small", "data-export": "lookalike-audience.csv" }, t("lookalike.export", { n: f.int(r.audienceSize) }));
      exportButton.addEventListener("click", () => downloadCsv("lookalike-audience", tableRowsToCsv(r.audience, Array.from({ length: r.audience.numRows }, (_, i) => i))));
      const top = [...r.coefficients].sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient)).slice(0, 12);
      body.replaceChildren(
        h(
          "div",
          { class: "cards" },
          card("lookalike-seed", t("lookalike.seed"), f.int(r.seed), r.seed),
          card("lookalike-population", t("lookalike.population"), f.int(r.population), r.population),
          card("lookalike-audience", t("lookalike.audience"), f.int(r.audienceSize), r.audienceSize),
          card("lookalike-auc", t("lookalike.auc"), f.num(r.holdout.auc, 3), r.holdout.auc, t("lookalike.aucNote")),
          card("lookalike-lift", t("lookalike.lift"), f.num(r.holdout.liftAt10, 1), r.holdout.liftAt10),
        ),
        h("p", {}, exportButton),
        dataTable<LookalikeCoefficient>("lookalike-coefficients", t("lookalike.coefficients"), [
          { label: t("lookalike.feature"), value: (c) => c.feature },
          { label: t("lookalike.level"), value: (c) => c.level ?? "" },
          { label: t("lookalike.oddsRatio"), value: (c) => c.oddsRatio, text: (c) => f.num(c.oddsRatio, 2), numeric: true },
          { label: t("lookalike.coefficient"), value: (c) => c.coefficient, text: (c) => f.num(c.coefficient, 3), numeric: true },
        ], top),
        r.warnings.length > 0 ? h("ul", { class: "problems" }, ...r.warnings.map((w) => h("li", {}, w))) : h("span"),
      );
    },
  });
  const setup = () => {
    const seed = select("lookalike.seedSegment", RFM_SEGMENTS.map((s) => ({ value: s, text: s })), state.seed, { "data-control": "lookalike-seed" });
    seed.input.addEventListener("change", () => {
      state.seed = seed.input.value;
      void panel.update();
    });
    const population = select("lookalike.lookIn", [{ value: "nonBuyers", key: "lookalike.nonBuyers" }, { value: "others", key: "lookalike.others" }], state.population, { "data-control": "lookalike-population" });
    population.input.addEventListener("change", () => {
      state.population = population.input.value as typeof state.population;
      void panel.update();
    });
    const attributes = ctx.summary?.columns.find((c) => c.table === "customers")?.properties.filter((p) => p.kind === "category").map((p) => p.name) ?? [];
    const features = [...new Set([...attributes, ...FEATURES.filter((x) => !["country", "acquisition_channel"].includes(x) || attributes.includes(x))])];
    state.available = new Set(features);
    const boxes = features.map((x) => {
      const c = checkbox("lookalike.feature", state.features.has(x), { "data-control": `lookalike-feature-${x}` });
      c.field.querySelector("label")!.textContent = x;
      c.field.querySelector("label")!.removeAttribute("data-i18n");
      c.input.addEventListener("change", () => {
        if (c.input.checked) state.features.add(x);
        else state.features.delete(x);
        void panel.update();
      });
      return c.field;
    });
    panel.controls.replaceChildren(seed.field, population.field, h("fieldset", { class: "field wide" }, h("legend", { "data-i18n": "lookalike.features" }, t("lookalike.features")), h("div", { class: "checks" }, ...boxes)));
  };
  return { panel, setup };
}
