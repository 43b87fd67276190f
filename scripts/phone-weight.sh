#!/usr/bin/env bash
# What a phone downloads on its first visit, on the release build over loopback: the personal page
# of a participant seated in a running round and the actor map, each opened in a fresh Chromium
# profile at phone size (every response counted as sent, compressed), then Lighthouse's mobile
# audit (performance and accessibility) of both. Prints the figures BENCHMARKS.md records.
# Installs Lighthouse into scripts/weight/node_modules on first use (not part of the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh
scripts/build-release.sh
if [ ! -d scripts/weight/node_modules ] ||
   [ scripts/weight/package-lock.json -nt scripts/weight/node_modules/.package-lock.json ]; then
  (cd scripts/weight && npm ci --no-audit --no-fund --silent)
fi

bin=target/release/tandem
dir=$(mktemp -d /tmp/tandem-weight.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
export TANDEM_ADMIN_PASSWORD="gewicht-des-telefons"
admin=admin@tandem.test
port=3410
url="sqlite://$dir/weight.db"
DATABASE_URL="$url" "$bin" migrate >/dev/null
DATABASE_URL="$url" "$bin" seed >/dev/null
DATABASE_URL="$url" "$bin" create-admin --email "$admin" --name "Gewicht" >/dev/null
DATABASE_URL="$url" TANDEM_TILE_URL=off RUST_LOG=warn "$bin" serve --bind "127.0.0.1:$port" \
  >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done

CHROME_PATH=/usr/bin/chromium node scripts/weight/weight.mjs "http://127.0.0.1:$port" "$admin" \
  "$TANDEM_ADMIN_PASSWORD" "$dir"
