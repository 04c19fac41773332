// Properties of the selected item, generated from the scenario's JSON Schema: one input per
// field, with the schema's description (unit, default, limits) and inline validation — the
// instant check of what is typed and the shell's diagnostics for that field.
import { useEffect, useState } from "react";
import type { Analysis } from "../../api";
import { display, fieldsAt, parseInput, type Field, type PathSeg, type Schema } from "./schemaForm";

function valueAt(doc: unknown, path: PathSeg[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

function fieldName(path: PathSeg[]): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");
}

function FieldInput(props: {
  field: Field;
  value: unknown;
  path: PathSeg[];
  diagnostics: string[];
  onCommit: (path: PathSeg[], value: unknown) => void;
  /** A field cleared: its key is removed from the file (the default applies again). */
  onRemove: (path: PathSeg[]) => void;
}) {
  const { field } = props;
  const [typed, setTyped] = useState(display(props.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setTyped(display(props.value));
    setError(null);
  }, [props.value]);
  const commit = () => {
    if (typed === display(props.value)) return;
    if (typed.trim() === "") {
      if (field.required) setError("required");
      else {
        setError(null);
        props.onRemove(props.path);
      }
      return;
    }
    const r = parseInput(field.input, typed);
    if ("error" in r) setError(r.error);
    else {
      setError(null);
      props.onCommit(props.path, r.value);
    }
  };
  const id = `field-${fieldName(props.path)}`;
  return (
    <div className={`field${error || props.diagnostics.length ? " invalid" : ""}`}>
      <label htmlFor={id}>
        {field.key}
        {field.required && <span className="req">*</span>}
      </label>
      {field.input.kind === "choice" ? (
        <select
          id={id}
          data-testid={id}
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            props.onCommit(props.path, e.target.value);
          }}
        >
          <option value="" disabled>
            (default)
          </option>
          {field.input.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          data-testid={id}
          value={typed}
          placeholder="(default)"
          onChange={(e) => setTyped(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => e.key === "Enter" && commit()}
        />
      )}
      <small className="hint">{field.description}</small>
      {error && <small className="error" data-testid={`${id}-error`}>{error}</small>}
      {props.diagnostics.map((d) => (
        <small className="error" key={d}>
          {d}
        </small>
      ))}
    </div>
  );
}

export function PropertyPanel(props: {
  schema: Schema | null;
  analysis: Analysis;
  path: PathSeg[];
  title: string;
  onCommit: (path: PathSeg[], value: unknown) => void;
  onRemove: (path: PathSeg[]) => void;
}) {
  if (!props.schema) return <aside className="props">Loading the schema…</aside>;
  const item = valueAt(props.analysis.document, props.path);
  // nested tables (modules, variants, a unit's list of modules...) are edited on the graph
  const nested = (v: unknown) =>
    v !== null && typeof v === "object" && (Array.isArray(v) ? v.some((x) => typeof x === "object") : Object.values(v).some((x) => typeof x === "object"));
  const fields = fieldsAt(props.schema, props.path).filter((f) => {
    const v = item && typeof item === "object" ? (item as Record<string, unknown>)[f.key] : undefined;
    if (f.input.kind === "duration-or-dist") return true;
    if (f.input.kind === "other" || f.input.kind === "list") return v !== undefined && !nested(v);
    return true;
  });
  return (
    <aside className="props" data-testid="property-panel">
      <h3>{props.title}</h3>
      <code className="path">{fieldName(props.path) || "scenario"}</code>
      {fields.map((f) => {
        const path = [...props.path, f.key];
        const name = fieldName(path);
        const diags = props.analysis.diagnostics
          .filter((d) => d.field === name || d.field.startsWith(name + ".") || d.field.startsWith(name + "["))
          .map((d) => `line ${d.line}: ${d.message}`);
        return (
          <FieldInput
            key={name}
            field={f}
            path={path}
            value={item && typeof item === "object" ? (item as Record<string, unknown>)[f.key] : undefined}
            diagnostics={diags}
            onCommit={props.onCommit}
            onRemove={props.onRemove}
          />
        );
      })}
    </aside>
  );
}
