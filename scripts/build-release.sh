#!/usr/bin/env bash
# Builds the release (server and WASM) unless nothing it reads changed since the last one.
# cargo-leptos re-runs wasm-bindgen and wasm-opt on every build (most of a minute); skip it when
# nothing the build reads is newer than its output (and no debug build has replaced the site since).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
stamp=target/release/.tandem-site-built
if [ ! -x target/release/tandem ] || [ ! -f "$stamp" ] || [ ! -f target/site/pkg/tandem.wasm.br ] ||
   [ target/site/pkg/tandem.wasm -nt "$stamp" ] ||
   [ -n "$(find src style public migrations demo Cargo.toml Cargo.lock -newer "$stamp" -print -quit)" ]; then
  # --precompress writes .br and .gz beside every file of the site (brotli at its best, once per
  # build), which the server sends as they are to browsers that accept them.
  cargo leptos build --release --split --precompress
  touch "$stamp"
fi
