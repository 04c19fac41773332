import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { CapacityOutcome, Status, SweepOutcome } from "../../api/types";
import * as P from "./planCharts";
import { costOf } from "../results/charts";

const BF = "scenarios/lessons/black-friday.toml";
type Rec = { sweeps: Record<string, { outcome: SweepOutcome }>; capacities: Record<string, { outcome: CapacityOutcome }> };
const sweep = (mock as unknown as Rec).sweeps[BF].outcome.results;
const cap = (mock as unknown as Rec).capacities[BF].outcome.results;
type S = { type: string; name: string; data: any[]; markPoint?: { data: { coord: number[] }[] }; markLine?: { data: { yAxis: number }[] } };

describe("sweep curves", () => {
  it("plots each variant's p99 at every swept value, with its interval and the knee", () => {
    const x = sweep.parameters[0];
    const o = P.sweepCurves(sweep, "browse");
    const s = o.series as S[];
    const lines = s.filter((l) => l.type === "line");
    expect(lines.map((l) => l.name)).toEqual(P.sweepVariants(sweep));
    lines.forEach((l, vi) => {
      expect(l.data.map((p: number[]) => p[0])).toEqual(sweep.points.map((p) => p.values[x]));
      l.data.forEach((p: number[], i: number) => expect(p[1]).toBeCloseTo(sweep.points[i].variants[vi].entries.browse.latency_s.p99.mean * 1e3, 9));
      const band = s.find((b) => b.name === `${l.name} 95% CI`)!;
      band.data.forEach(([, lo, hi]: number[], i: number) => {
        expect(lo).toBeLessThanOrEqual(l.data[i][1]);
        expect(hi).toBeGreaterThanOrEqual(l.data[i][1]);
      });
      const knee = sweep.knees.find((k) => k.variant === l.name && k.entry === "browse");
      if (knee) {
        expect(l.markPoint!.data[0].coord).toEqual([knee.values[x], knee.p99_s * 1e3]);
        // the knee is the first point above the threshold
        const first = l.data.findIndex((p: number[]) => p[1] > knee.threshold_s * 1e3);
        expect(l.data[first][0]).toBe(knee.values[x]);
      } else expect(l.markPoint).toBeUndefined();
    });
    expect(sweep.knees.length).toBeGreaterThan(0);
  });

  it("places every point at (p99, cost per month)", () => {
    const s = P.costVsP99(sweep, "checkout").series as S[];
    s.forEach((l, vi) =>
      l.data.forEach((p: number[], i: number) => {
        const v = sweep.points[i].variants[vi];
        expect(p[0]).toBeCloseTo(v.entries.checkout.latency_s.p99.mean * 1e3, 9);
        expect(p[1]).toBe(costOf(v).per_month_usd.mean);
      }),
    );
  });
});

describe("capacity answer", () => {
  it("draws each variant's max rate with its bracket and today's rate", () => {
    const s = P.capacityChart(cap).series as S[];
    expect(s[0].data.map((d: { value: number }) => d.value)).toEqual(cap.variants.map((v) => v.max_rate));
    expect(s[0].markLine!.data[0].yAxis).toBe(cap.base_rate);
    s[1].data.forEach(([i, lo, hi]: number[]) => {
      const v = cap.variants[i];
      expect(lo).toBe(v.bracket[0]);
      expect(hi).toBe(v.bracket[1] ?? v.max_rate);
      expect(v.max_rate).toBe(lo);
    });
    // the bracket met the stopping precision for every variant found
    for (const v of cap.variants.filter((x) => x.status === "found")) expect((v.bracket[1] as number) - v.bracket[0]).toBeLessThanOrEqual(cap.precision * v.bracket[0] + 1e-9);
  });
});

describe("capacity statuses", () => {
  it("names every status the search can end with, the verdicts that can fail among them", () => {
    const all: Status[] = ["found", "not_met", "met_at_maximum", "stopped", "not_met_at_any_rate", "overload_undetectable"];
    const words = all.map(P.statusText);
    expect(new Set(words).size).toBe(all.length);
    expect(P.statusText("not_met_at_any_rate")).toBe("not met at any rate");
    expect(P.statusText("overload_undetectable")).toBe("SLO cannot detect overload");
  });

  it("draws a variant that was not searched without a bracket", () => {
    const v = { ...cap.variants[0], status: "overload_undetectable" as Status, max_rate: 0, bracket: [0, null as unknown as number] as [number, number], evaluations: [], reason: "cannot detect overload" };
    const option = P.capacityChart({ ...cap, variants: [v], intervals: false });
    expect(option).toBeTruthy();
  });
});
