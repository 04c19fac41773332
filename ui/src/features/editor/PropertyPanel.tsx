// Properties of the selected item, generated from the scenario's JSON Schema: a typed input per
// field (numbers, choices, durations and sizes with units, distributions with a preview,
// nested tables, arrival profiles with the rate over time), grouped by relevance, with the
// schema's description (unit, default, limits) and inline validation — the instant check of
// what is typed and the shell's diagnostics for that field.
import type { Analysis } from "../../api";
import { fieldName, TableFields, type Ctx } from "./fields";
import type { PathSeg, Schema } from "./schemaForm";

function valueAt(doc: unknown, path: PathSeg[]): unknown {
  let cur = doc;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
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
  const ctx: Ctx = { schema: props.schema, analysis: props.analysis, onCommit: props.onCommit, onRemove: props.onRemove };
  return (
    <aside className="props" data-testid="property-panel">
      <h3>{props.title}</h3>
      <code className="path">{fieldName(props.path) || "scenario"}</code>
      <TableFields path={props.path} value={valueAt(props.analysis.document, props.path)} ctx={ctx} />
    </aside>
  );
}
