#!/usr/bin/env bash
# Builds the site: the server and the app's WASM bundle with cargo-leptos, then the phone bundle
# (`tandem-phone`), the same crate with the `phone` feature. The personal page, which every phone
# at an event opens, is served with it: it hydrates only the page's live panel (a Leptos island),
# so a phone loads a fraction of the app. `--release` builds optimised and precompressed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

wasm_dir=target/wasm32-unknown-unknown/debug
profile=()
if [ "${1:-}" = --release ]; then
  # --precompress writes .br and .gz beside every file of the site (brotli at its best, once per
  # build), which the server sends as they are to browsers that accept them.
  cargo leptos build --release --split --precompress
  wasm_dir=target/wasm32-unknown-unknown/wasm-release
  profile=(--profile wasm-release)
else
  cargo leptos build --split
fi

# Built in the default target directory (cargo-leptos builds its WASM in target/front) with the
# flags cargo-leptos uses except its relocation records for splitting, which this one module
# does not need and which would keep wasm-opt from shrinking it.
RUSTFLAGS="--cfg erase_components" \
  cargo build --lib --target wasm32-unknown-unknown --no-default-features --features phone \
  "${profile[@]}"
pkg=target/site/pkg
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name tandem-phone \
  "$wasm_dir/tandem.wasm"
mv "$pkg/tandem-phone_bg.wasm" "$pkg/tandem-phone.wasm"
# The server would send a compressed copy of an earlier build as it is.
rm -f "$pkg"/tandem-phone.*.br "$pkg"/tandem-phone.*.gz
if [ "${1:-}" = --release ]; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$pkg/tandem-phone.wasm" -o "$pkg/tandem-phone.wasm"
  node scripts/precompress.mjs "$pkg/tandem-phone.wasm" "$pkg/tandem-phone.js"
fi
