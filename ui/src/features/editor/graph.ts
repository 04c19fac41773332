// The scenario as a graph: the logical model from the document (entries, modules with their
// operations, data stores, calls as edges), laid out inside the deployment of one variant as
// the backend resolved it (the analysis's `topology`: units, functions, databases, the gateway,
// load balancers, caches, the CDN, queues and hosts, with their settings and defaults, and the
// way each entry takes). No engine rule is re-derived here: what is a node, a default, a route
// comes from the topology. Pure functions: the React view (Graph.tsx) only renders them.
import { badgesOf, guardMarks } from "./annotations";
import type { Analysis, TopologyNode, VariantTopology } from "../../api";

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
  | "host"
  | "external"
  | "workflow";

/** The deployed kinds this UI draws in their own way; any other is a generic box. */
const KNOWN_KINDS: string[] = ["unit", "function", "database", "gateway", "load_balancer", "cache", "cdn", "queue", "host", "external"];

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
  /** Estimated monthly cost [$] of the node's lines in the cost estimate (see cost.ts). */
  costUsd?: number;
  /** Path of the item in the document (for the property panel). */
  path: (string | number)[];
  /** A module's team in this variant (`owners`, else its `team`) and the team's colour. */
  team?: string;
  teamColor?: string;
  /** Faults injected into it and, for a unit, its default resilience (see annotations.ts). */
  badges?: string[];
  /** The colour of the unit a decomposition previewed puts it in (decompose.ts). */
  tint?: string;
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
  /** Its timeout, retries, breaker, bulkhead, fallback in words (`timeout 2s`, `retry ×3`, …). */
  guards: string[];
}

/** Every call of every module operation, flattening `parallel` groups. */
export function calls(document: Obj): Call[] {
  const out: Call[] = [];
  const walk = (from: string, list: unknown, scale: number) => {
    for (const c of arr(list)) {
      const p = typeof c.p === "number" ? c.p : 1;
      if (c.parallel) walk(from, c.parallel, scale * p);
      if (typeof c.op === "string") {
        const call: Call = { from, op: c.op, count: typeof c.count === "number" ? c.count : 1, p: p * scale, guards: guardMarks(c) };
        if (typeof c.publish === "string") call.publish = c.publish;
        out.push(call);
      }
    }
  };
  for (const [m, mod] of Object.entries(obj(document.modules)))
    for (const op of Object.values(obj(obj(mod).ops))) walk(m, obj(op).calls, 1);
  return out;
}

export function fmtS(s: number): string {
  if (s >= 1) return `${s.toPrecision(3)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toPrecision(3)} ms`;
  return `${(s * 1e6).toPrecision(3)} µs`;
}

/** A setting's duration, without trailing zeros (`30 s`, `30 µs`). */
const fmtSetting = (s: number) => fmtS(s).replace(/\.0+ /, " ");

/** Bytes as MB or GB (decimal units, as the scenario format's sizes). */
export function fmtBytes(b: number): string {
  if (b >= 1e9 && b % 1e8 === 0) return `${+(b / 1e9).toFixed(1)}GB`;
  return `${+(b / 1e6).toFixed(1)}MB`;
}

export function estimateLine(rho: number | undefined, resp: number | null | undefined): string {
  if (rho === undefined) return "";
  const r = `ρ ${rho.toFixed(2)}`;
  return resp === null || resp === undefined ? `${r} · unstable` : `${r} · ${fmtS(resp)}`;
}

const cores = (c: number | null | undefined) => (typeof c === "number" ? `${c} ${c === 1 ? "core" : "cores"}` : "");
const join = (xs: (string | false | null | undefined)[], sep: string) => xs.filter(Boolean).join(sep);

/** The detail line of a unit, a function, a database or a host. */
export function detailOf(n: TopologyNode): string {
  const f = n.function;
  if (f)
    return join(
      [
        "function",
        f.runtime,
        fmtBytes(f.memory_bytes),
        typeof f.reserved_concurrency === "number" ? `concurrency ${f.reserved_concurrency}` : "unreserved concurrency",
        f.provisioned > 0 && `${f.provisioned} provisioned`,
      ],
      " · ",
    );
  if (n.kind === "unit")
    return join(
      [
        n.platform,
        n.autoscale ? `${n.autoscale.min}–${n.autoscale.max}× autoscaled` : `${n.instances ?? 1}×`,
        cores(n.cores),
        typeof n.cpu_limit === "number" && `cpu limit ${n.cpu_limit}`,
        n.pool && `pool ${n.pool.size}`,
        n.hosts.length > 1 && `on ${n.hosts.join(", ")}`,
        n.zones.length > 0 && `zones ${n.zones.join(", ")}`,
      ],
      " ",
    );
  if (n.kind === "database")
    return join([cores(n.cores), (n.read_replicas ?? 0) > 0 && `read replicas ${n.read_replicas}`, n.zones.length > 0 && `zone ${n.zones[0]}`], " · ");
  return join([cores(n.cores), typeof n.memory_bytes === "number" && fmtBytes(n.memory_bytes), n.zones.length > 0 && `zone ${n.zones[0]}`], " · ");
}

const cacheLine = (n: TopologyNode) =>
  typeof n.cache?.hit_ratio === "number" ? `hit ratio ${n.cache.hit_ratio}` : typeof n.cache?.ttl_s === "number" ? `ttl ${fmtSetting(n.cache.ttl_s)}` : "";

/** The summary lines of a node that is not a group: the gateway, a balancer, a cache, the CDN, a queue. */
export function linesOf(n: TopologyNode): string[] {
  switch (n.kind) {
    case "gateway": {
      // a node with instances of its own, or a plain delay every entry passes
      if (typeof n.instances !== "number") return ["every entry passes it"];
      const auth = n.auth;
      return [
        join([`${n.instances}×`, cores(n.cores)], " "),
        auth && (auth.operation ? `auth → ${auth.operation}` : typeof auth.cpu_s === "number" ? `auth cpu ${fmtSetting(auth.cpu_s)}` : ""),
        n.rate_limit && `rate limit ${n.rate_limit.rate}/s burst ${n.rate_limit.burst}`,
        n.entries.length > 0 && `cache on ${n.entries.join(", ")}`,
        n.modules.length > 0 && `runs ${n.modules.join(", ")}`,
      ].filter((x): x is string => Boolean(x));
    }
    case "load_balancer":
      return [join([`${n.instances ?? 1}×`, typeof n.capacity === "number" && `capacity ${n.capacity}`, n.algorithm], " "), `→ ${n.units.join(", ")}`];
    case "cache":
      return [cacheLine(n), `stores ${n.stores.join(", ")}`].filter(Boolean);
    case "cdn":
      return [cacheLine(n), `entries ${n.entries.join(", ")}`].filter(Boolean);
    case "external":
      return [n.rate_limit && `quota ${n.rate_limit.rate}/s burst ${n.rate_limit.burst}`, n.operations.length > 0 && `ops ${n.operations.join(", ")}`].filter(
        (x): x is string => Boolean(x),
      );
    case "queue":
      return [typeof n.capacity === "number" && `consumers ${n.capacity}`, typeof n.visibility_timeout_s === "number" && `visibility ${fmtSetting(n.visibility_timeout_s)}`].filter(
        (x): x is string => Boolean(x),
      );
    default:
      return [];
  }
}

/** The document path of a deployed node: the variant's list item with its name. */
function pathOf(variant: Obj, vi: number, n: TopologyNode): (string | number)[] {
  if (n.kind === "gateway" || n.kind === "cdn") return ["variants", vi, n.kind];
  // an external service is the same in every variant: a top-level table
  if (n.kind === "external") return ["externals", n.name];
  // a kind this UI does not know yet: the variant's list of that kind, by convention plural
  const key = ({ unit: "units", database: "databases", load_balancer: "load_balancers", cache: "caches", queue: "queues", host: "hosts" } as Record<string, string>)[n.kind] ?? `${n.kind}s`;
  const i = arr(variant[key]).findIndex((x) => str(x.name) === n.name);
  return i < 0 ? ["variants", vi] : ["variants", vi, key, i];
}

/** The graph id of a deployed node. */
export function nodeId(kind: TopologyNode["kind"], name: string): string {
  return kind === "gateway" || kind === "cdn" ? kind : `${kind}:${name}`;
}

/** Depth of each module/store from the entries (longest path, cycles cut), for the layout. */
function depths(document: Obj, cs: Call[]): Map<string, number> {
  const depth = new Map<string, number>();
  const succ = new Map<string, string[]>();
  for (const c of cs) succ.set(c.from, [...(succ.get(c.from) ?? []), c.op.split(".")[0]]);
  const visit = (n: string, d: number, seen: Set<string>) => {
    if (seen.has(n) || (depth.get(n) ?? -1) >= d) return;
    depth.set(n, d);
    seen.add(n);
    for (const s of succ.get(n) ?? []) visit(s, d + 1, seen);
    seen.delete(n);
  };
  for (const e of arr(obj(document.workload).entries)) visit(str(e.op).split(".")[0], 0, new Set());
  return depth;
}

interface Group {
  node: GNode;
  members: GNode[];
  col: number;
  /** The deployed node it draws. */
  topo?: TopologyNode;
}

/** The pieces the layout places: groups (units, databases) and standalone nodes (queues, caches). */
interface Parts {
  groups: Group[];
  dbGroups: Group[];
  standalone: Group[];
  front: GNode[][];
  placed: Set<string>;
}

function box(id: string, kind: NodeKind, label: string, lines: string[], path: (string | number)[]): GNode {
  return { id, kind, label, lines, x: 0, y: 0, width: MOD_W, height: HEAD_H + Math.max(1, lines.length) * OP_H + 8, path };
}

function memberNode(document: Obj, kind: "module" | "datastore", name: string, parent: string): GNode {
  const ops = Object.keys(obj(obj(obj(kind === "module" ? document.modules : document.datastores)[name]).ops));
  const n = box(`${kind}:${name}`, kind, name, ops.map((o) => `${name}.${o}`), [kind === "module" ? "modules" : "datastores", name]);
  return { ...n, parent: parent || undefined, height: HEAD_H + Math.max(1, ops.length) * OP_H + 8 };
}

/** `n` with the estimate of the deployed node `t` (units, databases, the gateway node, hosts). */
function withEstimate(n: GNode, estimate: Estimate | undefined, t: TopologyNode): GNode {
  const e = estimate?.nodes.find((x) => x.kind === t.kind && x.name === t.name);
  return e ? { ...n, rho: e.utilization, responseS: e.mean_response_s } : n;
}

/** The deployment's nodes: groups around modules and stores, front-door columns, queues and caches. */
function parts(document: Obj, vi: number, topology: VariantTopology | undefined, estimate: Estimate | undefined, depth: Map<string, number>): Parts {
  const variant = arr(document.variants)[vi] ?? {};
  const out: Parts = { groups: [], dbGroups: [], standalone: [], front: [], placed: new Set() };
  const nodes = topology?.nodes ?? [];
  const group = (n: TopologyNode, kind: NodeKind, members: GNode[], col: number): Group => ({
    node: withEstimate({ ...box(nodeId(n.kind, n.name), kind, n.name, [], pathOf(variant, vi, n)), width: 0, height: 0, detail: detailOf(n) }, estimate, n),
    members,
    col,
  });
  for (const n of nodes.filter((x) => x.kind === "unit")) {
    const members = n.modules.map((m) => memberNode(document, "module", m, nodeId("unit", n.name)));
    members.forEach((m) => out.placed.add(m.id));
    const col = Math.min(...members.map((m) => depth.get(m.label) ?? 0), 99);
    // a unit left empty (its last module dragged away) goes to the last column
    out.groups.push(group(n, n.function ? "function" : "unit", members, col === 99 ? -1 : col + 1));
  }
  for (const n of nodes.filter((x) => x.kind === "database")) {
    const members = n.stores.map((s) => memberNode(document, "datastore", s, nodeId("database", n.name)));
    members.forEach((m) => out.placed.add(m.id));
    out.dbGroups.push(group(n, "database", members, Math.max(...members.map((m) => depth.get(m.label) ?? 0), 0) + 1));
  }
  const small = (n: TopologyNode) => box(nodeId(n.kind, n.name), n.kind, n.kind === "gateway" ? "API gateway" : n.kind === "cdn" ? "CDN" : n.name, linesOf(n), pathOf(variant, vi, n));
  // the front door, outermost first: the CDN, the gateway, the load balancers
  for (const kind of ["cdn", "gateway", "load_balancer"] as const) {
    const ns = nodes.filter((x) => x.kind === kind).map((n) => {
      const b = withEstimate(small(n), estimate, n);
      return b.rho === undefined ? b : { ...b, lines: [...b.lines, estimateLine(b.rho, b.responseS)] };
    });
    if (ns.length) out.front.push(ns);
  }
  for (const kind of ["queue", "cache", "external"] as const)
    for (const n of nodes.filter((x) => x.kind === kind)) out.standalone.push({ node: small(n), members: [], col: -1, topo: n });
  // kinds added to the engine after this UI: drawn as plain boxes with their name and instances
  for (const n of nodes.filter((x) => !KNOWN_KINDS.includes(x.kind as string)))
    out.standalone.push({ node: { ...small(n), lines: typeof n.instances === "number" ? [`${n.instances}×`] : [] }, members: [], col: -1, topo: n });
  return out;
}

/** How an entry's arrivals read on its box: its rate, profile shape, trace or closed loop. */
export function arrivalLabel(a: Obj): string {
  if (a.process === "closed") return `${a.users ?? "?"} users`;
  if (a.trace !== undefined) return "trace";
  const p = obj(a.profile);
  const shape = ["steps", "ramp", "spike", "diurnal"].find((k) => p[k] !== undefined);
  if (shape) return `${shape} profile`;
  return `${a.rate ?? "?"}/s`;
}

/** Builds the graph of variant `vi`: the logical model from `document`, the deployment from
 * `topology` (the backend's, for this variant), with the instant estimate when one is given.
 * Its places (columns by call depth) are provisional: the view lays the graph out with ELK
 * (layout.ts) and shows them only for a node no layout has placed yet. */
export function buildGraph(document: Obj | null, vi: number, topology?: VariantTopology, estimate?: Estimate): Graph {
  if (!document) return { nodes: [], edges: [] };
  const cs = calls(document);
  const depth = depths(document, cs);
  const p = parts(document, vi, topology, estimate, depth);
  const nodes: GNode[] = arr(obj(document.workload).entries).map((e, i) => ({
    ...box(`entry:${str(e.name)}`, "entry", str(e.name), [`${arrivalLabel(obj(e.arrival))} → ${str(e.op)}`], ["workload", "entries", i]),
    y: i * 80,
    height: 56,
  }));
  const colX = (c: number) => c * (MOD_W + 2 * PAD + COL_GAP);
  // layout: entries in column 0, the front door's nodes each kind in a column of its own, then
  // the units and databases in columns by call depth
  p.front.forEach((column, i) => {
    let y = 0;
    for (const n of column) {
      Object.assign(n, { x: colX(i + 1), y });
      y += n.height + 40;
      nodes.push(n);
    }
  });
  const front = p.front.length;
  const lastCol = Math.max(0, ...p.groups.map((g) => g.col));
  for (const g of p.groups) if (g.col < 0) g.col = lastCol + 1;
  placeStandalone(p, cs, lastCol);
  const colY = new Map<number, number>();
  for (const g of [...p.groups, ...p.standalone, ...p.dbGroups]) {
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
  let loose = Math.max(0, ...[...colY.values()]) + 40;
  loose = placeHosts(p, document, vi, topology, estimate, nodes, colX(1 + front), loose);
  for (const g of [...p.groups, ...p.standalone, ...p.dbGroups]) nodes.push(g.node, ...g.members);
  // modules hosted on the gateway (composition operations) and modules not deployed in this
  // variant float below (validation reports the latter)
  const onGateway = new Set(topology?.nodes.find((n) => n.kind === "gateway")?.modules ?? []);
  for (const m of Object.keys(obj(document.modules)))
    if (!p.placed.has(`module:${m}`)) {
      const n = memberNode(document, "module", m, "");
      if (onGateway.has(m)) n.detail = "on the gateway";
      Object.assign(n, { x: colX(1 + front), y: loose });
      loose += n.height + 20;
      nodes.push(n);
    }
  const badges = badgesOf(document, arr(document.variants)[vi] ?? {}, nodes);
  for (const n of nodes) if (badges.has(n.id)) n.badges = badges.get(n.id);
  return { nodes: withTeams(nodes, document, vi), edges: edgesOf(document, topology, cs, nodes) };
}

/** Team colours, by the team's place in `[teams]` (then by first use). */
export const TEAM_COLORS = ["#0ea5e9", "#f97316", "#a855f7", "#22c55e", "#e11d48", "#eab308", "#14b8a6", "#6366f1"];

/** The team owning `module` in variant `vi`: the variant's `owners`, else the module's `team`. */
export function teamOf(document: Obj, vi: number, module: string): string | undefined {
  const owners = obj(arr(document.variants)[vi]?.owners);
  const t = owners[module] ?? obj(obj(document.modules)[module]).team;
  return typeof t === "string" ? t : undefined;
}

/** The colour of `team` (stable across variants: its place among the scenario's teams). */
export function teamColor(document: Obj, team: string): string {
  const declared = Object.keys(obj(document.teams));
  const used = [...declared];
  for (const m of Object.values(obj(document.modules))) {
    const t = obj(m).team;
    if (typeof t === "string" && !used.includes(t)) used.push(t);
  }
  for (const v of arr(document.variants))
    for (const t of Object.values(obj(v.owners))) if (typeof t === "string" && !used.includes(t)) used.push(t);
  const i = used.indexOf(team);
  return TEAM_COLORS[(i < 0 ? used.length : i) % TEAM_COLORS.length];
}

/** Every module node with the team that owns it in this variant and the team's colour. */
function withTeams(nodes: GNode[], document: Obj, vi: number): GNode[] {
  return nodes.map((n) => {
    if (n.kind !== "module") return n;
    const team = teamOf(document, vi, n.label);
    return team ? { ...n, team, teamColor: teamColor(document, team) } : n;
  });
}

/** Queues sit in the column of their consumer's unit, caches in their first store's database's. */
function placeStandalone(p: Parts, cs: Call[], lastCol: number) {
  const unitCol = new Map<string, number>();
  for (const g of p.groups) for (const m of g.members) unitCol.set(m.label, g.col);
  const dbCol = new Map<string, number>();
  for (const g of p.dbGroups) for (const m of g.members) dbCol.set(m.label, g.col);
  for (const s of p.standalone) {
    if (s.node.kind === "queue") {
      const consumer = cs.find((c) => c.publish === s.node.label);
      s.col = unitCol.get(consumer?.op.split(".")[0] ?? "") ?? lastCol + 1;
    } else s.col = dbCol.get(s.topo?.stores[0] ?? "") ?? lastCol + 1;
  }
}

/** Hosts: groups around the units every instance of which runs on them (the topology says
 * which); a host with none floats below. Returns the next free row below. */
function placeHosts(p: Parts, document: Obj, vi: number, topology: VariantTopology | undefined, estimate: Estimate | undefined, nodes: GNode[], x: number, loose: number): number {
  const variant = arr(document.variants)[vi] ?? {};
  for (const h of topology?.nodes.filter((n) => n.kind === "host") ?? []) {
    const id = nodeId("host", h.name);
    const inside = p.groups.filter((g) => h.units.includes(g.node.label));
    const host = withEstimate(
      { ...box(id, "host", h.name, [], pathOf(variant, vi, h)), width: MOD_W + 2 * PAD, height: GROUP_HEAD + 40, detail: detailOf(h) },
      estimate,
      h,
    );
    if (inside.length) {
      const x0 = Math.min(...inside.map((g) => g.node.x)) - PAD;
      const y0 = Math.min(...inside.map((g) => g.node.y)) - GROUP_HEAD;
      const x1 = Math.max(...inside.map((g) => g.node.x + g.node.width)) + PAD;
      const y1 = Math.max(...inside.map((g) => g.node.y + g.node.height)) + PAD;
      Object.assign(host, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
      for (const g of inside) Object.assign(g.node, { parent: id, x: g.node.x - x0, y: g.node.y - y0 });
    } else {
      Object.assign(host, { x, y: loose });
      loose += host.height + 20;
    }
    nodes.push(host);
  }
  return loose;
}

/** Entries along their routes (through the front nodes the topology lists), calls as edges
 * between modules and stores, through a queue for a `publish` and a cache node for the reads
 * it answers. */
function edgesOf(document: Obj, topology: VariantTopology | undefined, cs: Call[], nodes: GNode[]): GEdge[] {
  const where = new Map<string, string>();
  for (const n of nodes) if (n.kind === "module" || n.kind === "datastore") where.set(n.label, n.id);
  const edges = new Map<string, GEdge>();
  const addEdge = (source: string, target: string, label: string) => {
    const id = `${source}->${target}`;
    const e = edges.get(id);
    if (e && label && !e.label.split(", ").includes(label)) e.label = e.label ? `${e.label}, ${label}` : label;
    else if (!e) edges.set(id, { id, source, target, label });
  };
  for (const e of arr(obj(document.workload).entries)) {
    const [tm, top] = str(e.op).split(".");
    const target = where.get(tm);
    if (!target) continue;
    const route = topology?.entries.find((r) => r.entry === str(e.name));
    const chain = [`entry:${str(e.name)}`, ...(route?.via ?? []).map((n) => nodeId(n.kind, n.name)), target];
    for (let i = 0; i + 1 < chain.length; i++) addEdge(chain[i], chain[i + 1], top ?? "");
  }
  const queues = new Set((topology?.nodes ?? []).filter((n) => n.kind === "queue").map((n) => n.name));
  const cacheOf = new Map<string, string>();
  for (const c of (topology?.nodes ?? []).filter((n) => n.kind === "cache")) for (const op of c.operations) cacheOf.set(op, c.name);
  for (const c of cs) {
    const src = where.get(c.from);
    const [tm, top] = c.op.split(".");
    const dst = where.get(tm);
    if (!src || !dst) continue;
    const mult = [c.count !== 1 ? `×${c.count}` : "", c.p !== 1 ? `p=${+c.p.toFixed(3)}` : "", ...c.guards].filter(Boolean).join(" ");
    const label = mult ? `${top} ${mult}` : top;
    const cache = cacheOf.get(c.op);
    if (c.publish && queues.has(c.publish)) {
      // publisher → queue → consumer
      addEdge(src, `queue:${c.publish}`, `publish ${label}`);
      addEdge(`queue:${c.publish}`, dst, top);
    } else if (cache) {
      // reads a cache node answers pass it; a miss goes on to the store
      addEdge(src, `cache:${cache}`, label);
      addEdge(`cache:${cache}`, dst, "miss");
    } else addEdge(src, dst, label);
  }
  return [...edges.values()];
}

/** A topology drawn for a document it was not resolved from — the text has errors since, and
 * the backend resolves only valid scenarios: every unit's modules as the document now lists
 * them, so that a module moved out of the last place of its unit shows where it went. Every
 * other fact stays the last valid resolution's. */
export function withDocumentModules(topology: VariantTopology[], document: unknown): VariantTopology[] {
  const variants = arr(obj(document).variants);
  return topology.map((t) => {
    const units = arr(variants.find((v) => str(v.name) === t.variant)?.units);
    const modulesOf = (name: string) => {
      const u = units.find((x) => str(x.name) === name);
      return u && Array.isArray(u.modules) ? u.modules.filter((m): m is string => typeof m === "string") : undefined;
    };
    return { ...t, nodes: t.nodes.map((n) => (n.kind === "unit" ? { ...n, modules: modulesOf(n.name) ?? n.modules } : n)) };
  });
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

/** Screen size of a node's name at zoom 1 [px], and the smallest it may get on screen. */
export const NAME_PX = 12;
export const MIN_SCREEN_PX = 9.5;

/**
 * Level of detail at a zoom: below the zoom where a name would read smaller than
 * `MIN_SCREEN_PX`, the details (operations, the estimate's figures, team chips, edge labels)
 * are hidden — an overloaded node stays red and a team's colour stays on the border —
 * and the names are drawn larger by `scale` so that they stay at that size on screen, up to
 * 3× (below a zoom of 0.26 the names shrink again rather than overflow their boxes).
 */
export function levelOfDetail(zoom: number): { detailed: boolean; scale: number } {
  const threshold = MIN_SCREEN_PX / NAME_PX;
  if (zoom >= threshold) return { detailed: true, scale: 1 };
  return { detailed: false, scale: Math.min(3, threshold / zoom) };
}
/** The smallest zoom at which the names still read `MIN_SCREEN_PX` on screen (drawn 3× larger
 * by `levelOfDetail`): fitting never zooms out further. */
export const MIN_READABLE_ZOOM = MIN_SCREEN_PX / NAME_PX / 3;

/**
 * The viewport that fits `bounds` (flow coordinates) into a `width` × `height` pane with
 * `padding` around it, at a zoom between `MIN_READABLE_ZOOM` and `maxZoom`. A graph too large to
 * fit at the readable minimum is shown from its top-left corner (the entries), the rest reached by
 * panning; one that fits is centred.
 */
export function readableFit(
  bounds: { x: number; y: number; width: number; height: number },
  pane: { width: number; height: number },
  padding = 24,
  maxZoom = 1,
): { x: number; y: number; zoom: number } {
  const fit = Math.min((pane.width - 2 * padding) / Math.max(1, bounds.width), (pane.height - 2 * padding) / Math.max(1, bounds.height));
  const zoom = Math.max(MIN_READABLE_ZOOM, Math.min(maxZoom, fit));
  const place = (start: number, size: number, room: number) => (size * zoom <= room - 2 * padding ? (room - size * zoom) / 2 - start * zoom : padding - start * zoom);
  return { x: place(bounds.x, bounds.width, pane.width), y: place(bounds.y, bounds.height, pane.height), zoom };
}
