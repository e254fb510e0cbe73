/** Bar charts: vertical bars (histograms, counts), horizontal bars (breakdowns), and the funnel. */
import { clip, frame, linear, MUTED, PALETTE, s, tip, xLabels, yAxis } from "./svg.js";

export interface Bar {
  label: string;
  value: number;
  /** Tooltip text. */
  title?: string;
  color?: string;
}

/** Vertical bars, one per item (e.g. a histogram). */
export function barChart(label: string, bars: Bar[], format: (v: number) => string, opts: { width?: number; height?: number } = {}): SVGSVGElement {
  const f = frame(label, opts.width ?? 1100, opts.height ?? 260);
  const max = Math.max(0, ...bars.map((b) => b.value));
  const y = linear([0, max], [f.inner.y1, f.inner.y0]);
  f.svg.append(yAxis(f, y, format));
  const band = (f.inner.x1 - f.inner.x0) / Math.max(1, bars.length);
  const gap = Math.min(4, band * 0.15);
  const g = s("g", {});
  bars.forEach((b, i) => {
    const x = f.inner.x0 + i * band + gap / 2;
    const top = y(Math.max(0, b.value));
    g.append(
      s("rect", { x, y: top, width: Math.max(1, band - gap), height: Math.max(0, y(0) - top), fill: b.color ?? PALETTE[0], rx: 1 }, tip(b.title ?? `${b.label}: ${format(b.value)}`)),
    );
  });
  f.svg.append(g, xLabels(f, bars.map((b, i) => ({ x: f.inner.x0 + (i + 0.5) * band, label: clip(b.label, 14) })), 8));
  return f.svg;
}

/** Horizontal bars with the value at the end (breakdowns, segments). */
export function hbarChart(label: string, bars: Bar[], format: (v: number) => string, opts: { width?: number; max?: number } = {}): SVGSVGElement {
  const row = 24;
  const f = frame(label, opts.width ?? 1100, 24 + bars.length * row, { left: 190, right: 90, top: 12, bottom: 12 });
  const x = linear([0, opts.max ?? Math.max(0, ...bars.map((b) => b.value))], [f.inner.x0, f.inner.x1], false);
  bars.forEach((b, i) => {
    const y = f.inner.y0 + i * row;
    const w = Math.max(0, x(Math.max(0, b.value)) - f.inner.x0);
    f.svg.append(
      s("text", { x: f.inner.x0 - 8, y: y + row / 2, dy: "0.32em", "text-anchor": "end", fill: MUTED }, clip(b.label, 22)),
      s("rect", { x: f.inner.x0, y: y + 4, width: w, height: row - 8, fill: b.color ?? PALETTE[0], rx: 2 }, tip(b.title ?? `${b.label}: ${format(b.value)}`)),
      s("text", { x: f.inner.x0 + w + 6, y: y + row / 2, dy: "0.32em" }, format(b.value)),
    );
  });
  return f.svg;
}

export interface FunnelBar {
  name: string;
  count: number;
  conversion: number | null;
  dropOff: number;
  dropOffRate: number | null;
}

/**
 * Funnel steps as bars: the customers who reached each step, with the drop-off from the
 * previous step stacked above in a pale shade, conversion over the bar.
 */
export function funnelChart(
  label: string,
  steps: FunnelBar[],
  fmt: { int: (n: number) => string; pct: (r: number | null) => string },
  words: { reached: string; dropped: string },
): SVGSVGElement {
  const f = frame(label, 1100, 320, { top: 36, bottom: 44 });
  const max = Math.max(1, ...steps.map((st) => st.count + st.dropOff));
  const y = linear([0, max], [f.inner.y1, f.inner.y0]);
  f.svg.append(yAxis(f, y, (v) => fmt.int(v)));
  const band = (f.inner.x1 - f.inner.x0) / Math.max(1, steps.length);
  const width = Math.min(110, band * 0.62);
  steps.forEach((st, i) => {
    const cx = f.inner.x0 + (i + 0.5) * band;
    const top = y(st.count);
    const dropTop = y(st.count + st.dropOff);
    f.svg.append(
      s("rect", { x: cx - width / 2, y: dropTop, width, height: top - dropTop, fill: "#dbe4ff", stroke: "#91a7ff", "stroke-dasharray": "3 2" },
        tip(`${st.name}: ${words.dropped} ${fmt.int(st.dropOff)} (${fmt.pct(st.dropOffRate)})`)),
      s("rect", { x: cx - width / 2, y: top, width, height: y(0) - top, fill: PALETTE[0], rx: 2 },
        tip(`${st.name}: ${words.reached} ${fmt.int(st.count)} (${fmt.pct(st.conversion)})`)),
      s("text", { x: cx, y: dropTop - 18, "text-anchor": "middle", "font-weight": 600 }, fmt.int(st.count)),
      s("text", { x: cx, y: dropTop - 5, "text-anchor": "middle", fill: MUTED, "font-size": 11 }, fmt.pct(st.conversion)),
      s("text", { x: cx, y: f.inner.y1 + 16, "text-anchor": "middle", fill: MUTED, "font-size": 11 }, clip(st.name, 22)),
    );
    if (i > 0 && st.dropOff > 0) {
      f.svg.append(s("text", { x: cx, y: f.inner.y1 + 31, "text-anchor": "middle", fill: "#c92a2a", "font-size": 11 }, `−${fmt.int(st.dropOff)} (${fmt.pct(st.dropOffRate)})`));
    }
  });
  return f.svg;
}
