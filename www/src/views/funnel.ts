/**
 * AARRR funnel: a funnel of chosen steps (mode, window, breakdown, trend) with drop-off,
 * time to convert and member exports; and the AARRR preset's stage figures.
 */
import type { AarrrResult, FunnelOptions, FunnelResult, FunnelStepResult } from "insitu";
import { barChart, funnelChart, hbarChart } from "../charts/bars.js";
import { lineChart } from "../charts/lines.js";
import { categories, eventsByCount, type Context } from "../context.js";
import { h, select, type Option } from "../dom.js";
import { t } from "../i18n/index.js";
import { card, dataTable, figure, memberExport, note } from "../ui.js";
import { code, Panel } from "./panel.js";
import { panelView, type View } from "./view.js";

const SHOP_STEPS = ["visit", "view_product", "add_to_cart", "begin_checkout", "purchase"];
export const WINDOWS = ["1d", "3d", "7d", "14d", "30d", "90d"];

type FunnelData = Omit<FunnelResult, "customers">;

export function funnelView(ctx: Context): View {
  let steps: string[] = [];
  let mode: NonNullable<FunnelOptions["mode"]> = "ordered";
  let window = "14d";
  let breakdown = "";
  let trend = "week";
  let ttcPair = -1;

  const options = (): FunnelOptions => {
    const o: FunnelOptions = { steps: [...steps], mode, window };
    if (breakdown) {
      const [kind, name] = breakdown.split(":") as ["property" | "attribute", string];
      o.breakdown = kind === "property" ? { property: name } : { attribute: name };
    }
    if (trend) o.trend = trend as "day" | "week" | "month";
    return o;
  };

  const funnel = new Panel<FunnelData>({
    name: "funnel",
    title: "funnel.title",
    intro: "funnel.intro",
    run: () => ctx.engine.call("funnel", options()),
    query: () => ({ code: code("funnel", [options()]), method: "funnel", args: [options()] }),
    draw: (r, body) => drawFunnel(ctx, r, body, options(), ttcPair, (pair) => {
      ttcPair = pair;
      funnel.rerender();
    }),
  });

  let aarrrWindow = "30d";
  const aarrr = new Panel<AarrrResult>({
    name: "aarrr",
    title: "aarrr.title",
    intro: "aarrr.intro",
    run: () => ctx.engine.call("aarrr", { window: aarrrWindow, allowMissing: true }),
    query: () => ({ code: code("aarrr", [{ window: aarrrWindow, allowMissing: true }]), method: "aarrr", args: [{ window: aarrrWindow, allowMissing: true }] }),
    draw: (r, body) => drawAarrr(ctx, r, body),
  });
  const aw = select("control.window", WINDOWS.map((w) => ({ value: w, text: w })), aarrrWindow, { "data-control": "aarrr-window" });
  aw.input.addEventListener("change", () => {
    aarrrWindow = aw.input.value;
    void aarrr.update();
  });
  aarrr.controls.append(h("div", { class: "row" }, aw.field));

  const setup = () => {
    const events = eventsByCount(ctx.summary);
    const shop = SHOP_STEPS.filter((e) => events.includes(e));
    steps = shop.length >= 2 ? shop : events.slice(0, Math.min(3, events.length));
    buildControls();
  };

  const buildControls = () => {
    const events = ctx.summary?.eventNames ?? [];
    const eventOptions: Option[] = events.map((e) => ({ value: e, text: e }));
    const stepList = h("ol", { class: "steps" });
    steps.forEach((step, i) => {
      const s = select("funnel.step", eventOptions, step, { "data-control": `funnel-step-${i}` });
      s.field.querySelector("label")!.textContent = t("funnel.step.n", { n: i + 1 });
      s.field.querySelector("label")!.removeAttribute("data-i18n");
      s.input.addEventListener("change", () => {
        steps[i] = s.input.value;
        void funnel.update();
      });
      const remove = h("button", { type: "button", class: "small ghost", "aria-label": t("funnel.removeStep", { n: i + 1 }), disabled: steps.length <= 2 }, "×");
      remove.addEventListener("click", () => {
        steps.splice(i, 1);
        buildControls();
        void funnel.update();
      });
      stepList.append(h("li", {}, s.field, remove));
    });
    const add = h("button", { type: "button", class: "small", "data-i18n": "funnel.addStep", disabled: steps.length >= 20 || events.length === 0 }, t("funnel.addStep"));
    add.addEventListener("click", () => {
      steps.push(events.find((e) => !steps.includes(e)) ?? events[0] ?? "");
      buildControls();
      void funnel.update();
      (funnel.controls.querySelector(`[data-control="funnel-step-${steps.length - 1}"]`) as HTMLElement | null)?.focus();
    });
    const modeSel = select(
      "control.mode",
      [
        { value: "ordered", key: "funnel.mode.ordered" },
        { value: "strict", key: "funnel.mode.strict" },
        { value: "unordered", key: "funnel.mode.unordered" },
      ],
      mode,
      { "data-control": "funnel-mode" },
    );
    modeSel.input.addEventListener("change", () => {
      mode = modeSel.input.value as typeof mode;
      void funnel.update();
    });
    const windowSel = select("control.window", WINDOWS.map((w) => ({ value: w, text: w })), window, { "data-control": "funnel-window" });
    windowSel.input.addEventListener("change", () => {
      window = windowSel.input.value;
      void funnel.update();
    });
    const props = categories(ctx.summary, "events").map((p) => ({ value: `property:${p}`, text: t("funnel.breakdown.property", { name: p }) }));
    const attrs = categories(ctx.summary, "customers").map((p) => ({ value: `attribute:${p}`, text: t("funnel.breakdown.attribute", { name: p }) }));
    if (breakdown && ![...props, ...attrs].some((o) => o.value === breakdown)) breakdown = "";
    const bdSel = select("control.breakdown", [{ value: "", key: "control.none" }, ...props, ...attrs], breakdown, { "data-control": "funnel-breakdown" });
    bdSel.input.addEventListener("change", () => {
      breakdown = bdSel.input.value;
      void funnel.update();
    });
    const trendSel = select(
      "control.trend",
      [{ value: "", key: "control.none" }, { value: "day", key: "period.day" }, { value: "week", key: "period.week" }, { value: "month", key: "period.month" }],
      trend,
      { "data-control": "funnel-trend" },
    );
    trendSel.input.addEventListener("change", () => {
      trend = trendSel.input.value;
      void funnel.update();
    });
    funnel.controls.replaceChildren(
      h("fieldset", { class: "steps-box" }, h("legend", { "data-i18n": "funnel.steps" }, t("funnel.steps")), stepList, add),
      h("div", { class: "row" }, modeSel.field, windowSel.field, bdSel.field, trendSel.field),
    );
  };

  return panelView("funnel", "tab.funnel", [funnel, aarrr], setup, { rerender: () => buildControls() });

  function drawFunnel(ctx: Context, r: FunnelData, body: HTMLElement, query: FunnelOptions, pair: number, setPair: (pair: number) => void): void {
    const f = ctx.fmt;
    const words = { reached: t("funnel.reached"), dropped: t("funnel.dropped") };
    const parts: (HTMLElement | null)[] = [];
    parts.push(figure("funnel", t("funnel.chart"), funnelChart(t("funnel.chart"), r.steps, f, words)));
    const exportCell = (s: FunnelStepResult) =>
      s.index === 0
        ? h("span")
        : memberExport(t("funnel.exportDropped"), `funnel-dropped-step-${s.index + 1}`, async () =>
            (await ctx.engine.callMember("funnel", [query], "customers", s.index - 1, "dropped")).value,
          );
    const table = dataTable<FunnelStepResult>("funnel-steps", t("funnel.table"), [
      { label: t("col.step"), value: (s) => s.name },
      { label: t("col.customers"), value: (s) => s.count, text: (s) => f.int(s.count), numeric: true, key: (s) => `step-${s.index}-count` },
      { label: t("col.conversion"), value: (s) => s.conversion, text: (s) => f.pct(s.conversion), numeric: true, key: (s) => `step-${s.index}-conversion` },
      { label: t("col.stepConversion"), value: (s) => s.stepConversion, text: (s) => f.pct(s.stepConversion), numeric: true },
      { label: t("col.dropOff"), value: (s) => s.dropOff, text: (s) => f.int(s.dropOff), numeric: true, key: (s) => `step-${s.index}-dropoff` },
      { label: t("col.dropOffRate"), value: (s) => s.dropOffRate, text: (s) => f.pct(s.dropOffRate), numeric: true },
      { label: t("col.medianTime"), value: (s) => s.medianTimeMs, text: (s) => f.duration(s.medianTimeMs), numeric: true },
    ], r.steps);
    // Member exports per step, for a CRM tool.
    const rows = table.querySelectorAll("tbody tr");
    r.steps.forEach((s, i) => rows[i]?.append(h("td", {}, exportCell(s))));
    table.querySelector("thead tr")?.append(h("th", { scope: "col" }, t("col.members")));
    parts.push(table);
    if (r.excluded > 0) parts.push(note(t("funnel.excluded", { n: f.int(r.excluded) })));

    if (r.breakdown) {
      const last = r.steps.length - 1;
      const values = r.breakdown.values;
      parts.push(
        figure(
          "funnel-breakdown",
          t("funnel.breakdownChart", { name: r.breakdown.name }),
          hbarChart(
            t("funnel.breakdownChart", { name: r.breakdown.name }),
            values.map((v) => ({ label: v.value, value: v.steps[last]?.conversion ?? 0, title: `${v.value}: ${f.pct(v.steps[last]?.conversion)} (${f.int(v.steps[last]?.count)} / ${f.int(v.steps[0]?.count)})` })),
            (v) => f.pct(v),
          ),
        ),
        dataTable(
          "funnel-breakdown",
          t("funnel.breakdownTable", { name: r.breakdown.name }),
          [
            { label: r.breakdown.name, value: (v) => v.value },
            ...r.steps.map((s, i) => ({
              label: s.name,
              value: (v: (typeof values)[number]) => v.steps[i]?.count ?? 0,
              text: (v: (typeof values)[number]) => f.int(v.steps[i]?.count ?? 0),
              numeric: true,
              key: (v: (typeof values)[number]) => `bd-${v.value}-${i}`,
            })),
            { label: t("col.conversion"), value: (v) => v.steps[last]?.conversion ?? null, text: (v) => f.pct(v.steps[last]?.conversion), numeric: true },
          ],
          values,
        ),
      );
    }

    const pairs = r.timeToConvert;
    if (pairs.length > 0) {
      const chosen = pairs[pair >= 0 && pair < pairs.length ? pair : pairs.length - 1]!;
      const name = (i: number) => r.steps[i]?.name ?? String(i + 1);
      const pairSel = select(
        "funnel.ttcPair",
        pairs.map((p, i) => ({ value: String(i), text: `${name(p.fromStep)} → ${name(p.toStep)}` })),
        String(pairs.indexOf(chosen)),
        { "data-control": "funnel-ttc-pair" },
      );
      pairSel.input.addEventListener("change", () => setPair(Number(pairSel.input.value)));
      parts.push(
        h(
          "div",
          { class: "subpanel" },
          h("h4", {}, t("funnel.ttc")),
          h("div", { class: "row" }, pairSel.field, h("p", { class: "note" }, t("funnel.ttcSummary", { n: f.int(chosen.customers), median: f.duration(chosen.medianMs), mean: f.duration(chosen.meanMs) }))),
          chosen.histogram.length > 0
            ? figure(
                "time-to-convert",
                t("funnel.ttc"),
                barChart(
                  t("funnel.ttc"),
                  chosen.histogram.map((b) => ({ label: f.duration(b.startMs), value: b.customers, title: `${f.duration(b.startMs)} – ${f.duration(b.endMs)}: ${f.int(b.customers)}` })),
                  (v) => f.int(v),
                  { height: 220 },
                ),
              )
            : note(t("funnel.ttcNone")),
        ),
      );
    }

    if (r.trend && r.trend.length > 0) {
      const period = (query.trend ?? "week") as "day" | "week" | "month";
      parts.push(
        figure(
          "funnel-trend",
          t("funnel.trendChart"),
          lineChart(t("funnel.trendChart"), [{ name: t("col.conversion"), points: r.trend.map((p) => ({ x: p.start, y: p.conversion, title: `${f.period(p.start, period)}: ${f.pct(p.conversion)} (${f.int(p.converted)} / ${f.int(p.entered)})` })) }], {
            xFormat: (x) => f.period(x, period),
            yFormat: (y) => f.pct(y, 0),
            height: 240,
          }),
        ),
      );
    }
    body.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  }

  function drawAarrr(ctx: Context, r: AarrrResult, body: HTMLElement): void {
    const f = ctx.fmt;
    const x = r.figures;
    const stage = (title: string, ...cards: HTMLElement[]) => h("div", { class: "stage" }, h("h4", {}, title), h("div", { class: "cards small" }, ...cards));
    const top = x.visitorsBySource.slice(0, 3).map((s) => `${s.source} ${f.int(s.customers)}`).join(" · ");
    body.replaceChildren(
      h(
        "div",
        { class: "stages" },
        stage(t("aarrr.acquisition"), card("visitors", t("aarrr.visitors"), f.int(x.visitors), x.visitors, top)),
        stage(
          t("aarrr.activation"),
          card("signup-rate", t("aarrr.signupRate"), f.pct(x.signupRate), x.signupRate, t("aarrr.ofVisitors", { n: f.int(x.activated) })),
          card("first-purchase-rate", t("aarrr.firstPurchaseRate"), f.pct(x.firstPurchaseRate), x.firstPurchaseRate),
        ),
        stage(
          t("aarrr.retention"),
          card("revisit-rate", t("aarrr.revisitRate"), f.pct(x.revisitRate), x.revisitRate),
          card("repeat-purchase-rate", t("metric.repeatRate"), f.pct(x.repeatPurchaseRate), x.repeatPurchaseRate),
        ),
        stage(
          t("aarrr.referral"),
          card("referrers", t("aarrr.referrers"), f.int(x.referrers), x.referrers),
          card("viral-coefficient", t("aarrr.viral"), f.num(x.viralCoefficient, 2), x.viralCoefficient),
        ),
        stage(
          t("aarrr.revenue"),
          card("aarrr-revenue", t("metric.revenue"), f.money(x.revenue), x.revenue, x.revenueGrowth === null ? undefined : t("aarrr.growth", { pct: f.pct(x.revenueGrowth) })),
          card("aarrr-ltv", t("metric.revenuePerBuyer"), f.money(x.ltv), x.ltv),
        ),
      ),
      figure("aarrr-funnel", t("aarrr.funnel"), funnelChart(t("aarrr.funnel"), r.funnel.steps, f, { reached: t("funnel.reached"), dropped: t("funnel.dropped") })),
    );
  }
}
