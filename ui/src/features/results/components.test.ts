import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Results } from "../../api/types";
import * as C from "./charts";

type Rec = { runs: Record<string, { outcome: { results: Results } }> };
const runs = (mock as unknown as Rec).runs;
const gateway = runs["scenarios/lessons/gateway-cache-rate-limit.toml"].outcome.results;
const pools = runs["scenarios/lessons/serverless-db-connections.toml"].outcome.results;
const scaling = runs["scenarios/lessons/autoscaling-lag.toml"].outcome.results;
const lb = runs["scenarios/lessons/lb-single-point-of-failure.toml"].outcome.results;

type S = { type: string; name: string; data: unknown[]; xAxisIndex?: number };
const series = (o: unknown) => (o as { series: S[] }).series;
const cats = (o: unknown) => ((o as { xAxis: { data: string[] }[] }).xAxis[0].data);

describe("front-door components", () => {
  it("draws every component's throughput per variant, with the results' means and intervals", () => {
    expect(C.hasComponents(gateway)).toBe(true);
    const o = C.components(gateway, (c) => c.throughput_per_s, "requests/s");
    expect(cats(o)).toEqual(["gateway"]);
    const s = series(o);
    expect(s.filter((x) => x.type === "bar").map((x) => x.name)).toEqual(gateway.variants.map((v) => v.name));
    gateway.variants.forEach((v, i) => {
      const t = v.components!.gateway.throughput_per_s;
      expect(s[i].data).toEqual([t.mean]);
      const w = s.find((x) => x.name === `${v.name} 95% CI`)!;
      const [, lo, hi] = w.data[0] as number[];
      expect([lo, hi]).toEqual([t.ci95_low, t.ci95_high]);
      expect(lo).toBeLessThanOrEqual(t.mean);
      expect(hi).toBeGreaterThanOrEqual(t.mean);
    });
    // the rate-limited variant rejects at the gateway (429s are counted in `rejected`)
    const rej = series(C.components(gateway, (c) => c.rejected, "requests"));
    const limited = gateway.variants.findIndex((v) => v.name === "gateway-rate-limit");
    expect(rej[limited].data[0] as number).toBeGreaterThan(0);
    expect(rej[limited].data[0]).toBe(gateway.variants[limited].components!.gateway.rejected.mean);
    // a load balancer is labelled with its kind
    expect(cats(C.components(lb, (c) => c.throughput_per_s, "requests/s"))).toEqual(["load balancer alb"]);
  });

  it("draws the gateway cache's hit ratio where the route has one", () => {
    const o = C.cacheHitRatios(gateway);
    expect(cats(o)).toEqual(["gateway: browse"]);
    const s = series(o);
    const vi = gateway.variants.findIndex((v) => v.name === "gateway-cache");
    const h = gateway.variants[vi].caches!["gateway: browse"].hit_ratio;
    expect(s[vi].data).toEqual([h.mean]);
    // configured hit_ratio = 0.8: the measured ratio is within 3 half-widths of its 95% interval
    expect(Math.abs(h.mean - 0.8)).toBeLessThanOrEqual((3 * (h.ci95_high - h.ci95_low)) / 2);
    // variants without the cache have a gap there
    expect(s[0].data).toEqual([null]);
    const rows = C.componentRows(gateway);
    expect(rows.filter((x) => x.cache).map((x) => `${x.variant}/${x.name}`)).toEqual(["gateway-cache/gateway: browse"]);
  });
});

describe("pools and workers", () => {
  it("draws pool saturation and wait of the unit with a pool", () => {
    const ps = C.poolNodes(pools);
    expect(ps.map((p) => p.label)).toEqual(["service-with-pool · api"]);
    const vi = pools.variants.findIndex((v) => v.name === "service-with-pool");
    const pool = pools.variants[vi].units.api.pool!;
    expect(pool.size).toBe(40); // 4 replicas × size 10
    const sat = series(C.poolSaturation(pools));
    expect(cats(C.poolSaturation(pools))).toEqual(["api"]);
    expect(sat[vi].data).toEqual([pool.saturation.mean]);
    expect(sat[0].data).toEqual([null]);
    const wait = series(C.poolWait(pools));
    expect(wait[vi].data[0]).toBeCloseTo(pool.wait_mean_s.mean * 1e3, 9);
    expect(pool.saturation.mean).toBeGreaterThan(0);
    expect(pool.saturation.mean).toBeLessThanOrEqual(1);
  });

  it("draws worker saturation of every unit that reports it", () => {
    expect(C.hasWorkerSaturation(scaling)).toBe(true);
    const o = C.workerSaturation(scaling);
    const s = series(o);
    scaling.variants.forEach((v, i) => expect(s[i].data).toEqual([v.units.api.worker_saturation!.mean]));
  });
});

describe("autoscaling", () => {
  it("draws ready and starting instances from the series, per variant", () => {
    const nodes = C.autoscaledNodes(scaling);
    expect(nodes.map((n) => n.label)).toEqual(["lagging · api", "fast-start · api", "higher-min · api"]);
    const s = series(C.autoscaling(scaling));
    expect(s).toHaveLength(6);
    scaling.variants.forEach((v, i) => {
      const ready = s[2 * i].data as [number, number][];
      const starting = s[2 * i + 1].data as [number, number][];
      expect(ready.map(([t]) => t)).toEqual(v.series.t_s);
      expect(ready.map(([, y]) => y)).toEqual(v.series.nodes.api.instances);
      expect(starting.map(([, y]) => y)).toEqual(v.series.nodes.api.instances_starting);
      const a = v.units.api.autoscaling!;
      // the series stays within the measured min and max instances
      for (const [, y] of ready) expect(y).toBeLessThanOrEqual(a.instances_max.max + 1e-9);
      expect(a.instances_min.mean).toBeLessThanOrEqual(a.instances_mean.mean);
      expect(a.instances_mean.mean).toBeLessThanOrEqual(a.instances_max.mean);
    });
    // the spike scales the lagging unit out: more instances at the end of the spike than at the start
    const lag = s[0].data as [number, number][];
    expect(Math.max(...lag.map(([, y]) => y))).toBeGreaterThan(lag[0][1]);
    expect(C.autoscaling(gateway)).toBeNull();
  });
});

describe("random-fault blast radius", () => {
  it("lists one row per fault and entry with the results' figures", () => {
    const stat = (m: number) => ({ mean: m, ci95_low: m - 1, ci95_high: m + 1, min: m, max: m, std: 0, n: 3 });
    const r = structuredClone(scaling) as Results;
    r.variants[0].resilience.random_blast_radius = [
      {
        fault: "flaky",
        episodes: stat(4),
        degraded_fraction: stat(0.1),
        mean_degraded_s: stat(12),
        failures: stat(30),
        entries_affected: ["req"],
        entries: { req: { failed_during: stat(30), failure_rate_during_per_s: stat(2.5), failure_rate_outside_per_s: stat(0) } },
      },
    ] as unknown as Results["variants"][number]["resilience"]["random_blast_radius"];
    const rows = C.randomBlastRows(r);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ variant: "lagging", fault: "flaky", entry: "req", affected: true });
    expect(rows[0].episodes.mean).toBe(4);
    expect(rows[0].rateDuring.mean).toBe(2.5);
    expect(C.randomBlastRows(scaling)).toEqual([]);
  });
});
