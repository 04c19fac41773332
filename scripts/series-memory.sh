#!/usr/bin/env bash
# Peak memory and results-document size of a many-node scenario (300 units) simulated for
# 60 s, 600 s, 6,000 s and 60,000 s: the figures of docs/benchmarks.md ("Memory of the time
# series"), with a 100 ms window so that every length is at the series budget. Usage: scripts/series-memory.sh [archsim binary] (default target/release/archsim).
set -euo pipefail
bin=${1:-target/release/archsim}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
units=300
for dur in 60s 600s 6000s 60000s; do
  f="$dir/many-$dur.toml"
  {
    echo "name = \"many-nodes\""
    echo "seed = 1"
    echo "replications = 5"
    echo "[workload]"
    echo "duration = \"$dur\""
    echo "window = \"100ms\""
    echo "[[workload.entries]]"
    echo "name = \"req\""
    echo "op = \"front.work\""
    echo "arrival = { process = \"poisson\", rate = 10 }"
    echo "[modules.front]"
    printf 'ops.work = { cpu = { dist = "exp", mean = "1ms" }, calls = ['
    for i in $(seq 1 $units); do printf '{ op = "m%d.work", p = 0.01 }, ' "$i"; done
    echo '] }'
    for i in $(seq 1 $units); do
      echo "[modules.m$i]"
      echo 'ops.work = { cpu = { dist = "exp", mean = "2ms" } }'
    done
    echo "[[variants]]"
    echo "name = \"many\""
    echo "[[variants.units]]"
    echo "name = \"front\""
    echo "modules = [\"front\"]"
    for i in $(seq 1 $units); do
      echo "[[variants.units]]"
      echo "name = \"u$i\""
      echo "modules = [\"m$i\"]"
    done
  } > "$f"
  /usr/bin/time -v "$bin" run "$f" --quiet --no-timings --json "$dir/out.json" \
    2> "$dir/time.txt" > /dev/null || true
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.txt")
  bytes=$(stat -c %s "$dir/out.json")
  window=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); v=d['variants'][0]['series']; print(v['window_s'], len(v['t_s']))" "$dir/out.json")
  echo "| $dur | $((rss / 1024)) MB | $((bytes / 1024)) KB | $window | $secs |"
done
