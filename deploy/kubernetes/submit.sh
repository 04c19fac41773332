#!/bin/bash
# Runs a sharded archsim sweep (or run) on Kubernetes and fetches the merged result. See
# docs/cluster.md.
#
#   deploy/kubernetes/submit.sh [-n SHARDS] sweep SCENARIO --set PATH=A..B:STEP [OPTIONS...]
#   deploy/kubernetes/submit.sh [-n SHARDS] run SCENARIO --replications R [OPTIONS...]
#
# Needs kubectl on a cluster where deploy/kubernetes/volume.yaml was applied and the image
# ARCHSIM_IMAGE (default archsim:latest, built with deploy/Dockerfile) can be pulled. Creates
# a ConfigMap named after the submission (archsim-<date>-<random>) with the scenario and the
# options, applies shards-job.yaml (an Indexed Job, results on the volume under /results/RUN),
# waits for it, applies merge-job.yaml, waits, then copies /results/RUN/MODE.json to the
# current directory through a short-lived pod (fetch-pod.yaml) that mounts the volume.
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
image=${ARCHSIM_IMAGE:-archsim:latest}
run=archsim-$(date -u +%Y%m%d-%H%M%S)-$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
render() {
  sed -e "s|RUN|$run|g" -e "s|SHARDS|$shards|g" -e "s|IMAGE|$image|g" "$here/$1"
}

kubectl create configmap "$run" --from-file=scenario.toml="$scenario" \
  --from-literal=mode="$mode" --from-literal=options="$(printf '%q ' "$@")"
render shards-job.yaml | kubectl apply -f -
echo "submission $run: $shards shards"
kubectl wait --for=condition=complete --timeout="${ARCHSIM_TIMEOUT:-24h}" "job/$run"
render merge-job.yaml | kubectl apply -f -
kubectl wait --for=condition=complete --timeout=1h "job/$run-merge"
render fetch-pod.yaml | kubectl apply -f -
kubectl wait --for=condition=ready --timeout=10m "pod/$run-fetch"
kubectl cp "$run-fetch:/results/$run/$mode.json" "$run-$mode.json"
kubectl delete pod "$run-fetch" --wait=false
echo "result: $run-$mode.json (and /results/$run/$mode.json on the volume)"
