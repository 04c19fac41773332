// The model edits of the application layer (`scenario::modeling`) on a parsed document, for
// the mock backend only (a plain browser has no shell): the same rules, without the comments.
import { BackendError } from "./backend";
import type { Edit } from "./types";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

function fail(message: string): never {
  throw new BackendError({ code: "edit", message, diagnostics: [] });
}

const hasOp = (doc: Obj, table: string, op: string) => {
  const [m, o] = op.split(".");
  return !!m && !!o && obj(obj(obj(doc[table])[m]).ops)[o] !== undefined;
};

function callsInto(c: Obj, prefix: string): number {
  return (String(c.op ?? "").startsWith(prefix) ? 1 : 0) + arr(c.parallel).reduce((n, x) => n + callsInto(x, prefix), 0);
}

function dropCalls(calls: Obj[], prefix: string): Obj[] {
  return calls.flatMap((c) => {
    if (String(c.op ?? "").startsWith(prefix)) return [];
    if (Array.isArray(c.parallel)) {
      const p = dropCalls(arr(c.parallel), prefix);
      return p.length ? [{ ...c, parallel: p }] : [];
    }
    return [c];
  });
}

/** What depends on a module or data store, in the shell's sentences. */
export function dependentsOf(doc: Obj, name: string, datastore: boolean): string[] {
  const prefix = `${name}.`;
  const out: string[] = [];
  for (const [m, mv] of Object.entries(obj(doc.modules)))
    for (const [o, ov] of Object.entries(obj(obj(mv).ops))) {
      const n = arr(obj(ov).calls).reduce((k, c) => k + callsInto(c, prefix), 0);
      if (n > 0 && m !== name) out.push(`the call${n === 1 ? "" : "s"} from ${m}.${o}`);
    }
  for (const e of arr(obj(doc.workload).entries)) if (String(e.op ?? "").startsWith(prefix)) out.push(`the entry ${e.name}`);
  const [group, key, what] = datastore ? ["databases", "stores", "database"] : ["units", "modules", "unit"];
  for (const v of arr(doc.variants))
    for (const u of arr(v[group]))
      if (arr(u[key]).includes(name as never))
        out.push(arr(u[key]).length === 1 ? `the ${what} ${u.name} of ${v.name} (removed: it holds nothing else)` : `its place in the ${what} ${u.name} of ${v.name}`);
  return out;
}

function variantIndex(doc: Obj, name: string): number {
  const i = arr(doc.variants).findIndex((v) => v.name === name);
  return i < 0 ? fail(`variants: no variant named \`${name}\``) : i;
}

function checkNewName(doc: Obj, name: string) {
  if (!name.trim()) fail("variants: a variant needs a name");
  if (arr(doc.variants).some((v) => v.name === name)) fail(`variants: a variant named \`${name}\` exists already`);
}

/** Applies a model edit to `doc` (a clone), or null when `edit` is a structural one. */
export function applyModelEdit(doc: Obj, edit: Edit): Obj | null {
  switch (edit.kind) {
    case "add_call": {
      if (!hasOp(doc, "modules", edit.from)) fail(`from: no operation \`${edit.from}\` in [modules]`);
      if (!hasOp(doc, "modules", edit.to) && !hasOp(doc, "datastores", edit.to)) fail(`to: no operation \`${edit.to}\` in [modules] or [datastores]`);
      if (edit.from === edit.to) fail(`to: \`${edit.from}\` cannot call itself`);
      const [m, o] = edit.from.split(".");
      const op = obj(obj(obj(doc.modules)[m]).ops)[o] as Obj;
      op.calls = [...arr(op.calls), { op: edit.to }];
      return doc;
    }
    case "delete_component": {
      const table = edit.datastore ? "datastores" : "modules";
      if (obj(doc[table])[edit.name] === undefined) fail(`${table}.${edit.name}: no such item`);
      delete obj(doc[table])[edit.name];
      const prefix = `${edit.name}.`;
      for (const mv of Object.values(obj(doc.modules)))
        for (const ov of Object.values(obj(obj(mv).ops))) if (Array.isArray(obj(ov).calls)) (ov as Obj).calls = dropCalls(arr(obj(ov).calls), prefix);
      const w = obj(doc.workload);
      if (Array.isArray(w.entries)) w.entries = arr(w.entries).filter((e) => !String(e.op ?? "").startsWith(prefix));
      const [group, key] = edit.datastore ? ["databases", "stores"] : ["units", "modules"];
      for (const v of arr(doc.variants)) {
        if (!Array.isArray(v[group])) continue;
        for (const u of arr(v[group])) if (Array.isArray(u[key])) u[key] = (u[key] as string[]).filter((x) => x !== edit.name);
        v[group] = arr(v[group]).filter((u) => !(Array.isArray(u[key]) && (u[key] as unknown[]).length === 0));
      }
      return doc;
    }
    case "delete_unit": {
      const v = arr(doc.variants)[variantIndex(doc, edit.variant)];
      const us = arr(v.units);
      const i = us.findIndex((u) => u.name === edit.unit);
      if (i < 0) fail(`variants.${edit.variant}.units: no unit named \`${edit.unit}\``);
      const held = arr(us[i].modules) as unknown as string[];
      if (held.length) fail(`variants.${edit.variant}.units: the unit \`${edit.unit}\` still runs ${held.join(", ")}: move them to another unit first`);
      v.units = us.filter((_, j) => j !== i);
      return doc;
    }
    case "duplicate_variant":
    case "rename_variant":
    case "microservices_variant": {
      const i = variantIndex(doc, edit.variant);
      checkNewName(doc, edit.name);
      const vs = arr(doc.variants);
      if (edit.kind === "rename_variant") {
        vs[i].name = edit.name;
        return doc;
      }
      const copy = JSON.parse(JSON.stringify(vs[i])) as Obj;
      copy.name = edit.name;
      if (edit.kind === "microservices_variant") {
        const units = arr(copy.units);
        if (!units.length) fail(`variants.${edit.variant}.units: the variant has no units to split`);
        const taken = units.map((u) => String(u.name));
        const used: string[] = [];
        copy.units = units.flatMap((u) => {
          const mods = arr(u.modules) as unknown as string[];
          return mods.map((m) => {
            let n = m;
            if (used.includes(n) || (taken.includes(n) && mods.length > 1 && u.name !== n)) n = `${m}-svc`;
            used.push(n);
            return { ...u, name: n, modules: [m] };
          });
        });
      }
      doc.variants = [...vs, copy];
      return doc;
    }
    default:
      return null;
  }
}
