#!/usr/bin/env bash
# scripts/aa-experiment.sh — does query-bench's regression rule hold on the real server?
#
# Needs a graph loaded with `graphperf load --scale 0.01 --seed 42` (or DATASET) and jq.
# For i in 1..N it makes two comparisons of this build with itself, interleaved in time:
#   A/A i:       two runs, no change                      → a suite failure is a false alarm
#                                                           (target: at most 1 of 20)
#   slowdown i:  the same, with SLOW_QUERY slowed down    → must be flagged as a regression
#                by SLOWDOWN in the second run               (target: at least 19 of 20)
# The slowdown is query-bench's documented test hook GRAPHPERF_QUERY_SLOWDOWN='QUERY=25%': a
# server-side wait added to that query's script in the second run, of 25% of the query's current
# cost (MODE=ab: of the latest first-run latency of the same parameter, so the injected slowdown
# follows the machine's load as a real regression would; MODE=sequential: of the stored first
# run's median).
#
# MODE=ab (default): each comparison is ONE process, `query-bench --ab Ai,Bi`, that alternates
#   the two runs call by call (A B, then B A, for every parameter), so that machine drift —
#   other processes on this 2-core machine, GC, JIT — hits both halves alike.
# MODE=sequential: each comparison is two processes one after the other, `--save Ai` then
#   `--compare Ai` (what CI does with a stored baseline); on a busy machine drift between the
#   runs is a real difference that the U test sees, and only --fail-on and --min-delta stop it.
#
# Environment (defaults):
#   HOSTS=127.0.0.1:8182  N=20  MODE=ab  ROUNDS=50  MIN_TIME=0s  WARMUP=5
#   QUERIES=account-lookup,in-out-summary,fast-in-fast-out,guarantee-chain
#   SLOW_QUERY=in-out-summary  SLOWDOWN=25  (percent)  FAIL_ON='median:10%'  MIN_DELTA=500us
#   (in-out-summary's median is ~3.4ms at scale 0.01: 25% of it is under query-bench's default
#   1ms floor, which by design does not fail such a small absolute slowdown; hence 500us here)
#   DATASET='--scale 0.01 --seed 42'   OUT=.graphperf/aa-experiment (runs, JSON, summary.txt)
#   BIN= (a graphperf binary to use instead of building ./cmd/graphperf)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
hosts=${HOSTS:-127.0.0.1:8182}
n=${N:-20}
mode=${MODE:-ab}
rounds=${ROUNDS:-50}
min_time=${MIN_TIME:-0s}
warmup=${WARMUP:-5}
queries=${QUERIES:-account-lookup,in-out-summary,fast-in-fast-out,guarantee-chain}
slow_query=${SLOW_QUERY:-in-out-summary}
slowdown=${SLOWDOWN:-25}
fail_on=${FAIL_ON:-median:10%}
min_delta=${MIN_DELTA:-500us}
read -r -a dataset <<<"${DATASET:---scale 0.01 --seed 42}"
out=${OUT:-$root/.graphperf/aa-experiment}
[[ $mode == ab || $mode == sequential ]] || { echo "aa-experiment: MODE must be ab or sequential" >&2; exit 2; }

command -v jq >/dev/null || { echo "aa-experiment: jq is required" >&2; exit 1; }
rm -rf "$out/runs"; mkdir -p "$out/runs"
bin=${BIN:-}
if [[ -z $bin ]]; then
  bin=$out/graphperf
  (cd "$root" && go build -o "$bin" ./cmd/graphperf)
fi

qb() { # qb [flags...]: one query-bench process, JSON on stdout
  "$bin" --hosts "$hosts" query-bench "${dataset[@]}" --queries "$queries" --rounds "$rounds" \
    --min-time "$min_time" --warmup "$warmup" --baseline-dir "$out/runs" --json -q "$@"
}

# compare_pair NAME HOOK: one comparison (A/A when HOOK is empty), its JSON in $out/NAME.json;
# echoes the exit code (0 ok, 1 regression).
compare_pair() {
  local name=$1 hook=$2 rc=0
  if [[ $mode == ab ]]; then
    GRAPHPERF_QUERY_SLOWDOWN=$hook qb --ab "$name-A,$name-B" --fail-on "$fail_on" --min-delta "$min_delta" \
      >"$out/$name.json" 2>>"$out/stderr.log" || rc=$?
  else
    qb --save "$name-A" >/dev/null 2>>"$out/stderr.log" || { echo 99; return; }
    GRAPHPERF_QUERY_SLOWDOWN=$hook qb --compare "$name-A" --fail-on "$fail_on" --min-delta "$min_delta" \
      >"$out/$name.json" 2>>"$out/stderr.log" || rc=$?
  fi
  echo "$rc"
}

# verdicts FILE: "q1=verdict(+delta%) …", "!" marking a regression.
verdicts() {
  jq -r '[.comparison.results[] | "\(.name)=\(.verdict)\(if .regressed then "!" else "" end)(\(.delta*100|round)%)"] | join(" ")' "$1"
}

start=$(date +%s)
: >"$out/stderr.log"
hook="$slow_query=$slowdown%"
echo "aa-experiment: MODE=$mode, $n comparisons each; queries $queries; $rounds rounds; --fail-on '$fail_on' --min-delta $min_delta; slowdown GRAPHPERF_QUERY_SLOWDOWN=$hook" | tee "$out/summary.txt"
aa_fail=0 slow_flag=0 slow_sig=0 deltas=()
for i in $(seq 1 "$n"); do
  rc=$(compare_pair "aa-$i" "")
  [[ $rc -le 1 ]] || { echo "aa-experiment: run aa-$i failed (exit $rc; see $out/stderr.log)" >&2; exit 1; }
  [[ $rc -eq 1 ]] && aa_fail=$((aa_fail+1))
  echo "A/A $i: exit $rc  $(verdicts "$out/aa-$i.json")" | tee -a "$out/summary.txt"

  rc=$(compare_pair "slow-$i" "$hook")
  [[ $rc -le 1 ]] || { echo "aa-experiment: run slow-$i failed (exit $rc; see $out/stderr.log)" >&2; exit 1; }
  flagged=$(jq -r --arg q "$slow_query" '[.comparison.results[] | select(.name==$q and .regressed)] | length' "$out/slow-$i.json")
  sig=$(jq -r --arg q "$slow_query" '[.comparison.results[] | select(.name==$q and .verdict=="slower")] | length' "$out/slow-$i.json")
  slow_flag=$((slow_flag+flagged)) slow_sig=$((slow_sig+sig))
  deltas+=("$(jq -r --arg q "$slow_query" '.comparison.results[] | select(.name==$q) | .delta' "$out/slow-$i.json")")
  echo "slow $i: exit $rc  $(verdicts "$out/slow-$i.json")" | tee -a "$out/summary.txt"
done
secs=$(( $(date +%s) - start ))
{
  echo "RESULT A/A: the suite failed in $aa_fail of $n comparisons (target ≤ 1)"
  echo "RESULT slowdown $hook: flagged as a regression in $slow_flag of $n comparisons (target ≥ 19); significantly slower in $slow_sig;" \
    "measured change of its median: $(printf '%s\n' "${deltas[@]}" | jq -s 'sort | "min \(.[0]*100|round)%, median \(.[length/2|floor]*100|round)%, max \(.[-1]*100|round)%"' -r)"
  echo "elapsed ${secs}s; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$out/summary.txt"
