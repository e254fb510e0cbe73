#!/usr/bin/env bash
# Builds the package and the dashboard, then serves the dashboard (with the built-in
# sample data loaded) on http://127.0.0.1:5173. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
bash scripts/build.sh
node node_modules/vite/bin/vite.js build www --logLevel warn
echo "Insitu dashboard: http://127.0.0.1:${PORT:-5173}/"
exec node node_modules/vite/bin/vite.js preview www --port "${PORT:-5173}" --strictPort
