// ECharts options for the planning documents: a sweep's curves (latency against the swept
// value per variant, with the 95% band and the knee marked; cost against p99) and the answer
// of a capacity search (max rate per variant with its bracket). Pure functions of the
// documents of `archsim sweep --json` / `archsim capacity --json` (shared with the report).
import type { EChartsOption, SeriesOption } from "echarts";
import type { CapacityResults, Status, SweepResults } from "../../api/types";
import { costOf, PALETTE } from "../results/charts";

const base: EChartsOption = {
  animation: false,
  color: PALETTE,
  textStyle: { fontFamily: "DejaVu Sans, system-ui, sans-serif" },
  tooltip: { trigger: "axis" },
  legend: { top: 0 },
  grid: { left: 70, right: 24, top: 40, bottom: 50 },
};

/** A parameter path shortened for an axis: its last three segments. */
export function shortPath(p: string): string {
  return p.split(".").slice(-3).join(".");
}

export function sweepEntries(s: SweepResults): string[] {
  return Object.keys(s.points[0]?.variants[0]?.entries ?? {});
}

export function sweepVariants(s: SweepResults): string[] {
  return (s.points[0]?.variants ?? []).map((v) => v.name);
}

/** The curves of a sweep: points grouped by the value of the second parameter (one curve when
 * one parameter is swept), each in grid order along the first. */
export function curves(s: SweepResults): { key: number | null; points: SweepResults["points"] }[] {
  const second = s.parameters[1];
  const out: { key: number | null; points: SweepResults["points"] }[] = [];
  for (const p of s.points) {
    const key = second !== undefined ? (p.values[second] ?? null) : null;
    const c = out.find((x) => x.key === key);
    if (c) c.points.push(p);
    else out.push({ key, points: [p] });
  }
  return out;
}

type Pct = "mean" | "p50" | "p90" | "p95" | "p99" | "p999";

/** A 95% band drawn as one polygon (upper edge forward, lower edge back). */
function band(name: string, pts: [number, number, number][], color: string): SeriesOption {
  return {
    type: "custom",
    name,
    silent: true,
    z: 1,
    renderItem: (params: any, api: any) => {
      if (params.dataIndex !== 0) return null;
      const up = pts.map(([x, , hi]) => api.coord([x, hi]));
      const down = pts.map(([x, lo]) => api.coord([x, lo])).reverse();
      return { type: "polygon", shape: { points: [...up, ...down] }, style: { fill: color, opacity: 0.18 } };
    },
    encode: { x: 0, y: [1, 2] },
    data: pts,
  } as SeriesOption;
}

/** Latency (`pct`, default p99) of one entry against the first swept parameter, one line per
 * variant (and value of the second parameter), the 95% band around it, the knee marked. */
export function sweepCurves(s: SweepResults, entry: string, pct: Pct = "p99"): EChartsOption {
  const x = s.parameters[0] ?? "";
  const second = s.parameters[1];
  const series: SeriesOption[] = [];
  const names: string[] = [];
  let ci = 0;
  for (const c of curves(s)) {
    sweepVariants(s).forEach((vn, vi) => {
      const name = c.key === null ? vn : `${vn}, ${shortPath(second ?? "")}=${c.key}`;
      const color = PALETTE[ci++ % PALETTE.length];
      const pts: [number, number, number][] = [];
      const line: [number, number][] = [];
      for (const p of c.points) {
        const lat = p.variants[vi]?.entries[entry]?.latency_s;
        if (!lat) continue;
        const st = lat[pct];
        line.push([p.values[x], st.mean * 1e3]);
        pts.push([p.values[x], st.ci95_low * 1e3, st.ci95_high * 1e3]);
      }
      const knee = pct === "p99" ? s.knees.find((k) => k.variant === vn && k.entry === entry && (k.curve ?? null) === c.key) : undefined;
      names.push(name);
      series.push({
        type: "line",
        name,
        color,
        symbolSize: 6,
        data: line,
        markPoint: knee
          ? {
              symbol: "pin",
              symbolSize: 44,
              itemStyle: { color },
              label: { formatter: "knee", fontSize: 10 },
              data: [{ name: "knee", coord: [knee.values[x], knee.p99_s * 1e3], value: knee.p99_s * 1e3 }],
            }
          : undefined,
      } as SeriesOption);
      series.push(band(`${name} 95% CI`, pts, color));
    });
  }
  return {
    ...base,
    legend: { top: 0, data: names },
    xAxis: { type: "value", name: shortPath(x), nameLocation: "middle", nameGap: 28, scale: true },
    yAxis: { type: "value", name: `${pct} latency [ms]` },
    series,
  };
}

/** Cost per month against p99 latency of one entry: one point per sweep point and variant,
 * labelled with the swept value (cheaper and faster is down and to the left). */
export function costVsP99(s: SweepResults, entry: string): EChartsOption {
  const x = s.parameters[0] ?? "";
  return {
    ...base,
    tooltip: { trigger: "item", formatter: (p: any) => `${p.seriesName}: ${shortPath(x)}=${p.data[2]}<br>p99 ${(+p.data[0]).toFixed(1)} ms, ${(+p.data[1]).toFixed(0)} USD/month` },
    xAxis: { type: "value", name: `p99 latency — ${entry} [ms]`, nameLocation: "middle", nameGap: 28, scale: true },
    yAxis: { type: "value", name: "USD per month", scale: true },
    series: sweepVariants(s).map((vn, vi) => ({
      type: "line",
      name: vn,
      symbolSize: 8,
      label: { show: true, position: "top", fontSize: 10, formatter: (p: any) => String(p.data[2]) },
      data: s.points.flatMap((p) => {
        const v = p.variants[vi];
        const e = v?.entries[entry];
        return e ? [[e.latency_s.p99.mean * 1e3, costOf(v).per_month_usd.mean, p.values[x]]] : [];
      }),
    })) as SeriesOption[],
  };
}

/** The capacity answer: per variant the highest rate meeting the SLO (bar) with the bracket
 * the boundary lies in (whisker; open-ended when the SLO was met at the highest rate tried),
 * and the scenario's rate as a line. */
export function capacityChart(c: CapacityResults): EChartsOption {
  const hi = (v: CapacityResults["variants"][number]) => {
    const h = v.bracket[1] as number | null;
    return h === null || !Number.isFinite(h) ? v.max_rate : h;
  };
  return {
    ...base,
    legend: { show: false },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    xAxis: { type: "category", data: c.variants.map((v) => v.name) },
    yAxis: { type: "value", name: "requests per second" },
    series: [
      {
        type: "bar",
        name: "max rate meeting the SLO",
        data: c.variants.map((v, i) => ({ value: v.max_rate, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
        label: { show: true, position: "insideTop", color: "#fff", formatter: (p: any) => `${(+p.value).toFixed(0)}/s` },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: "#111", type: "dashed" },
          label: { formatter: `today ${c.base_rate}/s`, position: "insideEndTop" },
          data: [{ yAxis: c.base_rate }],
        },
      },
      {
        type: "custom",
        name: "bracket",
        silent: true,
        z: 10,
        renderItem: (_p: unknown, api: any) => {
          const a = api.coord([api.value(0), api.value(1)]);
          const b = api.coord([api.value(0), api.value(2)]);
          const style = { stroke: "#111", lineWidth: 1.5 };
          const w = 8;
          return {
            type: "group",
            children: [
              { type: "line", shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style },
              { type: "line", shape: { x1: a[0] - w, y1: a[1], x2: a[0] + w, y2: a[1] }, style },
              { type: "line", shape: { x1: b[0] - w, y1: b[1], x2: b[0] + w, y2: b[1] }, style },
            ],
          };
        },
        encode: { x: 0, y: [1, 2] },
        data: c.variants.map((v, i) => [i, v.bracket[0], hi(v)]),
      } as SeriesOption,
    ],
  };
}

/** The words of a capacity search's status (as `archsim capacity` prints them). */
export function statusText(s: Status): string {
  switch (s) {
    case "found":
      return "found";
    case "not_met":
      return "not met at the lowest rate tried";
    case "met_at_maximum":
      return "still met at the highest rate tried";
    case "stopped":
      return "stopped before the precision was reached";
    case "not_met_at_any_rate":
      return "not met at any rate";
    case "overload_undetectable":
      return "SLO cannot detect overload";
  }
}
