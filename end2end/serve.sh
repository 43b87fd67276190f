#!/usr/bin/env bash
# Serves the debug build on a fresh SQLite database with the demo region and one admin.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-3100}
dir=$(mktemp -d /tmp/tandem-e2e.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/e2e.db"
bin=target/debug/tandem
"$bin" migrate
"$bin" seed
TANDEM_ADMIN_PASSWORD="e2e-admin-passwort" "$bin" create-admin --email admin@tandem.test --name "Ada Admin"
# Tiles off: tests never leave the machine; the bundled district basemap is drawn instead.
TANDEM_TILE_URL=off "$bin" serve --bind "127.0.0.1:$port"
