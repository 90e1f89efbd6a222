#!/usr/bin/env bash
# `npm test`: the whole suite — unit, database (PGlite and PostgreSQL), interop with the real tools,
# and the Chromium end-to-end tests. PostgreSQL: HAKKO_TEST_DATABASE_URL (default the local server's
# `test` database); every run creates and drops its own databases there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
node node_modules/vite/bin/vite.js build --logLevel warn
exec node node_modules/vitest/vitest.mjs run "$@"
