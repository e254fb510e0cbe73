// Child process: the LTV case on one cached dataset in Node (benches/lib/ltv-cases.mjs).
// usage: node --expose-gc benches/ltv-node.mjs --name cdnow --runs K --out FILE
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadPackage } from "./lib/data.mjs";
import { runLtvCase } from "./lib/ltv-cases.mjs";
import { ltvFile } from "./lib/ltv-data.mjs";

const { values } = parseArgs({ options: { name: { type: "string" }, runs: { type: "string" }, out: { type: "string" } } });
const spec = JSON.parse(await readFile(ltvFile(values.name, "json"), "utf8"));
const file = await readFile(ltvFile(values.name, "arrows"));
const orders = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
const { insitu } = await loadPackage();
const result = await runLtvCase({
  insitu,
  orders,
  spec,
  runs: Number(values.runs),
  gc: globalThis.gc,
  log: (m) => console.log(`  node ${m}`),
});
await writeFile(values.out, JSON.stringify({ runtime: "node", dataset: spec.name, ...result }, null, 1));
