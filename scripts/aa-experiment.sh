#!/usr/bin/env bash
# scripts/aa-experiment.sh — does query-bench's regression rule hold on the real server?
#
# Needs a graph loaded with `graphperf load --scale 0.01 --seed 42` (or DATASET) and jq.
# For i in 1..N it makes two comparisons of this build with itself, interleaved in time:
#   A/A i:       two runs, no change                      → a suite failure is a false alarm
#                                                           (target: at most 1 of 20)
#   slowdown i:  the same, with SLOW_QUERY slowed down    → must be flagged as a regression
#                by SLOWDOWN in the second run               (target: at least 19 of 20)
# The comparisons run scripts/aa-experiment (a small Go program over the bench/querybench library,
# compared by query-bench's rules). The slowdown is the querybench.NewSlowdown driver decorator,
# `-slowdown QUERY=25%`: a server-side wait added to that query's script in the second run, of 25%
# of the query's current cost (MODE=ab: of the median of the same call's recent first-run
# latencies, so the injected slowdown follows the machine's load as a real regression would;
# MODE=sequential: of the stored first run's median). query-bench itself has no such hook.
#
# MODE=ab (default): each comparison is ONE process (`-ab Ai,Bi`, as `query-bench --ab`) that
#   alternates the two runs call by call (A B, then B A, for every parameter), so that machine
#   drift — other processes on this 2-core machine, GC, JIT — hits both halves alike.
# MODE=sequential: each comparison is two processes one after the other, `graphperf query-bench
#   --save Ai` then `-compare Ai` (what CI does with a stored baseline); on a busy machine drift
#   between the runs is a real difference that the U test sees, and only --fail-on and
#   --min-delta stop it.
#
# Environment (defaults):
#   HOSTS=127.0.0.1:8182  N=20  MODE=ab  ROUNDS=50  MIN_TIME=0s  WARMUP=5
#   QUERIES=account-lookup,in-out-summary,fast-in-fast-out,guarantee-chain
#   SLOW_QUERY=in-out-summary  SLOWDOWN=25  (percent)  FAIL_ON='median:10%'  MIN_DELTA=500us
#   (in-out-summary's median is ~3.4ms at scale 0.01: 25% of it is under query-bench's default
#   1ms floor, which by design does not fail such a small absolute slowdown; hence 500us here)
#   DATASET='--scale 0.01 --seed 42'   OUT=.graphperf/aa-experiment (runs, JSON, summary.txt)
#   BIN= (a graphperf binary to use instead of building ./cmd/graphperf; MODE=sequential only)
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
aa_dataset=()
for ((k = 0; k < ${#dataset[@]}; k += 2)); do # --scale X --seed Y → -scale X -seed Y
  [[ ${dataset[k]} == --scale || ${dataset[k]} == --seed ]] ||
    { echo "aa-experiment: DATASET may give only --scale and --seed, got ${dataset[k]}" >&2; exit 2; }
  aa_dataset+=("${dataset[k]#-}" "${dataset[k+1]}")
done
out=${OUT:-$root/.graphperf/aa-experiment}
[[ $mode == ab || $mode == sequential ]] || { echo "aa-experiment: MODE must be ab or sequential" >&2; exit 2; }

command -v jq >/dev/null || { echo "aa-experiment: jq is required" >&2; exit 1; }
rm -rf "$out/runs"; mkdir -p "$out/runs"
bin=${BIN:-}
if [[ -z $bin ]]; then
  bin=$out/graphperf
  (cd "$root" && go build -o "$bin" ./cmd/graphperf)
fi
aa=$out/aa-experiment
(cd "$root" && go build -o "$aa" ./scripts/aa-experiment)

qb() { # qb [flags...]: one query-bench process, JSON on stdout
  "$bin" --hosts "$hosts" query-bench "${dataset[@]}" --queries "$queries" --rounds "$rounds" \
    --min-time "$min_time" --warmup "$warmup" --baseline-dir "$out/runs" --json -q "$@"
}

aa() { # aa [flags...]: one comparison with the library, JSON on stdout
  "$aa" -hosts "$hosts" "${aa_dataset[@]}" -queries "$queries" -rounds "$rounds" \
    -min-time "$min_time" -warmup "$warmup" -dir "$out/runs" -fail-on "$fail_on" -min-delta "$min_delta" "$@"
}

# compare_pair NAME HOOK: one comparison (A/A when HOOK is empty), its JSON in $out/NAME.json;
# echoes the exit code (0 ok, 1 regression).
compare_pair() {
  local name=$1 hook=$2 rc=0
  if [[ $mode == ab ]]; then
    aa -ab "$name-A,$name-B" -slowdown "$hook" >"$out/$name.json" 2>>"$out/stderr.log" || rc=$?
  else
    qb --save "$name-A" >/dev/null 2>>"$out/stderr.log" || { echo 99; return; }
    aa -compare "$name-A" -slowdown "$hook" >"$out/$name.json" 2>>"$out/stderr.log" || rc=$?
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
echo "aa-experiment: MODE=$mode, $n comparisons each; queries $queries; $rounds rounds; --fail-on '$fail_on' --min-delta $min_delta; slowdown -slowdown $hook" | tee "$out/summary.txt"
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
