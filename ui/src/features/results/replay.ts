// The failure replay drawn on the model's own graph: the units, databases, gateway and entries
// of one variant where the editor places them, calls collapsed to edges between them.
import type { Analysis, VariantTopology } from "../../api";
import { buildGraph } from "../editor/graph";
import type { ReplayLayout, ReplayNode } from "./charts";

/** The replay's layout for the variant named `variant`: the editor's graph of its deployment. */
export function replayLayout(document: Analysis["document"], topology: VariantTopology[], variant: string): ReplayLayout | undefined {
  if (!document || typeof document !== "object") return undefined;
  const doc = document as Record<string, unknown>;
  const vi = Array.isArray(doc.variants) ? (doc.variants as { name?: unknown }[]).findIndex((v) => v.name === variant) : -1;
  const topo = topology.find((t) => t.variant === variant);
  if (vi < 0 || !topo) return undefined;
  const g = buildGraph(doc, vi, topo);
  const group = new Map<string, string>();
  const nodes: ReplayNode[] = [];
  for (const n of g.nodes) {
    if (n.kind === "entry" || n.kind === "gateway" || n.kind === "unit" || n.kind === "database") {
      const origin = n.kind === "gateway" ? "gateway" : n.kind === "entry" ? undefined : n.label;
      // the groups' centres, entries and the gateway at their own centre
      nodes.push({ id: n.id, label: n.label, kind: n.kind, x: n.x + n.width / 2, y: n.y + Math.min(n.height, 80) / 2, origin });
      group.set(n.id, n.id);
    } else if (n.parent) group.set(n.id, n.parent);
  }
  const seen = new Set<string>();
  const edges: ReplayLayout["edges"] = [];
  for (const e of g.edges) {
    const s = group.get(e.source);
    const t = group.get(e.target);
    if (!s || !t || s === t || seen.has(`${s}->${t}`)) continue;
    seen.add(`${s}->${t}`);
    edges.push({ source: s, target: t });
  }
  return nodes.length ? { nodes, edges } : undefined;
}
