#!/usr/bin/env bash
# scripts/measure-cql.sh — reproduce the tables of docs/cql.md "Measurements".
#
#   measure-cql.sh backends   load-bench, load --verify and query-bench on in-memory,
#                             BerkeleyJE and CQL (1 Cassandra node), scale 0.01, interleaved
#   measure-cql.sh servers    1 vs 2 Gremlin servers over one Cassandra node: load and query-bench
#   measure-cql.sh settings   load throughput at scale 0.01 for each CQL setting (one JanusGraph
#                             server per setting over one Cassandra node, keyspace of its own)
#   measure-cql.sh scale1     graphperf load --scale 1 --verify into CQL, with RSS and disk samples
#
# Environment: GRAPHPERF (the graphperf binary; default: built into $OUT), OUT (log
# directory, default /tmp/measure-cql), ROUNDS (interleaved rounds, default 2), and the
# ports: BACKEND_PORTS ("8482 8483 8484": in-memory, BerkeleyJE, CQL), CLUSTER_PORT (8490:
# Cassandra node + servers 8490, 8491; the settings servers
# on 8492..8497), SCALE1_PORT (8499). Every step prints
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

backends() {
  local names=(inmemory berkeleyje cql) i p r q
  for i in 0 1 2; do
    p=${backend_ports[$i]}
    step "start ${names[$i]} on $p"
    GRAPHPERF_JANUSGRAPH_PORT=$p "$jg" start --backend "${names[$i]}" --fresh
    run gp --hosts "127.0.0.1:$p" schema apply
  done
  for ((r = 1; r <= ROUNDS; r++)); do
    for i in 0 1 2; do
      p=${backend_ports[$i]}
      step "load-bench round $r ${names[$i]}"
      run gp --hosts "127.0.0.1:$p" --timeout 15m load-bench --scale 0.01 --rounds 1 --yes
    done
  done
  for i in 0 1 2; do
    p=${backend_ports[$i]}
    step "load --verify ${names[$i]}"
    run gp --hosts "127.0.0.1:$p" --timeout 5m load --scale 0.01 --drop --yes --verify --state "$OUT/state-$p"
  done
  # query-bench interleaved query by query, so machine drift hits the three backends alike.
  for q in account-lookup in-out-summary blocked-medium-3hop shortest-transfer-path transfer-cycle \
    fan-in-withdraw fast-in-fast-out loan-fund-trace guarantee-chain structuring shared-identifier-ring mule-chain; do
    for i in 0 1 2; do
      p=${backend_ports[$i]}
      step "query-bench $q ${names[$i]}"
      run gp --hosts "127.0.0.1:$p" query-bench --scale 0.01 --queries "$q" --rounds 20 --min-time 0 --warmup 3 -q
    done
  done
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
  for ((r = 1; r <= ROUNDS; r++)); do
    for h in "$one" "$two"; do
      step "query-bench round $r hosts $h"
      run gp --hosts "$h" query-bench --scale 0.01 --queries account-lookup,in-out-summary,shortest-transfer-path,mule-chain \
        --clients 4 --rounds 40 --min-time 0 --warmup 4 -q
    done
  done
}

# The settings table: one JanusGraph server per server-side setting, all on the
# Cassandra node of the cluster on $cluster_port, each on a keyspace of its own
# (ids.block-size is GLOBAL_OFFLINE: stored in the keyspace at its first start),
# heap 512m; then ROUNDS rounds of one scale-0.01 load through each server in
# turn, so drift of the machine's load hits every setting alike. The client-side
# --batch-size variants run on the default server in the same rounds.
settings_list=(
  "default|"
  "parallel-backend-ops=false|storage.parallel-backend-ops=false"
  "batch-statement-size=100|storage.cql.batch-statement-size=100"
  "ids.block-size=10000|ids.block-size=10000"
  "batch-loading=false|storage.batch-loading=false"
)

settings() {
  local base=$cluster_port i p name props ks r b
  if ! GRAPHPERF_JANUSGRAPH_PORT=$base "$jg" cluster status >/dev/null 2>&1; then
    step "cluster start 1 node 1 server on $base"
    GRAPHPERF_JANUSGRAPH_PORT=$base "$jg" cluster start --cassandra-nodes 1 --servers 1 --fresh
  fi
  for i in "${!settings_list[@]}"; do
    p=$((base + 2 + i)) name=${settings_list[$i]%%|*} props=${settings_list[$i]#*|} ks=t_$i
    mkdir -p "$root/.cache/janusgraph/run-$p"
    echo "$base" >"$root/.cache/janusgraph/run-$p/cassandra-base"
    step "start $p: $name (keyspace $ks)"
    # One at a time: six keyspaces created at once time out on a loaded node.
    GRAPHPERF_JANUSGRAPH_PORT=$p GRAPHPERF_JANUSGRAPH_HEAP=512m \
      GRAPHPERF_JG_PROPS="storage.cql.keyspace=$ks${props:+,$props}" "$jg" start --backend cql
  done
  step "servers started"
  for ((r = 1; r <= ROUNDS; r++)); do
    for i in "${!settings_list[@]}"; do
      p=$((base + 2 + i)) name=${settings_list[$i]%%|*}
      step "round $r setting $name on $p"
      run gp --hosts "127.0.0.1:$p" --timeout 5m load --scale 0.01 --drop --yes --state "$OUT/state-settings-$p"
      if ((i == 0)); then
        for b in 100 2000; do
          step "round $r setting --batch-size $b on $p"
          run gp --hosts "127.0.0.1:$p" --timeout 5m load --scale 0.01 --drop --yes --batch-size "$b" --state "$OUT/state-settings-$p-$b"
        done
      fi
    done
  done
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
