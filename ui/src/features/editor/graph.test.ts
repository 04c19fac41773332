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

  it("marks the estimate on the gateway node, and no estimate on the plain gateway", () => {
    const gw = { ...doc, variants: [{ ...doc.variants[0], gateway: { cores: 2 } }] };
    const g = buildGraph(gw, 0, {
      variant: "split",
      nodes: [{ name: "gateway", kind: "gateway", arrival_rate: 500, utilization: 1.25, mean_response_s: null, cpu_demand_s_per_s: 2.5 }],
      entries: [],
      warnings: [],
    });
    const node = g.nodes.find((n) => n.id === "gateway")!;
    expect(node.rho).toBe(1.25);
    expect(node.lines).toEqual(["1× 2 cores", "ρ 1.25 · unstable"]);
    const plain = buildGraph({ ...doc, variants: [{ ...doc.variants[0], gateway: { overhead: "1ms" } }] }, 0, {
      variant: "split",
      nodes: [],
      entries: [],
      warnings: [],
    }).nodes.find((n) => n.id === "gateway")!;
    expect(plain.rho).toBeUndefined();
    expect(plain.lines).toEqual(["every entry passes it"]);
  });

  it("marks the estimate on a host around its units", () => {
    const onHost = { ...doc, variants: [{ ...doc.variants[0], hosts: [{ name: "big", cores: 2 }], units: doc.variants[0].units.map((u) => ({ ...u, host: "big" })) }] };
    const g = buildGraph(onHost, 0, {
      variant: "split",
      nodes: [{ name: "big", kind: "host", arrival_rate: 30, utilization: 0.75, mean_response_s: 0.004, cpu_demand_s_per_s: 1.5 }],
      entries: [],
      warnings: [],
    });
    const host = g.nodes.find((n) => n.id === "host:big")!;
    expect(host.rho).toBe(0.75);
    expect(host.responseS).toBe(0.004);
  });

  it("draws every component kind with its parent and the edges through it", () => {
    const all = {
      workload: {
        entries: [
          { name: "home", op: "web.home", arrival: { rate: 50 } },
          { name: "buy", op: "shop.buy", arrival: { rate: 10 } },
        ],
      },
      modules: {
        web: { ops: { home: { cpu: "1ms" } } },
        shop: { ops: { buy: { cpu: "1ms", calls: [{ op: "db.read" }, { op: "db.write" }, { publish: "orders", op: "mail.send" }] } } },
        mail: { ops: { send: { cpu: "1ms" } } },
      },
      datastores: { db: { ops: { read: { time: "1ms", kind: "read" }, write: { time: "2ms", kind: "write" } } } },
      variants: [
        {
          name: "all",
          cdn: { entries: ["home"], hit_ratio: 0.9 },
          gateway: { replicas: 2, cores: 1, auth: { cpu: "30us" }, rate_limit: { rate: 400, burst: 50 } },
          load_balancers: [{ name: "alb", units: ["shop"], replicas: 2, capacity: 1000 }],
          caches: [{ name: "redis", stores: ["db"], hit_ratio: 0.8 }],
          queues: [{ name: "orders", consumers: 20 }],
          hosts: [{ name: "h1", cores: 8, zone: "eu-west-1a" }],
          units: [
            { name: "web", modules: ["web"], host: "h1", cpu_limit: 2 },
            { name: "shop", modules: ["shop"], replicas: 3, zones: ["a", "b"], pool: { size: 10 } },
            { name: "mail", modules: ["mail"], platform: "serverless", memory: "512MB", reserved_concurrency: 40 },
          ],
          databases: [{ name: "main", stores: ["db"], zone: "a", read_replicas: 2 }],
        },
      ],
    };
    const g = buildGraph(all, 0);
    const node = (id: string) => g.nodes.find((n) => n.id === id)!;
    // each kind exists with its kind, document path and parent
    expect(node("cdn").kind).toBe("cdn");
    expect(node("cdn").path).toEqual(["variants", 0, "cdn"]);
    expect(node("gateway").lines).toEqual(["2× 1 cores", "auth cpu 30us", "rate limit 400/s burst 50"]);
    expect(node("load_balancer:alb").path).toEqual(["variants", 0, "load_balancers", 0]);
    expect(node("load_balancer:alb").lines[0]).toBe("2× capacity 1000");
    expect(node("cache:redis").path).toEqual(["variants", 0, "caches", 0]);
    expect(node("queue:orders").path).toEqual(["variants", 0, "queues", 0]);
    expect(node("host:h1").kind).toBe("host");
    expect(node("host:h1").detail).toBe("8 cores · zone eu-west-1a");
    expect(node("unit:web").parent).toBe("host:h1");
    expect(node("module:web").parent).toBe("unit:web");
    expect(node("unit:shop").parent).toBeUndefined();
    expect(node("unit:shop").detail).toBe("vm 3× pool 10 zones a, b");
    expect(node("unit:mail").kind).toBe("function");
    expect(node("unit:mail").detail).toBe("function · node · 512MB · concurrency 40");
    expect(node("database:main").detail).toBe("read replicas 2 · zone a");
    // a host is listed before the units inside it (xyflow needs parents first)
    expect(g.nodes.findIndex((n) => n.id === "host:h1")).toBeLessThan(g.nodes.findIndex((n) => n.id === "unit:web"));
    // the host's box contains the unit placed on it
    const host = node("host:h1");
    const web = node("unit:web");
    expect(web.x).toBeGreaterThanOrEqual(0);
    expect(web.y).toBeGreaterThanOrEqual(0);
    expect(web.x + web.width).toBeLessThanOrEqual(host.width);
    expect(web.y + web.height).toBeLessThanOrEqual(host.height);
    // a drop inside the unit on the host finds it (absolute coordinates)
    expect(unitAt(g, host.x + web.x + 5, host.y + web.y + 5)?.id).toBe("unit:web");
    expect(g.edges.map((e) => [e.source, e.target, e.label])).toEqual([
      // the CDN's entry passes the CDN, then the gateway
      ["entry:home", "cdn", "home"],
      ["cdn", "gateway", "home"],
      ["gateway", "module:web", "home"],
      ["entry:buy", "gateway", "buy"],
      // the balancer sits in front of its unit
      ["gateway", "load_balancer:alb", "buy"],
      ["load_balancer:alb", "module:shop", "buy"],
      // reads pass the cache, a miss goes on; writes go straight to the store
      ["module:shop", "cache:redis", "read"],
      ["cache:redis", "datastore:db", "miss"],
      ["module:shop", "datastore:db", "write"],
      // publisher → queue → consumer
      ["module:shop", "queue:orders", "publish send"],
      ["queue:orders", "module:mail", "send"],
    ]);
    // the front door is laid out left to right: CDN, gateway, balancer, then the units
    expect(node("cdn").x).toBeLessThan(node("gateway").x);
    expect(node("gateway").x).toBeLessThan(node("load_balancer:alb").x);
    expect(node("load_balancer:alb").x).toBeLessThan(node("unit:shop").x);
    // the cache sits in its database's column, the queue in its consumer's
    expect(node("cache:redis").x).toBe(node("database:main").x);
    expect(node("queue:orders").x).toBe(node("unit:mail").x);
  });

  it("shows composition modules on the gateway, reached through it", () => {
    const doc = {
      workload: { entries: [{ name: "page", op: "bff.page", arrival: { process: "poisson", rate: 10 } }] },
      modules: {
        bff: { ops: { page: { cpu: "1ms", calls: [{ op: "shop.item" }] } } },
        shop: { ops: { item: { cpu: "1ms" } } },
      },
      variants: [{ name: "v", gateway: { modules: ["bff"] }, units: [{ name: "shop", modules: ["shop"] }] }],
    };
    const g = buildGraph(doc, 0);
    const node = (id: string) => g.nodes.find((n) => n.id === id)!;
    expect(node("gateway").lines).toEqual(["1×", "runs bff"]);
    expect(node("module:bff").detail).toBe("on the gateway");
    expect(node("module:bff").parent).toBeUndefined();
    const edges = g.edges.map((e) => [e.source, e.target]);
    expect(edges).toContainEqual(["entry:page", "gateway"]);
    expect(edges).toContainEqual(["gateway", "module:bff"]);
    expect(edges).toContainEqual(["module:bff", "module:shop"]);
  });
});
