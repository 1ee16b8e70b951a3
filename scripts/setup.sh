#!/usr/bin/env bash
# Shared setup: Python virtual environment with the project installed (idempotent).
# Usage: bash scripts/setup.sh [test]   ("test" installs the test and lint tools too)
# pip runs only when pyproject.toml (or the chosen extra) changed since the last install: a stamp file
# .venv/.standortatlas-install-<app|test> holds the SHA-256 of pyproject.toml. Delete it to force a reinstall.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 oder neuer wird gebraucht.")'
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    "$PYTHON" -m venv "$ROOT/.venv"
fi
EXTRA="${1:-}"
STAMP="$ROOT/.venv/.standortatlas-install-${EXTRA:-app}"
WANT="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
    exit 0
fi
"$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip
if [ "$EXTRA" = "test" ]; then
    "$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT[test]"
else
    "$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT"
fi
echo "$WANT" > "$STAMP"
