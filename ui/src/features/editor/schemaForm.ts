// Property panel logic driven by the scenario's JSON Schema: which fields an item has, what
// input each takes, and inline validation of a typed value (the shell's diagnostics are shown
// too; these checks only give instant feedback while typing).
import { unitsOf } from "./quantity";

export type Schema = {
  $ref?: string;
  $defs?: Record<string, Schema>;
  type?: string | string[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  required?: string[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  examples?: unknown[];
  prefixItems?: Schema[];
};

export type PathSeg = string | number;

export function resolve(root: Schema, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 16; i++) {
    const name = cur.$ref.replace(/^#\/\$defs\//, "");
    const target = root.$defs?.[name];
    // keep the referring schema's own description (it names the unit and default)
    cur = target ? { ...target, description: cur.description ?? target.description } : undefined;
  }
  return cur;
}

/** The schema of the item at `path` in the document. */
export function schemaAt(root: Schema, path: PathSeg[]): Schema | undefined {
  let cur = resolve(root, root);
  for (const seg of path) {
    if (!cur) return undefined;
    if (typeof seg === "number") cur = resolve(root, cur.items);
    else if (cur.properties?.[seg]) cur = resolve(root, cur.properties[seg]);
    else if (typeof cur.additionalProperties === "object") cur = resolve(root, cur.additionalProperties);
    else return undefined;
  }
  return cur;
}

export type FieldKind =
  | { kind: "integer" }
  | { kind: "number" }
  | { kind: "boolean" }
  | { kind: "choice"; options: string[] }
  | { kind: "text"; pattern?: string; examples?: string[] }
  /** A duration or a size: a number and a unit. */
  | { kind: "quantity"; units: string[]; pattern: string }
  /** A distribution of durations: a duration, or a table with `dist` and its parameters. */
  | { kind: "distribution" }
  /** A nested table with its own fields. */
  | { kind: "table" }
  /** An arrival profile: exactly one of its shapes. */
  | { kind: "profile" }
  /** A list of fixed-length rows (`steps = [[start, rate], ...]`). */
  | { kind: "rows"; columns: FieldKind[] }
  /** A list of names. */
  | { kind: "strings" }
  /** Tables by name (a module's `ops`, `teams`). */
  | { kind: "map" }
  | { kind: "duration-or-dist" }
  | { kind: "list" }
  | { kind: "other" };

export interface Field {
  key: string;
  description: string;
  required: boolean;
  /** Place in the schema's `required` list (its declaration order), -1 when optional. */
  requiredAt: number;
  input: FieldKind;
}

function typeOf(s: Schema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
}

/** A oneOf of a duration and tables keyed by `dist`: the format's distribution of durations. */
function isDistribution(root: Schema, alts: Schema[]): boolean {
  const rs = alts.map((a) => resolve(root, a) ?? {});
  return rs.some((r) => typeOf(r) === "string" && unitsOf(r.pattern) !== null) && rs.some((r) => r.properties?.dist !== undefined);
}

export function fieldKind(root: Schema, raw: Schema): FieldKind {
  const s = resolve(root, raw) ?? {};
  const alts = s.oneOf ?? s.anyOf;
  if (alts) {
    const consts = alts.map((a) => resolve(root, a)?.const).filter((c) => typeof c === "string") as string[];
    if (consts.length === alts.length) return { kind: "choice", options: consts };
    if (isDistribution(root, alts)) return { kind: "distribution" };
    return { kind: "duration-or-dist" };
  }
  if (raw.$ref?.endsWith("/RawProfile")) return { kind: "profile" };
  if (s.enum) return { kind: "choice", options: s.enum.map(String) };
  switch (typeOf(s)) {
    case "integer":
      return { kind: "integer" };
    case "number":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "string": {
      const units = unitsOf(s.pattern);
      if (units && s.pattern) return { kind: "quantity", units, pattern: s.pattern };
      return { kind: "text", pattern: s.pattern, examples: s.examples?.map(String) };
    }
    case "object": {
      if (s.properties) return { kind: "table" };
      const each = typeof s.additionalProperties === "object" ? resolve(root, s.additionalProperties) : undefined;
      return each?.properties ? { kind: "map" } : { kind: "other" };
    }
    case "array": {
      const items = resolve(root, s.items);
      if (items?.prefixItems) return { kind: "rows", columns: items.prefixItems.map((c) => fieldKind(root, c)) };
      if (items && typeOf(items) === "string" && !items.pattern) return { kind: "strings" };
      return { kind: "list" };
    }
    default:
      return { kind: "other" };
  }
}

/** The scalar fields of the item at `path`, in schema order; nested tables are left out. */
export function fieldsAt(root: Schema, path: PathSeg[]): Field[] {
  const s = schemaAt(root, path);
  if (!s?.properties) return [];
  return Object.entries(s.properties).map(([key, sub]) => ({
    key,
    description: resolve(root, sub)?.description ?? "",
    required: s.required?.includes(key) ?? false,
    requiredAt: s.required?.indexOf(key) ?? -1,
    input: fieldKind(root, sub),
  }));
}

/** Parses what was typed into the value to store, or a message saying what is expected. */
export function parseInput(input: FieldKind, typed: string): { value: unknown } | { error: string } {
  const t = typed.trim();
  switch (input.kind) {
    case "integer": {
      if (!/^[+-]?\d+$/.test(t)) return { error: "expected a whole number" };
      return { value: Number(t) };
    }
    case "number": {
      const n = Number(t);
      if (t === "" || !Number.isFinite(n)) return { error: "expected a number" };
      return { value: n };
    }
    case "boolean":
      return { value: t === "true" };
    case "choice":
      if (!input.options.includes(t)) return { error: `expected one of ${input.options.join(", ")}` };
      return { value: t };
    case "quantity":
      if (!new RegExp(input.pattern).test(t)) return { error: `expected a number with a unit (${input.units.join(", ")})` };
      return { value: t };
    case "strings":
      return { value: t.split(",").map((x) => x.trim()).filter((x) => x !== "") };
    case "text":
      if (input.pattern && !new RegExp(input.pattern).test(t))
        return { error: `expected a value like ${(input.examples ?? []).join(", ") || input.pattern}` };
      return { value: t };
    case "duration-or-dist":
    case "distribution":
    case "table":
    case "map":
    case "profile":
    case "rows":
    case "list":
    case "other": {
      // a plain duration string, or JSON for a table / list
      if (t.startsWith("{") || t.startsWith("[")) {
        try {
          return { value: JSON.parse(t) };
        } catch {
          return { error: "expected a duration like \"4ms\" or a JSON table like {\"dist\": \"exp\", \"mean\": \"4ms\"}" };
        }
      }
      // a table or list field takes JSON only: `rate 1200` is not written into the file
      if (input.kind === "other" || input.kind === "table" || input.kind === "map" || input.kind === "profile") return { error: 'expected a JSON table like {"process": "poisson", "rate": 1200}' };
      if (input.kind === "list" || input.kind === "rows") return { error: 'expected a JSON list like ["a", "b"]' };
      if ((input.kind === "duration-or-dist" || input.kind === "distribution") && !/^\s*[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(ns|us|µs|μs|ms|s|m|h)\s*$/.test(t))
        return { error: "expected a duration with a unit, like \"4ms\", or a distribution table" };
      return { value: t };
    }
  }
}

/** How a stored value is shown in its input. */
export function display(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

type Item = Record<string, unknown>;

/**
 * When a field is used, read from its description's prefix ("Serverless: …") or its note
 * ("ignored for serverless"): the reason it is not used by this item, or null when it is.
 */
export function unusedBecause(field: Field, item: Item): string | null {
  const d = field.description;
  const platform = String(item.platform ?? "vm");
  const onHost = item.host !== undefined || item.hosts !== undefined;
  if (/^Serverless:/.test(d) && platform !== "serverless") return `only on serverless units (platform is ${platform})`;
  if (/^Kubernetes:/.test(d) && platform !== "kubernetes") return `only on Kubernetes units (platform is ${platform})`;
  if (/(ignored for serverless|not on serverless units)/.test(d) && platform === "serverless") return "not on serverless units";
  if (/^On a host:/.test(d) && !onHost) return "only on a unit placed on hosts";
  if (/^Without hosts:/.test(d) && onHost) return "not on a unit placed on hosts";
  if (/^Closed loop:/.test(d) && item.process !== "closed") return 'only with process = "closed"';
  return null;
}

/** Keys shown first, in this order, when an item has them (after its required ones). */
const FIRST = ["name", "op", "platform", "product", "modules", "stores", "units", "replicas", "cores", "memory", "workers", "queue", "process", "rate", "profile", "trace", "users", "think", "host", "hosts", "zones"];

function rank(f: Field): number {
  // required fields in the order the schema declares them ("spike = { base, peak, at, duration }")
  if (f.required) return Math.max(0, f.requiredAt);
  const i = FIRST.indexOf(f.key);
  const nested = f.input.kind === "table" || f.input.kind === "profile";
  return 1000 + (i >= 0 ? i : 100) + (nested ? 500 : 0);
}

/**
 * The fields of an item grouped by relevance: the ones it uses (required first, then the
 * common ones, then the rest alphabetically, nested tables last), and the ones its platform
 * or mode does not use, with why. A field that is not used but has a value stays in `used`
 * with its reason, so that nothing in the file is hidden.
 */
export function arrange(fields: Field[], item: Item): { used: { field: Field; unused: string | null }[]; unused: { field: Field; why: string }[] } {
  const order = new Map(fields.map((f) => [f.key, rank(f)]));
  const sorted = [...fields].sort((a, b) => order.get(a.key)! - order.get(b.key)! || a.key.localeCompare(b.key));
  const used: { field: Field; unused: string | null }[] = [];
  const unused: { field: Field; why: string }[] = [];
  for (const field of sorted) {
    const why = unusedBecause(field, item);
    if (why && item[field.key] === undefined) unused.push({ field, why });
    else used.push({ field, unused: why });
  }
  return { used, unused };
}

/**
 * A new item of the table at `path` that validates: each required field given a plain value
 * of its kind (a distribution or duration "1ms", a number 1, the first choice).
 */
export function templateAt(root: Schema, path: PathSeg[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fieldsAt(root, path)) {
    if (!f.required) continue;
    const k = f.input;
    if (k.kind === "distribution" || (k.kind === "quantity" && k.units.includes("ms"))) out[f.key] = "1ms";
    else if (k.kind === "quantity") out[f.key] = `1${k.units[0]}`;
    else if (k.kind === "number" || k.kind === "integer") out[f.key] = 1;
    else if (k.kind === "choice") out[f.key] = k.options[0];
    else if (k.kind === "boolean") out[f.key] = false;
  }
  return out;
}
