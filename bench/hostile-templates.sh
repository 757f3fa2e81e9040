#!/usr/bin/env bash
# The worst templates of each costly class (issue 22), at the 8 MiB limit:
# the wall time and peak RSS of `policy import FILE` and of `policy check`
# on a proposal standing on it, on a release build (docs/performance.md).
# Each must finish in under 1 s and 100 MiB, or refuse with
# `archpolicy::import::budget`.
# Usage, from the repository root: bash bench/hostile-templates.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/hostile-templates}
cargo build --release --quiet --bin policy --example bench-hostile-templates
target/release/examples/bench-hostile-templates "$dir" >/dev/null
measure() {
  local t
  t=$(mktemp)
  /usr/bin/time -v -o "$t" "$@" >/dev/null 2>"$t.err" || true
  local wall rss code
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$t")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$t")
  code=$(grep -o 'archpolicy::[a-z_:]*' "$t.err" | head -1 || true)
  rm -f "$t" "$t.err"
  printf '%8s  %4s MiB  %s\n' "$wall" "$((rss / 1024))" "${code:-ok}"
}
for template in "$dir"/*.yaml "$dir"/*.json; do
  case $template in *.arch.yaml) continue ;; esac
  name=$(basename "${template%.*}")
  printf '%-20s import  ' "$name"; measure target/release/policy import "$template"
  printf '%-20s check   ' "$name"; measure target/release/policy check "$dir/p-$name.arch.yaml" --policies policies
done
