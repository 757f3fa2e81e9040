#!/usr/bin/env bash
# archpolicy against cfn-guard on equivalent rules, and against plain YAML
# parsing, on N generated proposals (default 10000), in one run on one
# machine. Installs cfn-guard from crates.io when it is missing.
# Usage, from the repository root: bash bench/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
data=bench/data

command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
if ! command -v cfn-guard > /dev/null; then
  echo "installing cfn-guard from crates.io..."
  cargo install --locked cfn-guard > /dev/null
fi

cargo build --release --quiet --bin policy --example bench-generate --example bench-parse
policy=target/release/policy
rm -rf "$data"
target/release/examples/bench-generate "$n" "$data"

# Seconds (to the millisecond), peak resident memory (KiB) and CPU seconds
# (user + system) of a command; its output is dropped.
measure() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f "%M %U %S" -o /tmp/archpolicy-bench.time "$@" > /dev/null 2>&1 || true
  end=$(date +%s%N)
  echo "$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.3f", (e-s)/1e9}') $(tail -1 /tmp/archpolicy-bench.time | awk '{print $1, $2 + $3}')"
}
best_of() { # runs a measurement five times, keeps the fastest (and its memory)
  local best="" line
  for _ in 1 2 3 4 5; do
    line=$(measure "$@")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$line; fi
  done
  echo "$best"
}

# Timed and compared on bench/rules.policy, the rules bench/rules.guard states
# (the standard pack of 2026-11-27); the whole pack of today is timed too.
rules=(--policies bench/rules.policy)
read -r check_s check_kb check_cpu < <(best_of "$policy" check "$data/proposals" "${rules[@]}" --format json --today 2026-11-27)
read -r pack_s pack_kb _ < <(best_of "$policy" check "$data/proposals" --format json --today 2026-11-27)
read -r facts_s facts_kb facts_cpu < <(best_of "$policy" facts "$data/proposals" --format json --today 2026-11-27)
read -r cost_s cost_kb cost_cpu < <(best_of "$policy" cost "$data/proposals" --format json)
read -r parse_s parse_kb _ < <(best_of target/release/examples/bench-parse "$data/proposals" value)
read -r events_s _ _ < <(best_of target/release/examples/bench-parse "$data/proposals" events)
read -r guard_s guard_kb _ < <(best_of cfn-guard validate --data "$data/facts" --rules bench/rules.guard --show-summary none --output-format json)

# One proposal, start to finish: the mean of 50 runs.
start=$(date +%s%N)
for _ in $(seq 50); do "$policy" check examples/fargate_alb.arch.yaml "${rules[@]}" > /dev/null || true; done
end=$(date +%s%N)
one_ms=$(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.2f", (e-s)/50/1e6}')

# The rules are equivalent: both tools flag the same policies on a sample.
agree=$(python3 - "$policy" "$data" <<'PY'
import json, subprocess, sys
policy, data = sys.argv[1], sys.argv[2]
agree = total = 0
for i in range(0, 200):
    name = f"{i:05}"
    ours = json.loads(subprocess.run([policy, "check", f"{data}/proposals/{name}.arch.yaml", "--policies", "bench/rules.policy", "--format", "json", "--today", "2026-11-27"],
                                     capture_output=True, text=True).stdout)
    mine = sorted({f["policy"].replace("-", "_") for f in ours["proposals"][0]["findings"]})
    out = subprocess.run(["cfn-guard", "validate", "--data", f"{data}/facts/{name}.json", "--rules", "bench/rules.guard",
                          "--show-summary", "fail"], capture_output=True, text=True).stdout
    theirs = sorted({l.split("/")[1].split()[0] for l in out.splitlines() if l.startswith("rules.guard/") and l.rstrip().endswith("FAIL")})
    total += 1
    agree += mine == theirs
print(f"{agree}/{total}")
PY
)

awk -v n="$n" -v c="$check_s" -v p="$parse_s" -v e="$events_s" -v g="$guard_s" -v ck="$check_kb" -v cc="$check_cpu" -v gk="$guard_kb" -v pk="$parse_kb" -v one="$one_ms" 'BEGIN {
  printf "proposals:                  %d\n", n
  printf "archpolicy check:           %.3f s  (%.0f proposals/s, peak %.1f MiB, %.1f cores busy)\n", c, n/c, ck/1024, cc/c
  printf "cfn-guard validate:         %.3f s  (%.0f documents/s, peak %.1f MiB)\n", g, n/g, gk/1024
  printf "plain YAML parsing:         %.3f s  (to a generic value with serde-saphyr; peak %.1f MiB)\n", p, pk/1024
  printf "parser events only:         %.3f s  (granit-parser, no document built)\n", e
  printf "one proposal, wall:         %s ms\n", one
  printf "throughput vs cfn-guard:    %.1fx   (target: at least 10x)\n", g/c
  printf "check / parsing alone:      %.2fx   (target: at most 1.2x)\n", c/p
  printf "check / parser events only: %.2fx   (no target: the parser'"'"'s floor)\n", c/e
  printf "peak memory, %d proposals: %.1f MiB (target: under 100 MiB)\n", n, ck/1024
}'
awk -v n="$n" -v s="$pack_s" -v sk="$pack_kb" 'BEGIN {
  printf "archpolicy check, today'"'"'s whole standard pack: %.3f s  (%.0f proposals/s, peak %.1f MiB)\n", s, n/s, sk/1024
}'
awk -v n="$n" -v f="$facts_s" -v fk="$facts_kb" -v fc="$facts_cpu" -v c="$cost_s" -v ck="$cost_kb" -v cc="$cost_cpu" 'BEGIN {
  printf "archpolicy facts --format json: %.3f s  (%.0f proposals/s, peak %.1f MiB, %.1f cores busy)\n", f, n/f, fk/1024, fc/f
  printf "archpolicy cost --format json:  %.3f s  (%.0f proposals/s, peak %.1f MiB, %.1f cores busy)\n", c, n/c, ck/1024, cc/c
}'
echo "same findings as cfn-guard:  $agree sampled proposals"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d)"
