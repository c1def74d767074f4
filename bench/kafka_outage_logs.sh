#!/usr/bin/env bash
# Log lines written by `govstat relay` and `govstat monitor` while Kafka is stopped for 18 s.
#
#   bench/kafka_outage_logs.sh [REPO_DIR] [PYTHON]    # default: this repository and its .venv
#
# Runs against a PRIVATE stack (never the shared one: it stops Kafka). Start one first, e.g.
#   export GOVSTAT_DATA_DIR=/var/tmp/govstat-bench GOVSTAT_PG_PORT=55432 GOVSTAT_REDIS_PORT=56379 \
#          GOVSTAT_KAFKA_PORT=59092 GOVSTAT_KAFKA_CONTROLLER_PORT=59093
#   ops/services/services.sh up && GOVSTAT_DATABASE_URL=... govstat migrate
# REPO_DIR/PYTHON may name another checkout (e.g. an older commit) to compare.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
REPO="${1:-$HERE}"
PY="${2:-$REPO/.venv/bin/python}"
: "${GOVSTAT_DATA_DIR:?set GOVSTAT_DATA_DIR and the *_PORT variables of a private stack}"
PG="${GOVSTAT_PG_PORT:?}" REDIS="${GOVSTAT_REDIS_PORT:?}" KAFKA="${GOVSTAT_KAFKA_PORT:?}"
export GOVSTAT_DATABASE_URL="postgresql://govstat_app:govstat_app@127.0.0.1:$PG/govstat"
export GOVSTAT_REDIS_URL="redis://127.0.0.1:$REDIS/0" GOVSTAT_KAFKA_BOOTSTRAP="127.0.0.1:$KAFKA"
export GOVSTAT_KAFKA_TOPIC_PREFIX="outage$RANDOM." GOVSTAT_LOG_LEVEL=INFO
OUT="$(mktemp -d)"
(cd "$REPO" && exec "$PY" -m govstat.platform.root relay 2>"$OUT/relay.log") & R=$!
(cd "$REPO" && exec "$PY" -m govstat.platform.root monitor 2>"$OUT/monitor.log") & M=$!
sleep 20
: >"$OUT/relay.log.start"; wc -l <"$OUT/relay.log" >"$OUT/relay.log.start"; wc -l <"$OUT/monitor.log" >"$OUT/monitor.log.start"
t0=$SECONDS
"$HERE/ops/services/kafka.sh" stop >/dev/null
sleep 18
"$HERE/ops/services/kafka.sh" start >/dev/null
echo "Kafka unavailable for $((SECONDS - t0)) s"
sleep 10
kill "$R" "$M"; wait "$R" "$M" 2>/dev/null || true
for p in relay monitor; do
  skip=$(cat "$OUT/$p.log.start")
  echo "$p: $(tail -n +$((skip + 1)) "$OUT/$p.log" | wc -l) lines, $(tail -n +$((skip + 1)) "$OUT/$p.log" | grep -c '"level":"ERROR"') ERROR"
done
