#!/usr/bin/env bash
# Installs what fuzzing rustomize needs (cargo-fuzz and a nightly toolchain). Not run by CI:
# fuzzing is manual, see fuzz/README.md. Idempotent.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if ! have cargo || ! have rustup; then
  echo "setup_fuzz: cargo and rustup are required (install Rust with rustup)" >&2
  exit 1
fi
# libFuzzer instrumentation (-Zsanitizer) needs a nightly compiler.
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz || cargo install --locked cargo-fuzz
fi
cargo fuzz --version
