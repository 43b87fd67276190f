#!/usr/bin/env bash
# Installs whatever this project needs and is missing; quick when everything is there.
# Usage: scripts/setup.sh [--tests]   (--tests adds Chromium, PostgreSQL and the Playwright packages)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
BINARYEN_VERSION=132
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
with_tests=false
[ "${1:-}" = "--tests" ] && with_tests=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=false
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if ! $apt_updated; then as_root apt-get update -qq; apt_updated=true; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first (https://rustup.rs)" >&2; exit 1; }
command -v cc >/dev/null || need_apt build-essential
command -v npm >/dev/null || need_apt nodejs npm

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "$CARGO_LEPTOS_VERSION" ]; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes, once)"
  cargo install cargo-leptos@"$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches Cargo.lock)"
  # Not --locked: its lockfile pins a webpki-roots version the registry mirror lacks.
  cargo install wasm-bindgen-cli@"$WASM_BINDGEN_VERSION" --force
fi

# wasm-opt for release builds, from npm: Debian's binaryen is too old for current rustc output.
tools=target/tools
if [ "$("$tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | awk '{print $3}')" != "$BINARYEN_VERSION" ]; then
  say "installing binaryen $BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --silent binaryen@"$BINARYEN_VERSION" >/dev/null
fi

# Browser libraries (Leaflet) from npm, served from public/vendor: no CDN at run time.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing the browser packages"
  npm ci --no-audit --no-fund --silent
fi
mkdir -p public/vendor/leaflet
if ! cmp -s node_modules/leaflet/dist/leaflet.js public/vendor/leaflet/leaflet.js; then
  cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
    node_modules/leaflet/dist/images node_modules/leaflet/LICENSE public/vendor/leaflet/
fi

if $with_tests; then
  command -v cargo-nextest >/dev/null || { say "installing cargo-nextest"; cargo install cargo-nextest --locked; }
  # pdftotext reads the playbook PDF Chromium prints in the end-to-end tests.
  need_apt chromium postgresql poppler-utils
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    say "installing the end-to-end test packages"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
fi
