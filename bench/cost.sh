#!/usr/bin/env bash
# `policy cost` on one proposal, chart included: the time a user waits, start
# to finish (process start, price table, load, the three patterns priced at
# 121 volumes each, break-evens, the SVG written). Best and mean of N runs
# (default 50) for each example proposal, in milliseconds. The target is
# under 20 ms (docs/performance.md).
# Usage, from the repository root: bash bench/cost.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
cargo build --release --quiet --bin policy
policy=target/release/policy
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for file in examples/scenario_a_saas_api.arch.yaml examples/scenario_b_image_processing.arch.yaml \
  examples/fargate_api_gateway.arch.yaml; do
  "$policy" cost "$file" --chart "$out/chart.svg" > /dev/null # warm the page cache
  times=()
  for _ in $(seq "$n"); do
    start=$(date +%s%N)
    "$policy" cost "$file" --chart "$out/chart.svg" > /dev/null
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v f="$file" '
    { t[NR] = $1; s += $1 }
    END { printf "%-48s best %.1f ms  median %.1f ms  mean %.1f ms  (%d runs)\n", f, t[1] / 1000, t[int((NR + 1) / 2)] / 1000, s / NR / 1000, NR }'
done
