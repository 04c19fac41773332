// What every chart does to its options before drawing: numbers in tooltips rounded with the
// unit of the value axis (an interval as both ends), one colour per variant whatever the order
// the series come in, and whether there is anything to draw at all.
import type { EChartsOption, SeriesOption } from "echarts";
import { PALETTE } from "./charts";

/** A number for people: at most 4 significant digits, no exponent for everyday magnitudes. */
export function fmtNum(v: unknown): string {
  if (typeof v !== "number") return v === null || v === undefined ? "—" : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e7 || a < 1e-4) return v.toExponential(2);
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  return String(+v.toPrecision(4));
}

/** The unit of an axis name: `latency [ms]` → `ms`; a name without brackets is the unit. */
export function unitOf(axisName: unknown): string {
  if (typeof axisName !== "string") return "";
  const m = /\[([^\]]+)\]/.exec(axisName);
  return m ? m[1] : "";
}

function valueAxisUnit(o: EChartsOption): string {
  const axes = [o.yAxis, o.xAxis].flatMap((a) => (Array.isArray(a) ? a : a ? [a] : [])) as { type?: string; name?: string; show?: boolean }[];
  const v = axes.find((a) => (a.type === "value" || a.type === "log") && a.show !== false);
  return unitOf(v?.name);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Param = any;

/** One tooltip line: a whisker series' value is [position, low, high], shown as both ends. */
export function tooltipLine(p: Param, unit: string): string {
  const u = unit ? ` ${unit}` : "";
  const v = p.value;
  let text: string;
  if (p.seriesType === "custom" && Array.isArray(v) && v.length >= 3) text = `${fmtNum(v[1])} – ${fmtNum(v[2])}${u}`;
  else if (Array.isArray(v)) text = `${fmtNum(v[v.length - 1])}${u}`;
  else text = `${fmtNum(v)}${u}`;
  return `${p.marker ?? ""}${p.seriesName ? `${p.seriesName}: ` : ""}${text}`;
}

/** Adds a formatter to a tooltip that has none: rounded values with the value axis's unit. */
export function withReadableTooltips(o: EChartsOption): EChartsOption {
  const t = o.tooltip as { formatter?: unknown; valueFormatter?: unknown; trigger?: string } | undefined;
  if (!t || t.formatter) return o;
  const unit = valueAxisUnit(o);
  const formatter = (params: Param) => {
    const ps: Param[] = Array.isArray(params) ? params : [params];
    const head = ps[0]?.axisValueLabel ?? (Array.isArray(params) ? "" : ps[0]?.name ?? "");
    const headText = typeof head === "number" ? fmtNum(head) : /^-?\d+\.\d{5,}$/.test(String(head)) ? fmtNum(+head) : head;
    return [headText, ...ps.filter((p) => p.value !== null && p.value !== undefined).map((p) => tooltipLine(p, unit))].filter(Boolean).join("<br/>");
  };
  return { ...o, tooltip: { ...t, valueFormatter: undefined, formatter } as EChartsOption["tooltip"] };
}

let variantOrder: string[] = [];

/** The variants in the scenario's order: variant i is drawn in PALETTE[i] everywhere. */
export function setVariantOrder(names: string[]) {
  variantOrder = [...names];
}

/** The colour of a variant (stable across runs and charts). */
export function variantColor(name: string): string | null {
  const i = variantOrder.indexOf(name);
  return i < 0 ? null : PALETTE[i % PALETTE.length];
}

/** Colours every series named after a variant (or `variant …`) with the variant's colour. */
export function withVariantColors(o: EChartsOption): EChartsOption {
  const series = o.series;
  if (!Array.isArray(series) || variantOrder.length === 0) return o;
  const colored = (series as SeriesOption[]).map((s) => {
    const name = typeof s.name === "string" ? s.name : "";
    const v = variantOrder.find((n) => name === n) ?? variantOrder.find((n) => name.startsWith(n + " "));
    if (!v || s.type === "custom" || s.type === "heatmap" || s.type === "graph") return s;
    const color = variantColor(v)!;
    const st = s as { itemStyle?: object; lineStyle?: object };
    return { ...s, color, itemStyle: { ...st.itemStyle, color }, ...(s.type === "line" ? { lineStyle: { ...st.lineStyle, color } } : {}) } as SeriesOption;
  });
  return { ...o, series: colored };
}

function hasPoint(d: unknown): boolean {
  if (d === null || d === undefined || d === "-") return false;
  if (typeof d === "number") return Number.isFinite(d);
  if (Array.isArray(d)) return d.length > 0 && d.every((x) => x !== null && x !== undefined);
  if (typeof d === "object" && "value" in (d as object)) return hasPoint((d as { value: unknown }).value);
  return true;
}

/** Whether no series has a point to draw (then the chart is replaced by a sentence). */
export function isEmpty(o: EChartsOption): boolean {
  const series = (Array.isArray(o.series) ? o.series : o.series ? [o.series] : []) as { data?: unknown[]; type?: string; nodes?: unknown[] }[];
  return !series.some((s) => (s.data ?? s.nodes ?? []).some(hasPoint));
}

/** What the chart component draws: readable tooltips and the variants' colours. */
export function finish(o: EChartsOption): EChartsOption {
  return withVariantColors(withReadableTooltips(o));
}
