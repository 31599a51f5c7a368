#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster under /tmp on a free local port and print
#   export FENGHUO_TEST_DATABASE_URL=...       (owner role: migrations, one database per test)
#   export FENGHUO_TEST_APP_DATABASE_URL=...   (application role: what the tests' app connects as)
#   export FENGHUO_PG_DIR=...  FENGHUO_PG_BIN=...
# for `eval`. Two roles, as in production (README, "PostgreSQL"):
#   fenghuo_owner  owns the databases and tables and runs the migrations (CREATEDB: the tests
#                  create a database per test);
#   fenghuo_app    owns nothing; `fenghuo db upgrade` grants it data rights only, so it can neither
#                  alter a table or trigger nor lift row-level security except through the audited
#                  platform-scope function.
# Neither is a superuser nor BYPASSRLS (either would skip row-level security). Connections over
# TCP need the password (scram-sha-256), so a URL whose password gets lost fails here as in
# production; the superuser setup below uses the Unix socket.
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "PostgreSQL binaries not found (install the postgresql package)" >&2; exit 1; }
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/fenghuo-pg.XXXXXX)
chmod 755 "$DIR"
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  chown postgres:postgres "$DIR"
  RUN_AS=(runuser -u postgres --)
fi
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
"${RUN_AS[@]}" "$PGBIN/psql" -h "$DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL >/dev/null
CREATE ROLE fenghuo_owner LOGIN PASSWORD 'fenghuo_owner' CREATEDB NOSUPERUSER NOBYPASSRLS NOCREATEROLE;
CREATE ROLE fenghuo_app LOGIN PASSWORD 'fenghuo_app' NOCREATEDB NOSUPERUSER NOBYPASSRLS NOCREATEROLE;
-- The owner ends leftover connections at each test's DROP DATABASE … WITH (FORCE): the application
-- role's, and ones still starting up (no role yet), which only pg_signal_backend may signal.
GRANT fenghuo_app TO fenghuo_owner;
GRANT pg_signal_backend TO fenghuo_owner;
CREATE DATABASE fenghuo OWNER fenghuo_owner;
SQL
OWNER_URL="postgresql://fenghuo_owner:fenghuo_owner@127.0.0.1:$PORT/fenghuo"
APP_URL="postgresql://fenghuo_app:fenghuo_app@127.0.0.1:$PORT/fenghuo"
echo "export FENGHUO_TEST_DATABASE_URL=$OWNER_URL"
echo "export FENGHUO_TEST_APP_DATABASE_URL=$APP_URL"
echo "export FENGHUO_PG_DIR=$DIR"
echo "export FENGHUO_PG_BIN=$PGBIN"
# For running Fenghuo itself on this cluster (not exported: the tests pick their own databases).
echo "# FENGHUO_MIGRATION_DATABASE_URL=$OWNER_URL FENGHUO_DATABASE_URL=$APP_URL fenghuo db upgrade"
