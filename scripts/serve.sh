#!/usr/bin/env bash
# Sets up what is missing, builds and serves the app on http://127.0.0.1:8080 (live reload). A demo system
# loads on first open. Extra arguments go to `trunk serve` (e.g. --port 9000, --release).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
exec trunk serve "$@"
