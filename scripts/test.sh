#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test of smallBMS NG Studio:
# fmt, clippy (native + wasm32), core tests (native), core determinism test under wasm32, component tests in
# headless Chromium (wasm-bindgen-test), every fuzz target for a few seconds, benchmarks in short mode, the release build and its bundle size against
# the budget, and the end-to-end tests of that build served on 127.0.0.1. Artifacts (screenshots, figures) land in tests/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
PORT=${PORT:-8089}
ART="$PWD/tests/artifacts"
mkdir -p "$ART"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "format";            cargo fmt --all -- --check
step "clippy, native";    cargo clippy --locked -p smallbms-core --features std --all-targets -- -D warnings
                          cargo clippy --locked -p smallbms-web --all-targets -- -D warnings
step "clippy, wasm32";    cargo clippy --locked --target wasm32-unknown-unknown -p smallbms-core --lib --tests -- -D warnings
                          cargo clippy --locked --target wasm32-unknown-unknown -p smallbms-web --all-targets -- -D warnings
                          cargo clippy --locked --target wasm32-unknown-unknown -p smallbms-web --features plan-view --lib -- -D warnings
step "core tests (native): units, scenarios, properties, vectors, command line"
cargo test --locked -p smallbms-core --features std
step "web crate unit tests (native)"
cargo test --locked -p smallbms-web
cargo build --locked -p smallbms-core --features std --bin smallbms
export SMALLBMS_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/smallbms"    # the e2e Bluetooth test encodes with the core's encoder
step "core determinism under wasm32 (node)"
cargo test --locked -p smallbms-core --target wasm32-unknown-unknown --test wasm_parity
step "component tests in headless Chromium (wasm-bindgen-test)"
cargo test --locked --target wasm32-unknown-unknown -p smallbms-web
step "fuzz targets, a few seconds each (a target that no longer builds or crashes fails here; campaign: scripts/fuzz.sh)"
ARTIFACTS="$ART" scripts/fuzz.sh "${FUZZ_SECONDS:-3}"
step "benchmarks (short mode; full figures: scripts/bench.sh)"
# Only the criterion targets: libtest (the lib's own harness) does not know --quick. A failure stops the run.
cargo bench --locked -p smallbms-core --features std --bench engine --bench bank -- --quick --noplot 2>&1 \
  | tee "$ART/bench-core.txt" | { grep -E '^[a-z_0-9]+ +time:|^ +time:|^[a-z_0-9]+$' || true; }
step "release build"
trunk build --release --locked
scripts/bundle-size.sh --check | tee "$ART/bundle-size.txt"    # fails over the budget (BUDGET_GZIP)
step "end-to-end tests against the release build on 127.0.0.1:$PORT"
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
kill -0 "$SERVER_PID" 2>/dev/null || { echo "could not serve dist/ on 127.0.0.1:$PORT (port in use? set PORT=…)"; exit 1; }
(cd tests && APP_URL="http://127.0.0.1:$PORT/" ARTIFACTS="$ART" node --test --test-concurrency=1 e2e/ 2>&1 | tee "$ART/e2e.txt")
grep -h '^# BENCH\|^BENCH' "$ART/e2e.txt" || true
step "done: every check passed"
