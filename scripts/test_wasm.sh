#!/usr/bin/env bash
# Builds the npm package `rustomize` (wasm/build.sh) and runs its tests: every golden case
# through the package, the API through import, require and rustomize/init, the TypeScript
# types, the playground's presets and links (node --test tests/node/), and the playground in
# headless Chromium (tests/browser/). Installs what is missing: Debian's chromium, the npm
# dev dependencies (npm ci, wasm/package-lock.json) and wasm-bindgen-cli (by build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

if ! have node || ! have npm; then
  echo "test_wasm: node (>= 20) and npm are required" >&2
  exit 1
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "test_wasm: node >= 20 is required (found $(node --version))" >&2
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing chromium (apt)"
  sudo_=""
  [ "$(id -u)" -eq 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "== wasm/build.sh"
wasm/build.sh

cd wasm
echo "== npm ci (wasm/)"
npm ci --no-audit --no-fund --loglevel=error
node tests/link.mjs

echo "== node --test (golden corpus, API, types, playground; headless Chromium)"
node --test tests/node/ tests/browser/
