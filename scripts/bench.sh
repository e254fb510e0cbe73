#!/usr/bin/env bash
# The benchmark suite in Node, headless Chromium and native: writes BENCHMARKS.md and
# BENCHMARKS.json (raw figures; also bench-results/*.json). `--quick` (100k and 1M
# events, under 2 minutes) for a check; the full run uses 100k, 1M and 10M events and
# the scaling series up to 20M. `--report-only` re-renders from bench-results/ (or the
# committed BENCHMARKS.json); `--only=scaling|segments|ltv` measures that section alone.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
[ -f dist/node.js ] && [ -f dist/wasm/insitu_bg.wasm ] || bash scripts/build.sh
mkdir -p bench-results
exec node benches/run.mjs "$@"
