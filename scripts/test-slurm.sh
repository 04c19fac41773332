#!/usr/bin/env bash
# The Slurm part of the test command (called by scripts/test.sh; ARCHSIM_SKIP_SLURM=1 skips
# it). Stands up a single-node Slurm cluster from Debian's packages on this machine — munged,
# slurmctld and slurmd started by this script as root with a generated configuration in a
# temporary directory, no systemd, all stopped by PID on exit — then submits a sharded sweep
# with the project's own files (deploy/slurm/submit.sh) and checks:
#   1. the merged sweep is byte-identical to the unsharded `archsim sweep`;
#   2. a shard that fails is reported by the report step (afterany) with the command that
#      reruns it, the merge (afterok) is cancelled instead of pending forever, and rerunning
#      that shard alone (deploy/slurm/rerun.sh) gives the same byte-identical sweep.
# Needs root (to install the packages and run the daemons) and Debian's apt.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if [ "$(id -u)" != 0 ]; then
  echo "test-slurm: needs root (installs slurm-wlm and munge, runs the daemons); ARCHSIM_SKIP_SLURM=1 skips it" >&2
  exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "== installing slurm-wlm and munge"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi

cargo build --release --quiet --bin archsim
archsim=$repo/target/release/archsim

t=$(mktemp -d /tmp/archsim-slurm.XXXXXX)
chmod 755 "$t"
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ $rc != 0 ]; then
    echo "test-slurm failed; logs:" >&2
    tail -n 20 "$t"/*.log "$t"/out/*/*.out "$t"/out/*/report.txt 2>/dev/null >&2 || true
  fi
  rm -rf "$t"
  exit $rc
}
trap cleanup EXIT

host=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ { print int($2 / 1024) - 512 }' /proc/meminfo)
mkdir -p "$t/state" "$t/spool" "$t/out"
dd if=/dev/urandom of="$t/munge.key" bs=1024 count=1 status=none
chmod 400 "$t/munge.key"
cat > "$t/slurm.conf" <<CONF
ClusterName=archsim-test
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$t/munge.sock
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/slurmctld.log
SlurmdLogFile=$t/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
MinJobAge=300
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$t/slurm.conf

echo "== single-node Slurm ($host, $cpus CPUs) in $t"
munged --foreground --force --socket="$t/munge.sock" --key-file="$t/munge.key" \
  --pid-file="$t/munged.pid" --log-file="$t/munged.log" --seed-file="$t/munge.seed" \
  >"$t/munged.stdout.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$t/munge.sock" ] && break; sleep 0.1; done
slurmctld -D -i -f "$t/slurm.conf" >"$t/slurmctld.stdout.log" 2>&1 &
pids+=($!)
slurmd -D -f "$t/slurm.conf" >"$t/slurmd.stdout.log" 2>&1 &
pids+=($!)
for i in $(seq 60); do
  state=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  [ "$state" = idle ] && break
  [ "$i" = 60 ] && { echo "the node did not become idle (state: $state)" >&2; exit 1; }
  sleep 1
done

# Waits until no job of the listed ids is queued or running.
wait_jobs() {
  for _ in $(seq 900); do
    if [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; then return 0; fi
    sleep 1
  done
  echo "jobs $1 still queued after 15 minutes" >&2
  squeue >&2
  return 1
}
# The job ids (array, merge, report) of the last submission into a run directory.
jobs_of() { tail -n 1 "$1/jobs" | tr ' ' ','; }

scenario=scenarios/online-shop.toml
options=(--set "workload.entries.browse.arrival.rate=200,400,600,800,1000" --replications 2 --no-timings)
echo "== unsharded sweep"
"$archsim" sweep "$scenario" "${options[@]}" --quiet --json "$t/unsharded.json"

echo "== sharded sweep: 3 shards, merge, report"
export ARCHSIM="$archsim" ARCHSIM_OUT="$t/out" ARCHSIM_MERGE_TIME=00:10:00 ARCHSIM_MERGE_MEM=1G
export SBATCH_MEM_PER_NODE=1G
deploy/slurm/submit.sh -n 3 sweep "$scenario" "${options[@]}" | tee "$t/submit.txt"
run=$(sed -n 's/^run directory: //p' "$t/submit.txt")
wait_jobs "$(jobs_of "$run")"
grep -q '^ok: all 3 shards' "$run/report.txt"
cmp "$t/unsharded.json" "$run/sweep.json"
echo "merged sweep is byte-identical to the unsharded one"

echo "== a failing shard: reported, merge cancelled, rerun alone"
# A wrapper that fails shard 1 the first time it runs.
cat > "$t/flaky-archsim" <<WRAP
#!/bin/bash
if [ "\${SLURM_ARRAY_TASK_ID:-}" = 1 ] && [ ! -e "$t/failed-once" ]; then
  touch "$t/failed-once"
  echo "shard 1 fails on purpose" >&2
  exit 1
fi
exec "$archsim" "\$@"
WRAP
chmod +x "$t/flaky-archsim"
ARCHSIM="$t/flaky-archsim" deploy/slurm/submit.sh -n 3 sweep "$scenario" "${options[@]}" | tee "$t/submit2.txt"
run=$(sed -n 's/^run directory: //p' "$t/submit2.txt")
wait_jobs "$(jobs_of "$run")"
grep -q '^failed: shard(s) 1 of 3' "$run/report.txt"
grep -q "rerun.sh $run 1\$" "$run/report.txt"
[ ! -e "$run/sweep.json" ] || { echo "a merge ran although shard 1 failed" >&2; exit 1; }
rerun=$(sed -n 's/^  //p' "$run/report.txt")
$rerun | tee "$t/rerun.txt"
wait_jobs "$(jobs_of "$run")"
grep -q '^ok: all 3 shards' "$run/report.txt"
cmp "$t/unsharded.json" "$run/sweep.json"
echo "after rerunning shard 1 alone the merged sweep is byte-identical to the unsharded one"
