// Two runs side by side: the headline figures of the variants and entries both runs have, the
// difference (second − first) and its 95% interval. The runs are independent (each its own
// replications), so the interval of the difference of two means combines their half-widths
// as √(h₁² + h₂²), the normal approximation of Welch's interval; with the same seed the runs
// share random numbers and this interval is conservative. A run of one replication has no
// interval, and the difference then has none either.
import type { Results } from "../../api/types";
import { fmtNum } from "./format";

type Stat = Results["variants"][number]["availability"];

export interface CompareRow {
  variant: string;
  /** `browse: p99`, `cost / month`, … */
  metric: string;
  unit: string;
  a: number;
  b: number;
  diff: number;
  /** 95% interval of the difference; null when either run has one replication. */
  ci: [number, number] | null;
  /** The interval excludes 0 (null: no interval). */
  significant: boolean | null;
}

const half = (s: Stat) => (s.ci95_high - s.ci95_low) / 2;

function row(variant: string, metric: string, unit: string, scale: number, a: Stat, b: Stat, intervals: boolean): CompareRow {
  // below 1e-9 of the figures, a spread or a difference is rounding (equal values summed in
  // another order), as the CLI's tables treat it
  const tiny = 1e-9 * Math.max(Math.abs(a.mean), Math.abs(b.mean)) * scale;
  const raw = (b.mean - a.mean) * scale;
  const diff = Math.abs(raw) <= tiny ? 0 : raw;
  const hw = Math.sqrt(half(a) ** 2 + half(b) ** 2) * scale;
  const h = hw <= tiny ? 0 : hw;
  const ci: [number, number] | null = intervals ? [diff - h, diff + h] : null;
  return { variant, metric, unit, a: a.mean * scale, b: b.mean * scale, diff, ci, significant: ci ? ci[0] > 0 || ci[1] < 0 : null };
}

/** The rows of the comparison of run `a` (first) with run `b` (second). */
export function compareRuns(a: Results, b: Results): CompareRow[] {
  const intervals = a.replications >= 2 && b.replications >= 2;
  const out: CompareRow[] = [];
  for (const va of a.variants) {
    const vb = b.variants.find((v) => v.name === va.name);
    if (!vb) continue;
    for (const [e, ea] of Object.entries(va.entries)) {
      const eb = vb.entries[e];
      if (!eb) continue;
      out.push(row(va.name, `${e}: throughput`, "/s", 1, ea.throughput_per_s, eb.throughput_per_s, intervals));
      out.push(row(va.name, `${e}: success`, "%", 100, ea.success_ratio, eb.success_ratio, intervals));
      if (ea.latency_s && eb.latency_s) {
        out.push(row(va.name, `${e}: latency mean`, "ms", 1e3, ea.latency_s.mean, eb.latency_s.mean, intervals));
        out.push(row(va.name, `${e}: p99`, "ms", 1e3, ea.latency_s.p99, eb.latency_s.p99, intervals));
      }
    }
    out.push(row(va.name, "availability", "%", 100, va.availability, vb.availability, intervals));
    if (va.cost && vb.cost) out.push(row(va.name, "cost / month", "$", 1, va.cost.per_month_usd, vb.cost.per_month_usd, intervals));
  }
  return out;
}

/** The difference as read in the table: `+12.3 ms [+8.1, +16.5]`. */
export function diffText(r: CompareRow): string {
  const sign = (x: number) => (x > 0 ? "+" : "") + fmtNum(x);
  const u = r.unit === "$" ? "" : ` ${r.unit}`;
  const money = (x: number) => (r.unit === "$" ? (x < 0 ? "−$" : "+$") + fmtNum(Math.abs(x)) : sign(x));
  const d = `${money(r.diff)}${u}`;
  if (!r.ci) return `${d} (one replication: no interval)`;
  if (r.ci[0] === r.ci[1]) return `${d} (no spread)`;
  return `${d} [${money(r.ci[0])}, ${money(r.ci[1])}]`;
}

/** Variants of one run the other does not have (named so that nothing is dropped silently). */
export function unmatched(a: Results, b: Results): string[] {
  const names = (r: Results) => new Set(r.variants.map((v) => v.name));
  const [na, nb] = [names(a), names(b)];
  return [...[...na].filter((n) => !nb.has(n)).map((n) => `${n} (only in the first run)`), ...[...nb].filter((n) => !na.has(n)).map((n) => `${n} (only in the second run)`)];
}
