#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: initdb into a
# temporary folder as an unprivileged user, listen on a unix socket and a free
# localhost port, export the connection settings, run the command, and stop
# and delete the cluster on exit whatever happens.
#
#   scripts/with-test-db.sh swift test
#   POSTGRES_SETTINGS="shared_buffers = 1GB" scripts/with-test-db.sh ...   (lines added to postgresql.conf)
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)
[ -x "$bindir/initdb" ] || { echo "PostgreSQL 15 server binaries not found; run scripts/install-deps.sh" >&2; exit 1; }

run_as=()
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
  run_as=(runuser -u "$owner" --)
fi

workdir=$(mktemp -d /tmp/sqlgen-pg.XXXXXX)
chown "$owner" "$workdir"
chmod 755 "$workdir"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
second_port=$(free_port)

stop() {
  [ -f "$workdir/pgbouncer.pid" ] && kill "$(cat "$workdir/pgbouncer.pid")" 2>/dev/null || true
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/second" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT INT TERM

# start_cluster DIR PORT: initdb into $workdir/DIR and start it on PORT.
start_cluster() {
  "${run_as[@]}" "$bindir/initdb" -D "$workdir/$1" -U sqlgen --auth=trust -E UTF8 --locale=C.UTF-8 >"$workdir/$1-initdb.log" 2>&1 \
    || { cat "$workdir/$1-initdb.log" >&2; exit 1; }
  cat >>"$workdir/$1/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $2
unix_socket_directories = '$workdir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
${POSTGRES_SETTINGS:-}
CONF
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/$1" -l "$workdir/$1.log" -w -t 60 start >/dev/null \
    || { cat "$workdir/$1.log" >&2; exit 1; }
}
start_cluster data "$port"
# A second server, for tenants placed on more than one (TenancyOptions.placements).
start_cluster second "$second_port"

# PgBouncer in transaction pooling mode with one server connection per pool, when installed.
if command -v pgbouncer >/dev/null 2>&1; then
  bouncer_port=$(free_port)
  cat >"$workdir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$port user=sqlgen
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 1
max_client_conn = 200
logfile = $workdir/pgbouncer.log
pidfile = $workdir/pgbouncer.pid
INI
  chown "$owner" "$workdir/pgbouncer.ini"
  if "${run_as[@]}" pgbouncer -d "$workdir/pgbouncer.ini" >/dev/null 2>&1; then
    export SQLGEN_TEST_PGBOUNCER_URL="postgres://sqlgen@127.0.0.1:$bouncer_port/postgres"
  else
    echo "pgbouncer did not start; its tests will fail" >&2
  fi
fi

export PGHOST="$workdir" PGPORT="$port" PGUSER=sqlgen PGDATABASE=postgres
export SQLGEN_PG_LOG="$workdir/data.log"
export DATABASE_URL="postgres://sqlgen@127.0.0.1:$port/postgres"
export SQLGEN_TEST_DATABASE_URL="$DATABASE_URL"
export SQLGEN_TEST_SECOND_DATABASE_URL="postgres://sqlgen@127.0.0.1:$second_port/postgres"
export SQLGEN_PG_BINDIR="$bindir"
export SQLGEN_PG_DATADIR="$workdir/data"
"$@"
