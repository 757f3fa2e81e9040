#!/usr/bin/env bash
# Importing the largest template of the corpus: the target is under 10 ms
# (docs/performance.md, issue 16). Two figures, on a release build:
#  - in the library (bench/import.rs): import_str (parse + classify) and the
#    translation of every service found, RUNS times per template (default
#    1000), best, median and mean; every template of the corpus is timed;
#  - `policy import FILE` on the largest, start to finish, N runs (default
#    50): best, median and mean wall time.
# The corpus is read where it is (default ../shared/iac-corpus), never copied.
# The largest template is the largest file that is not Terraform HCL (.tf)
# or the corpus's own notes (.md, .tsv).
# Usage, from the repository root: bash bench/import.sh [N] [RUNS] [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/wall.sh
n=${1:-50}
runs=${2:-1000}
corpus=${3:-../shared/iac-corpus}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
cargo build --release --quiet --bin policy --example bench-import
largest=$(find "$corpus" -type f ! -name '*.tf' ! -name '*.md' ! -name '*.tsv' -printf '%s\t%p\n' \
  | sort -n | tail -1 | cut -f2)
target/release/examples/bench-import "$runs" "$corpus"
policy=target/release/policy
wall "$n" "policy import $largest" "$policy" import "$largest"
