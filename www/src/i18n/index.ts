/**
 * The page's words: one table per language (en.ts, ko.ts, same keys), `t(key, vars)` to
 * look one up, and `applyI18n` for the static text marked `data-i18n` in index.html.
 */
import type { Language } from "../format.js";
import { en } from "./en.js";
import { ko } from "./ko.js";

export type Key = keyof typeof en;
export type Messages = Record<Key, string>;

const tables: Record<Language, Messages> = { en, ko };
let current: Language = "en";

export function setLanguage(language: Language): void {
  current = language;
  document.documentElement.lang = language;
}

export function language(): Language {
  return current;
}

/** The text of `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: Key, vars: Record<string, string | number> = {}): string {
  const text = tables[current][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Whether `key` is a message key (for keys kept in data attributes). */
export function isKey(key: string): key is Key {
  return key in en;
}

/** Sets the text of every `[data-i18n]` element (and `[data-i18n-label]` aria-labels) under `root`. */
export function applyI18n(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    const key = el.dataset.i18n ?? "";
    if (isKey(key)) el.textContent = t(key);
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-label]")) {
    const key = el.dataset.i18nLabel ?? "";
    if (isKey(key)) el.setAttribute("aria-label", t(key));
  }
  document.title = t("app.title");
}
