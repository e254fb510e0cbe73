/**
 * Small DOM helpers. Nothing here sets a `style` attribute or inserts HTML text: the
 * page's Content-Security-Policy (`style-src 'self'`, no inline scripts) stays intact.
 */
import { t, type Key } from "./i18n/index.js";

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

/** An HTML element with attributes (a `false`/`null` attribute is left out) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "style") throw new Error("inline styles are blocked by the CSP; use a class");
    el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

/** The element with this id (throws when the page lacks it). */
export function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
}

let uid = 0;
/** A page-unique id for label/input pairs. */
export function nextId(prefix: string): string {
  return `${prefix}-${++uid}`;
}

/** A label whose text follows the language (`data-i18n`). */
export function label(forId: string, key: Key): HTMLLabelElement {
  return h("label", { for: forId, "data-i18n": key }, t(key));
}

/** An option: translatable (`key`) or literal text (event and column names). */
export interface Option {
  value: string;
  key?: Key;
  text?: string;
}

export function option(o: Option, selected: boolean): HTMLOptionElement {
  return h("option", { value: o.value, selected, "data-i18n": o.key }, o.key ? t(o.key) : (o.text ?? o.value));
}

/** A labelled `<select>`. */
export function select(key: Key, options: Option[], value: string, attrs: Attrs = {}): { field: HTMLElement; input: HTMLSelectElement } {
  const id = (attrs.id as string | undefined) ?? nextId("sel");
  const input = h("select", { ...attrs, id });
  for (const o of options) input.append(option(o, o.value === value));
  if (options.some((o) => o.value === value)) input.value = value;
  return { field: h("div", { class: "field" }, label(id, key), input), input };
}

/** A labelled `<input>`. */
export function input(key: Key, attrs: Attrs): { field: HTMLElement; input: HTMLInputElement } {
  const id = (attrs.id as string | undefined) ?? nextId("in");
  const el = h("input", { ...attrs, id });
  return { field: h("div", { class: "field" }, label(id, key), el), input: el };
}

/** A labelled checkbox. */
export function checkbox(key: Key, checked: boolean, attrs: Attrs = {}): { field: HTMLElement; input: HTMLInputElement } {
  const id = (attrs.id as string | undefined) ?? nextId("cb");
  const el = h("input", { ...attrs, id, type: "checkbox", checked });
  return { field: h("div", { class: "field check" }, el, label(id, key)), input: el };
}
