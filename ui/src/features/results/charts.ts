// ECharts options for every results view, as pure functions of the results document (shared
// by the app and the HTML report of `archsim report`).
import type { EChartsOption, SeriesOption } from "echarts";
import type { Results } from "../../api/types";

type Stat = Results["variants"][number]["memory_provisioned_gb"];
/** A mean with its 95% interval, as every results figure. */
export type StatLike = Stat;

export const PALETTE = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777"];

const base: EChartsOption = {
  animation: false,
  color: PALETTE,
  textStyle: { fontFamily: "DejaVu Sans, system-ui, sans-serif" },
  tooltip: { trigger: "axis" },
  legend: { top: 0 },
  grid: { left: 70, right: 24, top: 40, bottom: 50 },
};

export function entryNames(r: Results): string[] {
  return Object.keys(r.variants[0]?.entries ?? {});
}

const ms = (s: number) => s * 1e3;

/** The name of an interval series: a 95% interval needs at least two replications. */
export function ci(r: Results): string {
  return r.replications >= 2 ? "95% CI" : "one replication: no interval";
}

/** Error bars (95% intervals) drawn as whiskers over categories. */
function whiskers(name: string, points: [number | string, number, number][], horizontal = false): SeriesOption {
  return {
    type: "custom",
    name,
    silent: true,
    z: 10,
    renderItem: (_params: unknown, api: any) => {
      const c = api.value(0);
      const lo = api.value(1);
      const hi = api.value(2);
      const a = horizontal ? api.coord([lo, c]) : api.coord([c, lo]);
      const b = horizontal ? api.coord([hi, c]) : api.coord([c, hi]);
      const w = 6;
      const style = { stroke: "#111", lineWidth: 1.2 };
      const line = (x1: number, y1: number, x2: number, y2: number) => ({ type: "line", shape: { x1, y1, x2, y2 }, style });
      return {
        type: "group",
        children: horizontal
          ? [line(a[0], a[1], b[0], b[1]), line(a[0], a[1] - w, a[0], a[1] + w), line(b[0], b[1] - w, b[0], b[1] + w)]
          : [line(a[0], a[1], b[0], b[1]), line(a[0] - w, a[1], a[0] + w, a[1]), line(b[0] - w, b[1], b[0] + w, b[1])],
      };
    },
    encode: horizontal ? { x: [1, 2], y: 0 } : { x: 0, y: [1, 2] },
    data: points,
  } as SeriesOption;
}

/** Latency CDF of one entry, every variant overlaid (log time axis). */
export function latencyCdf(r: Results, entry: string): EChartsOption {
  return {
    ...base,
    tooltip: { trigger: "axis", valueFormatter: (v) => (typeof v === "number" ? v.toFixed(3) : String(v)) },
    xAxis: { type: "log", name: "latency [ms]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "fraction ≤ x", min: 0, max: 1 },
    series: r.variants.map((v) => ({
      type: "line",
      name: v.name,
      showSymbol: false,
      step: "end",
      data: (v.entries[entry]?.latency_cdf ?? []).filter(([x]) => x > 0).map(([x, f]) => [ms(x), f]),
    })),
  };
}

/** The latency figures drawn as percentiles (the `Stat` fields of a latency result). */
type Pct = "mean" | "p50" | "p90" | "p95" | "p99" | "p999";

const PCTS: [string, Pct][] = [
  ["mean", "mean"],
  ["p50", "p50"],
  ["p90", "p90"],
  ["p95", "p95"],
  ["p99", "p99"],
  ["p99.9", "p999"],
];

/** Percentiles of one entry per variant: bars with 95% intervals over the replications. */
export function percentiles(r: Results, entry: string): EChartsOption {
  const cats = PCTS.map(([l]) => l);
  const series: SeriesOption[] = [];
  r.variants.forEach((v) => {
    const lat = v.entries[entry]?.latency_s;
    if (!lat) return;
    series.push({ type: "bar", name: v.name, data: PCTS.map(([, k]) => ms(lat[k].mean)) });
  });
  // whiskers: one custom series per variant, offset to sit on its bar
  const n = r.variants.length;
  r.variants.forEach((v, i) => {
    const lat = v.entries[entry]?.latency_s;
    if (!lat) return;
    const s = whiskers(`${v.name} ${ci(r)}`, PCTS.map(([, k], j) => [j + (i + 0.5) / n - 0.5, ms(lat[k].ci95_low), ms(lat[k].ci95_high)]));
    series.push(s);
  });
  return {
    ...base,
    legend: { top: 0, data: r.variants.map((v) => v.name) },
    xAxis: [
      { type: "category", data: cats },
      { type: "value", min: -0.5, max: cats.length - 0.5, show: false },
    ],
    yAxis: { type: "value", name: "latency [ms]", axisLine: { onZero: false } },
    series: series.map((s) => (s.type === "custom" ? { ...s, xAxisIndex: 1 } : s)) as SeriesOption[],
  };
}

/** One metric of one entry over simulated time, every variant overlaid. */
export function overTime(
  r: Results,
  entry: string,
  metric: "p50_s" | "p99_s" | "throughput_per_s" | "errors_per_s",
): EChartsOption {
  const latency = metric === "p50_s" || metric === "p99_s";
  return {
    ...base,
    xAxis: { type: "value", name: "time [s]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: latency ? "latency [ms]" : "per second" },
    series: r.variants.map((v) => {
      const ys = (v.series.entries[entry] as unknown as Record<string, (number | null)[]> | undefined)?.[metric] ?? [];
      return {
        type: "line",
        name: v.name,
        showSymbol: false,
        // A window without a completed request has no latency (null): a gap, not a 0.
        data: v.series.t_s.map((t, i) => {
          const y = ys[i];
          return [t, y == null ? null : latency ? ms(y) : y];
        }),
      } as SeriesOption;
    }),
  };
}

function nodeBars(r: Results, pick: (s: NodeStat) => Stat, unit: string, scale = 1): EChartsOption {
  const names: string[] = [];
  for (const v of r.variants)
    for (const [k] of [...Object.entries(v.units).map(([k]) => [`unit ${k}`]), ...Object.entries(v.databases).map(([k]) => [`db ${k}`])])
      if (!names.includes(k)) names.push(k);
  const get = (v: Results["variants"][number], label: string): Stat | undefined => {
    const [kind, name] = [label.slice(0, label.indexOf(" ")), label.slice(label.indexOf(" ") + 1)];
    const n = kind === "unit" ? v.units[name] : v.databases[name];
    return n ? pick(n) : undefined;
  };
  const n = r.variants.length;
  const series: SeriesOption[] = r.variants.map((v) => ({
    type: "bar",
    name: v.name,
    data: names.map((l) => {
      const s = get(v, l);
      return s ? s.mean * scale : null;
    }),
  }));
  r.variants.forEach((v, i) =>
    series.push({
      ...whiskers(
        `${v.name} ${ci(r)}`,
        names.flatMap((l, j) => {
          const s = get(v, l);
          return s ? [[j + (i + 0.5) / n - 0.5, s.ci95_low * scale, s.ci95_high * scale] as [number, number, number]] : [];
        }),
      ),
      xAxisIndex: 1,
    } as SeriesOption),
  );
  return {
    ...base,
    legend: { top: 0, data: r.variants.map((v) => v.name) },
    grid: { ...(base.grid as object), bottom: 80 },
    xAxis: [
      { type: "category", data: names, axisLabel: { rotate: 20 } },
      { type: "value", min: -0.5, max: names.length - 0.5, show: false },
    ],
    yAxis: { type: "value", name: unit, axisLine: { onZero: false } },
    series,
  };
}

type NodeStat = Results["variants"][number]["units"][string];

/** Utilization of every unit and database, per variant, with 95% intervals. */
export function utilization(r: Results): EChartsOption {
  const o = nodeBars(r, (n) => n.utilization, "utilization ρ");
  return {
    ...o,
    series: [
      ...(o.series as SeriesOption[]),
      { type: "line", name: "ρ = 1", data: [], markLine: { silent: true, symbol: "none", lineStyle: { color: "#dc2626", type: "dashed" }, data: [{ yAxis: 1 }] } },
    ],
  };
}

/** Mean queue length (requests waiting) of every unit and database, per variant. */
export function queueLength(r: Results): EChartsOption {
  return nodeBars(r, (n) => n.mean_in_queue, "requests waiting");
}

/** Utilization of every unit over time (first entry's variant overlay: one line per unit). */
export function utilizationOverTime(r: Results, variant: number): EChartsOption {
  const v = r.variants[variant];
  return {
    ...base,
    xAxis: { type: "value", name: "time [s]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "utilization ρ" },
    series: Object.entries(v?.series.nodes ?? {}).map(([name, s]) => ({
      type: "line",
      name,
      showSymbol: false,
      data: v.series.t_s.map((t, i) => [t, s.utilization[i] ?? 0]),
    })),
  };
}

const DIFFS: [string, "latency_mean_s" | "latency_p50_s" | "latency_p99_s"][] = [
  ["mean", "latency_mean_s"],
  ["p50", "latency_p50_s"],
  ["p99", "latency_p99_s"],
];

/** Paired differences (variant − baseline) of every entry's latency, with 95% intervals. */
export function pairedDifferences(r: Results): EChartsOption {
  const cats: string[] = [];
  const bars: Record<string, (number | null)[]> = {};
  const points: Record<string, [number, number, number][]> = {};
  for (const c of r.comparisons) {
    bars[c.variant] = [];
    points[c.variant] = [];
  }
  let i = 0;
  for (const entry of entryNames(r))
    for (const [label, key] of DIFFS) {
      cats.push(`${entry} ${label}`);
      r.comparisons.forEach((c, ci) => {
        const s = c.entries[entry]?.[key];
        bars[c.variant].push(s ? ms(s.mean) : null);
        if (s) points[c.variant].push([i + (ci + 0.5) / r.comparisons.length - 0.5, ms(s.ci95_low), ms(s.ci95_high)]);
      });
      i++;
    }
  const series: SeriesOption[] = r.comparisons.map((c) => ({
    type: "bar",
    name: `${c.variant} − ${c.baseline}`,
    data: bars[c.variant],
  }));
  r.comparisons.forEach((c) => series.push({ ...whiskers(`${c.variant} ${ci(r)}`, points[c.variant], true), yAxisIndex: 1 } as SeriesOption));
  return {
    ...base,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, data: r.comparisons.map((c) => `${c.variant} − ${c.baseline}`) },
    grid: { left: 120, right: 30, top: 40, bottom: 50 },
    // onZero: false, else the axis line is drawn at 0 of the hidden index axis (the first row)
    xAxis: { type: "value", name: "difference [ms]", nameLocation: "middle", nameGap: 28, axisLine: { onZero: false } },
    yAxis: [
      { type: "category", data: cats, inverse: true },
      { type: "value", min: -0.5, max: cats.length - 0.5, show: false, inverse: true },
    ],
    series,
  };
}

/** Memory provisioned per variant [GB], with 95% intervals. */
export function memory(r: Results): EChartsOption {
  return {
    ...base,
    legend: { show: false },
    xAxis: { type: "category", data: r.variants.map((v) => v.name) },
    yAxis: { type: "value", name: "memory provisioned [GB]" },
    series: [
      {
        type: "bar",
        name: "memory",
        data: r.variants.map((v, i) => ({ value: v.memory_provisioned_gb.mean, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      },
      whiskers(ci(r), r.variants.map((v, i) => [i, v.memory_provisioned_gb.ci95_low, v.memory_provisioned_gb.ci95_high])),
    ],
  };
}

/** Failed requests per reason, per entry and variant (only when some failed). */
export function failures(r: Results): EChartsOption | null {
  const reasons = new Set<string>();
  for (const v of r.variants)
    for (const e of Object.values(v.entries))
      for (const [k, s] of Object.entries(e.failed_by_reason)) if (s.mean > 0) reasons.add(k);
  if (reasons.size === 0) return null;
  const cats = r.variants.flatMap((v) => Object.keys(v.entries).map((e) => `${v.name}: ${e}`));
  return {
    ...base,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: cats, axisLabel: { rotate: 20 } },
    yAxis: { type: "value", name: "failed requests" },
    grid: { ...(base.grid as object), bottom: 80 },
    series: [...reasons].map((reason) => ({
      type: "bar",
      stack: "failed",
      name: reason,
      data: r.variants.flatMap((v) => Object.values(v.entries).map((e) => e.failed_by_reason[reason]?.mean ?? 0)),
    })),
  };
}

/** The chart a scenario's lesson points at: the paired differences when there are several
 * variants, else the latency CDF. */
export function headlineChart(r: Results): "comparison" | "cdf" {
  return r.comparisons.length > 0 ? "comparison" : "cdf";
}

type Variant = Results["variants"][number];
type Cost = NonNullable<Variant["cost"]>;

const ZERO: Stat = { mean: 0, ci95_low: 0, ci95_high: 0, min: 0, max: 0 };
/** A variant's bill (documents written before costs were modelled have none: zero). */
export function costOf(v: Variant): Cost {
  return v.cost ?? { per_month_usd: ZERO, window_usd: ZERO, per_million_requests_usd: ZERO, by_resource: {} };
}

/** Whether the run billed anything (a priced node): the cost charts are drawn only then. */
export function hasCost(r: Results): boolean {
  return r.variants.some((v) => costOf(v).per_month_usd.mean !== 0 || Object.keys(costOf(v).by_resource).length > 0);
}

/** Cost per month per variant, stacked by billed resource (every unit, database, gateway, …,
 * keyed by kind and name so that a unit and a database of the same name stay two bars), with
 * the 95% interval of the total. */
export function costByNode(r: Results): EChartsOption {
  const keys: string[] = [];
  const label = new Map<string, string>();
  for (const v of r.variants) {
    for (const [k, l] of Object.entries(costOf(v).by_resource)) {
      if (!keys.includes(k)) keys.push(k);
      label.set(k, `${l.kind} ${l.name}`);
    }
  }
  const lines = keys.map((k) => label.get(k) ?? k);
  const series: SeriesOption[] = keys.map((key, i) => ({
    type: "bar",
    stack: "cost",
    name: lines[i],
    data: r.variants.map((v) => costOf(v).by_resource[key]?.per_month_usd.mean ?? 0),
  }));
  series.push(whiskers(`total ${ci(r)}`, r.variants.map((v, i) => [i, costOf(v).per_month_usd.ci95_low, costOf(v).per_month_usd.ci95_high])));
  return {
    ...base,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, type: "scroll", data: lines },
    xAxis: { type: "category", data: r.variants.map((v) => v.name) },
    yAxis: { type: "value", name: "USD per month" },
    series,
  };
}

/** Cost per million requests per variant (the window's bill over the requests that arrived),
 * with 95% intervals. */
export function costPerMillion(r: Results): EChartsOption {
  return {
    ...base,
    legend: { show: false },
    xAxis: { type: "category", data: r.variants.map((v) => v.name) },
    yAxis: { type: "value", name: "USD per million requests" },
    series: [
      {
        type: "bar",
        name: "per million requests",
        data: r.variants.map((v, i) => ({ value: costOf(v).per_million_requests_usd.mean, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      },
      whiskers(ci(r), r.variants.map((v, i) => [i, costOf(v).per_million_requests_usd.ci95_low, costOf(v).per_million_requests_usd.ci95_high])),
    ],
  };
}

/** Instances of every unit and database over simulated time (a serverless unit's live
 * instances, an autoscaled unit's replicas), one line per variant and node. */
export function instancesOverTime(r: Results): EChartsOption {
  const series: SeriesOption[] = [];
  r.variants.forEach((v) => {
    for (const [name, s] of Object.entries(v.series.nodes)) {
      if (!s.instances?.length) continue;
      series.push({
        type: "line",
        name: r.variants.length > 1 ? `${v.name} · ${name}` : name,
        showSymbol: false,
        step: "end",
        data: v.series.t_s.map((t, i) => [t, s.instances[i] ?? 0]),
      });
    }
  });
  return {
    ...base,
    legend: { top: 0, type: "scroll" },
    xAxis: { type: "value", name: "time [s]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "instances" },
    series,
  };
}

/** Serverless units of the results: `variant · unit` → their function figures. */
export function functionNodes(r: Results): { label: string; variant: number; f: NonNullable<Variant["units"][string]["function"]> }[] {
  const out: { label: string; variant: number; f: NonNullable<Variant["units"][string]["function"]> }[] = [];
  r.variants.forEach((v, vi) => {
    for (const [name, u] of Object.entries(v.units)) if (u.function) out.push({ label: `${v.name} · ${name}`, variant: vi, f: u.function });
  });
  return out;
}

/** Serverless functions: cold starts and throttles per variant and unit (bars, 95% intervals),
 * mean and peak concurrency (lines on the right axis); null without serverless units. */
export function functions(r: Results): EChartsOption | null {
  const fs = functionNodes(r);
  if (fs.length === 0) return null;
  const cats = fs.map((x) => x.label);
  const n = 2;
  const bar = (name: string, pick: (f: (typeof fs)[number]["f"]) => Stat, i: number): SeriesOption[] => [
    { type: "bar", name, data: fs.map((x) => pick(x.f).mean) },
    {
      ...whiskers(`${name} ${ci(r)}`, fs.map((x, j) => [j + (i + 0.5) / n - 0.5, pick(x.f).ci95_low, pick(x.f).ci95_high])),
      xAxisIndex: 1,
    } as SeriesOption,
  ];
  return {
    ...base,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, data: ["cold starts", "throttles", "mean concurrency", "peak concurrency"] },
    grid: { ...(base.grid as object), right: 70, bottom: 80 },
    xAxis: [
      { type: "category", data: cats, axisLabel: { rotate: 15 } },
      { type: "value", min: -0.5, max: cats.length - 0.5, show: false },
    ],
    yAxis: [
      { type: "value", name: "invocations", axisLine: { onZero: false } },
      { type: "value", name: "concurrency", position: "right", splitLine: { show: false }, axisLine: { onZero: false } },
    ],
    series: [
      ...bar("cold starts", (f) => f.cold_starts, 0),
      ...bar("throttles", (f) => f.throttles, 1),
      { type: "line", name: "mean concurrency", yAxisIndex: 1, data: fs.map((x) => x.f.mean_concurrency.mean) },
      { type: "line", name: "peak concurrency", yAxisIndex: 1, lineStyle: { type: "dashed" }, data: fs.map((x) => x.f.peak_concurrency.mean) },
    ],
  };
}

/** Whether any variant has failure-propagation results (a matrix, breakers or faults). */
export function hasFailures(r: Results): boolean {
  return r.variants.some(
    (v) => Object.keys(v.resilience.failure_origins).length > 0 || v.resilience.breaker_changes.length > 0 || v.resilience.blast_radius.length > 0,
  );
}

/** The origin × entry matrix of one variant: rows (origins), columns (entries) and the mean
 * failed requests of every pair (0 where a pair never failed). */
export function failureMatrix(v: Variant): { origins: string[]; entries: string[]; counts: number[][] } {
  const origins = Object.keys(v.resilience.failure_origins);
  const entries = Object.keys(v.entries);
  for (const per of Object.values(v.resilience.failure_origins)) for (const e of Object.keys(per)) if (!entries.includes(e)) entries.push(e);
  const counts = origins.map((o) => entries.map((e) => v.resilience.failure_origins[o][e]?.mean ?? 0));
  return { origins, entries, counts };
}

/** The origin × entry matrix of one variant as a heat map (failed requests in the measured
 * interval, mean over replications). */
export function failureHeatmap(r: Results, variant: number): EChartsOption {
  const v = r.variants[variant];
  const m = v ? failureMatrix(v) : { origins: [], entries: [], counts: [] };
  const data: [number, number, number][] = [];
  m.counts.forEach((row, oi) => row.forEach((c, ei) => data.push([ei, oi, c])));
  const max = Math.max(1, ...data.map((d) => d[2]));
  return {
    ...base,
    tooltip: { trigger: "item", formatter: (p: any) => `${m.origins[p.value[1]]} → ${m.entries[p.value[0]]}: ${(+p.value[2]).toFixed(1)} failed` },
    legend: { show: false },
    grid: { left: 110, right: 90, top: 30, bottom: 60 },
    xAxis: { type: "category", data: m.entries, name: "entry", nameLocation: "middle", nameGap: 30, splitArea: { show: true } },
    yAxis: { type: "category", data: m.origins, name: "failure began at", splitArea: { show: true } },
    visualMap: { min: 0, max, calculable: true, orient: "vertical", right: 0, top: "middle", inRange: { color: ["#fef2f2", "#fca5a5", "#dc2626", "#7f1d1d"] } },
    series: [{ type: "heatmap", name: "failed requests", data, label: { show: true, formatter: (p: any) => (+p.value[2]).toFixed(0) } }],
  };
}

/** Failures per second of one window: per origin node (summed over entries) and per entry
 * (summed over origins), from `failure_origins_series`. */
export function failuresAt(v: Variant, window: number): { byOrigin: Record<string, number>; byEntry: Record<string, number> } {
  const byOrigin: Record<string, number> = {};
  const byEntry: Record<string, number> = {};
  for (const [o, per] of Object.entries(v.resilience.failure_origins_series))
    for (const [e, ys] of Object.entries(per)) {
      const y = ys[window] ?? 0;
      byOrigin[o] = (byOrigin[o] ?? 0) + y;
      byEntry[e] = (byEntry[e] ?? 0) + y;
    }
  return { byOrigin, byEntry };
}

/** The window with the most failures answered (summed over entries); 0 when none failed. */
export function peakWindow(v: Variant): number {
  let best = 0;
  let at = 0;
  for (let w = 0; w < v.series.t_s.length; w++) {
    const total = Object.values(failuresAt(v, w).byEntry).reduce((a, b) => a + b, 0);
    if (total > best) [best, at] = [total, w];
  }
  return at;
}

/** A node of the replay graph: an id, a label, where it sits, and which failure origin it is. */
export interface ReplayNode {
  id: string;
  label: string;
  x: number;
  y: number;
  kind: "entry" | "gateway" | "unit" | "database";
  /** The name failures are attributed to in `failure_origins` (the unit, database or `gateway`). */
  origin?: string;
}

export interface ReplayLayout {
  nodes: ReplayNode[];
  edges: { source: string; target: string }[];
}

/** Without the model's graph (the HTML report): entries on the left, origins on the right, an
 * edge wherever an origin ever failed requests of an entry. */
export function bipartiteLayout(v: Variant): ReplayLayout {
  const m = failureMatrix(v);
  const nodes: ReplayNode[] = [
    ...m.entries.map((e, i) => ({ id: `entry:${e}`, label: e, x: 0, y: i * 80, kind: "entry" as const })),
    ...m.origins.map((o, i) => ({ id: `origin:${o}`, label: o, x: 300, y: i * 80, kind: (o === "gateway" ? "gateway" : "unit") as ReplayNode["kind"], origin: o })),
  ];
  const edges = m.origins.flatMap((o, oi) => m.entries.flatMap((e, ei) => (m.counts[oi][ei] > 0 ? [{ source: `entry:${e}`, target: `origin:${o}` }] : [])));
  return { nodes, edges };
}

/** The colour of a failure rate on a 0..max scale (white → dark red). */
export function heat(rate: number, max: number): string {
  if (!(rate > 0) || !(max > 0)) return "#f8fafc";
  const t = Math.min(1, rate / max);
  const lerp = (a: number, b: number) => Math.round(a + (b - a) * t);
  return `rgb(${lerp(254, 127)}, ${lerp(202, 29)}, ${lerp(202, 29)})`;
}

/** Failure-propagation replay: the graph (units, databases, gateway, entries) with every node
 * coloured by the failures per second of window `window` — origins by the failures that began
 * there, entries by the failures they answered — and every edge by its target's rate. The
 * scale is the highest per-window rate of the run, so colours compare across windows. */
export function failureReplay(r: Results, variant: number, window: number, layout?: ReplayLayout): EChartsOption {
  const v = r.variants[variant];
  if (!v) return { ...base, series: [] };
  const g = layout ?? bipartiteLayout(v);
  const now = failuresAt(v, window);
  let max = 0;
  for (let w = 0; w < v.series.t_s.length; w++) {
    const a = failuresAt(v, w);
    max = Math.max(max, ...Object.values(a.byOrigin), ...Object.values(a.byEntry));
  }
  const rateOf = (n: ReplayNode) => (n.kind === "entry" ? (now.byEntry[n.label] ?? 0) : n.origin ? (now.byOrigin[n.origin] ?? 0) : 0);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const t = v.series.t_s[window];
  return {
    ...base,
    title: { text: `t = ${t !== undefined ? t.toFixed(0) : "?"} s`, right: 10, top: 0, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "item" },
    legend: { show: false },
    series: [
      {
        type: "graph",
        layout: "none",
        roam: false,
        symbol: "roundRect",
        symbolSize: [130, 48],
        edgeSymbol: ["none", "arrow"],
        label: { show: true, lineHeight: 16, formatter: (p: any) => `${p.data.name}\n${(+p.data.value).toFixed(1)}/s` },
        data: g.nodes.map((n) => {
          const rate = rateOf(n);
          return {
            id: n.id,
            name: n.label,
            x: n.x,
            y: n.y,
            value: rate,
            itemStyle: { color: heat(rate, max), borderColor: n.kind === "entry" ? "#059669" : n.kind === "database" ? "#d97706" : n.kind === "gateway" ? "#7c3aed" : "#2563eb", borderWidth: 2 },
            label: { color: rate > 0.6 * max && max > 0 ? "#fff" : "#111" },
          };
        }),
        links: g.edges.map((e) => {
          const target = byId.get(e.target);
          const rate = target ? rateOf(target) : 0;
          return { source: e.source, target: e.target, lineStyle: { color: rate > 0 ? heat(rate, max) : "#94a3b8", width: rate > 0 ? 3 : 1.2 } };
        }),
      } as SeriesOption,
    ],
  };
}

/** Bars of one `Stat` per labelled item and variant (variants side by side) with their 95%
 * intervals as whiskers; `items(v)` lists a variant's labelled figures (absent items are gaps). */
export function statBars(r: Results, items: (v: Variant) => [string, Stat][], unit: string, scale = 1): EChartsOption {
  const names: string[] = [];
  const per = r.variants.map((v) => new Map(items(v)));
  for (const m of per) for (const k of m.keys()) if (!names.includes(k)) names.push(k);
  const n = r.variants.length;
  const series: SeriesOption[] = r.variants.map((v, i) => ({
    type: "bar",
    name: v.name,
    data: names.map((l) => {
      const s = per[i].get(l);
      return s ? s.mean * scale : null;
    }),
  }));
  r.variants.forEach((v, i) =>
    series.push({
      ...whiskers(
        `${v.name} ${ci(r)}`,
        names.flatMap((l, j) => {
          const s = per[i].get(l);
          return s ? [[j + (i + 0.5) / n - 0.5, s.ci95_low * scale, s.ci95_high * scale] as [number, number, number]] : [];
        }),
      ),
      xAxisIndex: 1,
    } as SeriesOption),
  );
  return {
    ...base,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0, data: r.variants.map((v) => v.name) },
    grid: { ...(base.grid as object), bottom: 80 },
    xAxis: [
      { type: "category", data: names, axisLabel: { rotate: names.length > 4 ? 20 : 0 } },
      { type: "value", min: -0.5, max: names.length - 0.5, show: false },
    ],
    yAxis: { type: "value", name: unit, axisLine: { onZero: false } },
    series,
  };
}

type Component = NonNullable<Variant["components"]>[string];

/** Whether any variant has front-door nodes (gateway with instances, load balancers, cache
 * nodes, CDN) or caches. */
export function hasComponents(r: Results): boolean {
  return r.variants.some((v) => Object.keys(v.components ?? {}).length > 0 || Object.keys(v.caches ?? {}).length > 0);
}

/** The components' label: `kind name` (`gateway`, `load_balancer alb`, `cache redis`, `cdn`). */
function componentLabel(name: string, c: Component): string {
  return c.kind === name ? name : `${c.kind.replace("_", " ")} ${name}`;
}

/** One figure of every front-door node (throughput, utilization, rejected — at the gateway
 * including the rate-limited), per variant with 95% intervals. */
export function components(r: Results, pick: (c: Component) => Stat, unit: string, scale = 1): EChartsOption {
  return statBars(r, (v) => Object.entries(v.components ?? {}).map(([k, c]) => [componentLabel(k, c), pick(c)]), unit, scale);
}

/** Hit ratio of every cache decision point (gateway routes, CDN, cache nodes), per variant. */
export function cacheHitRatios(r: Results): EChartsOption {
  const o = statBars(r, (v) => Object.entries(v.caches ?? {}).map(([k, c]) => [k, c.hit_ratio]), "hit ratio");
  return { ...o, yAxis: { type: "value", name: "hit ratio", min: 0, max: 1, axisLine: { onZero: false } } };
}

/** Rows of the components table: variant, label, kind and the node and cache figures. */
export function componentRows(r: Results): { variant: string; name: string; kind: string; c?: Component; cache?: NonNullable<Variant["caches"]>[string] }[] {
  const out: { variant: string; name: string; kind: string; c?: Component; cache?: NonNullable<Variant["caches"]>[string] }[] = [];
  for (const v of r.variants) {
    for (const [k, c] of Object.entries(v.components ?? {})) out.push({ variant: v.name, name: k, kind: c.kind, c, cache: v.caches?.[k] });
    for (const [k, cache] of Object.entries(v.caches ?? {})) if (!v.components?.[k]) out.push({ variant: v.name, name: k, kind: "cache", cache });
  }
  return out;
}

/** Units with a connection pool: `variant · unit` → the pool figures. */
export function poolNodes(r: Results): { label: string; variant: string; unit: string; pool: NonNullable<NodeStat["pool"]> }[] {
  const out: { label: string; variant: string; unit: string; pool: NonNullable<NodeStat["pool"]> }[] = [];
  for (const v of r.variants) for (const [k, u] of Object.entries(v.units)) if (u.pool) out.push({ label: `${v.name} · ${k}`, variant: v.name, unit: k, pool: u.pool });
  return out;
}

/** Pool saturation (connections in use / size) of every unit with a pool, per variant (95% CI). */
export function poolSaturation(r: Results): EChartsOption {
  return statBars(r, (v) => Object.entries(v.units).flatMap(([k, u]) => (u.pool ? [[k, u.pool.saturation] as [string, Stat]] : [])), "saturation");
}

/** Mean wait for a pool connection [ms] of every unit with a pool, per variant (95% CI). */
export function poolWait(r: Results): EChartsOption {
  return statBars(r, (v) => Object.entries(v.units).flatMap(([k, u]) => (u.pool ? [[k, u.pool.wait_mean_s] as [string, Stat]] : [])), "wait [ms]", 1e3);
}

/** Whether any unit reports worker saturation. */
export function hasWorkerSaturation(r: Results): boolean {
  return r.variants.some((v) => Object.values(v.units).some((u) => u.worker_saturation !== undefined));
}

/** Worker saturation (time-averaged workers in use / workers) of every unit, per variant. */
export function workerSaturation(r: Results): EChartsOption {
  const o = statBars(r, (v) => Object.entries(v.units).flatMap(([k, u]) => (u.worker_saturation ? [[k, u.worker_saturation] as [string, Stat]] : [])), "workers in use / workers");
  return { ...o, yAxis: { type: "value", name: "workers in use / workers", min: 0, max: 1, axisLine: { onZero: false } } };
}

/** Autoscaled units: `variant · unit` → their autoscaling figures, with the variant's index. */
export function autoscaledNodes(r: Results): { label: string; variant: number; unit: string; a: NonNullable<NodeStat["autoscaling"]> }[] {
  const out: { label: string; variant: number; unit: string; a: NonNullable<NodeStat["autoscaling"]> }[] = [];
  r.variants.forEach((v, vi) => {
    for (const [k, u] of Object.entries(v.units)) if (u.autoscaling) out.push({ label: `${v.name} · ${k}`, variant: vi, unit: k, a: u.autoscaling });
  });
  return out;
}

/** Instances of every autoscaled unit over time: ready instances (`series.nodes.<unit>.instances`,
 * solid) and instances starting (`instances_starting`, dashed), one pair per variant and unit;
 * null without autoscaled units. */
export function autoscaling(r: Results): EChartsOption | null {
  const nodes = autoscaledNodes(r);
  if (nodes.length === 0) return null;
  const series: SeriesOption[] = [];
  nodes.forEach(({ label, variant, unit }, i) => {
    const v = r.variants[variant];
    const s = v.series.nodes[unit];
    if (!s) return;
    const color = PALETTE[i % PALETTE.length];
    series.push({ type: "line", name: `${label} ready`, showSymbol: false, step: "end", itemStyle: { color }, data: v.series.t_s.map((t, j) => [t, s.instances[j] ?? 0]) });
    series.push({
      type: "line",
      name: `${label} starting`,
      showSymbol: false,
      step: "end",
      itemStyle: { color },
      lineStyle: { type: "dashed" },
      data: v.series.t_s.map((t, j) => [t, s.instances_starting?.[j] ?? 0]),
    });
  });
  return {
    ...base,
    legend: { top: 0, type: "scroll" },
    xAxis: { type: "value", name: "time [s]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "instances" },
    series,
  };
}

/** Random-failure faults (`mtbf`/`mttr`) of every variant: one row per fault and entry. */
export function randomBlastRows(r: Results): { variant: string; fault: string; episodes: Stat; degradedFraction: Stat; meanDegradedS: Stat; failures: Stat; entry: string; affected: boolean; during: Stat; rateDuring: Stat; rateOutside: Stat }[] {
  return r.variants.flatMap((v) =>
    (v.resilience.random_blast_radius ?? []).flatMap((b) =>
      Object.entries(b.entries).map(([entry, e]) => ({
        variant: v.name,
        fault: b.fault,
        episodes: b.episodes,
        degradedFraction: b.degraded_fraction,
        meanDegradedS: b.mean_degraded_s,
        failures: b.failures,
        entry,
        affected: b.entries_affected.includes(entry),
        during: e.failed_during,
        rateDuring: e.failure_rate_during_per_s,
        rateOutside: e.failure_rate_outside_per_s,
      })),
    ),
  );
}
