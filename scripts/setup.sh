#!/usr/bin/env bash
# Installs what is missing to build, serve and test smallBMS NG Studio; does nothing that is already done.
# Everything comes from the package registries (crates.io, Debian, npm): nothing is downloaded from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION=0.21.14   # 0.22.x needs rustc >= 1.96.1 (shared/reference/toolchain.md, P1)
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
  || { say "adding the wasm32-unknown-unknown target"; rustup target add wasm32-unknown-unknown; }
cargo fmt --version >/dev/null 2>&1 || { say "adding rustfmt"; rustup component add rustfmt; }
cargo clippy --version >/dev/null 2>&1 || { say "adding clippy"; rustup component add clippy; }

# wasm-bindgen-cli must be exactly the wasm-bindgen of Cargo.lock, or Trunk tries to download one.
WB_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WB_VERSION" ]; then
  say "installing wasm-bindgen-cli $WB_VERSION (about 2 minutes)"
  # --locked fails on this registry mirror (a locked dependency is missing): fall back to a fresh resolve.
  cargo install --locked wasm-bindgen-cli --version "$WB_VERSION" \
    || cargo install --force wasm-bindgen-cli --version "$WB_VERSION"
fi
if [ "$(trunk --version 2>/dev/null | cut -d' ' -f2)" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 8 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi
# cargo-fuzz drives the fuzz targets of core/fuzz (scripts/fuzz.sh; a few seconds each in scripts/test.sh).
if ! command -v cargo-fuzz >/dev/null; then
  say "installing cargo-fuzz 0.13.2 (about 2 minutes)"
  cargo install --locked cargo-fuzz --version 0.13.2
fi
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi
# playwright-core drives /usr/bin/chromium; binaryen 132 provides wasm-opt (Debian's 108 breaks the wasm).
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  say "installing the browser-test dependencies (npm ci)"
  npm ci --prefix tests --no-audit --no-fund --loglevel=error
fi
cargo fetch --locked --quiet
