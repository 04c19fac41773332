import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Analysis } from "../../api";
import { absolute, buildGraph, isGroup, type Graph } from "./graph";
import { applyElk, labelSize, layoutGraph, overlaps, placedLike, segmentCrosses, toElk, type Laid, type Rect } from "./layout";

const analyses = (mock as unknown as { analyses: Record<string, Analysis> }).analyses;

function built(file: string, vi: number): Graph {
  const a = analyses[file];
  return buildGraph(a.document as Record<string, unknown>, vi, a.topology[vi], a.estimates[vi]);
}

const rectOf = (g: Graph, id: string): Rect => {
  const n = g.nodes.find((m) => m.id === id)!;
  return { ...absolute(g, n), width: n.width, height: n.height };
};

/** The nodes `id` lies in (its parent, the parent's parent…). */
function ancestors(g: Graph, id: string): string[] {
  const out: string[] = [];
  for (let p = g.nodes.find((n) => n.id === id)?.parent; p; p = g.nodes.find((n) => n.id === p)?.parent) out.push(p);
  return out;
}

/** Every readability property the layout must have; returns the violations, in words. */
function violations(l: Laid, opts: { leftToRight: boolean }): string[] {
  const g = l.graph;
  const out: string[] = [];
  const rects = new Map(g.nodes.map((n) => [n.id, rectOf(g, n.id)]));
  // siblings do not overlap; children lie inside their parent
  for (const a of g.nodes)
    for (const b of g.nodes)
      if (a.id < b.id && a.parent === b.parent && overlaps(rects.get(a.id)!, rects.get(b.id)!)) out.push(`${a.id} overlaps ${b.id}`);
  for (const n of g.nodes) {
    if (!n.parent) continue;
    const c = rects.get(n.id)!;
    const p = rects.get(n.parent)!;
    if (c.x < p.x - 0.5 || c.y < p.y - 0.5 || c.x + c.width > p.x + p.width + 0.5 || c.y + c.height > p.y + p.height + 0.5) out.push(`${n.id} sticks out of ${n.parent}`);
  }
  const labels: [string, Rect][] = [];
  for (const e of g.edges) {
    const r = l.routes[e.id];
    if (!r || r.points.length < 2) {
      out.push(`${e.id} has no route`);
      continue;
    }
    // the route starts on the source's right side and ends on the target's left side
    const s = rects.get(e.source)!;
    const t = rects.get(e.target)!;
    const [p0, pn] = [r.points[0], r.points[r.points.length - 1]];
    if (Math.abs(p0.x - (s.x + s.width)) > 1 || p0.y < s.y || p0.y > s.y + s.height) out.push(`${e.id} does not start at its source`);
    if (Math.abs(pn.x - t.x) > 1 || pn.y < t.y || pn.y > t.y + t.height) out.push(`${e.id} does not end at its target`);
    if (opts.leftToRight && e.source !== e.target && s.x + s.width > t.x + 0.5) out.push(`${e.id}: the caller is not left of the callee`);
    // no segment crosses a box that is neither an end nor holds one
    const mine = new Set([e.source, e.target, ...ancestors(g, e.source), ...ancestors(g, e.target)]);
    for (const n of g.nodes) {
      if (mine.has(n.id)) continue;
      for (let i = 0; i + 1 < r.points.length; i++)
        if (segmentCrosses(r.points[i], r.points[i + 1], rects.get(n.id)!)) {
          out.push(`${e.id} crosses ${n.id}`);
          break;
        }
    }
    if (e.label) {
      if (!r.label) out.push(`${e.id}'s label is not placed`);
      else labels.push([e.id, r.label]);
    }
  }
  // labels overlap no other label and no leaf box, and lie wholly in or out of every group
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) if (overlaps(labels[i][1], labels[j][1])) out.push(`the labels of ${labels[i][0]} and ${labels[j][0]} overlap`);
  for (const [id, lr] of labels)
    for (const n of g.nodes) {
      const b = rects.get(n.id)!;
      if (!overlaps(lr, b)) continue;
      const inside = lr.x >= b.x && lr.y >= b.y && lr.x + lr.width <= b.x + b.width && lr.y + lr.height <= b.y + b.height;
      if (!isGroup(n.kind) || !inside) out.push(`the label of ${id} overlaps ${n.id}`);
    }
  // no other edge runs through a label
  for (const [id, lr] of labels)
    for (const e of g.edges) {
      const pts = l.routes[e.id]?.points ?? [];
      if (e.id !== id && pts.some((p, i) => i > 0 && segmentCrosses(pts[i - 1], p, lr))) out.push(`${e.id} runs through the label of ${id}`);
    }
  return out;
}

describe("the layered layout (ELK)", () => {
  it("turns the graph into ELK's: compound nodes as nested, ports where the handles are, labels sized", () => {
    const g = built("scenarios/online-shop.toml", 0);
    const e = toElk(g);
    expect(e.layoutOptions?.["elk.algorithm"]).toBe("layered");
    expect(e.layoutOptions?.["elk.hierarchyHandling"]).toBe("INCLUDE_CHILDREN");
    const shop = e.children!.find((c) => c.id === "unit:shop")!;
    // the monolith: every module inside the one unit, as the builder nests them
    const inUnit = g.nodes.filter((n) => n.parent === "unit:shop").map((n) => n.id);
    expect(inUnit.length).toBeGreaterThanOrEqual(4);
    expect(shop.children!.map((c) => c.id).sort()).toEqual([...inUnit].sort());
    const orders = shop.children!.find((c) => c.id === "module:orders")!;
    expect(orders.ports!.map((p) => [p.x, p.y])).toEqual([
      [0, orders.height! / 2],
      [orders.width, orders.height! / 2],
    ]);
    // a call between two modules of the unit is the unit's edge; an entry's is the root's
    const inner = (shop.edges ?? []).map((x) => x.id);
    for (const id of inner) expect(id).toMatch(/^module:.*->(module|datastore):/);
    expect((e.edges ?? []).some((x) => x.id.startsWith("entry:"))).toBe(true);
    const all = [...(e.edges ?? []), ...(shop.edges ?? [])];
    expect(all.length).toBe(g.edges.filter((x) => !x.source.startsWith("database") && !x.target.startsWith("database")).length);
    const labelled = g.edges.find((x) => x.label)!;
    expect(all.find((x) => x.id === labelled.id)!.labels![0]).toMatchObject({ text: labelled.label, ...labelSize(labelled.label) });
  });

  for (const [vi, name] of [
    [0, "monolith"],
    [1, "microservices"],
  ] as const)
    it(`lays out the online shop's ${name}: no overlaps, children inside, callers left, edges around boxes, labels apart`, async () => {
      const a = analyses["scenarios/online-shop.toml"];
      expect(a.topology[vi].variant).toBe(name);
      const g = built("scenarios/online-shop.toml", vi);
      const l = await layoutGraph(g);
      expect(violations(l, { leftToRight: true })).toEqual([]);
      // the structure is kept: the same nodes under the same parents, and every edge routed
      expect(l.graph.nodes.map((n) => [n.id, n.parent])).toEqual(g.nodes.map((n) => [n.id, n.parent]));
      expect(Object.keys(l.routes).sort()).toEqual(g.edges.map((e) => e.id).sort());
      // the entries are leftmost, the databases right of every unit
      const xs = (p: RegExp) => l.graph.nodes.filter((n) => p.test(n.id) && !n.parent).map((n) => rectOf(l.graph, n.id));
      const entriesRight = Math.max(...xs(/^entry:/).map((r) => r.x + r.width));
      for (const r of xs(/^(unit|database):/)) expect(r.x).toBeGreaterThan(entriesRight);
    });

  it("the checks can fail: a box moved onto its sibling, a route straight through a box", async () => {
    const l = await layoutGraph(built("scenarios/online-shop.toml", 1));
    const [a, b] = l.graph.nodes.filter((n) => n.kind === "unit");
    const onTop = { ...l, graph: { ...l.graph, nodes: l.graph.nodes.map((n) => (n.id === b.id ? { ...n, x: a.x + 10, y: a.y + 10 } : n)) } };
    expect(violations(onTop, { leftToRight: false })).toContain(`${a.id < b.id ? a.id : b.id} overlaps ${a.id < b.id ? b.id : a.id}`);
    const e = l.graph.edges.find((x) => x.source.startsWith("entry:"))!;
    const far = l.graph.nodes.find((n) => n.kind === "database")!;
    const fr = rectOf(l.graph, far.id);
    const through = { ...l, routes: { ...l.routes, [e.id]: { ...l.routes[e.id], points: [l.routes[e.id].points[0], { x: fr.x - 5, y: fr.y + 20 }, { x: fr.x + fr.width + 5, y: fr.y + 20 }, l.routes[e.id].points.at(-1)!] } } };
    expect(violations(through, { leftToRight: false })).toContain(`${e.id} crosses ${far.id}`);
  });

  it("lays out every lesson's every variant without overlaps or edges through boxes", async () => {
    const bad: string[] = [];
    for (const [file, a] of Object.entries(analyses))
      for (let vi = 0; vi < a.topology.length; vi++) {
        const l = await layoutGraph(built(file, vi));
        for (const v of violations(l, { leftToRight: false })) bad.push(`${file} ${a.topology[vi].variant}: ${v}`);
      }
    expect(bad).toEqual([]);
  }, 120000);

  it("applies ELK's result as positions relative to the parent, and keeps them for the same node under the same parent", () => {
    const g: Graph = {
      nodes: [
        { id: "unit:u", kind: "unit", label: "u", lines: [], x: 0, y: 0, width: 0, height: 0, path: [] },
        { id: "module:m", kind: "module", label: "m", lines: [], parent: "unit:u", x: 0, y: 0, width: 210, height: 48, path: [] },
      ],
      edges: [],
    };
    const l = applyElk(g, {
      id: "root",
      children: [{ id: "unit:u", x: 20, y: 30, width: 300, height: 200, children: [{ id: "module:m", x: 16, y: 62, width: 210, height: 48 }] }],
      edges: [{ id: "e", sources: [], targets: [], sections: [{ id: "s", startPoint: { x: 1, y: 2 }, bendPoints: [{ x: 5, y: 2 }], endPoint: { x: 5, y: 9 } }], labels: [{ x: 2, y: 3, width: 10, height: 20 }] }],
    });
    expect(l.graph.nodes.map((n) => [n.x, n.y, n.width, n.height])).toEqual([
      [20, 30, 300, 200],
      [16, 62, 210, 48],
    ]);
    expect(l.routes.e).toEqual({ points: [{ x: 1, y: 2 }, { x: 5, y: 2 }, { x: 5, y: 9 }], label: { x: 2, y: 3, width: 10, height: 20 } });
    // the module moved to another unit keeps the builder's place until the next layout
    const moved = { ...g, nodes: g.nodes.map((n) => (n.id === "module:m" ? { ...n, parent: "unit:v" } : n)) };
    expect(placedLike(moved, l).nodes.map((n) => n.x)).toEqual([20, 0]);
  });

  it("finds a segment through a box's interior, not one along its border or outside", () => {
    const r = { x: 0, y: 0, width: 10, height: 10 };
    expect(segmentCrosses({ x: -5, y: 5 }, { x: 15, y: 5 }, r)).toBe(true);
    expect(segmentCrosses({ x: 5, y: 5 }, { x: 5, y: 6 }, r)).toBe(true);
    expect(segmentCrosses({ x: -5, y: 0 }, { x: 15, y: 0 }, r)).toBe(false);
    expect(segmentCrosses({ x: 10, y: -5 }, { x: 10, y: 15 }, r)).toBe(false);
    expect(segmentCrosses({ x: -5, y: -5 }, { x: -1, y: 20 }, r)).toBe(false);
    expect(segmentCrosses({ x: -5, y: 5 }, { x: 0, y: 5 }, r)).toBe(false);
  });
});
