import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Results } from "../../api/types";
import * as C from "./charts";

type Rec = { runs: Record<string, { outcome: { results: Results } }> };
const shop = (mock as unknown as Rec).runs["scenarios/online-shop.toml"].outcome.results;
const mm1 = (mock as unknown as Rec).runs["scenarios/queueing/mm1.toml"].outcome.results;

type S = { type: string; name: string; data: unknown[] };
const series = (o: ReturnType<typeof C.latencyCdf>) => o.series as S[];

describe("results charts", () => {
  it("overlays one CDF per variant, in ms, non-decreasing", () => {
    const s = series(C.latencyCdf(shop, "browse"));
    expect(s.map((x) => x.name)).toEqual(["monolith", "microservices"]);
    for (const x of s) {
      const ys = (x.data as [number, number][]).map(([, f]) => f);
      expect(ys.every((y, i) => i === 0 || y >= ys[i - 1])).toBe(true);
      expect(ys[ys.length - 1]).toBeCloseTo(1, 6);
    }
    const p50 = shop.variants[0].entries.browse.latency_s.p50.mean * 1e3;
    const cdf = s[0].data as [number, number][];
    // the CDF crosses 1/2 near the reported median (bins of the log histogram: within 10%)
    const at = cdf.find(([, f]) => f >= 0.5)![0];
    expect(Math.abs(at - p50) / p50).toBeLessThan(0.1);
  });

  it("leaves a gap where a window has no latency, and names no interval for one replication", () => {
    const r = structuredClone(mm1) as Results;
    const ys = r.variants[0].series.entries.req.p99_s;
    ys[1] = null;
    const line = series(C.overTime(r, "req", "p99_s"))[0].data as [number, number | null][];
    expect(line[1][1]).toBeNull();
    expect(line[0][1]).toBeCloseTo((ys[0] as number) * 1e3, 9);
    expect(C.ci(r)).toBe("95% CI");
    expect(C.ci({ ...r, replications: 1 })).toBe("one replication: no interval");
  });

  it("draws paired differences with their intervals, and points the lesson at them", () => {
    const o = C.pairedDifferences(shop);
    const s = series(o);
    const bars = s.filter((x) => x.type === "bar");
    expect(bars.map((x) => x.name)).toEqual(["microservices − monolith"]);
    const d = shop.comparisons[0].entries.browse.latency_mean_s.mean * 1e3;
    expect(bars[0].data[0]).toBeCloseTo(d, 9);
    const w = s.find((x) => x.type === "custom")!.data[0] as number[];
    expect(w[1]).toBeLessThanOrEqual(d);
    expect(w[2]).toBeGreaterThanOrEqual(d);
    expect(C.headlineChart(shop)).toBe("comparison");
    expect(C.headlineChart(mm1)).toBe("cdf");
  });

  it("lists every unit and database in the utilization chart", () => {
    const o = C.utilization(shop);
    const cats = (o.xAxis as { data?: string[] }[])[0].data!;
    expect(cats).toContain("unit shop");
    expect(cats).toContain("unit catalog");
    expect(cats).toContain("db main");
    expect(C.failures(mm1)).toBeNull();
  });
});
