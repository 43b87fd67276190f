#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, unit and integration tests on
# SQLite and on a private PostgreSQL server, then end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh
source scripts/postgres.sh
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

step "formatting and lints (ssr and hydrate)"
cargo fmt --check
cargo clippy --no-default-features --features ssr --all-targets -- -D warnings
cargo clippy --no-default-features --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --no-default-features --features phone --lib --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests on SQLite"
cargo nextest run --no-default-features --features ssr --lib --no-fail-fast

step "integration tests on PostgreSQL"
# fsync off: these tests check behaviour, not durability (the crash test kills the app, not the
# database).
trap stop_pg EXIT
pg_options="-c fsync=off" start_pg
TANDEM_TEST_DATABASE="$pg_url" \
  cargo nextest run --no-default-features --features ssr --lib --no-fail-fast -E 'test(/^it::/)'
# The cluster keeps running for the end-to-end tests: the crash test kills the app on both backends.

step "command line: tandem match"
scripts/build.sh
# Greedy would take the heaviest pair (Bauer–Chen, 11) and leave two alone; the optimum pairs all four.
matched=$(printf 'a,b,gewicht\nAlpers,Bauer,10\nBauer,Chen,11\nChen,Dietz,10\n' | target/debug/tandem match -)
expected='{"pairs":[["Alpers","Bauer",10.0],["Chen","Dietz",10.0]],"total_weight":20.0,"unmatched":[]}'
if [ "$matched" != "$expected" ]; then
  echo "tandem match printed $matched, expected $expected" >&2
  exit 1
fi
if printf 'Alpers,Bauer\n' | target/debug/tandem match - 2>/dev/null; then
  echo "tandem match accepted a line without a weight" >&2
  exit 1
fi
echo "tandem match: optimal pairs and refusal of a bad line as expected"

step "end-to-end tests in Chromium"
(cd end2end && TANDEM_E2E_POSTGRES="$pg_url" npx playwright test)
stop_pg

echo
echo "all tests passed in $(( $(date +%s) - started )) s"
