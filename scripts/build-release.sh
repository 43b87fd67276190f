#!/usr/bin/env bash
# Builds the release (server and WASM) unless nothing it reads changed since the last one.
# cargo-leptos re-runs wasm-bindgen and wasm-opt on every build (most of a minute); skip it when
# nothing the build reads is newer than its output (and no debug build has replaced the site since).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
stamp=target/release/.tandem-site-built
if [ ! -x target/release/tandem ] || [ ! -f "$stamp" ] || [ ! -f target/site/pkg/tandem.wasm.br ] || [ ! -f target/site/pkg/tandem-phone.wasm.br ] ||
   [ target/site/pkg/tandem.wasm -nt "$stamp" ] ||
   [ -n "$(find src style public migrations demo Cargo.toml Cargo.lock scripts/build.sh -newer "$stamp" -print -quit)" ]; then
  scripts/build.sh --release
  touch "$stamp"
fi
