#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster: initdb into a
# temporary folder as an unprivileged user, listen on a unix socket and a free
# localhost port, export the connection settings, run the command, and stop
# and delete the cluster on exit whatever happens.
#
#   scripts/with-test-db.sh swift test
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
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

stop() {
  "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop EXIT INT TERM

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U sqlgen --auth=trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
  || { cat "$workdir/initdb.log" >&2; exit 1; }
cat >>"$workdir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$workdir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 start >/dev/null \
  || { cat "$workdir/server.log" >&2; exit 1; }

export PGHOST="$workdir" PGPORT="$port" PGUSER=sqlgen PGDATABASE=postgres
export DATABASE_URL="postgres://sqlgen@127.0.0.1:$port/postgres"
export SQLGEN_TEST_DATABASE_URL="$DATABASE_URL"
export SQLGEN_PG_BINDIR="$bindir"
export SQLGEN_PG_DATADIR="$workdir/data"
"$@"
