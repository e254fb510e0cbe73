#!/usr/bin/env bash
# The whole test suite: formatting, lints, native Rust tests, the wasm build, type checks,
# JS tests against the built package in Node, and headless-Chromium tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci

echo "== cargo fmt --check"; cargo fmt --all --check
echo "== clippy (native)"; cargo clippy --workspace --all-targets -- -D warnings
echo "== clippy (wasm32, includes src/api)"; cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
echo "== cargo test"; cargo test
echo "== build"; bash scripts/build.sh
echo "== typecheck"; node_modules/.bin/tsc -p js/tsconfig.json --noEmit; node_modules/.bin/tsc -p www/tsconfig.json --noEmit
echo "== node tests"; node --test --test-concurrency=1 tests/js/
echo "== browser tests"; node --test --test-concurrency=1 tests/browser/
