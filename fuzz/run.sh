#!/usr/bin/env bash
# Runs one fuzz target for a while: fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
# New inputs go to fuzz/work/TARGET (gitignored), seeded from fuzz/corpus/TARGET; crashes go
# to fuzz/artifacts/TARGET/; the log to fuzz/work/TARGET.log. Needs scripts/setup_fuzz.sh.
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh TARGET [SECONDS] [libFuzzer flags...]}
secs=${2:-600}
shift $(( $# < 2 ? $# : 2 ))
cargo +nightly fuzz build "$target"
bin=target/x86_64-unknown-linux-gnu/release/$target
mkdir -p "work/$target" "artifacts/$target"
extra=()
# The build runs helper threads in a std::thread::scope; a helper's thread-local destructor
# list can outlive the scope by a moment, which LeakSanitizer then reports as a 64-byte leak
# (not reproducible: a race, not a leak).
if [ "$target" = build_tree ]; then extra+=(-detect_leaks=0); fi
"$bin" "work/$target" "corpus/$target" \
  -dict=rustomize.dict -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
  -print_final_stats=1 -artifact_prefix="artifacts/$target/" "${extra[@]}" "$@" 2>&1 | tee "work/$target.log" | grep -E '^#[0-9]+.*(NEW|REDUCE|pulse|DONE)|ERROR|panicked|SUMMARY|stat::' || true
echo "log: fuzz/work/$target.log"
