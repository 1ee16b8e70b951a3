#!/usr/bin/env bash
# Debian packages the atlas needs outside Python (idempotent; run as root or with sudo available):
#   bash scripts/system_packages.sh         the app: Pango/HarfBuzz and fonts for the tagged PDFs (WeasyPrint)
#   bash scripts/system_packages.sh test    plus Chromium (browser tests), PostgreSQL 15 + PostGIS 3 (store
#                                           tests) and poppler-utils (pdfinfo reads the PDFs back in the tests)
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation fonts-dejavu-core"
if [ "${1:-}" = "test" ]; then
    PACKAGES="$PACKAGES chromium postgresql postgresql-15-postgis-3 poppler-utils"
fi
missing=""
for pkg in $PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi
