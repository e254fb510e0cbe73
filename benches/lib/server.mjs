// The local server for the browser benchmark: Vite on 127.0.0.1 serving benches/ (the
// page and the shared case code), the package from the dist/ snapshot, and two raw file routes:
// /duckdb/ (DuckDB-WASM's worker and wasm, straight from node_modules, untransformed)
// and /data/ (the cached sample tables).
import { createReadStream, statSync } from "node:fs";
import { createServer } from "vite";
import { DATA, DIST, REPO, RESULTS } from "./data.mjs";

const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".arrows": "application/vnd.apache.arrow.stream" };

/** Serves files under `dir` at `prefix`, as bytes (Vite would transform the worker script). */
function rawFiles(prefix, dir) {
  return (req, res, next) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!path.startsWith(prefix) || path.includes("..")) return next();
    const file = dir + path.slice(prefix.length);
    let size;
    try {
      size = statSync(file).size;
    } catch {
      return next();
    }
    res.setHeader("Content-Type", TYPES[file.slice(file.lastIndexOf("."))] ?? "application/octet-stream");
    res.setHeader("Content-Length", size);
    createReadStream(file).pipe(res);
  };
}

/** Starts the server; returns it and its origin. */
export async function startServer() {
  const server = await createServer({
    configFile: false,
    root: `${REPO}benches`,
    logLevel: "error",
    // Its own dependency cache, so it never races the test suite's over node_modules/.vite.
    cacheDir: `${RESULTS}vite`,
    resolve: {
      alias: [
        { find: /^insitu$/, replacement: `${DIST}index.js` },
        // The wasm-bindgen glue under its own name, resolving to the very file core.js
        // imports, so the page gets the same (initialised) module instance.
        { find: /^insitu-glue$/, replacement: `${DIST}wasm/insitu.js` },
      ],
    },
    server: { host: "127.0.0.1", port: 0, hmr: false, fs: { allow: [REPO] } },
    optimizeDeps: { include: ["@duckdb/duckdb-wasm"] },
    plugins: [
      {
        name: "bench-raw-files",
        configureServer(s) {
          s.middlewares.use(rawFiles("/duckdb/", `${REPO}node_modules/@duckdb/duckdb-wasm/dist/`));
          s.middlewares.use(rawFiles("/data/", DATA));
        },
      },
    ],
  });
  await server.listen();
  return { server, origin: server.resolvedUrls.local[0].replace(/\/$/, "") };
}
