// DuckDB-WASM in Node: the blocking (synchronous, same-thread) build, loaded from the
// local node_modules. Its wasm files are read from disk; nothing is fetched.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
// The package's "./blocking" export is CommonJS in Node.
const duckdb = require("@duckdb/duckdb-wasm/blocking");

const plain = (row) =>
  Object.fromEntries(Object.entries(row.toJSON()).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v]));

/** Opens an in-memory database and returns the adapter `runCases` expects. */
export async function openDuckDB() {
  const dir = require.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm").replace(/duckdb-mvp\.wasm$/, "");
  const bundles = {
    mvp: { mainModule: `${dir}duckdb-mvp.wasm`, mainWorker: `${dir}duckdb-node-mvp.worker.cjs` },
    eh: { mainModule: `${dir}duckdb-eh.wasm`, mainWorker: `${dir}duckdb-node-eh.worker.cjs` },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  // createDuckDB picks the exception-handling build when the host supports it.
  const bundle = (await duckdb.getPlatformFeatures()).wasmExceptions ? "eh" : "mvp";
  return {
    info: { package: duckdb.PACKAGE_VERSION, version: db.getVersion(), bundle },
    // insertArrowFromIPCStream copies the bytes into DuckDB's heap: no copy needed here.
    prepare: (bytes) => bytes,
    insert: (bytes, name) => conn.insertArrowFromIPCStream(bytes, { name }),
    count: (name) => Number(conn.query(`SELECT count(*) AS n FROM ${name}`).getChildAt(0).get(0)),
    // Rows of a query as plain objects (bigints as numbers), for comparing results.
    rows: (sql) => conn.query(sql).toArray().map(plain),
    drop: (name) => {
      conn.query(`DROP TABLE ${name}`);
    },
    close: () => {
      conn.close();
      db.reset();
    },
  };
}
