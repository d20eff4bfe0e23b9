#!/usr/bin/env bash
# Installs the system packages sqlgen builds and tests with, when missing.
# As root it runs apt-get; otherwise it prints the command to run.
set -euo pipefail

packages=(libpg-query-dev libprotobuf-c-dev libpq-dev postgresql-15 postgresql-contrib pkg-config)
# The tests also run PgBouncer, and the semver extension stands for one sqlgen has no catalog for.
[ "${1:-}" = "--test" ] && packages+=(pgbouncer postgresql-15-semver)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "sqlgen needs these packages: ${missing[*]}" >&2
  echo "run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
