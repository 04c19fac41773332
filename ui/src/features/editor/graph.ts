// The scenario document as a graph: the logical model (modules with their operations, data
// stores, entries, calls as edges) laid out inside the units and databases of one variant.
// Pure functions: the React view (Graph.tsx) only renders what these return.
import type { Analysis } from "../../api";

type Obj = Record<string, unknown>;
type Estimate = Analysis["estimates"][number];

export type NodeKind = "entry" | "gateway" | "module" | "datastore" | "unit" | "database";

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
  /** Instant estimate: utilization ρ and mean response [s] (units and databases). */
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
}

/** Every call of every module operation, flattening `parallel` groups. */
export function calls(document: Obj): Call[] {
  const out: Call[] = [];
  const walk = (from: string, list: unknown, scale: number) => {
    for (const c of arr(list)) {
      const p = typeof c.p === "number" ? c.p : 1;
      if (c.parallel) walk(from, c.parallel, scale * p);
      if (typeof c.op === "string")
        out.push({ from, op: c.op, count: typeof c.count === "number" ? c.count : 1, p: p * scale });
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

/** Builds the graph of variant `vi`, with the instant estimate when one is given. */
export function buildGraph(document: Obj | null, vi: number, estimate?: Estimate): Graph {
  if (!document) return { nodes: [], edges: [] };
  const modules = obj(document.modules);
  const stores = obj(document.datastores);
  const variant = arr(document.variants)[vi] ?? {};
  const units = arr(variant.units);
  const dbs = arr(variant.databases);
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
  const placed = new Set<string>();
  units.forEach((u, ui) => {
    const name = str(u.name);
    const id = `unit:${name}`;
    const members = (Array.isArray(u.modules) ? (u.modules as string[]) : []).map((m) => {
      placed.add(`module:${m}`);
      return memberNode("module", m, id);
    });
    const e = est.get(`unit:${name}`);
    const platform = str(u.platform) || "vm";
    const detail = [platform, `${u.replicas ?? 1}×`, u.cores !== undefined ? `${u.cores} cores` : ""]
      .filter(Boolean)
      .join(" ");
    const col = Math.min(...members.map((m) => depth.get(m.label) ?? 0), 99);
    // a unit left empty (its last module dragged away) goes to the last column
    groups.push({
      node: { id, kind: "unit", label: name, lines: [], x: 0, y: 0, width: 0, height: 0, detail, rho: e?.rho, responseS: e?.resp, path: ["variants", vi, "units", ui] },
      members,
      col: col === 99 ? -1 : col + 1,
    });
  });
  dbs.forEach((d, di) => {
    const name = str(d.name);
    const id = `database:${name}`;
    const members = (Array.isArray(d.stores) ? (d.stores as string[]) : []).map((s) => {
      placed.add(`datastore:${s}`);
      return memberNode("datastore", s, id);
    });
    const e = est.get(`database:${name}`);
    const col = Math.max(...members.map((m) => depth.get(m.label) ?? 0), 0);
    groups.push({
      node: { id, kind: "database", label: name, lines: [], x: 0, y: 0, width: 0, height: 0, detail: d.cores !== undefined ? `${d.cores} cores` : "", rho: e?.rho, responseS: e?.resp, path: ["variants", vi, "databases", di] },
      members,
      col: col + 1,
    });
  });

  // layout: entries (and the gateway) in column 0, groups in columns by call depth
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
  if (hasGateway)
    nodes.push({ id: "gateway", kind: "gateway", label: "API gateway", lines: ["every entry passes it"], x: colX(1), y: Math.max(0, (entries.length - 1) * 40), width: MOD_W, height: 56, path: ["variants", vi, "gateway"] });
  const shift = hasGateway ? 1 : 0;
  const lastCol = Math.max(0, ...groups.map((g) => g.col));
  for (const g of groups) if (g.col < 0) g.col = lastCol + 1;
  for (const g of groups) {
    g.col += shift;
    let y = GROUP_HEAD;
    for (const m of g.members) {
      m.x = PAD;
      m.y = y;
      y += m.height + 10;
    }
    g.node.width = MOD_W + 2 * PAD;
    g.node.height = Math.max(y + 6, GROUP_HEAD + 40);
    const top = colY.get(g.col) ?? 0;
    g.node.x = colX(g.col);
    g.node.y = top;
    colY.set(g.col, top + g.node.height + 40);
    nodes.push(g.node, ...g.members);
  }
  // modules and stores not deployed in this variant float below (validation reports them)
  let loose = Math.max(0, ...[...colY.values()]) + 40;
  for (const m of Object.keys(modules))
    if (!placed.has(`module:${m}`)) {
      const n = memberNode("module", m, "");
      n.parent = undefined;
      n.x = colX(1 + shift);
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
    if (e) e.label = `${e.label}, ${label}`;
    else edges.set(id, { id, source, target, label });
  };
  entries.forEach((e) => {
    const target = where.get(str(e.op).split(".")[0]);
    if (!target) return;
    if (hasGateway) {
      addEdge(`entry:${str(e.name)}`, "gateway", str(e.op).split(".")[1] ?? "");
      addEdge("gateway", target, str(e.op).split(".")[1] ?? "");
    } else addEdge(`entry:${str(e.name)}`, target, str(e.op).split(".")[1] ?? "");
  });
  for (const c of cs) {
    const src = where.get(c.from);
    const [tm, top] = c.op.split(".");
    const dst = where.get(tm);
    if (!src || !dst) continue;
    const mult = [c.count !== 1 ? `×${c.count}` : "", c.p !== 1 ? `p=${+c.p.toFixed(3)}` : ""].filter(Boolean).join(" ");
    addEdge(src, dst, mult ? `${top} ${mult}` : top);
  }
  return { nodes, edges: [...edges.values()] };
}

/** The unit whose box contains the point (absolute coordinates), for drops of a dragged module. */
export function unitAt(g: Graph, x: number, y: number): GNode | undefined {
  return g.nodes.find((n) => n.kind === "unit" && x >= n.x && x <= n.x + n.width && y >= n.y && y <= n.y + n.height);
}
