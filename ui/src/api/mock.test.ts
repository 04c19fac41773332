import { describe, expect, it } from "vitest";
import { applyEdit, createMockBackend } from "./mock";

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
});
