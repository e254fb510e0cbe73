/** Line charts: trends and curves, one or more series, with points and tooltips. */
import { frame, legend, linear, PALETTE, s, tip, xLabels, yAxis } from "./svg.js";

export interface Series {
  name: string;
  color?: string;
  points: { x: number; y: number | null; title?: string }[];
}

export interface LineOptions {
  /** Format of x labels (times or indexes). */
  xFormat: (x: number) => string;
  yFormat: (y: number) => string;
  /** Force the y range, e.g. [0, 1] for rates. */
  yDomain?: [number, number];
  width?: number;
  height?: number;
  /** Evenly spaced categorical x (the points' x are positions 0..n-1 or their own values). */
  xCategorical?: boolean;
}

export function lineChart(label: string, series: Series[], o: LineOptions): SVGSVGElement {
  const showLegend = series.length > 1;
  const f = frame(label, o.width ?? 1100, o.height ?? 280, { top: showLegend ? 28 : 16 });
  const xs = [...new Set(series.flatMap((se) => se.points.map((p) => p.x)))].sort((a, b) => a - b);
  const ys = series.flatMap((se) => se.points.map((p) => p.y)).filter((v): v is number => v !== null && Number.isFinite(v));
  const y = linear(o.yDomain ?? [Math.min(0, ...ys), Math.max(0, ...ys)], [f.inner.y1, f.inner.y0]);
  const xIndex = new Map(xs.map((v, i) => [v, i]));
  const x = o.xCategorical
    ? (v: number) => f.inner.x0 + ((xIndex.get(v) ?? 0) + 0.5) * ((f.inner.x1 - f.inner.x0) / Math.max(1, xs.length))
    : linear([xs[0] ?? 0, xs[xs.length - 1] ?? 1], [f.inner.x0 + 6, f.inner.x1 - 6], false);
  f.svg.append(yAxis(f, y, o.yFormat));
  f.svg.append(xLabels(f, xs.map((v) => ({ x: x(v), label: o.xFormat(v) })), 10));
  series.forEach((se, i) => {
    const color = se.color ?? PALETTE[i % PALETTE.length]!;
    let d = "";
    let pen = false;
    for (const p of se.points) {
      if (p.y === null || !Number.isFinite(p.y)) {
        pen = false;
        continue;
      }
      d += `${pen ? "L" : "M"}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
      pen = true;
    }
    const g = s("g", { "data-series": se.name });
    g.append(s("path", { d, fill: "none", stroke: color, "stroke-width": 2, "stroke-linejoin": "round" }));
    if (se.points.length <= 120) {
      for (const p of se.points) {
        if (p.y === null || !Number.isFinite(p.y)) continue;
        g.append(s("circle", { cx: x(p.x), cy: y(p.y), r: 3, fill: color }, tip(p.title ?? `${se.name} · ${o.xFormat(p.x)}: ${o.yFormat(p.y)}`)));
      }
    }
    f.svg.append(g);
  });
  if (showLegend) f.svg.append(legend(f, series.slice(0, 12).map((se, i) => ({ label: se.name, color: se.color ?? PALETTE[i % PALETTE.length]! }))));
  return f.svg;
}
