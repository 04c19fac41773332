// Property panel logic driven by the scenario's JSON Schema: which fields an item has, what
// input each takes, and inline validation of a typed value (the shell's diagnostics are shown
// too; these checks only give instant feedback while typing).

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
  | { kind: "duration-or-dist" }
  | { kind: "list" }
  | { kind: "other" };

export interface Field {
  key: string;
  description: string;
  required: boolean;
  input: FieldKind;
}

function typeOf(s: Schema): string | undefined {
  return Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
}

export function fieldKind(root: Schema, raw: Schema): FieldKind {
  const s = resolve(root, raw) ?? {};
  const alts = s.oneOf ?? s.anyOf;
  if (alts) {
    const consts = alts.map((a) => resolve(root, a)?.const).filter((c) => typeof c === "string") as string[];
    if (consts.length === alts.length) return { kind: "choice", options: consts };
    return { kind: "duration-or-dist" };
  }
  if (s.enum) return { kind: "choice", options: s.enum.map(String) };
  switch (typeOf(s)) {
    case "integer":
      return { kind: "integer" };
    case "number":
      return { kind: "number" };
    case "boolean":
      return { kind: "boolean" };
    case "string":
      return { kind: "text", pattern: s.pattern, examples: s.examples?.map(String) };
    case "array":
      return { kind: "list" };
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
    case "text":
      if (input.pattern && !new RegExp(input.pattern).test(t))
        return { error: `expected a value like ${(input.examples ?? []).join(", ") || input.pattern}` };
      return { value: t };
    case "duration-or-dist":
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
      if (input.kind === "other") return { error: 'expected a JSON table like {"process": "poisson", "rate": 1200}' };
      if (input.kind === "list") return { error: 'expected a JSON list like ["a", "b"]' };
      if (input.kind === "duration-or-dist" && !/^\s*[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(ns|us|µs|μs|ms|s|m|h)\s*$/.test(t))
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
