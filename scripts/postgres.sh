#!/usr/bin/env bash
# Installs (from Debian's packages, if missing) and starts a local
# PostgreSQL on 127.0.0.1 for the tests, creates the bluehats role and test
# database, and prints the URI to put in BLUEHATS_TEST_POSTGRES.
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
	log "installing PostgreSQL from Debian's packages"
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
	pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
	log "starting PostgreSQL $version"
	pg_ctlcluster "$version" main start >&2
fi
# Loopback only, whatever the cluster's defaults.
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
su postgres -c "psql -q -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bluehats') THEN
    CREATE ROLE bluehats LOGIN PASSWORD 'bluehats-test';
  END IF;
END $$;
-- Each test gets a database of its own (internal/pgtest).
ALTER ROLE bluehats CREATEDB;
SQL
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='bluehats_test'\"" | grep -q 1; then
	su postgres -c "createdb -O bluehats bluehats_test" >&2
fi
echo "postgres://bluehats:bluehats-test@127.0.0.1:${port}/bluehats_test?sslmode=disable"
