/** What the engine made of the data: which column played which role, kept and ignored columns, skipped rows. */
import type { Summary } from "insitu";
import { h } from "../dom.js";
import { t, type Key } from "../i18n/index.js";

export function dataDetails(summary: Summary, fmt: { int: (n: number) => string }): HTMLElement[] {
  const out: HTMLElement[] = [];
  for (const c of summary.columns) {
    const roles = Object.entries(c.roles).map(([role, column]) => `${t(`role.${role}` as Key)} ← ${column}`);
    out.push(
      h(
        "div",
        { class: "columns-used", "data-columns": c.table },
        h("strong", {}, t(`table.${c.table}` as Key)),
        h("span", {}, `: ${roles.join(", ")}`),
        c.properties.length > 0 ? h("span", { class: "muted" }, ` · ${t("details.properties")}: ${c.properties.map((p) => p.name).join(", ")}`) : null,
        c.ignored.length > 0 ? h("span", { class: "warn" }, ` · ${t("details.ignored")}: ${c.ignored.map((p) => `${p.name} (${p.kind})`).join(", ")}`) : null,
      ),
    );
  }
  if (summary.skippedRows.length > 0) {
    out.push(
      h(
        "ul",
        { class: "skipped", "data-skipped": summary.skipped },
        ...summary.skippedRows.map((s) => h("li", {}, t("details.skipped", { rows: fmt.int(s.rows), table: t(`table.${s.table}` as Key), column: s.column, reason: s.reason }))),
      ),
    );
  }
  return out;
}
