import { beforeEach, describe, expect, it } from "vitest";
import { parse } from "smol-toml";
import NEW_SCENARIO from "../../../../src/app/new-scenario.toml?raw";
import { createMockBackend, applyEdit as applyDoc } from "../../api/mock";
import { dependentsOf } from "../../api/mockEdits";
import { setBackend } from "../../api";
import { scenarioStore } from "../../stores/scenario";
import { answer, filesStore, newFile } from "../../stores/files";
import { PALETTE_ITEMS, freshName, operations, paletteEdits, toEdits } from "./palette";
import { addFromPalette, connect, deleteNode, moveModule, variantCommand } from "./modeling";
import type { GNode } from "./graph";

type Obj = Record<string, unknown>;
const fresh = () => parse(NEW_SCENARIO) as unknown as Obj;

function answerNext(value: string): Promise<string> {
  return new Promise((resolve) => {
    const off = filesStore.subscribe(() => {
      const q = filesStore.get().question;
      if (q) {
        off();
        resolve(q.message);
        answer(value);
      }
    });
  });
}

const node = (kind: GNode["kind"], label: string, path: (string | number)[] = []): GNode => ({ id: `${kind}:${label}`, kind, label, lines: [], x: 0, y: 0, width: 0, height: 0, path });
const doc = () => scenarioStore.get().analysis!.document as Obj;
const variant = (i: number) => (doc().variants as Obj[])[i];

describe("the palette", () => {
  it("names new items apart from the taken ones", () => {
    expect(freshName("unit", ["app"])).toBe("unit");
    expect(freshName("unit", ["unit", "unit2"])).toBe("unit3");
  });

  it("creates a table the file lacks (the shell inserts only into existing tables)", () => {
    const d = fresh();
    const first = paletteEdits(d, 0, "database");
    expect("edits" in first && first.edits[0]).toEqual({ kind: "set_value", path: ["datastores", "store"], value: { ops: { read: { time: "1ms" }, write: { time: "3ms" } } } });
    const ext = paletteEdits(d, 0, "external");
    expect("edits" in ext && ext.edits[0].kind).toBe("set_value");
    const more = paletteEdits({ ...d, datastores: { store: {} } }, 0, "datastore");
    expect("edits" in more && more.edits[0]).toMatchObject({ kind: "insert_item", path: ["datastores", "store2"] });
  });

  it("adds every kind to the new model, each where it belongs", () => {
    let d = fresh();
    // a second module first: a queue needs a consumer in another module
    for (const kind of ["module", ...PALETTE_ITEMS.map((p) => p.kind)] as const) {
      const r = paletteEdits(d, 0, kind);
      expect("edits" in r, `${kind}: ${"reason" in r ? r.reason : ""}`).toBe(true);
      if ("edits" in r) for (const e of toEdits(r.edits)) d = applyDoc(d, e);
    }
    const v = (d.variants as Obj[])[0];
    expect(Object.keys(d.modules as Obj)).toEqual(["service", "module", "module2"]);
    expect((v.units as Obj[]).map((u) => [u.name, u.platform ?? "vm"])).toEqual([
      ["app", "vm"],
      ["unit", "vm"],
      ["unit2", "container"],
      ["unit3", "kubernetes"],
      ["function", "serverless"],
    ]);
    // the modules run in the first unit; the stores sit in the databases
    expect((v.units as Obj[])[0].modules).toEqual(["service", "module", "module2"]);
    expect((v.databases as Obj[]).map((x) => x.stores)).toEqual([["store2"]]);
    expect(Object.keys(d.datastores as Obj)).toEqual(["store", "store2"]);
    expect(v.gateway).toBeTruthy();
    expect((v.load_balancers as Obj[])[0].units).toEqual(["app"]);
    expect((v.caches as Obj[])[0].stores).toEqual(["store"]);
    expect((v.cdn as Obj).entries).toEqual(["request"]);
    expect((v.queues as Obj[])[0].name).toBe("queue");
    // the first entry's operation publishes to it, consumed by another module
    const calls = ((d.modules as Obj).service as { ops: { handle: { calls: Obj[] } } }).ops.handle.calls;
    expect(calls).toEqual([
      { publish: "queue", op: "module.handle" },
      { op: "api.call" },
      // a workflow it starts, and a transaction whose step takes a lock
      { workflow: "workflow" },
      { transaction: [{ op: "store.write", locks: ["row"] }] },
    ]);
    // the workflow: one task state on another module's operation
    expect(d.workflows).toEqual({ workflow: { mode: "standard", start: "task", states: { task: { type: "task", op: "module.handle" } } } });
    // an external service: outside the system, called by the first entry's operation
    expect(d.externals).toEqual({ api: { latency: "50ms", ops: { call: {} } } });
    expect((d.workload as { entries: Obj[] }).entries.map((e) => e.name)).toEqual(["request", "entry"]);
  });

  it("says what is missing instead of adding something invalid", () => {
    const d = { modules: {}, variants: [{ name: "v", units: [] }] };
    expect(paletteEdits(d, 0, "entry")).toEqual({ reason: "add a module first: an entry calls one of its operations" });
    expect("reason" in paletteEdits(d, 0, "cache")).toBe(true);
    expect("reason" in paletteEdits(d, 0, "queue")).toBe(true);
    expect(paletteEdits(d, 0, "external")).toEqual({ reason: "add a module first: an external service is called by a module's operation" });
    expect(operations(fresh())).toEqual(["service.handle"]);
  });
});

describe("model actions (on the mock backend)", () => {
  beforeEach(async () => {
    setBackend(createMockBackend({ stepMs: 0 }));
    scenarioStore.set({ analysis: null, savedText: null });
    await newFile();
  });

  it("builds a three-service model with a database by palette, calls and a microservices variant", async () => {
    expect(await addFromPalette("module")).toBe(true);
    expect(await addFromPalette("module")).toBe(true);
    expect(await addFromPalette("database")).toBe(true);
    expect(await connect(node("module", "service"), node("module", "module"))).toBe(true);
    const asked = answerNext("1");
    expect(await connect(node("module", "module"), node("datastore", "store"))).toBe(true);
    expect(await asked).toMatch(/Which operation of module calls which of store/);
    const mods = doc().modules as Record<string, { ops: Record<string, { calls?: Obj[] }> }>;
    expect(mods.service.ops.handle.calls).toEqual([{ op: "module.handle" }]);
    expect(mods.module.ops.handle.calls).toEqual([{ op: "store.write" }]);
    expect(await variantCommand("microservices")).toBe(true);
    expect((variant(1).units as Obj[]).map((u) => u.modules)).toEqual([["service"], ["module"], ["module2"]]);
    // one step of the history per action
    expect(scenarioStore.get().past.length).toBe(6);
  });

  it("asks before deleting, naming what depends on it, and Cancel keeps it", async () => {
    await addFromPalette("module");
    await connect(node("module", "service"), node("module", "module"));
    expect(dependentsOf(doc(), "module", false)).toEqual(["the call from service.handle", "its place in the unit app of monolith"]);
    let q = answerNext("no");
    expect(await deleteNode(node("module", "module"))).toBe(false);
    expect(await q).toBe("Delete the module module? This also removes the call from service.handle; its place in the unit app of monolith.");
    expect(Object.keys(doc().modules as Obj)).toContain("module");
    q = answerNext("yes");
    expect(await deleteNode(node("module", "module"))).toBe(true);
    await q;
    expect(Object.keys(doc().modules as Obj)).toEqual(["service"]);
    expect((doc().modules as { service: { ops: { handle: { calls: unknown[] } } } }).service.ops.handle.calls).toEqual([]);
  });

  it("offers to remove a unit a move left empty, and refuses to delete a unit still in use", async () => {
    await addFromPalette("unit_vm");
    const q = answerNext("remove");
    expect(await moveModule("service", "unit")).toBe(true);
    expect(await q).toMatch(/The unit app runs no module now/);
    expect((variant(0).units as Obj[]).map((u) => [u.name, u.modules])).toEqual([["unit", ["service"]]]);
    expect(await deleteNode(node("unit", "unit"))).toBe(false);
    expect(filesStore.get().notice?.text).toMatch(/still runs service: drag them to another unit first/);
  });

  it("duplicates, renames and deletes variants", async () => {
    expect(await variantCommand("duplicate")).toBe(true);
    expect(variant(1).name).toBe("monolith-copy");
    scenarioStore.set({ variant: 1 });
    expect(await variantCommand("rename", "bigger")).toBe(true);
    expect(variant(1).name).toBe("bigger");
    const q = answerNext("yes");
    expect(await variantCommand("delete")).toBe(true);
    await q;
    expect((doc().variants as Obj[]).map((v) => v.name)).toEqual(["monolith"]);
    expect(scenarioStore.get().variant).toBe(0);
    expect(await variantCommand("delete")).toBe(false);
  });
});
