#!/usr/bin/env bash
# Installs what is missing, builds the release, loads the demo region once and serves
# http://127.0.0.1:3000 from an SQLite file under data/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

bin=target/release/tandem
# cargo-leptos re-runs wasm-bindgen and wasm-opt on every build (most of a minute); skip it when
# nothing the build reads is newer than its output (and no debug build has replaced the site since).
stamp=target/release/.tandem-site-built
if [ ! -x "$bin" ] || [ ! -f "$stamp" ] || [ ! -f target/site/pkg/tandem.wasm ] ||
   [ target/site/pkg/tandem.wasm -nt "$stamp" ] ||
   [ -n "$(find src style public migrations demo Cargo.toml Cargo.lock -newer "$stamp" -print -quit)" ]; then
  cargo leptos build --release
  touch "$stamp"
fi
export DATABASE_URL="${DATABASE_URL:-sqlite://data/tandem.db}"
"$bin" migrate
"$bin" seed
echo
echo "Tandem runs at http://127.0.0.1:3000 (Ctrl-C stops it)."
echo "First admin account: $bin create-admin --email you@example.de --name 'Your Name'"
echo
exec "$bin" serve "$@"
