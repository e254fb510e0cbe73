/**
 * Lifetime value: cohort LTV curves, historical LTV by group, the BG/NBD + Gamma-Gamma fit
 * with its holdout check, and top customers by predicted CLV with CLV by RFM segment.
 * Panels whose engine (`ds.cohortLtv`, `ds.ltv`, `ds.fitLtv`) this build lacks are hidden
 * and the tab says so.
 */
import type { Table } from "apache-arrow";
import type { CohortLtvOptions, CohortLtvResult, CohortLtvRow, LtvCheck, LtvCheckBucket, LtvGroup, LtvResult, Remote, LtvModel } from "insitu";
import { hbarChart } from "../charts/bars.js";
import { lineChart, type Series } from "../charts/lines.js";
import { PALETTE } from "../charts/svg.js";
import { categories, lastDay, type Context } from "../context.js";
import { h, input, select } from "../dom.js";
import { downloadTableCsv } from "../export.js";
import { t } from "../i18n/index.js";
import { card, dataTable, figure, note } from "../ui.js";
import { code, Panel } from "./panel.js";
import { panelView, type View } from "./view.js";

export const LTV_METHODS = ["cohortLtv", "ltv", "fitLtv", "ltvCheck", "ltvPredictions"];
const DAY = 86_400_000;

type Fit = Remote<LtvModel>;

export function ltvView(ctx: Context): View {
  // Cohort LTV curves.
  const cs = { period: "month" as "month" | "week", periods: 12 };
  const cohortOptions = (): CohortLtvOptions => ({ period: cs.period, periods: cs.periods });
  const cohorts = new Panel<CohortLtvResult>({
    name: "cohort-ltv",
    title: "ltv.cohorts",
    intro: "ltv.cohorts.intro",
    run: () => ctx.engine.call("cohortLtv", cohortOptions()),
    query: () => ({ code: code("cohortLtv", [cohortOptions()]), method: "cohortLtv", args: [cohortOptions()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const unit = t(`period.${r.period}.short`);
      const shown = r.cohorts.slice(-10);
      const series: Series[] = [
        { name: t("ltv.average"), color: "#1d2433", points: r.average.map((y, k) => ({ x: k, y })) },
        ...shown.map((c, i) => ({ name: f.period(c.start, r.period), color: PALETTE[i % PALETTE.length]!, points: c.values.map((y, k) => ({ x: k, y })) })),
      ];
      body.replaceChildren(
        figure("cohort-ltv", t("ltv.cohorts.chart"), lineChart(t("ltv.cohorts.chart"), series, { xFormat: (k) => `${unit} ${k}`, yFormat: (y) => f.moneyShort(y), xCategorical: true, height: 320 })),
        dataTable<CohortLtvRow>(
          "cohort-ltv",
          t("ltv.cohorts.table"),
          [
            { label: t("col.cohort"), value: (c) => c.cohort, text: (c) => f.period(c.start, r.period) },
            { label: t("col.customers"), value: (c) => c.customers, text: (c) => f.int(c.customers), numeric: true, key: (c) => `cohort-${c.cohort}-customers` },
            ...r.average.map((_, k) => ({
              label: `${unit} ${k}`,
              value: (c: CohortLtvRow) => c.values[k] ?? null,
              text: (c: CohortLtvRow) => f.money(c.values[k] ?? null),
              numeric: true,
              key: (c: CohortLtvRow) => `cohort-${c.cohort}-${k}`,
            })),
          ],
          r.cohorts,
        ),
      );
    },
  });
  const period = select("control.period", [{ value: "month", key: "period.month" }, { value: "week", key: "period.week" }], cs.period, { "data-control": "cohort-ltv-period" });
  period.input.addEventListener("change", () => {
    cs.period = period.input.value as typeof cs.period;
    void cohorts.update();
  });
  const periods = select("retention.periods", ["6", "12", "24"].map((v) => ({ value: v, text: v })), String(cs.periods), { "data-control": "cohort-ltv-periods" });
  periods.input.addEventListener("change", () => {
    cs.periods = Number(periods.input.value);
    void cohorts.update();
  });
  cohorts.controls.append(period.field, periods.field);

  // Historical LTV by group.
  const gs = { by: "" };
  const groupOptions = () => ({ by: gs.by || "cohort" });
  const groups = new Panel<LtvResult>({
    name: "ltv-groups",
    title: "ltv.groups",
    intro: "ltv.groups.intro",
    run: () => ctx.engine.call("ltv", groupOptions()),
    query: () => ({ code: code("ltv", [groupOptions()]), method: "ltv", args: [groupOptions()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      body.replaceChildren(
        h("div", { class: "cards" }, card("ltv-per-customer", t("ltv.perCustomer"), f.money(r.total.revenuePerCustomer), r.total.revenuePerCustomer), card("ltv-per-buyer", t("metric.revenuePerBuyer"), f.money(r.total.revenuePerBuyer), r.total.revenuePerBuyer)),
        figure("ltv-groups", t("ltv.groups.chart"), hbarChart(t("ltv.groups.chart"), r.groups.map((g) => ({ label: g.group, value: g.revenuePerCustomer ?? 0 })), (v) => f.money(v))),
        dataTable<LtvGroup>("ltv-groups", t("ltv.groups"), [
          { label: t("col.group"), value: (g) => g.group },
          { label: t("col.customers"), value: (g) => g.customers, text: (g) => f.int(g.customers), numeric: true, key: (g) => `group-${g.group}-customers` },
          { label: t("metric.buyers"), value: (g) => g.buyers, text: (g) => f.int(g.buyers), numeric: true },
          { label: t("metric.revenue"), value: (g) => g.revenue, text: (g) => f.money(g.revenue), numeric: true },
          { label: t("ltv.perCustomer"), value: (g) => g.revenuePerCustomer, text: (g) => f.money(g.revenuePerCustomer), numeric: true, key: (g) => `group-${g.group}-ltv` },
          { label: t("metric.revenuePerBuyer"), value: (g) => g.revenuePerBuyer, text: (g) => f.money(g.revenuePerBuyer), numeric: true },
        ], r.groups),
      );
    },
  });

  // Model fit with its holdout check.
  const fs = { calibrationEnd: "", unit: "week" as "week" | "day" };
  const fitOptions = () => ({ calibrationEnd: fs.calibrationEnd, unit: fs.unit });
  const fit = new Panel<{ fit: Fit; check: LtvCheck }>({
    name: "ltv-fit",
    title: "ltv.fit",
    intro: "ltv.fit.intro",
    run: async () => {
      const model = await ctx.engine.call("fitLtv", fitOptions());
      const check = await ctx.engine.call("ltvCheck", model.value, {});
      return { value: { fit: model.value, check: check.value }, ms: model.ms + check.ms };
    },
    query: () => ({ code: `const model = ${code("fitLtv", [fitOptions()])}; model.check()`, method: "fitLtv", args: [fitOptions()] }),
    draw: ({ fit: m, check }, body) => {
      const f = ctx.fmt;
      const se = m.standardErrors;
      const param = (name: string, v: number, s: number | undefined) => card(`fit-${name}`, name, f.num(v, 4), v, s === undefined ? t("ltv.noSe") : `± ${f.num(s, 4)}`);
      body.replaceChildren(
        h(
          "div",
          { class: "cards small" },
          param("r", m.bgnbd.r, se.bgnbd?.r),
          param("alpha", m.bgnbd.alpha, se.bgnbd?.alpha),
          param("a", m.bgnbd.a, se.bgnbd?.a),
          param("b", m.bgnbd.b, se.bgnbd?.b),
          ...(m.gammaGamma ? [param("p", m.gammaGamma.p, se.gammaGamma?.p), param("q", m.gammaGamma.q, se.gammaGamma?.q), param("gamma", m.gammaGamma.gamma, se.gammaGamma?.gamma)] : []),
        ),
        h("p", { class: "note" }, t("ltv.fit.summary", { customers: f.int(m.customers), repeat: f.int(m.repeatBuyers), ll: f.num(m.logLikelihood.bgnbd, 1), end: f.date(m.calibrationEnd) })),
        h(
          "div",
          { class: "cards" },
          card("check-expected", t("ltv.check.expected"), f.num(check.expected, 0), check.expected),
          card("check-actual", t("ltv.check.actual"), f.int(check.actual), check.actual),
          card("check-error", t("ltv.check.error"), f.pct(check.relativeError), check.relativeError, t("ltv.check.period", { from: f.date(check.calibrationEnd), to: f.date(check.holdoutEnd) })),
        ),
        figure(
          "ltv-check",
          t("ltv.check.chart"),
          lineChart(
            t("ltv.check.chart"),
            [
              { name: t("ltv.check.actual"), points: check.buckets.map((b: LtvCheckBucket, i: number) => ({ x: i, y: b.actual })) },
              { name: t("ltv.check.expected"), color: "#f08c00", points: check.buckets.map((b: LtvCheckBucket, i: number) => ({ x: i, y: b.expected })) },
            ],
            { xFormat: (i) => check.buckets[i]?.frequency ?? "", yFormat: (y) => f.num(y, 2), xCategorical: true, height: 260 },
          ),
        ),
      );
    },
  });

  // Predicted CLV: top customers and CLV by RFM segment.
  const ps = { horizon: 12 };
  const predictions = new Panel<{ table: Table; bySegment: SegmentClv[] | null }>({
    name: "ltv-clv",
    title: "ltv.clv",
    intro: "ltv.clv.intro",
    run: async () => {
      const model = await ctx.engine.call("fitLtv", { unit: "week" });
      const table = await ctx.engine.call("ltvPredictions", model.value, { horizon: ps.horizon });
      const rfm = ctx.methods.has("rfm") ? await ctx.engine.call("rfm") : null;
      const bySegment = rfm ? clvBySegment(table.value, rfm.value.customers) : null;
      return { value: { table: table.value, bySegment }, ms: model.ms + table.ms + (rfm?.ms ?? 0) };
    },
    query: () => ({
      code: `const model = ${code("fitLtv", [{ unit: "week" }])}; model.predictions(${JSON.stringify({ horizon: ps.horizon }).replace(/"(\w+)":/g, "$1: ")}); ds.rfm()`,
      method: "ltvPredictions",
      args: [{ horizon: ps.horizon }],
    }),
    draw: ({ table, bySegment }, body) => {
      const f = ctx.fmt;
      const top = topRows(table, "clv", 20);
      const col = (name: string) => table.getChild(name);
      const exportButton = h("button", { type: "button", class: "small", "data-export": "clv-predictions.csv" }, t("ltv.clv.export", { n: f.int(table.numRows) }));
      exportButton.addEventListener("click", () => downloadTableCsv("clv-predictions", table));
      body.replaceChildren(
        bySegment
          ? h(
              "div",
              { class: "two" },
              figure("clv-by-segment", t("ltv.clv.bySegment"), hbarChart(t("ltv.clv.bySegment"), bySegment.map((s) => ({ label: s.segment, value: s.mean })), (v) => f.money(v), { width: 640 })),
              dataTable<SegmentClv>("clv-by-segment", t("ltv.clv.bySegment"), [
                { label: t("col.segment"), value: (s) => s.segment },
                { label: t("col.customers"), value: (s) => s.customers, text: (s) => f.int(s.customers), numeric: true, key: (s) => `clv-${s.segment}-customers` },
                { label: t("ltv.clv.mean"), value: (s) => s.mean, text: (s) => f.money(s.mean), numeric: true },
                { label: t("ltv.clv.total"), value: (s) => s.total, text: (s) => f.money(s.total), numeric: true },
              ], bySegment),
            )
          : note(t("ltv.clv.noSegments")),
        h("p", {}, exportButton),
        dataTable<number>("clv-top", t("ltv.clv.top", { n: top.length, months: ps.horizon }), [
          { label: "customer_id", value: (i) => String(col("customer_id")?.get(i)), key: (_, k) => `top-${k}-id` },
          { label: t("ltv.clv.orders"), value: (i) => Number(col("frequency")?.get(i)) + 1, text: (i) => f.int(Number(col("frequency")?.get(i)) + 1), numeric: true },
          { label: t("ltv.clv.pAlive"), value: (i) => Number(col("p_alive")?.get(i)), text: (i) => f.pct(Number(col("p_alive")?.get(i))), numeric: true },
          { label: t("ltv.clv.expected"), value: (i) => Number(col("expected_purchases")?.get(i)), text: (i) => f.num(Number(col("expected_purchases")?.get(i)), 2), numeric: true },
          { label: t("ltv.clv.spend"), value: (i) => Number(col("expected_spend")?.get(i)), text: (i) => f.money(Number(col("expected_spend")?.get(i))), numeric: true },
          { label: "CLV", value: (i) => Number(col("clv")?.get(i)), text: (i) => f.money(Number(col("clv")?.get(i))), numeric: true, key: (_, k) => `top-${k}-clv` },
        ], top),
      );
    },
  });
  const horizon = select("ltv.horizon", ["6", "12", "24", "36"].map((v) => ({ value: v, text: v })), String(ps.horizon), { "data-control": "clv-horizon" });
  horizon.input.addEventListener("change", () => {
    ps.horizon = Number(horizon.input.value);
    void predictions.update();
  });
  predictions.controls.append(horizon.field);

  const box = h("section", { class: "panel pending", "data-panel": "ltv-pending" });
  const pendingNote = () => {
    const missing = LTV_METHODS.filter((m) => !ctx.methods.has(m));
    box.hidden = missing.length === 0;
    box.replaceChildren(h("h3", {}, t("ltv.title")), note(t("ltv.pending", { methods: missing.map((m) => `ds.${m}`).join(", ") })));
  };
  const requires = new Map<Panel<unknown>, string[]>([
    [cohorts as unknown as Panel<unknown>, ["cohortLtv"]],
    [groups as unknown as Panel<unknown>, ["ltv"]],
    [fit as unknown as Panel<unknown>, ["fitLtv", "ltvCheck"]],
    [predictions as unknown as Panel<unknown>, ["fitLtv", "ltvPredictions"]],
  ]);

  const setup = () => {
    pendingNote();
    const attrs = categories(ctx.summary, "customers");
    if (gs.by && !attrs.includes(gs.by)) gs.by = "";
    const by = select("ltv.by", [{ value: "", key: "ltv.by.cohort" }, ...attrs.map((a) => ({ value: a, text: a }))], gs.by, { "data-control": "ltv-by" });
    by.input.addEventListener("change", () => {
      gs.by = by.input.value;
      void groups.update();
    });
    groups.controls.replaceChildren(by.field);
    const end = Date.parse(lastDay(ctx.summary));
    fs.calibrationEnd = new Date(end - 90 * DAY).toISOString().slice(0, 10);
    const calib = input("ltv.calibrationEnd", { type: "date", value: fs.calibrationEnd, "data-control": "ltv-calibration-end" });
    calib.input.addEventListener("change", () => {
      if (!calib.input.value) return;
      fs.calibrationEnd = calib.input.value;
      void fit.update();
    });
    const unit = select("ltv.unit", [{ value: "week", key: "period.week" }, { value: "day", key: "period.day" }], fs.unit, { "data-control": "ltv-unit" });
    unit.input.addEventListener("change", () => {
      fs.unit = unit.input.value as typeof fs.unit;
      void fit.update();
    });
    fit.controls.replaceChildren(calib.field, unit.field);
  };

  return panelView("ltv", "tab.ltv", [cohorts, groups, fit, predictions], setup, {
    el: [box],
    rerender: pendingNote,
    enabled: (p) => (requires.get(p as Panel<unknown>) ?? []).every((m) => ctx.methods.has(m)),
  });
}

interface SegmentClv {
  segment: string;
  customers: number;
  total: number;
  mean: number;
}

/** Mean and total predicted CLV per RFM segment (joined on customer_id). */
function clvBySegment(predictions: Table, rfmCustomers: Table): SegmentClv[] {
  const segmentOf = new Map<string, string>();
  const ids = rfmCustomers.getChild("customer_id");
  const segs = rfmCustomers.getChild("segment");
  for (let i = 0; i < rfmCustomers.numRows; i++) segmentOf.set(String(ids?.get(i)), String(segs?.get(i)));
  const out = new Map<string, SegmentClv>();
  const pid = predictions.getChild("customer_id");
  const clv = predictions.getChild("clv");
  for (let i = 0; i < predictions.numRows; i++) {
    const segment = segmentOf.get(String(pid?.get(i)));
    const v = Number(clv?.get(i));
    if (segment === undefined || !Number.isFinite(v)) continue;
    const s = out.get(segment) ?? { segment, customers: 0, total: 0, mean: 0 };
    s.customers++;
    s.total += v;
    out.set(segment, s);
  }
  for (const s of out.values()) s.mean = s.total / s.customers;
  return [...out.values()].sort((a, b) => b.mean - a.mean);
}

/** Row indexes of the `n` largest values of a column. */
function topRows(table: Table, column: string, n: number): number[] {
  const col = table.getChild(column);
  const rows = Array.from({ length: table.numRows }, (_, i) => i).filter((i) => Number.isFinite(Number(col?.get(i))));
  return rows.sort((a, b) => Number(col?.get(b)) - Number(col?.get(a))).slice(0, n);
}
