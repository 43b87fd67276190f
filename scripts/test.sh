#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting and lints, unit and integration tests on
# SQLite and on a private PostgreSQL server, then end-to-end tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

step "formatting and lints (ssr and hydrate)"
cargo fmt --check
cargo clippy --no-default-features --features ssr --all-targets -- -D warnings
cargo clippy --no-default-features --features hydrate --lib --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests on SQLite"
cargo nextest run --no-default-features --features ssr --lib --no-fail-fast

step "integration tests on PostgreSQL"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_dir=$(mktemp -d /tmp/tandem-pg.XXXXXX)
pg_port=55432
as_postgres() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
stop_pg() { as_postgres "$pg_bin/pg_ctl -D $pg_dir/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
trap stop_pg EXIT
as_postgres "$pg_bin/initdb -D $pg_dir/data -U tandem --auth=trust -E UTF8" >/dev/null
as_postgres "$pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off' -l $pg_dir/log -w start" >/dev/null
TANDEM_TEST_DATABASE="postgres://tandem@127.0.0.1:$pg_port/postgres" \
  cargo nextest run --no-default-features --features ssr --lib --no-fail-fast -E 'test(/^it::/)'
stop_pg
trap - EXIT

step "command line: tandem match"
cargo leptos build --split
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
(cd end2end && npx playwright test)

echo
echo "all tests passed in $(( $(date +%s) - started )) s"
