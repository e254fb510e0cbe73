/** A tab of the dashboard: some panels, built for the loaded data and run when shown. */
import { h } from "../dom.js";
import { applyI18n, type Key } from "../i18n/index.js";
import type { Panel } from "./panel.js";

export interface View {
  id: string;
  title: Key;
  el: HTMLElement;
  /** New data: rebuild the controls that depend on it and forget old results. */
  onData(): void;
  /** Runs every panel's query (the view is shown, or its data changed). */
  refresh(): Promise<void>;
  /** Language or currency changed: redraw from the last results. */
  rerender(): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyPanel = Panel<any>;

/** A view made of panels; `setup` (re)builds their controls for the current data. */
export function panelView(
  id: string,
  title: Key,
  panels: AnyPanel[],
  setup: () => void,
  extra: { el?: HTMLElement[]; rerender?: () => void; enabled?: (panel: AnyPanel) => boolean } = {},
): View {
  const enabled = (p: AnyPanel) => extra.enabled?.(p) ?? true;
  const el = h("div", { class: "view", "data-view": id }, ...panels.map((p) => p.el), ...(extra.el ?? []));
  return {
    id,
    title,
    el,
    onData() {
      for (const p of panels) {
        p.clear();
        p.el.hidden = !enabled(p);
      }
      setup();
    },
    async refresh() {
      await Promise.all(panels.filter(enabled).map((p) => p.update()));
    },
    rerender() {
      applyI18n(el);
      extra.rerender?.();
      for (const p of panels) p.rerender();
    },
  };
}
