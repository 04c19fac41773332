// The editor's graph: the logical model inside the deployment of one variant (the backend's
// resolved topology), with the instant estimate on every unit and database, laid out by ELK's
// layered algorithm (layout.ts) with its edges drawn along ELK's routes. Dragging a module onto
// another unit moves it there (a document edit).
import { useEffect, useMemo, useRef, useState } from "react";
import {
  Background,
  BaseEdge,
  ControlButton,
  Controls,
  getSmoothStepPath,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useNodesState,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { variantDiff, withDiff } from "./annotations";
import { absolute, buildGraph, estimateLine, isGroup, levelOfDetail, MIN_READABLE_ZOOM, readableFit, unitAt, type GNode, type Graph as G, type NodeKind } from "./graph";
import { LABEL_PX, layoutGraph, layoutSignature, placedLike, type Laid, type Pt, type Route } from "./layout";
import { monthlyShort, withCosts } from "./cost";
import { withLogic } from "./logic";
import type { Analysis, Decomposition, VariantTopology } from "../../api";
import { withSuggestion } from "./decompose";

type Data = { g: GNode; selected: boolean };

/** The drag-and-drop type of a palette item (its kind as the data). */
export const PALETTE_MIME = "application/x-archsim-kind";

/** The small kind label in each node's head. */
const KIND_LABEL: Record<NodeKind, string> = {
  entry: "entry",
  gateway: "gateway",
  module: "module",
  datastore: "datastore",
  unit: "unit",
  function: "λ function",
  database: "database",
  load_balancer: "load balancer",
  cache: "cache",
  cdn: "cdn",
  queue: "queue",
  host: "host",
  external: "external service",
  workflow: "workflow",
};

function Box({ data }: NodeProps<Node<Data>>) {
  const g = data.g;
  const over = g.rho !== undefined && g.rho >= 1;
  const group = isGroup(g.kind);
  return (
    <div
      className={`gnode ${g.kind}${over ? " overloaded" : ""}${data.selected ? " selected" : ""}`}
      data-testid={`node-${g.id}`}
      data-overloaded={over ? "true" : "false"}
      style={{
        width: g.width,
        height: g.height,
        ...(g.teamColor ? { borderLeft: `6px solid ${g.teamColor}` } : {}),
        ...(g.tint ? { outline: `3px solid ${g.tint}`, outlineOffset: group ? "0" : "2px" } : {}),
      }}
      data-team={g.team ?? ""}
      data-tint={g.tint ?? ""}
      data-parent={g.parent ?? ""}
    >
      {!group && <Handle type="target" position={Position.Left} />}
      <div className="gnode-head">
        <span className="gnode-kind">
          {KIND_LABEL[g.kind] ?? String(g.kind).replace(/_/g, " ")}
          {!group && g.detail ? ` · ${g.detail}` : ""}
        </span>
        <strong>{g.label}</strong>
        {!group && g.costUsd !== undefined && (
          <span className="cost-estimate" data-testid={`cost-${g.id}`} title="estimated monthly cost (from the instant estimate, not a run's bill)">
            {monthlyShort(g.costUsd)}
          </span>
        )}
        {g.team && (
          <span className="team-chip" style={{ background: g.teamColor }} data-testid={`team-${g.id}`}>
            {g.team}
          </span>
        )}
      </div>
      {g.badges && (
        <div className="gnode-badges" data-testid={`badges-${g.id}`} title={g.badges.join("\n")}>
          {g.badges.map((b) => (
            <span key={b} className={b.startsWith("⚠") ? "badge fault" : b.startsWith("⇄") ? "badge diff" : "badge guard"}>
              {b}
            </span>
          ))}
        </div>
      )}
      {group && (
        <div className="gnode-detail">
          <span>{g.detail}</span>
          <span>
            {g.rho !== undefined && (
              <span className="estimate" data-testid={`estimate-${g.id}`}>
                {estimateLine(g.rho, g.responseS)}
              </span>
            )}
            {g.rho !== undefined && g.costUsd !== undefined && " · "}
            {g.costUsd !== undefined && (
              <span className="cost-estimate" data-testid={`cost-${g.id}`} title="estimated monthly cost (from the instant estimate, not a run's bill)">
                {monthlyShort(g.costUsd)}
              </span>
            )}
          </span>
        </div>
      )}
      {!group && (
        <ul>
          {g.lines.map((l) => (
            <li key={l}>{l}</li>
          ))}
        </ul>
      )}
      {!group && <Handle type="source" position={Position.Right} />}
    </div>
  );
}

const nodeTypes = { box: Box };

type EdgeData = { route?: Route };

/** A polyline through `points` with its corners rounded (radius up to `r`). */
function roundedPath(points: Pt[], r = 6): string {
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const k = Math.min(r, Math.hypot(b.x - a.x, b.y - a.y) / 2, Math.hypot(c.x - b.x, c.y - b.y) / 2);
    const toward = (p: Pt, q: Pt, len: number) => {
      const l = Math.hypot(q.x - p.x, q.y - p.y) || 1;
      return { x: p.x + ((q.x - p.x) * len) / l, y: p.y + ((q.y - p.y) * len) / l };
    };
    const p1 = toward(b, a, k);
    const p2 = toward(b, c, k);
    d += ` L ${p1.x} ${p1.y} Q ${b.x} ${b.y} ${p2.x} ${p2.y}`;
  }
  const z = points[points.length - 1];
  return `${d} L ${z.x} ${z.y}`;
}

const near = (p: Pt, x: number, y: number) => Math.abs(p.x - x) <= 10 && Math.abs(p.y - y) <= 10;

/** A call drawn along ELK's route, its label where ELK placed it. While its ends are not where
 * the route has them (a box dragged by hand, a layout not yet arrived) a plain step path. */
function RoutedEdge(props: EdgeProps<Edge<EdgeData>>) {
  const { sourceX, sourceY, targetX, targetY, data } = props;
  const r = data?.route;
  let path: string;
  let lx: number;
  let ly: number;
  if (r && r.points.length >= 2 && near(r.points[0], sourceX, sourceY) && near(r.points[r.points.length - 1], targetX, targetY)) {
    path = roundedPath(r.points);
    const mid = r.points[Math.floor((r.points.length - 1) / 2)];
    lx = r.label ? r.label.x + r.label.width / 2 : mid.x;
    ly = r.label ? r.label.y + r.label.height / 2 : mid.y;
  } else [path, lx, ly] = getSmoothStepPath({ sourceX, sourceY, targetX, targetY, sourcePosition: props.sourcePosition, targetPosition: props.targetPosition });
  return (
    <BaseEdge
      id={props.id}
      path={path}
      markerEnd={props.markerEnd}
      style={props.style}
      label={props.label}
      labelX={lx}
      labelY={ly}
      labelStyle={{ fontSize: LABEL_PX }}
      labelBgPadding={[4, 2]}
      labelBgBorderRadius={3}
      interactionWidth={12}
    />
  );
}

const edgeTypes = { routed: RoutedEdge };

function toFlow(g: G, selected: string | null, moved: Record<string, { x: number; y: number }>): Node<Data>[] {
  // groups first so children render above them
  // hosts first, then the groups inside them, then everything else: parents before children
  const order = (n: GNode) => (n.kind === "host" ? -1 : isGroup(n.kind) ? 0 : 1);
  return [...g.nodes]
    .sort((a, b) => order(a) - order(b))
    .map((n) => ({
      id: n.id,
      type: "box",
      position: (!n.parent && moved[n.id]) || { x: n.x, y: n.y },
      parentId: n.parent,
      data: { g: n, selected: n.id === selected },
      draggable: n.kind === "module" || !n.parent,
      selectable: true,
      style: { width: n.width, height: n.height },
      zIndex: n.kind === "host" ? -1 : isGroup(n.kind) ? 0 : n.parent ? 2 : 1,
    }));
}

type GraphProps = {
  analysis: Analysis;
  /** The deployment of every variant (the scenario store's: the last valid one). */
  topology: VariantTopology[];
  variant: number;
  selected: string | null;
  onSelect: (n: GNode | null) => void;
  onMove: (module: string, toUnit: string) => void;
  /** A line drawn from one node's handle to another's (a call). */
  onConnect?: (source: GNode, target: GNode) => void;
  /** A palette item dropped on the canvas, on the unit under the pointer if any. */
  onDropKind?: (kind: string, unit?: string) => void;
  layoutKey: number;
  /** Another variant whose deployment this one is compared with (modules that moved are marked). */
  diffWith?: number | null;
  /** A decomposition previewed: modules and units tinted by suggested unit. */
  suggestion?: Decomposition | null;
};

export function Graph(props: GraphProps) {
  return (
    <ReactFlowProvider>
      <GraphInner {...props} />
    </ReactFlowProvider>
  );
}

function GraphInner(props: GraphProps) {
  const flow = useReactFlow();
  const est = props.analysis.estimates[props.variant];
  const cost = props.analysis.costs?.[props.variant];
  const topo = props.topology[props.variant];
  const g = useMemo(() => {
    const doc = props.analysis.document as Record<string, unknown> | null;
    const built = withSuggestion(withCosts(withLogic(buildGraph(doc, props.variant, topo, est), doc), cost), props.suggestion);
    const other = props.diffWith ?? null;
    if (!doc || other === null || other === props.variant) return built;
    const name = String((doc.variants as Record<string, unknown>[] | undefined)?.[other]?.name ?? "");
    return withDiff(built, variantDiff(doc, props.variant, other), name);
  }, [props.analysis, props.variant, topo, est, cost, props.diffWith, props.suggestion]);
  const [moved, setMoved] = useState<Record<string, { x: number; y: number }>>({});
  useEffect(() => setMoved({}), [props.layoutKey, props.variant]);
  // the layout is ELK's, computed asynchronously: until the one for this graph arrives the
  // graph keeps the last layout's places (never an empty canvas)
  const sig = useMemo(() => layoutSignature(g), [g]);
  const [laid, setLaid] = useState<(Laid & { sig: string }) | null>(null);
  useEffect(() => {
    let live = true;
    layoutGraph(g).then(
      (l) => live && setLaid({ ...l, sig }),
      (e) => console.error("layout failed:", e),
    );
    return () => {
      live = false;
    };
    // (the signature says when g's layout changes)
  }, [sig]);
  const shown = useMemo(() => placedLike(g, laid), [g, laid]);
  const [nodes, setNodes, onNodesChange] = useNodesState<Node<Data>>(toFlow(shown, props.selected, moved));
  // names stay readable when zoomed out: details hidden, names drawn larger (see levelOfDetail)
  const [zoom, setZoom] = useState(1);
  const lod = levelOfDetail(zoom);
  useEffect(() => setNodes(toFlow(shown, props.selected, moved)), [shown, props.selected, moved, setNodes]);

  const edges: Edge<EdgeData>[] = useMemo(
    () =>
      g.edges.map((e) => ({
        id: e.id,
        type: "routed",
        source: e.source,
        target: e.target,
        label: e.label,
        data: { route: laid?.routes[e.id] },
        markerEnd: { type: MarkerType.ArrowClosed },
        style: { strokeWidth: 1.5 },
        zIndex: 3,
      })),
    [g, laid],
  );

  // fit on open and after each layout of another structure (variant, nodes, nesting, edges):
  // never below the zoom where names stop reading (see readableFit)
  const pane = useRef<HTMLDivElement>(null);
  const fit = () => {
    const el = pane.current;
    const tops = shown.nodes.filter((n) => !n.parent);
    if (!el || tops.length === 0) return;
    const at = (n: GNode) => (moved[n.id] ? moved[n.id] : absolute(shown, n));
    const x0 = Math.min(...tops.map((n) => at(n).x));
    const y0 = Math.min(...tops.map((n) => at(n).y));
    const x1 = Math.max(...tops.map((n) => at(n).x + n.width));
    const y1 = Math.max(...tops.map((n) => at(n).y + n.height));
    const v = readableFit({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, { width: el.clientWidth, height: el.clientHeight });
    void flow.setViewport(v);
    setZoom(v.zoom);
  };
  const fitted = useRef("");
  const structure = `${props.variant}|${props.layoutKey}|${g.nodes.map((n) => `${n.id}<${n.parent ?? ""}`).join(",")}|${g.edges.map((e) => e.id).join(",")}`;
  const ready = laid?.sig === sig;
  useEffect(() => {
    if (!ready || fitted.current === structure) return;
    fitted.current = structure;
    // after React Flow has the laid-out nodes
    const t = setTimeout(fit, 30);
    return () => clearTimeout(t);
    // (fit reads the current state)
  }, [ready, structure]);

  return (
    <div
      ref={pane}
      className={`graph${lod.detailed ? "" : " lod"}`}
      data-testid="graph"
      data-layout={ready ? "done" : "pending"}
      data-zoom={zoom.toFixed(3)}
      style={{ ["--lod-scale" as string]: String(lod.scale) }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_, n) => props.onSelect((n.data as Data).g)}
        onPaneClick={() => props.onSelect(null)}
        onConnect={(c) => {
          const s = g.nodes.find((n) => n.id === c.source);
          const t = g.nodes.find((n) => n.id === c.target);
          if (s && t) props.onConnect?.(s, t);
        }}
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes(PALETTE_MIME)) {
            e.preventDefault();
            e.dataTransfer.dropEffect = "copy";
          }
        }}
        onDrop={(e) => {
          const kind = e.dataTransfer.getData(PALETTE_MIME);
          if (!kind) return;
          e.preventDefault();
          const { x, y } = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
          const shifted = { ...shown, nodes: shown.nodes.map((n) => (moved[n.id] ? { ...n, ...moved[n.id] } : n)) };
          props.onDropKind?.(kind, unitAt(shifted, x, y)?.label);
        }}
        deleteKeyCode={null}
        onNodeDragStop={(event, n) => {
          const gn = (n.data as Data).g;
          if (gn.kind !== "module") {
            setMoved((m) => ({ ...m, [n.id]: n.position }));
            return;
          }
          // the drop point is where the pointer is
          const { clientX, clientY } = event as unknown as MouseEvent;
          const { x: cx, y: cy } = flow.screenToFlowPosition({ x: clientX, y: clientY });
          const shifted = { ...shown, nodes: shown.nodes.map((x) => (moved[x.id] ? { ...x, ...moved[x.id] } : x)) };
          const target = unitAt(shifted, cx, cy);
          if (target && target.id !== gn.parent) props.onMove(gn.label, target.label);
          else setNodes(toFlow(shown, props.selected, moved));
        }}
        onInit={(f) => setZoom(f.getZoom())}
        onMove={(_, vp) => setZoom(vp.zoom)}
        fitView
        fitViewOptions={{ padding: 0.1, minZoom: MIN_READABLE_ZOOM }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls showInteractive={false} showFitView={false}>
          <ControlButton className="react-flow__controls-fitview" data-testid="fit-view" title="fit view (names stay readable)" aria-label="fit view" onClick={fit}>
            ⤢
          </ControlButton>
        </Controls>
      </ReactFlow>
    </div>
  );
}
