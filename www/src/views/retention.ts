/** Retention: cohort heat map (rates; counts on hover), the mean curve, and a table. */
import type { RetentionCohort, RetentionOptions, RetentionResult } from "insitu";
import { heatmap } from "../charts/heatmap.js";
import { lineChart } from "../charts/lines.js";
import { eventsByCount, type Context } from "../context.js";
import { checkbox, h, select } from "../dom.js";
import { t, type Key } from "../i18n/index.js";
import { dataTable, figure, note } from "../ui.js";
import { periods } from "./overview.js";
import { code, Panel } from "./panel.js";
import { panelView, type View } from "./view.js";

type Period = "day" | "week" | "month";

export function retentionView(ctx: Context): View {
  const state = { startEvent: "", returnEvent: "", period: "month" as Period, periods: 8, mode: "firstTime" as "firstTime" | "recurring", cumulative: false };
  const options = (): RetentionOptions => {
    const o: RetentionOptions = { startEvent: state.startEvent, returnEvent: state.returnEvent, period: state.period, periods: state.periods };
    if (state.mode !== "firstTime") o.mode = state.mode;
    if (state.cumulative) o.cumulative = true;
    return o;
  };

  const panel = new Panel<RetentionResult>({
    name: "retention",
    title: "retention.title",
    intro: "retention.intro",
    run: () => ctx.engine.call("retention", options()),
    query: () => ({ code: code("retention", [options()]), method: "retention", args: [options()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      if (r.cohorts.length === 0) {
        body.replaceChildren(note(t("retention.empty")));
        return;
      }
      const unit = t(`period.${state.period}.short` as Key);
      const columns = r.mean.map((_, k) => `${unit} ${k}`);
      const label = (c: RetentionCohort) => `${f.period(c.start, state.period)} · ${f.int(c.size)}`;
      body.replaceChildren(
        figure(
          "retention-heatmap",
          t("retention.heatmap"),
          heatmap(t("retention.heatmap"), {
            rows: r.cohorts.map(label),
            columns,
            values: r.cohorts.map((c) => c.rates.map((v, k) => (k === 0 ? null : v))),
            titles: r.cohorts.map((c) =>
              c.counts.map((n, k) => (n === null ? null : t("retention.cell", { cohort: f.period(c.start, state.period), k, n: f.int(n), size: f.int(c.size), rate: f.pct(c.rates[k]) }))),
            ),
            format: (v) => f.pct(v, 0),
            rowLabelWidth: 170,
          }),
        ),
        figure(
          "retention-curve",
          t("retention.curve"),
          lineChart(t("retention.curve"), [{ name: t("retention.mean"), points: r.mean.map((y, k) => ({ x: k, y })) }], {
            xFormat: (k) => `${unit} ${k}`,
            yFormat: (y) => f.pct(y, 0),
            yDomain: [0, 1],
            xCategorical: true,
            height: 240,
          }),
        ),
        dataTable(
          "retention",
          t("retention.table"),
          [
            { label: t("col.cohort"), value: (c) => new Date(c.start).toISOString().slice(0, 10), text: (c) => f.period(c.start, state.period) },
            { label: t("col.customers"), value: (c) => c.size, text: (c) => f.int(c.size), numeric: true, key: (_, i) => `cohort-${i}-size` },
            ...columns.slice(1).map((col, j) => ({
              label: col,
              value: (c: RetentionCohort) => c.rates[j + 1] ?? null,
              text: (c: RetentionCohort) => (c.rates[j + 1] === null ? "–" : `${f.pct(c.rates[j + 1])} (${f.int(c.counts[j + 1])})`),
              numeric: true,
              key: (_: RetentionCohort, i: number) => `cohort-${i}-k${j + 1}`,
            })),
          ],
          r.cohorts,
        ),
        h("p", { class: "note", "data-key": "retention-mean-1", "data-value": r.mean[1] ?? "" }, t("retention.meanNote", { unit, rate: f.pct(r.mean[1] ?? null) })),
      );
    },
  });

  const setup = () => {
    const events = eventsByCount(ctx.summary);
    const pick = (preferred: string, fallback: number) => (events.includes(preferred) ? preferred : (events[fallback] ?? events[0] ?? ""));
    state.startEvent = pick("signup", 0);
    state.returnEvent = pick("visit", 0);
    const ev = (key: Key, field: "startEvent" | "returnEvent") => {
      const s = select(key, (ctx.summary?.eventNames ?? []).map((e) => ({ value: e, text: e })), state[field], { "data-control": `retention-${field}` });
      s.input.addEventListener("change", () => {
        state[field] = s.input.value;
        void panel.update();
      });
      return s.field;
    };
    const period = select("control.period", periods(), state.period, { "data-control": "retention-period" });
    period.input.addEventListener("change", () => {
      state.period = period.input.value as Period;
      void panel.update();
    });
    const count = select("retention.periods", ["4", "6", "8", "12", "16", "26"].map((v) => ({ value: v, text: v })), String(state.periods), { "data-control": "retention-periods" });
    count.input.addEventListener("change", () => {
      state.periods = Number(count.input.value);
      void panel.update();
    });
    const mode = select("retention.mode", [{ value: "firstTime", key: "retention.mode.firstTime" }, { value: "recurring", key: "retention.mode.recurring" }], state.mode, { "data-control": "retention-mode" });
    mode.input.addEventListener("change", () => {
      state.mode = mode.input.value as typeof state.mode;
      void panel.update();
    });
    const cumulative = checkbox("retention.cumulative", state.cumulative, { "data-control": "retention-cumulative" });
    cumulative.input.addEventListener("change", () => {
      state.cumulative = cumulative.input.checked;
      void panel.update();
    });
    panel.controls.replaceChildren(h("div", { class: "row" }, ev("retention.start", "startEvent"), ev("retention.return", "returnEvent"), period.field, count.field, mode.field, cumulative.field));
  };

  return panelView("retention", "tab.retention", [panel], setup);
}
