#!/usr/bin/env bash
# Full benchmark figures (the test command runs the same benchmarks in criterion's --quick mode).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
. scripts/env.sh
cargo bench --locked -p smallbms-core --features std --bench engine --bench bank -- --noplot
