#!/usr/bin/env python3
"""Helpers of testbed/validate.sh (standard library only).

  util    TRACE_DIR CPU_FILE OUT.csv       CPU utilization per service over the traces' window
  patch   MODEL OUT --cores N [...]        the deployment facts discovery cannot see (see below)
  measure DUMP --drop S --duration S       latency, throughput, errors of one Tsung run (JSON)
  compare RESULTS.json OUT.md [--check]    the comparison table; --check exits 1 on a missed target
  chart   RESULTS.json OUT.svg             p50 and p99 against the rate, predicted and measured
"""
import argparse
import glob
import json
import math
import re
import sys
import tomllib


def fail(msg):
    print(f"tools.py: {msg}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- util
def trace_window(trace_dir):
    lo, hi = math.inf, -math.inf
    for path in glob.glob(f"{trace_dir}/*.jsonl"):
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                for rs in json.loads(line)["resourceSpans"]:
                    for ss in rs["scopeSpans"]:
                        for s in ss["spans"]:
                            lo = min(lo, int(s["startTimeUnixNano"]))
                            hi = max(hi, int(s["endTimeUnixNano"]))
    if hi <= lo:
        fail(f"no spans in {trace_dir}")
    return (hi - lo) / 1e9


def cmd_util(a):
    window = trace_window(a.trace_dir)
    rows = []
    with open(a.cpu_file) as f:
        for line in f:
            service, c0, c1 = line.split()
            rows.append((service, (float(c1) - float(c0)) / window))
    with open(a.out, "w") as f:
        f.write("service,cpu_seconds_per_second\n")
        for service, u in rows:
            f.write(f"{service},{u:.6f}\n")
    print(f"window {window:.3f} s: " + ", ".join(f"{s} {u:.4f}" for s, u in rows))


# ---------------------------------------------------------------- patch
DURATION = re.compile(r'"([0-9]+(?:\.[0-9]+)?)(ns|us|ms|s)"')


def scale_durations(line, factor):
    return DURATION.sub(lambda m: f'"{float(m.group(1)) * factor:.6g}{m.group(2)}"', line)


def cmd_patch(a):
    """Adds what the traces cannot tell and the experiment fixes: the machine (a host of N cores
    shared by every process: the services are kernel-scheduled threads), tokio's asynchronous I/O
    (a request waiting on a call holds no worker), the measurement window, the monolith variant
    (the same modules in one process), a crash fault. --scale-cpu multiplies every operation's
    CPU demand (the negative control: a model known to be wrong)."""
    with open(a.model, "rb") as f:
        model = tomllib.load(f)
    modules = sorted(model["modules"])
    stores = sorted(model.get("datastores", {}))
    out = []
    in_cpu = False
    for line in open(a.model).read().splitlines():
        if a.scale_cpu != 1.0 and (line.startswith("cpu = ") or in_cpu):
            line = scale_durations(line, a.scale_cpu)
            in_cpu = line.rstrip().endswith(",") or line.rstrip().endswith("[")
        if line.startswith("duration = ") and a.duration:
            line = f'duration = "{a.duration}s"'
        if line.startswith("warmup = ") and a.warmup is not None:
            line = f'warmup = "{a.warmup}s"'
        if line.startswith("replications = ") and a.replications:
            line = f"replications = {a.replications}"
        out.append(line)
        if line == 'name = "as-observed"':
            out += ["[[variants.hosts]]", 'name = "box"', f"cores = {a.cores}"]
        if line == "[[variants.units]]":
            out += ['host = "box"', 'io = "async"']
    out += ["", "# the same modules in one process on the same machine (in-process calls)",
            "[[variants]]", 'name = "monolith"',
            "[[variants.hosts]]", 'name = "box"', f"cores = {a.cores}",
            "[[variants.units]]", 'name = "monolith"',
            "modules = [" + ", ".join(f'"{m}"' for m in modules) + "]",
            'host = "box"', 'io = "async"']
    for s in stores:
        out += ["[[variants.databases]]", f'name = "{s}"', f'stores = ["{s}"]']
    if a.fault:
        target, at, dur = a.fault.split(",")
        out += ["", "[[faults]]", 'kind = "crash"', f'target = "{target}"',
                f'at = "{float(at):.3f}s"', f'duration = "{float(dur):.3f}s"']
    with open(a.out, "w") as f:
        f.write("\n".join(out) + "\n")


# ---------------------------------------------------------------- measure
def quantile(xs, q):
    """Type-7 quantile of sorted xs."""
    if not xs:
        return math.nan
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def batch_interval(batches):
    """Mean and 95% half-width over batch estimates (batch means: the samples of a queue are
    correlated, so one interval from all of them would be too narrow)."""
    k = len(batches)
    m = sum(batches) / k
    if k < 2:
        return m, math.nan
    sd = math.sqrt(sum((b - m) ** 2 for b in batches) / (k - 1))
    return m, T95.get(k - 1, 1.96) * sd / math.sqrt(k)


def cmd_measure(a):
    reqs = []  # (start, end, seconds, ok)
    with open(a.dump) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            p = line.split(";")
            end, dur_s = float(p[0]), float(p[8]) / 1000.0
            reqs.append((end - dur_s, end, dur_s, p[6].startswith("2")))
    if not reqs:
        fail(f"{a.dump}: no request")
    t0 = min(r[0] for r in reqs) if a.t0 is None else a.t0
    lo, hi = t0 + a.drop, t0 + a.duration
    started = sorted((r for r in reqs if lo <= r[0] < hi), key=lambda r: r[0])
    ok = [r for r in started if r[3]]
    done = [r for r in reqs if r[3] and lo <= r[1] < hi]
    res = {"requests": len(reqs), "measured": len(started), "window_s": hi - lo,
           "offered_per_s": len(started) / (hi - lo), "throughput_per_s": len(done) / (hi - lo),
           "errors": 1 - len(ok) / len(started) if started else math.nan,
           "availability": len(ok) / len(started) if started else math.nan}
    k = a.batches
    for name, q in (("p50", 0.5), ("p99", 0.99)):
        per = []
        for i in range(k):
            part = sorted(r[2] for r in ok[i * len(ok) // k:(i + 1) * len(ok) // k])
            if part:
                per.append(quantile(part, q))
        m, hw = batch_interval(per) if per else (math.nan, math.nan)
        res[name] = quantile(sorted(r[2] for r in ok), q)
        res[name + "_hw"] = hw
    thr = []
    for i in range(k):
        b0, b1 = lo + i * (hi - lo) / k, lo + (i + 1) * (hi - lo) / k
        thr.append(sum(1 for r in done if b0 <= r[1] < b1) / (b1 - b0))
    res["throughput_hw"] = batch_interval(thr)[1]
    json.dump(res, sys.stdout)
    print()


# ---------------------------------------------------------------- compare
def rel(p, m):
    return (p - m) / m if m else math.nan


def fmt_ms(v, hw):
    if v is None or math.isnan(v):
        return "—"
    s = f"{v * 1000:.1f}"
    return s + (f" ± {hw * 1000:.1f}" if hw is not None and not math.isnan(hw) else "")


def cmd_compare(a):
    r = json.load(open(a.results))
    tol = r["tolerances"]
    lines, missed = [], []
    lines.append("| deployment | target /s | offered /s | ρ (predicted) | p50 predicted ms | p50 measured ms | Δ | "
                 "p99 predicted ms | p99 measured ms | Δ | throughput predicted /s | measured /s | background cores |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for d in ("micro", "mono"):
        pts = [p for p in r["points"] if p["deployment"] == d]
        if not pts:
            continue
        cap_pred = r.get("saturation_pred", {}).get(d) or max(p["pred"]["throughput"] for p in pts)
        cap_meas = max(p["meas"]["throughput_per_s"] for p in pts)
        for p in pts:
            pr, me = p["pred"], p["meas"]
            rho = p["rate"] / cap_pred
            d50, d99 = rel(pr["p50"], me["p50"]), rel(pr["p99"], me["p99"])
            past = "" if p.get("target", p["rate"]) < cap_pred else " ¹"
            lines.append(f"| {d} | {p.get('target', p['rate']):.1f}{past} | {p['rate']:.1f} | {rho:.2f} | {fmt_ms(pr['p50'], pr['p50_hw'])} | "
                         f"{fmt_ms(me['p50'], me['p50_hw'])} | {d50:+.0%} | {fmt_ms(pr['p99'], pr['p99_hw'])} | "
                         f"{fmt_ms(me['p99'], me['p99_hw'])} | {d99:+.0%} | {pr['throughput']:.1f} | "
                         f"{me['throughput_per_s']:.1f} | {p['load']} |")
            if rho < 0.8 and not past:
                if abs(d50) > tol["p50"]:
                    missed.append(f"{d} at {p['rate']:.1f}/s: p50 off by {d50:+.0%} (target ±{tol['p50']:.0%})")
                if abs(d99) > tol["p99"]:
                    missed.append(f"{d} at {p['rate']:.1f}/s: p99 off by {d99:+.0%} (target ±{tol['p99']:.0%})")
        dc = rel(cap_pred, cap_meas)
        lines.append(f"| **{d} saturation** | | | | | | | | | | **{cap_pred:.1f}** | **{cap_meas:.1f}** | {dc:+.0%} |")
        if abs(dc) > tol["saturation"]:
            missed.append(f"{d}: saturation throughput off by {dc:+.0%} (target ±{tol['saturation']:.0%})")
    # monolith vs microservices at the lowest common rate
    if any(p.get("target", p["rate"]) >= (r.get("saturation_pred", {}).get(p["deployment"]) or math.inf)
           for p in r["points"]):
        lines.append("")
        lines.append("¹ past the knee: Tsung could not offer the target rate, and its latencies run from the "
                     "request's sending, after the connection was accepted (waiting in the accept queue is "
                     "not in them): these rows count for the saturation throughput only.")
    tgt = lambda p: p.get("target", p["rate"])
    low = [tgt(p) for p in r["points"] if p["deployment"] == "micro"]
    if low and any(p["deployment"] == "mono" for p in r["points"]):
        rate = min(low)
        mi = next(p for p in r["points"] if p["deployment"] == "micro" and tgt(p) == rate)
        mo = next((p for p in r["points"] if p["deployment"] == "mono" and tgt(p) == rate), None)
        if mo:
            dp = mi["pred"]["p50"] - mo["pred"]["p50"]
            dm = mi["meas"]["p50"] - mo["meas"]["p50"]
            hw = math.hypot(mi["meas"]["p50_hw"], mo["meas"]["p50_hw"])
            lines.append("")
            text = (f"Microservices minus monolith, p50 at {rate:.1f}/s: predicted {dp * 1000:+.2f} ms, "
                    f"measured {dm * 1000:+.2f} ± {hw * 1000:.2f} ms")
            if abs(dm) > hw:  # the measured difference is resolved: sign and size count
                ok = dp * dm > 0 and abs(rel(dp, dm)) <= tol["difference"]
                lines.append(text + f" ({'same sign' if dp * dm > 0 else 'OPPOSITE SIGN'}, {rel(dp, dm):+.0%}).")
            else:  # not resolved: the prediction must at least lie within the measured interval
                ok = abs(dp - dm) <= hw
                lines.append(text + " — the measured difference is within its 95% interval of zero "
                             "(not resolved by this run); the prediction "
                             + ("lies within that interval." if ok else "lies OUTSIDE that interval."))
            if not ok:
                missed.append(f"monolith-vs-microservices p50 difference: predicted {dp*1000:+.2f} ms, "
                              f"measured {dm*1000:+.2f} ± {hw*1000:.2f} ms (target: same sign, within "
                              f"{tol['difference']:.0%})")
    if "fault" in r:
        f = r["fault"]
        lines.append("")
        # given the number of requests, the failed ones are binomial: a 95% interval of the measured ratio
        hw = 1.96 * math.sqrt(f["meas"] * (1 - f["meas"]) / f["meas_n"]) if f["meas_n"] else math.nan
        lines.append(f"Availability of `checkout` with `pricing` killed for {f['down_s']:.1f} s of a "
                     f"{f['duration_s']:.0f} s run at {f['rate']:.1f}/s: predicted {f['pred']:.4f}, "
                     f"measured {f['meas']:.4f} ± {hw:.4f} ({f['meas_n']} requests; Δ {f['pred'] - f['meas']:+.4f}).")
        if abs(f["pred"] - f["meas"]) > tol["availability"]:
            missed.append(f"availability off by {f['pred'] - f['meas']:+.4f} (target ±{tol['availability']})")
    if "control" in r:
        c = r["control"]
        lines.append("")
        lines.append(f"Negative control (every CPU demand ×{c['factor']:g}): saturation predicted "
                     f"{c['saturation']:.1f}/s, p50 at {c['rate']:.1f}/s predicted {c['p50'] * 1000:.1f} ms — "
                     f"{'rejected' if c['rejected'] else 'NOT rejected'} by the same tolerances.")
        if not c["rejected"]:
            missed.append("the negative control (a model with doubled demands) passes the tolerances")
    cpu = [p for p in r["points"] if p["meas"].get("cpu_per_request_s")]
    if cpu:
        lines.append("")
        per = {d: ", ".join(f"{p['meas']['cpu_per_request_s'] * 1000:.2f} ms at {p['rate']:.1f}/s"
                            for p in cpu if p["deployment"] == d) for d in ("micro", "mono")}
        model = r.get("model_cpu_per_request_s")
        lines.append("CPU of the deployment's own processes per request answered (whole run): microservices "
                     f"{per['micro'] or '—'}; monolith {per['mono'] or '—'}"
                     + (f"; the model gives both {model * 1000:.2f} ms." if model else "."))
    if "outside" in r:
        lines.append("")
        lines.append("CPU on the same cores that the model does not place there, per request at the capture: "
                     + ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in r["outside"].items()) + ".")
    lines.append("")
    lines += [f"- MISSED: {m}" for m in missed] or ["- every target met"]
    open(a.out, "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))
    if a.check and missed:
        sys.exit(1)


# ---------------------------------------------------------------- chart
def cmd_chart(a):
    """An SVG of p50 and p99 against the offered rate: predicted (line, 95% band) and measured
    (points, 95% bars), one panel per deployment, log latency axis."""
    r = json.load(open(a.results))
    deps = [d for d in ("micro", "mono") if any(p["deployment"] == d for p in r["points"])]
    W, H, L, T, PW, PH = 420 * len(deps), 330, 60, 30, 330, 240
    ys = [v for p in r["points"] for v in (p["pred"]["p50"], p["pred"]["p99"], p["meas"]["p50"], p["meas"]["p99"]) if v > 0]
    lo, hi = math.log10(min(ys) * 0.8), math.log10(max(ys) * 1.25)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    colors = {"p50": "#1f77b4", "p99": "#d62728"}
    for i, d in enumerate(deps):
        pts = sorted((p for p in r["points"] if p["deployment"] == d), key=lambda p: p["rate"])
        x0 = L + i * 420
        xmax = max(p["rate"] for p in pts) * 1.05
        X = lambda v: x0 + v / xmax * PW
        Y = lambda v: T + PH - (math.log10(max(v, 10 ** lo)) - lo) / (hi - lo) * PH
        title = {"micro": "microservices", "mono": "monolith"}[d]
        svg.append(f'<text x="{x0 + PW / 2}" y="18" text-anchor="middle" font-size="13">{title}</text>')
        svg.append(f'<rect x="{x0}" y="{T}" width="{PW}" height="{PH}" fill="none" stroke="#888"/>')
        for e in range(math.floor(lo), math.floor(hi) + 1):  # 2·10^e and 5·10^e may be in range
            for m in (1, 2, 5):
                v = m * 10 ** e
                if lo <= math.log10(v) <= hi:
                    svg.append(f'<line x1="{x0}" x2="{x0 + PW}" y1="{Y(v):.1f}" y2="{Y(v):.1f}" stroke="#eee"/>')
                    svg.append(f'<text x="{x0 - 4}" y="{Y(v) + 4:.1f}" text-anchor="end">{v * 1000:g}</text>')
        last = -1e9
        for p in pts:  # a rate's label is left out where it would overlap the one before
            if X(p["rate"]) - last >= 26:
                last = X(p["rate"])
                svg.append(f'<text x="{last:.1f}" y="{T + PH + 14}" text-anchor="middle">{p["rate"]:g}</text>')
        svg.append(f'<text x="{x0 + PW / 2}" y="{T + PH + 30}" text-anchor="middle">offered load (requests/s)</text>')
        svg.append(f'<text x="{x0 - 42}" y="{T + PH / 2}" transform="rotate(-90 {x0 - 42} {T + PH / 2})" '
                   f'text-anchor="middle">latency (ms, log)</text>')
        for q, c in colors.items():
            band = [(X(p["rate"]), Y(p["pred"][q] + p["pred"][q + "_hw"])) for p in pts] + \
                   [(X(p["rate"]), Y(max(p["pred"][q] - p["pred"][q + "_hw"], 1e-6))) for p in reversed(pts)]
            svg.append('<polygon fill="' + c + '" fill-opacity="0.15" points="' +
                       " ".join(f"{x:.1f},{y:.1f}" for x, y in band) + '"/>')
            svg.append(f'<polyline fill="none" stroke="{c}" stroke-width="1.5" points="' +
                       " ".join(f'{X(p["rate"]):.1f},{Y(p["pred"][q]):.1f}' for p in pts) + '"/>')
            for p in pts:
                m, hw = p["meas"][q], p["meas"][q + "_hw"]
                hw = 0 if math.isnan(hw) else hw
                x = X(p["rate"])
                svg.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{Y(m + hw):.1f}" y2="{Y(max(m - hw, 1e-6)):.1f}" stroke="{c}"/>')
                svg.append(f'<circle cx="{x:.1f}" cy="{Y(m):.1f}" r="3.5" fill="white" stroke="{c}" stroke-width="1.5"/>')
    lx = 70
    for q, c in colors.items():
        svg.append(f'<line x1="{lx}" x2="{lx + 20}" y1="{H - 12}" y2="{H - 12}" stroke="{c}" stroke-width="1.5"/>'
                   f'<text x="{lx + 24}" y="{H - 8}">{q} predicted (95% band)</text>')
        svg.append(f'<circle cx="{lx + 190}" cy="{H - 12}" r="3.5" fill="white" stroke="{c}" stroke-width="1.5"/>'
                   f'<text x="{lx + 198}" y="{H - 8}">{q} measured (95% bar)</text>')
        lx += 380
    svg.append("</svg>")
    open(a.out, "w").write("\n".join(svg) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("util")
    u.add_argument("trace_dir")
    u.add_argument("cpu_file")
    u.add_argument("out")
    p = sub.add_parser("patch")
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("--cores", type=float, required=True)
    p.add_argument("--scale-cpu", type=float, default=1.0)
    p.add_argument("--duration", type=float)
    p.add_argument("--warmup", type=float)
    p.add_argument("--replications", type=int)
    p.add_argument("--fault", help="TARGET,AT_S,DURATION_S")
    m = sub.add_parser("measure")
    m.add_argument("dump")
    m.add_argument("--drop", type=float, default=0.0)
    m.add_argument("--duration", type=float, required=True)
    m.add_argument("--t0", type=float)
    m.add_argument("--batches", type=int, default=5)
    c = sub.add_parser("compare")
    c.add_argument("results")
    c.add_argument("out")
    c.add_argument("--check", action="store_true")
    g = sub.add_parser("chart")
    g.add_argument("results")
    g.add_argument("out")
    a = ap.parse_args()
    {"util": cmd_util, "patch": cmd_patch, "measure": cmd_measure, "compare": cmd_compare,
     "chart": cmd_chart}[a.cmd](a)


if __name__ == "__main__":
    main()
