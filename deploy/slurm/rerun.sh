#!/bin/bash
# Reruns shards of a submission made with submit.sh, from the login node, then the merge and
# the report (as submit.sh does for all shards). See docs/cluster.md.
#
#   deploy/slurm/rerun.sh RUN_DIR K [K...]
#
# Each shard K runs again as `--shard K/N` with the N of the submission (recorded in
# RUN_DIR/shards, not taken from the array size), replacing RUN_DIR/part-K.json. The merge
# of every part is submitted after them (afterok), the report after them (afterany). A
# MODE.json from before is removed first, so that an old result cannot look fresh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
first=0
if [ "${1:-}" = --first ]; then
  first=1
  shift
fi
dir=${1:?usage: $0 RUN_DIR K [K...]}
shift
[ -f "$dir/shards" ] || { echo "$0: $dir is not a run directory made by submit.sh" >&2; exit 2; }
dir=$(cd "$dir" && pwd)
shards=$(cat "$dir/shards")
mode=$(cat "$dir/mode")
[ $# -gt 0 ] || { echo "usage: $0 RUN_DIR K [K...]" >&2; exit 2; }
for k in "$@"; do
  case "$k" in
    '' | *[!0-9]*) echo "$0: $k is not a shard index" >&2; exit 2 ;;
  esac
  if [ "$k" -ge "$shards" ]; then
    echo "$0: shard $k does not exist: shards are numbered 0 to $((shards - 1))" >&2
    exit 2
  fi
done
array=$(IFS=,; echo "$*")
if [ "$first" = 0 ]; then
  rm -f "$dir/$mode.json" "$dir/report.txt"
  for k in "$@"; do rm -f "$dir/part-$k.json" "$dir/status-$k"; done
fi

env=ALL,ARCHSIM_RUN_DIR=$dir
job=$(sbatch --parsable --job-name=archsim-shard --array="$array" \
  --output="$dir/shard-%a.out" --export="$env" "$here/shard.sbatch")
job=${job%%;*}
merge=$(sbatch --parsable --job-name=archsim-merge \
  --dependency="afterok:$job" --kill-on-invalid-dep=yes \
  --time="${ARCHSIM_MERGE_TIME:-01:00:00}" --mem="${ARCHSIM_MERGE_MEM:-4G}" \
  --cpus-per-task=1 --output="$dir/merge.out" --export="$env" "$here/merge.sbatch")
merge=${merge%%;*}
report=$(sbatch --parsable --job-name=archsim-report \
  --dependency="afterany:$job" --time=00:05:00 --mem=100M --cpus-per-task=1 \
  --output="$dir/report.out" --export="$env" "$here/report.sbatch")
report=${report%%;*}
echo "$job $merge $report" >> "$dir/jobs"
echo "run directory: $dir"
echo "shards: job $job (array $array of $shards), merge: job $merge, report: job $report"
echo "result: $dir/$mode.json once job $merge completes; report: $dir/report.txt"
