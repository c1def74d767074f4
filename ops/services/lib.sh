# shellcheck shell=bash
# Shared helpers for ops/services/*.sh (sourced, never executed).
#
# Environment:
#   GOVSTAT_DATA_DIR   where service data, logs and pid files live
#                      (default: <repo>/.data; git-ignored)
#   GOVSTAT_CACHE_DIR  downloads kept outside the repo (default: ~/.cache/govstat)

if [[ -n "${_GOVSTAT_LIB_SOURCED:-}" ]]; then return 0; fi
_GOVSTAT_LIB_SOURCED=1

SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
# The repository root is two levels above ops/services; this works without git
# (e.g. in an exported tarball) and does not depend on the caller's cwd.
REPO_ROOT="$(cd "$SERVICES_DIR/../.." && pwd -P)"

_abs_path() { # make a path absolute without requiring it to exist
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(pwd -P)" "$1" ;;
  esac
}

GOVSTAT_DATA_DIR="$(_abs_path "${GOVSTAT_DATA_DIR:-$REPO_ROOT/.data}")"
GOVSTAT_CACHE_DIR="$(_abs_path "${GOVSTAT_CACHE_DIR:-${HOME:-/root}/.cache/govstat}")"
export GOVSTAT_DATA_DIR GOVSTAT_CACHE_DIR

# ---------------------------------------------------------------- logging --
# SERVICE_NAME is set by each service script and prefixes every message.
_log_prefix() { printf '[%s]' "${SERVICE_NAME:-services}"; }
log_info() { printf '%s %s\n' "$(_log_prefix)" "$*"; }
log_warn() { printf '%s WARNING: %s\n' "$(_log_prefix)" "$*" >&2; }
log_error() { printf '%s ERROR: %s\n' "$(_log_prefix)" "$*" >&2; }
die() { log_error "$*"; exit 1; }

# show_log_tail FILE [LINES] -- print the end of a log file to stderr
show_log_tail() {
  local file="$1" lines="${2:-40}"
  if [[ -s "$file" ]]; then
    printf '%s ---- last %s lines of %s ----\n' "$(_log_prefix)" "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf '%s ---- end of %s ----\n' "$(_log_prefix)" "$file" >&2
  else
    printf '%s (log %s is empty or missing)\n' "$(_log_prefix)" "$file" >&2
  fi
}

# ------------------------------------------------------------- processes --
# pid_alive PID -- true if the process exists and is not a zombie.  (Daemons are
# reparented to PID 1, which may reap them only a second or two after they exit.)
pid_alive() {
  [[ -n "${1:-}" && "$1" =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
  local stat=""
  read -r stat <"/proc/$1/stat" 2>/dev/null || return 0
  stat="${stat##*) }"
  [[ "${stat:0:1}" != "Z" ]]
}

# read_pid FILE -- print the first line of a pid file if it holds a number
read_pid() {
  local pid=""
  [[ -r "$1" ]] && read -r pid <"$1" 2>/dev/null
  [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s\n' "$pid"
  return 0
}

# pid_cmdline PID -- the process's command line with NULs turned into spaces
pid_cmdline() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null || true; }

# stop_pid PID DESCRIPTION [TIMEOUT_SECONDS] -- SIGTERM, wait, then SIGKILL
stop_pid() {
  local pid="$1" what="$2" timeout="${3:-30}" waited=0
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    if (( waited >= timeout * 10 )); then
      log_warn "$what (pid $pid) did not exit ${timeout}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  ! pid_alive "$pid"
}

# ------------------------------------------------------------------ ports --
# port_in_use PORT -- true if something listens on (or accepts at) the port.
port_in_use() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    # Any listener on this port, on any address (0.0.0.0, 127.0.0.1, ::, ...).
    [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]] && return 0
  fi
  port_accepts 127.0.0.1 "$port"
}

# port_accepts HOST PORT -- true if a TCP connection to HOST:PORT succeeds.
port_accepts() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# port_pids PORT -- pids of processes listening on PORT (needs ss; may be empty)
port_pids() {
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# port_held_by_pid PORT PID -- true if PID is one of the listeners on PORT.
# Without ss the owner cannot be determined; then "true" if the port accepts.
port_held_by_pid() {
  local port="$1" pid="$2" pids
  if command -v ss >/dev/null 2>&1; then
    pids="$(port_pids "$port")"
    [[ -n "$pids" ]] && grep -qx "$pid" <<<"$pids"
  else
    port_accepts 127.0.0.1 "$port"
  fi
}

# describe_port_holder PORT -- "pid 123 redis-server" or "" if unknown
describe_port_holder() {
  local pid out=""
  for pid in $(port_pids "$1"); do
    out+="${out:+, }pid $pid $(ps -o comm= -p "$pid" 2>/dev/null || echo '?')"
  done
  printf '%s' "$out"
}

# port_conflict_error PORT SERVICE ENVVAR -- the standard "port is taken" error
port_conflict_error() {
  local holder
  holder="$(describe_port_holder "$1")"
  die "port $1 is held by another process (not govstat's $2${holder:+; $holder}); stop it or set $3"
}

# check_port_number VALUE ENVVAR
check_port_number() {
  [[ "$1" =~ ^[0-9]+$ ]] && (( $1 > 0 && $1 < 65536 )) || die "$2='$1' is not a valid TCP port"
}

# -------------------------------------------------------------- waiting --
# wait_for [--pid PID] TIMEOUT_SECONDS DESCRIPTION COMMAND [ARGS...]
# Runs COMMAND until it succeeds.  Returns 0 on success, 1 on timeout and
# 2 if --pid was given and that process exited meanwhile.  Prints nothing on
# success; prints a clear message on failure (the caller adds the log tail).
wait_for() {
  local pid=""
  if [[ "$1" == "--pid" ]]; then pid="$2"; shift 2; fi
  local timeout="$1" what="$2"; shift 2
  local deadline=$((SECONDS + timeout))
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
      log_error "$what: the process (pid $pid) exited before it became ready"
      return 2
    fi
    if (( SECONDS >= deadline )); then
      log_error "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.25
  done
}

# ------------------------------------------------------------ packages --
# apt_install PACKAGE... -- install Debian packages without starting services.
# The Debian postinst scripts of postgresql / redis-server would start a
# system-wide instance on the default port (which would then block ours);
# a policy-rc.d that denies everything prevents that when none is present.
_GOVSTAT_APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* manually"
  [[ $EUID -eq 0 ]] || die "need root to install $* (apt-get)"
  local created_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# temporary, created by govstat ops/services\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=1
  fi
  log_info "installing Debian package(s): $*"
  local rc=0
  {
    if [[ -z "$_GOVSTAT_APT_UPDATED" ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 && _GOVSTAT_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >&2
  } || rc=$?
  [[ -n "$created_policy" ]] && rm -f /usr/sbin/policy-rc.d
  (( rc == 0 )) || die "apt-get install $* failed (exit $rc)"
}

# service_lock -- serialise start/stop of one service (e.g. under make -j).
# Holds fd 8 until the script exits.  Processes that outlive the script (the
# servers) must be started with 8>&- or they would keep the lock forever.
service_lock() {
  ensure_dir "$GOVSTAT_DATA_DIR"
  exec 8>"$GOVSTAT_DATA_DIR/.$SERVICE_NAME.lock"
  flock -w 300 8 || die "another ops/services/$SERVICE_NAME.sh still holds $GOVSTAT_DATA_DIR/.$SERVICE_NAME.lock after 300s"
}

# ---------------------------------------------------------------- misc --
# ensure_dir DIR [OWNER] -- create DIR (and parents), optionally chown it
ensure_dir() {
  mkdir -p "$1" || die "cannot create directory $1"
  if [[ -n "${2:-}" ]]; then chown "$2" "$1" || die "cannot chown $1 to $2"; fi
}

# ensure_gitignore -- the data dir lives in the repo by default; keep it out of git
ensure_gitignore() {
  local gi="$REPO_ROOT/.gitignore"
  case "$GOVSTAT_DATA_DIR" in "$REPO_ROOT"/*) ;; *) return 0 ;; esac
  if [[ ! -f "$gi" ]] || ! grep -qxE '/?\.data/?' "$gi"; then
    # add a newline first if the file does not end with one
    if [[ -s "$gi" && -n "$(tail -c1 "$gi")" ]]; then printf '\n' >>"$gi"; fi
    printf '.data/\n' >>"$gi" 2>/dev/null || true
  fi
}

# usage_and_exit "USAGE TEXT"
usage_and_exit() { printf 'usage: %s\n' "$1" >&2; exit 2; }
