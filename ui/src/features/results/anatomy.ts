// The latency anatomy as a stacked bar per variant (one entry at a time), and the verdict, as
// pure functions of the results document (shared by the app and the HTML report).
import type { EChartsOption, SeriesOption } from "echarts";
import type { AnatomyPart, Results, Stat } from "../../api/types";
import { PALETTE } from "./charts";

/** Parts drawn per variant; the rest are summed as "other parts". */
export const MAX_PARTS = 8;

export const OTHER = "other parts";

/** Milliseconds with a precision that suits the value. */
export function fmtMs(s: number): string {
  const v = s * 1e3;
  const a = Math.abs(v);
  return a >= 100 ? `${v.toFixed(0)} ms` : a >= 1 ? `${v.toFixed(2)} ms` : `${v.toFixed(3)} ms`;
}

/** `3.00 ms (95% CI 2.99 ms – 3.01 ms)`, or the mean alone when there is no interval. */
export function withInterval(s: Stat, reps: number): string {
  if (reps < 2) return `${fmtMs(s.mean)} (one replication: no interval)`;
  if (s.ci95_high - s.ci95_low <= 0) return fmtMs(s.mean);
  return `${fmtMs(s.mean)} (95% CI ${fmtMs(s.ci95_low)} – ${fmtMs(s.ci95_high)})`;
}

export interface AnatomyBar {
  part: string;
  /** Per variant: the part, or null when the variant has no such part. */
  values: ({ mean_s: number; text: string; share: number } | null)[];
}

/** The parts of `entry` per variant, by part name, largest-first order of first appearance;
 * beyond [`MAX_PARTS`] parts of a variant the rest are summed as "other parts". */
export function anatomyBars(r: Results, entry: string): AnatomyBar[] {
  const order: string[] = [];
  const cells: Record<string, AnatomyBar["values"]> = {};
  const n = r.variants.length;
  const put = (part: string, i: number, v: AnatomyBar["values"][number]) => {
    if (!cells[part]) {
      cells[part] = new Array(n).fill(null);
      order.push(part);
    }
    cells[part][i] = v;
  };
  r.variants.forEach((v, i) => {
    const a = v.anatomy?.[entry];
    if (!a) return;
    const parts: AnatomyPart[] = a.parts;
    const head = parts.length > MAX_PARTS ? parts.slice(0, MAX_PARTS - 1) : parts;
    for (const p of head) put(p.part, i, { mean_s: p.mean_s.mean, text: withInterval(p.mean_s, r.replications), share: p.share });
    const rest = parts.slice(head.length);
    if (rest.length) {
      const mean = rest.reduce((x, p) => x + p.mean_s.mean, 0);
      const share = rest.reduce((x, p) => x + p.share, 0);
      put(OTHER, i, { mean_s: mean, text: `${fmtMs(mean)}, ${rest.length} parts (no interval for a sum of parts)`, share });
    }
  });
  const other = order.indexOf(OTHER);
  if (other >= 0) order.push(...order.splice(other, 1));
  return order.map((part) => ({ part, values: cells[part] }));
}

/** Whether any variant has an anatomy for `entry`. */
export function hasAnatomy(r: Results, entry: string): boolean {
  return r.variants.some((v) => (v.anatomy?.[entry]?.parts.length ?? 0) > 0);
}

/** A horizontal stacked bar per variant: the mean latency of `entry` split into its parts [ms]. */
export function anatomyChart(r: Results, entry: string): EChartsOption {
  const bars = anatomyBars(r, entry);
  const names = r.variants.map((v) => v.name);
  const series: SeriesOption[] = bars.map((b, k) => ({
    type: "bar",
    name: b.part,
    stack: "latency",
    color: b.part === OTHER ? "#9ca3af" : PALETTE[k % PALETTE.length],
    data: b.values.map((x) => (x ? x.mean_s * 1e3 : null)),
    tooltip: {
      formatter: (p: any) => {
        const x = b.values[p.dataIndex];
        return x ? `${names[p.dataIndex]} — ${b.part}<br/>${x.text}<br/>${(x.share * 100).toFixed(1)}% of the mean latency` : "";
      },
    },
  }));
  return {
    animation: false,
    textStyle: { fontFamily: "DejaVu Sans, system-ui, sans-serif" },
    tooltip: { trigger: "item" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 110, right: 24, top: 50, bottom: 50 },
    xAxis: { type: "value", name: "mean latency [ms]", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "category", data: names, inverse: true },
    series,
  };
}

/** The verdict's paragraphs, one per variant with something to say. */
export function verdictParagraphs(r: Results): { variant: string; text: string }[] {
  return (r.verdict ?? []).filter((v) => v.sentences.length > 0).map((v) => ({ variant: v.variant, text: v.sentences.join(" ") }));
}
