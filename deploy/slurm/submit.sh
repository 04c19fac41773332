#!/bin/bash
# Submits a sharded archsim sweep (or run) to Slurm from the login node. See docs/cluster.md.
#
#   deploy/slurm/submit.sh [-n SHARDS] sweep SCENARIO --set PATH=A..B:STEP [OPTIONS...]
#   deploy/slurm/submit.sh [-n SHARDS] run SCENARIO --replications R [OPTIONS...]
#
# Makes a fresh run directory $ARCHSIM_OUT/<date>-<random> (default ARCHSIM_OUT=$HOME/archsim-runs,
# outside the checkout; it must be on a file system every node sees), copies the scenario into
# it, and submits, all with `sbatch --parsable`:
#   1. the job array shard.sbatch, tasks 0..N-1: task K runs `archsim MODE ... --shard K/N`
#      (N explicit) and writes part-K.json;
#   2. merge.sbatch with --dependency=afterok:<array> (and --kill-on-invalid-dep=yes, so that
#      it is cancelled, not left pending, when a task fails): `archsim merge` of every part
#      into MODE.json;
#   3. report.sbatch with --dependency=afterany:<array>: writes report.txt, listing failed
#      shards and the command that reruns them (deploy/slurm/rerun.sh DIR K...).
# Prints the run directory. Environment: ARCHSIM (the binary, default `archsim` on PATH),
# ARCHSIM_OUT, ARCHSIM_MERGE_TIME (default 01:00:00), ARCHSIM_MERGE_MEM (default 4G); the
# shards' resources are the #SBATCH lines of shard.sbatch, overridable with SBATCH_* variables.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

shards=4
if [ "${1:-}" = -n ]; then
  shards=${2:?-n needs a shard count}
  shift 2
fi
mode=${1:-}
case "$mode" in
  run | sweep) shift ;;
  *) echo "usage: $0 [-n SHARDS] sweep|run SCENARIO [archsim options...]" >&2; exit 2 ;;
esac
scenario=${1:?usage: $0 [-n SHARDS] sweep|run SCENARIO [archsim options...]}
shift
case "$shards" in
  '' | *[!0-9]* | 0) echo "$0: -n $shards: expected a shard count of at least 1" >&2; exit 2 ;;
esac
[ -f "$scenario" ] || { echo "$0: $scenario: no such scenario file" >&2; exit 2; }
for a in "$@"; do
  case "$a" in
    --shard | --shard=* | --json | --json=*)
      echo "$0: do not give $a: each shard's --shard K/N and --json are set by shard.sbatch" >&2
      exit 2 ;;
  esac
done

base=${ARCHSIM_OUT:-$HOME/archsim-runs}
mkdir -p "$base"
dir=$(mktemp -d "$base/$(date -u +%Y%m%dT%H%M%SZ)-$mode-XXXXXX")
cp "$scenario" "$dir/scenario.toml"
echo "$mode" > "$dir/mode"
echo "$shards" > "$dir/shards"
printf '%q ' "$@" > "$dir/options"
echo "${ARCHSIM:-archsim}" > "$dir/archsim"
echo "$here" > "$dir/scripts"

"$here/rerun.sh" --first "$dir" $(seq 0 $((shards - 1)))
