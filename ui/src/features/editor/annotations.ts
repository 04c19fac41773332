// What can fail and what guards against it, drawn on the graph: a call's timeout, retries,
// circuit breaker, bulkhead and fallback on its edge; a unit's default resilience policies and
// the faults injected into a node (a crash, a slowdown, errors, …) as badges on the node. The
// fault targets resolve in the order the engine resolves them (docs/format.md, Faults):
// `gateway`, a unit, a module's unit, a database, a load balancer, a cache, a data store's
// database, an external service.
import type { GNode } from "./graph";
import { formatSeconds, seconds } from "./quantity";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

/** The guards of a call (or of a unit's `resilience` defaults), in words: `timeout 2s`, `retry ×3`. */
export function guardMarks(c: Obj): string[] {
  const out: string[] = [];
  const dur = (v: unknown) => {
    const s = seconds(v);
    return s === null ? String(v) : formatSeconds(s).replace(" ", "");
  };
  if (c.timeout !== undefined) out.push(`timeout ${dur(c.timeout)}`);
  if (c.retry !== undefined) out.push(`retry ×${typeof obj(c.retry).attempts === "number" ? obj(c.retry).attempts : 3}`);
  if (c.breaker !== undefined) out.push("breaker");
  if (c.bulkhead !== undefined && c.bulkhead !== false) out.push(`bulkhead ${c.bulkhead === true ? 10 : String(c.bulkhead)}`);
  if (c.fallback !== undefined) out.push(`fallback ${String(c.fallback)}`);
  return out;
}

/** A fault as a badge: `⚠ crash 60 s–1.5 min`, `⚠ slow ×4 from 30 s`. */
export function faultBadge(f: Obj): string {
  const at = f.at === undefined ? 0 : (seconds(f.at) ?? 0);
  const d = f.duration === undefined ? null : seconds(f.duration);
  const when = f.mtbf !== undefined ? `MTBF ${String(f.mtbf)}` : d === null ? `from ${formatSeconds(at)}` : `${formatSeconds(at)}–${formatSeconds(at + d)}`;
  const kind = String(f.kind ?? "fault");
  const how = kind === "slow" && typeof f.factor === "number" ? ` ×${f.factor}` : kind === "error" && typeof f.rate === "number" ? ` ${+(100 * f.rate).toPrecision(3)}%` : kind === "cpu_hog" && typeof f.cores === "number" ? ` ${f.cores} cores` : "";
  return `⚠ ${kind}${how} ${when}`;
}

/** The node a fault's target names in this graph (null: nothing drawn for it, e.g. a host). */
export function faultNode(nodes: GNode[], target: string): GNode | null {
  const find = (kinds: string[]) => nodes.find((n) => kinds.includes(n.kind) && n.label === target) ?? null;
  if (target === "gateway") return nodes.find((n) => n.kind === "gateway") ?? null;
  const unit = find(["unit", "function"]);
  if (unit) return unit;
  const module = find(["module"]);
  if (module) return (module.parent && nodes.find((n) => n.id === module.parent)) || module;
  const db = find(["database"]) ?? find(["load_balancer"]) ?? find(["cache"]);
  if (db) return db;
  const store = find(["datastore"]);
  if (store) return (store.parent && nodes.find((n) => n.id === store.parent)) || store;
  return find(["external"]);
}

/** Badges per node id: the faults that hit it and, for a unit, its default resilience. */
export function badgesOf(document: Obj, variant: Obj, nodes: GNode[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, b: string) => out.set(id, [...(out.get(id) ?? []), b]);
  for (const f of arr(document.faults)) {
    const n = typeof f.target === "string" ? faultNode(nodes, f.target) : null;
    if (n) add(n.id, faultBadge(f));
  }
  for (const u of arr(variant.units)) {
    const marks = guardMarks(obj(u.resilience));
    const n = nodes.find((x) => (x.kind === "unit" || x.kind === "function") && x.label === u.name);
    if (n && marks.length) add(n.id, `defaults: ${marks.join(", ")}`);
  }
  return out;
}

/** How one variant deploys the modules differently from another. */
export interface VariantDiff {
  /** Module → the unit (or `gateway`) it is in in the other variant, for the modules whose
   * unit has another name here. */
  moved: Map<string, string>;
  /** Units here that the other variant has not, and the other's units that are not here. */
  added: string[];
  removed: string[];
}

function placement(variant: Obj): Map<string, string> {
  const out = new Map<string, string>();
  for (const u of arr(variant.units)) for (const m of Array.isArray(u.modules) ? u.modules : []) if (typeof m === "string") out.set(m, String(u.name));
  for (const m of Array.isArray(obj(variant.gateway).modules) ? (obj(variant.gateway).modules as unknown[]) : []) if (typeof m === "string") out.set(m, "gateway");
  return out;
}

/** Variant `vi` against variant `vj` of the document: what moved, what units came and went. */
export function variantDiff(document: Obj, vi: number, vj: number): VariantDiff {
  const vs = arr(document.variants);
  const [here, there] = [placement(vs[vi] ?? {}), placement(vs[vj] ?? {})];
  const moved = new Map<string, string>();
  for (const [m, u] of here) {
    const was = there.get(m);
    if (was !== undefined && was !== u) moved.set(m, was);
  }
  const units = (v: Obj) => new Set(arr(v.units).map((u) => String(u.name)));
  const [a, b] = [units(vs[vi] ?? {}), units(vs[vj] ?? {})];
  return { moved, added: [...a].filter((u) => !b.has(u)), removed: [...b].filter((u) => !a.has(u)) };
}

/** The graph's module nodes with a `⇄ was in UNIT` badge where the diff moved them. */
export function withDiff<G extends { nodes: GNode[] }>(g: G, diff: VariantDiff | null, other: string): G {
  if (!diff) return g;
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const was = n.kind === "module" ? diff.moved.get(n.label) : undefined;
      return was === undefined ? n : { ...n, badges: [...(n.badges ?? []), `⇄ was in ${was} (${other})`] };
    }),
  };
}
