#!/usr/bin/env bash
# scripts/measure-cql.sh — reproduce the tables of docs/cql.md "Measurements".
#
#   measure-cql.sh backends   load-bench, load --verify and query-bench on in-memory,
#                             BerkeleyJE and CQL (1 Cassandra node), scale 0.01, interleaved
#   measure-cql.sh servers    1 vs 2 Gremlin servers over one Cassandra node: load and query-bench
#   measure-cql.sh settings   load throughput at scale 0.01 for each CQL setting (one JanusGraph
#                             server per setting over one Cassandra node, keyspace of its own,
#                             all loads at once)
#   measure-cql.sh scale1     graphperf load --scale 1 --verify into CQL, with RSS and disk samples
#
# Environment: GRAPHPERF (the graphperf binary; default: built into $OUT), OUT (log
# directory, default /tmp/measure-cql), ROUNDS (interleaved rounds, default 2), and the
# ports: BACKEND_PORTS ("8482 8483 8484": in-memory, BerkeleyJE, CQL), CLUSTER_PORT (8490:
# Cassandra node + servers 8490, 8491; the settings servers
# on 8492..8498), SCALE1_PORT (8499). Every step prints
# "## <step> <UTC time> load average <1-min>" before it runs; output goes to $OUT/<table>.log.
# Servers are started with --fresh and stopped at the end of each table.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jg=$here/janusgraph.sh
OUT=${OUT:-/tmp/measure-cql}
ROUNDS=${ROUNDS:-2}
read -r -a backend_ports <<<"${BACKEND_PORTS:-8482 8483 8484}"
cluster_port=${CLUSTER_PORT:-8490}
scale1_port=${SCALE1_PORT:-8499}
gp() { "$GRAPHPERF" "$@"; }
step() { echo "## $* $(date -u +%T) load average $(cut -d' ' -f1 /proc/loadavg)"; }
# run CMD...: print the command, run it, report its exit status (a failing step does not stop the table).
run() {
  echo "\$ ${*#"$GRAPHPERF"}" | sed "s|$GRAPHPERF|graphperf|g"
  local rc=0
  "$@" || rc=$?
  echo "exit $rc"
}
# rss PORT: RSS in MiB of the JanusGraph on PORT and of the Cassandra node it owns.
rss() {
  local run=$root/.cache/janusgraph/run-$1 pid
  for f in "$run/server.pid" "$run/cassandra-1/cassandra.pid"; do
    pid=$(cat "$f" 2>/dev/null) || continue
    echo "$f: $(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status" 2>/dev/null) MiB"
  done
}

# backends: the three backends side by side. Each phase runs on the three
# servers at the same time (so they share the machine's load alike), and the
# next phase starts when all three are done: load-bench (1 round), then load
# --verify (the graph query-bench checks its answers against), then query-bench.
backends() {
  local names=(inmemory berkeleyje cql) i p q pids
  for i in 0 1 2; do
    p=${backend_ports[$i]}
    if ! GRAPHPERF_JANUSGRAPH_PORT=$p "$jg" status >/dev/null 2>&1; then
      step "start ${names[$i]} on $p"
      GRAPHPERF_JANUSGRAPH_PORT=$p "$jg" start --backend "${names[$i]}" --fresh
    fi
  done
  # phase NAME CMD...: run CMD (with {P} replaced by each server's port) on the
  # three backends at once; each one's output goes to $OUT/NAME-<backend>.log.
  phase() {
    local name=$1 i p pids=() args a
    shift
    step "$name on the three backends at once"
    for i in 0 1 2; do
      p=${backend_ports[$i]} args=()
      for a in "$@"; do args+=("${a//\{P\}/$p}"); done
      (step "$name ${names[$i]}"; run gp "${args[@]}"; step "$name ${names[$i]} done") >"$OUT/$name-${names[$i]}.log" 2>&1 &
      pids+=($!)
    done
    wait "${pids[@]}"
    for i in 0 1 2; do cat "$OUT/$name-${names[$i]}.log"; done
  }
  phase load-bench --hosts "127.0.0.1:{P}" --timeout 15m load-bench --scale 0.01 --rounds 1 --yes
  phase load --hosts "127.0.0.1:{P}" --timeout 5m load --scale 0.01 --drop --yes --verify --state "$OUT/state-{P}"
  phase query-bench --hosts "127.0.0.1:{P}" --timeout 10m query-bench --scale 0.01 --rounds 20 --min-time 0 --warmup 3 -q
  for i in 0 1 2; do rss "${backend_ports[$i]}"; done
  for i in 0 1 2; do GRAPHPERF_JANUSGRAPH_PORT=${backend_ports[$i]} "$jg" stop; done
}

servers() {
  local p=$cluster_port one two r
  one=127.0.0.1:$p two=127.0.0.1:$p,127.0.0.1:$((p + 1))
  step "cluster start 1 node 2 servers on $p"
  GRAPHPERF_JANUSGRAPH_PORT=$p "$jg" cluster start --cassandra-nodes 1 --servers 2 --fresh
  run gp --hosts "$two" schema apply
  for ((r = 1; r <= ROUNDS; r++)); do
    for h in "$one" "$two"; do
      step "load round $r hosts $h"
      run gp --hosts "$h" --timeout 5m load --scale 0.01 --drop --yes --workers 8 --state "$OUT/state-servers"
    done
  done
  # query-bench alternates 1 and 2 servers twice (A B A B), so drift hits both.
  for r in 1 2; do
    for h in "$one" "$two"; do
      step "query-bench round $r hosts $h"
      run gp --hosts "$h" --timeout 2m query-bench --scale 0.01 --queries account-lookup,in-out-summary,shortest-transfer-path,mule-chain \
        --clients 4 --rounds 20 --min-time 0 --warmup 4 -q
    done
  done
}

# The settings table: one JanusGraph server (heap 512m) per setting, all on the
# Cassandra node of the cluster on $cluster_port, each on a keyspace of its own
# (ids.block-size is GLOBAL_OFFLINE: stored in the keyspace at its first start),
# started together, then one scale-0.01 load through each, all at the same time,
# so the machine's load hits every setting alike. Every server also gets
# storage.cql.request-timeout=120000: creating seven keyspaces at once on a loaded
# node exceeds the default 12 s. Entries: name|graph properties|load flags.
settings_list=(
  "default||"
  "--batch-size 100||--batch-size 100"
  "--batch-size 2000||--batch-size 2000"
  "parallel-backend-ops=false|storage.parallel-backend-ops=false|"
  "batch-statement-size=100|storage.cql.batch-statement-size=100|"
  "ids.block-size=10000|ids.block-size=10000|"
  "batch-loading=false|storage.batch-loading=false|"
)

settings() {
  local base=$cluster_port i p name props flags rest pids=() tag
  # A keyspace name of this run's own: a keyspace left by an earlier run keeps
  # the GLOBAL_OFFLINE options it was created with (ids.block-size).
  tag=$(date -u +%H%M%S)
  if ! GRAPHPERF_JANUSGRAPH_PORT=$base "$jg" cluster status >/dev/null 2>&1; then
    step "cluster start 1 node 1 server on $base"
    GRAPHPERF_JANUSGRAPH_PORT=$base "$jg" cluster start --cassandra-nodes 1 --servers 1 --fresh
  fi
  for i in "${!settings_list[@]}"; do
    p=$((base + 2 + i)) name=${settings_list[$i]%%|*} rest=${settings_list[$i]#*|}
    props=${rest%%|*}
    mkdir -p "$root/.cache/janusgraph/run-$p"
    echo "$base" >"$root/.cache/janusgraph/run-$p/cassandra-base"
    step "start $p: $name (keyspace t${tag}_$i)"
    GRAPHPERF_JANUSGRAPH_PORT=$p GRAPHPERF_JANUSGRAPH_HEAP=512m GRAPHPERF_JANUSGRAPH_START_TIMEOUT=900 \
      GRAPHPERF_JG_PROPS="storage.cql.keyspace=t${tag}_$i,storage.cql.request-timeout=120000${props:+,$props}" \
      "$jg" start --backend cql >"$OUT/settings-start-$p.log" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  for i in "${!settings_list[@]}"; do tail -1 "$OUT/settings-start-$((base + 2 + i)).log"; done
  step "loads on all settings at once"
  pids=()
  for i in "${!settings_list[@]}"; do
    p=$((base + 2 + i)) name=${settings_list[$i]%%|*} flags=${settings_list[$i]##*|}
    # shellcheck disable=SC2086 # flags is a word list
    (step "setting $name on $p"; run gp --hosts "127.0.0.1:$p" --timeout 5m load --scale 0.01 --drop --yes \
      --state "$OUT/state-settings-$p" $flags; step "setting $name done") >"$OUT/settings-$p.log" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  for i in "${!settings_list[@]}"; do cat "$OUT/settings-$((base + 2 + i)).log"; done
  for i in "${!settings_list[@]}"; do GRAPHPERF_JANUSGRAPH_PORT=$((base + 2 + i)) "$jg" stop; done
  GRAPHPERF_JANUSGRAPH_PORT=$base "$jg" cluster stop
}

scale1() {
  local p=$scale1_port run=$root/.cache/janusgraph/run-$scale1_port gpid
  step "start cql on $p (heaps 2g)"
  GRAPHPERF_JANUSGRAPH_PORT=$p GRAPHPERF_JANUSGRAPH_HEAP=2g GRAPHPERF_CASSANDRA_HEAP=2g "$jg" start --backend cql --fresh
  step "load --scale 1 --verify"
  /usr/bin/time -f "wall %es, graphperf max RSS %M KiB" "$GRAPHPERF" --hosts "127.0.0.1:$p" --timeout 5m \
    load --scale 1 --verify --state "$OUT/state-scale1" >"$OUT/scale1.out" 2>"$OUT/scale1.err" &
  gpid=$!
  echo "time load1 janusgraph_rss_mib cassandra_rss_mib cassandra_disk_mib journal_lines" >"$OUT/scale1.samples"
  while kill -0 "$gpid" 2>/dev/null; do
    echo "$(date -u +%T) $(cut -d' ' -f1 /proc/loadavg) $(rss "$p" | awk '{printf "%s ", $2}')$(du -sm "$run/cassandra-1" | cut -f1) $(wc -l <"$OUT/state-scale1/journal.jsonl" 2>/dev/null || echo 0)" >>"$OUT/scale1.samples"
    sleep 30
  done
  wait "$gpid" || echo "exit $?"
  cat "$OUT/scale1.out" "$OUT/scale1.err"
}

case ${1:-} in
  backends | servers | settings | scale1)
    mkdir -p "$OUT"
    if [[ -z ${GRAPHPERF:-} ]]; then
      (cd "$root" && go build -o "$OUT/graphperf" ./cmd/graphperf)
      GRAPHPERF=$OUT/graphperf
    fi
    "$1" 2>&1 | tee "$OUT/$1.log"
    ;;
  *) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac
