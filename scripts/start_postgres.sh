#!/usr/bin/env bash
# Start a local PostgreSQL 15 + PostGIS for the register's store tests (idempotent).
#
#   bash scripts/start_postgres.sh            # installs if needed, starts, prints the URL on stdout
#   export ATLAS_TEST_DATABASE_URL="$(bash scripts/start_postgres.sh | tail -n 1)"
#
# PostgreSQL refuses to run as root, so the cluster is run by the Debian `postgres` user
# (pg_ctlcluster drops privileges itself). Progress goes to stderr; the last line on stdout is the
# SQLAlchemy URL (psycopg 3 driver).
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_PORT="${PG_PORT:-5432}"
DB_NAME="${ATLAS_TEST_DB_NAME:-atlas_test}"
DB_USER="${ATLAS_TEST_DB_USER:-atlas}"
DB_PASSWORD="${ATLAS_TEST_DB_PASSWORD:-atlas}"
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"

log() { echo "start_postgres: $*" >&2; }

as_postgres() {
    if [ "$(id -un)" = "postgres" ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

# 1. install check
if [ ! -x "${PG_BIN}/postgres" ] || [ ! -d "/usr/share/postgresql/${PG_VERSION}/extension" ] \
   || ! ls "/usr/share/postgresql/${PG_VERSION}/extension/postgis.control" >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        log "PostgreSQL ${PG_VERSION} + PostGIS fehlen und können ohne root nicht installiert werden."
        exit 1
    fi
    log "installiere postgresql postgresql-${PG_VERSION}-postgis-3 …"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql "postgresql-${PG_VERSION}-postgis-3" >&2
fi

# 2. cluster (Debian creates 15/main on install; create it when it was removed)
if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "${PG_VERSION} ${PG_CLUSTER}"; then
    log "lege Cluster ${PG_VERSION}/${PG_CLUSTER} an …"
    pg_createcluster "${PG_VERSION}" "${PG_CLUSTER}" --port "${PG_PORT}" >&2
fi
PORT="$(pg_lsclusters -h | awk -v v="${PG_VERSION}" -v c="${PG_CLUSTER}" '$1==v && $2==c {print $3}')"

# 3. start (as postgres; pg_ctlcluster is a no-op error when already running)
if ! pg_lsclusters -h | awk -v v="${PG_VERSION}" -v c="${PG_CLUSTER}" '$1==v && $2==c {print $4}' | grep -q online; then
    log "starte Cluster ${PG_VERSION}/${PG_CLUSTER} auf Port ${PORT} …"
    mkdir -p /var/run/postgresql && chown postgres:postgres /var/run/postgresql 2>/dev/null || true
    as_postgres pg_ctlcluster "${PG_VERSION}" "${PG_CLUSTER}" start >&2
fi
for _ in $(seq 1 60); do
    if as_postgres "${PG_BIN}/pg_isready" -q -p "${PORT}"; then break; fi
    sleep 0.5
done
as_postgres "${PG_BIN}/pg_isready" -q -p "${PORT}" || { log "Server antwortet nicht."; exit 1; }

# 4. role, database, PostGIS (each step only when missing)
psql_pg() { as_postgres psql -p "${PORT}" -X -q -v ON_ERROR_STOP=1 "$@"; }
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = '${DB_USER}'")" != "1" ]; then
    log "lege Rolle ${DB_USER} an …"
    psql_pg -c "CREATE ROLE ${DB_USER} LOGIN PASSWORD '${DB_PASSWORD}'" >&2
fi
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" != "1" ]; then
    log "lege Datenbank ${DB_NAME} an …"
    psql_pg -c "CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}" >&2
fi
psql_pg -d "${DB_NAME}" -c "CREATE EXTENSION IF NOT EXISTS postgis" >&2

echo "postgresql+psycopg://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${PORT}/${DB_NAME}"
