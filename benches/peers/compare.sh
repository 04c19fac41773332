#!/usr/bin/env bash
# Compare archsim against SimPy on the same queueing models.
#
#   bash benches/peers/compare.sh [N]
#
# With no N, archsim runs 1,000,000 customers per model and SimPy 200,000 (to
# keep the run short); customers/s is the comparable figure. With N, both run
# N customers. ARCHSIM_N, SIMPY_N and SEED (SimPy's seed, default 1) override
# from the environment.
#
# Needs: cargo, python3 with the venv module. Creates target/peers-venv on
# first use and installs benches/peers/requirements.txt into it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

if [[ $# -gt 1 ]]; then
    echo "usage: bash benches/peers/compare.sh [N]" >&2
    exit 2
fi
if [[ $# -eq 1 ]]; then
    if ! [[ "$1" =~ ^[1-9][0-9]*$ ]]; then
        echo "compare.sh: N must be a positive integer, got '$1'" >&2
        exit 2
    fi
    ARCHSIM_N="${ARCHSIM_N:-$1}"
    SIMPY_N="${SIMPY_N:-$1}"
fi
ARCHSIM_N="${ARCHSIM_N:-1000000}"
SIMPY_N="${SIMPY_N:-200000}"
SEED="${SEED:-1}"
MODELS=(mm1 tandem)

VENV="$ROOT/target/peers-venv"
PY="$VENV/bin/python"

# --- SimPy environment -------------------------------------------------------
if [[ ! -x "$PY" ]]; then
    echo "==> creating venv in target/peers-venv"
    mkdir -p "$ROOT/target"
    python3 -m venv "$VENV"
fi
echo "==> pip install -r benches/peers/requirements.txt"
"$PY" -m pip install --quiet --disable-pip-version-check -r benches/peers/requirements.txt

# --- build archsim -----------------------------------------------------------
echo "==> cargo build --release"
cargo build --release

RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT

# Keep only the JSON object lines (with a "simulator" key) a run prints.
keep_json() {
    "$PY" -c '
import json, sys
for line in sys.stdin:
    line = line.strip()
    if not line.startswith("{"):
        continue
    try:
        obj = json.loads(line)
    except ValueError:
        continue
    if isinstance(obj, dict) and "simulator" in obj:
        print(json.dumps(obj, separators=(",", ":")))
'
}

# --- archsim runs ------------------------------------------------------------
ARCHSIM_OK=1
for model in "${MODELS[@]}"; do
    echo "==> archsim bench --model $model --customers $ARCHSIM_N --json"
    if ! out="$(target/release/archsim bench --model "$model" --customers "$ARCHSIM_N" --json)"; then
        echo "!! 'archsim bench --model $model' failed (non-zero exit): the bench" >&2
        echo "!! subcommand is missing or errored in this build; archsim rows will read n/a." >&2
        ARCHSIM_OK=0
        continue
    fi
    lines="$(printf '%s\n' "$out" | keep_json)"
    if [[ -z "$lines" ]]; then
        echo "!! 'archsim bench --model $model' printed no JSON result line: the bench" >&2
        echo "!! subcommand is not implemented yet; archsim rows will read n/a." >&2
        ARCHSIM_OK=0
        continue
    fi
    printf '%s\n' "$lines" >>"$RESULTS"
done

# --- SimPy runs --------------------------------------------------------------
for model in "${MODELS[@]}"; do
    echo "==> python benches/peers/$model.py --customers $SIMPY_N --seed $SEED"
    "$PY" "benches/peers/$model.py" --customers "$SIMPY_N" --seed "$SEED" | keep_json >>"$RESULTS"
done

# --- table -------------------------------------------------------------------
echo
"$PY" - "$RESULTS" <<'PYEOF'
import json, sys

# Analytic mean response: M/M/1 1/(mu-lambda) = 10 s;
# tandem 5 x W(M/M/2, lambda=1.5, mu=1) = 5 / (1 - 0.75^2) = 11.4286 s.
THEORY = {"mm1": 10.0, "tandem": 5.0 / (1.0 - 0.75 ** 2)}
rows = {}
with open(sys.argv[1]) as f:
    for line in f:
        r = json.loads(line)
        rows[(r["model"], r["simulator"])] = r

hdr = ("model", "simulator", "customers", "customers/s", "mean resp (s)",
       "theory (s)", "archsim/SimPy")
table = []
for model in ("mm1", "tandem"):
    simpy = rows.get((model, "simpy"))
    for sim in ("archsim", "simpy"):
        r = rows.get((model, sim))
        if r is None:
            table.append((model, sim, "n/a", "n/a", "n/a",
                          f"{THEORY[model]:.3f}", "n/a" if sim == "archsim" else ""))
            continue
        ratio = ""
        if sim == "archsim":
            ratio = (f"{r['customers_per_s'] / simpy['customers_per_s']:.1f}x"
                     if simpy else "n/a")
        table.append((model, sim, f"{r['customers']:,}",
                      f"{r['customers_per_s']:,.0f}",
                      f"{r['mean_response_s']:.3f}",
                      f"{THEORY[model]:.3f}", ratio))
w = [max(len(str(x)) for x in col) for col in zip(hdr, *table)]
fmt = "  ".join(("{:<%d}" if i < 2 else "{:>%d}") % w[i] for i in range(len(w)))
print(fmt.format(*hdr))
print("  ".join("-" * x for x in w))
for t in table:
    print(fmt.format(*t))
PYEOF

if [[ $ARCHSIM_OK -eq 0 ]]; then
    echo
    echo "note: archsim rows are n/a because 'archsim bench' is not available yet"
    echo "      (see the messages above)."
fi
