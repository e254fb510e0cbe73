/** Stacked bars per period; negative series stack below zero (e.g. dormant customers). */
import { frame, legend, linear, s, tip, xLabels, yAxis } from "./svg.js";

export interface StackSeries {
  name: string;
  color: string;
  values: number[];
}

export function stackedBars(label: string, xs: string[], series: StackSeries[], format: (v: number) => string): SVGSVGElement {
  const f = frame(label, 1100, 300, { top: 28 });
  let lo = 0;
  let hi = 0;
  xs.forEach((_, i) => {
    let up = 0;
    let down = 0;
    for (const se of series) {
      const v = se.values[i] ?? 0;
      if (v >= 0) up += v;
      else down += v;
    }
    hi = Math.max(hi, up);
    lo = Math.min(lo, down);
  });
  const y = linear([lo, hi], [f.inner.y1, f.inner.y0]);
  f.svg.append(yAxis(f, y, (v) => format(Math.abs(v))));
  const band = (f.inner.x1 - f.inner.x0) / Math.max(1, xs.length);
  const w = Math.max(1, band * 0.75);
  xs.forEach((xl, i) => {
    let up = 0;
    let down = 0;
    const x = f.inner.x0 + i * band + (band - w) / 2;
    for (const se of series) {
      const v = se.values[i] ?? 0;
      if (v === 0) continue;
      const from = v >= 0 ? up : down;
      const to = from + v;
      if (v >= 0) up = to;
      else down = to;
      const top = y(Math.max(from, to));
      f.svg.append(s("rect", { x, y: top, width: w, height: Math.max(0.5, Math.abs(y(from) - y(to))), fill: se.color }, tip(`${xl} · ${se.name}: ${format(Math.abs(v))}`)));
    }
  });
  f.svg.append(xLabels(f, xs.map((label, i) => ({ x: f.inner.x0 + (i + 0.5) * band, label })), 12));
  f.svg.append(legend(f, series.map((se) => ({ label: se.name, color: se.color }))));
  return f.svg;
}
