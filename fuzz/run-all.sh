#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) of wall time, two at a time
# on two cores, writes each run's final statistics to fuzz/logs/TARGET.log and
# the CPU seconds it used (user + system) to fuzz/logs/summary.txt.
# Usage, from the repository root: bash fuzz/run-all.sh [SECONDS]
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
mkdir -p logs
targets=(parse_policy check_policy load_yaml load_json end_to_end fmt_roundtrip ast_roundtrip walk_tree render
  import_template import_proposal lsp_framing)
run() {
  /usr/bin/time -f "cpu_seconds=%U+%S" -o "logs/$1.time" \
    cargo +nightly fuzz run "$1" -- -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
    -print_final_stats=1 > "logs/$1.log" 2>&1
  echo "$1 exit=$? $(tail -1 "logs/$1.time")" >> logs/summary.txt
}
: > logs/summary.txt
# Build first, so that the CPU time and the time limit are the fuzzers' own.
cargo +nightly fuzz build || exit 2
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[i]}" &
  if (( i + 1 < ${#targets[@]} )); then run "${targets[i+1]}" & fi
  wait
done
cat logs/summary.txt
