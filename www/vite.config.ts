import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));

// The dashboard uses the built package (npm run build) exactly as a user would.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: {
    alias: [
      { find: /^insitu\/files$/, replacement: `${dist}files.js` },
      { find: /^insitu$/, replacement: `${dist}index.js` },
    ],
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: false, fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
  preview: { host: "127.0.0.1", port: 5173 },
  build: { outDir: "../dist-www", emptyOutDir: true, target: "es2022" },
});
