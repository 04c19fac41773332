// Pure helpers of the Traces page: the facts of a discovery report, the calibration's
// before/after rows side by side, and the measured-against-simulated latency CDF chart.
import type { EChartsOption } from "echarts";
import type { CalibrationReport, DiscoveryReport, EntryCdf } from "../../api";
import { PALETTE } from "../results/charts";

/** A duration in seconds, in ms with 3 significant digits. */
export function ms(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "—";
  return `${+(s * 1e3).toPrecision(3)} ms`;
}

/** A relative error as a signed percentage. */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)}%`;
}

/** The headline figures of a discovery, as label/value pairs. */
export function discoveryFacts(r: DiscoveryReport): [string, string][] {
  const rate = r.entries.map((e) => `${e.name} ${+e.rate_per_s.toPrecision(3)}/s`).join(", ");
  return [
    ["files", r.files.map((f) => `${f.path} (${f.format}, ${f.spans} spans)`).join("; ")],
    ["spans read", String(r.spans_read)],
    ["traces", `${r.traces} (${r.traces_complete} complete, ${r.traces_incomplete} incomplete)`],
    ["clock-skew fixes", String(r.clock_skew_fixes)],
    ["window", `${+r.window_s.toPrecision(4)} s`],
    ["operations", String(r.operations.length)],
    ["calls", String(r.calls.length)],
    ["database operations", String(r.databases.length)],
    ["entries", rate || "none"],
    ["network one-way latency", r.network ? ms(r.network.mean) : "not observed"],
  ];
}

/** One compared item with the model as given and as calibrated. */
export interface PairedRow {
  kind: string;
  name: string;
  observedMean: number;
  observedP99: number;
  beforeMean: number;
  afterMean: number;
  beforeError: number;
  afterError: number;
  beforeKs: number;
  afterKs: number;
}

/** The report's `before` and `after` rows paired by kind and name (in the report's order). */
export function pairedRows(r: CalibrationReport): PairedRow[] {
  return r.before.map((b) => {
    const a = r.after.find((x) => x.kind === b.kind && x.name === b.name) ?? b;
    return {
      kind: b.kind,
      name: b.name,
      observedMean: b.observed.mean_s,
      observedP99: b.observed.p99_s,
      beforeMean: b.simulated.mean_s,
      afterMean: a.simulated.mean_s,
      beforeError: b.mean_error,
      afterError: a.mean_error,
      beforeKs: b.ks,
      afterKs: a.ks,
    };
  });
}

/** The parameters calibration moved (by more than 0.1%), largest move first. */
export function movedParameters(r: CalibrationReport) {
  const size = (f: number | null | undefined) => (f === null || f === undefined || !Number.isFinite(f) ? Infinity : Math.abs(Math.log(f)));
  return r.changes.filter((c) => c.factor === null || c.factor === undefined || Math.abs(c.factor - 1) > 0.001).sort((x, y) => size(y.factor) - size(x.factor));
}

/** A CDF's points in ms, starting from 0 at its first latency (so that a distribution of one
 * value, a single point, is drawn as its step). */
const points = (cdf: readonly (readonly number[])[]) => {
  const p = cdf.filter(([x]) => x > 0).map(([x, f]) => [x * 1e3, f]);
  return p.length > 0 && p[0][1] > 0 ? [[p[0][0], 0], ...p] : p;
};

/** One entry's latency CDF: measured (the traces' root spans) against simulated with the
 * model as given and as calibrated, on a log time axis. */
export function cdfChart(c: EntryCdf): EChartsOption {
  return {
    animation: false,
    color: [PALETTE[0], PALETTE[1], PALETTE[2]],
    textStyle: { fontFamily: "DejaVu Sans, system-ui, sans-serif" },
    tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? v.toFixed(3) : String(v)) },
    legend: { top: 0, right: 8 },
    grid: { left: 70, right: 24, top: 40, bottom: 50 },
    xAxis: { type: "log", name: "latency [ms]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "fraction ≤ x", min: 0, max: 1 },
    series: [
      { type: "line", name: "measured (traces)", showSymbol: false, step: "end", lineStyle: { width: 3 }, data: points(c.observed) },
      { type: "line", name: "simulated, model as given", showSymbol: false, step: "end", lineStyle: { type: "dashed" }, data: points(c.before) },
      { type: "line", name: "simulated, calibrated", showSymbol: false, step: "end", data: points(c.after) },
    ],
  };
}

/** The largest vertical distance between two CDFs given as `[x, F]` step points (F(x) is the
 * fraction of the last point at or left of x): the Kolmogorov–Smirnov distance of what the
 * chart draws. */
export function cdfDistance(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  const at = (c: readonly (readonly number[])[], x: number) => {
    let f = 0;
    for (const [px, pf] of c) {
      if (px <= x) f = pf;
      else break;
    }
    return f;
  };
  let d = 0;
  for (const [x] of [...a, ...b]) d = Math.max(d, Math.abs(at(a, x) - at(b, x)));
  return d;
}
