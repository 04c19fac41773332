import { describe, expect, it } from "vitest";
import { applyEdit, createMockBackend } from "./mock";
import { withDocumentModules } from "../features/editor/graph";

describe("mock backend", () => {
  it("moves a module between units like the document edit", () => {
    const doc = { variants: [{ name: "v", units: [{ name: "a", modules: ["x", "y"] }, { name: "b", modules: [] }] }] };
    const out = applyEdit(doc, { kind: "move_module", variant: "v", module: "y", to_unit: "b" });
    expect(out.variants).toEqual([{ name: "v", units: [{ name: "a", modules: ["x"] }, { name: "b", modules: ["y"] }] }]);
    expect(doc.variants[0].units[0].modules).toEqual(["x", "y"]);
    expect(() => applyEdit(doc, { kind: "move_module", variant: "v", module: "z", to_unit: "b" })).toThrow(/no unit holds/);
  });

  it("replays a recorded run and stops early on cancel", async () => {
    const b = createMockBackend({ stepMs: 1 });
    const lessons = await b.listLessons();
    const shop = lessons.find((l) => l.rel === "online-shop.toml")!;
    const a = await b.openScenario(shop.path);
    const kinds: string[] = [];
    const full = await b.runScenario({ text: a.text, file_name: a.file_name, replications: null, seed: null, threads: null, variants: [] }, (e) => kinds.push(e.kind));
    expect(full.cancelled).toBe(false);
    expect(kinds[0]).toBe("started");
    expect(full.results.variants.map((v) => v.name)).toEqual(["monolith", "microservices"]);

    let progress = 0;
    const p = b.runScenario({ text: a.text, file_name: a.file_name, replications: null, seed: null, threads: null, variants: [] }, (e) => {
      if (e.kind === "progress" && ++progress === 1) void b.cancelRun();
    });
    const cut = await p;
    expect(cut.cancelled).toBe(true);
    expect(progress).toBe(1);
  });

  it("replays the recorded sweep, capacity search and precision run of Black Friday", async () => {
    const b = createMockBackend({ stepMs: 1 });
    const a = await b.openScenario("scenarios/lessons/black-friday.toml");
    const common = { text: a.text, file_name: a.file_name, replications: null, seed: null, threads: null, variants: [] };
    const sw = await b.runSweep({ ...common, sets: ["workload.entries.browse.arrival.rate=800..4000:800"], knee: null }, () => {});
    expect(sw.results.points.map((p) => p.values["workload.entries.browse.arrival.rate"])).toEqual([800, 1600, 2400, 3200, 4000]);
    const steps: number[] = [];
    const cap = await b.runCapacity({ ...common, slo: "p99<300ms,errors<0.1%", entry: null, precision: null, max_evaluations: null }, (e) => {
      if (e.kind === "step") steps.push(e.rate);
    });
    const byRate = (x: number, y: number) => x - y;
    expect([...steps].sort(byRate)).toEqual(cap.results.variants.flatMap((v) => v.evaluations.map((x) => x.rate)).sort(byRate));
    const kinds = new Set<string>();
    const pr = await b.runScenario({ ...common, precision: "2%", max_replications: 20 }, (e) => kinds.add(e.kind));
    expect(kinds.has("precision")).toBe(true);
    expect(pr.results.precision?.target).toBe(0.02);
    const other = await b.runSweep({ ...common, file_name: "mm1.toml", sets: ["x=1"], knee: null }, () => {}).catch((e) => e);
    expect(other.code).toBe("run");
  });

  it("replays the shell's answers to the edits recorded, and its refusals", async () => {
    const b = createMockBackend({ stepMs: 1 });
    const a = await b.openScenario("scenarios/online-shop.toml");
    const src = { text: a.text, fileName: a.file_name, path: a.path ?? null };
    const five = await b.editScenario(src, { kind: "set_value", path: ["variants", 0, "units", 0, "replicas"], value: 5 as never });
    // the shell's text (comments kept) and its topology: the unit has 5 instances now
    expect(five.text).toContain("#");
    expect(five.topology[0].nodes.find((n) => n.kind === "unit")?.instances).toBe(5);
    const moved = await b.editScenario({ ...src, text: five.text }, { kind: "move_module", variant: "microservices", module: "payments", to_unit: "orders" });
    // `payments` was the only module of its unit: the shell reports the empty unit, and
    // resolves nothing until it is fixed
    expect(moved.diagnostics.map((d) => d.message).join("\n")).toMatch(/holds no modules/);
    expect(moved.topology).toEqual([]);
    const drawn = withDocumentModules(five.topology, moved.document);
    expect(drawn[1].nodes.find((n) => n.name === "orders")?.modules).toContain("payments");
    expect(await b.scenarioTopology(src)).toEqual(a.topology);
    const common = { text: a.text, file_name: a.file_name, replications: null, seed: null, threads: null, variants: [] };
    const e = await b.runScenario({ ...common, precision: "200%" }, () => {}).catch((x) => x);
    expect(e.code).toBe("invalid_parameter");
    expect(e.message).toMatch(/--precision 200%: expected a percentage/);
  });
});
