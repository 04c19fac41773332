#!/usr/bin/env bash
# Starts the testbed, loads it, stops it: PostgreSQL (Debian's packages, a temporary directory),
# the application (micro: four services over HTTP; mono: one process), Tsung at a fixed Poisson
# rate; prints what was measured and where the traces are. Nothing is left running (EXIT trap,
# every process stopped by its PID).
#
# Usage: testbed/run.sh [micro|mono] [RATE_PER_S] [SECONDS]    (defaults: micro 20 30)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DEPLOY="${1:-micro}" RATE="${2:-20}" SECS="${3:-30}"
case "$DEPLOY" in micro | mono) ;; *) tb_die "deployment must be micro or mono, not $DEPLOY" ;; esac
[[ "$RATE" =~ ^[0-9]+(\.[0-9]+)?$ ]] || tb_die "rate must be a number per second, not $RATE"
[[ "$SECS" =~ ^[0-9]+$ ]] || tb_die "seconds must be a whole number, not $SECS"
trap tb_cleanup EXIT
tb_prepare
tb_pg_start
tb_app_start "$DEPLOY" "$TB_RUN/traces"
sleep 0.5
for f in "$TB_RUN"/traces/*.jsonl; do : >"$f"; done # forget the warm-up requests
tb_log "$DEPLOY at $RATE/s for ${SECS}s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
tb_load "$RATE" "$SECS" "$TB_RUN/load"
tb_app_stop
python3 "$TB_HOME/tools.py" measure "$TB_RUN/load/tsung.dump" --duration "$SECS" --drop 2
echo "traces: $TB_RUN/traces/*.jsonl (archsim discover reads them)"
