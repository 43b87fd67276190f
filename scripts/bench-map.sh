#!/usr/bin/env bash
# The actor map at scale, end to end on loopback: a release build serving a synthetic region of
# 5,000 actors and 20,000 connections. Prints the map data payload (raw and gzip), the server
# time of the map data function and of the Lagebild (cold and cached), and the time until the
# map is interactive in headless Chromium. Bounded: a few minutes after the build.
# The in-process figures (layout, centrality) come from `cargo bench --features ssr --bench map`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
source scripts/env.sh
scripts/build-release.sh

port=3300
url="http://127.0.0.1:$port"
dir=$(mktemp -d /tmp/tandem-bench.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/bench.db"
bin=target/release/tandem
"$bin" migrate >/dev/null
"$bin" generate --actors 5000 --connections 20000
TANDEM_TILE_URL=off "$bin" serve --bind "127.0.0.1:$port" >"$dir/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.2; done

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f ms\n", v[int((NR + 1) / 2)] * 1000 }'; }
data="$url/api/karte/daten?filter="
echo "map data payload: $(curl -s "$data" | wc -c) bytes raw, $(curl -s -H 'Accept-Encoding: gzip' "$data" | wc -c) bytes gzip"
echo "map data server time (median of 20, time to first byte): $(for _ in $(seq 20); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$data"; done | median)"
echo "map data, art=startup (median of 20): $(for _ in $(seq 20); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$data"art%3Dstartup; done | median)"
echo "Lagebild server time, first request (the snapshot load already computed it in the background): $(curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url/api/karte/lagebild" | median)"
echo "Lagebild server time, cached (median of 20): $(for _ in $(seq 20); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url/api/karte/lagebild"; done | median)"
echo "network view data, first request (computes the layout): $(curl -s -o /dev/null -w '%{time_starttransfer}\n' "$url/api/karte/netzwerkdaten?filter=" | median)"
(cd end2end && node bench/map-interactive.mjs "$url" 5 /karte && node bench/map-interactive.mjs "$url" 3 /karte/netzwerk)
