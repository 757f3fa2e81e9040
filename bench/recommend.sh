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
. bench/wall.sh
n=${1:-50}
cargo build --release --quiet --bin policy
policy=target/release/policy
for file in examples/*.needs.yaml; do
  wall "$n" "$file" "$policy" recommend "$file"
done
