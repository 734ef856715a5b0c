#!/usr/bin/env bash
# Starts a private PostgreSQL cluster for the tests: Debian's postgresql (installed if missing), its own data folder,
# loopback only, a free port, run as the postgres OS user (CI runs as root). Last line on stdout:
# `export APPSTRATE_TEST_POSTGRES_URL=…` (eval it). Progress on stderr. Stop it with: postgres-up.sh stop
#   APPSTRATE_POSTGRES_DIR   cluster folder (default /tmp/appstrate-postgres): data, socket, log
set -euo pipefail
dir=${APPSTRATE_POSTGRES_DIR:-/tmp/appstrate-postgres}
log() { echo "postgres-up: $*" >&2; }
bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "${1:-}" = stop ]; then
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$(bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  exit 0
fi
if [ -z "$(bin)" ]; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
pg=$(bin)
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  printf postgres > "$dir/pw"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pw"
  as_pg "$pg/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pw" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --no-sync >"$dir/initdb.log" 2>&1
fi
if [ -f "$dir/port" ] && as_pg "$pg/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  port=$(cat "$dir/port")
  log "cluster already running on 127.0.0.1:$port"
else
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "$port" > "$dir/port"
  log "starting PostgreSQL on 127.0.0.1:$port (log: $dir/postgres.log)"
  # test data is thrown away: no fsync; enough connections for a pool per test server
  as_pg "$pg/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start -o "-p $port -k $dir \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >&2
fi
echo "export APPSTRATE_TEST_POSTGRES_URL=postgres://postgres:postgres@127.0.0.1:$port/postgres"
