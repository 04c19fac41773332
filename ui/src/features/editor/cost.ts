// The cost estimate on the graph: each deployed node's estimated monthly cost (the backend's
// `costs`, priced from the instant estimate's rates with the run's own prices; docs/cost.md
// "The cost estimate") and the variant's total. Nothing is priced here: the lines come keyed
// `kind/name` as the run's `cost.by_resource`, and this only finds the node each belongs to.
import type { Analysis } from "../../api";
import type { GNode } from "./graph";

export type CostEstimate = Analysis["costs"][number];

/** The bill's kind for a graph node's kind (a balancer is `balancer` in the bill). */
const BILL_KIND: Record<string, string> = {
  unit: "unit",
  function: "function",
  database: "database",
  gateway: "gateway",
  load_balancer: "balancer",
  cache: "cache",
  queue: "queue",
  host: "host",
  external: "external",
  workflow: "workflow",
};

/** Dollars a month, short: `$158/mo`, `$0.42/mo`, `$1.3k/mo`. */
export function monthlyShort(usd: number): string {
  const a = Math.abs(usd);
  const s = a >= 10_000 ? `${+(usd / 1000).toFixed(1)}k` : a >= 10 ? Math.round(usd).toLocaleString("en-US") : a >= 0.01 || a === 0 ? usd.toFixed(2) : usd.toPrecision(2);
  return `$${s}/mo`;
}

/** The variant's total: `≈ $1,336 / month (estimate)`. */
export function totalLine(c: CostEstimate): string {
  const t = c.per_month_usd;
  const s = Math.abs(t) >= 10 ? Math.round(t).toLocaleString("en-US") : t.toFixed(2);
  return `≈ $${s} / month (estimate)`;
}

/** The monthly cost of node `n` in `c` (its lines added up), or undefined when it has none.
 * The gateway node carries the gateway's lines and the gateway's response cache. */
export function nodeCost(n: GNode, c: CostEstimate | undefined): number | undefined {
  const kind = BILL_KIND[n.kind];
  if (!c || !kind) return undefined;
  const mine = c.lines.filter((l) => (n.kind === "gateway" ? l.kind === "gateway" || l.key === "cache/gateway_cache" : l.kind === kind && l.name === n.label));
  return mine.length ? mine.reduce((s, l) => s + l.per_month_usd, 0) : undefined;
}

/** The graph's nodes with their estimated monthly cost (`costUsd`). */
export function withCosts<G extends { nodes: GNode[] }>(g: G, c: CostEstimate | undefined): G {
  if (!c) return g;
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const usd = nodeCost(n, c);
      return usd === undefined ? n : { ...n, costUsd: usd };
    }),
  };
}
