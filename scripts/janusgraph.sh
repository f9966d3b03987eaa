#!/usr/bin/env bash
# scripts/janusgraph.sh — a real, local JanusGraph server without Docker.
#
#   fetch                      resolve JanusGraph 1.1.0 jars from Maven Central into .cache/janusgraph/lib
#   start [--backend inmemory|berkeleyje|cql] [--fresh] [--auth]
#                              start a server on 127.0.0.1:$GRAPHPERF_JANUSGRAPH_PORT (default 8182)
#                              and wait until a Gremlin query answers; with cql, first an
#                              Apache Cassandra node (Maven Central jars) on 127.0.0.1
#   stop                       stop the server this script started on that port (and its Cassandra)
#   status                     running or not (exit 0 / 3), Cassandra nodes included
#   logs [N]                   the last N (default 80) lines of the server (and Cassandra) logs
#   console                    the Gremlin console, connected to the local server
#   config [--backend B]       print the graph properties start would generate (nothing started)
#   cassandra start|stop       start or stop only the Cassandra node(s) of that port's server
#   cluster start [--cassandra-nodes N] [--servers M] [--fresh]
#                              an N-node Cassandra ring (127.0.0.1..127.0.0.N, replication
#                              factor min(N,3)) and M Gremlin servers on ports PORT..PORT+M-1
#                              over the same keyspace (defaults 2 and 2)
#   cluster status|stop        status of / stop every process of that cluster
#
# Each port gets its own run directory (.cache/janusgraph/run-PORT) holding the
# generated configs, the pid file, the log and the BerkeleyJE data, so several
# servers can run side by side (tests use this to restart one without
# disturbing another).
#
# Cassandra ports are derived from the JanusGraph port PORT so that servers on
# different ports never clash: CQL native transport PORT+1000, inter-node
# storage PORT+2000 (8182 -> 9182, 10182); JMX is off. Cassandra node i of PORT
# listens on 127.0.0.i and keeps data, commitlog, hints, saved caches, its pid
# file and log in .cache/janusgraph/run-PORT/cassandra-i. Every CQL server uses
# keyspace `janusgraph`. Read and write consistency: QUORUM on a ring of 3 or
# more nodes (replication factor 3: QUORUM = 2 tolerates one node down and
# reads see every acknowledged write), ONE on 1 or 2 nodes (with replication
# factor 2, QUORUM is both replicas; ONE keeps data reads and writes going
# with a node down, but JanusGraph's own system operations stay at QUORUM and
# stall; see docs/cql.md).
#
# Environment: GRAPHPERF_JANUSGRAPH_PORT (8182), GRAPHPERF_JANUSGRAPH_HEAP (1g,
# at most 2g advised on 2-core/24 GiB CI machines), GRAPHPERF_CASSANDRA_HEAP (1g),
# GRAPHPERF_JANUSGRAPH_START_TIMEOUT (seconds, 240), GRAPHPERF_JANUSGRAPH_CACHE
# (.cache/janusgraph), GRAPHPERF_CQL_CONSISTENCY (QUORUM from 3 nodes, else
# ONE), GRAPHPERF_CQL_BATCH_STATEMENT_SIZE (20), GRAPHPERF_CQL_IDS_BLOCK_SIZE
# (1000000) — the last three for tuning runs.
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
cql_lib=$cache/lib-cql
cassandra_lib=$cache/cassandra-lib
cassandra_heap=${GRAPHPERF_CASSANDRA_HEAP:-1g}
cql_consistency=${GRAPHPERF_CQL_CONSISTENCY:-}
cql_batch_statement_size=${GRAPHPERF_CQL_BATCH_STATEMENT_SIZE:-20}
cql_ids_block_size=${GRAPHPERF_CQL_IDS_BLOCK_SIZE:-1000000}
# Where the JanusGraph on $port finds Cassandra: the nodes of the ring owned
# by port $cql_base (set by start and cluster start).
cql_base=$port
cql_nodes=1
ring_ready=0
ring_rf=1 # the replication factor of the ring being started (token allocation)

# use_port P: point port, run, pidfile and logfile at the JanusGraph server on P.
use_port() {
  port=$1
  run=$cache/run-$port
  pidfile=$run/server.pid
  logfile=$run/server.log
}

# Test credentials for `start --auth` (documented in the README; never use them in production).
auth_user=graphperf
auth_password=graphperf-secret

die() { echo "janusgraph.sh: $*" >&2; exit 1; }
usage() { sed -n '2,43p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }

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

# fetch_into DIR POM [MAVEN ARGS...]: copy the pom's runtime dependencies into DIR once.
fetch_into() {
  local dir=$1 pom=$2; shift 2
  if [[ -f $dir/.complete ]]; then
    return 0
  fi
  need mvn "install Maven 3.8+"
  need java "install a Java 17 JDK"
  echo "janusgraph.sh: resolving jars from Maven Central into $dir (first run only)..." >&2
  rm -rf "$dir.tmp"
  if ! mvn -q -B -f "$pom" "$@" dependency:copy-dependencies \
      -DoutputDirectory="$dir.tmp" -DincludeScope=runtime >"$cache/mvn.log" 2>&1; then
    tail -40 "$cache/mvn.log" >&2
    die "mvn could not resolve the jars of $pom (full log: $cache/mvn.log)"
  fi
  rm -rf "$dir" && mv "$dir.tmp" "$dir" && touch "$dir/.complete"
}

cmd_fetch() {
  mkdir -p "$cache"
  fetch_into "$lib" "$here/janusgraph/pom.xml"
  echo "janusgraph.sh: $(ls "$lib"/*.jar | wc -l) jars in $lib" >&2
}

# cmd_fetch_cql: JanusGraph with janusgraph-cql, and Apache Cassandra.
cmd_fetch_cql() {
  fetch_into "$cql_lib" "$here/janusgraph/pom.xml" -Pcql
  fetch_into "$cassandra_lib" "$here/janusgraph/cassandra-pom.xml"
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

# ---------------------------------------------------------------------------
# CQL: JanusGraph on Apache Cassandra.

# cql_hosts N: the comma-separated addresses of an N-node local ring.
cql_hosts() {
  local i hosts=127.0.0.1
  for ((i = 2; i <= $1; i++)); do hosts+=",127.0.0.$i"; done
  echo "$hosts"
}

# cql_properties: the CQL part of graph.properties. The settings an operator
# tunes (keyspace, consistency, batch loading, id blocks, caches) are the ones
# docker-compose.janusgraph.yml must repeat; internal/composefile compares them
# with `janusgraph.sh config --backend cql`.
cql_properties() {
  local rf=$((cql_nodes < 3 ? cql_nodes : 3))
  echo "storage.backend=cql"
  # One contact point, node 1: the driver discovers the other nodes from it.
  # With several, its control connection may sit on a node whose gossip view
  # is stale, see "schema agreement" on the old schema right after JanusGraph
  # creates a table, and prepare statements on a node that does not have the
  # table yet ("table janusgraph_ids does not exist" at the first start).
  echo "storage.hostname=127.0.0.1"
  echo "storage.port=$((cql_base + 1000))"
  echo "storage.cql.keyspace=janusgraph"
  echo "storage.cql.local-datacenter=datacenter1"
  echo "storage.cql.replication-factor=$rf"
  # QUORUM = floor(RF/2)+1. From 3 nodes (RF 3) data reads and writes run at
  # QUORUM (2 of 3): a node may die, and since reads and writes overlap in
  # at least one replica (2 + 2 > 3) a read sees every acknowledged write,
  # also right after the dead node returns. On 2 nodes (RF 2) QUORUM is both
  # replicas, so data operations run at ONE to go on with a node down;
  # JanusGraph's system operations (id blocks, locks, management log) are
  # QUORUM whatever is set here, so on RF 2 they stall with a node down.
  local cl=$cql_consistency
  if [[ -z $cl ]]; then
    cl=ONE
    ((rf >= 3)) && cl=QUORUM
  fi
  echo "storage.cql.read-consistency-level=$cl"
  echo "storage.cql.write-consistency-level=$cl"
  echo "storage.cql.batch-statement-size=$cql_batch_statement_size"
  echo "storage.parallel-backend-ops=true"
  echo "ids.block-size=$cql_ids_block_size"
  echo "ids.authority.wait-time=300"
  # Several Gremlin servers share the keyspace: a per-server database cache
  # would serve one server's stale reads of another's writes.
  echo "cache.db-cache=false"
  # The DataStax driver's own settings: wait for schema agreement long
  # enough for a loaded 2-core ring (the default 10 s is not: JanusGraph then
  # reads a table some node does not know yet, "table edgestore does not
  # exist"), and reconnect to a restarted Cassandra within seconds, not a minute.
  echo "storage.cql.internal.file-configuration=$run/conf/cql-driver.conf"
  # The driver's request timeout (JanusGraph's default 12 s): at QUORUM on a
  # 3-node ring with a load average of 60 on 2 cores, JanusGraph's first
  # queries at start-up took longer ("DriverTimeoutException: Query timed
  # out after PT12S", 2026-12-02) and the server did not start.
  echo "storage.cql.request-timeout=60000"
  mkdir -p "$run/conf"
  cat >"$run/conf/cql-driver.conf" <<'CONF'
datastax-java-driver {
  advanced.control-connection.schema-agreement.timeout = 120 seconds
  advanced.reconnection-policy.base-delay = 1 second
  advanced.reconnection-policy.max-delay = 5 seconds
  advanced.prepared-statements.prepare-on-all-nodes = false
  advanced.connection.init-query-timeout = 30 seconds
  advanced.control-connection.timeout = 30 seconds
  advanced.metadata.schema.request-timeout = 60 seconds
}
CONF
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

cass_dir() { echo "$cache/run-$1/cassandra-$2"; }

# cass_running BASE I: node I of the ring owned by port BASE is alive.
cass_running() {
  local pf
  pf=$(cass_dir "$1" "$2")/cassandra.pid
  [[ -f $pf ]] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# cass_configs DIR ADDR NATIVE STORAGE BASE: cassandra.yaml and logback.xml.
cass_configs() {
  local dir=$1 addr=$2 native=$3 storage=$4 base=$5
  mkdir -p "$dir/conf"
  cat >"$dir/conf/cassandra.yaml" <<YAML
# Generated by scripts/janusgraph.sh — edit the script, not this file.
cluster_name: graphperf-$base
num_tokens: 16
allocate_tokens_for_local_replication_factor: $ring_rf
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$storage"
listen_address: $addr
rpc_address: $addr
storage_port: $storage
start_native_transport: true
native_transport_port: $native
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
data_file_directories:
  - $dir/data
commitlog_directory: $dir/commitlog
hints_directory: $dir/hints
saved_caches_directory: $dir/saved_caches
cdc_raw_directory: $dir/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 32MiB
hinted_handoff_enabled: true
max_hint_window: 3h
auto_snapshot: false
memtable_heap_space: 128MiB
memtable_offheap_space: 128MiB
key_cache_size: 32MiB
file_cache_size: 64MiB
networking_cache_size: 32MiB
concurrent_reads: 8
concurrent_writes: 16
concurrent_counter_writes: 4
concurrent_compactors: 1
compaction_throughput: 64MiB/s
read_request_timeout: 10000ms
range_request_timeout: 20000ms
write_request_timeout: 5000ms
request_timeout: 20000ms
batch_size_warn_threshold: 64KiB
batch_size_fail_threshold: 1024KiB
YAML
  cat >"$dir/conf/logback.xml" <<'XML'
<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{1} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
XML
}

# cass_start BASE I: start node I (127.0.0.I) of the ring owned by port BASE
# and wait until it answers CQL clients.
cass_start() {
  local base=$1 i=$2
  local dir addr=127.0.0.$i native=$(($1 + 1000)) storage=$(($1 + 2000))
  dir=$(cass_dir "$base" "$i")
  local pf=$dir/cassandra.pid log=$dir/cassandra.log
  if cass_running "$base" "$i"; then
    local wait_until=$((SECONDS + start_timeout))
    while cass_running "$base" "$i" && ((SECONDS < wait_until)); do
      if tcp_open "$addr" "$native"; then
        echo "janusgraph.sh: Cassandra node $i already running on $addr:$native (pid $(cat "$pf"))" >&2
        return 0
      fi
      sleep 0.5
    done
    cass_running "$base" "$i" && die "Cassandra pid $(cat "$pf") is alive but $addr:$native never opened; run '$0 stop' first"
  fi
  local p
  for p in "$native" "$storage"; do
    if tcp_open "$addr" "$p"; then
      die "Cassandra node $i cannot start: $addr:$p is in use by another process (Cassandra ports are the JanusGraph port + 1000 and + 2000; set GRAPHPERF_JANUSGRAPH_PORT to move them)"
    fi
  done
  cass_configs "$dir" "$addr" "$native" "$storage" "$base"
  local jamm=("$cassandra_lib"/jamm-*.jar) agent=()
  [[ -f ${jamm[0]} ]] && agent=(-javaagent:"${jamm[0]}")
  : >"$log"
  echo "janusgraph.sh: starting Apache Cassandra $(cassandra_version) node $i on $addr:$native (storage $storage, heap $cassandra_heap), log $log" >&2
  # The options of Cassandra 5.0's conf/jvm17-server.options and cassandra-env.sh
  # that the Maven jars do not carry.
  setsid java -Xms"$cassandra_heap" -Xmx"$cassandra_heap" -Xss256k \
    -XX:+UseG1GC -XX:+ParallelRefProcEnabled -XX:MaxTenuringThreshold=1 -XX:G1HeapRegionSize=16m \
    -XX:G1RSetUpdatingPauseTimePercent=5 -XX:MaxGCPauseMillis=300 -XX:InitiatingHeapOccupancyPercent=70 \
    -XX:+CrashOnOutOfMemoryError -XX:+UseTLAB -XX:+ResizeTLAB -XX:+PerfDisableSharedMem \
    -XX:MaxDirectMemorySize=512m \
    -Djdk.attach.allowAttachSelf=true \
    --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
    --add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED \
    --add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED \
    --add-exports java.rmi/sun.rmi.server=ALL-UNNAMED \
    --add-exports java.sql/java.sql=ALL-UNNAMED \
    --add-exports java.base/java.lang.ref=ALL-UNNAMED \
    --add-exports jdk.unsupported/sun.misc=ALL-UNNAMED \
    --add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
    --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED \
    --add-opens java.base/java.lang.module=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.loader=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.reflect=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.math=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.module=ALL-UNNAMED \
    --add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED \
    --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
    --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens java.base/java.io=ALL-UNNAMED \
    --add-opens java.base/java.lang.reflect=ALL-UNNAMED \
    --add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED \
    --add-opens java.base/java.lang=ALL-UNNAMED \
    --add-opens java.base/java.util=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -Dio.netty.allocator.useCacheForAllThreads=true -Dio.netty.allocator.maxOrder=11 \
    "${agent[@]}" \
    -Dcassandra-foreground=yes \
    -Dcassandra.config="file://$dir/conf/cassandra.yaml" \
    -Dcassandra.storagedir="$dir" -Dcassandra.logdir="$dir" \
    -Dlogback.configurationFile="$dir/conf/logback.xml" \
    -Dcassandra.ring_delay_ms=5000 -Dcassandra.skip_wait_for_gossip_to_settle=0 \
    -cp "$cassandra_lib/*" org.apache.cassandra.service.CassandraDaemon \
    >>"$log" 2>&1 </dev/null &
  echo $! >"$pf"
  local deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    if ! cass_running "$base" "$i"; then
      echo "janusgraph.sh: Cassandra node $i exited during start-up; its reason and last log lines:" >&2
      grep -E 'ERROR|Exception|FATAL|Error:' "$log" | head -5 >&2 || true
      echo "--- tail of $log" >&2
      tail -30 "$log" >&2
      rm -f "$pf"
      exit 1
    fi
    if grep -q "Starting listening for CQL clients" "$log" && tcp_open "$addr" "$native"; then
      echo "janusgraph.sh: Cassandra node $i ready on $addr:$native after ${SECONDS}s" >&2
      return 0
    fi
    sleep 1
  done
  echo "janusgraph.sh: Cassandra node $i not ready after ${start_timeout}s; last log lines:" >&2
  tail -30 "$log" >&2
  cass_stop "$base" "$i"
  exit 1
}

cassandra_version() {
  local j=("$cassandra_lib"/cassandra-all-*.jar)
  j=${j[0]##*/cassandra-all-}
  echo "${j%.jar}"
}

# cass_stop BASE I [SIGNAL]: stop node I (SIGTERM: drains and flushes) and
# wait until it is gone.
cass_stop() {
  local base=$1 i=$2 pf pid
  pf=$(cass_dir "$base" "$i")/cassandra.pid
  [[ -f $pf ]] || return 0
  pid=$(cat "$pf")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "janusgraph.sh: stopped Cassandra node $i pid $pid (127.0.0.$i:$((base + 1000)))" >&2
  fi
  rm -f "$pf"
}

# owned_nodes: how many Cassandra nodes the server on $port owns (0: none).
owned_nodes() { cat "$run/cassandra-nodes" 2>/dev/null || echo 0; }

# cass_start_ring BASE N FRESH: start (or reuse) nodes 1..N of BASE's ring.
cass_start_ring() {
  local base=$1 n=$2 fresh=$3 i
  mkdir -p "$cache/run-$base"
  if [[ $fresh == 1 ]]; then
    for ((i = n; i >= 1; i--)); do cass_stop "$base" "$i"; done
    for ((i = 1; i <= n; i++)); do rm -rf "$(cass_dir "$base" "$i")"; done
  fi
  echo "$n" >"$cache/run-$base/cassandra-nodes"
  ring_rf=$((n < 3 ? n : 3))
  # One at a time: a node bootstraps into the ring only after the previous one joined.
  for ((i = 1; i <= n; i++)); do cass_start "$base" "$i"; done
  ring_ready=1
}

cmd_cassandra() {
  [[ $# -ge 1 ]] || die "cassandra: expected start|stop"
  local n
  n=$(owned_nodes)
  ((n > 0)) || die "no Cassandra belongs to the server on port $port (start it with '$0 start --backend cql')"
  case $1 in
    start) cmd_fetch_cql; cass_start_ring "$port" "$n" 0 ;;
    stop) local i; for ((i = n; i >= 1; i--)); do cass_stop "$port" "$i"; done ;;
    *) echo "janusgraph.sh: cassandra: unknown command '$1' (expected start|stop)" >&2; exit 2 ;;
  esac
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
      cql) cql_properties ;;
    esac
    # Bulk-loading friendly: large id blocks, batch loading (no consistency
    # locks; the loader guarantees uniqueness), explicit schema is applied by
    # `graphperf schema apply`, but default auto-creation stays on for ad-hoc use.
    # storage.batch-loading=true (no locks, no consistency checks) is what the
    # in-memory backend loads fastest with. BerkeleyJE refuses it for the
    # multi-threaded transactions Gremlin Server runs ("BerkeleyJE does not
    # support non-transactional for multi threaded tx"), so it stays off there.
    if [[ $backend == inmemory || $backend == cql ]]; then
      echo "storage.batch-loading=true"
    else
      echo "storage.batch-loading=false"
    fi
    if [[ $backend != cql ]]; then
      echo "ids.block-size=1000000"
      echo "cache.db-cache=true"
      echo "cache.db-cache-size=0.25"
      echo "ids.authority.wait-time=20"
    fi
    echo "ids.renew-timeout=60000"
    echo "query.batch=true"
    echo "query.force-index=false"
    echo "schema.default=default"
  } >"$props"
  # --- GRAPHPERF_JG_PROPS: extra graph properties (tuning runs, docs/cql.md "Measurements") ---
  # Comma-separated key=value pairs; each replaces the generated line of its key
  # or is appended. Settings JanusGraph stores in the graph at its first start
  # (GLOBAL_OFFLINE, e.g. ids.block-size) only take effect on a new graph
  # (--fresh, or another storage.cql.keyspace).
  if [[ -n ${GRAPHPERF_JG_PROPS:-} ]]; then
    local kv key tmp=$props.tmp
    local -a extra
    IFS=, read -r -a extra <<<"$GRAPHPERF_JG_PROPS"
    for kv in "${extra[@]}"; do
      kv=${kv#"${kv%%[![:space:]]*}"}
      key=${kv%%=*}
      [[ $kv == *=* && $key =~ ^[A-Za-z0-9._-]+$ ]] ||
        die "GRAPHPERF_JG_PROPS: \"$kv\" is not key=value (pairs are comma-separated)"
      awk -v k="$key=" 'index($0, k) != 1' "$props" >"$tmp"
      echo "$kv" >>"$tmp"
      mv "$tmp" "$props"
    done
  fi
  # --- end GRAPHPERF_JG_PROPS ---

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
      --backend) [[ $# -ge 2 ]] || die "--backend needs a value: inmemory, berkeleyje or cql"; backend=$2; shift 2 ;;
      --backend=*) backend=${1#*=}; shift ;;
      --fresh) fresh=1; shift ;;
      --auth) auth=1; shift ;;
      -h|--help) usage ;;
      *) echo "janusgraph.sh: start: unknown option $1 (expected --backend inmemory|berkeleyje|cql, --fresh, --auth)" >&2; exit 2 ;;
    esac
  done
  case $backend in inmemory|berkeleyje|cql) ;; *)
    echo "janusgraph.sh: --backend must be inmemory, berkeleyje or cql, got '$backend'" >&2; exit 2 ;;
  esac
  cql_base=$port cql_nodes=1
  if [[ $backend == cql && $fresh == 0 && -f $run/cassandra-base ]]; then
    # A restart of a cluster's server: keep the ring it was started on.
    local b
    b=$(cat "$run/cassandra-base")
    if cass_running "$b" 1; then
      cql_base=$b
      cql_nodes=$(cat "$cache/run-$b/cassandra-nodes" 2>/dev/null || echo 1)
    fi
  elif [[ $backend == cql && $fresh == 0 && -f $run/cassandra-nodes ]]; then
    cql_nodes=$(cat "$run/cassandra-nodes")
  fi
  start_server "$backend" "$fresh" "$auth"
}

# start_server BACKEND FRESH AUTH: start JanusGraph on $port (for cql, on the
# ring of $cql_base, which is started first when this port owns it).
start_server() {
  local backend=$1 fresh=$2 auth=$3

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
  local jlib=$lib
  if [[ $fresh == 1 ]]; then
    rm -rf "$run/data"
  fi
  if [[ $backend == cql ]]; then
    cmd_fetch_cql
    jlib=$cql_lib
    if [[ $cql_base == "$port" && $ring_ready == 0 ]]; then
      cass_start_ring "$port" "$cql_nodes" "$fresh"
    elif ! cass_running "$cql_base" 1; then
      die "the Cassandra ring of port $cql_base is not running; start it with 'GRAPHPERF_JANUSGRAPH_PORT=$cql_base $0 cluster start'"
    fi
    mkdir -p "$run"
    echo "$cql_base" >"$run/cassandra-base"
  fi
  write_configs "$backend" "$auth"
  launch_server "$backend" "$auth" "$jlib"
  echo "$backend" >"$run/backend"
  if [[ $auth == 1 ]]; then touch "$run/auth"; else rm -f "$run/auth"; fi

  local deadline=$((SECONDS + start_timeout)) retried=0
  while ((SECONDS < deadline)); do
    # On a multi-node ring, the first server creates JanusGraph's tables one
    # by one and may prepare a statement on a node that has not applied the
    # new table yet, although the driver saw schema agreement: the graph then
    # fails to open. Every attempt gets further (the tables it created stay);
    # start the server again, a few times at most.
    # On an overloaded machine its first queries may also time out, which
    # fails the CQL store ("Couldn't initialize CQLStoreManager").
    if [[ $backend == cql ]] && ((retried < 8)) && grep -qE "InvalidQueryException: table .* does not exist|Couldn't initialize CQLStoreManager" "$logfile"; then
      echo "janusgraph.sh: JanusGraph failed to open the keyspace ($(grep -oE "table [a-z_]* does not exist|Couldn't initialize CQLStoreManager" "$logfile" | head -1)); starting it again" >&2
      stop_server
      sleep 5
      retried=$((retried + 1))
      launch_server "$backend" "$auth" "$jlib"
      deadline=$((SECONDS + start_timeout))
      continue
    fi
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

# launch_server BACKEND AUTH LIB: start the JanusGraph JVM on $port (no wait).
launch_server() {
  local backend=$1 auth=$2 jlib=$3
  : >"$logfile"
  : >"$run/ready.log"
  echo "janusgraph.sh: starting JanusGraph 1.1.0 ($backend$([[ $auth == 1 ]] && echo ', auth')) on 127.0.0.1:$port (heap $heap), log $logfile" >&2
  # setsid: the server gets its own process group, so `stop` can end it and its children.
  setsid java -Xms256m -Xmx"$heap" -XX:+UseG1GC -Xss512k \
    "${java_opens[@]}" \
    -Dlog4j2.configurationFile="$run/conf/log4j2.xml" \
    -Dgremlin.io.kryoShimService=org.janusgraph.hadoop.serialize.JanusGraphKryoShimService \
    -cp "$jlib/*" org.janusgraph.graphdb.server.JanusGraphServer "$run/conf/server.yaml" \
    >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# cmd_stop: the JanusGraph server on $port, then the Cassandra nodes it owns.
cmd_stop() {
  stop_server
  local i n
  n=$(owned_nodes)
  for ((i = n; i >= 1; i--)); do cass_stop "$port" "$i"; done
}

stop_server() {
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
  local rc=0 i n
  if is_running; then
    echo "running on 127.0.0.1:$port (pid $(cat "$pidfile"), backend $(cat "$run/backend" 2>/dev/null || echo '?'))"
  else
    echo "not running (port $port)"
    rc=3
  fi
  n=$(owned_nodes)
  for ((i = 1; i <= n; i++)); do
    cass_status "$port" "$i" || rc=3
  done
  return $rc
}

# cass_status BASE I: one line for node I of BASE's ring; 0 when it runs.
cass_status() {
  local dir
  dir=$(cass_dir "$1" "$2")
  if cass_running "$1" "$2"; then
    echo "  Cassandra node $2 running on 127.0.0.$2:$(($1 + 1000)) (pid $(cat "$dir/cassandra.pid"), data $dir)"
    return 0
  fi
  echo "  Cassandra node $2 not running (127.0.0.$2:$(($1 + 1000)))"
  return 3
}

cmd_logs() {
  local i n
  n=$(owned_nodes)
  [[ -f $logfile ]] || ((n > 0)) || die "no log yet at $logfile"
  if [[ -f $logfile ]]; then
    ((n == 0)) || echo "==> JanusGraph $logfile <=="
    tail -n "${1:-80}" "$logfile"
  fi
  for ((i = 1; i <= n; i++)); do
    local clog
    clog=$(cass_dir "$port" "$i")/cassandra.log
    [[ -f $clog ]] || continue
    echo "==> Cassandra node $i $clog <=="
    tail -n "${1:-80}" "$clog"
  done
}

# cmd_config: the graph properties `start` would write, on stdout.
cmd_config() {
  local backend=inmemory
  while [[ $# -gt 0 ]]; do
    case $1 in
      --backend) [[ $# -ge 2 ]] || die "--backend needs a value: inmemory, berkeleyje or cql"; backend=$2; shift 2 ;;
      --backend=*) backend=${1#*=}; shift ;;
      *) echo "janusgraph.sh: config: unknown option $1 (expected --backend inmemory|berkeleyje|cql)" >&2; exit 2 ;;
    esac
  done
  case $backend in inmemory|berkeleyje|cql) ;; *)
    echo "janusgraph.sh: --backend must be inmemory, berkeleyje or cql, got '$backend'" >&2; exit 2 ;;
  esac
  local tmp
  tmp=$(mktemp -d)
  run=$tmp write_configs "$backend" 0
  cat "$tmp/conf/graph.properties"
  rm -rf "$tmp"
}

# cmd_cluster: a local ring of Cassandra nodes and several Gremlin servers on it.
cmd_cluster() {
  [[ $# -ge 1 ]] || die "cluster: expected start|status|stop"
  local sub=$1; shift
  local base=$port nodes=2 servers=2 fresh=0 j
  case $sub in
    start)
      while [[ $# -gt 0 ]]; do
        case $1 in
          --cassandra-nodes) [[ $# -ge 2 ]] || die "--cassandra-nodes needs a number"; nodes=$2; shift 2 ;;
          --servers) [[ $# -ge 2 ]] || die "--servers needs a number"; servers=$2; shift 2 ;;
          --fresh) fresh=1; shift ;;
          *) echo "janusgraph.sh: cluster start: unknown option $1 (expected --cassandra-nodes N, --servers M, --fresh)" >&2; exit 2 ;;
        esac
      done
      [[ $nodes =~ ^[1-9]$ ]] || { echo "janusgraph.sh: --cassandra-nodes must be 1..9, got '$nodes'" >&2; exit 2; }
      [[ $servers =~ ^[1-9]$ ]] || { echo "janusgraph.sh: --servers must be 1..9, got '$servers'" >&2; exit 2; }
      cmd_fetch_cql
      mkdir -p "$cache/run-$base"
      echo "$servers" >"$cache/run-$base/cluster-servers"
      cass_start_ring "$base" "$nodes" "$fresh"
      for ((j = 0; j < servers; j++)); do
        use_port $((base + j))
        cql_base=$base cql_nodes=$nodes
        start_server cql "$fresh" 0
      done
      echo "janusgraph.sh: cluster ready: Gremlin servers $(cluster_hosts "$base" "$servers") on a $nodes-node Cassandra ring ($(cql_hosts "$nodes") port $((base + 1000)), replication factor $((nodes < 3 ? nodes : 3)))" >&2
      ;;
    status)
      local rc=0
      servers=$(cat "$cache/run-$base/cluster-servers" 2>/dev/null || echo 1)
      nodes=$(cat "$cache/run-$base/cassandra-nodes" 2>/dev/null || echo 0)
      for ((j = 0; j < servers; j++)); do
        use_port $((base + j))
        if is_running; then
          echo "JanusGraph 127.0.0.1:$port running (pid $(cat "$pidfile"))"
        else
          echo "JanusGraph 127.0.0.1:$port not running"; rc=3
        fi
      done
      for ((j = 1; j <= nodes; j++)); do cass_status "$base" "$j" || rc=3; done
      return $rc
      ;;
    stop)
      servers=$(cat "$cache/run-$base/cluster-servers" 2>/dev/null || echo 1)
      nodes=$(cat "$cache/run-$base/cassandra-nodes" 2>/dev/null || echo 0)
      for ((j = servers - 1; j >= 0; j--)); do
        use_port $((base + j))
        stop_server
      done
      for ((j = nodes; j >= 1; j--)); do cass_stop "$base" "$j"; done
      ;;
    *) echo "janusgraph.sh: cluster: unknown command '$sub' (expected start|status|stop)" >&2; exit 2 ;;
  esac
}

cluster_hosts() {
  local j out=""
  for ((j = 0; j < $2; j++)); do out+="${out:+,}127.0.0.1:$(($1 + j))"; done
  echo "$out"
}

cmd_console() {
  fetch_into "$console_lib" "$here/janusgraph/pom.xml" -Pconsole
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
  config) cmd_config "$@" ;;
  cassandra) cmd_cassandra "$@" ;;
  cluster) cmd_cluster "$@" ;;
  -h|--help|help) usage ;;
  *) echo "janusgraph.sh: unknown command '$sub' (expected fetch|start|stop|status|logs|console|config|cassandra|cluster)" >&2; exit 2 ;;
esac
