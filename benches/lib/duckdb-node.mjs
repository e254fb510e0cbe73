// DuckDB-WASM in Node: the blocking (synchronous, same-thread) build, loaded from the
// local node_modules. Its wasm files are read from disk; nothing is fetched.
import { connectDuckDB, plainRow as plain } from "../../tests/js/duckdb.mjs";

/** Opens an in-memory database and returns the adapter `runCases` expects. */
export async function openDuckDB() {
  const { duckdb, db, conn } = await connectDuckDB();
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
    // The result as DuckDB hands it over (an Arrow table), with no per-row conversion.
    table: (sql) => conn.query(sql),
    drop: (name) => {
      conn.query(`DROP TABLE ${name}`);
    },
    close: () => {
      conn.close();
      db.reset();
    },
  };
}
