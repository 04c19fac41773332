// ECharts options for every results view, as pure functions of the results document (shared
// by the app and the HTML report of `archsim report`).
import type { EChartsOption, SeriesOption } from "echarts";
import type { Results } from "../../api/types";

type Stat = Results["variants"][number]["memory_provisioned_gb"];

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

const PCTS: [string, keyof Results["variants"][number]["entries"][string]["latency_s"]][] = [
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
    const s = whiskers(`${v.name} 95% CI`, PCTS.map(([, k], j) => [j + (i + 0.5) / n - 0.5, ms(lat[k].ci95_low), ms(lat[k].ci95_high)]));
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
      const ys = (v.series.entries[entry] as unknown as Record<string, number[]> | undefined)?.[metric] ?? [];
      return {
        type: "line",
        name: v.name,
        showSymbol: false,
        data: v.series.t_s.map((t, i) => [t, latency ? ms(ys[i] ?? 0) : (ys[i] ?? 0)]),
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
        `${v.name} 95% CI`,
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
  r.comparisons.forEach((c) => series.push({ ...whiskers(`${c.variant} 95% CI`, points[c.variant], true), yAxisIndex: 1 } as SeriesOption));
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
      whiskers("95% CI", r.variants.map((v, i) => [i, v.memory_provisioned_gb.ci95_low, v.memory_provisioned_gb.ci95_high])),
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
