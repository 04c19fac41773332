import { describe, expect, it } from "vitest";
import { monthlyShort, nodeCost, totalLine, withCosts, type CostEstimate } from "./cost";
import type { GNode } from "./graph";

const node = (kind: GNode["kind"], label: string): GNode => ({ id: `${kind}:${label}`, kind, label, lines: [], x: 0, y: 0, width: 0, height: 0, path: [] });

const COST: CostEstimate = {
  lines: [
    { key: "unit/web", kind: "unit", name: "web", per_month_usd: 157.68 },
    { key: "database/web", kind: "database", name: "web", per_month_usd: 365 },
    { key: "balancer/lb", kind: "balancer", name: "lb", per_month_usd: 20.1 },
    { key: "gateway/gateway", kind: "gateway", name: "gateway", per_month_usd: 26.28 },
    { key: "cache/gateway_cache", kind: "cache", name: "gateway_cache", per_month_usd: 14.6 },
    { key: "transfer/internet", kind: "transfer", name: "internet", per_month_usd: 3.5 },
  ],
  per_month_usd: 157.68 + 365 + 20.1 + 26.28 + 14.6 + 3.5,
};

describe("the cost estimate on the graph", () => {
  it("reads short per node and in full for the total", () => {
    expect(monthlyShort(157.68)).toBe("$158/mo");
    expect(monthlyShort(0.4213)).toBe("$0.42/mo");
    expect(monthlyShort(12_345)).toBe("$12.3k/mo");
    expect(monthlyShort(0)).toBe("$0.00/mo");
    expect(totalLine({ lines: [], per_month_usd: 1336.4 })).toBe("≈ $1,336 / month (estimate)");
  });

  it("gives each node its own lines: kind and name, a balancer's as balancer, the gateway its cache", () => {
    expect(nodeCost(node("unit", "web"), COST)).toBeCloseTo(157.68, 9);
    // a unit and a database of the same name stay apart
    expect(nodeCost(node("database", "web"), COST)).toBe(365);
    expect(nodeCost(node("load_balancer", "lb"), COST)).toBeCloseTo(20.1, 9);
    expect(nodeCost({ ...node("gateway", "API gateway"), id: "gateway" }, COST)).toBeCloseTo(26.28 + 14.6, 9);
    // nothing billed: no figure (a module, an unknown unit)
    expect(nodeCost(node("module", "web"), COST)).toBeUndefined();
    expect(nodeCost(node("unit", "other"), COST)).toBeUndefined();
    const g = withCosts({ nodes: [node("unit", "web"), node("module", "m")] }, COST);
    expect(g.nodes.map((n) => n.costUsd)).toEqual([157.68, undefined]);
    expect(withCosts({ nodes: [node("unit", "web")] }, undefined).nodes[0].costUsd).toBeUndefined();
  });
});
