/**
 * Exports made on this device: CSV text, SVG and PNG pictures, downloaded from a Blob URL.
 * Nothing is uploaded.
 */
import type { Table } from "apache-arrow";
import { tableToCsv } from "insitu/files";

/** Offers `blob` as a download named `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function quote(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A raw value as CSV text: times already ISO strings, null as empty. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && !Number.isFinite(value)) return "";
  return quote(String(value));
}

/** CSV text of rows (raw values, not display text). */
export function rowsToCsv(header: string[], rows: unknown[][]): string {
  const lines = [header.map(quote).join(",")];
  for (const row of rows) lines.push(row.map(cell).join(","));
  return `${lines.join("\n")}\n`;
}

export function downloadCsv(name: string, csv: string): void {
  download(name.endsWith(".csv") ? name : `${name}.csv`, new Blob([csv], { type: "text/csv;charset=utf-8" }));
}

/** An Arrow table (e.g. a segment's members) as a CSV download for a CRM tool. */
export function downloadTableCsv(name: string, table: Table): void {
  downloadCsv(name, tableToCsv(table));
}

/**
 * CSV text of some rows of an Arrow table (all columns; times as ISO-8601 UTC), in the
 * format of `tableToCsv`.
 */
export function tableRowsToCsv(table: Table, rows: number[]): string {
  const fields = table.schema.fields;
  const isTime = fields.map((f) => String(f.type).startsWith("Timestamp"));
  const columns = fields.map((f) => table.getChild(f.name));
  const lines = [fields.map((f) => quote(f.name)).join(",")];
  for (const row of rows) {
    lines.push(
      columns
        .map((col, c) => {
          const v: unknown = col?.get(row);
          if (v === null || v === undefined) return "";
          return isTime[c] ? new Date(Number(v)).toISOString() : quote(String(v));
        })
        .join(","),
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Standalone SVG text of a chart (its styles are presentation attributes). */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  const { width, height } = size(svg);
  copy.setAttribute("width", String(width));
  copy.setAttribute("height", String(height));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}

function size(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.viewBox.baseVal;
  return { width: box?.width || svg.clientWidth || 640, height: box?.height || svg.clientHeight || 320 };
}

export function downloadSvg(name: string, svg: SVGSVGElement): void {
  download(`${name}.svg`, new Blob([svgText(svg)], { type: "image/svg+xml" }));
}

/** Draws the SVG on a canvas (2x) and downloads it as PNG. */
export async function downloadPng(name: string, svg: SVGSVGElement): Promise<void> {
  const { width, height } = size(svg);
  const url = URL.createObjectURL(new Blob([svgText(svg)], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.decoding = "async";
    img.src = url;
    await img.decode();
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = width * scale;
    canvas.height = height * scale;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"),
    );
    download(`${name}.png`, blob);
  } finally {
    URL.revokeObjectURL(url);
  }
}
