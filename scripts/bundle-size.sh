#!/usr/bin/env bash
# Prints the size of the release bundle in dist/ (wasm + js + css), raw and gzip -9, against the budget.
# `--check` (what scripts/test.sh runs) also fails when the gzip total of wasm + js is over the budget.
set -euo pipefail
cd "$(dirname "$0")/.."
# THE bundle budget: wasm + js (the app's code), gzip -9, in bytes. The only place it is written.
BUDGET_GZIP=400000
check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: scripts/bundle-size.sh [--check]" >&2; exit 2 ;;
esac
ls dist/*.wasm >/dev/null 2>&1 || { echo "bundle: no dist/*.wasm; run trunk build --release first" >&2; exit 1; }
total_raw=0; total_gz=0; code_gz=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -n -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  case "$f" in *.wasm|*.js) code_gz=$((code_gz + gz)) ;; esac
  printf 'bundle: %-48s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf 'bundle: %-48s %8d B raw %8d B gzip\n' "total" "$total_raw" "$total_gz"
printf 'bundle: %-48s %8s       %8d B gzip (budget %d B, %d%%)\n' "wasm + js" "" "$code_gz" "$BUDGET_GZIP" \
  "$((code_gz * 100 / BUDGET_GZIP))"
if $check && [ "$code_gz" -gt "$BUDGET_GZIP" ]; then
  echo "bundle: OVER BUDGET by $((code_gz - BUDGET_GZIP)) B: wasm + js is $code_gz B gzip, the budget is $BUDGET_GZIP B" \
       "(scripts/bundle-size.sh, BUDGET_GZIP)" >&2
  exit 1
fi
