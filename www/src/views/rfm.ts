/** RFM: the recency x frequency grid (customers per score pair) and the segment table with member exports. */
import type { Table } from "apache-arrow";
import type { RfmOptions, RfmResult, RfmSegmentSummary } from "insitu";
import { hbarChart } from "../charts/bars.js";
import { heatmap } from "../charts/heatmap.js";
import type { Context } from "../context.js";
import { h, select } from "../dom.js";
import { downloadCsv, tableRowsToCsv } from "../export.js";
import { t } from "../i18n/index.js";
import { dataTable, figure } from "../ui.js";
import { code, Panel } from "./panel.js";

export function rfmPanel(ctx: Context): Panel<RfmResult> {
  const state = { bins: 5, monetary: "total" as "total" | "mean" };
  // The member exports carry each customer's last order date.
  const options = (): RfmOptions => ({ bins: state.bins, monetary: state.monetary, lastOrder: true });
  const panel = new Panel<RfmResult>({
    name: "rfm",
    title: "rfm.title",
    intro: "rfm.intro",
    run: () => ctx.engine.call("rfm", options()),
    query: () => ({ code: code("rfm", [options()]), method: "rfm", args: [options()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const grid = rfGrid(r.customers, r.bins);
      const scores = Array.from({ length: r.bins }, (_, i) => i + 1);
      const table = dataTable<RfmSegmentSummary>(
        "rfm-segments",
        t("rfm.table", { n: f.int(r.scored), date: f.date(r.asOf) }),
        [
          { label: t("col.segment"), value: (s) => s.segment },
          { label: t("col.customers"), value: (s) => s.customers, text: (s) => f.int(s.customers), numeric: true, key: (s) => `rfm-${s.segment}` },
          { label: t("col.share"), value: (s) => s.share, text: (s) => f.pct(s.share), numeric: true },
          { label: t("metric.revenue"), value: (s) => s.revenue, text: (s) => f.money(s.revenue), numeric: true },
          { label: t("rfm.revenueShare"), value: (s) => s.revenueShare, text: (s) => f.pct(s.revenueShare), numeric: true },
          { label: t("metric.aov"), value: (s) => s.meanOrderValue, text: (s) => f.money(s.meanOrderValue), numeric: true },
          { label: t("rfm.recency"), value: (s) => s.meanRecency, text: (s) => f.num(s.meanRecency, 0), numeric: true },
          { label: t("rfm.frequency"), value: (s) => s.meanFrequency, text: (s) => f.num(s.meanFrequency, 1), numeric: true },
        ],
        r.segments,
      );
      table.querySelector("thead tr")?.append(h("th", { scope: "col" }, t("col.members")));
      table.querySelectorAll("tbody tr").forEach((tr, i) => {
        const segment = r.segments[i]!.segment;
        const button = h("button", { type: "button", class: "small", "data-export": `rfm-${segment}.csv`, disabled: r.segments[i]!.customers === 0 }, t("stages.export"));
        button.addEventListener("click", () => downloadCsv(`rfm-${segment.replace(/\W+/g, "-").toLowerCase()}`, tableRowsToCsv(r.customers, rowsWhere(r.customers, "segment", segment))));
        tr.append(h("td", {}, button));
      });
      body.replaceChildren(
        h(
          "div",
          { class: "two" },
          figure(
            "rfm-grid",
            t("rfm.grid"),
            heatmap(t("rfm.grid"), {
              rows: [...scores].reverse().map((s) => `R ${s}`),
              columns: scores.map((s) => `F ${s}`),
              values: [...scores].reverse().map((rs) => scores.map((fs) => grid.count[rs - 1]![fs - 1]!)),
              titles: [...scores].reverse().map((rs) =>
                scores.map((fs) => {
                  const n = grid.count[rs - 1]![fs - 1]!;
                  return t("rfm.cell", { r: rs, f: fs, n: f.int(n), m: f.money(n ? grid.monetary[rs - 1]![fs - 1]! / n : null) });
                }),
              ),
              format: (v) => f.int(v),
              rowLabelWidth: 60,
              width: 560,
              cellHeight: 40,
            }),
          ),
          figure("rfm-segments", t("rfm.segments"), hbarChart(t("rfm.segments"), r.segments.map((s) => ({ label: s.segment, value: s.customers })), (v) => f.int(v), { width: 640 })),
        ),
        table,
        r.warnings.length > 0 ? h("ul", { class: "problems" }, ...r.warnings.map((w) => h("li", {}, w))) : h("span"),
      );
    },
  });
  const bins = select("rfm.bins", ["3", "4", "5"].map((v) => ({ value: v, text: v })), String(state.bins), { "data-control": "rfm-bins" });
  bins.input.addEventListener("change", () => {
    state.bins = Number(bins.input.value);
    void panel.update();
  });
  const monetary = select("rfm.monetary", [{ value: "total", key: "rfm.monetary.total" }, { value: "mean", key: "rfm.monetary.mean" }], state.monetary, { "data-control": "rfm-monetary" });
  monetary.input.addEventListener("change", () => {
    state.monetary = monetary.input.value as "total" | "mean";
    void panel.update();
  });
  panel.controls.append(bins.field, monetary.field);
  return panel;
}

/** Customers and summed monetary value per (r, f) score pair. */
function rfGrid(customers: Table, bins: number): { count: number[][]; monetary: number[][] } {
  const count = Array.from({ length: bins }, () => new Array<number>(bins).fill(0));
  const monetary = Array.from({ length: bins }, () => new Array<number>(bins).fill(0));
  const r = customers.getChild("r");
  const f = customers.getChild("f");
  const m = customers.getChild("monetary");
  for (let i = 0; i < customers.numRows; i++) {
    const rs = Number(r?.get(i));
    const fs = Number(f?.get(i));
    if (!(rs >= 1 && rs <= bins && fs >= 1 && fs <= bins)) continue;
    count[rs - 1]![fs - 1]!++;
    monetary[rs - 1]![fs - 1]! += Number(m?.get(i) ?? 0);
  }
  return { count, monetary };
}

/** Row indexes whose `column` equals `value`. */
export function rowsWhere(table: Table, column: string, value: string): number[] {
  const col = table.getChild(column);
  const rows: number[] = [];
  for (let i = 0; i < table.numRows; i++) if (col?.get(i) === value) rows.push(i);
  return rows;
}
