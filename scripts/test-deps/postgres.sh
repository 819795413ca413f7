#!/usr/bin/env bash
# Provides PostgreSQL + pgvector for the server tier of the tests.
#
#   postgres.sh                 make sure a server can be started; prints PG_BIN=<dir of initdb/pg_ctl>
#   postgres.sh -- CMD [ARG…]   start a throwaway server on a free loopback port, run CMD with TEST_DATABASE_URL set,
#                               stop the server and remove its data, exit with CMD's status
#   postgres.sh --serve         start one and print TEST_DATABASE_URL=…; stays up until SIGINT/SIGTERM
#
# TEST_DATABASE_URL already set: that server is used as it is. Otherwise the newest PostgreSQL under
# /usr/lib/postgresql (Debian's postgresql package, installed when missing), with pgvector built once from Debian
# trixie's pgvector source package (0.8) when the server lacks it. Data lives in a temporary directory with fsync off.
set -euo pipefail
STEP=postgres
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

pg_major() { find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1; }

how_else=(
  "Install PostgreSQL 15+ with pgvector 0.8+ and set TEST_DATABASE_URL=postgres://user@host:port/db"
  "(a role that may CREATE DATABASE), or run a container: docker run -p 5432:5432 -e POSTGRES_PASSWORD=pw pgvector/pgvector:pg16"
)

ensure_server() {
  if [ -z "$(pg_major)" ]; then
    need_apt "Installing PostgreSQL" "${how_else[@]}"
    apt_install postgresql
  fi
  local major
  major=$(pg_major)
  [ -n "$major" ] || give_up "no PostgreSQL under /usr/lib/postgresql after installing it" "${how_else[@]}"
  if [ ! -f "/usr/share/postgresql/$major/extension/vector.control" ]; then
    need_apt "Building pgvector for PostgreSQL $major" "${how_else[@]}"
    exec 9>"$CACHE_DIR/pgvector.lock"
    flock -w 1800 9 || give_up "timed out waiting for $CACHE_DIR/pgvector.lock"
    if [ ! -f "/usr/share/postgresql/$major/extension/vector.control" ]; then
      apt_install "postgresql-server-dev-$major" make gcc
      local work
      work=$(mktemp -d "${TMPDIR:-/tmp}/kubernaut-pgvector.XXXXXX")
      on_exit "rm -rf '$work'"
      say "building pgvector for PostgreSQL $major from Debian trixie's source package (once)"
      apt_source pgvector trixie "$work"
      local src
      src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
      [ -n "$src" ] || give_up "unexpected layout of the pgvector source package in $work"
      # OPTFLAGS="" keeps the build portable: upstream's default is -march=native.
      make -s -C "$src" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" OPTFLAGS="" >"$work/build.log" 2>&1 &&
        "${SUDO[@]}" make -s -C "$src" PG_CONFIG="/usr/lib/postgresql/$major/bin/pg_config" install >>"$work/build.log" 2>&1 ||
        { tail -n 30 "$work/build.log" >&2; give_up "building pgvector failed"; }
      say "pgvector installed for PostgreSQL $major"
    fi
    exec 9>&-
  fi
  PG_BIN="/usr/lib/postgresql/$major/bin"
}

free_port() { node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

DATA_ROOT=""
start_server() {
  DATA_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/kubernaut-pg.XXXXXX")
  chmod 755 "$DATA_ROOT"
  local port as=()
  port=$(free_port)
  # initdb refuses to run as root.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$DATA_ROOT"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$PG_BIN/initdb" -D "$DATA_ROOT/data" --auth=trust --username=postgres -E UTF8 >"$DATA_ROOT/initdb.log" 2>&1 ||
    { cat "$DATA_ROOT/initdb.log" >&2; give_up "initdb failed"; }
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$DATA_ROOT/data" -l "$DATA_ROOT/server.log" -w -o \
    "-p $port -k $DATA_ROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { tail -n 20 "$DATA_ROOT/server.log" >&2; give_up "PostgreSQL did not start"; }
  STOP_SERVER=("${as[@]}" "$PG_BIN/pg_ctl" -D "$DATA_ROOT/data" -m fast -w stop)
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  say "PostgreSQL $(pg_major) + pgvector on 127.0.0.1:$port"
}

stop_server() {
  [ -n "$DATA_ROOT" ] || return 0
  "${STOP_SERVER[@]}" >/dev/null 2>&1 || true
  rm -rf "$DATA_ROOT"
  DATA_ROOT=""
}

case "${1:-}" in
  "")
    if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "TEST_DATABASE_URL=$TEST_DATABASE_URL"; exit 0; fi
    ensure_server
    echo "PG_BIN=$PG_BIN"
    ;;
  --)
    shift
    [ $# -gt 0 ] || give_up "usage: postgres.sh -- CMD [ARG…]"
    if [ -n "${TEST_DATABASE_URL:-}" ]; then exec "$@"; fi
    ensure_server
    on_exit stop_server
    start_server
    set +e
    "$@"
    status=$?
    set -e
    exit "$status"
    ;;
  --serve)
    ensure_server
    on_exit stop_server
    trap 'exit 0' INT TERM
    start_server
    echo "TEST_DATABASE_URL=$TEST_DATABASE_URL"
    while true; do sleep 3600 & wait $!; done
    ;;
  *) give_up "unknown argument $1; usage: postgres.sh [-- CMD [ARG…] | --serve]" ;;
esac
