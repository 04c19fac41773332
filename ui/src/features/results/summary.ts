// The headline table of a run: the rows `archsim run` prints in its Entries table (per entry
// throughput, success, latency mean and percentiles, failures; per variant memory,
// availability, cost), variants as columns, each figure with its 95% interval.
import type { Results } from "../../api/types";
import { fmtNum } from "./format";

type Stat = Results["variants"][number]["availability"];
type Variant = Results["variants"][number];

/** `mean ± half-width`, or `mean [low, high]` when the interval is not symmetric, or the mean
 * alone with one replication or no spread (as the CLI's tables). */
export function withCi(st: Stat, reps: number, f: (x: number) => string): string {
  if (reps < 2) return f(st.mean);
  const below = st.mean - st.ci95_low;
  const above = st.ci95_high - st.mean;
  const h = (st.ci95_high - st.ci95_low) / 2;
  // no spread (equal values summed in another order differ in the last bits): the mean alone,
  // as the CLI's tables print it
  if (h <= 1e-9 * Math.abs(st.mean)) return f(st.mean);
  if (Math.abs(below - above) <= 1e-9 * Math.max(h, Math.abs(st.mean))) return `${f(st.mean)} ± ${f(h)}`;
  return `${f(st.mean)} [${f(st.ci95_low)}, ${f(st.ci95_high)}]`;
}

const msOf = (s: number) => `${fmtNum(s * 1e3)} ms`;
const pctOf = (x: number) => `${fmtNum(100 * x)}%`;
const usdOf = (x: number) => `$${fmtNum(x)}`;

export interface SummaryRow {
  label: string;
  /** The first row of an entry's group (drawn with a rule above it). */
  group: boolean;
  cells: string[];
}

function latency(v: Variant, entry: string, k: "mean" | "p50" | "p90" | "p99", reps: number): string {
  const l = v.entries[entry]?.latency_s;
  if (!l) return "—";
  if ((l.replications_without_samples ?? 0) >= reps) return "n/a";
  const tilde = k === "p99" && l.p99_low_samples ? "~" : "";
  return tilde + withCi(l[k], reps, msOf);
}

export function summaryRows(r: Results): SummaryRow[] {
  const reps = r.replications;
  const vs = r.variants;
  const rows: SummaryRow[] = [];
  const entries = Object.keys(vs[0]?.entries ?? {});
  for (const e of entries) {
    const cell = (f: (v: Variant) => string) => vs.map((v) => (v.entries[e] ? f(v) : "—"));
    rows.push({ label: `${e}: throughput /s`, group: true, cells: cell((v) => withCi(v.entries[e].throughput_per_s, reps, fmtNum)) });
    rows.push({ label: "success", group: false, cells: cell((v) => withCi(v.entries[e].success_ratio, reps, pctOf)) });
    rows.push({ label: "latency mean", group: false, cells: cell((v) => latency(v, e, "mean", reps)) });
    rows.push({ label: "p50", group: false, cells: cell((v) => latency(v, e, "p50", reps)) });
    rows.push({ label: "p99", group: false, cells: cell((v) => latency(v, e, "p99", reps)) });
    rows.push({
      label: "failed",
      group: false,
      cells: cell((v) => {
        const f = Object.entries(v.entries[e].failed_by_reason ?? {});
        return f.length ? f.map(([k, s]) => `${k} ${fmtNum(s.mean)}`).join(", ") : "0";
      }),
    });
  }
  rows.push({ label: "memory provisioned", group: true, cells: vs.map((v) => `${fmtNum(v.memory_provisioned_gb.mean)} GB`) });
  rows.push({ label: "availability", group: false, cells: vs.map((v) => withCi(v.availability, reps, pctOf)) });
  if (vs.some((v) => v.cost && v.cost.per_month_usd.mean > 0)) {
    rows.push({ label: "cost / month", group: false, cells: vs.map((v) => (v.cost ? withCi(v.cost.per_month_usd, reps, usdOf) : "—")) });
    rows.push({ label: "cost / M requests", group: false, cells: vs.map((v) => (v.cost ? withCi(v.cost.per_million_requests_usd, reps, usdOf) : "—")) });
  }
  return rows;
}
