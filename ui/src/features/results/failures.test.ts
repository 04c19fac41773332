import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Analysis, Results } from "../../api/types";
import * as C from "./charts";
import { replayLayout } from "./replay";

type Rec = { runs: Record<string, { outcome: { results: Results } }>; analyses: Record<string, Analysis> };
const rec = mock as unknown as Rec;
const CASCADE = "scenarios/lessons/cascading-failure.toml";
const cascade = rec.runs[CASCADE].outcome.results;
const shop = rec.runs["scenarios/online-shop.toml"].outcome.results;
const cold = rec.runs["scenarios/lessons/cold-start-chain.toml"].outcome.results;

type S = { type: string; name: string; data: any[]; links?: any[]; stack?: string };

describe("failure propagation views", () => {
  it("the heat map's cells are the origin × entry matrix's counts", () => {
    const v = cascade.variants[0];
    const o = C.failureHeatmap(cascade, 0);
    const ys = (o.yAxis as { data: string[] }).data;
    const xs = (o.xAxis as { data: string[] }).data;
    expect(ys).toEqual(Object.keys(v.resilience.failure_origins));
    expect(xs).toEqual(expect.arrayContaining(Object.keys(v.entries)));
    const cells = (o.series as S[])[0].data as [number, number, number][];
    expect(cells.length).toBe(xs.length * ys.length);
    let nonzero = 0;
    for (const [ei, oi, c] of cells) {
      expect(c).toBe(v.resilience.failure_origins[ys[oi]][xs[ei]]?.mean ?? 0);
      if (c > 0) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(0);
    // the colour scale reaches the largest cell
    expect((o.visualMap as { max: number }).max).toBe(Math.max(...cells.map((c) => c[2])));
  });

  it("the replay's slider window picks that column of every origin's series", () => {
    const v = cascade.variants[0];
    const series = v.resilience.failure_origins_series;
    const origin = Object.keys(series)[0];
    // the window with the most failures, and a quiet one before the fault
    const sums = v.series.t_s.map((_, w) => Object.values(series[origin]).reduce((a, ys) => a + (ys[w] ?? 0), 0));
    const peak = sums.indexOf(Math.max(...sums));
    const quiet = sums.indexOf(0);
    expect(sums[peak]).toBeGreaterThan(0);
    // the replay opens there: the window whose failures, over every origin, are the most
    const totals = v.series.t_s.map((_, w) => Object.values(C.failuresAt(v, w).byEntry).reduce((a, b) => a + b, 0));
    expect(C.peakWindow(v)).toBe(totals.indexOf(Math.max(...totals)));
    for (const w of [peak, quiet]) {
      const g = (C.failureReplay(cascade, 0, w).series as S[])[0];
      const node = g.data.find((n) => n.id === `origin:${origin}`);
      expect(node.value).toBeCloseTo(sums[w], 12);
      for (const [entry, ys] of Object.entries(series[origin])) {
        const e = g.data.find((n) => n.id === `entry:${entry}`);
        const all = Object.values(series).reduce((a, per) => a + (per[entry]?.[w] ?? 0), 0);
        expect(e.value).toBeCloseTo(all, 12);
        expect(all).toBeGreaterThanOrEqual(ys[w]);
      }
    }
    // on the model's graph: the unit where failures began carries the same rate
    const a = rec.analyses[CASCADE];
    const layout = replayLayout(a.document, a.topology, cascade.variants[0].name)!;
    const g = (C.failureReplay(cascade, 0, peak, layout).series as S[])[0];
    const unit = g.data.find((n) => n.id === `unit:${origin}`);
    expect(unit.value).toBeCloseTo(sums[peak], 12);
    expect(g.links!.length).toBeGreaterThan(0);
    expect(C.hasFailures(cascade)).toBe(true);
    expect(C.hasFailures(shop)).toBe(false);
  });
});

describe("cost and instances", () => {
  it("stacks every cost line per variant to the variant's total per month", () => {
    const o = C.costByNode(shop);
    const bars = (o.series as S[]).filter((s) => s.type === "bar");
    shop.variants.forEach((v, i) => {
      const stacked = bars.reduce((a, s) => a + (s.data[i] as number), 0);
      expect(stacked).toBeCloseTo(C.costOf(v).per_month_usd.mean, 6);
    });
    const w = (o.series as S[]).find((s) => s.type === "custom")!.data as number[][];
    expect(w[1][1]).toBe(C.costOf(shop.variants[1]).per_month_usd.ci95_low);
    const m = (C.costPerMillion(shop).series as S[])[0].data as { value: number }[];
    expect(m.map((x) => x.value)).toEqual(shop.variants.map((v) => C.costOf(v).per_million_requests_usd.mean));
  });

  it("draws every node's instances series and the functions' cold starts", () => {
    const o = C.instancesOverTime(cold);
    const s = o.series as S[];
    const v = cold.variants[0];
    const api = s.find((x) => x.name === "api")!;
    expect(api.data.map((p: number[]) => p[1])).toEqual(v.series.nodes.api.instances);
    const f = C.functions(cold)!;
    const cs = (f.series as S[]).find((x) => x.name === "cold starts")!;
    expect(cs.data).toEqual(C.functionNodes(cold).map((x) => x.f.cold_starts.mean));
    expect(C.functions(shop)).toBeNull();
  });
});
