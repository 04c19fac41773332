#!/usr/bin/env python3
"""Gathers validate.sh's predictions (sweep CSV, fault run JSON) and measurements (Tsung runs)
into one JSON document on standard output, read by `tools.py compare`."""
import argparse
import csv
import json
import os


def sweep_rows(path):
    rows = {}
    with open(path) as f:
        reader = csv.DictReader(f)
        rate_col = reader.fieldnames[1]
        for r in reader:
            rows[(r["variant"], round(float(r[rate_col]), 1))] = {
                "throughput": float(r["throughput_per_s_mean"]),
                "p50": float(r["latency_p50_s_mean"]),
                "p50_hw": (float(r["latency_p50_s_ci95_high"]) - float(r["latency_p50_s_ci95_low"])) / 2,
                "p99": float(r["latency_p99_s_mean"]),
                "p99_hw": (float(r["latency_p99_s_ci95_high"]) - float(r["latency_p99_s_ci95_low"])) / 2,
            }
    return rows


def add_fault(doc, a):
    fp = json.load(open(os.path.join(a.out, "fault", "predicted.json")))
    entries = fp["variants"][0]["entries"]
    entry = next(iter(entries))
    fm = json.load(open(os.path.join(a.out, "fault", "measured.json")))
    doc["fault"] = {"rate": a.fault_rate, "down_s": a.fault_down, "duration_s": a.fault_duration,
                    "pred": entries[entry]["success_ratio"]["mean"], "meas": fm["availability"],
                    "meas_n": fm["measured"]}


def successes(dump):
    """Requests of a Tsung dump answered with a 2xx."""
    with open(dump) as f:
        return sum(1 for line in f if not line.startswith("#") and line.strip()
                   and line.split(";")[6].startswith("2"))


def cpu_per_request(run):
    """CPU seconds of the deployment's processes per request answered over a whole run
    (machine.txt's app_cpu_s over the 2xx answers of its dump), or None without the figure."""
    fields = open(os.path.join(run, "machine.txt")).read().split()
    kv = dict(zip(fields[::2], fields[1::2]))
    n = successes(os.path.join(run, "tsung.dump"))
    return float(kv["app_cpu_s"]) / n if "app_cpu_s" in kv and n else None


def model_cpu_per_request(out):
    """The calibrated model's CPU demand per request (s): each calibrated CPU parameter's mean
    times its operation's invocations per request in the traces (discovery.json's counts)."""
    disc = json.load(open(os.path.join(out, "discovery.json")))
    cal = json.load(open(os.path.join(out, "calibration.json")))
    requests = sum(e["requests"] for e in disc["entries"])
    calls = {o["op"]: o["invocations"] for o in disc["operations"]}
    total = 0.0
    for c in cal["changes"]:
        p = c["parameter"].split(".")  # modules.M.ops.O.cpu
        if p[0] == "modules" and p[-1] == "cpu":
            total += c["after_mean_s"] * calls.get(f"{p[1]}.{p[3]}", 0)
    return total / requests if requests else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--tolerances", required=True)
    ap.add_argument("--fault-rate", type=float, required=True)
    ap.add_argument("--fault-down", type=float, required=True)
    ap.add_argument("--fault-duration", type=float, required=True)
    ap.add_argument("--control", default="", help="the control model's curve at the offered rates")
    ap.add_argument("--control-nominal", default="", help="the control model's curve at the target rates")
    a = ap.parse_args()
    pred = {}
    for d in ("micro", "mono"):
        pred.update(sweep_rows(os.path.join(a.out, f"sweep-{d}", "curves.csv")))
    variant = {"micro": "as-observed", "mono": "monolith"}
    points = []
    with open(os.path.join(a.out, "runs.txt")) as f:
        for line in f:
            # deployment, the rate asked of Tsung, the rate it offered, background cores
            d, target, rate, load = line.split()
            run = os.path.join(a.out, f"run-{d}-{target}")
            meas = json.load(open(os.path.join(run, "measured.json")))
            meas["cpu_per_request_s"] = cpu_per_request(run)
            points.append({"deployment": d, "target": float(target), "rate": float(rate), "load": load,
                           "pred": pred[(variant[d], round(float(rate), 1))], "meas": meas})
    nominal = sweep_rows(os.path.join(a.out, "sweep", "curves.csv"))
    saturation = {d: max(v["throughput"] for (var, _), v in nominal.items() if var == variant[d])
                  for d in ("micro", "mono")}
    doc = {"tolerances": json.loads(a.tolerances), "points": points, "saturation_pred": saturation,
           "model_cpu_per_request_s": model_cpu_per_request(a.out)}
    if os.path.exists(os.path.join(a.out, "fault", "predicted.json")):
        add_fault(doc, a)

    outside = os.path.join(a.out, "cpu-outside.txt")
    n_capture = 0
    with open(os.path.join(a.out, "capture", "tsung.dump")) as f:
        n_capture = sum(1 for line in f if not line.startswith("#") and line.split(";")[6].startswith("2"))
    if os.path.exists(outside):
        doc["outside"] = {}
        with open(outside) as f:
            for line in f:
                name, c0, c1 = line.split()
                doc["outside"][name] = (float(c1) - float(c0)) / max(n_capture, 1)
    if a.control:
        ctl = sweep_rows(a.control)
        tol = doc["tolerances"]
        micro = [p for p in points if p["deployment"] == "micro"]
        low = min(micro, key=lambda p: p["rate"])
        c_low = ctl[("as-observed", round(low["rate"], 1))]
        c_sat = max(v["throughput"] for (var, _), v in sweep_rows(a.control_nominal).items() if var == "as-observed")
        m_sat = max(p["meas"]["throughput_per_s"] for p in micro)
        rejected = (abs(c_sat - m_sat) / m_sat > tol["saturation"]
                    or abs(c_low["p50"] - low["meas"]["p50"]) / low["meas"]["p50"] > tol["p50"])
        doc["control"] = {"factor": 2.0, "rate": low["rate"], "p50": c_low["p50"],
                          "saturation": c_sat, "rejected": rejected}
    json.dump(doc, __import__("sys").stdout, indent=1)


if __name__ == "__main__":
    main()
