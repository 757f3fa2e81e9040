#!/usr/bin/env bash
# `policy cost` on one proposal, chart included: the time a user waits, start
# to finish (process start, price table, load, the three patterns priced at
# 121 volumes each, break-evens, the SVG written). Best and mean of N runs
# (default 50) for each example proposal, in milliseconds. The target is
# under 20 ms (docs/performance.md).
# Usage, from the repository root: bash bench/cost.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/wall.sh
n=${1:-50}
cargo build --release --quiet --bin policy
policy=target/release/policy
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for file in examples/scenario_a_saas_api.arch.yaml examples/scenario_b_image_processing.arch.yaml \
  examples/fargate_api_gateway.arch.yaml; do
  wall "$n" "$file" "$policy" cost "$file" --chart "$out/chart.svg" --force
done
