#!/usr/bin/env bash
# Set up and start the Standortatlas app on a fresh machine:
#   bash scripts/run-app.sh            (then open http://localhost:8501)
# Source data: ATLAS_SOURCE_DIR (default ../shared/geodata-src). Port: ATLAS_PORT (default 8501).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/system_packages.sh   # Pango and fonts for the tagged PDFs (WeasyPrint)
bash scripts/setup.sh
.venv/bin/atlas build
exec .venv/bin/python scripts/serve.py --server.port "${ATLAS_PORT:-8501}" "$@"
