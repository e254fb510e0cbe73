import { Insitu, InsituError, type Dataset, type DatasetTables, type Summary } from "insitu";
import { readTableFile } from "insitu/files";

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from index.html`);
  return el as T;
};

const status = $<HTMLParagraphElement>("status");
const errorBox = $<HTMLParagraphElement>("error");
let current: Dataset | undefined;

function showError(e: unknown): void {
  const message = e instanceof InsituError ? `${e.message} (${e.code})` : e instanceof Error ? e.message : String(e);
  errorBox.textContent = message;
  errorBox.hidden = false;
  status.textContent = "";
}

function render(summary: Summary, ms: number, what: string): void {
  errorBox.hidden = true;
  const fmt = new Intl.NumberFormat();
  const rows: [string, string][] = [
    ["Customers", fmt.format(summary.customers)],
    ["Events", fmt.format(summary.events)],
    ["Orders", fmt.format(summary.orders)],
    ["Revenue", fmt.format(Math.round(summary.revenue))],
    ["Buyers", fmt.format(summary.buyers)],
    [
      "Time range",
      summary.timeRange
        ? `${new Date(summary.timeRange[0]).toISOString().slice(0, 10)} – ${new Date(summary.timeRange[1]).toISOString().slice(0, 10)}`
        : "–",
    ],
    ["Skipped rows", fmt.format(summary.skipped)],
  ];
  const dl = $<HTMLDListElement>("summary");
  dl.replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement("dt");
      dt.textContent = k;
      const dd = document.createElement("dd");
      dd.textContent = v;
      dd.dataset.metric = k.toLowerCase().replace(/ /g, "-");
      return [dt, dd];
    }),
  );
  const table = $<HTMLTableElement>("event-table");
  const body = table.tBodies[0]!;
  body.replaceChildren(
    ...summary.eventNames.map((name, i) => {
      const tr = document.createElement("tr");
      for (const text of [name, fmt.format(summary.eventCounts[i] ?? 0)]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
  table.hidden = summary.eventNames.length === 0;
  status.textContent = `${what}: ingested and indexed in ${ms.toFixed(0)} ms.`;
}

async function ingest(tables: DatasetTables, what: string): Promise<void> {
  const insitu = await Insitu.load();
  const started = performance.now();
  const ds = insitu.dataset(tables);
  const ms = performance.now() - started;
  current?.free();
  current = ds;
  render(ds.summary(), ms, what);
}

$<HTMLFormElement>("sample-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const size = Number($<HTMLSelectElement>("sample-size").value);
  status.textContent = "Generating sample data…";
  // Let the status paint before the (synchronous) generation runs.
  setTimeout(async () => {
    try {
      const insitu = await Insitu.load();
      await ingest(insitu.sample({ events: size }), `Sample data (${size.toLocaleString()} events)`);
    } catch (e) {
      showError(e);
    }
  }, 0);
});

$<HTMLFormElement>("file-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const tables: DatasetTables = {};
    for (const table of ["events", "orders", "customers"] as const) {
      const file = $<HTMLInputElement>(`${table}-file`).files?.[0];
      if (file) tables[table] = await readTableFile(new Uint8Array(await file.arrayBuffer()), file.name);
    }
    if (!tables.events && !tables.orders) throw new InsituError("empty_input", "Choose an events or an orders file.");
    status.textContent = "Reading files…";
    await ingest(tables, "Files");
  } catch (e) {
    showError(e);
  }
});

// Start with the built-in sample so the page shows something at once.
Insitu.load()
  .then((insitu) => ingest(insitu.sample({ events: 100_000 }), "Sample data (100,000 events)"))
  .catch(showError);
