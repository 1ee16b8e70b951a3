#!/usr/bin/env bash
# Set up and run all tests on a fresh machine (Debian; run as root or with sudo available):
#   bash scripts/test.sh
# Installs Debian's Chromium (browser tests), PostgreSQL 15 + PostGIS 3 (register store tests, started
# as the `postgres` user) and the Python packages, then runs the gates (ruff, mypy; configured in
# pyproject.toml; `atlas check` over every data file) and pytest. Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
APT_PACKAGES="chromium postgresql postgresql-15-postgis-3"
missing=""
for pkg in $APT_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
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
