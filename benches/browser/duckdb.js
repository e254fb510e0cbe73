// DuckDB-WASM in the page: the async build with its Web Worker, every file from the local
// server's /duckdb/ route (never the CDN bundles the package defaults to).
import * as duckdb from "@duckdb/duckdb-wasm";

export async function openDuckDB() {
  const base = new URL("/duckdb/", location.href).href;
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: `${base}duckdb-mvp.wasm`, mainWorker: `${base}duckdb-browser-mvp.worker.js` },
    eh: { mainModule: `${base}duckdb-eh.wasm`, mainWorker: `${base}duckdb-browser-eh.worker.js` },
  });
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule);
  const conn = await db.connect();
  return {
    info: {
      package: duckdb.PACKAGE_VERSION,
      version: await db.getVersion(),
      bundle: bundle.mainModule.endsWith("eh.wasm") ? "eh" : "mvp",
    },
    // The async insert transfers the buffer to the worker (detaching it), so each run
    // gets its own copy, made before the timer starts.
    prepare: (bytes) => bytes.slice(),
    insert: (bytes, name) => conn.insertArrowFromIPCStream(bytes, { name }),
    // Rows of a query as plain objects (bigints as numbers), for comparing results.
    rows: async (sql) =>
      (await conn.query(sql))
        .toArray()
        .map((row) => Object.fromEntries(Object.entries(row.toJSON()).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))),
    // The result as DuckDB hands it over (an Arrow table), with no per-row conversion.
    table: (sql) => conn.query(sql),
    count: async (name) => Number((await conn.query(`SELECT count(*) AS n FROM ${name}`)).getChildAt(0).get(0)),
    drop: async (name) => {
      await conn.query(`DROP TABLE ${name}`);
    },
    close: async () => {
      await conn.close();
      await db.terminate();
    },
  };
}
