// The graph's layout: ELK's layered algorithm (elkjs) over the graph graph.ts builds. Units,
// functions, databases and hosts are compound nodes around what they hold; every other box is a
// leaf with one port on its left (calls in) and one on its right (calls out), where the view's
// handles are. Edges are routed orthogonally around the boxes, across the compound nodes'
// borders (hierarchy handling INCLUDE_CHILDREN), with each call label as an ELK edge label that
// gets its own place between two layers. Pure but for `layoutGraph`, which runs ELK.
import ELK from "elkjs/lib/elk.bundled.js";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { isGroup, type GNode, type Graph } from "./graph";

export interface Pt {
  x: number;
  y: number;
}
export interface Rect extends Pt {
  width: number;
  height: number;
}

/** An edge as ELK routed it: its polyline (absolute coordinates, source to target) and the box
 * of its label. */
export interface Route {
  points: Pt[];
  label?: Rect;
}

/** The graph with ELK's positions and sizes (relative to the parent, as React Flow takes them)
 * and the route of every edge. */
export interface Laid {
  graph: Graph;
  routes: Record<string, Route>;
}

/** Edge labels' font size [px]: the names' size, so that a label reads as well as a name. */
export const LABEL_PX = 12;
/** Average advance of a character [px] in the app's font (DejaVu Sans) as the boxes draw it:
 * 12 px text, 12 px bold names, 10 px upper-case kind labels with their letter spacing, 11 px
 * team chips. */
const CHAR_PX = 6.8;
const NAME_PX = 8.0;
const KIND_PX = 7.7;
const CHIP_PX = 6.6;
/** The heads of groups (kind, name, detail line, estimate) and the padding around their boxes. */
const GROUP_HEAD = 62;
const PAD = 12;
const MIN_W = 150;
const MAX_W = 380;

/** The box of a label's text, with its background's padding. */
export function labelSize(text: string): { width: number; height: number } {
  return { width: Math.ceil(text.length * CHAR_PX) + 12, height: LABEL_PX + 8 };
}

const clampW = (w: number, max = MAX_W) => Math.round(Math.min(max, Math.max(MIN_W, w)));

/** The width the badges (faults, defaults, the diff's mark) need beside the head: the longest
 * one at 10 px, drawn at most 58% of the box's width (longer ones are cut, their tooltip whole). */
function badgesWidth(n: GNode, head: number): number {
  if (!n.badges?.length) return 0;
  const b = Math.min(280, Math.max(...n.badges.map((x) => x.length)) * 6.1 + 10);
  return Math.max(head + b + 8, b / 0.58);
}

/** A leaf's width from its content: the head (kind and detail, name, team chip) on one line and
 * its longest line. */
export function leafWidth(n: GNode): number {
  const kind = n.kind.length + (n.detail ? n.detail.length + 3 : 0);
  const head = 16 + kind * KIND_PX + 6 + n.label.length * NAME_PX + (n.team ? 12 + n.team.length * CHIP_PX + 12 : 0) + (n.teamColor ? 6 : 0);
  const lines = Math.max(0, ...n.lines.map((l) => l.length)) * CHAR_PX + 38 + (n.teamColor ? 6 : 0);
  return clampW(Math.max(head, lines, badgesWidth(n, head)), MAX_W + 60);
}

/** A group's smallest width: its head and its detail line on one line each. */
function groupMinWidth(n: GNode): number {
  const head = 16 + n.kind.length * KIND_PX + 6 + n.label.length * NAME_PX + 8;
  const detail = (n.detail?.length ?? 0) * CHAR_PX + 24;
  return clampW(Math.max(MIN_W + 2 * PAD, head, detail, badgesWidth(n, head)), MAX_W + 60);
}

const SPACING = {
  "elk.spacing.nodeNode": "28",
  "elk.layered.spacing.nodeNodeBetweenLayers": "28",
  "elk.spacing.edgeNode": "18",
  "elk.layered.spacing.edgeNodeBetweenLayers": "14",
  "elk.spacing.edgeEdge": "12",
  "elk.layered.spacing.edgeEdgeBetweenLayers": "12",
  "elk.spacing.edgeLabel": "4",
  "elk.spacing.labelLabel": "6",
};

/** The options of the whole graph (and, for the spacings, of every compound node). */
export const ROOT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.hierarchyHandling": "INCLUDE_CHILDREN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.edgeLabels.placement": "CENTER",
  "elk.edgeLabels.inline": "true",
  "elk.layered.edgeLabels.sideSelection": "SMART_DOWN",
  // edge points and labels in the root's coordinates, nodes relative to their parent
  "elk.json.edgeCoords": "ROOT",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.layered.crossingMinimization.forceNodeModelOrder": "false",
  "elk.padding": "[top=20,left=20,bottom=20,right=20]",
  ...SPACING,
};

const portId = (id: string, side: "in" | "out") => `${id}:${side}`;

/** The ELK graph of `g`: compound nodes as the graph nests them, leaves with their ports, each
 * edge in the nearest node holding both ends, its label sized for its text. */
export function toElk(g: Graph): ElkNode {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const parentOf = (n: GNode) => (n.parent && byId.has(n.parent) ? n.parent : undefined);
  const kids = new Map<string | undefined, GNode[]>();
  for (const n of g.nodes) kids.set(parentOf(n), [...(kids.get(parentOf(n)) ?? []), n]);
  const elkOf = new Map<string, ElkNode>();
  const make = (n: GNode): ElkNode => {
    let e: ElkNode;
    if (isGroup(n.kind)) {
      const w = groupMinWidth(n);
      e = {
        id: n.id,
        layoutOptions: {
          ...SPACING,
          "elk.padding": `[top=${GROUP_HEAD},left=${PAD},bottom=${PAD},right=${PAD}]`,
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${w}, ${GROUP_HEAD + 40})`,
        },
        children: (kids.get(n.id) ?? []).map(make),
        edges: [],
      };
    } else {
      const w = leafWidth(n);
      const h = n.height;
      e = {
        id: n.id,
        width: w,
        height: h,
        layoutOptions: { "elk.portConstraints": "FIXED_POS" },
        ports: [
          { id: portId(n.id, "in"), x: 0, y: h / 2, width: 0, height: 0, layoutOptions: { "elk.port.side": "WEST" } },
          { id: portId(n.id, "out"), x: w, y: h / 2, width: 0, height: 0, layoutOptions: { "elk.port.side": "EAST" } },
        ],
      };
    }
    elkOf.set(n.id, e);
    return e;
  };
  const root: ElkNode = { id: "root", layoutOptions: ROOT_OPTIONS, children: (kids.get(undefined) ?? []).map(make), edges: [] };
  const ancestors = (id: string) => {
    const out: string[] = [];
    for (let p = byId.get(id)?.parent; p && byId.has(p) && out.length < 8; p = byId.get(p)?.parent) out.push(p);
    return out;
  };
  for (const e of g.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t || isGroup(s.kind) || isGroup(t.kind)) continue;
    const up = new Set(ancestors(t.id));
    const holder = ancestors(s.id).find((a) => up.has(a));
    const edge: ElkExtendedEdge = {
      id: e.id,
      sources: [portId(s.id, "out")],
      targets: [portId(t.id, "in")],
      labels: e.label ? [{ id: `${e.id}:label`, text: e.label, ...labelSize(e.label) }] : [],
    };
    const container = (holder && elkOf.get(holder)) || root;
    container.edges = [...(container.edges ?? []), edge];
  }
  return root;
}

/** `g` with the positions and sizes ELK computed, and every edge's route. */
export function applyElk(g: Graph, laid: ElkNode): Laid {
  const shapes = new Map<string, ElkNode>();
  const routes: Record<string, Route> = {};
  const walk = (e: ElkNode) => {
    for (const c of e.children ?? []) {
      shapes.set(c.id, c);
      walk(c);
    }
    for (const edge of (e.edges ?? []) as ElkExtendedEdge[]) {
      const points: Pt[] = [];
      for (const s of edge.sections ?? [])
        for (const p of [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]) {
          const last = points[points.length - 1];
          if (!last || Math.abs(last.x - p.x) > 0.01 || Math.abs(last.y - p.y) > 0.01) points.push({ x: p.x, y: p.y });
        }
      const l = edge.labels?.[0];
      routes[edge.id] = { points, ...(l ? { label: { x: l.x ?? 0, y: l.y ?? 0, width: l.width ?? 0, height: l.height ?? 0 } } : {}) };
    }
  };
  walk(laid);
  const nodes = g.nodes.map((n) => {
    const s = shapes.get(n.id);
    return s ? { ...n, x: s.x ?? 0, y: s.y ?? 0, width: s.width ?? n.width, height: s.height ?? n.height } : n;
  });
  return { graph: { nodes, edges: g.edges }, routes };
}

/** `g` drawn at the positions of an earlier layout: each node ELK placed under the same parent
 * keeps its place and size (a new node keeps the builder's until the next layout arrives). */
export function placedLike(g: Graph, laid: Laid | null): Graph {
  if (!laid) return g;
  const before = new Map(laid.graph.nodes.map((n) => [n.id, n]));
  return {
    nodes: g.nodes.map((n) => {
      const b = before.get(n.id);
      return b && b.parent === n.parent ? { ...n, x: b.x, y: b.y, width: b.width, height: b.height } : n;
    }),
    edges: g.edges,
  };
}

/** What the layout depends on: the ELK graph's ids, nesting, sizes, edges and labels. */
export const layoutSignature = (g: Graph) => JSON.stringify(toElk(g));

const elk = new ELK();

/** Lays `g` out with ELK. */
export async function layoutGraph(g: Graph): Promise<Laid> {
  return applyElk(g, await elk.layout(toElk(g)));
}

// ---- geometry, for the tests and the view's checks ----

/** Whether the segment a–b passes through the interior of `r` shrunk by `inset` on every side
 * (Liang–Barsky clipping). */
export function segmentCrosses(a: Pt, b: Pt, r: Rect, inset = 1): boolean {
  const x0 = r.x + inset;
  const y0 = r.y + inset;
  const x1 = r.x + r.width - inset;
  const y1 = r.y + r.height - inset;
  if (x1 <= x0 || y1 <= y0) return false;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  let t0 = 0;
  let t1 = 1;
  for (const [p, q] of [
    [-dx, a.x - x0],
    [dx, x1 - a.x],
    [-dy, a.y - y0],
    [dy, y1 - a.y],
  ]) {
    if (p === 0) {
      if (q <= 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
      if (t0 >= t1) return false;
    }
  }
  return true;
}

/** Whether two rectangles overlap by more than `tol` in both directions. */
export function overlaps(a: Rect, b: Rect, tol = 0.5): boolean {
  return Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > tol && Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > tol;
}
