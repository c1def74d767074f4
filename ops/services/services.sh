#!/usr/bin/env bash
# Start/stop/report govstat's local backing services (no Docker).
#
#   ops/services/services.sh up     [postgres] [redis] [kafka]   # default: all, in this order
#   ops/services/services.sh down   [names...]                   # stops in reverse order
#   ops/services/services.sh status [names...]                   # one line each; exit 1 if any is down
#
# A service is skipped ("external") when its connection setting points to a
# host other than 127.0.0.1/localhost:
#   GOVSTAT_DATABASE_URL    e.g. postgresql://user:pw@db.example:5432/govstat -> postgres
#   GOVSTAT_REDIS_URL       e.g. redis://cache.example:6379/0                 -> redis
#   GOVSTAT_KAFKA_BOOTSTRAP e.g. broker1.example:9092,broker2.example:9092     -> kafka
# When such a setting is local and names a port, it becomes the default for
# GOVSTAT_PG_PORT / GOVSTAT_REDIS_PORT / GOVSTAT_KAFKA_PORT.
#
# Per-service options: see postgres.sh, redis.sh, kafka.sh; GOVSTAT_PG_REPLICA=1 adds a
# hot-standby replica of postgres (postgres-replica.sh).
set -euo pipefail
SERVICE_NAME=services
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_SERVICES=(postgres redis kafka)

# _host_port SPEC -- print "host port" of a URL or host:port list (first entry).
_host_port() {
  local s="$1" host port=""
  s="${s#*://}"                 # scheme
  s="${s%%,*}"                  # first of a comma-separated list
  s="${s%%[/?#]*}"              # path, query
  s="${s##*@}"                  # userinfo
  if [[ "$s" == \[* ]]; then    # [v6]:port
    host="${s%%]*}"; host="${host#[}"
    [[ "$s" == *\]:* ]] && port="${s##*]:}"
  else
    host="${s%%:*}"
    [[ "$s" == *:* ]] && port="${s##*:}"
  fi
  printf '%s %s\n' "$host" "$port"
}

_is_local_host() {
  case "$1" in 127.0.0.1 | localhost | ::1 | "") return 0 ;; *) return 1 ;; esac
}

# service_env NAME -- sets VAR (setting name), SPEC (its value) and PORTVAR
service_env() {
  case "$1" in
    postgres) VAR=GOVSTAT_DATABASE_URL; PORTVAR=GOVSTAT_PG_PORT ;;
    redis) VAR=GOVSTAT_REDIS_URL; PORTVAR=GOVSTAT_REDIS_PORT ;;
    kafka) VAR=GOVSTAT_KAFKA_BOOTSTRAP; PORTVAR=GOVSTAT_KAFKA_PORT ;;
  esac
  SPEC="${!VAR:-}"
}

# is_external NAME -- true (and sets EXT to the host) if NAME is configured remote.
# Runs in the current shell (no $(...)): it may export the port variable.
is_external() {
  EXT=""
  service_env "$1"
  [[ -n "$SPEC" ]] || return 1
  if [[ "$1" == redis && "$SPEC" == unix:* ]]; then EXT="unix socket"; return 0; fi
  local host port
  read -r host port <<<"$(_host_port "$SPEC")"
  if _is_local_host "$host"; then
    # A local URL with a port decides the port unless it is set explicitly.
    if [[ -n "$port" && "$port" =~ ^[0-9]+$ ]]; then
      if [[ -z "${!PORTVAR:-}" ]]; then
        export "$PORTVAR=$port"
      elif [[ "${!PORTVAR}" != "$port" ]]; then
        log_warn "$VAR uses port $port but $PORTVAR=${!PORTVAR}"
      fi
    fi
    return 1
  fi
  EXT="$host"
}

run_service() { # run_service NAME ACTION
  # GOVSTAT_PG_REPLICA=1: a hot-standby replica beside the primary (postgres-replica.sh); it is
  # stopped before the primary whether or not the variable is set.
  if [[ "$1" == postgres && "$2" == stop ]]; then "$SERVICES_DIR/postgres-replica.sh" stop; fi
  "$SERVICES_DIR/$1.sh" "$2"
  if [[ "$1" == postgres && "$2" != stop && "${GOVSTAT_PG_REPLICA:-0}" == 1 ]]; then
    "$SERVICES_DIR/postgres-replica.sh" "$2"
  elif [[ "$1" == postgres && "$2" == start ]]; then
    # a replica that died (not stopped) leaves its slot, whose xmin blocks vacuum cluster-wide
    "$SERVICES_DIR/postgres-replica.sh" forget || log_warn "could not check for a dead replica's slot"
  fi
}

# Validate names; keep the canonical order (postgres, redis, kafka).
select_services() {
  local want=("$@") s w out=()
  if ((${#want[@]} == 0)); then printf '%s\n' "${ALL_SERVICES[@]}"; return; fi
  for w in "${want[@]}"; do
    [[ " ${ALL_SERVICES[*]} " == *" $w "* ]] || die "unknown service '$w' (known: ${ALL_SERVICES[*]})"
  done
  for s in "${ALL_SERVICES[@]}"; do
    for w in "${want[@]}"; do [[ "$s" == "$w" ]] && { out+=("$s"); break; }; done
  done
  printf '%s\n' "${out[@]}"
}

action="${1:-}"
shift || true
mapfile -t selected < <(select_services "$@")
((${#selected[@]})) || exit 2

case "$action" in
  up)
    t0=$SECONDS
    for s in "${selected[@]}"; do
      if is_external "$s"; then
        echo "[$s] external ($VAR -> $EXT); not starting a local one"
        continue
      fi
      run_service "$s" start
    done
    log_info "up: ${selected[*]} ($((SECONDS - t0))s)"
    ;;
  down)
    rc=0
    for ((i = ${#selected[@]} - 1; i >= 0; i--)); do
      s="${selected[i]}"
      if is_external "$s"; then
        echo "[$s] external ($VAR -> $EXT); nothing to stop"
        continue
      fi
      run_service "$s" stop || rc=1
    done
    exit "$rc"
    ;;
  status)
    rc=0
    for s in "${selected[@]}"; do
      if is_external "$s"; then
        echo "$s: external ($VAR -> $EXT; not managed here)"
        continue
      fi
      run_service "$s" status || rc=1
    done
    exit "$rc"
    ;;
  *) usage_and_exit "$0 {up|down|status} [postgres] [redis] [kafka]" ;;
esac
