#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 240), one after the other on one core,
# with the corpora from seed.sh; prints libFuzzer's final statistics per target.
#   fuzz/run.sh [SECONDS] [TARGET...]
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SECS="${1:-240}"; shift || true
TARGETS=("$@"); [ ${#TARGETS[@]} -gt 0 ] || TARGETS=(inspect layers image catalog)
[ -d "$HERE/corpus" ] || "$HERE/seed.sh"
cd "$HERE/.."
for t in "${TARGETS[@]}"; do
  echo "=== $t ($SECS s)"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$SECS" -max_len=270000 \
    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 |
    grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|stat::|SUMMARY|ERROR|panicked|Test unit written" || true
done
