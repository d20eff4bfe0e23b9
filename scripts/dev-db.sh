#!/usr/bin/env bash
# A long-lived development database: `start` creates it on first use in
# .build-db/ (listening on localhost:5432, user sqlgen, trust auth), `stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=/usr/lib/postgresql/15/bin
datadir=$PWD/.build-db/data
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  run_as=(runuser -u postgres --)
fi
case "${1:-}" in
  start)
    if [ ! -d "$datadir" ]; then
      mkdir -p .build-db && [ ${#run_as[@]} -eq 0 ] || chown postgres .build-db
      "${run_as[@]}" "$bindir/initdb" -D "$datadir" -U sqlgen --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      printf "listen_addresses = '127.0.0.1'\nport = 5432\nunix_socket_directories = '/tmp'\n" >>"$datadir/postgresql.conf"
    fi
    "${run_as[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$PWD/.build-db/server.log" -w start
    echo "DATABASE_URL=postgres://sqlgen@127.0.0.1:5432/postgres"
    ;;
  stop)
    "${run_as[@]}" "$bindir/pg_ctl" -D "$datadir" -m fast stop
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
