#!/usr/bin/env bash
# The validation experiment (docs/validation.md): capture traces and CPU at low load, discover
# the model, calibrate it against the same traces, predict with `archsim sweep`, measure the
# real testbed at the same rates (both deployments), kill one service for a while, compare.
#
# Usage: testbed/validate.sh [--quick] [--out DIR]
#   --quick  the reduced version run by scripts/test.sh: short loads, loose tolerances, plus a
#            negative control (the model with every CPU demand doubled must be rejected)
#   --out    where results go (default: a new directory under /tmp); the table is DIR/comparison.md
# Exit status: 0 every target met, 1 a target missed (the table says which), 2 setup failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

QUICK=0
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --out) OUT="$2"; shift ;;
    *) tb_die "unknown argument $1 (usage: validate.sh [--quick] [--out DIR])" ;;
  esac
  shift
done

if [ "$QUICK" = 1 ]; then
  CAP_RATE=8 CAP_S=15 RUN_S=14 DROP=3 FAULT_S=20 REPL=5
  FRACS="0.25 0.5 1.3"
  TOL='{"saturation": 0.35, "p50": 0.45, "p99": 1.0, "difference": 1.5, "availability": 0.1}'
else
  CAP_RATE=10 CAP_S=40 RUN_S=45 DROP=5 FAULT_S=40 REPL=10
  FRACS="0.2 0.4 0.6 0.75 0.9 1.1 1.3"
  TOL='{"saturation": 0.15, "p50": 0.20, "p99": 0.30, "difference": 0.30, "availability": 0.02}'
fi

trap tb_cleanup EXIT
tb_prepare
OUT="${OUT:-$TB_RUN/out}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
ARCHSIM="$TB_ROOT/target/release/archsim"
TOOLS="python3 $TB_HOME/tools.py"
CORES="$(nproc)"
SERVICES="front inventory pricing orders"
tb_log "results in $OUT; $CORES cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
tb_pg_start

# ---- 1. capture traces and CPU at low load (microservices)
tb_app_start micro "$TB_RUN/capture"
sleep 0.5
for f in "$TB_RUN"/capture/*.jsonl; do : >"$f"; done # forget the warm-up requests
declare -A C0=()
for s in $SERVICES; do C0[$s]="$(tb_cpu_seconds "$s")"; done
PG0="$(tb_pg_cpu_seconds)"
tb_load_accounted "$CAP_RATE" "$CAP_S" "$OUT/capture"
: >"$OUT/cpu.txt"
for s in $SERVICES; do echo "$s ${C0[$s]} $(tb_cpu_seconds "$s")" >>"$OUT/cpu.txt"; done
# CPU outside the model, on the same cores: PostgreSQL (its model has cores of its own) and Tsung
echo "postgresql $PG0 $(tb_pg_cpu_seconds)" >"$OUT/cpu-outside.txt"
echo "tsung 0 $(awk '{ print $1 + $2 }' "$OUT/capture/tsung.cpu")" >>"$OUT/cpu-outside.txt"
tb_app_stop
mkdir -p "$OUT/traces" && cp "$TB_RUN"/capture/*.jsonl "$OUT/traces/"
$TOOLS util "$OUT/traces" "$OUT/cpu.txt" "$OUT/utilization.csv"
$TOOLS util "$OUT/traces" "$OUT/cpu-outside.txt" "$OUT/cpu-outside.csv"

# ---- 2. discover, calibrate against the same traces, and predict with the calibrated model
"$ARCHSIM" discover "$OUT"/traces/*.jsonl --utilization "$OUT/utilization.csv" \
  -o "$OUT/discovered.toml" --report-json "$OUT/discovery.json" >"$OUT/discovery.txt"
"$ARCHSIM" calibrate "$OUT/discovered.toml" --traces "$OUT"/traces/*.jsonl \
  -o "$OUT/calibrated.toml" --json "$OUT/calibration.json" >"$OUT/calibration.txt"
tb_log "calibration: $(grep '^objective J' "$OUT/calibration.txt")"
MEASURED_S=$((RUN_S - DROP))
$TOOLS patch "$OUT/calibrated.toml" "$OUT/model.toml" --cores "$CORES" \
  --duration "$MEASURED_S" --warmup "$DROP" --replications "$REPL"
# the rates: fractions of the capacity the utilization law gives (cores / CPU per request, the
# services' CPU over the capture divided by the requests it served)
N_CAP="$(grep -v '^#' "$OUT/capture/tsung.dump" | awk -F';' '$7 ~ /^2/' | wc -l)"
CAP="$(awk -v n="$N_CAP" -v c="$CORES" '{ d += $3 - $2 } END { printf "%.3f", c * n / d }' "$OUT/cpu.txt")"
RATES="$(for f in $FRACS; do awk -v f="$f" -v c="$CAP" 'BEGIN { printf "%.1f,", f * c }'; done)"
RATES="${RATES%,}"
tb_log "capacity by the utilization law: $CAP/s; rates $RATES"
ENTRY="$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["workload"]["entries"][0]["name"])' "$OUT/model.toml")"
# the predicted saturation throughput: the largest throughput of the model's curve from 0.5 to 1.5
# times the capacity above, in steps of 0.05 (simulation only)
SAT_RATES="$(awk -v c="$CAP" 'BEGIN { for (f = 0.5; f <= 1.5001; f += 0.05) printf "%s%.1f", (f > 0.5 ? "," : ""), f * c }')"
"$ARCHSIM" sweep "$OUT/model.toml" --set "workload.entries.$ENTRY.arrival.rate=$SAT_RATES" \
  --csv "$OUT/sweep" --json "$OUT/sweep.json" --quiet

# ---- 3. measure both deployments at the same rates
: >"$OUT/runs.txt"
for d in micro mono; do
  tb_app_start "$d" "$TB_RUN/traces-$d"
  for r in ${RATES//,/ }; do
    tb_log "$d at $r/s for ${RUN_S}s"
    tb_load_accounted "$r" "$RUN_S" "$OUT/run-$d-$r"
    load="$(awk '{ print $4 }' "$OUT/run-$d-$r/machine.txt")"
    $TOOLS measure "$OUT/run-$d-$r/tsung.dump" --drop "$DROP" --duration "$RUN_S" >"$OUT/run-$d-$r/measured.json"
    offered="$(python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["offered_per_s"], 1))' "$OUT/run-$d-$r/measured.json")"
    tb_log "  offered $offered/s; background: $load cores busy with other work"
    echo "$d $r $offered $load" >>"$OUT/runs.txt"
    for f in "$TB_RUN/traces-$d"/*.jsonl; do : >"$f"; done # only the capture's traces are kept
    sleep 3 # the backlog of an overloaded run drains
  done
  tb_app_stop
done

# ---- predictions at the rates Tsung actually offered (it may fall short of the target)
declare -A VARIANT=([micro]=as-observed [mono]=monolith)
for d in micro mono; do
  rates="$(awk -v d="$d" '$1 == d && !seen[$3]++ { printf "%s%s", sep, $3; sep = "," }' "$OUT/runs.txt")"
  "$ARCHSIM" sweep "$OUT/model.toml" --variant "${VARIANT[$d]}" \
    --set "workload.entries.$ENTRY.arrival.rate=$rates" --csv "$OUT/sweep-$d" --json "$OUT/sweep-$d.json" --quiet
done

# ---- 4. kill pricing for a while (microservices) and predict the same fault
FAULT_RATE="$(awk -v c="$CAP" 'BEGIN { printf "%.1f", 0.3 * c }')"
tb_app_start micro "$TB_RUN/traces-fault"
(
  sleep $((3 + FAULT_S / 4)) # Tsung takes about 3 s to start
  date +%s.%N >"$TB_RUN/killed_at"
  kill -KILL "${TB_PID[pricing]}"
  sleep $((FAULT_S / 4))
  "${TB_PRIO[@]}" "$TB_BIN" pricing "${TB_PORTS[pricing]}" 2>>"$TB_RUN/pricing.log" &
  echo $! >"$TB_RUN/pricing.pid"
  tb_wait_port "${TB_PORTS[pricing]}"
  date +%s.%N >"$TB_RUN/restarted_at"
) &
FAULTER=$!
TB_PID[faulter]=$FAULTER
tb_load_accounted "$FAULT_RATE" "$FAULT_S" "$OUT/fault"
wait "$FAULTER" || true
unset "TB_PID[faulter]"
TB_PID[pricing]="$(cat "$TB_RUN/pricing.pid")"
tb_app_stop
$TOOLS measure "$OUT/fault/tsung.dump" --duration "$FAULT_S" >"$OUT/fault/measured.json"
T0="$(grep -v '^#' "$OUT/fault/tsung.dump" | awk -F';' 'NR == 1 || $1 - $9 / 1000 < t { t = $1 - $9 / 1000 } END { printf "%.6f", t }')"
AT="$(awk -v k="$(cat "$TB_RUN/killed_at")" -v t="$T0" 'BEGIN { printf "%.3f", k - t }')"
DOWN="$(awk -v k="$(cat "$TB_RUN/killed_at")" -v r="$(cat "$TB_RUN/restarted_at")" 'BEGIN { printf "%.3f", r - k }')"
$TOOLS patch "$OUT/calibrated.toml" "$OUT/fault.toml" --cores "$CORES" --duration "$FAULT_S" --warmup 0 \
  --replications "$REPL" --fault "pricing,$AT,$DOWN"
sed -i "s/^arrival = { process = \"poisson\", rate = .*/arrival = { process = \"poisson\", rate = $FAULT_RATE }/" "$OUT/fault.toml"
"$ARCHSIM" run "$OUT/fault.toml" --variant as-observed --json "$OUT/fault/predicted.json" --quiet \
  >/dev/null 2>"$OUT/fault/archsim.log" # (its warning: warm-up 0, as the real run starts empty)

# ---- 5. negative control: the same model with every CPU demand doubled
CONTROL=""
if [ "$QUICK" = 1 ]; then
  $TOOLS patch "$OUT/discovered.toml" "$OUT/control.toml" --cores "$CORES" --scale-cpu 2 \
    --duration "$MEASURED_S" --warmup "$DROP" --replications "$REPL"
  rates="$(awk '$1 == "micro" && !seen[$3]++ { printf "%s%s", sep, $3; sep = "," }' "$OUT/runs.txt")"
  "$ARCHSIM" sweep "$OUT/control.toml" --variant as-observed --set "workload.entries.$ENTRY.arrival.rate=$rates" \
    --csv "$OUT/control-sweep" --quiet
  "$ARCHSIM" sweep "$OUT/control.toml" --variant as-observed --set "workload.entries.$ENTRY.arrival.rate=$SAT_RATES" \
    --csv "$OUT/control-nominal" --quiet
  CONTROL="--control $OUT/control-sweep/curves.csv --control-nominal $OUT/control-nominal/curves.csv"
fi

# ---- 6. the comparison
python3 "$TB_HOME/collect.py" --out "$OUT" --tolerances "$TOL" --fault-rate "$FAULT_RATE" \
  --fault-down "$DOWN" --fault-duration "$FAULT_S" $CONTROL >"$OUT/results.json"
$TOOLS chart "$OUT/results.json" "$OUT/latency.svg"
$TOOLS compare "$OUT/results.json" "$OUT/comparison.md" --check
