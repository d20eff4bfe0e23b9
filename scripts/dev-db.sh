#!/usr/bin/env bash
# A long-lived development database in .build-db/ (user sqlgen, trust auth, 127.0.0.1):
#   start  creates it on first use and starts it; prints its DATABASE_URL
#   stop   stops it
#   url    prints its DATABASE_URL (for make crm-seed and crm-serve)
# The port is chosen once, when the database is created: PGPORT if set, else the first free port
# from 5432 up (Debian's postgresql package runs its own cluster on 5432); it is kept in
# .build-db/port.
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=/usr/lib/postgresql/15/bin
datadir=$PWD/.build-db/data
portfile=$PWD/.build-db/port
log=$PWD/.build-db/server.log
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  run_as=(runuser -u postgres --)
fi

# Whether something listens on 127.0.0.1:$1 or has its unix socket in /tmp.
port_taken() {
  [ -e "/tmp/.s.PGSQL.$1" ] && return 0
  python3 -c "import socket,sys; s=socket.socket(); sys.exit(0 if s.connect_ex(('127.0.0.1', int(sys.argv[1]))) == 0 else 1)" "$1"
}

url() { echo "postgres://sqlgen@127.0.0.1:$(cat "$portfile")/postgres"; }

case "${1:-}" in
  start)
    if [ ! -d "$datadir" ]; then
      port=${PGPORT:-}
      if [ -z "$port" ]; then
        port=5432
        while port_taken "$port"; do port=$((port + 1)); done
      elif port_taken "$port"; then
        echo "error: PGPORT=$port is taken by another server; unset PGPORT to pick a free port" >&2
        exit 1
      fi
      mkdir -p .build-db && [ ${#run_as[@]} -eq 0 ] || chown postgres .build-db
      "${run_as[@]}" "$bindir/initdb" -D "$datadir" -U sqlgen --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '/tmp'\n" "$port" \
        >>"$datadir/postgresql.conf"
      echo "$port" >"$portfile"
    fi
    [ -f "$portfile" ] || sed -n "s/^port = \([0-9]*\)$/\1/p" "$datadir/postgresql.conf" | tail -1 >"$portfile"
    if "${run_as[@]}" "$bindir/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
      echo "DATABASE_URL=$(url)   (already running)"
      exit 0
    fi
    if ! "${run_as[@]}" "$bindir/pg_ctl" -D "$datadir" -l "$log" -w start >/dev/null; then
      echo "error: the database did not start on port $(cat "$portfile"); its log is $log:" >&2
      tail -5 "$log" >&2
      exit 1
    fi
    echo "DATABASE_URL=$(url)"
    ;;
  stop)
    "${run_as[@]}" "$bindir/pg_ctl" -D "$datadir" -m fast stop
    ;;
  url)
    [ -f "$portfile" ] || { echo "error: no database yet: run make db-start" >&2; exit 1; }
    url
    ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
