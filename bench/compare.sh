#!/usr/bin/env bash
# One command for a newcomer: archpolicy against cfn-guard and against
# parsing alone, measured in one run with hyperfine, ratios side by side.
# Installs hyperfine and cfn-guard from crates.io when they are missing.
# Usage, from anywhere in the repository: bash bench/compare.sh [N] [RUNS]
#   N     generated proposals (default 2000)
#   RUNS  hyperfine runs of each whole-directory command (default 5; the
#         one-proposal commands run 20 times as many)
# The machine is shared: the load average is printed before and after;
# quote it with any figure (docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
runs=${2:-5}
data=${CARGO_TARGET_DIR:-target}/bench-compare
release=${CARGO_TARGET_DIR:-target}/release

# hyperfine 1.21 and later need a newer rustc than the project's 1.95.
command -v hyperfine > /dev/null || cargo install --locked hyperfine --version 1.20.0
command -v cfn-guard > /dev/null || cargo install --locked cfn-guard --version 3.2.1
command -v python3 > /dev/null || { echo "needs python3" >&2; exit 2; }

cargo build --release --quiet --bin policy --example bench-generate --example bench-parse
# POLICY=path measures another build of `policy` (e.g. the one before a change).
policy=${POLICY:-$release/policy}
rm -rf "$data"
"$release/examples/bench-generate" "$n" "$data" > /dev/null

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
big=(--warmup 1 --runs "$runs" -N --ignore-failure --style basic)
small=(--warmup 5 --runs $((runs * 20)) -N --ignore-failure --style basic)
# Every command's output goes to /dev/null (hyperfine's default); exit 1
# (findings) is expected of `policy check`.
hyperfine "${big[@]}" --export-json "$out/big.json" \
  -n check "$policy check $data/proposals --policies bench/rules.policy --format json --today 2026-11-27" \
  -n check-pack "$policy check $data/proposals --format json --today 2026-11-27" \
  -n cfn-guard "cfn-guard validate --data $data/facts --rules bench/rules.guard --show-summary none --output-format json" \
  -n parse "$release/examples/bench-parse $data/proposals value" \
  -n events "$release/examples/bench-parse $data/proposals events" \
  -n cost "$policy cost $data/proposals --format json" > /dev/null
hyperfine "${small[@]}" --export-json "$out/small.json" \
  -n one "$policy check examples/lambda_api_gateway.arch.yaml" \
  -n version "$policy --version" > /dev/null
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$n" "$out/big.json" "$out/small.json" <<'PY'
import json, sys
n = int(sys.argv[1])
t = {}
for f in sys.argv[2:]:
    for r in json.load(open(f))["results"]:
        t[r["command"]] = (r["median"], r["min"], r["max"])
med = {k: v[0] for k, v in t.items()}
def row(name, what):
    m, lo, hi = t[name]
    unit, scale = ("ms", 1e3)
    print(f"  {what:<44} median {m*scale:9.1f} {unit}  (min {lo*scale:.1f}, max {hi*scale:.1f})")
print(f"{n} generated proposals, medians of hyperfine runs:")
row("check", "policy check, the 13 rules of bench/rules.policy")
row("check-pack", "policy check, today's whole standard pack")
row("cfn-guard", "cfn-guard validate, the same 13 rules")
row("parse", "parsing alone (serde-saphyr, generic value)")
row("events", "parser events alone (granit-parser)")
row("cost", "policy cost --format json")
row("one", "one proposal: policy check (standard pack)")
row("version", "policy --version")
print()
print("ratio                                  measured   target")
print(f"  cfn-guard / policy check          {med['cfn-guard']/med['check']:9.1f}x   at least 10x")
print(f"  cfn-guard / check, whole pack     {med['cfn-guard']/med['check-pack']:9.1f}x   at least 10x")
print(f"  policy check / parsing alone      {med['check']/med['parse']:9.2f}x   at most 1.2x")
print(f"  policy check / parser events      {med['check']/med['events']:9.2f}x   (the parser's floor)")
print(f"  policy cost, per proposal         {med['cost']/n*1e3:9.3f} ms  at most 0.3 ms")
print(f"  one proposal, end to end          {med['one']*1e3:9.2f} ms  under 1.5 ms")
print(f"  policy --version                  {med['version']*1e3:9.2f} ms  under 1 ms")
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%dT%H:%MZ), $(cfn-guard --version 2>/dev/null | head -1), $(hyperfine --version)"
