// The scenario document as a graph: the logical model (modules with their operations, data
// stores, entries, calls as edges) laid out inside the units and databases of one variant.
// Pure functions: the React view (Graph.tsx) only renders what these return.
import type { Analysis } from "../../api";

type Obj = Record<string, unknown>;
type Estimate = Analysis["estimates"][number];

export type NodeKind =
  | "entry"
  | "gateway"
  | "module"
  | "datastore"
  | "unit"
  | "function"
  | "database"
  | "load_balancer"
  | "cache"
  | "cdn"
  | "queue"
  | "host";

/** Kinds drawn as groups around other nodes (units, serverless functions, databases, hosts). */
export const GROUP_KINDS: NodeKind[] = ["unit", "function", "database", "host"];
export const isGroup = (k: NodeKind) => GROUP_KINDS.includes(k);

export interface GNode {
  id: string;
  kind: NodeKind;
  label: string;
  /** Operations (modules, data stores) or a summary line. */
  lines: string[];
  /** Group this node sits in (a unit or database), or none. */
  parent?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Unit / database: platform, replicas, cores. */
  detail?: string;
  /** Instant estimate: utilization ρ and mean response [s] (units, databases, the gateway node, hosts). */
  rho?: number;
  responseS?: number | null;
  /** Path of the item in the document (for the property panel). */
  path: (string | number)[];
}

export interface GEdge {
  id: string;
  source: string;
  target: string;
  label: string;
}

export interface Graph {
  nodes: GNode[];
  edges: GEdge[];
}

const MOD_W = 210;
const OP_H = 18;
const HEAD_H = 30;
const PAD = 16;
const GROUP_HEAD = 58;
const COL_GAP = 110;

function obj(v: unknown): Obj {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {};
}
function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}
function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

export interface Call {
  from: string;
  op: string;
  count: number;
  p: number;
  /** The queue a `publish` call puts its message on (the op is the consumer). */
  publish?: string;
}

/** Every call of every module operation, flattening `parallel` groups. */
export function calls(document: Obj): Call[] {
  const out: Call[] = [];
  const walk = (from: string, list: unknown, scale: number) => {
    for (const c of arr(list)) {
      const p = typeof c.p === "number" ? c.p : 1;
      if (c.parallel) walk(from, c.parallel, scale * p);
      if (typeof c.op === "string") {
        const call: Call = { from, op: c.op, count: typeof c.count === "number" ? c.count : 1, p: p * scale };
        if (typeof c.publish === "string") call.publish = c.publish;
        out.push(call);
      }
    }
  };
  for (const [m, mod] of Object.entries(obj(document.modules)))
    for (const op of Object.values(obj(obj(mod).ops))) walk(m, obj(op).calls, 1);
  return out;
}

function fmtS(s: number): string {
  if (s >= 1) return `${s.toPrecision(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${(s * 1e6).toPrecision(3)} µs`;
}

export function estimateLine(rho: number | undefined, resp: number | null | undefined): string {
  if (rho === undefined) return "";
  const r = `ρ ${rho.toFixed(2)}`;
  return resp === null || resp === undefined ? `${r} · unstable` : `${r} · ${fmtS(resp)}`;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const opt = (label: string, v: unknown) => (v === undefined || v === null ? "" : `${label}${typeof v === "object" ? JSON.stringify(v) : String(v)}`);

/** The gateway's summary lines: replicas and cores when it is a node, auth, rate limit,
 * cached routes. */
function gatewayLines(gw: Obj): string[] {
  const node = ["replicas", "cores", "workers", "queue", "auth", "rate_limit", "routes", "modules"].some((k) => gw[k] !== undefined);
  if (!node) return ["every entry passes it"];
  const auth = obj(gw.auth);
  const rl = obj(gw.rate_limit);
  const routes = arr(gw.routes).filter((r) => r.cache !== undefined);
  return [
    [`${gw.replicas ?? 1}×`, gw.cores !== undefined ? `${gw.cores} cores` : "", opt("workers ", gw.workers)].filter(Boolean).join(" "),
    gw.auth !== undefined ? `auth ${auth.op !== undefined ? `→ ${str(auth.op)}` : `cpu ${typeof auth.cpu === "string" ? auth.cpu : "dist"}`}` : "",
    gw.rate_limit !== undefined ? `rate limit ${rl.rate ?? "?"}/s burst ${rl.burst ?? rl.rate ?? "?"}` : "",
    routes.length ? `cache on ${routes.map((r) => str(r.entry)).join(", ")}` : "",
    list(gw.modules).length ? `runs ${list(gw.modules).join(", ")}` : "",
  ].filter(Boolean);
}

/** Builds the graph of variant `vi`, with the instant estimate when one is given. */
export function buildGraph(document: Obj | null, vi: number, estimate?: Estimate): Graph {
  if (!document) return { nodes: [], edges: [] };
  const modules = obj(document.modules);
  const stores = obj(document.datastores);
  const variant = arr(document.variants)[vi] ?? {};
  const units = arr(variant.units);
  const dbs = arr(variant.databases);
  const lbs = arr(variant.load_balancers);
  const caches = arr(variant.caches);
  const queues = arr(variant.queues);
  const hosts = arr(variant.hosts);
  const cdn = variant.cdn !== undefined ? obj(variant.cdn) : undefined;
  const entries = arr(obj(document.workload).entries);
  const cs = calls(document);

  // depth of each module/store from the entries (longest path, cycles cut), for the layout
  const depth = new Map<string, number>();
  const succ = new Map<string, string[]>();
  for (const c of cs) {
    const to = c.op.split(".")[0];
    succ.set(c.from, [...(succ.get(c.from) ?? []), to]);
  }
  const visit = (n: string, d: number, seen: Set<string>) => {
    if (seen.has(n) || (depth.get(n) ?? -1) >= d) return;
    depth.set(n, d);
    seen.add(n);
    for (const s of succ.get(n) ?? []) visit(s, d + 1, seen);
    seen.delete(n);
  };
  for (const e of entries) visit(str(e.op).split(".")[0], 0, new Set());

  const est = new Map<string, { rho: number; resp: number | null | undefined }>();
  for (const n of estimate?.nodes ?? [])
    est.set(`${n.kind}:${n.name}`, { rho: n.utilization, resp: n.mean_response_s });

  const nodes: GNode[] = [];
  const groups: { node: GNode; members: GNode[]; col: number }[] = [];
  const memberNode = (kind: "module" | "datastore", name: string, parent: string): GNode => {
    const ops = Object.keys(obj(obj((kind === "module" ? modules : stores)[name]).ops));
    return {
      id: `${kind}:${name}`,
      kind,
      label: name,
      lines: ops.map((o) => `${name}.${o}`),
      parent,
      x: 0,
      y: 0,
      width: MOD_W,
      height: HEAD_H + Math.max(1, ops.length) * OP_H + 8,
      path: [kind === "module" ? "modules" : "datastores", name],
    };
  };
  const small = (id: string, kind: NodeKind, label: string, lines: string[], path: (string | number)[]): GNode => ({
    id,
    kind,
    label,
    lines,
    x: 0,
    y: 0,
    width: MOD_W,
    height: HEAD_H + Math.max(1, lines.length) * OP_H + 8,
    path,
  });
  const placed = new Set<string>();
  const unitOfModule = new Map<string, string>();
  const unitCol = new Map<string, number>();
  units.forEach((u, ui) => {
    const name = str(u.name);
    const id = `unit:${name}`;
    const members = list(u.modules).map((m) => {
      placed.add(`module:${m}`);
      unitOfModule.set(m, name);
      return memberNode("module", m, id);
    });
    const e = est.get(`unit:${name}`);
    const platform = str(u.platform) || "vm";
    const serverless = platform === "serverless";
    const zones = list(u.zones);
    const detail = serverless
      ? [
          "function",
          str(u.runtime) || "node",
          typeof u.memory === "string" ? u.memory : "1769MB",
          u.reserved_concurrency !== undefined ? `concurrency ${u.reserved_concurrency}` : "unreserved concurrency",
          u.provisioned !== undefined ? `${u.provisioned} provisioned` : "",
        ]
          .filter(Boolean)
          .join(" · ")
      : [
          platform,
          u.autoscale !== undefined ? `${obj(u.autoscale).min ?? "?"}–${obj(u.autoscale).max ?? "?"}× autoscaled` : `${u.replicas ?? 1}×`,
          u.cores !== undefined ? `${u.cores} cores` : "",
          opt("cpu limit ", u.cpu_limit),
          u.pool !== undefined ? `pool ${obj(u.pool).size ?? "?"}` : "",
          list(u.hosts).length ? `on ${list(u.hosts).join(", ")}` : "",
          zones.length ? `zones ${zones.join(", ")}` : "",
        ]
          .filter(Boolean)
          .join(" ");
    const col = Math.min(...members.map((m) => depth.get(m.label) ?? 0), 99);
    // a unit left empty (its last module dragged away) goes to the last column
    groups.push({
      node: { id, kind: serverless ? "function" : "unit", label: name, lines: [], x: 0, y: 0, width: 0, height: 0, detail, rho: e?.rho, responseS: e?.resp, path: ["variants", vi, "units", ui] },
      members,
      col: col === 99 ? -1 : col + 1,
    });
  });
  const dbOfStore = new Map<string, string>();
  dbs.forEach((d) => list(d.stores).forEach((s) => dbOfStore.set(s, str(d.name))));
  const dbGroups: typeof groups = [];
  dbs.forEach((d, di) => {
    const name = str(d.name);
    const id = `database:${name}`;
    const members = list(d.stores).map((s) => {
      placed.add(`datastore:${s}`);
      return memberNode("datastore", s, id);
    });
    const e = est.get(`database:${name}`);
    const col = Math.max(...members.map((m) => depth.get(m.label) ?? 0), 0);
    const detail = [d.cores !== undefined ? `${d.cores} cores` : "", opt("read replicas ", d.read_replicas), opt("zone ", d.zone)].filter(Boolean).join(" · ");
    dbGroups.push({
      node: { id, kind: "database", label: name, lines: [], x: 0, y: 0, width: 0, height: 0, detail, rho: e?.rho, responseS: e?.resp, path: ["variants", vi, "databases", di] },
      members,
      col: col + 1,
    });
  });

  // layout: entries in column 0, then the CDN, the gateway and the load balancers each in a
  // column of their own, then the units and databases in columns by call depth
  const colY = new Map<number, number>();
  const colX = (c: number) => c * (MOD_W + 2 * PAD + COL_GAP);
  const hasGateway = variant.gateway !== undefined;
  entries.forEach((e, i) => {
    nodes.push({
      id: `entry:${str(e.name)}`,
      kind: "entry",
      label: str(e.name),
      lines: [`${obj(e.arrival).rate ?? "?"}/s → ${str(e.op)}`],
      x: 0,
      y: i * 80,
      width: MOD_W,
      height: 56,
      path: ["workload", "entries", i],
    });
  });
  let front = 0;
  const frontColumn = (ns: GNode[]) => {
    front += 1;
    let y = 0;
    for (const n of ns) {
      n.x = colX(front);
      n.y = y;
      y += n.height + 40;
      nodes.push(n);
    }
  };
  if (cdn)
    frontColumn([small("cdn", "cdn", "CDN", [`hit ratio ${cdn.hit_ratio ?? "?"}`, `entries ${list(cdn.entries).join(", ")}`], ["variants", vi, "cdn"])]);
  if (hasGateway) {
    // the gateway is an estimated node when it has instances (any node key)
    const e = est.get("gateway:gateway");
    const lines = gatewayLines(obj(variant.gateway));
    if (e) lines.push(estimateLine(e.rho, e.resp));
    const g = small("gateway", "gateway", "API gateway", lines, ["variants", vi, "gateway"]);
    frontColumn([e ? { ...g, rho: e.rho, responseS: e.resp } : g]);
  }
  const lbOfUnit = new Map<string, string>();
  if (lbs.length)
    frontColumn(
      lbs.map((l, li) => {
        for (const u of list(l.units)) lbOfUnit.set(u, str(l.name));
        const lines = [
          [`${l.replicas ?? 1}×`, opt("capacity ", l.capacity), str(l.algorithm)].filter(Boolean).join(" "),
          `→ ${list(l.units).join(", ")}`,
        ];
        return small(`load_balancer:${str(l.name)}`, "load_balancer", str(l.name), lines, ["variants", vi, "load_balancers", li]);
      }),
    );
  const lastCol = Math.max(0, ...groups.map((g) => g.col));
  for (const g of groups) if (g.col < 0) g.col = lastCol + 1;
  for (const g of groups) unitCol.set(g.node.label, g.col);
  // queues sit in the column of their consumer's unit, caches in their database's column
  const standalone: typeof groups = [];
  queues.forEach((q, qi) => {
    const name = str(q.name);
    const consumer = cs.find((c) => c.publish === name);
    const col = unitCol.get(unitOfModule.get(consumer?.op.split(".")[0] ?? "") ?? "") ?? lastCol + 1;
    const lines = [opt("consumers ", q.consumers), opt("visibility ", q.visibility_timeout)].filter(Boolean);
    standalone.push({ node: small(`queue:${name}`, "queue", name, lines, ["variants", vi, "queues", qi]), members: [], col });
  });
  const cacheOfStore = new Map<string, string>();
  const dbCol = new Map(dbGroups.map((g) => [g.node.label, g.col]));
  caches.forEach((c, ci) => {
    const name = str(c.name);
    for (const s of list(c.stores)) cacheOfStore.set(s, name);
    const col = dbCol.get(dbOfStore.get(list(c.stores)[0] ?? "") ?? "") ?? lastCol + 1;
    const lines = [c.hit_ratio !== undefined ? `hit ratio ${c.hit_ratio}` : opt("ttl ", c.ttl), `stores ${list(c.stores).join(", ")}`].filter(Boolean);
    standalone.push({ node: small(`cache:${name}`, "cache", name, lines, ["variants", vi, "caches", ci]), members: [], col });
  });
  for (const g of [...groups, ...standalone, ...dbGroups]) {
    g.col += front;
    const top = colY.get(g.col) ?? 0;
    g.node.x = colX(g.col);
    g.node.y = top;
    if (isGroup(g.node.kind)) {
      let y = GROUP_HEAD;
      for (const m of g.members) {
        m.x = PAD;
        m.y = y;
        y += m.height + 10;
      }
      g.node.width = MOD_W + 2 * PAD;
      g.node.height = Math.max(y + 6, GROUP_HEAD + 40);
    }
    colY.set(g.col, top + g.node.height + 40);
  }
  // hosts: groups around the units placed on them (`host`, or `hosts` naming only this host)
  const hostNodes: GNode[] = [];
  let loose = Math.max(0, ...[...colY.values()]) + 40;
  hosts.forEach((h, hi) => {
    const name = str(h.name);
    const id = `host:${name}`;
    const inside = groups.filter((g) => {
      const u = units.find((x) => str(x.name) === g.node.label) ?? {};
      const hs = list(u.hosts);
      return str(u.host) === name || (hs.length > 0 && hs.every((x) => x === name));
    });
    const detail = [h.cores !== undefined ? `${h.cores} cores` : "", typeof h.memory === "string" ? h.memory : "", opt("zone ", h.zone)].filter(Boolean).join(" · ");
    const e = est.get(`host:${name}`);
    const host: GNode = { id, kind: "host", label: name, lines: [], x: 0, y: 0, width: MOD_W + 2 * PAD, height: GROUP_HEAD + 40, detail, rho: e?.rho, responseS: e?.resp, path: ["variants", vi, "hosts", hi] };
    if (inside.length) {
      const x0 = Math.min(...inside.map((g) => g.node.x)) - PAD;
      const y0 = Math.min(...inside.map((g) => g.node.y)) - GROUP_HEAD;
      const x1 = Math.max(...inside.map((g) => g.node.x + g.node.width)) + PAD;
      const y1 = Math.max(...inside.map((g) => g.node.y + g.node.height)) + PAD;
      Object.assign(host, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      for (const g of inside) {
        g.node.parent = id;
        g.node.x -= x0;
        g.node.y -= y0;
      }
    } else {
      host.x = colX(1 + front);
      host.y = loose;
      loose += host.height + 20;
    }
    hostNodes.push(host);
  });
  nodes.push(...hostNodes);
  for (const g of [...groups, ...standalone, ...dbGroups]) nodes.push(g.node, ...g.members);
  // modules hosted on the gateway (composition operations) and modules not deployed in this
  // variant float below (validation reports the latter)
  const onGateway = new Set(list(obj(variant.gateway).modules));
  for (const m of Object.keys(modules))
    if (!placed.has(`module:${m}`)) {
      const n = memberNode("module", m, "");
      n.parent = undefined;
      if (onGateway.has(m)) n.detail = "on the gateway";
      n.x = colX(1 + front);
      n.y = loose;
      loose += n.height + 20;
      nodes.push(n);
    }

  const where = new Map<string, string>();
  for (const n of nodes) if (n.kind === "module" || n.kind === "datastore") where.set(n.label, n.id);
  const edges = new Map<string, GEdge>();
  const addEdge = (source: string, target: string, label: string) => {
    const id = `${source}->${target}`;
    const e = edges.get(id);
    if (e && label && !e.label.split(", ").includes(label)) e.label = e.label ? `${e.label}, ${label}` : label;
    else if (!e) edges.set(id, { id, source, target, label });
  };
  const cdnEntries = new Set(cdn ? list(cdn.entries) : []);
  entries.forEach((e) => {
    const [tm, top] = str(e.op).split(".");
    const target = where.get(tm);
    if (!target) return;
    // the chain of the entry's request: CDN (its entries), gateway, the target unit's balancer
    const lb = lbOfUnit.get(unitOfModule.get(tm) ?? "");
    const chain = [`entry:${str(e.name)}`, cdnEntries.has(str(e.name)) ? "cdn" : "", hasGateway ? "gateway" : "", lb ? `load_balancer:${lb}` : "", target].filter(Boolean);
    for (let i = 0; i + 1 < chain.length; i++) addEdge(chain[i], chain[i + 1], top ?? "");
  });
  for (const c of cs) {
    const src = where.get(c.from);
    const [tm, top] = c.op.split(".");
    const dst = where.get(tm);
    if (!src || !dst) continue;
    const mult = [c.count !== 1 ? `×${c.count}` : "", c.p !== 1 ? `p=${+c.p.toFixed(3)}` : ""].filter(Boolean).join(" ");
    const label = mult ? `${top} ${mult}` : top;
    const queue = c.publish && queues.some((q) => str(q.name) === c.publish) ? `queue:${c.publish}` : undefined;
    // only `kind = "read"` operations are cached
    const cache = obj(obj(obj(stores[tm]).ops)[top]).kind === "read" ? cacheOfStore.get(tm) : undefined;
    if (queue) {
      // publisher → queue → consumer
      addEdge(src, queue, `publish ${label}`);
      addEdge(queue, dst, top);
    } else if (cache) {
      // calls to a store behind a cache node pass it; a miss goes on to the store
      addEdge(src, `cache:${cache}`, label);
      addEdge(`cache:${cache}`, dst, "miss");
    } else addEdge(src, dst, label);
  }
  return { nodes, edges: [...edges.values()] };
}

/** The absolute position of a node (its parents' offsets added). */
export function absolute(g: Graph, n: GNode): { x: number; y: number } {
  let x = n.x;
  let y = n.y;
  let p = n.parent ? g.nodes.find((m) => m.id === n.parent) : undefined;
  for (let i = 0; p && i < 8; i++) {
    x += p.x;
    y += p.y;
    p = p.parent ? g.nodes.find((m) => m.id === p!.parent) : undefined;
  }
  return { x, y };
}

/** The unit (or function) whose box contains the point (absolute coordinates), for drops of a
 * dragged module. */
export function unitAt(g: Graph, x: number, y: number): GNode | undefined {
  return g.nodes.find((n) => {
    if (n.kind !== "unit" && n.kind !== "function") return false;
    const a = absolute(g, n);
    return x >= a.x && x <= a.x + n.width && y >= a.y && y <= a.y + n.height;
  });
}
