#!/usr/bin/env bash
# Builds the playground into playground/dist/: the engine compiled to
# WebAssembly (bindings/wasm) with its JavaScript glue, and the static page.
# Serve it with `python3 -m http.server -d playground/dist` (docs/playground.md).
#
# Needs the wasm32-unknown-unknown target (`rustup target add
# wasm32-unknown-unknown`) and wasm-bindgen-cli at the wasm-bindgen version
# in Cargo.lock: installed here into ~/.cache/archpolicy when missing, as
# .ci/run installs its other tools. WASM_BINDGEN names another binary.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$version" ] || { echo "no wasm-bindgen in Cargo.lock" >&2; exit 1; }
cache="${XDG_CACHE_HOME:-$HOME/.cache}/archpolicy/wasm-bindgen-cli-$version"
bindgen="${WASM_BINDGEN:-$cache/bin/wasm-bindgen}"
if [ ! -x "$bindgen" ]; then
  # Not --locked: the CLI's own lock names a webpki-roots release the
  # registry no longer serves; without TLS (no default features) nothing
  # of it is built, and the CLI's version is pinned all the same.
  cargo install --quiet wasm-bindgen-cli --version "$version" --no-default-features --root "$cache"
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

target_dir="${CARGO_TARGET_DIR:-target}"
cargo build --locked -p archpolicy-wasm --target wasm32-unknown-unknown --profile wasm
dist=playground/dist
rm -rf "$dist"
mkdir -p "$dist/pkg"
"$bindgen" --target web --no-typescript --out-dir "$dist/pkg" \
  "$target_dir/wasm32-unknown-unknown/wasm/archpolicy_wasm.wasm"
cp playground/index.html playground/playground.js playground/playground.css "$dist/"
wasm="$dist/pkg/archpolicy_wasm_bg.wasm"
echo "built $dist: $(wc -c <"$wasm") bytes of wasm, $(gzip -9 -c "$wasm" | wc -c) gzipped"
