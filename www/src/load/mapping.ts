/**
 * The mapping step: which column plays which role in each table, guessed from the usual
 * names (as the engine does), with a preview of the first rows and type problems in plain
 * words before anything is ingested.
 */
import type { DatasetMapping, FileColumn, FileTable, TableMapping } from "insitu";
import { h, label, nextId, option, type Option } from "../dom.js";
import { t, type Key } from "../i18n/index.js";

export type TableName = "events" | "orders" | "customers";
type Role = "customer" | "time" | "event" | "amount" | "signup";

/** The engine's usual spellings (src/data/mapping.rs), in order of preference. */
const USUAL: Record<Role, string[]> = {
  customer: ["customer_id", "user_id", "customerId", "userId", "customer", "user", "client_id", "member_id", "distinct_id", "person_id", "id"],
  time: ["timestamp", "ts", "time", "date", "event_time", "event_timestamp", "created_at", "order_date", "order_time", "datetime", "occurred_at"],
  event: ["event", "event_name", "event_type", "name", "action"],
  amount: ["amount", "revenue", "value", "total", "price", "order_total", "sales"],
  signup: ["signup_time", "signup", "signed_up_at", "signup_date", "signup_at", "registered_at", "created_at", "first_seen"],
};

const ROLES: Record<TableName, { role: Role; required: boolean }[]> = {
  events: [
    { role: "customer", required: true },
    { role: "time", required: true },
    { role: "event", required: true },
  ],
  orders: [
    { role: "customer", required: true },
    { role: "time", required: true },
    { role: "amount", required: true },
  ],
  customers: [
    { role: "customer", required: true },
    { role: "signup", required: false },
  ],
};

/** Kinds a role accepts. */
const ACCEPTS: Record<Role, FileColumn["kind"][]> = {
  customer: ["integer", "text"],
  time: ["time", "integer", "text"],
  signup: ["time", "integer", "text"],
  event: ["text"],
  amount: ["integer", "decimal"],
};

export interface ReadTable {
  table: TableName;
  fileName: string;
  file: FileTable;
}

/** The column guessed for a role: a usual name first, else the only column of a fitting kind. */
export function guess(columns: FileColumn[], role: Role): string {
  for (const usual of USUAL[role]) {
    const hit = columns.find((c) => c.name.toLowerCase() === usual.toLowerCase());
    if (hit) return hit.name;
  }
  if (role === "time" || role === "signup") return columns.find((c) => c.kind === "time")?.name ?? "";
  if (role === "amount") return columns.filter((c) => c.kind === "decimal").length === 1 ? columns.find((c) => c.kind === "decimal")!.name : "";
  return "";
}

/** A plain-words problem with a column for a role, or null. */
export function problem(column: FileColumn | undefined, role: Role): string | null {
  if (!column) return null;
  if (!ACCEPTS[role].includes(column.kind)) {
    return t("mapping.problem", { column: column.name, kind: t(`kind.${column.kind}` as Key), role: t(`role.${role}` as Key), accepted: ACCEPTS[role].map((k) => t(`kind.${k}` as Key)).join(", ") });
  }
  if ((role === "time" || role === "signup") && column.kind === "text") return t("mapping.textTime", { column: column.name });
  return null;
}

/**
 * Draws the mapping step into `container`; `onSubmit` gets the mapping when the user
 * confirms. Returns a function that shows an error (e.g. the engine's) in the step.
 */
export function renderMapping(container: HTMLElement, tables: ReadTable[], onSubmit: (mapping: DatasetMapping) => void): (message: string | null) => void {
  const mapping: DatasetMapping = {};
  const form = h("form", { class: "mapping", "data-step": "mapping" });
  form.append(h("h3", { "data-i18n": "mapping.title" }, t("mapping.title")), h("p", { class: "intro", "data-i18n": "mapping.intro" }, t("mapping.intro")));
  for (const { table, fileName, file } of tables) {
    const m: TableMapping = {};
    mapping[table] = m;
    const box = h("fieldset", { class: "map-table", "data-table-map": table });
    box.append(h("legend", {}, t("mapping.table", { table: t(`table.${table}` as Key), file: fileName, rows: file.rows.toLocaleString() })));
    const roles = h("div", { class: "row" });
    const problems = h("ul", { class: "problems", "aria-live": "polite" });
    const unitField = h("div", { class: "field", hidden: true });
    const unitId = nextId("unit");
    const unit = h("select", { id: unitId, "data-control": `map-${table}-unit` });
    for (const u of ["ms", "s", "us", "ns"]) unit.append(option({ value: u, key: `unit.${u}` as Key }, u === "ms"));
    unitField.append(label(unitId, "mapping.timeUnit"), unit);
    const selects: { role: Role; select: HTMLSelectElement; required: boolean }[] = [];
    const check = () => {
      problems.replaceChildren();
      let intTime = false;
      for (const { role, select, required } of selects) {
        const col = file.columns.find((c) => c.name === select.value);
        (m as Record<string, string | undefined>)[role] = select.value || undefined;
        if (!col && required) problems.append(h("li", {}, t("mapping.missing", { role: t(`role.${role}` as Key), columns: file.columns.map((c) => c.name).join(", ") })));
        const p = problem(col, role);
        if (p) problems.append(h("li", {}, p));
        if (col && col.kind === "integer" && (role === "time" || role === "signup")) intTime = true;
      }
      unitField.hidden = !intTime;
      if (intTime) m.timeUnit = unit.value as TableMapping["timeUnit"];
      else delete m.timeUnit;
    };
    for (const { role, required } of ROLES[table]) {
      const id = nextId("map");
      const select = h("select", { id, "data-control": `map-${table}-${role}` });
      const options: Option[] = [{ value: "", key: required ? "mapping.choose" : "mapping.none" }, ...file.columns.map((c) => ({ value: c.name, text: `${c.name} (${t(`kind.${c.kind}` as Key)})` }))];
      const guessed = guess(file.columns, role);
      for (const o of options) select.append(option(o, o.value === guessed));
      select.value = guessed;
      select.addEventListener("change", check);
      selects.push({ role, select, required });
      roles.append(h("div", { class: "field" }, label(id, `role.${role}` as Key), select));
    }
    unit.addEventListener("change", check);
    roles.append(unitField);
    box.append(roles, problems, preview(file, `${table}-preview`));
    check();
    form.append(box);
  }
  const error = h("p", { class: "error", role: "alert", hidden: true, "data-mapping-error": "" });
  const submit = h("button", { type: "submit", "data-i18n": "mapping.submit", "data-action": "ingest" }, t("mapping.submit"));
  form.append(error, submit);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    onSubmit(structuredClone(mapping));
  });
  container.replaceChildren(form);
  container.hidden = false;
  return (message) => {
    error.textContent = message ?? "";
    error.hidden = !message;
  };
}

function preview(file: FileTable, id: string): HTMLElement {
  const head = h("tr", {}, ...file.columns.map((c) => h("th", { scope: "col" }, c.name, h("span", { class: "kind" }, ` ${t(`kind.${c.kind}` as Key)}`))));
  const body = h("tbody", {}, ...file.preview.map((row) => h("tr", {}, ...row.map((v) => h("td", {}, v)))));
  return h(
    "div",
    { class: "table-wrap" },
    h("div", { class: "table-head" }, h("span", { class: "caption", id }, t("mapping.preview", { n: file.preview.length }))),
    h("div", { class: "scroll" }, h("table", { "aria-labelledby": id }, h("thead", {}, head), body)),
  );
}
