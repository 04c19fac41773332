#!/usr/bin/env python3
"""Whole-process side by side: `archsim run` of a reference model against its SimPy peer.

Each round runs, one after the other, `archsim run benches/models/MODEL.toml --threads 1`
(one replication, 200,000 customers: the model file's duration × rate) and
`benches/peers/MODEL.py --customers N --seed S` (N = the customers archsim served, S = the
round), and times each whole process (start-up, parsing, the run, the results document) with
a monotonic clock. Rounds alternate the two simulators so that a change in the machine's load
hits both; the table gives the medians and the ratio of customers/s.

Usage (from the repository root, after `cargo build --release` and with SimPy installed, e.g.
in the venv `bash benches/peers/compare.sh` creates):

    target/peers-venv/bin/python benches/peers/whole_process.py [--rounds 5] [--models mm1,tandem]
        [--archsim PATH]

Customers: archsim's are the requests that arrived (`entries.req.arrived`, from its results
document); SimPy's are its `--customers`. Both include process start-up, so this is the figure
a user sees, not the simulation loop alone (`archsim bench` and the peers' own `customers_per_s`
give that).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARCHSIM = os.path.join(ROOT, "target", "release", "archsim")


def timed(cmd):
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, out.stdout


def archsim_round(archsim, model, out_json):
    wall, _ = timed([archsim, "run", f"benches/models/{model}.toml", "--threads", "1",
                     "--json", out_json])
    with open(out_json) as f:
        doc = json.load(f)
    customers = int(doc["variants"][0]["entries"]["req"]["arrived"]["mean"])
    return wall, customers


def simpy_round(model, customers, seed):
    wall, out = timed([sys.executable, f"benches/peers/{model}.py", "--customers",
                       str(customers), "--seed", str(seed)])
    json.loads(out.strip().splitlines()[-1])  # the peer ran to the end and reported
    return wall


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--models", default="mm1,tandem")
    ap.add_argument("--archsim", default=ARCHSIM, help="the archsim binary (default: the release build)")
    a = ap.parse_args()
    if a.rounds < 1:
        sys.exit("whole_process.py: --rounds must be at least 1")
    if not os.path.exists(a.archsim):
        sys.exit(f"whole_process.py: {a.archsim} is missing: run `cargo build --release` first")
    print("| model | customers | archsim run s (median) | SimPy s (median) | archsim customers/s "
          "| SimPy customers/s | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for model in a.models.split(","):
            ours, theirs, customers = [], [], 0
            for r in range(a.rounds):
                wall, customers = archsim_round(a.archsim, model, os.path.join(tmp, "r.json"))
                ours.append(wall)
                theirs.append(simpy_round(model, customers, r + 1))
            mo, mt = statistics.median(ours), statistics.median(theirs)
            print(f"| {model} | {customers:,} | {mo:.3f} (runs {min(ours):.3f}–{max(ours):.3f}) "
                  f"| {mt:.2f} (runs {min(theirs):.2f}–{max(theirs):.2f}) "
                  f"| {customers / mo / 1e6:.2f} M | {customers / mt:,.0f} | {mt / mo:.0f}× |")


if __name__ == "__main__":
    main()
