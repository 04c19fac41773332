// Workflows and transactions on the graph, read from the document (they are logical, not
// deployed): a workflow (`[workflows.NAME]`) as a node of its own, with an edge from every
// operation that calls it (`{ workflow = "NAME" }`) and one to each task state's operation; a
// transaction call (`{ transaction = [...] }`) as edges to its steps' operations labelled `tx`,
// a badge `transaction` on the module holding it and a badge `lock ROW` on each module whose
// step takes a lock (`locks = ["ROW"]`). The locks are named only where they are taken, so a
// lock is a badge, not a node.
import type { GEdge, GNode } from "./graph";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string => (typeof v === "string" ? v : "");

const WF_W = 210;
const WF_HEAD = 30;
const STATE_H = 18;

/** A call found in an operation's call list (walking `parallel` groups). */
interface Found {
  module: string;
  call: Obj;
}

function everyCall(document: Obj): Found[] {
  const out: Found[] = [];
  const walk = (module: string, list: unknown) => {
    for (const c of arr(list)) {
      out.push({ module, call: c });
      if (c.parallel) walk(module, c.parallel);
    }
  };
  for (const [m, mod] of Object.entries(obj(document.modules))) for (const op of Object.values(obj(obj(mod).ops))) walk(m, obj(op).calls);
  return out;
}

/** The state lines of a workflow: `name: type → op`. */
export function stateLines(wf: Obj): string[] {
  return Object.entries(obj(wf.states)).map(([name, s]) => {
    const st = obj(s);
    const op = str(st.op);
    return `${name}: ${str(st.type) || "task"}${op ? ` → ${op}` : ""}`;
  });
}

/** The absolute bottom of the graph's top-level nodes. */
function bottom(nodes: GNode[]): number {
  return Math.max(0, ...nodes.filter((n) => !n.parent).map((n) => n.y + n.height));
}

/** `g` with the document's workflows, transactions and locks drawn (see the file's head). */
export function withLogic<G extends { nodes: GNode[]; edges: GEdge[] }>(g: G, document: Obj | null): G {
  if (!document) return g;
  const nodes = [...g.nodes];
  const edges = [...g.edges];
  const where = new Map<string, string>();
  for (const n of nodes) if (n.kind === "module" || n.kind === "datastore") where.set(n.label, n.id);
  const opNode = (op: string) => where.get(op.split(".")[0]);
  const addEdge = (source: string | undefined, target: string | undefined, label: string) => {
    if (!source || !target) return;
    const id = `${source}->${target}`;
    const e = edges.find((x) => x.id === id);
    if (!e) edges.push({ id, source, target, label });
    else if (!e.label.split(", ").includes(label)) e.label = e.label ? `${e.label}, ${label}` : label;
  };
  const badges = new Map<string, string[]>();
  const badge = (id: string | undefined, b: string) => {
    if (id && !(badges.get(id) ?? []).includes(b)) badges.set(id, [...(badges.get(id) ?? []), b]);
  };
  // workflows: a node each, in a row below the graph
  let x = 0;
  const y = bottom(nodes) + 60;
  for (const [name, w] of Object.entries(obj(document.workflows))) {
    const wf = obj(w);
    const lines = [`${str(wf.mode) || "standard"}`, ...stateLines(wf)];
    const id = `workflow:${name}`;
    nodes.push({ id, kind: "workflow", label: name, lines, x, y, width: WF_W, height: WF_HEAD + lines.length * STATE_H + 8, path: ["workflows", name] });
    x += WF_W + 60;
    for (const s of Object.values(obj(wf.states))) {
      const op = str(obj(s).op);
      if (op) addEdge(id, opNode(op), `task ${op.split(".")[1] ?? ""}`);
    }
  }
  for (const { module, call } of everyCall(document)) {
    const src = where.get(module);
    if (typeof call.workflow === "string") addEdge(src, `workflow:${call.workflow}`, "start");
    if (Array.isArray(call.transaction)) {
      badge(src, "transaction");
      for (const step of arr(call.transaction)) {
        const op = str(step.op);
        addEdge(src, opNode(op), `tx ${op.split(".")[1] ?? ""}`);
        for (const lock of Array.isArray(step.locks) ? step.locks : []) if (typeof lock === "string") badge(opNode(op), `lock ${lock}`);
      }
    }
  }
  return {
    ...g,
    nodes: nodes.map((n) => (badges.has(n.id) ? { ...n, badges: [...(n.badges ?? []), ...(badges.get(n.id) ?? [])] } : n)),
    edges,
  };
}
