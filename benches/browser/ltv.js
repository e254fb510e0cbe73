// The LTV case in Chromium on a cached dataset (the same IPC bytes Node and the native
// build read). Parameters: ?name=cdnow&runs=K.
import { Insitu } from "insitu";
import { runLtvCase } from "../lib/ltv-cases.mjs";
import { publish } from "./publish.js";

const params = new URLSearchParams(location.search);
const name = params.get("name");

async function fetchData(ext) {
  const response = await fetch(`/data/ltv-${name}.${ext}`);
  if (!response.ok) throw new Error(`fetching ltv-${name}.${ext}: HTTP ${response.status}`);
  return response;
}

async function run() {
  const insitu = await Insitu.load();
  const spec = await (await fetchData("json")).json();
  const orders = new Uint8Array(await (await fetchData("arrows")).arrayBuffer());
  const result = await runLtvCase({
    insitu,
    orders,
    spec,
    runs: Number(params.get("runs")),
    gc: globalThis.gc,
    log: (m) => console.log(`  chromium ${m}`),
  });
  return { runtime: "chromium", dataset: name, ...result };
}

publish(run());
