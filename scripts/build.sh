#!/usr/bin/env bash
# Builds the npm package into dist/: the wasm core (release, size-tuned, wasm-opt -Oz),
# its wasm-bindgen glue, and the TypeScript wrapper.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --lib --release --target wasm32-unknown-unknown
rm -rf js/wasm
wasm-bindgen --target web --weak-refs --out-dir js/wasm --out-name insitu \
  target/wasm32-unknown-unknown/release/insitu.wasm
# The features rustc enables by default for wasm32; wasm-opt must be told about them.
# --converge repeats -Oz while it still shrinks the module; the producers and
# target-features sections are only informational.
node_modules/.bin/wasm-opt -Oz --converge --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  js/wasm/insitu_bg.wasm -o js/wasm/insitu_bg.wasm

rm -rf dist
node_modules/.bin/tsc -p js/tsconfig.json
mkdir -p dist/wasm
cp js/wasm/insitu.js js/wasm/insitu.d.ts js/wasm/insitu_bg.wasm dist/wasm/
chmod +x dist/cli.js
raw=$(stat -c %s dist/wasm/insitu_bg.wasm)
gz=$(gzip -9 -c dist/wasm/insitu_bg.wasm | wc -c)
echo "built dist/: insitu_bg.wasm ${raw} bytes, ${gz} gzipped"
