// The decomposition suggester in the editor (pure parts): the form's request, the suggested
// units' colours on the graph, the figures in words, and the edit that applies the suggestion
// as a new variant. The suggestion itself is the shell's (`archsim decompose`).
import type { DecomposeRequest, Decomposition, Edit } from "../../api";
import type { Graph } from "./graph";

/** What the form asks for: K, and the weights as typed (empty: the suggester's default). */
export interface DecomposeForm {
  units: string;
  storeWeight: string;
  teamBonus: string;
  balance: string;
}

export const DEFAULT_FORM: DecomposeForm = { units: "2", storeWeight: "", teamBonus: "", balance: "" };

/** Colours of the suggested units, in their order (distinct from the team colours' order). */
export const UNIT_COLORS = ["#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626"];

export type Checked = { ok: true; units: number; store_weight?: number; team_bonus?: number; balance?: number } | { ok: false; reason: string };

/** The form checked: K a whole number from 1 to the number of modules, each weight empty or a
 * number ≥ 0. */
export function checkForm(f: DecomposeForm, modules: number): Checked {
  const k = Number(f.units);
  if (!Number.isInteger(k) || k < 1 || k > modules) return { ok: false, reason: `the number of units is a whole number from 1 to ${modules} (the modules)` };
  const out: Checked = { ok: true, units: k };
  for (const [key, label, v] of [
    ["store_weight", "store weight", f.storeWeight],
    ["team_bonus", "team bonus", f.teamBonus],
    ["balance", "balance", f.balance],
  ] as const) {
    if (v.trim() === "") continue;
    const x = Number(v);
    if (!Number.isFinite(x) || x < 0) return { ok: false, reason: `the ${label} is a number ≥ 0` };
    out[key] = x;
  }
  return out;
}

/** The shell's request for the checked form, based on `variant`, with the new variant's text. */
export function decomposeRequest(text: string, fileName: string, variant: string, c: Extract<Checked, { ok: true }>): DecomposeRequest {
  return {
    text,
    file_name: fileName,
    units: c.units,
    base: variant,
    out_file_name: fileName,
    ...(c.store_weight !== undefined ? { store_weight: c.store_weight } : {}),
    ...(c.team_bonus !== undefined ? { team_bonus: c.team_bonus } : {}),
    ...(c.balance !== undefined ? { balance: c.balance } : {}),
  } as DecomposeRequest;
}

/** The edit writing the suggestion previewed as the variant `name` (the suggester is
 * deterministic: the same request gives the same units). */
export function decomposeEdit(variant: string, name: string, c: Extract<Checked, { ok: true }>): Edit {
  return {
    kind: "decomposed_variant",
    variant,
    name,
    units: c.units,
    simulated_requests: null,
    store_weight: c.store_weight ?? null,
    team_bonus: c.team_bonus ?? null,
    balance: c.balance ?? null,
  } as Edit;
}

/** Each module's suggested unit and its colour. */
export function unitOfModule(d: Decomposition): Map<string, { unit: string; color: string }> {
  const out = new Map<string, { unit: string; color: string }>();
  d.units.forEach((u, i) => u.modules.forEach((m) => out.set(m, { unit: u.name, color: UNIT_COLORS[i % UNIT_COLORS.length] })));
  return out;
}

/** The graph with every module, and every unit of the suggestion, tinted in its suggested
 * unit's colour. */
export function withSuggestion<G extends Graph>(g: G, d: Decomposition | null | undefined): G {
  if (!d) return g;
  const byModule = unitOfModule(d);
  const byUnit = new Map(d.units.map((u, i) => [u.name, UNIT_COLORS[i % UNIT_COLORS.length]]));
  return {
    ...g,
    nodes: g.nodes.map((n) => {
      const tint = n.kind === "module" ? byModule.get(n.label)?.color : n.kind === "unit" || n.kind === "function" ? byUnit.get(n.label) : undefined;
      return tint ? { ...n, tint } : n;
    }),
  };
}

/** The suggester's figures in words. */
export function figures(d: Decomposition): string {
  const k = d.units.length;
  const cut = d.cross_unit_calls_per_request;
  return `${k} unit${k === 1 ? "" : "s"} · ${+cut.toFixed(3)} cross-unit call${cut === 1 ? "" : "s"} per request · teams split across units: ${
    d.teams_split.length ? d.teams_split.join(", ") : "none"
  }`;
}
