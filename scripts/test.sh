#!/usr/bin/env bash
# Set up and run all tests on a fresh machine (Debian; run as root or with sudo available):
#   bash scripts/test.sh
# Installs the Debian packages (scripts/system_packages.sh test: Pango and fonts for the PDFs, Chromium for the
# browser tests, PostgreSQL 15 + PostGIS 3 for the register store tests, started as the `postgres` user,
# poppler-utils) and the Python packages, then runs the gates (ruff, mypy; configured in
# pyproject.toml; `atlas check` over every data file) and pytest. Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
bash scripts/system_packages.sh test
bash scripts/setup.sh test
ATLAS_TEST_DATABASE_URL="$($SUDO bash scripts/start_postgres.sh | tail -n 1)"
export ATLAS_TEST_DATABASE_URL
echo "ruff check …"
.venv/bin/ruff check .
echo "mypy …"
.venv/bin/mypy
echo "atlas check (every data file) …"
.venv/bin/atlas check
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
