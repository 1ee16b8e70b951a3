#!/usr/bin/env bash
# Shared setup: Python virtual environment with the project installed (idempotent).
# Usage: source scripts/setup.sh [extra]   (extra = "test" installs the test tools too)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 oder neuer wird gebraucht.")'
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    "$PYTHON" -m venv "$ROOT/.venv"
fi
"$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip
if [ "${1:-}" = "test" ]; then
    "$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT[test]"
else
    "$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT"
fi
