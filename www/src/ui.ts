/** Building blocks of the views: figures with export buttons, tables with CSV export, cards. */
import type { Table } from "apache-arrow";
import { h } from "./dom.js";
import { downloadCsv, downloadPng, downloadSvg, downloadTableCsv, rowsToCsv } from "./export.js";
import { t } from "./i18n/index.js";
import { describeError } from "./errors.js";

/** A chart with a caption and SVG / PNG download buttons. */
export function figure(name: string, caption: string, svg: SVGSVGElement): HTMLElement {
  const svgButton = h("button", { type: "button", class: "small", "data-export": `${name}.svg` }, t("export.svg"));
  const pngButton = h("button", { type: "button", class: "small", "data-export": `${name}.png` }, t("export.png"));
  svgButton.addEventListener("click", () => downloadSvg(name, svg));
  pngButton.addEventListener("click", () => void downloadPng(name, svg).catch((e) => alertError(pngButton, e)));
  return h(
    "figure",
    { class: "figure", "data-chart": name },
    h("figcaption", {}, h("span", {}, caption), h("span", { class: "actions" }, svgButton, pngButton)),
    svg,
  );
}

export interface Column<Row> {
  label: string;
  /** Raw value (exported to CSV, kept in `data-value`). */
  value: (row: Row) => unknown;
  /** Display text; default String(value). */
  text?: (row: Row) => string;
  numeric?: boolean;
  /** `data-key` of the cell, for tests and scripts. */
  key?: (row: Row, index: number) => string;
}

/** A table of rows with an "Export CSV" button (raw values), showing at most `limit` rows. */
export function dataTable<Row>(name: string, caption: string, columns: Column<Row>[], rows: Row[], limit = 200): HTMLElement {
  const thead = h("thead", {}, h("tr", {}, ...columns.map((c) => h("th", { scope: "col", class: c.numeric ? "num" : "" }, c.label))));
  const tbody = h("tbody");
  rows.slice(0, limit).forEach((row, i) => {
    const tr = h("tr");
    for (const c of columns) {
      const raw = c.value(row);
      const td = h(
        "td",
        {
          class: c.numeric ? "num" : "",
          "data-key": c.key?.(row, i),
          "data-value": typeof raw === "number" || typeof raw === "string" ? String(raw) : undefined,
        },
        c.text ? c.text(row) : raw === null || raw === undefined ? "–" : String(raw),
      );
      tr.append(td);
    }
    tbody.append(tr);
  });
  const button = h("button", { type: "button", class: "small", "data-export": `${name}.csv` }, t("export.csv"));
  button.addEventListener("click", () =>
    downloadCsv(
      name,
      rowsToCsv(
        columns.map((c) => c.label),
        rows.map((r) => columns.map((c) => c.value(r))),
      ),
    ),
  );
  const more = rows.length > limit ? h("p", { class: "note" }, t("table.more", { shown: limit, total: rows.length })) : null;
  return h(
    "div",
    { class: "table-wrap", "data-table": name },
    h("div", { class: "table-head" }, h("span", { class: "caption", id: `${name}-caption` }, caption), button),
    h("div", { class: "scroll" }, h("table", { "aria-labelledby": `${name}-caption` }, thead, tbody)),
    more,
  );
}

/** A key figure: label, value text and raw value. */
export function card(key: string, label: string, text: string, value: number | null | undefined, sub?: string): HTMLElement {
  return h(
    "div",
    { class: "card" },
    h("div", { class: "card-label" }, label),
    h("div", { class: "card-value", "data-metric": key, "data-value": value ?? "" }, text),
    sub ? h("div", { class: "card-sub" }, sub) : null,
  );
}

/** A button that downloads a member list (an Arrow table fetched from the worker) as CSV. */
export function memberExport(label: string, fileName: string, fetch: () => Promise<Table>): HTMLButtonElement {
  const button = h("button", { type: "button", class: "small", "data-export": `${fileName}.csv` }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      downloadTableCsv(fileName, await fetch());
    } catch (e) {
      alertError(button, e);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function alertError(near: HTMLElement, e: unknown): void {
  const p = h("p", { class: "error", role: "alert" }, describeError(e));
  near.after(p);
  setTimeout(() => p.remove(), 8000);
}

/** A note shown instead of a result (e.g. an engine this build lacks). */
export function note(text: string): HTMLElement {
  return h("p", { class: "note" }, text);
}
