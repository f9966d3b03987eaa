#!/usr/bin/env bash
# scripts/janusgraph.sh — a real, local JanusGraph server without Docker.
#
#   fetch                      resolve JanusGraph 1.1.0 jars from Maven Central into .cache/janusgraph/lib
#   start [--backend inmemory|berkeleyje] [--fresh] [--auth]
#                              start a server on 127.0.0.1:$GRAPHPERF_JANUSGRAPH_PORT (default 8182)
#                              and wait until a Gremlin query answers
#   stop                       stop the server this script started on that port
#   status                     running or not (exit 0 / 3)
#   logs [N]                   the last N (default 80) lines of the server log
#   console                    the Gremlin console, connected to the local server
#
# Each port gets its own run directory (.cache/janusgraph/run-PORT) holding the
# generated configs, the pid file, the log and the BerkeleyJE data, so several
# servers can run side by side (tests use this to restart one without
# disturbing another).
#
# Environment: GRAPHPERF_JANUSGRAPH_PORT (8182), GRAPHPERF_JANUSGRAPH_HEAP (1g,
# at most 2g advised on 2-core/24 GiB CI machines), GRAPHPERF_JANUSGRAPH_START_TIMEOUT
# (seconds, 240), GRAPHPERF_JANUSGRAPH_CACHE (.cache/janusgraph).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
cache=${GRAPHPERF_JANUSGRAPH_CACHE:-$root/.cache/janusgraph}
port=${GRAPHPERF_JANUSGRAPH_PORT:-8182}
heap=${GRAPHPERF_JANUSGRAPH_HEAP:-1g}
start_timeout=${GRAPHPERF_JANUSGRAPH_START_TIMEOUT:-240}
run=$cache/run-$port
lib=$cache/lib
console_lib=$cache/console-lib
pidfile=$run/server.pid
logfile=$run/server.log

# Test credentials for `start --auth` (documented in the README; never use them in production).
auth_user=graphperf
auth_password=graphperf-secret

die() { echo "janusgraph.sh: $*" >&2; exit 1; }
usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"; }

# Java 17 needs these to let JanusGraph/TinkerPop (kryo, netty, groovy) reflect into the JDK.
java_opens=(
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.math=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.management/sun.management=ALL-UNNAMED
)

# fetch_into DIR [MAVEN ARGS...]: copy the pom's runtime dependencies into DIR once.
fetch_into() {
  local dir=$1; shift
  if [[ -f $dir/.complete ]]; then
    return 0
  fi
  need mvn "install Maven 3.8+"
  need java "install a Java 17 JDK"
  echo "janusgraph.sh: resolving jars from Maven Central into $dir (first run only)..." >&2
  rm -rf "$dir.tmp"
  if ! mvn -q -B -f "$here/janusgraph/pom.xml" "$@" dependency:copy-dependencies \
      -DoutputDirectory="$dir.tmp" -DincludeScope=runtime >"$cache/mvn.log" 2>&1; then
    tail -40 "$cache/mvn.log" >&2
    die "mvn could not resolve the JanusGraph jars (full log: $cache/mvn.log)"
  fi
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.complete"
}

cmd_fetch() {
  mkdir -p "$cache"
  fetch_into "$lib"
  echo "janusgraph.sh: $(ls "$lib"/*.jar | wc -l) jars in $lib" >&2
}

is_running() {
  [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# gremlin_ready: the server evaluates g.inject(1), checked with TinkerPop's own
# Java driver (scripts/janusgraph/Ready.java, run from source with the server jars).
gremlin_ready() {
  local creds=()
  if [[ -f $run/auth ]]; then creds=("$auth_user" "$auth_password"); fi
  java -cp "$lib/*" "$here/janusgraph/Ready.java" 127.0.0.1 "$port" "${creds[@]}" >>"$run/ready.log" 2>&1
}

write_configs() {
  local backend=$1 auth=$2
  mkdir -p "$run/data" "$run/conf"
  local props=$run/conf/graph.properties
  {
    echo "gremlin.graph=org.janusgraph.core.JanusGraphFactory"
    case $backend in
      inmemory) echo "storage.backend=inmemory" ;;
      berkeleyje)
        echo "storage.backend=berkeleyje"
        echo "storage.directory=$run/data/berkeleyje"
        echo "storage.berkeleyje.cache-percentage=30"
        # JE's default lock timeout (500 ms) fails concurrent batches on a
        # fresh graph ("LockTimeoutException ... graphindex") while the first
        # writers create index entries; wait like a server should.
        echo "storage.berkeleyje.ext.je.lock.timeout=30 s"
        ;;
    esac
    # Bulk-loading friendly: large id blocks, batch loading (no consistency
    # locks; the loader guarantees uniqueness), explicit schema is applied by
    # `graphperf schema apply`, but default auto-creation stays on for ad-hoc use.
    # storage.batch-loading=true (no locks, no consistency checks) is what the
    # in-memory backend loads fastest with. BerkeleyJE refuses it for the
    # multi-threaded transactions Gremlin Server runs ("BerkeleyJE does not
    # support non-transactional for multi threaded tx"), so it stays off there.
    if [[ $backend == inmemory ]]; then
      echo "storage.batch-loading=true"
    else
      echo "storage.batch-loading=false"
    fi
    echo "ids.block-size=1000000"
    echo "ids.authority.wait-time=20"
    echo "ids.renew-timeout=60000"
    echo "cache.db-cache=true"
    echo "cache.db-cache-size=0.25"
    echo "query.batch=true"
    echo "query.force-index=false"
    echo "schema.default=default"
  } >"$props"

  local credprops=$run/conf/credentials.properties
  {
    echo "gremlin.graph=org.janusgraph.core.JanusGraphFactory"
    # BerkeleyJE, not inmemory: the authenticator opens this graph twice (once
    # to create the default user, once to check logins) and two in-memory
    # opens would be two different, empty stores.
    echo "storage.backend=berkeleyje"
    echo "storage.directory=$run/data/credentials"
  } >"$credprops"

  cat >"$run/conf/init.groovy" <<'GROOVY'
// Binds the traversal source `g` for scripts sent to this server.
def globals = [:]
globals << [g : graph.traversal()]
GROOVY

  local authblock=""
  if [[ $auth == 1 ]]; then
    authblock="authentication: {
  authenticator: org.janusgraph.graphdb.tinkerpop.gremlin.server.auth.JanusGraphSimpleAuthenticator,
  authenticationHandler: org.apache.tinkerpop.gremlin.server.handler.SaslAuthenticationHandler,
  config: {
    defaultUsername: $auth_user,
    defaultPassword: $auth_password,
    credentialsDb: $credprops
  }
}"
  fi

  cat >"$run/conf/server.yaml" <<YAML
# Generated by scripts/janusgraph.sh — edit the script, not this file.
host: 127.0.0.1
port: $port
evaluationTimeout: 300000
channelizer: org.apache.tinkerpop.gremlin.server.channel.WebSocketChannelizer
graphManager: org.janusgraph.graphdb.management.JanusGraphManager
graphs: {
  graph: $props
}
scriptEngines: {
  gremlin-groovy: {
    plugins: { org.janusgraph.graphdb.tinkerpop.plugin.JanusGraphGremlinPlugin: {},
               org.apache.tinkerpop.gremlin.server.jsr223.GremlinServerGremlinPlugin: {},
               org.apache.tinkerpop.gremlin.tinkergraph.jsr223.TinkerGraphGremlinPlugin: {},
               org.apache.tinkerpop.gremlin.jsr223.ImportGremlinPlugin: {classImports: [java.lang.Math], methodImports: [java.lang.Math#*]},
               org.apache.tinkerpop.gremlin.jsr223.ScriptFileGremlinPlugin: {files: [$run/conf/init.groovy]}}}}
serializers:
  - { className: org.apache.tinkerpop.gremlin.util.ser.GraphSONMessageSerializerV3, config: { ioRegistries: [org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry] }}
  - { className: org.apache.tinkerpop.gremlin.util.ser.GraphSONUntypedMessageSerializerV3, config: { ioRegistries: [org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry] }}
  - { className: org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1, config: { ioRegistries: [org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry] }}
  - { className: org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1, config: { serializeResultToString: true }}
processors:
  - { className: org.apache.tinkerpop.gremlin.server.op.session.SessionOpProcessor, config: { sessionTimeout: 28800000 }}
  - { className: org.apache.tinkerpop.gremlin.server.op.traversal.TraversalOpProcessor }
metrics: {
  jmxReporter: {enabled: false}}
$authblock
gremlinPool: 0
threadPoolWorker: 2
maxInitialLineLength: 4096
maxHeaderSize: 8192
maxChunkSize: 8192
maxContentLength: 8388608
maxAccumulationBufferComponents: 1024
resultIterationBatchSize: 64
writeBufferLowWaterMark: 32768
writeBufferHighWaterMark: 65536
YAML

  cat >"$run/conf/log4j2.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<Configuration status="WARN">
  <Appenders>
    <Console name="out" target="SYSTEM_OUT">
      <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n"/>
    </Console>
  </Appenders>
  <Loggers>
    <Logger name="org.apache.tinkerpop.gremlin.server" level="INFO"/>
    <Logger name="org.janusgraph" level="WARN"/>
    <Logger name="com.sleepycat" level="WARN"/>
    <Root level="WARN"><AppenderRef ref="out"/></Root>
  </Loggers>
</Configuration>
XML
}

cmd_start() {
  local backend=inmemory fresh=0 auth=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      --backend) [[ $# -ge 2 ]] || die "--backend needs a value: inmemory or berkeleyje"; backend=$2; shift 2 ;;
      --backend=*) backend=${1#*=}; shift ;;
      --fresh) fresh=1; shift ;;
      --auth) auth=1; shift ;;
      -h|--help) usage ;;
      *) echo "janusgraph.sh: start: unknown option $1 (expected --backend inmemory|berkeleyje, --fresh, --auth)" >&2; exit 2 ;;
    esac
  done
  case $backend in inmemory|berkeleyje) ;; *)
    echo "janusgraph.sh: --backend must be inmemory or berkeleyje, got '$backend'" >&2; exit 2 ;;
  esac

  if is_running; then
    # Either a server we started (perhaps still starting), or one that was
    # just killed and whose JVM is still exiting: wait until it answers or is gone.
    local wait_until=$((SECONDS + start_timeout))
    while is_running && ((SECONDS < wait_until)); do
      if port_open; then
        echo "janusgraph.sh: already running on 127.0.0.1:$port (pid $(cat "$pidfile"))" >&2
        return 0
      fi
      sleep 0.5
    done
    if is_running; then
      die "pid $(cat "$pidfile") is alive but port $port never opened; run '$0 stop' first"
    fi
  fi
  if port_open; then
    die "port $port is in use by another process; set GRAPHPERF_JANUSGRAPH_PORT to use another port"
  fi
  cmd_fetch
  if [[ $fresh == 1 ]]; then
    rm -rf "$run/data"
  fi
  write_configs "$backend" "$auth"
  : >"$logfile"
  : >"$run/ready.log"
  echo "janusgraph.sh: starting JanusGraph 1.1.0 ($backend$([[ $auth == 1 ]] && echo ', auth')) on 127.0.0.1:$port, log $logfile" >&2
  # setsid: the server gets its own process group, so `stop` can end it and its children.
  setsid java -Xms256m -Xmx"$heap" -XX:+UseG1GC -Xss512k \
    "${java_opens[@]}" \
    -Dlog4j2.configurationFile="$run/conf/log4j2.xml" \
    -Dgremlin.io.kryoShimService=org.janusgraph.hadoop.serialize.JanusGraphKryoShimService \
    -cp "$lib/*" org.janusgraph.graphdb.server.JanusGraphServer "$run/conf/server.yaml" \
    >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  echo "$backend" >"$run/backend"
  if [[ $auth == 1 ]]; then touch "$run/auth"; else rm -f "$run/auth"; fi

  local deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    if ! is_running; then
      echo "janusgraph.sh: the server exited during start-up; last log lines:" >&2
      tail -40 "$logfile" >&2
      rm -f "$pidfile"
      exit 1
    fi
    if port_open && grep -q "Channel started at port" "$logfile" && gremlin_ready; then
      echo "janusgraph.sh: ready on ws://127.0.0.1:$port/gremlin after ${SECONDS}s" >&2
      return 0
    fi
    sleep 1
  done
  echo "janusgraph.sh: not ready after ${start_timeout}s; last log lines:" >&2
  tail -40 "$logfile" >&2
  if [[ -f $run/ready.log ]]; then echo "last readiness probe:" >&2; tail -5 "$run/ready.log" >&2; fi
  cmd_stop
  exit 1
}

cmd_stop() {
  if ! [[ -f $pidfile ]]; then
    echo "janusgraph.sh: no server started by this script on port $port" >&2
    return 0
  fi
  local pid
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "janusgraph.sh: stopped pid $pid (port $port)" >&2
  fi
  rm -f "$pidfile"
}

cmd_status() {
  if is_running; then
    echo "running on 127.0.0.1:$port (pid $(cat "$pidfile"), backend $(cat "$run/backend" 2>/dev/null || echo '?'))"
    return 0
  fi
  echo "not running (port $port)"
  return 3
}

cmd_logs() {
  [[ -f $logfile ]] || die "no log yet at $logfile"
  tail -n "${1:-80}" "$logfile"
}

cmd_console() {
  fetch_into "$console_lib" -Pconsole
  mkdir -p "$run/conf" "$run/console-ext"
  cat >"$run/conf/remote.yaml" <<YAML
hosts: [127.0.0.1]
port: $port
serializer: { className: org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1, config: { ioRegistries: [org.janusgraph.graphdb.tinkerpop.JanusGraphIoRegistry] }}
YAML
  cat >"$run/conf/console-init.groovy" <<GROOVY
:plugin use tinkerpop.server
:remote connect tinkerpop.server $run/conf/remote.yaml session
:remote console
GROOVY
  echo "janusgraph.sh: Gremlin console connected to 127.0.0.1:$port (every line is sent to the server; :exit quits)" >&2
  exec java "${java_opens[@]}" -cp "$console_lib/*" \
    -Dtinkerpop.ext="$run/console-ext" \
    org.apache.tinkerpop.gremlin.console.Console -i "$run/conf/console-init.groovy"
}

[[ $# -ge 1 ]] || usage
sub=$1; shift
case $sub in
  fetch) cmd_fetch ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) cmd_logs "$@" ;;
  console) cmd_console ;;
  -h|--help|help) usage ;;
  *) echo "janusgraph.sh: unknown command '$sub' (expected fetch|start|stop|status|logs|console)" >&2; exit 2 ;;
esac
