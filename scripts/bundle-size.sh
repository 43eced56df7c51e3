#!/usr/bin/env bash
# Prints the size of the release bundle in dist/ (wasm + js + css), raw and gzip -9.
set -euo pipefail
cd "$(dirname "$0")/.."
total_raw=0; total_gz=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -n -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf 'bundle: %-48s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
printf 'bundle: %-48s %8d B raw %8d B gzip\n' "total" "$total_raw" "$total_gz"
