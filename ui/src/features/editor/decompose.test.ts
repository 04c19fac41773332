import { describe, expect, it } from "vitest";
import { checkForm, decomposeEdit, decomposeRequest, DEFAULT_FORM, figures, UNIT_COLORS, unitOfModule, withSuggestion } from "./decompose";
import type { Decomposition } from "../../api";
import type { GNode, Graph } from "./graph";

const d: Decomposition = {
  units: [
    { name: "orders", modules: ["orders", "payments"] },
    { name: "catalog", modules: ["catalog", "inventory"] },
  ],
  cross_unit_calls_per_request: 0.35,
  teams_split: [],
};

const node = (id: string, kind: GNode["kind"], label: string): GNode => ({ id, kind, label, lines: [], x: 0, y: 0, width: 10, height: 10, path: [] });

describe("the decompose form", () => {
  it("takes K from 1 to the number of modules, and weights ≥ 0 or empty (the suggester's default)", () => {
    expect(checkForm(DEFAULT_FORM, 4)).toEqual({ ok: true, units: 2 });
    expect(checkForm({ ...DEFAULT_FORM, units: "5" }, 4)).toEqual({ ok: false, reason: "the number of units is a whole number from 1 to 4 (the modules)" });
    expect(checkForm({ ...DEFAULT_FORM, units: "0" }, 4).ok).toBe(false);
    expect(checkForm({ ...DEFAULT_FORM, units: "1.5" }, 4).ok).toBe(false);
    expect(checkForm({ ...DEFAULT_FORM, teamBonus: "-1" }, 4)).toEqual({ ok: false, reason: "the team bonus is a number ≥ 0" });
    expect(checkForm({ units: "3", storeWeight: "2", teamBonus: "0", balance: " " }, 4)).toEqual({ ok: true, units: 3, store_weight: 2, team_bonus: 0 });
  });

  it("asks the shell for the suggestion with its variant's text, and applies the same request as an edit", () => {
    const c = { ok: true as const, units: 2, store_weight: 2 };
    expect(decomposeRequest("text", "shop.toml", "monolith", c)).toEqual({
      text: "text",
      file_name: "shop.toml",
      units: 2,
      base: "monolith",
      out_file_name: "shop.toml",
      store_weight: 2,
    });
    expect(decomposeEdit("monolith", "decomposed-2", c)).toEqual({
      kind: "decomposed_variant",
      variant: "monolith",
      name: "decomposed-2",
      units: 2,
      simulated_requests: null,
      store_weight: 2,
      team_bonus: null,
      balance: null,
    });
  });
});

describe("the preview", () => {
  it("tints every module and every suggested unit in its unit's colour", () => {
    expect(unitOfModule(d).get("payments")).toEqual({ unit: "orders", color: UNIT_COLORS[0] });
    const g: Graph = { nodes: [node("module:inventory", "module", "inventory"), node("unit:catalog", "unit", "catalog"), node("datastore:db", "datastore", "db")], edges: [] };
    const t = withSuggestion(g, d).nodes.map((n) => n.tint);
    expect(t).toEqual([UNIT_COLORS[1], UNIT_COLORS[1], undefined]);
    expect(withSuggestion(g, null)).toBe(g);
  });

  it("says the suggester's figures", () => {
    expect(figures(d)).toBe("2 units · 0.35 cross-unit calls per request · teams split across units: none");
    expect(figures({ ...d, units: [d.units[0]], cross_unit_calls_per_request: 1, teams_split: ["a", "b"] })).toBe(
      "1 unit · 1 cross-unit call per request · teams split across units: a, b",
    );
  });
});
