#!/usr/bin/env bash
# Builds each fuzz target's working corpus, fuzz/corpus/TARGET (ignored by
# git), from the committed seeds (fuzz/seeds/TARGET), the past crashes
# (fuzz/regressions/TARGET) and the repository's own inputs. Then
# `cargo +nightly fuzz cmin TARGET` minimizes it (docs/fuzzing.md).
# Run from the repository root: bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
for d in fuzz/seeds/* fuzz/regressions/*; do
  [ -d "$d" ] || continue
  mkdir -p "$c/$(basename "$d")"
  cp "$d"/* "$c/$(basename "$d")/" 2>/dev/null || true
done
mkdir -p $c/parse_policy $c/check_policy $c/fmt_roundtrip $c/load_yaml $c/load_json $c/end_to_end $c/ast_roundtrip
n=0
for f in policies/*.policy tests/fixtures/policy/*.policy tests/fixtures/fmt/*.policy tests/fixtures/waivers/*.policy; do
  n=$((n+1))
  for t in parse_policy check_policy fmt_roundtrip; do cp "$f" "$c/$t/seed-$n"; done
done
n=0
for f in examples/*.arch.yaml tests/fixtures/load/*.arch.* tests/policies/*/*.arch.yaml tests/fixtures/waivers/*.arch.yaml; do
  n=$((n+1))
  cp "$f" "$c/load_yaml/seed-$n"
done
n=0
for f in examples/*.arch.yaml tests/policies/*/*.arch.yaml; do
  n=$((n+1))
  # A JSON proposal: the example converted with PyYAML (or copied when it is missing).
  python3 - "$f" "$c/load_json/seed-$n" <<'PY'
import json, sys
src, dst = sys.argv[1], sys.argv[2]
try:
    import yaml
    json.dump(yaml.safe_load(open(src)), open(dst, "w"), indent=1, default=str)
except ImportError:
    open(dst, "w").write(open(src).read())
PY
done
n=0
for p in policies/request-path.policy policies/security.policy policies/operations.policy; do
  for f in examples/*.arch.yaml; do
    n=$((n+1))
    { cat "$p"; printf '\0'; cat "$f"; } > "$c/end_to_end/seed-$n"
  done
done
# The structure-aware target starts from random bytes.
for i in 1 2 3 4 5 6 7 8; do head -c 256 /dev/urandom > "$c/ast_roundtrip/seed-$i"; done
# render reads its bytes with `arbitrary`: any files do; the examples give it text and line breaks.
mkdir -p $c/render
n=0
for f in examples/*.arch.yaml; do
  n=$((n+1))
  cp "$f" "$c/render/seed-example-$n"
done
# The import targets start from the project's own templates (never ../shared's).
for t in import_template import_proposal; do
  mkdir -p "$c/$t"
  for f in tests/fixtures/import/*-template.yaml tests/fixtures/import/*.json examples/imported/template.yaml; do
    cp "$f" "$c/$t/seed-$(basename "$f")"
  done
done
echo "seeded $(find $c -type f | wc -l) inputs"
