#!/usr/bin/env bash
# Runs every fuzz target of core/fuzz for SECONDS each (default 60), one after the other, from seed corpora of
# the project's own files (scripts/fuzz-seeds.sh), and prints executions and findings per target.
#   scripts/fuzz.sh [SECONDS] [TARGET…]        e.g. scripts/fuzz.sh 5 (what scripts/test.sh runs), scripts/fuzz.sh 3600 engine
# A crash or timeout stops with the input saved under core/fuzz/artifacts/<target>/ and exit status 1: turn it
# into a unit test, fix it, then run again. Needs cargo-fuzz (scripts/setup.sh installs it). The toolchain is
# stable: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags (sanitizer, coverage) to rustc.
# FUZZ_SANITIZER (default none): the core has no `unsafe`, so the address sanitizer mostly costs speed (about
# half the executions); FUZZ_SANITIZER=address for a run with it.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_EACH=${1:-60}
shift || true
ALL=(decode records document scenario share_link engine)
if [ "$#" -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL[@]}"); fi
ART=${ARTIFACTS:-$PWD/tests/artifacts}
mkdir -p "$ART"
command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz is missing; run scripts/setup.sh" >&2; exit 1; }
export RUSTC_BOOTSTRAP=1
scripts/fuzz-seeds.sh >/dev/null
cd core
SAN=(--sanitizer "${FUZZ_SANITIZER:-none}" --debug-assertions)
# One build of every target (release, with debug assertions: an overflow is a crash), then the runs.
cargo fuzz build "${SAN[@]}"
status=0
summary="$ART/fuzz.txt"
: > "$summary"
for t in "${TARGETS[@]}"; do
  log="$ART/fuzz-$t.log"
  mkdir -p "fuzz/artifacts/$t"
  set +e
  cargo fuzz run "${SAN[@]}" "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "fuzz/corpus/$t" -type f | wc -l)
  found=$(find "fuzz/artifacts/$t" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \) | wc -l)
  if [ "$rc" -eq 0 ]; then verdict="no crash, no timeout"; else verdict="FAILED (exit $rc; see $log)"; status=1; fi
  printf 'fuzz: %-11s %5ss %12s executions %8s/s  corpus %5d  findings on disk %d  %s\n' \
    "$t" "$SECONDS_EACH" "${runs:-?}" "${speed:-?}" "$corpus" "$found" "$verdict" | tee -a "$summary"
done
exit "$status"
