// The typed inputs of the property panel, one per kind of field the schema describes: numbers,
// choices, durations and sizes (a number and a unit), distributions (a form per `dist` with a
// density/CDF preview), nested tables, arrival profiles (with the rate over the run), rows and
// lists of names. Every edit is one `set_value` (or `remove_item` for a reset) through the
// shell, which validates it as the CLI does.
import { useEffect, useState } from "react";
import type { Analysis } from "../../api";
import { DIST_KINDS, DIST_PARAMS, kindOf, modelOf, type DistKind } from "./distribution";
import { DistPreview, RatePlot } from "./previews";
import { horizonOf, rateFunction, sampleRate, SHAPES, shapeOf, templateOf, type Shape } from "./profile";
import { seconds, splitQuantity } from "./quantity";
import { arrange, display, fieldsAt, parseInput, templateAt, type Field, type FieldKind, type PathSeg, type Schema } from "./schemaForm";

export interface Ctx {
  schema: Schema;
  analysis: Analysis;
  onCommit: (path: PathSeg[], value: unknown) => void;
  /** A field reset: its key is removed from the file (the default applies again). */
  onRemove: (path: PathSeg[]) => void;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});

export function fieldName(path: PathSeg[]): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i ? `.${s}` : s)).join("");
}

function diagnosticsOf(a: Analysis, name: string): string[] {
  return a.diagnostics.filter((d) => d.field === name || d.field.startsWith(name + ".") || d.field.startsWith(name + "[")).map((d) => `line ${d.line}: ${d.message}`);
}

const DURATION_UNITS = ["ns", "us", "ms", "s", "m", "h"];
const DURATION_PATTERN = String.raw`^\s*[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(ns|us|µs|μs|ms|s|m|h)\s*$`;
const DURATION: FieldKind = { kind: "quantity", units: DURATION_UNITS, pattern: DURATION_PATTERN };

/** A duration in seconds written compactly in the format ("4ms", "1.5s"). */
export function durationValue(s: number): string {
  const [v, u] = s === 0 ? [0, "s"] : s < 1e-6 ? [s * 1e9, "ns"] : s < 1e-3 ? [s * 1e6, "us"] : s < 1 ? [s * 1e3, "ms"] : s < 600 ? [s, "s"] : s < 36000 ? [s / 60, "m"] : [s / 3600, "h"];
  return `${Number(v.toPrecision(4))}${u}`;
}

/** Text typed, committed on Enter or leaving the field, checked against the field's kind. */
function TextInput(props: { id: string; kind: FieldKind; value: unknown; required: boolean; path: PathSeg[]; ctx: Ctx; onError: (e: string | null) => void; show?: (v: unknown) => string }) {
  const show = props.show ?? display;
  const [typed, setTyped] = useState(show(props.value));
  useEffect(() => setTyped(show(props.value)), [props.value]);
  const commit = () => {
    if (typed === show(props.value)) return;
    if (typed.trim() === "") {
      if (props.required) props.onError("required");
      else {
        props.onError(null);
        props.ctx.onRemove(props.path);
      }
      return;
    }
    const r = parseInput(props.kind, typed);
    if ("error" in r) props.onError(r.error);
    else {
      props.onError(null);
      props.ctx.onCommit(props.path, r.value);
    }
  };
  return (
    <input
      id={props.id}
      data-testid={props.id}
      value={typed}
      placeholder="(default)"
      onChange={(e) => setTyped(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === "Enter" && commit()}
    />
  );
}

/** A duration or size: the number typed, the unit chosen from the ones the format accepts. */
function QuantityInput(props: { id: string; units: string[]; value: unknown; required: boolean; path: PathSeg[]; ctx: Ctx; onError: (e: string | null) => void }) {
  const q = splitQuantity(props.value, props.units);
  const [num, setNum] = useState(q?.number ?? "");
  const [unit, setUnit] = useState(q?.unit ?? (["ms", "MB"].find((u) => props.units.includes(u)) || props.units[0]));
  useEffect(() => {
    const q2 = splitQuantity(props.value, props.units);
    setNum(q2?.number ?? "");
    if (q2) setUnit(q2.unit);
  }, [props.value]);
  const commit = (n: string, u: string) => {
    if (q && n === q.number && u === q.unit) return;
    if (n.trim() === "") {
      if (props.required) props.onError("required");
      else if (props.value !== undefined) {
        props.onError(null);
        props.ctx.onRemove(props.path);
      }
      return;
    }
    const x = Number(n);
    if (!Number.isFinite(x) || x < 0) return props.onError(`expected a number ≥ 0, then a unit (${props.units.join(", ")})`);
    props.onError(null);
    props.ctx.onCommit(props.path, `${n.trim()}${u}`);
  };
  return (
    <span className="quantity">
      <input
        id={props.id}
        data-testid={props.id}
        inputMode="decimal"
        value={num}
        placeholder="(default)"
        onChange={(e) => setNum(e.target.value)}
        onBlur={() => commit(num, unit)}
        onKeyDown={(e) => e.key === "Enter" && commit(num, unit)}
      />
      <select
        data-testid={`${props.id}-unit`}
        aria-label="unit"
        value={unit}
        onChange={(e) => {
          setUnit(e.target.value);
          if (num.trim() !== "") commit(num, e.target.value);
        }}
      >
        {props.units.map((u) => (
          <option key={u}>{u}</option>
        ))}
      </select>
    </span>
  );
}

const DIST_LABEL: Record<DistKind, string> = {
  duration: "a fixed duration",
  const: "const (a fixed value)",
  exp: "exponential",
  lognormal: "log-normal",
  gamma: "gamma",
  uniform: "uniform",
  pareto: "Pareto",
  empirical: "empirical samples",
};

/** The same distribution's mean written into another kind's parameters (the form keeps it). */
export function convertDist(v: unknown, to: DistKind): unknown {
  const m = modelOf(v);
  const mean = "error" in m || !Number.isFinite(m.mean) ? 0.004 : m.mean;
  const d = durationValue(mean);
  switch (to) {
    case "duration":
      return d;
    case "const":
      return { dist: "const", value: d };
    case "exp":
      return { dist: "exp", mean: d };
    case "lognormal":
    case "gamma":
      return { dist: to, mean: d, cv: typeof obj(v).cv === "number" ? obj(v).cv : 1 };
    case "uniform":
      return { dist: "uniform", min: durationValue(mean / 2), max: durationValue((mean * 3) / 2) };
    case "pareto":
      return { dist: "pareto", mean: d, alpha: 2.5 };
    case "empirical":
      return { dist: "empirical", samples: [d] };
  }
}

function DistributionInput(props: { id: string; value: unknown; required: boolean; path: PathSeg[]; ctx: Ctx; onError: (e: string | null) => void }) {
  const kind = kindOf(props.value);
  const model = props.value === undefined ? null : modelOf(props.value);
  return (
    <div className="dist">
      <select
        data-testid={`${props.id}-dist`}
        aria-label="distribution"
        value={kind ?? ""}
        onChange={(e) => {
          const to = e.target.value as DistKind;
          if (to) props.ctx.onCommit(props.path, convertDist(props.value, to));
        }}
      >
        <option value="" disabled>
          {props.value === undefined ? "(default)" : "(not a distribution)"}
        </option>
        {DIST_KINDS.map((k) => (
          <option key={k} value={k}>
            {DIST_LABEL[k]}
          </option>
        ))}
      </select>
      {kind === "duration" && <QuantityInput id={props.id} units={DURATION_UNITS} value={props.value} required={props.required} path={props.path} ctx={props.ctx} onError={props.onError} />}
      {kind &&
        DIST_PARAMS[kind].map((p) => {
          const sub = [...props.path, p.key];
          const id = `${props.id}.${p.key}`;
          const v = obj(props.value)[p.key];
          return (
            <label key={p.key} className="param">
              <span>{p.key}</span>
              {p.kind === "duration" ? (
                <QuantityInput id={id} units={DURATION_UNITS} value={v} required={!p.optional} path={sub} ctx={props.ctx} onError={props.onError} />
              ) : p.kind === "number" ? (
                <TextInput id={id} kind={{ kind: "number" }} value={v} required path={sub} ctx={props.ctx} onError={props.onError} />
              ) : (
                <TextInput id={id} kind={{ kind: "strings" }} value={v} required path={sub} ctx={props.ctx} onError={props.onError} show={(x) => (Array.isArray(x) ? x.join(", ") : display(x))} />
              )}
            </label>
          );
        })}
      {kind === "empirical" && Array.isArray(obj(props.value).samples) && (obj(props.value).samples as unknown[]).some((s) => seconds(s) === null) && (
        <small className="error">every sample needs a duration with a unit, like 4ms</small>
      )}
      {model && ("error" in model ? <small className="error">{model.error}</small> : <DistPreview model={model} testId={`${props.id}-preview`} />)}
    </div>
  );
}

/** A list of rows of fixed columns: each cell typed, a row added or removed. */
function RowsInput(props: { id: string; columns: FieldKind[]; value: unknown; path: PathSeg[]; ctx: Ctx; onError: (e: string | null) => void }) {
  const rows = Array.isArray(props.value) ? (props.value as unknown[][]) : [];
  const commitCell = (r: number, c: number, v: unknown) => {
    const next = rows.map((row) => [...row]);
    next[r][c] = v;
    props.ctx.onCommit(props.path, next);
  };
  const cellCtx = (r: number, c: number): Ctx => ({ ...props.ctx, onCommit: (_p, v) => commitCell(r, c, v), onRemove: () => props.onError("a cell cannot be empty") });
  return (
    <div className="rows" data-testid={`${props.id}-rows`}>
      {rows.map((row, r) => (
        <div className="row" key={r}>
          {props.columns.map((col, c) =>
            col.kind === "quantity" ? (
              <QuantityInput key={c} id={`${props.id}[${r}][${c}]`} units={col.units} value={row[c]} required path={[...props.path, r, c]} ctx={cellCtx(r, c)} onError={props.onError} />
            ) : (
              <TextInput key={c} id={`${props.id}[${r}][${c}]`} kind={col} value={row[c]} required path={[...props.path, r, c]} ctx={cellCtx(r, c)} onError={props.onError} />
            ),
          )}
          <button title="remove this row" data-testid={`${props.id}[${r}]-remove`} onClick={() => props.ctx.onCommit(props.path, rows.filter((_, i) => i !== r))}>
            ✕
          </button>
        </div>
      ))}
      <button
        data-testid={`${props.id}-add`}
        onClick={() => {
          const last = rows[rows.length - 1];
          const t = last ? (seconds(last[0]) ?? 0) + 60 : 0;
          props.ctx.onCommit(props.path, [...rows, [durationValue(t), last ? last[1] : 1]]);
        }}
      >
        + row
      </button>
    </div>
  );
}

/** An arrival profile: its shape chosen from a list, then that shape's fields; the rate plotted. */
function ProfileInput(props: { id: string; value: unknown; parent: Obj; path: PathSeg[]; ctx: Ctx; onError: (e: string | null) => void }) {
  const shape = shapeOf(props.value);
  const rate = typeof props.parent.rate === "number" ? props.parent.rate : 10;
  const f = rateFunction(props.parent);
  return (
    <div className="profile">
      <select
        data-testid={`${props.id}-shape`}
        aria-label="shape"
        value={shape}
        onChange={(e) => {
          const t = templateOf(e.target.value as Shape, rate);
          if (t === undefined) props.ctx.onRemove(props.path);
          else props.ctx.onCommit(props.path, t);
        }}
      >
        {SHAPES.map((s) => (
          <option key={s} value={s}>
            {s === "none" ? "none (the steady rate)" : s}
          </option>
        ))}
      </select>
      {shape === "steps" && <RowsInput id={`${props.id}.steps`} columns={[DURATION, { kind: "number" }]} value={obj(props.value).steps} path={[...props.path, "steps"]} ctx={props.ctx} onError={props.onError} />}
      {shape !== "none" && shape !== "steps" && <TableFields path={[...props.path, shape]} value={obj(props.value)[shape]} ctx={props.ctx} />}
      {f && ("error" in f ? <small className="error">{f.error}</small> : <RatePlot samples={sampleRate(f, horizonOf(props.ctx.analysis.document))} testId={`${props.id}-plot`} />)}
    </div>
  );
}

/** Tables by name: each one folded with its own fields, removed, or a new one added by name. */
function MapInput(props: { id: string; value: unknown; path: PathSeg[]; ctx: Ctx; onError: (e: string | null) => void }) {
  const items = obj(props.value);
  const [name, setName] = useState("");
  const add = () => {
    const n = name.trim();
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(n)) return props.onError("a name: letters, digits, _ and -, not starting with a digit");
    if (items[n] !== undefined) return props.onError(`\`${n}\` exists already`);
    props.onError(null);
    setName("");
    props.ctx.onCommit([...props.path, n], templateAt(props.ctx.schema, [...props.path, n]));
  };
  return (
    <div className="map">
      {Object.entries(items).map(([k, v]) => (
        <details key={k} className="field table" data-testid={`${props.id}.${k}`}>
          <summary>
            <b>{k}</b>
            <button className="reset" title={`remove ${k}`} data-testid={`${props.id}.${k}-remove`} onClick={() => props.ctx.onRemove([...props.path, k])}>
              ✕ remove
            </button>
          </summary>
          <TableFields path={[...props.path, k]} value={v} ctx={props.ctx} />
        </details>
      ))}
      <span className="quantity">
        <input data-testid={`${props.id}-new`} placeholder="new name" value={name} onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === "Enter" && add()} />
        <button data-testid={`${props.id}-add`} onClick={add}>
          + add
        </button>
      </span>
    </div>
  );
}

/** Maps at the top of the scenario whose items are nodes of the graph (edited there). */
const GRAPH_MAPS = ["modules", "datastores", "externals"];

/** The fields of a nested table (or of the selected item): used ones, then the unused ones folded. */
export function TableFields(props: { path: PathSeg[]; value: unknown; ctx: Ctx }) {
  const item = obj(props.value);
  const { used, unused } = arrange(fieldsAt(props.ctx.schema, props.path), item);
  const nested = (v: unknown) =>
    v !== null && typeof v === "object" && (Array.isArray(v) ? v.some((x) => typeof x === "object") : Object.values(v).some((x) => typeof x === "object"));
  // lists of tables and maps (modules, variants, a unit's calls...) are edited on the graph
  const shown = used.filter(
    ({ field }) =>
      !((field.input.kind === "other" || field.input.kind === "list") && (item[field.key] === undefined || nested(item[field.key]))) &&
      !(field.input.kind === "map" && props.path.length === 0 && GRAPH_MAPS.includes(field.key)),
  );
  return (
    <>
      {shown.map(({ field, unused: why }) => (
        <FieldEditor key={field.key} field={field} path={[...props.path, field.key]} value={item[field.key]} parent={item} unused={why} ctx={props.ctx} />
      ))}
      {unused.length > 0 && (
        <details className="unused" data-testid={`unused-${fieldName(props.path) || "scenario"}`}>
          <summary>
            {unused.length} field{unused.length === 1 ? "" : "s"} not used here
          </summary>
          {unused.map(({ field, why }) => (
            <div key={field.key} className="hint">
              <b>{field.key}</b>: {why}
            </div>
          ))}
        </details>
      )}
    </>
  );
}

/** One field: its label, typed input, reset, description and the errors about it. */
export function FieldEditor(props: { field: Field; path: PathSeg[]; value: unknown; parent: Obj; unused: string | null; ctx: Ctx }) {
  const { field, ctx } = props;
  const name = fieldName(props.path);
  const id = `field-${name}`;
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [props.value]);
  const diags = diagnosticsOf(ctx.analysis, name);
  const common = { id, value: props.value, path: props.path, ctx, onError: setError };
  const k = field.input;
  // a nested table folds (open when the file has it); a profile is always shown with its plot
  const nested = k.kind === "table" || k.kind === "map";
  let input;
  if (k.kind === "table") input = <TableFields path={props.path} value={props.value} ctx={ctx} />;
  else if (k.kind === "map") input = <MapInput {...common} />;
  else if (k.kind === "profile") input = <ProfileInput {...common} parent={props.parent} />;
  else if (k.kind === "distribution") input = <DistributionInput {...common} required={field.required} />;
  else if (k.kind === "quantity") input = <QuantityInput {...common} units={k.units} required={field.required} />;
  else if (k.kind === "rows") input = <RowsInput {...common} columns={k.columns} />;
  else if (k.kind === "choice")
    input = (
      <select id={id} data-testid={id} value={display(props.value)} onChange={(e) => ctx.onCommit(props.path, e.target.value)}>
        <option value="" disabled>
          (default)
        </option>
        {k.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    );
  else if (k.kind === "boolean")
    input = (
      <select id={id} data-testid={id} value={display(props.value)} onChange={(e) => ctx.onCommit(props.path, e.target.value === "true")}>
        <option value="" disabled>
          (default)
        </option>
        <option>true</option>
        <option>false</option>
      </select>
    );
  else input = <TextInput {...common} kind={k} required={field.required} show={k.kind === "strings" ? (x) => (Array.isArray(x) ? x.join(", ") : display(x)) : undefined} />;
  const reset =
    props.value !== undefined && !field.required && k.kind !== "map" ? (
      <button className="reset" title="reset to the default: removes the key from the file" data-testid={`reset-${name}`} onClick={() => ctx.onRemove(props.path)}>
        ↺ default
      </button>
    ) : null;
  const body = (
    <>
      {input}
      <small className="hint">{field.description}</small>
      {props.unused && <small className="hint unused-note">not used: {props.unused}</small>}
      {error && (
        <small className="error" data-testid={`${id}-error`}>
          {error}
        </small>
      )}
      {diags.map((d) => (
        <small className="error" key={d}>
          {d}
        </small>
      ))}
    </>
  );
  if (nested)
    return (
      <details className={`field table${diags.length ? " invalid" : ""}`} open={props.value !== undefined} data-testid={`table-${name}`}>
        <summary>
          <b>{field.key}</b>
          {field.required && <span className="req">*</span>}
          {props.value === undefined && <span className="muted"> (default)</span>}
          {reset}
        </summary>
        {body}
      </details>
    );
  return (
    <div className={`field${error || diags.length ? " invalid" : ""}`}>
      <label htmlFor={id}>
        {field.key}
        {field.required && <span className="req">*</span>}
        {reset}
      </label>
      {body}
    </div>
  );
}

