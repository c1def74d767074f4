#!/usr/bin/env bash
# Local Redis for govstat development and tests (no Docker, no systemd).
#
#   ops/services/redis.sh start|stop|status
#
# Environment:
#   GOVSTAT_REDIS_PORT            TCP port on 127.0.0.1 (default 6379)
#   GOVSTAT_REDIS_START_TIMEOUT   seconds to wait for PONG (default 30)
#   GOVSTAT_DATA_DIR              data lives in $GOVSTAT_DATA_DIR/redis (default <repo>/.data)
#
# Layout of $GOVSTAT_DATA_DIR/redis:
#   redis.conf      rewritten on every start
#   redis.pid       pid file (written by the daemonised server)
#   redis.log       server log
#   dump.rdb, appendonlydir/   data (appendonly yes)
set -euo pipefail
SERVICE_NAME=redis
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_PORT="${GOVSTAT_REDIS_PORT:-6379}"
REDIS_START_TIMEOUT="${GOVSTAT_REDIS_START_TIMEOUT:-30}"
REDIS_DIR="$GOVSTAT_DATA_DIR/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PIDFILE="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

check_port_number "$REDIS_PORT" GOVSTAT_REDIS_PORT

find_redis() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server
  fi
  REDIS_SERVER="$(command -v redis-server)" || die "redis-server not found after installing"
  REDIS_CLI="$(command -v redis-cli)" || die "redis-cli not found after installing"
}

# Prints the pid if govstat's redis (this data dir's config) is running.
running_pid() {
  local pid
  pid="$(read_pid "$REDIS_PIDFILE")"
  pid_alive "$pid" || return 1
  # Debian's redis-server is a symlink to redis-check-rdb; the server renames
  # its title to "redis-server 127.0.0.1:PORT", so match on /proc/PID/exe.
  local exe; exe="$(readlink "/proc/$pid/exe" 2>/dev/null || true)"
  [[ "$exe" == *redis-* ]] || return 1
  # ... and it must be the server for this data dir (redis chdir()s to "dir").
  [[ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null)" == "$(readlink -f "$REDIS_DIR")" ]] || return 1
  printf '%s\n' "$pid"
}

# The port our running server was configured with.
running_port() { sed -n 's/^port \([0-9]*\)$/\1/p' "$REDIS_CONF" 2>/dev/null | head -n1; }

redis_ping() { [[ "$("$REDIS_CLI" -h 127.0.0.1 -p "${1:-$REDIS_PORT}" ping 2>/dev/null)" == "PONG" ]]; }

write_conf() {
  cat >"$REDIS_CONF" <<EOF
# Written by ops/services/redis.sh on every start; edits are overwritten.
bind 127.0.0.1
protected-mode yes
port $REDIS_PORT
daemonize yes
supervised no
pidfile "$REDIS_PIDFILE"
logfile "$REDIS_LOG"
loglevel notice
dir "$REDIS_DIR"
dbfilename dump.rdb
appendonly yes
appendfsync everysec
save 3600 1 300 100 60 10000
EOF
}

cmd_start() {
  service_lock
  find_redis
  local pid t0=$SECONDS
  if pid="$(running_pid)"; then
    local rport; rport="$(running_port)"
    [[ "$rport" == "$REDIS_PORT" ]] || die "govstat's redis is already running on port $rport (pid $pid), but GOVSTAT_REDIS_PORT=$REDIS_PORT; stop it first"
    wait_for --pid "$pid" "$REDIS_START_TIMEOUT" "redis on 127.0.0.1:$REDIS_PORT to answer PING" redis_ping \
      || { show_log_tail "$REDIS_LOG"; exit 1; }
    log_info "already running (pid $pid, 127.0.0.1:$REDIS_PORT)"
    return 0
  fi
  if port_in_use "$REDIS_PORT"; then
    port_conflict_error "$REDIS_PORT" redis GOVSTAT_REDIS_PORT
  fi
  ensure_gitignore
  ensure_dir "$REDIS_DIR"
  write_conf
  rm -f "$REDIS_PIDFILE"
  log_info "starting on 127.0.0.1:$REDIS_PORT (data $REDIS_DIR, log $REDIS_LOG)"
  # daemonize yes: the server forks, detaches and writes the pid file itself.
  if ! "$REDIS_SERVER" "$REDIS_CONF" </dev/null >>"$REDIS_LOG" 2>&1 8>&-; then
    show_log_tail "$REDIS_LOG"; die "redis-server failed to start"
  fi
  _redis_pidfile_alive() { pid_alive "$(read_pid "$REDIS_PIDFILE")"; }
  wait_for 15 "redis to write $REDIS_PIDFILE" _redis_pidfile_alive \
    || { show_log_tail "$REDIS_LOG"; exit 1; }
  pid="$(read_pid "$REDIS_PIDFILE")"
  wait_for --pid "$pid" "$REDIS_START_TIMEOUT" "redis on 127.0.0.1:$REDIS_PORT to answer PING" redis_ping \
    || { show_log_tail "$REDIS_LOG"; exit 1; }
  log_info "started (pid $pid, 127.0.0.1:$REDIS_PORT, $((SECONDS - t0))s); URL redis://127.0.0.1:$REDIS_PORT/0"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log_info "not running"
    rm -f "$REDIS_PIDFILE"
    return 0
  fi
  service_lock
  log_info "stopping (pid $pid)"
  # SIGTERM makes redis write its RDB/AOF and exit cleanly.
  stop_pid "$pid" redis 30 || die "could not stop redis (pid $pid)"
  rm -f "$REDIS_PIDFILE"
  log_info "stopped"
}

cmd_status() {
  local pid rport
  if pid="$(running_pid)"; then
    rport="$(running_port)"
    REDIS_CLI="$(command -v redis-cli || echo redis-cli)"
    if redis_ping "$rport"; then
      echo "redis: running (pid $pid, 127.0.0.1:$rport, data $REDIS_DIR)"
      return 0
    fi
    echo "redis: NOT READY (pid $pid alive but 127.0.0.1:$rport does not answer PING; log $REDIS_LOG)"
    return 1
  fi
  echo "redis: stopped"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) usage_and_exit "$0 {start|stop|status}" ;;
esac
