#!/usr/bin/env bash
# Parallel efficiency of a sweep: the same sweep with --threads 1 and --threads 2, each run
# ROUNDS times alternately (default 2), reporting per run the wall time, the CPU time
# (user + sys) and the CPU utilization (CPU / wall: 2.0 = both cores busy), then
#   wall efficiency = T1 / (2 · T2)     (best wall time of each thread count)
#   CPU overhead    = CPU2 / CPU1       (work added by running in parallel; 1.0 = none)
# and the machine load (`uptime`) before and after. The machine may be shared: the CPU-time
# figures are far less sensitive to other load than the wall times.
#
# Usage: scripts/sweep-efficiency.sh [SCENARIO] [SWEEP ARGS...]
#   default: the Black Friday lesson, browse rate 800..4000 step 800, 4 replications
# Environment: ARCHSIM (binary, default target/release/archsim), ROUNDS (default 2).
set -euo pipefail
bin=${ARCHSIM:-target/release/archsim}
rounds=${ROUNDS:-2}
file=${1:-scenarios/lessons/black-friday.toml}
shift || true
if [ $# -eq 0 ]; then
  set -- --set workload.entries.browse.arrival.rate=800..4000:800 --replications 4
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "load before: $(uptime)"
TIMEFORMAT='%R %U %S'
for r in $(seq 1 "$rounds"); do
  for t in 1 2; do
    { time "$bin" sweep "$file" "$@" --threads "$t" --no-timings --quiet \
        --json "$out/t$t.json" >/dev/null; } 2>"$out/time"
    read -r wall user sys <"$out/time"
    echo "$t $wall $user $sys" >>"$out/runs"
    awk -v t="$t" -v r="$r" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
      printf "run %d threads=%d wall=%.2fs user=%.2fs sys=%.2fs cpu=%.2fs cpu/wall=%.2f\n",
             r, t, w, u, s, u + s, (u + s) / w }'
  done
done
echo "load after:  $(uptime)"
if cmp -s "$out/t1.json" "$out/t2.json"; then
  echo "results: byte-identical with 1 and 2 threads"
else
  echo "results: DIFFER between 1 and 2 threads" >&2
  exit 1
fi
awk '
  { w = $2; c = $3 + $4
    if (!($1 in bw) || w < bw[$1]) bw[$1] = w
    if (!($1 in bc) || c < bc[$1]) bc[$1] = c }
  END {
    printf "best wall: T1=%.2fs T2=%.2fs  wall efficiency T1/(2*T2) = %.2f\n", bw[1], bw[2], bw[1] / (2 * bw[2])
    printf "best CPU:  C1=%.2fs C2=%.2fs  CPU overhead C2/C1 = %.2f\n", bc[1], bc[2], bc[2] / bc[1]
  }' "$out/runs"
