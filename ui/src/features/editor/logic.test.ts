import { describe, expect, it } from "vitest";
import { stateLines, withLogic } from "./logic";
import type { GEdge, GNode } from "./graph";

const node = (kind: GNode["kind"], label: string, y = 0, height = 50): GNode => ({ id: `${kind}:${label}`, kind, label, lines: [], x: 0, y, width: 100, height, path: [] });

const DOC = {
  modules: {
    orders: { ops: { place: { calls: [{ workflow: "fulfil" }, { transaction: [{ op: "stock.reserve", locks: ["stock_row"] }, { op: "db.insert" }], lock_timeout: "5s" }] } } },
    payments: { ops: { charge: {} } },
    stock: { ops: { reserve: {} } },
  },
  datastores: { db: { ops: { insert: { time: "1ms" } } } },
  workflows: {
    fulfil: { mode: "standard", start: "charge", states: { charge: { type: "task", op: "payments.charge", next: "wait" }, wait: { type: "wait", duration: "1m" } } },
  },
};

describe("workflows and transactions on the graph", () => {
  it("draws a workflow node with its states, the call that starts it and its tasks' edges", () => {
    const g = withLogic({ nodes: [node("module", "orders"), node("module", "payments", 0, 300), node("module", "stock"), node("datastore", "db")], edges: [] as GEdge[] }, DOC);
    const wf = g.nodes.find((n) => n.id === "workflow:fulfil")!;
    expect(wf.kind).toBe("workflow");
    expect(wf.lines).toEqual(["standard", "charge: task → payments.charge", "wait: wait"]);
    expect(wf.path).toEqual(["workflows", "fulfil"]);
    // below the tallest node
    expect(wf.y).toBeGreaterThanOrEqual(300);
    const e = (s: string, t: string) => g.edges.find((x) => x.source === s && x.target === t)?.label;
    expect(e("module:orders", "workflow:fulfil")).toBe("start");
    expect(e("workflow:fulfil", "module:payments")).toBe("task charge");
    // the transaction's steps, and the lock as a badge on the module whose step takes it
    expect(e("module:orders", "module:stock")).toBe("tx reserve");
    expect(e("module:orders", "datastore:db")).toBe("tx insert");
    expect(g.nodes.find((n) => n.id === "module:orders")!.badges).toEqual(["transaction"]);
    expect(g.nodes.find((n) => n.id === "module:stock")!.badges).toEqual(["lock stock_row"]);
    expect(g.nodes.find((n) => n.id === "datastore:db")!.badges).toBeUndefined();
  });

  it("leaves a graph without workflows or transactions as it was", () => {
    const g = { nodes: [node("module", "a")], edges: [] };
    expect(withLogic(g, { modules: { a: { ops: { x: { calls: [{ op: "a.y" }] } } } } })).toEqual(g);
    expect(withLogic(g, null)).toBe(g);
    expect(stateLines({ states: { s: { op: "a.x" } } })).toEqual(["s: task → a.x"]);
  });
});
