// The editor's model actions: add from the palette, connect two operations, delete what is
// selected (asking first, naming what depends on it), tidy a unit a move left empty, and the
// variant commands. Each is a document edit of the shell (validated like the CLI's input).
import { backend, type Edit } from "../../api";
import { applyEdit, applyEdits, scenarioStore } from "../../stores/scenario";
import { ask, notify } from "../../stores/files";
import type { GNode } from "./graph";
import { freshName, paletteEdits, toEdits, type PaletteKind } from "./palette";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function doc(): Obj {
  return obj(scenarioStore.get().analysis?.document);
}

function variantName(): string {
  const st = scenarioStore.get();
  return String(arr(doc().variants)[st.variant]?.name ?? "");
}

/** Adds a node of `kind` (dropped on the unit `unit`, for a module). */
export async function addFromPalette(kind: PaletteKind, unit?: string): Promise<boolean> {
  const r = paletteEdits(doc(), scenarioStore.get().variant, kind, unit);
  if ("reason" in r) {
    notify(`Cannot add: ${r.reason}.`, "error");
    return false;
  }
  return applyEdits(toEdits(r.edits));
}

function opsOf(table: "modules" | "datastores", name: string): string[] {
  return Object.keys(obj(obj(obj(doc()[table])[name]).ops)).map((o) => `${name}.${o}`);
}

/** A call drawn from a module's node to a module's or data store's node: asks which
 * operations when either has several. */
export async function connect(source: GNode, target: GNode): Promise<boolean> {
  if (source.kind !== "module" || (target.kind !== "module" && target.kind !== "datastore")) {
    notify("A call goes from a module's operation to a module's or a data store's operation.", "error");
    return false;
  }
  const from = opsOf("modules", source.label);
  const to = opsOf(target.kind === "module" ? "modules" : "datastores", target.label);
  const pairs = from.flatMap((f) => to.filter((t) => t !== f).map((t) => [f, t] as const));
  if (!pairs.length) return false;
  let pick = pairs[0];
  if (pairs.length > 1) {
    const v = await ask({
      title: "Add a call",
      message: `Which operation of ${source.label} calls which of ${target.label}?`,
      choices: [...pairs.slice(0, 8).map(([f, t], i) => ({ label: `${f} → ${t}`, value: String(i), kind: i === 0 ? ("primary" as const) : undefined })), { label: "Cancel", value: "cancel" }],
    });
    if (v === "cancel") return false;
    pick = pairs[Number(v)];
  }
  return applyEdit({ kind: "add_call", from: pick[0], to: pick[1] });
}

async function confirm(title: string, message: string): Promise<boolean> {
  return (await ask({ title, message, choices: [{ label: "Delete", value: "yes", kind: "danger" }, { label: "Cancel", value: "no" }] })) === "yes";
}

/** The edit deleting `n` and the sentence asking for it (with what goes with it). */
async function deletion(n: GNode): Promise<{ edit: Edit; message: string } | { refusal: string }> {
  const a = scenarioStore.get().analysis!;
  const variant = variantName();
  switch (n.kind) {
    case "module":
    case "datastore": {
      const datastore = n.kind === "datastore";
      const deps = await backend().componentDependents(a.text, n.label, datastore);
      const what = datastore ? "data store" : "module";
      return {
        edit: { kind: "delete_component", name: n.label, datastore },
        message: deps.length ? `Delete the ${what} ${n.label}? This also removes ${deps.join("; ")}.` : `Delete the ${what} ${n.label}? Nothing depends on it.`,
      };
    }
    case "unit":
    case "function": {
      const u = arr(arr(doc().variants)[scenarioStore.get().variant]?.units).find((x) => x.name === n.label);
      const mods = arr(u?.modules) as unknown as string[];
      if (mods.length) return { refusal: `The unit ${n.label} still runs ${mods.join(", ")}: drag them to another unit first, or delete the modules.` };
      return { edit: { kind: "delete_unit", variant, unit: n.label }, message: `Delete the empty unit ${n.label} of ${variant}?` };
    }
    default:
      if (!n.path.length || n.path.length < 2) return { refusal: `${n.label} cannot be deleted here.` };
      return { edit: { kind: "remove_item", path: n.path }, message: `Delete ${n.kind.replace("_", " ")} ${n.label}${n.path[0] === "variants" ? ` from ${variant}` : ""}?` };
  }
}

/** Deletes the node selected, after asking (Delete key or the toolbar). */
export async function deleteNode(n: GNode): Promise<boolean> {
  const d = await deletion(n);
  if ("refusal" in d) {
    notify(d.refusal, "error");
    return false;
  }
  if (!(await confirm("Delete", d.message))) return false;
  return applyEdit(d.edit);
}

/** Moves a module; a unit the move leaves empty is offered for removal (or stays, flagged by
 * the validation, and can be deleted later). */
export async function moveModule(module: string, toUnit: string): Promise<boolean> {
  const variant = variantName();
  const vi = scenarioStore.get().variant;
  const from = arr(arr(doc().variants)[vi]?.units).find((u) => (arr(u.modules) as unknown as string[]).includes(module));
  if (!(await applyEdit({ kind: "move_module", variant, module, to_unit: toUnit }))) return false;
  const emptied = from && (arr(from.modules) as unknown as string[]).length === 1 ? String(from.name) : null;
  if (!emptied) return true;
  const v = await ask({
    title: "Empty unit",
    message: `The unit ${emptied} runs no module now, which the scenario does not allow. Remove it?`,
    choices: [
      { label: "Remove it", value: "remove", kind: "primary" },
      { label: "Keep it (drag a module into it)", value: "keep" },
    ],
  });
  if (v === "remove") return applyEdit({ kind: "delete_unit", variant, unit: emptied });
  return true;
}

/** The variant commands: add (a copy), duplicate, rename, microservices from this, delete. */
export async function variantCommand(cmd: "duplicate" | "rename" | "microservices" | "delete", newName?: string): Promise<boolean> {
  const variant = variantName();
  const taken = arr(doc().variants).map((v) => String(v.name));
  const vi = scenarioStore.get().variant;
  switch (cmd) {
    case "duplicate":
      return applyEdit({ kind: "duplicate_variant", variant, name: newName ?? freshName(`${variant}-copy`, taken) });
    case "microservices":
      return applyEdit({ kind: "microservices_variant", variant, name: newName ?? freshName("microservices", taken) });
    case "rename":
      if (!newName || newName === variant) return false;
      return applyEdit({ kind: "rename_variant", variant, name: newName });
    case "delete":
      if (taken.length <= 1) {
        notify("A scenario needs at least one variant.", "error");
        return false;
      }
      if (!(await confirm("Delete the variant", `Delete the variant ${variant} and its deployment?`))) return false;
      if (!(await applyEdit({ kind: "remove_item", path: ["variants", vi] }))) return false;
      scenarioStore.set({ variant: Math.max(0, vi - 1) });
      return true;
  }
}
