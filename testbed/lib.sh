# Shell functions of the testbed (sourced by run.sh and validate.sh): a PostgreSQL from
# Debian's packages in a temporary directory, the services, the Tsung load generator, CPU
# counters. Every process started is recorded by PID in $TB_RUN/pids and stopped by tb_cleanup
# (installed as an EXIT trap by the scripts), so nothing is left behind.

TB_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TB_ROOT="$(cd "$TB_HOME/.." && pwd)"
TB_BIN="$TB_HOME/target/release/testbed"
TB_PORT="${TESTBED_PORT_BASE:-17100}" # below the ephemeral range (ip_local_port_range), which clients take ports from
TB_PG_PORT=$((TB_PORT + 32))
declare -A TB_PORTS=([front]=$TB_PORT [inventory]=$((TB_PORT + 1)) [pricing]=$((TB_PORT + 2))
  [orders]=$((TB_PORT + 3)) [monolith]=$((TB_PORT + 10)))
declare -A TB_PID=()
# The machine may be shared (other builds): the system under test and the load generator run at a
# higher scheduling priority when we may raise it (root), so that they get the cores they would
# have on a machine of their own. With the kernel's autogroups (sched_autogroup_enabled) a nice
# value only orders the threads of one session, so the session's autogroup is raised too (and put
# back on exit). TESTBED_NICE=0 turns both off.
TB_NICE="${TESTBED_NICE:--10}"
if [ "$(id -u)" != 0 ]; then TB_NICE=0; fi
TB_PRIO=(nice -n "$TB_NICE")
# Tsung gets 5 more: an open-loop generator starved of CPU by the system it loads sends late,
# which lowers the offered rate exactly when the system is overloaded.
TB_LOADGEN_PRIO=(nice -n "$((TB_NICE < 0 ? TB_NICE - 5 : 0))")
TB_AUTOGROUP_NICE=""

tb_log() { echo "[testbed $(date +%T)] $*" >&2; }
tb_die() { echo "testbed: $*" >&2; exit 2; }

# Installs what the testbed needs when missing (PostgreSQL, Tsung) and builds it.
tb_prepare() {
  local missing=()
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  command -v tsung >/dev/null || missing+=(tsung)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || tb_die "missing Debian packages: ${missing[*]} (install them, or run as root)"
    tb_log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; } ||
      tb_die "apt-get install ${missing[*]} failed"
  fi
  (cd "$TB_HOME" && cargo build --release --quiet) || tb_die "cannot build the testbed"
  (cd "$TB_ROOT" && cargo build --release --quiet --bin archsim) || tb_die "cannot build archsim"
  if [ "$TB_NICE" != 0 ] && [ -w /proc/self/autogroup ]; then
    TB_AUTOGROUP_NICE="$(awk '{ print $3 }' /proc/self/autogroup)"
    echo "$TB_NICE" >/proc/self/autogroup 2>/dev/null || TB_AUTOGROUP_NICE=""
  fi
  TB_RUN="$(mktemp -d /tmp/archsim-testbed.XXXXXX)"
  chmod 755 "$TB_RUN"
  tb_log "work directory $TB_RUN"
}

tb_wait_port() { # PORT: waits up to 20 s for a listener
  local i
  for i in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  tb_die "nothing listens on 127.0.0.1:$1 after 20 s"
}

# PostgreSQL in $TB_RUN/pg, as the user postgres when run as root; fsync off (the testbed measures
# CPU and queueing, not the disk).
tb_pg_start() {
  local bin; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  local as=()
  mkdir -p "$TB_RUN/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$TB_RUN/pg"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bin/initdb" -D "$TB_RUN/pg/data" -A trust -U postgres >"$TB_RUN/pg/initdb.log" 2>&1 ||
    tb_die "initdb failed: $TB_RUN/pg/initdb.log"
  "${TB_PRIO[@]}" "${as[@]}" "$bin/pg_ctl" -D "$TB_RUN/pg/data" -l "$TB_RUN/pg/server.log" -w -t 60 start -o \
    "-p $TB_PG_PORT -k $TB_RUN/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || tb_die "PostgreSQL did not start: $TB_RUN/pg/server.log"
  TB_PID[postgres]="$(head -1 "$TB_RUN/pg/data/postmaster.pid")"
  "$bin/psql" -q -h 127.0.0.1 -p "$TB_PG_PORT" -U postgres -d postgres -c "CREATE DATABASE testbed" >/dev/null
  "$bin/psql" -q -h 127.0.0.1 -p "$TB_PG_PORT" -U postgres -d testbed >/dev/null <<'SQL'
CREATE TABLE items (id bigint PRIMARY KEY, stock bigint NOT NULL);
INSERT INTO items SELECT g, 1000 + g % 97 FROM generate_series(0, 999) g;
CREATE TABLE orders (id bigserial PRIMARY KEY, item bigint NOT NULL, at timestamptz NOT NULL DEFAULT now());
SQL
  export TESTBED_DB="host=127.0.0.1 port=$TB_PG_PORT user=postgres dbname=testbed"
  tb_log "PostgreSQL pid ${TB_PID[postgres]} on port $TB_PG_PORT"
}

tb_start_service() { # ROLE TRACE_FILE
  "${TB_PRIO[@]}" "$TB_BIN" "$1" "${TB_PORTS[$1]}" "$2" 2>>"$TB_RUN/$1.log" &
  TB_PID[$1]=$!
  tb_wait_port "${TB_PORTS[$1]}"
}

# DEPLOYMENT (micro | mono) TRACE_DIR: starts the application; traces in TRACE_DIR/*.jsonl.
tb_app_start() {
  mkdir -p "$2"
  if [ "$1" = mono ]; then
    tb_start_service monolith "$2/monolith.jsonl"
    TB_ENTRY_PORT=${TB_PORTS[monolith]}
  else
    export TESTBED_INVENTORY="http://127.0.0.1:${TB_PORTS[inventory]}"
    export TESTBED_PRICING="http://127.0.0.1:${TB_PORTS[pricing]}"
    export TESTBED_ORDERS="http://127.0.0.1:${TB_PORTS[orders]}"
    local s
    for s in inventory pricing orders front; do tb_start_service "$s" "$2/$s.jsonl"; done
    TB_ENTRY_PORT=${TB_PORTS[front]}
  fi
  # a few requests so that connections and caches are warm before anything is measured
  local i
  for i in 1 2 3 4 5; do curl -s -o /dev/null "http://127.0.0.1:$TB_ENTRY_PORT/checkout/$i" || true; done
}

tb_stop_pid() { # NAME: SIGTERM, then SIGKILL after 10 s
  local pid="${TB_PID[$1]:-}" i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "TB_PID[$1]"
}

tb_app_stop() {
  local s
  for s in front inventory pricing orders monolith; do tb_stop_pid "$s"; done
}

tb_cleanup() {
  local s
  [ -n "${TB_PID[faulter]:-}" ] && tb_stop_pid faulter
  if [ -f "${TB_RUN:-/nonexistent}/pricing.pid" ]; then TB_PID[pricing]="$(cat "$TB_RUN/pricing.pid")"; fi
  for s in "${!TB_PID[@]}"; do
    [ "$s" = postgres ] || tb_stop_pid "$s"
  done
  if [ -n "${TB_PID[postgres]:-}" ]; then
    kill -INT "${TB_PID[postgres]}" 2>/dev/null || true # PostgreSQL's fast shutdown
    local i
    for i in $(seq 100); do kill -0 "${TB_PID[postgres]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${TB_PID[postgres]}" 2>/dev/null || true
    unset "TB_PID[postgres]"
  fi
  if [ -n "${TB_RUN:-}" ] && [ -z "${TESTBED_KEEP:-}" ]; then rm -rf "$TB_RUN/pg"; fi
  if [ -n "$TB_AUTOGROUP_NICE" ]; then echo "$TB_AUTOGROUP_NICE" >/proc/self/autogroup 2>/dev/null || true; fi
}

# CPU seconds (user + system) used so far by the process NAME (from /proc/PID/stat).
tb_cpu_seconds() {
  local pid="${TB_PID[$1]}"
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$pid/stat" 2>/dev/null || echo 0
}

# CPU seconds used so far by PostgreSQL (the postmaster and every backend and helper it runs).
tb_pg_cpu_seconds() {
  local pid="${TB_PID[postgres]}" p total=0
  for p in $pid $(ps -o pid= --ppid "$pid"); do
    total="$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print t + ($12 + $13) / hz }' "/proc/$p/stat" 2>/dev/null || echo "$total")"
  done
  echo "$total"
}

# "BUSY TOTAL": the machine's busy and total CPU seconds so far (all cores, from /proc/stat).
tb_machine_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i;
    printf "%.2f %.2f\n", (t - $5 - $6) / hz, t / hz }' /proc/stat
}

# CPU seconds used so far by the deployment's processes (the services or the monolith).
tb_app_cpu() {
  local s total=0
  for s in front inventory pricing orders monolith; do
    [ -n "${TB_PID[$s]:-}" ] && total="$(awk -v a="$total" -v b="$(tb_cpu_seconds "$s")" 'BEGIN { print a + b }')"
  done
  echo "$total"
}

# CPU seconds used so far by the deployment's processes and PostgreSQL.
tb_our_cpu() {
  awk -v a="$(tb_app_cpu)" -v b="$(tb_pg_cpu_seconds)" 'BEGIN { print a + b }'
}

# Runs tb_load (same arguments) and writes OUT_DIR/machine.txt: the cores the machine kept busy
# on average, how many of them were neither the testbed, PostgreSQL nor Tsung (background), and
# the CPU seconds the deployment's own processes used over the run (app_cpu_s).
tb_load_accounted() {
  local m0 o0 a0 m1 o1 a1
  m0="$(tb_machine_cpu)" o0="$(tb_our_cpu)" a0="$(tb_app_cpu)"
  tb_load "$@"
  m1="$(tb_machine_cpu)" o1="$(tb_our_cpu)" a1="$(tb_app_cpu)"
  awk -v m0="$m0" -v m1="$m1" -v o0="$o0" -v o1="$o1" -v a0="$a0" -v a1="$a1" -v c="$(nproc)" \
    -v ts="$(awk '{ print $1 + $2 }' "$3/tsung.cpu")" 'BEGIN {
      split(m0, a, " "); split(m1, b, " "); wall = (b[2] - a[2]) / c; busy = b[1] - a[1]
      printf "busy_cores %.2f background_cores %.2f wall_s %.1f app_cpu_s %.3f\n", busy / wall, (busy - (o1 - o0) - ts) / wall, wall, a1 - a0 }' \
    >"$3/machine.txt"
}

# RATE DURATION_S OUT_DIR: Tsung drives GET /checkout/{id} with Poisson arrivals at RATE per
# second for DURATION_S seconds; OUT_DIR/tsung.dump gets one line per request.
tb_load() {
  local rate="$1" dur="$2" out="$3"
  mkdir -p "$out"
  cat >"$out/tsung.xml" <<EOF
<?xml version="1.0"?>
<!DOCTYPE tsung SYSTEM "/usr/share/tsung/tsung-1.0.dtd">
<tsung loglevel="error" dumptraffic="protocol" version="1.0">
  <clients><client host="localhost" use_controller_vm="true" maxusers="60000"/></clients>
  <servers><server host="127.0.0.1" port="$TB_ENTRY_PORT" type="tcp"/></servers>
  <load>
    <arrivalphase phase="1" duration="$dur" unit="second">
      <users arrivalrate="$rate" unit="second"/>
    </arrivalphase>
  </load>
  <sessions>
    <session name="checkout" probability="100" type="ts_http">
      <setdynvars sourcetype="random_number" start="1" end="999"><var name="id"/></setdynvars>
      <request subst="true"><http url="/checkout/%%_id%%" method="GET" version="1.1"/></request>
    </session>
  </sessions>
</tsung>
EOF
  local TIMEFORMAT="%U %S" # the CPU Tsung used (its Erlang VM included) goes to $out/tsung.cpu
  { time ERL_FLAGS="+sbwt none +sbwtdcpu none +sbwtdio none" "${TB_LOADGEN_PRIO[@]}" \
    tsung -n -f "$out/tsung.xml" -l "$out/log" start >"$out/tsung.out" 2>&1; } 2>"$out/tsung.cpu" ||
    tb_die "tsung failed: $out/tsung.out"
  local dump; dump="$(find "$out/log" -name tsung.dump | head -1)"
  [ -n "$dump" ] || tb_die "tsung wrote no tsung.dump in $out/log"
  cp "$dump" "$out/tsung.dump"
}
