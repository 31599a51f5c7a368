#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 cluster under /tmp on a free local port and print
#   export FENGHUO_TEST_DATABASE_URL=...   and   export FENGHUO_PG_DIR=...
# for `eval`. The application role `fenghuo` is NOT a superuser, so row-level security
# applies to it (superusers bypass RLS); it may create databases (one per test).
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
"${RUN_AS[@]}" "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
"$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q <<SQL >/dev/null
CREATE ROLE fenghuo LOGIN PASSWORD 'fenghuo' CREATEDB NOSUPERUSER NOBYPASSRLS;
CREATE DATABASE fenghuo OWNER fenghuo;
SQL
echo "export FENGHUO_TEST_DATABASE_URL=postgresql://fenghuo:fenghuo@127.0.0.1:$PORT/fenghuo"
echo "export FENGHUO_PG_DIR=$DIR"
echo "export FENGHUO_PG_BIN=$PGBIN"
