#!/usr/bin/env bash
# Local PostgreSQL for govstat development and tests (no Docker, no systemd).
#
#   ops/services/postgres.sh start|stop|status
#   ops/services/postgres.sh createdb NAME     # create NAME (idempotent) with govstat's owner/grants
#   ops/services/postgres.sh recreatedb NAME   # drop NAME (forcing sessions off) and create it again
#   ops/services/postgres.sh dropdb NAME       # drop NAME if it exists
#
# Environment:
#   GOVSTAT_PG_PORT            TCP port on 127.0.0.1 (default 5432)
#   GOVSTAT_PG_FAST=1          fsync=off, synchronous_commit=off, full_page_writes=off
#                              (tests/CI only: a crash can corrupt the cluster)
#   GOVSTAT_PG_START_TIMEOUT   seconds to wait for the server (default 60)
#   GOVSTAT_DATA_DIR           data lives in $GOVSTAT_DATA_DIR/postgres (default <repo>/.data)
#
# Layout of $GOVSTAT_DATA_DIR/postgres (owned by OS user postgres):
#   pgdata/          the cluster (PGDATA; postmaster.pid is the pid file)
#   pgdata/govstat.conf  settings rewritten on every start (port, listen, socket dir, fast mode)
#   run/             unix socket directory
#   postgres.log     server log
#
# Superuser postgres/postgres, application roles and database: see postgres-init.sql.
set -euo pipefail
SERVICE_NAME=postgres
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT="${GOVSTAT_PG_PORT:-5432}"
PG_START_TIMEOUT="${GOVSTAT_PG_START_TIMEOUT:-60}"
PG_ROOT="$GOVSTAT_DATA_DIR/postgres"
PGDATA_DIR="$PG_ROOT/pgdata"
PG_SOCKET_DIR="$PG_ROOT/run"
PG_LOG="$PG_ROOT/postgres.log"
PG_INIT_SQL="$SERVICES_DIR/postgres-init.sql"
PG_OS_USER=postgres
PG_SUPERUSER_PASSWORD=postgres
PG_DB=govstat

check_port_number "$PG_PORT" GOVSTAT_PG_PORT

# ------------------------------------------------------------ binaries --
_highest_pgbin() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/postgres" ]] || continue
    best="$(printf '%s\n%s\n' "$best" "$d" | sed '/^$/d' | sort -V | tail -n1)"
  done
  printf '%s' "$best"
}

# Sets PGBIN.  An existing cluster must be run by its own major version.
find_pgbin() {
  local want=""
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] && want="$(cat "$PGDATA_DIR/PG_VERSION")"
  if [[ -n "$want" ]]; then
    PGBIN="/usr/lib/postgresql/$want/bin"
    if [[ ! -x "$PGBIN/postgres" ]]; then
      [[ -n "$(_highest_pgbin)" ]] || apt_install postgresql
      [[ -x "$PGBIN/postgres" ]] || die "the cluster in $PGDATA_DIR was created by PostgreSQL $want, which is not installed (found: $(_highest_pgbin)); install postgresql-$want or remove $PG_ROOT to start afresh"
    fi
  else
    PGBIN="$(_highest_pgbin)"
    if [[ -z "$PGBIN" ]]; then
      apt_install postgresql
      PGBIN="$(_highest_pgbin)"
      [[ -n "$PGBIN" ]] || die "postgresql installed but no /usr/lib/postgresql/*/bin/postgres found"
    fi
  fi
  local tool
  for tool in initdb pg_ctl pg_isready psql; do
    [[ -x "$PGBIN/$tool" ]] || die "$PGBIN/$tool is missing (incomplete PostgreSQL installation?)"
  done
  id -u "$PG_OS_USER" >/dev/null 2>&1 || die "OS user '$PG_OS_USER' does not exist (it is created by the postgresql package)"
}

# as_pg CMD... -- run as the OS user postgres (the server refuses to run as root)
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  elif [[ "$(id -un)" == "$PG_OS_USER" ]]; then
    (cd / && "$@")
  else
    die "must run as root (or as OS user $PG_OS_USER)"
  fi
}

# admin_psql [DB] [psql args...] -- psql as superuser over TCP
admin_psql() {
  local db="${1:-postgres}"; shift || true
  PGPASSWORD="$PG_SUPERUSER_PASSWORD" PGCONNECT_TIMEOUT=10 "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$PG_PORT user=postgres dbname=$db sslmode=prefer" "$@"
}

# --------------------------------------------------------------- state --
# Prints the postmaster pid if govstat's cluster is running, else fails.
running_pid() {
  local pid
  pid="$(read_pid "$PGDATA_DIR/postmaster.pid")"
  pid_alive "$pid" || return 1
  [[ "$(pid_cmdline "$pid")" == *"$PGDATA_DIR"* ]] || return 1
  printf '%s\n' "$pid"
}

# The port the running postmaster uses (line 4 of postmaster.pid).
running_port() { sed -n 4p "$PGDATA_DIR/postmaster.pid" 2>/dev/null; }

pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

# ---------------------------------------------------------------- init --
ensure_reachable() {
  ensure_dir "$GOVSTAT_DATA_DIR"
  ensure_dir "$PG_ROOT" "$PG_OS_USER:$PG_OS_USER"
  chmod 700 "$PG_ROOT"
  if ! as_pg test -w "$PG_ROOT"; then
    # A restrictive umask may have made our own data dir untraversable.
    if [[ -O "$GOVSTAT_DATA_DIR" ]]; then chmod o+x "$GOVSTAT_DATA_DIR"; fi
    as_pg test -w "$PG_ROOT" || die "OS user $PG_OS_USER cannot reach $PG_ROOT (a parent directory is not traversable, e.g. /root is mode 700); set GOVSTAT_DATA_DIR to a directory under e.g. /var/tmp or /srv"
  fi
}

init_cluster() {
  [[ -f "$PGDATA_DIR/PG_VERSION" ]] && return 0
  if [[ -e "$PGDATA_DIR" ]]; then
    [[ -z "$(ls -A "$PGDATA_DIR" 2>/dev/null)" ]] || die "$PGDATA_DIR exists but is not a PostgreSQL cluster (no PG_VERSION); remove it"
    rmdir "$PGDATA_DIR"
  fi
  local tmp="$PG_ROOT/pgdata.initdb" pwfile="$PG_ROOT/.pwfile"
  rm -rf "$tmp"
  log_info "initdb ($("$PGBIN/postgres" --version)) into $PGDATA_DIR"
  (umask 077 && printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile")
  chown "$PG_OS_USER:$PG_OS_USER" "$pwfile"
  if ! as_pg "$PGBIN/initdb" -D "$tmp" -U postgres --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 --no-instructions >"$PG_ROOT/initdb.log" 2>&1; then
    rm -f "$pwfile"
    show_log_tail "$PG_ROOT/initdb.log"
    die "initdb failed (full output in $PG_ROOT/initdb.log)"
  fi
  rm -f "$pwfile"
  printf "\n# govstat: per-start settings written by ops/services/postgres.sh\ninclude_if_exists = 'govstat.conf'\n" >>"$tmp/postgresql.conf"
  chown "$PG_OS_USER:$PG_OS_USER" "$tmp/postgresql.conf"
  # Only a complete cluster gets the real name, so an interrupted initdb is redone.
  mv "$tmp" "$PGDATA_DIR"
}

_conf_quote() { printf "'%s'" "${1//\'/\'\'}"; }

write_conf() {
  local sockets="$PG_SOCKET_DIR" conf="$PGDATA_DIR/govstat.conf"
  ensure_dir "$PG_SOCKET_DIR" "$PG_OS_USER:$PG_OS_USER"
  # sun_path holds 107 bytes; postgres refuses to start with a longer socket path.
  if (( ${#PG_SOCKET_DIR} + ${#PG_PORT} + 10 > 107 )); then
    log_warn "socket path under $PG_SOCKET_DIR is too long for a unix socket; unix sockets disabled (TCP only)"
    sockets=""
  fi
  {
    echo "# Written by ops/services/postgres.sh on every start; edits are overwritten."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PG_PORT"
    echo "unix_socket_directories = $(_conf_quote "$sockets")"
    echo "password_encryption = 'scram-sha-256'"
    # memory for the statistical database's bulk loads and its indexes (the machine has plenty);
    # override with GOVSTAT_PG_SHARED_BUFFERS
    echo "shared_buffers = '${GOVSTAT_PG_SHARED_BUFFERS:-1GB}'"
    echo "max_wal_size = '4GB'"
    echo "wal_buffers = '64MB'"
    # a replication slot whose replica went away holds at most this much WAL (postgres-replica.sh)
    echo "max_slot_wal_keep_size = '8GB'"
    if [[ "${GOVSTAT_PG_FAST:-0}" == "1" ]]; then
      echo "# GOVSTAT_PG_FAST=1: durability off (tests only)"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } >"$conf"
  chown "$PG_OS_USER:$PG_OS_USER" "$conf"
}

# The statistical GIS needs PostGIS for the server's own major version (Debian's package).
ensure_postgis() {
  local major; major="$(basename "$(dirname "$PGBIN")")"
  [[ -f "/usr/share/postgresql/$major/extension/postgis.control" ]] && return 0
  apt_install "postgresql-$major-postgis-3"
  [[ -f "/usr/share/postgresql/$major/extension/postgis.control" ]] || die "postgresql-$major-postgis-3 installed but postgis.control is missing"
}

bootstrap_db() { # bootstrap_db NAME -- roles, database NAME, schema grants, extensions
  ensure_postgis
  admin_psql postgres -v dbname="$1" -f "$PG_INIT_SQL" >/dev/null
}

# ------------------------------------------------------------ commands --
cmd_start() {
  service_lock
  find_pgbin
  local pid t0=$SECONDS
  if pid="$(running_pid)"; then
    local rport; rport="$(running_port)"
    [[ "$rport" == "$PG_PORT" ]] || die "govstat's postgres is already running on port $rport (pid $pid), but GOVSTAT_PG_PORT=$PG_PORT; stop it first"
    wait_for --pid "$pid" "$PG_START_TIMEOUT" "postgres on 127.0.0.1:$PG_PORT to accept connections (pg_isready)" pg_ready \
      || { show_log_tail "$PG_LOG"; exit 1; }
    bootstrap_db "$PG_DB"
    log_info "already running (pid $pid, 127.0.0.1:$PG_PORT)"
    return 0
  fi
  if port_in_use "$PG_PORT"; then
    port_conflict_error "$PG_PORT" postgres GOVSTAT_PG_PORT
  fi
  ensure_gitignore
  ensure_reachable
  init_cluster
  write_conf
  # Not running (checked above), so lock files left by a killed server are stale.
  # Postgres itself would refuse them while the old pid is still an unreaped zombie.
  rm -f "$PGDATA_DIR/postmaster.pid" "$PG_SOCKET_DIR"/.s.PGSQL.*
  log_info "starting on 127.0.0.1:$PG_PORT (data $PGDATA_DIR, log $PG_LOG${GOVSTAT_PG_FAST:+, GOVSTAT_PG_FAST=$GOVSTAT_PG_FAST})"
  # pg_ctl -w notices at once if the postmaster dies during startup (bad config, ...);
  # pg_isready then confirms that 127.0.0.1:PORT accepts connections.
  if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PG_LOG" -w -t "$PG_START_TIMEOUT" -s start 8>&-; then
    show_log_tail "$PG_LOG"
    # pg_ctl leaves a slow server starting after its timeout; do not leave it behind.
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t 30 -s stop >/dev/null 2>&1 8>&- || true
    die "postgres did not start (pg_ctl start failed or timed out after ${PG_START_TIMEOUT}s)"
  fi
  pid="$(read_pid "$PGDATA_DIR/postmaster.pid")"
  wait_for --pid "$pid" "$PG_START_TIMEOUT" "postgres on 127.0.0.1:$PG_PORT to accept connections (pg_isready)" pg_ready \
    || { show_log_tail "$PG_LOG"; exit 1; }
  pid="$(running_pid)" || { show_log_tail "$PG_LOG"; die "postgres answered but $PGDATA_DIR/postmaster.pid does not name a running server"; }
  bootstrap_db "$PG_DB"
  log_info "started (pid $pid, 127.0.0.1:$PG_PORT, $((SECONDS - t0))s); app URL postgresql://govstat_app:govstat_app@127.0.0.1:$PG_PORT/$PG_DB"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log_info "not running"
    return 0
  fi
  service_lock
  find_pgbin
  log_info "stopping (pid $pid)"
  if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 -s stop; then
    log_warn "fast shutdown failed; trying immediate"
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t 30 -s stop || true
  fi
  if pid_alive "$pid"; then stop_pid "$pid" postgres 10 || die "could not stop postgres (pid $pid)"; fi
  log_info "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    local rport; rport="$(running_port)"
    if [[ -x "$(_highest_pgbin)/pg_isready" ]] && "$(_highest_pgbin)/pg_isready" -q -h 127.0.0.1 -p "$rport" -t 2; then
      echo "postgres: running (pid $pid, 127.0.0.1:$rport, data $PGDATA_DIR)"
      return 0
    fi
    echo "postgres: NOT READY (pid $pid alive but 127.0.0.1:$rport does not answer; log $PG_LOG)"
    return 1
  fi
  echo "postgres: stopped"
  return 1
}

_check_db_name() {
  [[ -n "${1:-}" ]] || usage_and_exit "$0 $2 NAME"
  [[ "$1" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "invalid database name '$1' (use letters, digits, underscore)"
  case "$1" in postgres | template0 | template1) die "refusing to touch system database '$1'" ;; esac
}

_require_running() {
  find_pgbin
  running_pid >/dev/null || die "postgres is not running; run ops/services/postgres.sh start first"
  local rport; rport="$(running_port)"
  [[ "$rport" == "$PG_PORT" ]] || PG_PORT="$rport"
}

cmd_createdb() {
  _check_db_name "${1:-}" createdb
  _require_running
  bootstrap_db "$1"
  log_info "database $1 ready (owner govstat_owner, app role govstat_app)"
}

drop_db() { # drop_db NAME -- drop if it exists, disconnecting its sessions
  admin_psql postgres -v dbname="$1" <<<"SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'dbname') \\gexec" >/dev/null
}

cmd_dropdb() {
  _check_db_name "${1:-}" dropdb
  _require_running
  drop_db "$1"
  log_info "database $1 dropped"
}

cmd_recreatedb() {
  _check_db_name "${1:-}" recreatedb
  _require_running
  drop_db "$1"
  bootstrap_db "$1"
  log_info "database $1 recreated (owner govstat_owner, app role govstat_app)"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  createdb) cmd_createdb "${2:-}" ;;
  recreatedb) cmd_recreatedb "${2:-}" ;;
  dropdb) cmd_dropdb "${2:-}" ;;
  *) usage_and_exit "$0 {start|stop|status|createdb NAME|recreatedb NAME|dropdb NAME}" ;;
esac
