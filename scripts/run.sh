#!/usr/bin/env bash
# Installs what is missing, builds the release, loads the demo region once and serves
# http://127.0.0.1:3000 from an SQLite file under data/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh

bin=target/release/tandem
scripts/build-release.sh
export DATABASE_URL="${DATABASE_URL:-sqlite://data/tandem.db}"
"$bin" migrate
"$bin" seed
echo
echo "Tandem runs at http://127.0.0.1:3000 (Ctrl-C stops it)."
echo "First admin account: $bin create-admin --email you@example.de --name 'Your Name'"
echo
exec "$bin" serve "$@"
