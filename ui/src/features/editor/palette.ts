// The palette: every kind of node the model can gain, each as the document edits that add a
// small valid instance of it to the scenario (and to the variant shown). The edits go through
// the shell's edit command, which validates the result as the CLI does.
import type { Edit } from "../../api";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);

export type PaletteKind =
  | "entry"
  | "module"
  | "datastore"
  | "unit_vm"
  | "unit_container"
  | "unit_kubernetes"
  | "function"
  | "database"
  | "gateway"
  | "load_balancer"
  | "cache"
  | "cdn"
  | "queue"
  | "external"
  | "workflow"
  | "transaction";

export const PALETTE_ITEMS: { kind: PaletteKind; label: string; hint: string }[] = [
  { kind: "entry", label: "Entry", hint: "requests arriving at an operation (Poisson, 10/s)" },
  { kind: "module", label: "Module", hint: "a module with one operation, run by the unit you drop it on (or the first)" },
  { kind: "datastore", label: "Data store", hint: "a data store with read and write operations, in the variant's first database" },
  { kind: "unit_vm", label: "Unit · VM", hint: "a unit on virtual machines (drag modules into it)" },
  { kind: "unit_container", label: "Unit · container", hint: "a unit on containers" },
  { kind: "unit_kubernetes", label: "Unit · Kubernetes", hint: "a unit on Kubernetes" },
  { kind: "function", label: "Function", hint: "a serverless unit (a function)" },
  { kind: "database", label: "Database", hint: "a database server holding a new data store" },
  { kind: "gateway", label: "API gateway", hint: "a gateway node in front of every entry" },
  { kind: "load_balancer", label: "Load balancer", hint: "a balancer in front of the variant's first unit" },
  { kind: "cache", label: "Cache", hint: "a cache node in front of the first data store (80% hits)" },
  { kind: "cdn", label: "CDN", hint: "a CDN answering 90% of the first entry's requests" },
  { kind: "queue", label: "Queue", hint: "a queue the first entry's operation publishes to, consumed by another module" },
  { kind: "external", label: "External service", hint: "a service outside the system (50 ms per call), called by the first entry's operation" },
  { kind: "workflow", label: "Workflow", hint: "a standard workflow with one task state (another module's operation), started by the first entry's operation" },
  { kind: "transaction", label: "Transaction · lock", hint: "a transaction in the first entry's operation: one step on a data store's operation that takes a lock `row`" },
];

/** The edit appending `call` to the calls of operation `fm.fo` (creating the list). */
function addCall(doc: Obj, fm: string, fo: string, call: Obj): DocEdit {
  const op = obj(obj(obj(obj(doc.modules)[fm]).ops)[fo]);
  return "calls" in op
    ? { kind: "insert_item", path: ["modules", fm, "ops", fo, "calls", arr(op.calls).length], value: call }
    : { kind: "set_value", path: ["modules", fm, "ops", fo, "calls"], value: [call] };
}

/** A structural edit with any JSON value (the generated `Edit` types a value as a table). */
export type DocEdit = { kind: "insert_item" | "set_value"; path: (string | number)[]; value: unknown };

/** The shell's edits of `DocEdit`s. */
export function toEdits(edits: DocEdit[]): Edit[] {
  return edits.map((e) => ({ ...e, value: e.value as never }));
}

/** `base`, or `base2`, `base3`… — the first name not in `taken`. */
export function freshName(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}${i}`)) return `${base}${i}`;
}

/** The edit adding `name` to the top-level table `table` (a table the file does not have yet
 * is created: the shell inserts only into tables that exist). */
function addTo(doc: Obj, table: string, name: string, value: unknown): DocEdit {
  return { kind: doc[table] === undefined ? "set_value" : "insert_item", path: [table, name], value };
}

/** Every `module.op` of the document's modules (or data stores). */
export function operations(doc: Obj, table: "modules" | "datastores" = "modules"): string[] {
  return Object.entries(obj(doc[table])).flatMap(([m, v]) => Object.keys(obj(obj(v).ops)).map((o) => `${m}.${o}`));
}

/** The edits adding a `kind` to variant `vi`; `unit` is the unit a module was dropped on.
 * Null, with the reason, when the model lacks what the kind needs. */
export function paletteEdits(doc: Obj, vi: number, kind: PaletteKind, unit?: string): { edits: DocEdit[]; name: string } | { reason: string } {
  const variant = arr(doc.variants)[vi];
  if (!variant && kind !== "module" && kind !== "datastore" && kind !== "entry") return { reason: "the scenario has no variant" };
  const v = obj(variant);
  const units = arr(v.units);
  const dbs = arr(v.databases);
  const modules = Object.keys(obj(doc.modules));
  const stores = Object.keys(obj(doc.datastores));
  const entries = arr(obj(doc.workload).entries);
  const unitNames = units.map((u) => String(u.name));
  switch (kind) {
    case "entry": {
      const op = operations(doc)[0];
      if (!op) return { reason: "add a module first: an entry calls one of its operations" };
      const name = freshName("entry", entries.map((e) => String(e.name)));
      return { name, edits: [{ kind: "insert_item", path: ["workload", "entries", entries.length], value: { name, op, arrival: { process: "poisson", rate: 10 } } }] };
    }
    case "module": {
      const name = freshName("module", modules);
      const edits: DocEdit[] = [{ kind: "insert_item", path: ["modules", name], value: { ops: { handle: { cpu: "5ms" } } } }];
      const ui = Math.max(0, unit ? unitNames.indexOf(unit) : 0);
      if (units[ui]) edits.push({ kind: "insert_item", path: ["variants", vi, "units", ui, "modules", arr(units[ui].modules).length], value: name });
      return { name, edits };
    }
    case "datastore": {
      const name = freshName("store", stores);
      const edits: DocEdit[] = [addTo(doc, "datastores", name, { ops: { read: { time: "1ms" }, write: { time: "3ms" } } })];
      if (dbs[0]) edits.push({ kind: "insert_item", path: ["variants", vi, "databases", 0, "stores", arr(dbs[0].stores).length], value: name });
      return { name, edits };
    }
    case "unit_vm":
    case "unit_container":
    case "unit_kubernetes":
    case "function": {
      const platform = kind === "function" ? "serverless" : kind.slice("unit_".length);
      const name = freshName(kind === "function" ? "function" : "unit", unitNames);
      const value: Obj = { name, modules: [], platform };
      if (platform !== "serverless") Object.assign(value, { replicas: 1, cores: 2 });
      return { name, edits: [{ kind: "insert_item", path: ["variants", vi, "units", units.length], value }] };
    }
    case "database": {
      const name = freshName("db", dbs.map((d) => String(d.name)));
      const store = freshName("store", stores);
      return {
        name,
        edits: [
          addTo(doc, "datastores", store, { ops: { read: { time: "1ms" }, write: { time: "3ms" } } }),
          v.databases === undefined
            ? { kind: "set_value", path: ["variants", vi, "databases"], value: [{ name, stores: [store], cores: 4 }] }
            : { kind: "insert_item", path: ["variants", vi, "databases", dbs.length], value: { name, stores: [store], cores: 4 } },
        ],
      };
    }
    case "gateway":
      if (v.gateway !== undefined) return { reason: "the variant has a gateway already" };
      return { name: "gateway", edits: [{ kind: "set_value", path: ["variants", vi, "gateway"], value: { overhead: "500us", replicas: 2, cores: 1 } }] };
    case "load_balancer": {
      if (!units[0]) return { reason: "add a unit first: a balancer fronts units" };
      const lbs = arr(v.load_balancers);
      const name = freshName("lb", lbs.map((l) => String(l.name)));
      const value = { name, units: [String(units[0].name)], replicas: 1 };
      return {
        name,
        edits: [
          v.load_balancers === undefined
            ? { kind: "set_value", path: ["variants", vi, "load_balancers"], value: [value] }
            : { kind: "insert_item", path: ["variants", vi, "load_balancers", lbs.length], value },
        ],
      };
    }
    case "cache": {
      if (!stores[0]) return { reason: "add a data store first: a cache answers reads of a store" };
      const cs = arr(v.caches);
      const name = freshName("cache", cs.map((c) => String(c.name)));
      const value = { name, stores: [stores[0]], hit_ratio: 0.8 };
      return {
        name,
        edits: [
          v.caches === undefined
            ? { kind: "set_value", path: ["variants", vi, "caches"], value: [value] }
            : { kind: "insert_item", path: ["variants", vi, "caches", cs.length], value },
        ],
      };
    }
    case "cdn":
      if (!entries[0]) return { reason: "add an entry first: a CDN answers an entry's requests" };
      if (v.cdn !== undefined) return { reason: "the variant has a CDN already" };
      return { name: "cdn", edits: [{ kind: "set_value", path: ["variants", vi, "cdn"], value: { entries: [String(entries[0].name)], hit_ratio: 0.9 } }] };
    case "external": {
      const from = String(entries[0]?.op ?? operations(doc)[0] ?? "");
      const [fm, fo] = from.split(".");
      if (!fm || !fo || !obj(doc.modules)[fm]) return { reason: "add a module first: an external service is called by a module's operation" };
      const name = freshName("api", [...Object.keys(obj(doc.externals)), ...modules, ...stores]);
      const op = obj(obj(obj(doc.modules)[fm]).ops)[fo];
      const calls = arr(obj(op).calls);
      return {
        name,
        edits: [
          addTo(doc, "externals", name, { latency: "50ms", ops: { call: {} } }),
          "calls" in obj(op)
            ? { kind: "insert_item", path: ["modules", fm, "ops", fo, "calls", calls.length], value: { op: `${name}.call` } }
            : { kind: "set_value", path: ["modules", fm, "ops", fo, "calls"], value: [{ op: `${name}.call` }] },
        ],
      };
    }
    case "workflow": {
      const from = String(entries[0]?.op ?? "");
      const [fm, fo] = from.split(".");
      const task = operations(doc).find((o) => !o.startsWith(`${fm}.`));
      if (!fm || !fo || !obj(doc.modules)[fm] || !task) return { reason: "add an entry and a second module first: a workflow's task calls another module's operation" };
      const name = freshName("workflow", Object.keys(obj(doc.workflows)));
      const value = { mode: "standard", start: "task", states: { task: { type: "task", op: task } } };
      const add: DocEdit = doc.workflows === undefined ? { kind: "set_value", path: ["workflows"], value: { [name]: value } } : { kind: "insert_item", path: ["workflows", name], value };
      return { name, edits: [add, addCall(doc, fm, fo, { workflow: name })] };
    }
    case "transaction": {
      const from = String(entries[0]?.op ?? "");
      const [fm, fo] = from.split(".");
      const step = operations(doc, "datastores").find((o) => /write|insert|update/.test(o)) ?? operations(doc, "datastores")[0];
      if (!fm || !fo || !obj(doc.modules)[fm] || !step) return { reason: "add an entry and a data store first: a transaction's step writes a data store" };
      return { name: "transaction", edits: [addCall(doc, fm, fo, { transaction: [{ op: step, locks: ["row"] }] })] };
    }
    case "queue": {
      const from = String(entries[0]?.op ?? "");
      const [fm, fo] = from.split(".");
      const consumer = operations(doc).find((o) => !o.startsWith(`${fm}.`));
      if (!fm || !fo || !consumer) return { reason: "add an entry and a second module first: a queue carries messages from one module to another" };
      const qs = arr(v.queues);
      const name = freshName("queue", qs.map((q) => String(q.name)));
      const value = { name, consumers: 4 };
      const calls = arr(obj(obj(obj(obj(doc.modules)[fm]).ops)[fo]).calls);
      return {
        name,
        edits: [
          v.queues === undefined
            ? { kind: "set_value", path: ["variants", vi, "queues"], value: [value] }
            : { kind: "insert_item", path: ["variants", vi, "queues", qs.length], value },
          "calls" in obj(obj(obj(obj(doc.modules)[fm]).ops)[fo])
            ? { kind: "insert_item", path: ["modules", fm, "ops", fo, "calls", calls.length], value: { publish: name, op: consumer } }
            : { kind: "set_value", path: ["modules", fm, "ops", fo, "calls"], value: [{ publish: name, op: consumer }] },
        ],
      };
    }
  }
}
