/**
 * Loading data: sample data generated in the Worker, or files (picked or dropped) read in
 * the Worker with a progress bar, then the mapping step, then ingest.
 */
import type { DatasetMapping, Summary, TableBytes, WorkerProgress } from "insitu";
import type { Context } from "../context.js";
import { byId, h } from "../dom.js";
import { describeError } from "../errors.js";
import { t, type Key } from "../i18n/index.js";
import { renderMapping, type ReadTable, type TableName } from "./mapping.js";

export interface Loaded {
  summary: Summary;
  /** How the data came: sample of n events, or files. */
  source: { kind: "sample"; events: number } | { kind: "files"; names: string[] };
  ms: number;
  /** `performance.now()` when the user asked. */
  started: number;
}

const TABLES: TableName[] = ["events", "orders", "customers"];

export function setupLoading(ctx: Context, onLoaded: (loaded: Loaded) => void): { generate(size: number): Promise<void> } {
  const status = byId<HTMLParagraphElement>("status");
  const errorBox = byId<HTMLDivElement>("error");
  const progressBox = byId<HTMLDivElement>("progress");
  const progressBar = byId<HTMLProgressElement>("progress-bar");
  const progressLabel = byId<HTMLSpanElement>("progress-label");
  const mappingBox = byId<HTMLDivElement>("mapping");
  const chosen: Partial<Record<TableName, File>> = {};
  let busy = false;

  const showError = (e: unknown) => {
    errorBox.textContent = describeError(e);
    errorBox.hidden = false;
    status.textContent = "";
  };
  const clearError = () => {
    errorBox.hidden = true;
    errorBox.textContent = "";
  };
  const progress = (label: string, p?: WorkerProgress) => {
    progressBox.hidden = false;
    progressLabel.textContent = label;
    if (p && p.total > 0) {
      progressBar.max = 1;
      progressBar.value = Math.min(1, p.done / p.total);
    } else progressBar.removeAttribute("value");
  };
  const done = () => {
    progressBox.hidden = true;
    busy = false;
    document.body.removeAttribute("aria-busy");
  };
  const start = () => {
    busy = true;
    document.body.setAttribute("aria-busy", "true");
    clearError();
  };

  const phaseText = (p: WorkerProgress, name: string) => t(`progress.${p.phase}` as Key, { name });

  async function generate(size: number): Promise<void> {
    if (busy) return;
    start();
    mappingBox.hidden = true;
    const started = performance.now();
    performance.mark("insitu:generate");
    progress(t("progress.generate", { name: size.toLocaleString() }));
    try {
      const result = await ctx.engine.sample({ events: size }, { onProgress: (p) => progress(phaseText(p, size.toLocaleString()), p) });
      const summary = result.value.summary!;
      onLoaded({ summary, source: { kind: "sample", events: size }, ms: performance.now() - started, started });
    } catch (e) {
      showError(e);
    } finally {
      done();
    }
  }

  byId<HTMLFormElement>("sample-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void generate(Number(byId<HTMLSelectElement>("sample-size").value));
  });

  // Files: three labelled inputs, or a drop on the drop zone (assigned by name, then by order).
  const fileNames = byId<HTMLUListElement>("chosen-files");
  const showChosen = () => {
    fileNames.replaceChildren(
      ...TABLES.filter((x) => chosen[x]).map((x) => h("li", {}, `${t(`table.${x}` as Key)}: ${chosen[x]!.name} (${(chosen[x]!.size / 1024).toLocaleString(undefined, { maximumFractionDigits: 0 })} KB)`)),
    );
  };
  for (const table of TABLES) {
    const el = byId<HTMLInputElement>(`${table}-file`);
    el.addEventListener("change", () => {
      const file = el.files?.[0];
      if (file) chosen[table] = file;
      else delete chosen[table];
      showChosen();
    });
  }
  const drop = byId<HTMLDivElement>("drop-zone");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const files = [...(e.dataTransfer?.files ?? [])];
    const rest: File[] = [];
    for (const file of files) {
      const lower = file.name.toLowerCase();
      const table = TABLES.find((x) => lower.includes(x.slice(0, -1)));
      if (table && !chosen[table]) chosen[table] = file;
      else rest.push(file);
    }
    for (const file of rest) {
      const free = TABLES.find((x) => !chosen[x]);
      if (free) chosen[free] = file;
    }
    showChosen();
  });

  byId<HTMLFormElement>("file-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void readFiles();
  });

  async function readFiles(): Promise<void> {
    if (busy) return;
    const picked = TABLES.filter((x) => chosen[x]);
    if (picked.length === 0) {
      showError(new Error(t("load.noFiles")));
      return;
    }
    start();
    const read: ReadTable[] = [];
    const started = performance.now();
    try {
      for (const table of picked) {
        const file = chosen[table]!;
        progress(t("progress.read", { name: file.name }));
        const result = await ctx.engine.read(file, file.name, (p) => progress(phaseText(p, file.name), p));
        read.push({ table, fileName: file.name, file: result.value });
      }
      if (!read.some((r) => r.table === "events" || r.table === "orders")) throw new Error(t("load.needEventsOrOrders"));
      status.textContent = t("load.readDone", { n: read.length, ms: Math.round(performance.now() - started) });
      const setMappingError = renderMapping(mappingBox, read, (mapping) => void ingest(read, mapping, setMappingError));
      (mappingBox.querySelector("select") as HTMLElement | null)?.focus();
    } catch (e) {
      showError(e);
    } finally {
      done();
    }
  }

  async function ingest(read: ReadTable[], mapping: DatasetMapping, setMappingError: (m: string | null) => void): Promise<void> {
    if (busy) return;
    start();
    setMappingError(null);
    const started = performance.now();
    performance.mark("insitu:ingest");
    progress(t("progress.ingest", { name: read.map((r) => r.fileName).join(", ") }));
    try {
      const tables: TableBytes = {};
      for (const r of read) tables[r.table] = r.file.bytes;
      const result = await ctx.engine.ingest(tables, mapping);
      mappingBox.hidden = true;
      onLoaded({ summary: result.value.summary, source: { kind: "files", names: read.map((r) => r.fileName) }, ms: performance.now() - started, started });
    } catch (e) {
      // Shown in the mapping step, next to the columns to fix.
      setMappingError(describeError(e));
      status.textContent = "";
    } finally {
      done();
    }
  }

  return { generate };
}
