// DuckDB-WASM in Node (its blocking build, read from node_modules) as a second engine
// for tests: load IPC bytes as tables, run SQL, get rows back as plain objects.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const duckdb = require("@duckdb/duckdb-wasm/blocking");

/** A result row as a plain object, bigints as numbers. */
export const plainRow = (row) =>
  Object.fromEntries(Object.entries(row.toJSON()).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));

/** An in-memory database from the local package files: `{ duckdb, db, conn }`. */
export async function connectDuckDB() {
  const dir = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm").replace(/duckdb-mvp\.wasm$/, "");
  const bundles = {
    mvp: { mainModule: `${dir}duckdb-mvp.wasm`, mainWorker: `${dir}duckdb-node-mvp.worker.cjs` },
    eh: { mainModule: `${dir}duckdb-eh.wasm`, mainWorker: `${dir}duckdb-node-eh.worker.cjs` },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  return { duckdb, db, conn: db.connect() };
}

/** An in-memory DuckDB with `load(name, ipcBytes)` and `rows(sql)`. */
export async function openDuckDB() {
  const { db, conn } = await connectDuckDB();
  return {
    // duckdb-wasm bundles its own apache-arrow: hand it IPC bytes, not Table objects.
    load: (name, bytes) => conn.insertArrowFromIPCStream(bytes, { name }),
    rows: (sql) => conn.query(sql).toArray().map(plainRow),
    close: () => {
      conn.close();
      db.reset();
    },
  };
}
