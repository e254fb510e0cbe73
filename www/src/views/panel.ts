/**
 * A panel: one engine query (run in the Worker), its controls, the query written as code,
 * the time it took, and what it draws. Only the latest request of a panel is drawn.
 */
import type { Timed } from "insitu";
import { h } from "../dom.js";
import { t, type Key } from "../i18n/index.js";
import { describeError } from "../errors.js";

export interface PanelSpec<R> {
  /** Stable name (used in test hooks and performance measures). */
  name: string;
  title: Key;
  /** Runs the query in the worker. */
  run: () => Promise<Timed<R>>;
  /** The query as the package call a developer would write, e.g. `ds.funnel({...})`. */
  query: () => { code: string; method: string; args: unknown[] };
  /** Draws the result into `body` (called again on a language change). */
  draw: (result: R, body: HTMLElement) => void;
  /** Optional intro line under the title. */
  intro?: Key;
  /** Whether the query needs loaded data (default true); calculators do not. */
  needsData?: boolean;
}

export class Panel<R> {
  /** Whether data is loaded (set by the page). */
  static hasData: () => boolean = () => false;
  readonly el: HTMLElement;
  readonly controls: HTMLElement;
  readonly body: HTMLElement;
  readonly #spec: PanelSpec<R>;
  readonly #code: HTMLElement;
  readonly #timing: HTMLElement;
  readonly #error: HTMLElement;
  readonly #title: HTMLElement;
  readonly #intro: HTMLElement | null;
  #seq = 0;
  #renders = 0;
  #last: { value: R; engineMs: number; totalMs: number } | undefined;

  constructor(spec: PanelSpec<R>) {
    this.#spec = spec;
    this.#title = h("h3", {}, t(spec.title));
    this.#intro = spec.intro ? h("p", { class: "intro" }, t(spec.intro)) : null;
    this.controls = h("form", { class: "controls", "data-controls": spec.name });
    this.controls.addEventListener("submit", (e) => e.preventDefault());
    this.#code = h("code", { class: "query" });
    this.#timing = h("span", { class: "timing", "data-timing": spec.name });
    this.#error = h("p", { class: "error", role: "alert", hidden: true });
    this.body = h("div", { class: "panel-body" });
    this.el = h(
      "section",
      { class: "panel", "data-panel": spec.name, "aria-busy": "false" },
      this.#title,
      this.#intro,
      this.controls,
      h("p", { class: "meta" }, this.#code, this.#timing),
      this.#error,
      this.body,
    );
  }

  /** Runs the query and draws the result; `started` is when the user asked (for timings). */
  async update(started = performance.now()): Promise<void> {
    const seq = ++this.#seq;
    const query = this.#spec.query();
    this.#code.textContent = query.code;
    this.el.dataset.query = JSON.stringify({ method: query.method, args: query.args });
    if (this.#spec.needsData !== false && !Panel.hasData()) {
      this.body.replaceChildren(h("p", { class: "note", "data-i18n": "panel.noData" }, t("panel.noData")));
      return;
    }
    this.el.setAttribute("aria-busy", "true");
    try {
      const result = await this.#spec.run();
      if (seq !== this.#seq) return;
      this.#error.hidden = true;
      this.#spec.draw(result.value, this.body);
      const totalMs = performance.now() - started;
      this.#last = { value: result.value, engineMs: result.ms, totalMs };
      this.#renders++;
      this.el.dataset.engineMs = result.ms.toFixed(1);
      this.el.dataset.totalMs = totalMs.toFixed(1);
      this.el.dataset.renders = String(this.#renders);
      this.#showTiming();
      performance.measure(`insitu:${this.#spec.name}`, { start: started, end: performance.now() });
    } catch (e) {
      if (seq !== this.#seq) return;
      this.body.replaceChildren();
      this.#error.textContent = describeError(e);
      this.#error.hidden = false;
      this.el.dataset.error = "true";
    } finally {
      if (seq === this.#seq) this.el.setAttribute("aria-busy", "false");
    }
  }

  /** Draws the last result again (after a language or currency change). */
  rerender(): void {
    this.#title.textContent = t(this.#spec.title);
    if (this.#intro && this.#spec.intro) this.#intro.textContent = t(this.#spec.intro);
    if (!this.#last) return;
    this.#spec.draw(this.#last.value, this.body);
    this.#showTiming();
  }

  /** Forgets the result (new data). */
  clear(): void {
    this.#seq++;
    this.#last = undefined;
    this.body.replaceChildren();
    this.#timing.textContent = "";
    this.#error.hidden = true;
  }

  #showTiming(): void {
    if (!this.#last) return;
    this.#timing.textContent = t("panel.timing", {
      engine: Math.round(this.#last.engineMs),
      total: Math.round(this.#last.totalMs),
    });
  }
}

/** Code text of a call: `ds.funnel({ steps: [...] })`. */
export function code(method: string, args: unknown[], target = "ds"): string {
  const text = args.map((a) => (a === undefined ? "" : literal(a)));
  return `${target}.${method}(${text.join(", ")})`;
}

/** A value as a JS literal: `{ steps: ["visit"], window: "7d" }`. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${/^\w+$/.test(k) ? k : JSON.stringify(k)}: ${literal(v)}`).join(", ")} }`;
  }
  return JSON.stringify(value);
}
