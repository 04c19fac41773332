import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Analysis, TopologyNode, VariantTopology } from "../../api";
import { faultBadge, faultNode, guardMarks, variantDiff, withDiff } from "./annotations";
import { arrivalLabel, buildGraph, calls, detailOf, levelOfDetail, MIN_READABLE_ZOOM, MIN_SCREEN_PX, NAME_PX, readableFit, unitAt, withDocumentModules, type GNode } from "./graph";

/** A deployed node as the backend sends it, with every field not given empty. */
function tnode(kind: TopologyNode["kind"], name: string, more: Partial<TopologyNode> = {}): TopologyNode {
  return {
    kind,
    name,
    instances: null,
    cores: null,
    platform: null,
    autoscale: null,
    function: null,
    pool: null,
    cpu_limit: null,
    rate_limit: null,
    auth: null,
    cache: null,
    capacity: null,
    algorithm: null,
    memory_bytes: null,
    visibility_timeout_s: null,
    read_replicas: null,
    modules: [],
    stores: [],
    units: [],
    entries: [],
    operations: [],
    hosts: [],
    zones: [],
    ...more,
  };
}
const unit = (name: string, modules: string[], more: Partial<TopologyNode> = {}) =>
  tnode("unit", name, { instances: 1, cores: 1, platform: "vm", modules, ...more });
const route = (entry: string, operation: string, via: [TopologyNode["kind"], string][] = []) => ({
  entry,
  operation,
  via: via.map(([kind, name]) => ({ kind, name })),
});

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
const split: VariantTopology = {
  variant: "split",
  nodes: [unit("front", ["shop"], { instances: 2 }), unit("back", ["pay"]), tnode("database", "main", { instances: 1, cores: 1, read_replicas: 0, stores: ["db"] })],
  entries: [route("buy", "shop.buy")],
};

describe("graph of a scenario document", () => {
  it("flattens calls with counts and parallel probabilities", () => {
    expect(calls(doc)).toEqual([
      { from: "shop", op: "pay.charge", count: 2, p: 1, guards: [] },
      { from: "shop", op: "db.read", count: 1, p: 0.5, guards: [] },
    ]);
  });

  it("puts modules in the units the topology says and labels call edges", () => {
    const g = buildGraph(doc, 0, split);
    const pay = g.nodes.find((n) => n.id === "module:pay");
    expect(pay?.parent).toBe("unit:back");
    expect(g.nodes.find((n) => n.id === "datastore:db")?.parent).toBe("database:main");
    expect(g.nodes.find((n) => n.id === "unit:front")?.detail).toBe("vm 2× 1 core");
    expect(g.nodes.find((n) => n.id === "unit:back")?.path).toEqual(["variants", 0, "units", 1]);
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

  it("without a topology (an invalid scenario) draws the logical model only", () => {
    const g = buildGraph(doc, 0);
    expect(g.nodes.some((n) => n.kind === "unit")).toBe(false);
    expect(g.nodes.find((n) => n.id === "module:pay")?.parent).toBeUndefined();
    expect(g.edges.map((e) => [e.source, e.target])).toContainEqual(["entry:buy", "module:shop"]);
  });

  it("while the text has errors, draws the last valid deployment with the modules where the text puts them", () => {
    // `pay` dragged into `front`: `back` is left empty, an error, so the backend resolves nothing
    const moved = { ...doc, variants: [{ ...doc.variants[0], units: [{ name: "front", modules: ["shop", "pay"] }, { name: "back", modules: [] }] }] };
    const [t] = withDocumentModules([split], moved);
    expect(t.nodes.find((n) => n.name === "front")?.modules).toEqual(["shop", "pay"]);
    expect(t.nodes.find((n) => n.name === "front")?.instances).toBe(2);
    const g = buildGraph(moved, 0, t);
    expect(g.nodes.find((n) => n.id === "module:pay")?.parent).toBe("unit:front");
    // the empty unit stays, in the last column
    const back = g.nodes.find((n) => n.id === "unit:back")!;
    expect(back.x).toBeGreaterThan(g.nodes.find((n) => n.id === "unit:front")!.x);
  });

  it("marks estimates on units", () => {
    const g = buildGraph(doc, 0, split, {
      variant: "split",
      nodes: [{ name: "back", kind: "unit", arrival_rate: 20, utilization: 1.2, mean_response_s: null, cpu_demand_s_per_s: 1.2 }],
      entries: [],
      warnings: [],
    });
    const back = g.nodes.find((n) => n.id === "unit:back")!;
    expect(back.rho).toBe(1.2);
    expect(back.responseS).toBeNull();
  });

  it("draws the gateway as a node only when the backend resolved it as one", () => {
    // the document alone would say: `cores` is a node key. The topology decides.
    const gwDoc = { ...doc, variants: [{ ...doc.variants[0], gateway: { cores: 2 } }] };
    const asNode: VariantTopology = {
      ...split,
      nodes: [...split.nodes, tnode("gateway", "gateway", { instances: 1, cores: 2 })],
      entries: [route("buy", "shop.buy", [["gateway", "gateway"]])],
    };
    const g = buildGraph(gwDoc, 0, asNode, {
      variant: "split",
      nodes: [{ name: "gateway", kind: "gateway", arrival_rate: 500, utilization: 1.25, mean_response_s: null, cpu_demand_s_per_s: 2.5 }],
      entries: [],
      warnings: [],
    });
    const node = g.nodes.find((n) => n.id === "gateway")!;
    expect(node.rho).toBe(1.25);
    expect(node.lines).toEqual(["1× 2 cores", "ρ 1.25 · unstable"]);
    expect(g.edges.map((e) => [e.source, e.target])).toEqual(expect.arrayContaining([["entry:buy", "gateway"], ["gateway", "module:shop"]]));
    // the same document with a topology whose gateway is a plain delay: no instances, no estimate
    const plain: VariantTopology = { ...asNode, nodes: [...split.nodes, tnode("gateway", "gateway")] };
    const p = buildGraph(gwDoc, 0, plain, { variant: "split", nodes: [], entries: [], warnings: [] }).nodes.find((n) => n.id === "gateway")!;
    expect(p.rho).toBeUndefined();
    expect(p.lines).toEqual(["every entry passes it"]);
  });

  it("draws the recorded gateway-composition lesson's gateway from the backend's topology", () => {
    const a = (mock as unknown as { analyses: Record<string, Analysis> }).analyses["scenarios/lessons/gateway-composition.toml"];
    const vi = a.topology.findIndex((t) => t.nodes.some((n) => n.kind === "gateway" && n.modules.length > 0));
    expect(vi).toBeGreaterThanOrEqual(0);
    const t = a.topology[vi];
    const g = buildGraph(a.document as Record<string, unknown>, vi, t, a.estimates[vi]);
    const gw = g.nodes.find((n) => n.id === "gateway")!;
    const hosted = t.nodes.find((n) => n.kind === "gateway")!.modules;
    expect(gw.lines).toContain(`runs ${hosted.join(", ")}`);
    expect(gw.rho).toBe(a.estimates[vi].nodes.find((n) => n.kind === "gateway")?.utilization);
    for (const m of hosted) expect(g.nodes.find((n) => n.id === `module:${m}`)?.detail).toBe("on the gateway");
  });

  it("marks the estimate on a host around its units", () => {
    const onHost = { ...doc, variants: [{ ...doc.variants[0], hosts: [{ name: "big", cores: 2 }], units: doc.variants[0].units.map((u) => ({ ...u, host: "big" })) }] };
    const t: VariantTopology = {
      ...split,
      nodes: [unit("front", ["shop"], { cores: null, hosts: ["big"] }), unit("back", ["pay"], { cores: null, hosts: ["big"] }), tnode("host", "big", { cores: 2, units: ["front", "back"] })],
    };
    const g = buildGraph(onHost, 0, t, {
      variant: "split",
      nodes: [{ name: "big", kind: "host", arrival_rate: 30, utilization: 0.75, mean_response_s: 0.004, cpu_demand_s_per_s: 1.5 }],
      entries: [],
      warnings: [],
    });
    const host = g.nodes.find((n) => n.id === "host:big")!;
    expect(host.rho).toBe(0.75);
    expect(host.responseS).toBe(0.004);
    expect(g.nodes.find((n) => n.id === "unit:front")?.parent).toBe("host:big");
  });

  it("shows a function's memory as resolved by the backend, its default included", () => {
    const f = (memory_bytes: number) => unit("mail", ["mail"], { instances: null, cores: null, platform: "serverless", function: { runtime: "node", memory_bytes, reserved_concurrency: null, provisioned: 0 } });
    expect(detailOf(f(1_769_000_000))).toBe("function · node · 1769MB · unreserved concurrency");
    expect(detailOf(f(2_000_000_000))).toBe("function · node · 2GB · unreserved concurrency");
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
    const topo: VariantTopology = {
      variant: "all",
      nodes: [
        unit("web", ["web"], { cores: null, cpu_limit: 2, hosts: ["h1"] }),
        unit("shop", ["shop"], { instances: 3, cores: null, zones: ["a", "b"], pool: { size: 10, acquire_timeout_s: 1 } }),
        unit("mail", ["mail"], { instances: null, cores: null, platform: "serverless", function: { runtime: "node", memory_bytes: 512e6, reserved_concurrency: 40, provisioned: 0 } }),
        tnode("database", "main", { instances: 3, cores: 1, read_replicas: 2, stores: ["db"], zones: ["a"] }),
        tnode("gateway", "gateway", { instances: 2, cores: 1, auth: { cpu_s: 30e-6, operation: null }, rate_limit: { rate: 400, burst: 50 } }),
        tnode("load_balancer", "alb", { instances: 2, capacity: 1000, units: ["shop"] }),
        tnode("cache", "redis", { instances: 1, cache: { hit_ratio: 0.8, ttl_s: null, keys: null, zipf: null }, stores: ["db"], operations: ["db.read"] }),
        tnode("cdn", "cdn", { instances: 1, cache: { hit_ratio: 0.9, ttl_s: null, keys: null, zipf: null }, entries: ["home"] }),
        tnode("queue", "orders", { capacity: 20 }),
        tnode("host", "h1", { cores: 8, zones: ["eu-west-1a"], units: ["web"] }),
      ],
      entries: [
        route("home", "web.home", [
          ["cdn", "cdn"],
          ["gateway", "gateway"],
        ]),
        route("buy", "shop.buy", [
          ["gateway", "gateway"],
          ["load_balancer", "alb"],
        ]),
      ],
    };
    const g = buildGraph(all, 0, topo);
    const node = (id: string) => g.nodes.find((n) => n.id === id)!;
    // each kind exists with its kind, document path and parent
    expect(node("cdn").kind).toBe("cdn");
    expect(node("cdn").path).toEqual(["variants", 0, "cdn"]);
    expect(node("gateway").lines).toEqual(["2× 1 core", "auth cpu 30 µs", "rate limit 400/s burst 50"]);
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
    expect(node("database:main").detail).toBe("1 core · read replicas 2 · zone a");
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
      // the CDN's entry passes the CDN, then the gateway (the routes the backend resolved)
      ["entry:home", "cdn", "home"],
      ["cdn", "gateway", "home"],
      ["gateway", "module:web", "home"],
      ["entry:buy", "gateway", "buy"],
      // the balancer sits in front of its unit
      ["gateway", "load_balancer:alb", "buy"],
      ["load_balancer:alb", "module:shop", "buy"],
      // the reads the cache answers pass it, a miss goes on; writes go straight to the store
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
    const t: VariantTopology = {
      variant: "v",
      nodes: [unit("shop", ["shop"]), tnode("gateway", "gateway", { instances: 1, modules: ["bff"] })],
      entries: [route("page", "bff.page", [["gateway", "gateway"]])],
    };
    const g = buildGraph(doc, 0, t);
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

describe("an entry's box", () => {
  it("reads its arrivals: a rate, a profile's shape, a trace or a closed loop", () => {
    expect(arrivalLabel({ rate: 120 })).toBe("120/s");
    expect(arrivalLabel({ rate: 120, profile: { spike: { base: 1, peak: 5, at: "1s", duration: "1s" } } })).toBe("spike profile");
    expect(arrivalLabel({ trace: "a.csv" })).toBe("trace");
    expect(arrivalLabel({ process: "closed", users: 40 })).toBe("40 users");
  });
});

describe("level of detail", () => {
  it("keeps names at least MIN_SCREEN_PX on screen down to a zoom of 0.26, details hidden below the threshold", () => {
    expect(levelOfDetail(1)).toEqual({ detailed: true, scale: 1 });
    expect(levelOfDetail(MIN_SCREEN_PX / NAME_PX)).toEqual({ detailed: true, scale: 1 });
    for (const z of [0.7, 0.5, 0.3, 0.27]) {
      const l = levelOfDetail(z);
      expect(l.detailed).toBe(false);
      expect(NAME_PX * l.scale * z).toBeCloseTo(MIN_SCREEN_PX, 9);
    }
    // below, the names shrink rather than overflow their boxes
    expect(levelOfDetail(0.2).scale).toBe(3);
  });

  it("fits a graph no smaller than the zoom where names still read, from its top-left corner when it is too large", () => {
    // fits: centred, at the zoom that fills the pane's width less the padding
    const small = readableFit({ x: 100, y: 50, width: 800, height: 200 }, { width: 848, height: 600 }, 24);
    expect(small.zoom).toBeCloseTo(1, 9);
    expect(small.x).toBeCloseTo(24 - 100, 9);
    expect(small.y).toBeCloseTo((600 - 200) / 2 - 50, 9);
    // a wide graph: zoomed out to fit, names still readable at that zoom
    const wide = readableFit({ x: 0, y: 0, width: 1600, height: 320 }, { width: 600, height: 530 }, 24);
    expect(wide.zoom).toBeCloseTo(552 / 1600, 9);
    expect(NAME_PX * levelOfDetail(wide.zoom).scale * wide.zoom).toBeGreaterThanOrEqual(MIN_SCREEN_PX - 1e-9);
    // too large: the readable minimum, the top-left corner (the entries) in view
    const huge = readableFit({ x: -40, y: 10, width: 9000, height: 5000 }, { width: 600, height: 530 }, 24);
    expect(huge.zoom).toBeCloseTo(MIN_READABLE_ZOOM, 9);
    expect(NAME_PX * levelOfDetail(huge.zoom).scale * huge.zoom).toBeCloseTo(MIN_SCREEN_PX, 9);
    expect([huge.x + -40 * huge.zoom, huge.y + 10 * huge.zoom]).toEqual([24, 24]);
  });
});

describe("faults and guards on the graph", () => {
  const lesson = (mock as unknown as { analyses: Record<string, Analysis> }).analyses["scenarios/lessons/cascading-failure.toml"];
  const graphOf = (vi: number) => buildGraph(lesson.document as Record<string, unknown>, vi, lesson.topology[vi], lesson.estimates[vi]);

  it("badges the node a fault hits (a module's fault on its unit) with kind, factor and window", () => {
    for (const vi of [0, 1]) {
      const leaf = graphOf(vi).nodes.find((n) => n.id === "unit:leaf")!;
      expect(leaf.badges).toEqual(["⚠ slow ×20 30 s–50 s"]);
    }
  });

  it("badges a unit with its default resilience only where it has one", () => {
    expect(graphOf(0).nodes.find((n) => n.id === "unit:front")!.badges).toBeUndefined();
    expect(graphOf(1).nodes.find((n) => n.id === "unit:front")!.badges).toEqual(["defaults: timeout 100ms, breaker, bulkhead 10, fallback degraded"]);
  });

  it("marks a call's own guards on its edge and resolves fault targets in the engine's order", () => {
    expect(guardMarks({ timeout: "2s", retry: { attempts: 5 }, bulkhead: true })).toEqual(["timeout 2s", "retry ×5", "bulkhead 10"]);
    expect(guardMarks({ retry: {} })).toEqual(["retry ×3"]);
    expect(faultBadge({ kind: "crash", target: "x" })).toBe("⚠ crash from 0 s");
    expect(faultBadge({ kind: "error", rate: 0.25, at: "1m", duration: "30s" })).toBe("⚠ error 25% 60 s–90 s");
    const doc = { modules: { a: { ops: { x: { cpu: "1ms", calls: [{ op: "b.y", timeout: "250ms", retry: { attempts: 2 } }] } } }, b: { ops: { y: { cpu: "1ms" } } } } };
    expect(calls(doc)[0].guards).toEqual(["timeout 250ms", "retry ×2"]);
    // a unit and a module of the same name: the unit is the target, as in the engine
    const nodes = [
      { id: "unit:catalog", kind: "unit", label: "catalog" },
      { id: "module:catalog", kind: "module", label: "catalog", parent: "unit:shop" },
      { id: "unit:shop", kind: "unit", label: "shop" },
      { id: "database:catalog", kind: "database", label: "catalog" },
    ] as GNode[];
    expect(faultNode(nodes, "catalog")?.id).toBe("unit:catalog");
    expect(faultNode(nodes.slice(1), "catalog")?.id).toBe("unit:shop");
    expect(faultNode(nodes.slice(3), "catalog")?.id).toBe("database:catalog");
    expect(faultNode(nodes, "nowhere")).toBeNull();
  });
});

describe("the variant diff", () => {
  const shopDoc = (mock as unknown as { analyses: Record<string, Analysis> }).analyses["scenarios/online-shop.toml"].document as Record<string, unknown>;
  it("names the modules that moved, and the units added and removed (microservices vs the monolith)", () => {
    const d = variantDiff(shopDoc, 1, 0);
    expect(Object.fromEntries(d.moved)).toEqual({ catalog: "shop", orders: "shop", payments: "shop", inventory: "shop" });
    expect(d.added.sort()).toEqual(["catalog", "inventory", "orders", "payments"]);
    expect(d.removed).toEqual(["shop"]);
    // against itself nothing moved
    expect(variantDiff(shopDoc, 0, 0)).toEqual({ moved: new Map(), added: [], removed: [] });
    const doc = { variants: [{ units: [{ name: "a", modules: ["x", "y"] }], gateway: { modules: ["bff"] } }, { units: [{ name: "a", modules: ["x"] }, { name: "b", modules: ["y", "bff"] }] }] };
    expect(Object.fromEntries(variantDiff(doc, 0, 1).moved)).toEqual({ y: "b", bff: "b" });
    expect(Object.fromEntries(variantDiff(doc, 1, 0).moved)).toEqual({ y: "a", bff: "gateway" });
  });

  it("marks the moved modules on the graph", () => {
    const g = withDiff({ nodes: [{ id: "module:catalog", kind: "module", label: "catalog" } as GNode, { id: "unit:catalog", kind: "unit", label: "catalog" } as GNode] }, variantDiff(shopDoc, 1, 0), "monolith");
    expect(g.nodes[0].badges).toEqual(["⇄ was in shop (monolith)"]);
    expect(g.nodes[1].badges).toBeUndefined();
  });
});
