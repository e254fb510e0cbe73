/**
 * Segments: CRM stages (prospect, new, repeat, dormant, churned) with member exports. RFM,
 * rule segments, transitions and lookalike join here when the engine has them
 * (`ds.rfm`, `ds.segment`, `ds.transitions`, `ds.lookalike`).
 */
import type { Table } from "apache-arrow";
import type { StagesOptions, StagesResult } from "insitu";
import { hbarChart } from "../charts/bars.js";
import { lastDay, type Context } from "../context.js";
import { h, input, select } from "../dom.js";
import { downloadCsv, tableRowsToCsv } from "../export.js";
import { t, type Key } from "../i18n/index.js";
import { dataTable, figure, note } from "../ui.js";
import { code, Panel } from "./panel.js";
import { rfmPanel } from "./rfm.js";
import { lookalikePanel, rulePanel, transitionsPanel } from "./rules.js";
import { panelView, type View } from "./view.js";

const STAGES = ["prospect", "new", "repeat", "dormant", "churned"] as const;
const STAGE_COLORS = ["#adb5bd", "#3b5bdb", "#2f9e44", "#f08c00", "#c92a2a"];
/** Analyses that belong in this tab once the segments engine is built. */
export const SEGMENT_METHODS = ["rfm", "segment", "transitions", "lookalike"];

export function segmentsView(ctx: Context): View {
  const state: Required<Pick<StagesOptions, "dormantAfter" | "churnAfter" | "newWithin">> & { asOf: string } = {
    asOf: "",
    dormantAfter: "60d",
    churnAfter: "90d",
    newWithin: "30d",
  };
  const options = (): StagesOptions => ({ ...state });

  const stages = new Panel<StagesResult>({
    name: "stages",
    title: "stages.title",
    intro: "stages.intro",
    run: () => ctx.engine.call("stages", options()),
    query: () => ({ code: code("stages", [options()]), method: "stages", args: [options()] }),
    draw: (r, body) => {
      const f = ctx.fmt;
      const total = STAGES.reduce((n, s) => n + (r.counts[s] ?? 0), 0);
      const rows = STAGES.map((s, i) => ({ stage: s, count: r.counts[s] ?? 0, color: STAGE_COLORS[i]! }));
      const table = dataTable(
        "stages",
        t("stages.table", { date: f.date(r.asOf) }),
        [
          { label: t("col.stage"), value: (x) => x.stage, text: (x) => t(`stage.${x.stage}` as Key) },
          { label: t("col.customers"), value: (x) => x.count, text: (x) => f.int(x.count), numeric: true, key: (x) => `stage-${x.stage}` },
          { label: t("col.share"), value: (x) => (total ? x.count / total : null), text: (x) => f.pct(total ? x.count / total : null), numeric: true },
        ],
        rows,
      );
      table.querySelector("thead tr")?.append(h("th", { scope: "col" }, t("col.members")));
      table.querySelectorAll("tbody tr").forEach((tr, i) => {
        const stage = rows[i]!.stage;
        const button = h("button", { type: "button", class: "small", "data-export": `stage-${stage}.csv` }, t("stages.export"));
        button.addEventListener("click", () =>
          downloadCsv(`customers-${stage}-${new Date(r.asOf).toISOString().slice(0, 10)}`, tableRowsToCsv(r.customers, stageRows(r.customers, stage))),
        );
        tr.append(h("td", {}, button));
      });
      body.replaceChildren(
        figure(
          "stages",
          t("stages.chart"),
          hbarChart(t("stages.chart"), rows.map((x) => ({ label: t(`stage.${x.stage}` as Key), value: x.count, color: x.color })), (v) => f.int(v)),
        ),
        table,
      );
    },
  });

  const setup = () => {
    state.asOf = lastDay(ctx.summary);
    const asOf = input("stages.asOf", { type: "date", value: state.asOf, "data-control": "stages-asof" });
    asOf.input.addEventListener("change", () => {
      if (!asOf.input.value) return;
      state.asOf = asOf.input.value;
      void stages.update();
    });
    const dur = (key: Key, field: "dormantAfter" | "churnAfter" | "newWithin", choices: string[]) => {
      const s = select(key, choices.map((c) => ({ value: c, text: c })), String(state[field]), { "data-control": `stages-${field}` });
      s.input.addEventListener("change", () => {
        state[field] = s.input.value;
        void stages.update();
      });
      return s.field;
    };
    stages.controls.replaceChildren(
      h(
        "div",
        { class: "row" },
        asOf.field,
        dur("stages.newWithin", "newWithin", ["14d", "30d", "60d", "90d"]),
        dur("stages.dormantAfter", "dormantAfter", ["30d", "45d", "60d", "90d", "120d"]),
        dur("stages.churnAfter", "churnAfter", ["60d", "90d", "120d", "180d", "365d"]),
      ),
    );
    pending.replaceChildren(...pendingNotes());
    pending.hidden = SEGMENT_METHODS.every((m) => ctx.methods.has(m));
    if (ctx.methods.has("segment")) rule.setup();
    if (ctx.methods.has("transitions")) transitions.setup();
    if (ctx.methods.has("lookalike")) lookalike.setup();
  };
  const rfm = rfmPanel(ctx);
  const rule = rulePanel(ctx);
  const transitions = transitionsPanel(ctx);
  const lookalike = lookalikePanel(ctx);
  const requires = new Map<Panel<unknown>, string>([
    [rfm as unknown as Panel<unknown>, "rfm"],
    [rule.panel as unknown as Panel<unknown>, "segment"],
    [transitions.panel as unknown as Panel<unknown>, "transitions"],
    [lookalike.panel as unknown as Panel<unknown>, "lookalike"],
  ]);

  const pending = h("section", { class: "panel pending", "data-panel": "segments-pending" });
  const pendingNotes = () => {
    const missing = SEGMENT_METHODS.filter((m) => !ctx.methods.has(m));
    return [
      h("h3", { "data-i18n": "segments.more" }, t("segments.more")),
      missing.length > 0
        ? note(t("segments.pending", { methods: missing.map((m) => `ds.${m}`).join(", ") }))
        : note(t("segments.available")),
    ];
  };

  return panelView("segments", "tab.segments", [rfm, stages, rule.panel, transitions.panel, lookalike.panel], setup, {
    el: [pending],
    rerender: () => pending.replaceChildren(...pendingNotes()),
    enabled: (p) => {
      const method = requires.get(p as Panel<unknown>);
      return method === undefined || ctx.methods.has(method);
    },
  });
}

/** The rows (indexes) of one stage. */
function stageRows(customers: Table, stage: string): number[] {
  const column = customers.getChild("stage");
  const keep: number[] = [];
  for (let i = 0; i < customers.numRows; i++) if (column?.get(i) === stage) keep.push(i);
  return keep;
}
