#!/usr/bin/env bash
# `policy recommend` on one needs file with the standard pack: the time a
# user waits, start to finish (process start, the needs file, the standard
# pack parsed and checked, three candidates built, written, loaded, checked
# and priced, the smallest change searched for each ruled-out one, the
# break-even volumes). Best, median and mean of N runs (default 50) for each
# scenario, in milliseconds. The target is under 50 ms (docs/performance.md).
# Usage, from the repository root: bash bench/recommend.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
cargo build --release --quiet --bin policy
policy=target/release/policy
for file in examples/*.needs.yaml; do
  "$policy" recommend "$file" > /dev/null # warm the page cache
  times=()
  for _ in $(seq "$n"); do
    start=$(date +%s%N)
    "$policy" recommend "$file" > /dev/null
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v f="$file" '
    { t[NR] = $1; s += $1 }
    END { printf "%-48s best %.1f ms  median %.1f ms  mean %.1f ms  (%d runs)\n", f, t[1] / 1000, t[int((NR + 1) / 2)] / 1000, s / NR / 1000, NR }'
done
