# Sourced by the scripts: the tools setup.sh installed, first on PATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/tests/node_modules/.bin:$HOME/.cargo/bin:$PATH"   # wasm-opt 132 from npm first
export TRUNK_SKIP_VERSION_CHECK=true
