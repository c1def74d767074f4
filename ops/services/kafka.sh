#!/usr/bin/env bash
# Local Apache Kafka 4.x (KRaft, single combined broker+controller node) for
# govstat development and tests (no Docker, no ZooKeeper, no systemd).
#
#   ops/services/kafka.sh start|stop|status
#   ops/services/kafka.sh fetch        # only resolve the jars into the cache
#
# Environment:
#   GOVSTAT_KAFKA_PORT              PLAINTEXT listener on 127.0.0.1 (default 9092)
#   GOVSTAT_KAFKA_CONTROLLER_PORT   CONTROLLER listener on 127.0.0.1 (default: port + 1 = 9093)
#   GOVSTAT_KAFKA_START_TIMEOUT     seconds to wait for the broker (default 120)
#   GOVSTAT_KAFKA_HEAP_OPTS         JVM heap options (default "-Xmx512m -Xms128m")
#   GOVSTAT_CACHE_DIR               jar cache root (default ~/.cache/govstat); the jars go to
#                                   $GOVSTAT_CACHE_DIR/kafka-<version>/libs
#   GOVSTAT_DATA_DIR                data lives in $GOVSTAT_DATA_DIR/kafka (default <repo>/.data)
#
# The jars come from Maven Central via ops/services/kafka-pom.xml (needs java + mvn;
# both are apt-installed when missing).  The cache is re-resolved when the pom changes.
#
# Layout of $GOVSTAT_DATA_DIR/kafka:
#   server.properties, log4j2.xml   rewritten on every start
#   kafka.pid                       pid file
#   cluster.id                      the KRaft cluster id (generated once)
#   data/                           log.dirs (topic data + __cluster_metadata), formatted once
#   logs/server.log                 broker log (previous run: logs/server.log.1)
#   stdout.log                      JVM stdout/stderr (normally empty)
set -euo pipefail
SERVICE_NAME=kafka
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_PORT="${GOVSTAT_KAFKA_PORT:-9092}"
check_port_number "$KAFKA_PORT" GOVSTAT_KAFKA_PORT
KAFKA_CONTROLLER_PORT="${GOVSTAT_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
check_port_number "$KAFKA_CONTROLLER_PORT" GOVSTAT_KAFKA_CONTROLLER_PORT
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "GOVSTAT_KAFKA_PORT and GOVSTAT_KAFKA_CONTROLLER_PORT must differ"
KAFKA_START_TIMEOUT="${GOVSTAT_KAFKA_START_TIMEOUT:-120}"
KAFKA_HEAP_OPTS="${GOVSTAT_KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}"

KAFKA_POM="$SERVICES_DIR/kafka-pom.xml"
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_POM" | head -n1)"
[[ -n "$KAFKA_VERSION" ]] || die "cannot read <kafka.version> from $KAFKA_POM"
KAFKA_CACHE="$GOVSTAT_CACHE_DIR/kafka-$KAFKA_VERSION"
KAFKA_LIBS="$KAFKA_CACHE/libs"
KAFKA_LIBS_MARKER="$KAFKA_CACHE/libs.complete"

KAFKA_DIR="$GOVSTAT_DATA_DIR/kafka"
KAFKA_PROPS="$KAFKA_DIR/server.properties"
KAFKA_LOG4J="$KAFKA_DIR/log4j2.xml"
KAFKA_PIDFILE="$KAFKA_DIR/kafka.pid"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DIR/cluster.id"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_FORMATTED="$KAFKA_DIR/data.formatted"
KAFKA_LOGS="$KAFKA_DIR/logs"
KAFKA_LOG="$KAFKA_LOGS/server.log"
KAFKA_STDOUT="$KAFKA_DIR/stdout.log"

# ------------------------------------------------------------ toolchain --
ensure_java() {
  command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
  command -v java >/dev/null 2>&1 || die "java not found"
  local v
  v="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  [[ "$v" =~ ^[0-9]+$ ]] && (( v >= 17 )) || die "Kafka $KAFKA_VERSION needs Java 17 or newer; 'java' ($(command -v java)) is version ${v:-unknown}"
}

# ensure_libs -- resolve the broker jars into $KAFKA_LIBS once (per pom content)
ensure_libs() {
  local want; want="$(sha256sum "$KAFKA_POM" | cut -d' ' -f1)"
  if [[ -f "$KAFKA_LIBS_MARKER" && "$(cat "$KAFKA_LIBS_MARKER")" == "$want" ]]; then return 0; fi
  ensure_dir "$KAFKA_CACHE"
  # Serialise concurrent starts (e.g. make -j) on the same cache.
  exec 9>"$KAFKA_CACHE/.lock"
  flock 9
  if [[ -f "$KAFKA_LIBS_MARKER" && "$(cat "$KAFKA_LIBS_MARKER")" == "$want" ]]; then exec 9>&-; return 0; fi
  command -v mvn >/dev/null 2>&1 || apt_install maven
  local partial="$KAFKA_CACHE/libs.partial" t0=$SECONDS
  rm -rf "$partial" "$KAFKA_LIBS_MARKER"
  log_info "resolving Kafka $KAFKA_VERSION jars with Maven into $KAFKA_LIBS (first run only)"
  if ! mvn -q -B -Dstyle.color=never -f "$KAFKA_POM" dependency:copy-dependencies \
      -DoutputDirectory="$partial" >"$KAFKA_CACHE/mvn.log" 2>&1; then
    show_log_tail "$KAFKA_CACHE/mvn.log" 30
    die "mvn dependency:copy-dependencies failed (full output in $KAFKA_CACHE/mvn.log)"
  fi
  [[ -f "$partial/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "mvn finished but $partial/kafka_2.13-$KAFKA_VERSION.jar is missing"
  rm -rf "$KAFKA_LIBS"
  mv "$partial" "$KAFKA_LIBS"
  printf '%s\n' "$want" >"$KAFKA_LIBS_MARKER" # written last: a half download is redone
  log_info "resolved $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $((SECONDS - t0))s"
  exec 9>&-
}

kafka_java() { # kafka_java MAINCLASS ARGS... (tools: small heap, log4j quiet)
  java -Xmx256m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS" \
    -cp "$KAFKA_LIBS/*" "$@"
}

# --------------------------------------------------------------- config --
write_config() {
  ensure_dir "$KAFKA_DIR"
  ensure_dir "$KAFKA_LOGS"
  cat >"$KAFKA_PROPS" <<EOF
# Written by ops/services/kafka.sh on every start; edits are overwritten.
# KRaft combined mode: this single node is both broker and (the only) controller.
process.roles=broker,controller
node.id=1
# Kafka 4.x dynamic quorum (KIP-853): bootstrap servers instead of controller.quorum.voters;
# the storage is formatted with --standalone.
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT

log.dirs=$KAFKA_DATA
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# The application creates its own topics.
auto.create.topics.enable=false
# Single node, tests: no point delaying the first consumer-group rebalance.
group.initial.rebalance.delay.ms=0
EOF
  cat >"$KAFKA_LOG4J" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by ops/services/kafka.sh on every start; edits are overwritten. -->
<Configuration status="warn">
  <Appenders>
    <File name="server" fileName="${sys:kafka.logs.dir}/server.log" append="true">
      <PatternLayout pattern="[%d] %p %m (%c)%n"/>
    </File>
  </Appenders>
  <Loggers>
    <Root level="info"><AppenderRef ref="server"/></Root>
    <Logger name="kafka.request.logger" level="warn"/>
    <Logger name="state.change.logger" level="warn"/>
    <Logger name="kafka.log.LogCleaner" level="warn"/>
  </Loggers>
</Configuration>
EOF
}

# format_storage -- format log.dirs once (KRaft needs it before the first start)
format_storage() {
  if [[ -f "$KAFKA_FORMATTED" ]]; then
    local fport; fport="$(sed -n 's/^controller_port=//p' "$KAFKA_FORMATTED")"
    if [[ -n "$fport" && "$fport" != "$KAFKA_CONTROLLER_PORT" ]]; then
      # The voter set written by "format --standalone" keeps the old endpoint; a
      # single node still elects itself and re-registers on the new port.
      log_warn "storage was formatted with controller port $fport, now using $KAFKA_CONTROLLER_PORT (fine for this single node)"
    fi
    return 0
  fi
  local cid=""
  [[ -s "$KAFKA_CLUSTER_ID_FILE" ]] && cid="$(cat "$KAFKA_CLUSTER_ID_FILE")"
  if [[ -z "$cid" ]]; then
    cid="$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$KAFKA_DIR/format.log" | tail -n1)"
    [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] || { show_log_tail "$KAFKA_DIR/format.log"; die "StorageTool random-uuid returned '$cid'"; }
    printf '%s\n' "$cid" >"$KAFKA_CLUSTER_ID_FILE"
  fi
  rm -rf "$KAFKA_DATA" # a half-formatted directory from an interrupted run
  log_info "formatting storage $KAFKA_DATA (cluster id $cid, standalone controller)"
  if ! kafka_java kafka.tools.StorageTool format --standalone -t "$cid" -c "$KAFKA_PROPS" \
      >>"$KAFKA_DIR/format.log" 2>&1; then
    show_log_tail "$KAFKA_DIR/format.log"
    die "kafka storage format failed (full output in $KAFKA_DIR/format.log)"
  fi
  printf 'cluster_id=%s\ncontroller_port=%s\n' "$cid" "$KAFKA_CONTROLLER_PORT" >"$KAFKA_FORMATTED"
}

# ---------------------------------------------------------------- state --
running_pid() {
  local pid cmd
  pid="$(read_pid "$KAFKA_PIDFILE")"
  pid_alive "$pid" || return 1
  cmd="$(pid_cmdline "$pid")"
  [[ "$cmd" == *kafka.Kafka* && "$cmd" == *"$KAFKA_PROPS"* ]] || return 1
  printf '%s\n' "$pid"
}

# The PLAINTEXT port of the running broker (from the config it was started with).
running_port() { sed -n 's|^listeners=PLAINTEXT://127.0.0.1:\([0-9]*\),.*|\1|p' "$KAFKA_PROPS" 2>/dev/null; }

# Ready = the log of *this* run (rotated at start) says so and the port accepts.
kafka_ready() {
  grep -q "Kafka Server started" "$KAFKA_LOG" 2>/dev/null && port_accepts 127.0.0.1 "${1:-$KAFKA_PORT}"
}

fail_with_logs() {
  show_log_tail "$KAFKA_LOG" 40
  [[ -s "$KAFKA_STDOUT" ]] && show_log_tail "$KAFKA_STDOUT" 20
  exit 1
}

# ------------------------------------------------------------- commands --
cmd_start() {
  service_lock
  local pid t0=$SECONDS
  if pid="$(running_pid)"; then
    local rport; rport="$(running_port)"
    [[ "$rport" == "$KAFKA_PORT" ]] || die "govstat's kafka is already running on port $rport (pid $pid), but GOVSTAT_KAFKA_PORT=$KAFKA_PORT; stop it first"
    wait_for --pid "$pid" "$KAFKA_START_TIMEOUT" "kafka on 127.0.0.1:$KAFKA_PORT ('Kafka Server started' in $KAFKA_LOG and port open)" kafka_ready \
      || fail_with_logs
    log_info "already running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$p"; then
      if [[ "$p" == "$KAFKA_PORT" ]]; then port_conflict_error "$p" kafka GOVSTAT_KAFKA_PORT
      else port_conflict_error "$p" "kafka (controller listener)" GOVSTAT_KAFKA_CONTROLLER_PORT; fi
    fi
  done
  ensure_gitignore
  ensure_java
  ensure_libs
  write_config
  format_storage
  rm -f "$KAFKA_PIDFILE"
  [[ -f "$KAFKA_LOG" ]] && mv -f "$KAFKA_LOG" "$KAFKA_LOG.1"
  log_info "starting on 127.0.0.1:$KAFKA_PORT (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT, data $KAFKA_DATA, log $KAFKA_LOG)"
  # setsid: own session, so Ctrl-C in the calling terminal/make does not reach the broker.
  # shellcheck disable=SC2086 # KAFKA_HEAP_OPTS is a list of options
  (cd "$KAFKA_DIR" && exec setsid java $KAFKA_HEAP_OPTS -server \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$KAFKA_LOGS" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" \
    </dev/null >"$KAFKA_STDOUT" 2>&1 8>&-) &
  pid=$!
  printf '%s\n' "$pid" >"$KAFKA_PIDFILE"
  if ! wait_for --pid "$pid" "$KAFKA_START_TIMEOUT" "kafka on 127.0.0.1:$KAFKA_PORT ('Kafka Server started' in $KAFKA_LOG and port open)" kafka_ready; then
    if pid_alive "$pid"; then stop_pid "$pid" kafka 10 || true; fi
    rm -f "$KAFKA_PIDFILE"
    fail_with_logs
  fi
  running_pid >/dev/null || die "broker answers but pid $pid in $KAFKA_PIDFILE is not it (unexpected)"
  log_info "started (pid $pid, 127.0.0.1:$KAFKA_PORT, $((SECONDS - t0))s); bootstrap 127.0.0.1:$KAFKA_PORT"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log_info "not running"
    rm -f "$KAFKA_PIDFILE"
    return 0
  fi
  service_lock
  log_info "stopping (pid $pid)"
  stop_pid "$pid" kafka 30 || die "could not stop kafka (pid $pid)"
  rm -f "$KAFKA_PIDFILE"
  log_info "stopped"
}

cmd_status() {
  local pid rport
  if pid="$(running_pid)"; then
    rport="$(running_port)"
    if kafka_ready "$rport"; then
      echo "kafka: running (pid $pid, 127.0.0.1:$rport, data $KAFKA_DATA)"
      return 0
    fi
    echo "kafka: NOT READY (pid $pid alive but not started/answering on 127.0.0.1:$rport; log $KAFKA_LOG)"
    return 1
  fi
  echo "kafka: stopped"
  return 1
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  fetch) ensure_java; ensure_libs; log_info "jars in $KAFKA_LIBS" ;;
  *) usage_and_exit "$0 {start|stop|status|fetch}" ;;
esac
