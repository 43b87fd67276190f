#!/usr/bin/env bash
# The event day and the abuse against the release build, on loopback only and bounded in time
# (a few minutes after the build): scripts/load/event-day.mjs on SQLite and on a private
# PostgreSQL cluster, then scripts/load/abuse.mjs on SQLite. Prints the figures BENCHMARKS.md
# records; exits non-zero when a run fails one of its promises (a 5xx, a lost write, memory).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh
source scripts/postgres.sh
scripts/build-release.sh

bin=target/release/tandem
dir=$(mktemp -d /tmp/tandem-load.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; stop_pg; rm -rf "$dir"; }
trap cleanup EXIT
export TANDEM_ADMIN_PASSWORD="last-und-missbrauch"
admin=admin@tandem.test
ulimit -n 20000

# Starts the release server on $1 (database URL) at port $2 with extra flags; waits for /healthz.
serve() {
  local url=$1 port=$2
  shift 2
  DATABASE_URL="$url" "$bin" migrate >/dev/null
  DATABASE_URL="$url" "$bin" seed >/dev/null
  DATABASE_URL="$url" "$bin" create-admin --email "$admin" --name "Lasttest" >/dev/null
  DATABASE_URL="$url" TANDEM_TILE_URL=off RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" "$@" \
    >"$dir/server-$port.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return; sleep 0.2; done
  echo "the server on port $port did not start" >&2
  cat "$dir/server-$port.log" >&2
  exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

echo "== event day on SQLite"
serve "sqlite://$dir/load.db" 3400
node scripts/load/event-day.mjs http://127.0.0.1:3400 "$admin" "$TANDEM_ADMIN_PASSWORD"
stop

echo "== event day on PostgreSQL"
start_pg
serve "$pg_url" 3402
node scripts/load/event-day.mjs http://127.0.0.1:3402 "$admin" "$TANDEM_ADMIN_PASSWORD"
stop
stop_pg

echo "== abuse on SQLite (behind one trusted proxy hop, so the scripts choose their addresses)"
serve "sqlite://$dir/abuse.db" 3401 --trust-proxy 1
node scripts/load/abuse.mjs http://127.0.0.1:3401 "$server" "$admin" "$TANDEM_ADMIN_PASSWORD"
stop
