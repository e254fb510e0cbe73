/** A heat map: rows by columns of rates, with the value in each cell and details on hover. */
import { clip, frame, inkOn, MUTED, ramp, s, tip } from "./svg.js";

export interface HeatmapOptions {
  rows: string[];
  columns: string[];
  /** values[row][column] in [0, max]; null cells are left blank. */
  values: (number | null)[][];
  /** Tooltip of each cell. */
  titles: (string | null)[][];
  format: (v: number) => string;
  max?: number;
  /** Width of the row-label column. */
  rowLabelWidth?: number;
  width?: number;
  cellHeight?: number;
}

export function heatmap(label: string, o: HeatmapOptions): SVGSVGElement {
  const cellH = o.cellHeight ?? 22;
  const left = o.rowLabelWidth ?? 140;
  const width = o.width ?? 1100;
  const f = frame(label, width, 40 + o.rows.length * cellH + 8, { left, top: 32, bottom: 8, right: 16 });
  f.svg.classList.add("tall");
  const cellW = (f.inner.x1 - f.inner.x0) / Math.max(1, o.columns.length);
  const max = o.max ?? Math.max(1e-9, ...o.values.flat().filter((v): v is number => v !== null));
  o.columns.forEach((c, j) => {
    f.svg.append(s("text", { x: f.inner.x0 + (j + 0.5) * cellW, y: f.inner.y0 - 10, "text-anchor": "middle", fill: MUTED, "font-size": 11 }, clip(c, 10)));
  });
  o.rows.forEach((r, i) => {
    const y = f.inner.y0 + i * cellH;
    f.svg.append(s("text", { x: f.inner.x0 - 8, y: y + cellH / 2, dy: "0.32em", "text-anchor": "end", fill: MUTED, "font-size": 11 }, clip(r, 24)));
    o.columns.forEach((_, j) => {
      const v = o.values[i]?.[j] ?? null;
      if (v === null) return;
      const t = v / max;
      const x = f.inner.x0 + j * cellW;
      const title = o.titles[i]?.[j];
      f.svg.append(
        s("rect", { x: x + 0.5, y: y + 0.5, width: cellW - 1, height: cellH - 1, fill: ramp(t) }, title ? tip(title) : null),
        s("text", { x: x + cellW / 2, y: y + cellH / 2, dy: "0.32em", "text-anchor": "middle", "font-size": 10.5, fill: inkOn(t), "pointer-events": "none" }, o.format(v)),
      );
    });
  });
  return f.svg;
}
