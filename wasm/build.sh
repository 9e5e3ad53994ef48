#!/usr/bin/env bash
# Builds the npm package `rustomize` into wasm/pkg/ (gitignored):
#
#   wasm/build.sh            # release build (profile `wasm` of wasm/cargo-profile.toml)
#
# Steps: cargo build of the crate rustomize-wasm for wasm32-unknown-unknown; wasm-bindgen
# (the exact version of the wasm-bindgen crate in Cargo.lock, installed with cargo install if
# missing) twice: --target web (ES module, for browsers and bundlers) and --target nodejs
# (CommonJS, synchronous, for Node's require and import); then the hand-written entry points
# and types of wasm/js/. Prints the size of the .wasm, raw and gzipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

have() { command -v "$1" >/dev/null 2>&1; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wb_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
if [ -z "$wb_version" ]; then
  echo "build.sh: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wb_version" ]; then
  echo "== installing wasm-bindgen-cli $wb_version (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

echo "== cargo build (wasm32-unknown-unknown, profile wasm)"
cargo build --config wasm/cargo-profile.toml --profile wasm --target wasm32-unknown-unknown -p rustomize-wasm
wasm="$root/target/wasm32-unknown-unknown/wasm/rustomize_wasm.wasm"

pkg="$here/pkg"
rm -rf "$pkg"
mkdir -p "$pkg"
echo "== wasm-bindgen $wb_version"
common=(--no-typescript --remove-name-section --remove-producers-section --out-name rustomize)
wasm-bindgen --target web "${common[@]}" --out-dir "$pkg/web" "$wasm"
wasm-bindgen --target nodejs "${common[@]}" --out-dir "$pkg/node" "$wasm"
printf '{\n  "type": "commonjs"\n}\n' > "$pkg/node/package.json"

# Both targets get the same .wasm: the Node build reads the web build's copy.
node_js="$pkg/node/rustomize.js"
if cmp -s "$pkg/web/rustomize_bg.wasm" "$pkg/node/rustomize_bg.wasm" \
  && grep -q '^const wasmPath = `${__dirname}/rustomize_bg.wasm`;$' "$node_js"; then
  sed -i 's|^const wasmPath = `${__dirname}/rustomize_bg.wasm`;$|const wasmPath = `${__dirname}/../web/rustomize_bg.wasm`;|' "$node_js"
  rm "$pkg/node/rustomize_bg.wasm"
fi

version="$(cargo pkgid -p rustomize-wasm | sed 's/.*[#@]//')"
cp wasm/js/index.js wasm/js/init.js wasm/js/shared.js wasm/js/index.cjs wasm/js/node.mjs \
  wasm/js/index.d.ts wasm/js/init.d.ts wasm/js/README.md "$pkg/"
cp wasm/js/index.d.ts "$pkg/index.d.cts"
sed "s/@VERSION@/$version/" wasm/js/package.json > "$pkg/package.json"

raw=$(wc -c < "$pkg/web/rustomize_bg.wasm")
gz=$(gzip -9 -c "$pkg/web/rustomize_bg.wasm" | wc -c)
echo "== wasm/pkg: rustomize $version; rustomize_bg.wasm $raw bytes, $gz gzipped (gzip -9)"
