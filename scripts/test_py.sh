#!/usr/bin/env bash
# Builds the Python package (py/) and runs its tests, in a virtual environment under the
# repository (.venv-py, or $RUSTOMIZE_VENV). Needs python3 with the venv module, cargo, and
# PyPI (maturin, pytest, PyYAML). Extra arguments go to pytest, e.g.
#   scripts/test_py.sh -k golden -x
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
venv="${RUSTOMIZE_VENV:-$root/.venv-py}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"
echo "== installing maturin, pytest, pyyaml"
"$py" -m pip install --quiet --disable-pip-version-check maturin pytest pyyaml
echo "== building and installing the package (pip install ./py)"
# A local directory is always rebuilt; cargo's cache in target/ keeps that incremental.
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps ./py
echo "== pytest"
cd py
exec "$py" -m pytest -q -p no:cacheprovider "$@"
