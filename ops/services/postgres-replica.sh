#!/usr/bin/env bash
# A local PostgreSQL hot-standby replica of govstat's PostgreSQL (streaming replication), for public
# reads (GOVSTAT_DATABASE_REPLICA_URLS; docs/scaling.md). The primary must be running (postgres.sh).
#
#   ops/services/postgres-replica.sh start|stop|status|lag
#
# start: clones the primary with pg_basebackup (-R: standby.signal + primary_conninfo) into
# $GOVSTAT_DATA_DIR/postgres-replica the first time (and again if the primary was re-created or the
# replica fell too far behind to stream), starts it and waits until it streams. Idempotent.
#
# Environment:
#   GOVSTAT_PG_PORT            the primary's port (default 5432)
#   GOVSTAT_PG_REPLICA_PORT    the replica's port (default: the primary's + 1)
#   GOVSTAT_PG_START_TIMEOUT   seconds to wait (default 300)
#   GOVSTAT_PG_REPLICA=1       makes `services.sh up` (and so `make services`) start it too
#
# The primary needs wal_level=replica and max_wal_senders > 0 (PostgreSQL's defaults) and a
# `host replication` line in pg_hba.conf for 127.0.0.1 (initdb writes one); the replica connects as
# the superuser postgres (local development: production uses a REPLICATION role of its own).
set -euo pipefail
SERVICE_NAME=postgres-replica
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_PORT="${GOVSTAT_PG_PORT:-5432}"
REPLICA_PORT="${GOVSTAT_PG_REPLICA_PORT:-$((PG_PORT + 1))}"
# a replica's first start replays the WAL of its copy, on a busy machine for minutes
PG_START_TIMEOUT="${GOVSTAT_PG_START_TIMEOUT:-300}"
PRIMARY_DATA="$GOVSTAT_DATA_DIR/postgres/pgdata"
R_ROOT="$GOVSTAT_DATA_DIR/postgres-replica"
R_DATA="$R_ROOT/pgdata"
R_SOCKETS="$R_ROOT/run"
R_LOG="$R_ROOT/postgres.log"
PG_OS_USER=postgres
PG_PASSWORD=postgres
# The primary keeps the WAL this replica has not received yet in a physical replication slot (else a
# busy primary may recycle a segment before the new replica asks for it). The slot is dropped when
# the replica stops, and postgres.sh caps what a forgotten slot may hold (max_slot_wal_keep_size).
SLOT="govstat_replica_${REPLICA_PORT}"

check_port_number "$PG_PORT" GOVSTAT_PG_PORT
check_port_number "$REPLICA_PORT" GOVSTAT_PG_REPLICA_PORT

find_pgbin() { # the primary's major version (a replica must run the same)
  local v=""
  [[ -f "$PRIMARY_DATA/PG_VERSION" ]] && v="$(cat "$PRIMARY_DATA/PG_VERSION")"
  if [[ -n "$v" ]]; then PGBIN="/usr/lib/postgresql/$v/bin"; else PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"; fi
  [[ -x "$PGBIN/pg_basebackup" ]] || die "no PostgreSQL binaries in $PGBIN (start the primary first: ops/services/postgres.sh start)"
}

as_pg() {
  if [[ $EUID -eq 0 ]]; then (cd / && runuser -u "$PG_OS_USER" -- "$@"); else (cd / && "$@"); fi
}

sql() { # sql PORT QUERY -- one value, as the superuser
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PGBIN/psql" -X -qAt -v ON_ERROR_STOP=1 \
    "host=127.0.0.1 port=$1 user=postgres dbname=postgres" -c "$2"
}

running_pid() {
  local pid
  pid="$(read_pid "$R_DATA/postmaster.pid")"
  pid_alive "$pid" || return 1
  [[ "$(pid_cmdline "$pid")" == *"$R_DATA"* ]] || return 1
  printf '%s\n' "$pid"
}

streaming() { [[ "$(sql "$REPLICA_PORT" "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null)" == streaming ]]; }

drop_slot() {
  sql "$PG_PORT" "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND NOT active" >/dev/null
}

ensure_slot() { # a slot that reserves WAL from now on (for a replica restarted after a stop)
  sql "$PG_PORT" "SELECT pg_create_physical_replication_slot('$SLOT', true) WHERE NOT EXISTS (SELECT FROM pg_replication_slots WHERE slot_name = '$SLOT')" >/dev/null
}

wal_gone() { grep -q "has already been removed" "$R_LOG" 2>/dev/null; }
streaming_or_gone() { streaming || wal_gone; }

clone() { # three tries: a checkpoint racing a new slot on a busy primary may invalidate it mid-copy
  local tmp="$R_ROOT/pgdata.clone" try
  rm -rf "$R_DATA"
  for try in 1 2 3; do
    rm -rf "$tmp"
    drop_slot
    log_info "pg_basebackup from 127.0.0.1:$PG_PORT into $R_DATA (slot $SLOT, try $try of 3)"
    # --no-sync: the replica's first start syncs the directory anyway (recovery_init_sync_method)
    if as_pg env PGPASSWORD="$PG_PASSWORD" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres \
        -D "$tmp" -X stream -C -S "$SLOT" -R -c fast --no-sync >"$R_ROOT/basebackup.log" 2>&1; then
      mv "$tmp" "$R_DATA"
      return 0
    fi
    show_log_tail "$R_ROOT/basebackup.log" 5
  done
  die "pg_basebackup failed (is the primary running, with a 'host replication' line in pg_hba.conf?)"
}

write_conf() { # the primary's govstat.conf came with the copy: this one replaces it
  {
    echo "# Written by ops/services/postgres-replica.sh on every start; edits are overwritten."
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $REPLICA_PORT"
    echo "unix_socket_directories = '$R_SOCKETS'"
    echo "hot_standby = on"
    # the primary keeps rows a long replica read still needs, instead of cancelling that read
    echo "hot_standby_feedback = on"
    echo "shared_buffers = '${GOVSTAT_PG_REPLICA_SHARED_BUFFERS:-256MB}'"
    echo "max_wal_size = '4GB'"
    # the first start syncs the copied data directory: one syncfs() rather than an fsync() per file
    echo "recovery_init_sync_method = syncfs"
    if [[ "${GOVSTAT_PG_FAST:-0}" == "1" ]]; then echo "fsync = off"; echo "synchronous_commit = off"; fi
  } >"$R_DATA/govstat.conf"
  chown "$PG_OS_USER:$PG_OS_USER" "$R_DATA/govstat.conf"
  ensure_dir "$R_SOCKETS" "$PG_OS_USER:$PG_OS_USER"
}

pg_start() {
  rm -f "$R_DATA/postmaster.pid"
  log_info "starting the replica on 127.0.0.1:$REPLICA_PORT (log $R_LOG)"
  if ! as_pg "$PGBIN/pg_ctl" -D "$R_DATA" -l "$R_LOG" -w -t "$PG_START_TIMEOUT" -s start 8>&-; then
    show_log_tail "$R_LOG"
    as_pg "$PGBIN/pg_ctl" -D "$R_DATA" -m immediate -w -t 30 -s stop >/dev/null 2>&1 8>&- || true
    return 1
  fi
}

pg_stop() { as_pg "$PGBIN/pg_ctl" -D "$R_DATA" -m fast -w -t 60 -s stop || as_pg "$PGBIN/pg_ctl" -D "$R_DATA" -m immediate -w -t 30 -s stop || true; }

cmd_start() {
  service_lock
  find_pgbin
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 5 || die "the primary does not answer on 127.0.0.1:$PG_PORT (ops/services/postgres.sh start)"
  if running_pid >/dev/null; then
    wait_for "$PG_START_TIMEOUT" "the replica to stream from the primary" streaming || die "the replica runs but does not stream (log $R_LOG)"
    log_info "already running (127.0.0.1:$REPLICA_PORT, streaming)"
    return 0
  fi
  port_in_use "$REPLICA_PORT" && port_conflict_error "$REPLICA_PORT" postgres-replica GOVSTAT_PG_REPLICA_PORT
  ensure_dir "$R_ROOT" "$PG_OS_USER:$PG_OS_USER"
  chmod 700 "$R_ROOT"
  local t0=$SECONDS primary_id mine=""
  primary_id="$(sql "$PG_PORT" "SELECT system_identifier FROM pg_control_system()")"
  [[ -f "$R_DATA/PG_VERSION" ]] && mine="$(as_pg "$PGBIN/pg_controldata" "$R_DATA" | sed -n 's/^Database system identifier: *//p')"
  if [[ "$mine" == "$primary_id" ]]; then ensure_slot; else clone; fi  # else: a first start, or a new primary
  write_conf
  rm -f "$R_LOG"  # (pg_ctl writes it as postgres) a fresh log: wal_gone reads this start's only
  # a replica that failed to start leaves no slot holding the primary's WAL
  trap 'running_pid >/dev/null || drop_slot >/dev/null 2>&1 || true' EXIT
  pg_start || die "the replica did not start"
  wait_for "$PG_START_TIMEOUT" "the replica to stream from the primary" streaming_or_gone || die "the replica does not stream (log $R_LOG)"
  if ! streaming; then
    # Too far behind: the WAL it needs is gone from the primary. A replica is disposable: clone again.
    log_warn "the primary no longer has the WAL the replica needs; cloning it again"
    pg_stop
    clone
    write_conf
    pg_start || die "the replica did not start"
    wait_for "$PG_START_TIMEOUT" "the replica to stream from the primary" streaming || die "the replica does not stream (log $R_LOG)"
  fi
  log_info "started (127.0.0.1:$REPLICA_PORT, streaming, $((SECONDS - t0))s); read URL postgresql://govstat_app:govstat_app@127.0.0.1:$REPLICA_PORT/govstat"
}

cmd_stop() {
  running_pid >/dev/null || { log_info "not running"; return 0; }
  service_lock
  find_pgbin
  log_info "stopping"
  pg_stop
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 && drop_slot
  log_info "stopped"
}

cmd_forget() { # the slot of a replica that is not running: dropped (it holds back vacuum and WAL)
  running_pid >/dev/null && return 0
  find_pgbin
  "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2 || return 0
  if [[ "$(sql "$PG_PORT" "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT' AND NOT active")" != 0 ]]; then
    drop_slot
    log_warn "dropped the slot $SLOT of a replica that is not running (its pinned xmin held back vacuum in every database)"
  fi
}

cmd_status() {
  find_pgbin
  if running_pid >/dev/null && "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$REPLICA_PORT" -t 2; then
    echo "postgres-replica: running (127.0.0.1:$REPLICA_PORT, wal receiver $(sql "$REPLICA_PORT" "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')"), data $R_DATA)"
    return 0
  fi
  echo "postgres-replica: stopped"
  return 1
}

cmd_lag() { # replay lag as the primary sees it (seconds; empty when idle)
  find_pgbin
  sql "$PG_PORT" "SELECT application_name, state, replay_lag FROM pg_stat_replication"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  lag) cmd_lag ;;
  forget) cmd_forget ;;
  *) usage_and_exit "$0 {start|stop|status|lag|forget}" ;;
esac
