#!/usr/bin/env bash
# Run a command with the local services up, and stop afterwards (Ctrl-C included) the services
# that this run had to start; services that were already running are left running.
#
#   ops/services/with-services.sh govstat up
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
started=()
for name in postgres redis kafka; do
  if ! "$here/services.sh" status "$name" >/dev/null 2>&1; then
    started+=("$name")
  fi
done
"$here/services.sh" up || exit $?

stop_started() {
  trap - INT TERM EXIT
  if ((${#started[@]})); then
    echo "with-services: stopping what this run started: ${started[*]}"
    "$here/services.sh" down "${started[@]}" || true
  fi
}
trap stop_started INT TERM EXIT

"$@" &
child=$!
trap 'kill -INT "$child" 2>/dev/null; wait "$child"; stop_started' INT TERM
wait "$child"
status=$?
stop_started
exit "$status"
