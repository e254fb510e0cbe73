#!/usr/bin/env bash
# The ingest benchmark in Node and headless Chromium: writes BENCHMARKS.md and
# bench-results/ingest.json. `--quick` (100k and 1M events, under 2 minutes) for a check;
# the full run uses 1M and 10M events.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
[ -f dist/node.js ] && [ -f dist/wasm/insitu_bg.wasm ] || bash scripts/build.sh
mkdir -p bench-results
exec node benches/run.mjs "$@"
