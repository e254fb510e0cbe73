/** Overview: customers, orders, revenue, AOV, repeat rate; active customers by period. */
import type { AarrrResult, LifecycleResult } from "insitu";
import { lineChart } from "../charts/lines.js";
import { stackedBars } from "../charts/stacked.js";
import type { Context } from "../context.js";
import { h, select } from "../dom.js";
import { t } from "../i18n/index.js";
import { card, dataTable, figure } from "../ui.js";
import { code, Panel } from "./panel.js";
import { panelView, type View } from "./view.js";

type Period = "day" | "week" | "month";

export function overviewView(ctx: Context): View {
  const figures = new Panel<AarrrResult>({
    name: "overview-figures",
    title: "overview.figures",
    run: () => ctx.engine.call("aarrr", { allowMissing: true }),
    query: () => ({ code: `ds.summary(); ${code("aarrr", [{ allowMissing: true }])}`, method: "aarrr", args: [{ allowMissing: true }] }),
    draw: (r, body) => {
      const s = ctx.summary;
      const f = ctx.fmt;
      if (!s) return;
      const fig = r.figures;
      const range = s.timeRange ? `${f.date(s.timeRange[0])} – ${f.date(s.timeRange[1])}` : "–";
      const chart =
        fig.revenueByMonth.length > 0
          ? figure(
              "revenue-by-month",
              t("overview.revenueByMonth"),
              lineChart(t("overview.revenueByMonth"), [{ name: t("metric.revenue"), points: fig.revenueByMonth.map((m) => ({ x: m.start, y: m.revenue })) }], {
                xFormat: (x) => f.month(x),
                yFormat: (y) => f.moneyShort(y),
                xCategorical: true,
                height: 240,
              }),
            )
          : h("span");
      body.replaceChildren(
        h(
          "div",
          { class: "cards" },
          card("customers", t("metric.customers"), f.int(s.customers), s.customers, range),
          card("orders", t("metric.orders"), f.int(s.orders), s.orders),
          card("revenue", t("metric.revenue"), f.money(s.revenue), s.revenue),
          card("aov", t("metric.aov"), f.money(fig.averageOrderValue), fig.averageOrderValue),
          card("buyers", t("metric.buyers"), f.int(s.buyers), s.buyers),
          card("repeat-rate", t("metric.repeatRate"), f.pct(fig.repeatPurchaseRate), fig.repeatPurchaseRate, t("metric.repeatRate.sub", { n: f.int(fig.repeatBuyers) })),
          card("revenue-per-buyer", t("metric.revenuePerBuyer"), f.money(fig.ltv), fig.ltv),
          card("events", t("metric.events"), f.int(s.events), s.events),
        ),
        chart,
      );
    },
  });

  let period: Period = "month";
  const lifecycle = new Panel<LifecycleResult>({
    name: "overview-active",
    title: "overview.active",
    intro: "overview.active.intro",
    run: () => ctx.engine.call("lifecycle", { period }),
    query: () => ({ code: code("lifecycle", [{ period }]), method: "lifecycle", args: [{ period }] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const labels = r.periods.map((p) => f.period(p.start, period));
      const active = (p: LifecycleResult["periods"][number]) => p.new + p.returning + p.resurrecting;
      body.replaceChildren(
        figure(
          "active-customers",
          t("overview.active"),
          stackedBars(
            t("overview.active"),
            labels,
            [
              { name: t("lifecycle.new"), color: "#3b5bdb", values: r.periods.map((p) => p.new) },
              { name: t("lifecycle.returning"), color: "#2f9e44", values: r.periods.map((p) => p.returning) },
              { name: t("lifecycle.resurrecting"), color: "#f08c00", values: r.periods.map((p) => p.resurrecting) },
              { name: t("lifecycle.dormant"), color: "#adb5bd", values: r.periods.map((p) => -p.dormant) },
            ],
            (v) => f.int(v),
          ),
        ),
        dataTable(
          "active-customers",
          t("overview.active.table"),
          [
            { label: t("col.period"), value: (p) => new Date(p.start).toISOString().slice(0, 10), text: (p) => f.period(p.start, period) },
            { label: t("col.active"), value: active, text: (p) => f.int(active(p)), numeric: true, key: (_, i) => `active-${i}` },
            { label: t("lifecycle.new"), value: (p) => p.new, text: (p) => f.int(p.new), numeric: true, key: (_, i) => `new-${i}` },
            { label: t("lifecycle.returning"), value: (p) => p.returning, text: (p) => f.int(p.returning), numeric: true },
            { label: t("lifecycle.resurrecting"), value: (p) => p.resurrecting, text: (p) => f.int(p.resurrecting), numeric: true },
            { label: t("lifecycle.dormant"), value: (p) => p.dormant, text: (p) => f.int(p.dormant), numeric: true },
          ],
          r.periods,
        ),
      );
    },
  });
  const periodSelect = select("control.period", periods(), period, { "data-control": "overview-period" });
  periodSelect.input.addEventListener("change", () => {
    period = periodSelect.input.value as Period;
    void lifecycle.update();
  });
  lifecycle.controls.append(periodSelect.field);

  return panelView("overview", "tab.overview", [figures, lifecycle], () => {});
}

export function periods(): { value: string; key: "period.day" | "period.week" | "period.month" }[] {
  return [
    { value: "day", key: "period.day" },
    { value: "week", key: "period.week" },
    { value: "month", key: "period.month" },
  ];
}
