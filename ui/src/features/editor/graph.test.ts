import { describe, expect, it } from "vitest";
import { buildGraph, calls, unitAt } from "./graph";

const doc = {
  workload: { entries: [{ name: "buy", op: "shop.buy", arrival: { rate: 10 } }] },
  modules: {
    shop: { ops: { buy: { cpu: "1ms", calls: [{ op: "pay.charge", count: 2 }, { parallel: [{ op: "db.read", p: 0.5 }] }] } } },
    pay: { ops: { charge: { cpu: "2ms" } } },
  },
  datastores: { db: { ops: { read: { time: "1ms" } } } },
  variants: [
    {
      name: "split",
      units: [
        { name: "front", modules: ["shop"], replicas: 2 },
        { name: "back", modules: ["pay"] },
      ],
      databases: [{ name: "main", stores: ["db"] }],
    },
  ],
};

describe("graph of a scenario document", () => {
  it("flattens calls with counts and parallel probabilities", () => {
    expect(calls(doc)).toEqual([
      { from: "shop", op: "pay.charge", count: 2, p: 1 },
      { from: "shop", op: "db.read", count: 1, p: 0.5 },
    ]);
  });

  it("puts modules in their units and labels call edges", () => {
    const g = buildGraph(doc, 0);
    const pay = g.nodes.find((n) => n.id === "module:pay");
    expect(pay?.parent).toBe("unit:back");
    expect(g.nodes.find((n) => n.id === "datastore:db")?.parent).toBe("database:main");
    expect(g.edges.map((e) => [e.source, e.target, e.label])).toEqual([
      ["entry:buy", "module:shop", "buy"],
      ["module:shop", "module:pay", "charge ×2"],
      ["module:shop", "datastore:db", "read p=0.5"],
    ]);
    // the callee's unit sits in a column right of the caller's
    const front = g.nodes.find((n) => n.id === "unit:front")!;
    const back = g.nodes.find((n) => n.id === "unit:back")!;
    expect(back.x).toBeGreaterThan(front.x);
    // a point inside the back unit's box finds it
    expect(unitAt(g, back.x + 5, back.y + 5)?.id).toBe("unit:back");
    expect(unitAt(g, -1000, -1000)).toBeUndefined();
  });

  it("marks estimates on units", () => {
    const g = buildGraph(doc, 0, {
      variant: "split",
      nodes: [{ name: "back", kind: "unit", arrival_rate: 20, utilization: 1.2, mean_response_s: null, cpu_demand_s_per_s: 1.2 }],
      entries: [],
      warnings: [],
    });
    const back = g.nodes.find((n) => n.id === "unit:back")!;
    expect(back.rho).toBe(1.2);
    expect(back.responseS).toBeNull();
  });
});
