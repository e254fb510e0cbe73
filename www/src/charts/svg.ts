/**
 * SVG building blocks for the charts: elements, linear scales with nice ticks, axes and
 * colours. Styles are presentation attributes (fill, stroke, font-size), so charts obey the
 * page's CSP and export as standalone SVG/PNG.
 */
export const SVG_NS = "http://www.w3.org/2000/svg";
export const FONT = 'system-ui, -apple-system, "Segoe UI", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif';
export const INK = "#1d2433";
export const MUTED = "#5b6477";
export const GRID = "#e6e9f0";
/** Categorical colours (distinguishable, colour-blind friendly order). */
export const PALETTE = ["#3b5bdb", "#f08c00", "#2f9e44", "#c2255c", "#7048e8", "#1098ad", "#e8590c", "#5c940d", "#862e9c", "#495057"];

type Attrs = Record<string, string | number | undefined | null>;

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string | null | undefined)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(typeof c === "string" ? document.createTextNode(c) : c);
  return el;
}

/** A `<title>` child: the tooltip (and accessible name) of a mark. */
export function tip(text: string): SVGTitleElement {
  return s("title", {}, text);
}

export interface Frame {
  svg: SVGSVGElement;
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  /** Plot area. */
  inner: { x0: number; x1: number; y0: number; y1: number };
}

/** An SVG with a white background, a title for screen readers, and a plot area. */
export function frame(label: string, width: number, height: number, margin: Partial<Frame["margin"]> = {}): Frame {
  const m = { top: 16, right: 16, bottom: 36, left: 64, ...margin };
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": label,
    "font-family": FONT,
    "font-size": 12,
    fill: INK,
    class: "chart",
  });
  svg.append(s("title", {}, label), s("rect", { x: 0, y: 0, width, height, fill: "#ffffff" }));
  return { svg, width, height, margin: m, inner: { x0: m.left, x1: width - m.right, y0: m.top, y1: height - m.bottom } };
}

export interface Scale {
  (v: number): number;
  domain: [number, number];
  ticks(count?: number): number[];
}

/** A linear scale; `nice` widens the domain to round tick values. */
export function linear(domain: [number, number], range: [number, number], nice = true): Scale {
  let [d0, d1] = domain;
  if (!Number.isFinite(d0) || !Number.isFinite(d1)) [d0, d1] = [0, 1];
  if (d0 === d1) d1 = d0 === 0 ? 1 : d0 + Math.abs(d0);
  if (nice) {
    const step = tickStep(d0, d1, 5);
    d0 = Math.floor(d0 / step) * step;
    d1 = Math.ceil(d1 / step) * step;
  }
  const [r0, r1] = range;
  const f = ((v: number) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0)) as Scale;
  f.domain = [d0, d1];
  f.ticks = (count = 5) => {
    const step = tickStep(d0, d1, count);
    const out: number[] = [];
    for (let v = Math.ceil(d0 / step) * step; v <= d1 + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return out;
  };
  return f;
}

function tickStep(d0: number, d1: number, count: number): number {
  const raw = Math.abs(d1 - d0) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const err = raw / power;
  return power * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
}

/** Horizontal grid lines with labels on the left. */
export function yAxis(f: Frame, y: Scale, format: (v: number) => string, count = 5): SVGGElement {
  const g = s("g", { "aria-hidden": "true" });
  for (const v of y.ticks(count)) {
    const py = y(v);
    g.append(
      s("line", { x1: f.inner.x0, x2: f.inner.x1, y1: py, y2: py, stroke: v === 0 ? "#aab1c0" : GRID }),
      s("text", { x: f.inner.x0 - 6, y: py, dy: "0.32em", "text-anchor": "end", fill: MUTED, "font-size": 11 }, format(v)),
    );
  }
  return g;
}

/** Labels under the plot area at the given x positions (thinned to fit). */
export function xLabels(f: Frame, items: { x: number; label: string }[], maxLabels = 12): SVGGElement {
  const g = s("g", { "aria-hidden": "true" });
  const every = Math.max(1, Math.ceil(items.length / maxLabels));
  items.forEach((item, i) => {
    if (i % every !== 0) return;
    g.append(s("text", { x: item.x, y: f.inner.y1 + 16, "text-anchor": "middle", fill: MUTED, "font-size": 11 }, item.label));
  });
  return g;
}

/** Shortens a label to `max` characters. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A sequential blue ramp for heat maps, t in [0, 1]. */
export function ramp(t: number): string {
  const c = Math.max(0, Math.min(1, t));
  const from = [240, 244, 255];
  const to = [28, 55, 160];
  const mix = from.map((a, i) => Math.round(a + (to[i]! - a) * Math.sqrt(c)));
  return `rgb(${mix[0]},${mix[1]},${mix[2]})`;
}

/** Text colour readable on a ramp cell. */
export function inkOn(t: number): string {
  return Math.sqrt(Math.max(0, t)) > 0.55 ? "#ffffff" : INK;
}

/** A legend row of coloured squares. */
export function legend(f: Frame, items: { label: string; color: string }[], y = 4): SVGGElement {
  const g = s("g", {});
  let x = f.inner.x0;
  for (const item of items) {
    g.append(s("rect", { x, y, width: 10, height: 10, fill: item.color, rx: 2 }));
    g.append(s("text", { x: x + 14, y: y + 9, "font-size": 11, fill: MUTED }, item.label));
    x += 24 + item.label.length * 6.5;
  }
  return g;
}
