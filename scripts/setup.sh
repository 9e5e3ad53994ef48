#!/usr/bin/env bash
# Installs what building and testing rustomize needs, on a fresh machine. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }

if ! have cargo; then
  echo "setup: cargo is required (install Rust with rustup)" >&2
  exit 1
fi
# The core crate must build for WebAssembly.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
# The conformance runner and the tools use python3 with PyYAML.
if ! python3 -c 'import yaml' 2>/dev/null; then
  python3 -m pip install --quiet pyyaml
fi
