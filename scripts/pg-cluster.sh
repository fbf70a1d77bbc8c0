#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the server's test suite and
# prints the DATABASE_URL to use. Debian's server binaries are used; as root, the
# cluster runs as the `postgres` user, since PostgreSQL refuses to run as root.
#   eval "$(bash scripts/pg-cluster.sh start)"   # exports TEST_DATABASE_URL
#   bash scripts/pg-cluster.sh stop
#   bash scripts/pg-cluster.sh bin                # prints the server binaries' folder, or fails
set -euo pipefail
PORT="${PG_TEST_PORT:-55432}"
DIR="${PG_TEST_DIR:-/tmp/creator-inbox-pg}"
# Debian's newest server binaries, else the ones on PATH (Homebrew, other distributions).
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$BIN" ] && command -v initdb >/dev/null 2>&1; then BIN="$(dirname "$(command -v initdb)")"; fi
if [ -z "$BIN" ] && command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  BIN="$(pg_config --bindir)"
fi
if [ -z "$BIN" ]; then echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -f "$DIR/PG_VERSION" ]; then
      mkdir -p "$DIR"; [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$BIN/initdb" -D "$DIR" -A trust -U postgres --no-sync >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
    fi
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  bin)
    echo "$BIN"
    ;;
esac
