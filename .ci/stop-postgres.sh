#!/usr/bin/env bash
# Stop the cluster started by start-postgres.sh (FENGHUO_PG_DIR) and remove it.
set -u
[ -n "${FENGHUO_PG_DIR:-}" ] || exit 0
RUN_AS=()
[ "$(id -u)" = 0 ] && RUN_AS=(runuser -u postgres --)
"${RUN_AS[@]}" "$FENGHUO_PG_BIN/pg_ctl" -D "$FENGHUO_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
rm -rf "$FENGHUO_PG_DIR"
