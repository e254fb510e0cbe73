// DuckDB-WASM in Node (its blocking build, read from node_modules) as a second engine
// for tests: load IPC bytes as tables, run SQL, get rows back as plain objects.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const duckdb = require("@duckdb/duckdb-wasm/blocking");

/** An in-memory DuckDB with `load(name, ipcBytes)` and `rows(sql)`. */
export async function openDuckDB() {
  const dir = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm").replace(/duckdb-mvp\.wasm$/, "");
  const bundles = {
    mvp: { mainModule: `${dir}duckdb-mvp.wasm`, mainWorker: `${dir}duckdb-node-mvp.worker.cjs` },
    eh: { mainModule: `${dir}duckdb-eh.wasm`, mainWorker: `${dir}duckdb-node-eh.worker.cjs` },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  return {
    // duckdb-wasm bundles its own apache-arrow: hand it IPC bytes, not Table objects.
    load: (name, bytes) => conn.insertArrowFromIPCStream(bytes, { name }),
    rows: (sql) =>
      conn
        .query(sql)
        .toArray()
        .map((r) => Object.fromEntries(Object.entries(r.toJSON()).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]))),
    close: () => {
      conn.close();
      db.reset();
    },
  };
}
