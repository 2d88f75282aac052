#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers for the test suite (RINGBACK_TEST_PG, default
# postgres://postgres@127.0.0.1:5432/postgres). Starts a stopped local cluster, or on a
# Debian machine where we are root installs Debian's postgresql. Prints the URL to use.
set -euo pipefail

url="${RINGBACK_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if answers; then echo "$url"; exit 0; fi

if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  echo "starting the local PostgreSQL $version cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi

if ! answers; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "no PostgreSQL answers on 127.0.0.1:5432: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    version="$(ls /etc/postgresql | sort -V | tail -1)"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    for _ in $(seq 1 30); do answers && break; sleep 1; done
  else
    echo "no PostgreSQL answers on 127.0.0.1:5432; start one or set RINGBACK_TEST_PG=postgres://user:pass@host:port/db" >&2
    exit 1
  fi
fi

# A freshly installed Debian cluster asks for a password on TCP: give the postgres role one.
if ! psql "$url" -Atc 'select 1' >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  su postgres -c "psql -qc \"alter user postgres password 'postgres'\"" >&2
  url="postgres://postgres:postgres@127.0.0.1:5432/postgres"
fi
psql "$url" -Atc 'select 1' >/dev/null
echo "$url"
