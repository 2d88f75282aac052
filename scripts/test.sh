#!/usr/bin/env bash
# `npm test`: the whole suite, on SQLite and on PostgreSQL. The PostgreSQL tests never skip:
# without a server they fail, so this makes sure one answers first.
set -euo pipefail
cd "$(dirname "$0")/.."
RINGBACK_TEST_PG="$(scripts/ensure-postgres.sh)"
export RINGBACK_TEST_PG
npm run build
npx vitest run "$@"
