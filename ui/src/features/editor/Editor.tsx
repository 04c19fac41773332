// The editor: variants as tabs, the graph of the selected variant, the property panel of the
// selected item, diagnostics and warnings, and the instant estimate per entry.
import { useEffect, useState } from "react";
import { backend } from "../../api";
import { useStore } from "../../stores/store";
import { applyEdit, redo, scenarioStore, setVariant, undo } from "../../stores/scenario";
import { saveFile } from "../../stores/files";
import { Graph, PALETTE_MIME } from "./Graph";
import { addFromPalette, connect, deleteNode, moveModule, variantCommand } from "./modeling";
import { PALETTE_ITEMS, type PaletteKind } from "./palette";
import { totalLine } from "./cost";
import { estimateLine, type GNode } from "./graph";
import { PropertyPanel } from "./PropertyPanel";
import { variantDiff } from "./annotations";
import type { PathSeg, Schema } from "./schemaForm";
import { DecomposePanel, type DecomposePreview } from "./Decompose";

let schemaCache: Promise<Schema> | null = null;

export function Editor() {
  const st = useStore(scenarioStore, (s) => s);
  const [schema, setSchema] = useState<Schema | null>(null);
  const [selected, setSelected] = useState<GNode | null>(null);
  const [layoutKey, setLayoutKey] = useState(0);
  const [diffWith, setDiffWith] = useState<number | null>(null);
  const [decomposing, setDecomposing] = useState(false);
  const [preview, setPreview] = useState<DecomposePreview | null>(null);
  // a preview is of the text it was made from, in the variant it was made from
  const text = st.analysis?.text;
  useEffect(() => setPreview(null), [text, st.variant]);
  useEffect(() => {
    schemaCache ??= backend().scenarioSchema() as Promise<Schema>;
    schemaCache.then(setSchema);
  }, []);
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || (e.target as HTMLElement)?.tagName === "INPUT") return;
      if (e.key === "z" && !e.shiftKey) (e.preventDefault(), undo());
      else if (e.key === "y" || (e.key === "z" && e.shiftKey)) (e.preventDefault(), redo());
    };
    window.addEventListener("keydown", key);
    return () => window.removeEventListener("keydown", key);
  }, []);
  // Delete (or Backspace) deletes the selected node, after asking
  useEffect(() => {
    const del = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement)?.tagName;
      if ((e.key !== "Delete" && e.key !== "Backspace") || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || !selected) return;
      if (scenarioStore.get().analysis === null) return;
      e.preventDefault();
      deleteNode(selected).then((ok) => ok && setSelected(null));
    };
    window.addEventListener("keydown", del);
    return () => window.removeEventListener("keydown", del);
  }, [selected]);
  const a = st.analysis;
  if (!a) return <p className="empty">Open a scenario from the start page.</p>;
  const doc = (a.document ?? {}) as Record<string, unknown>;
  const variants = Array.isArray(doc.variants) ? (doc.variants as Record<string, unknown>[]) : [];
  const est = a.estimates[st.variant];
  const cost = a.costs?.[st.variant];
  const path: PathSeg[] = selected?.path ?? [];
  const dirty = st.savedText !== a.text;

  return (
    <div className="editor">
      <div className="toolbar">
        <button data-testid="undo" disabled={!st.past.length} onClick={undo} title="Ctrl+Z">
          Undo
        </button>
        <button data-testid="redo" disabled={!st.future.length} onClick={redo} title="Ctrl+Y">
          Redo
        </button>
        <button data-testid="save" disabled={!dirty} onClick={() => saveFile()} title="Ctrl+S">
          Save{dirty ? " *" : ""}
        </button>
        <button data-testid="auto-layout" onClick={() => setLayoutKey((k) => k + 1)}>
          Auto-layout
        </button>
        {selected && (
          <button data-testid="delete-node" onClick={() => deleteNode(selected).then((ok) => ok && setSelected(null))} title="Delete">
            Delete {selected.label}
          </button>
        )}
        <div className="tabs" role="tablist">
          {variants.map((v, i) => (
            <button
              key={i}
              role="tab"
              data-testid={`variant-tab-${String(v.name)}`}
              aria-selected={i === st.variant}
              className={i === st.variant ? "tab active" : "tab"}
              onClick={() => {
                // opening the variant compared with: the two swap
                if (diffWith === i) setDiffWith(st.variant);
                setVariant(i);
                setSelected(null);
              }}
            >
              {String(v.name)}
            </button>
          ))}
        </div>
        <VariantCommands current={String(variants[st.variant]?.name ?? "")} onDecompose={() => setDecomposing(true)} />
        {variants.length > 1 && (
          <label className="diff-with">
            diff with
            <select data-testid="diff-with" value={diffWith ?? ""} onChange={(e) => setDiffWith(e.target.value === "" ? null : Number(e.target.value))}>
              <option value="">(none)</option>
              {variants.map((v, i) =>
                i === st.variant ? null : (
                  <option key={i} value={i}>
                    {String(v.name)}
                  </option>
                ),
              )}
            </select>
          </label>
        )}
      </div>
      <EvolutionStepper
        doc={doc}
        variant={st.variant}
        onStep={(vi, previous) => {
          setVariant(vi);
          setSelected(null);
          setDiffWith(previous);
        }}
      />
      {decomposing && <DecomposePanel analysis={a} variant={st.variant} preview={preview} onPreview={setPreview} onClose={() => setDecomposing(false)} />}
      {diffWith !== null && diffWith !== st.variant && diffWith < variants.length && <DiffLine doc={doc} vi={st.variant} vj={diffWith} />}
      <div className="editor-body">
        <Palette />
        <div className="editor-main">
          <Graph
            analysis={preview?.analysis ?? a}
            topology={preview?.analysis.topology ?? st.topology}
            variant={preview ? preview.variant : Math.min(st.variant, Math.max(0, variants.length - 1))}
            selected={selected?.id ?? null}
            onSelect={setSelected}
            layoutKey={layoutKey}
            diffWith={preview ? null : diffWith}
            suggestion={preview?.outcome.decomposition ?? null}
            onMove={(module, toUnit) => moveModule(module, toUnit)}
            onConnect={(s, t) => connect(s, t)}
            onDropKind={(kind, unit) => addFromPalette(kind as PaletteKind, unit)}
          />
          <div className="status-strip">
            {a.diagnostics.length > 0 && st.topology.length > 0 && (
              <div className="hint" data-testid="topology-stale">
                The deployment drawn is the last valid one, with the modules where the text now puts them: fix the errors below to see this
                text's.
              </div>
            )}
            {a.diagnostics.length > 0 && (
              <ul className="diagnostics" data-testid="diagnostics">
                {a.diagnostics.map((d, i) => (
                  <li key={i}>
                    <b>
                      {d.file}:{d.line}:{d.column}
                    </b>{" "}
                    {d.field && <code>{d.field}</code>} {d.message}
                    {d.help && <i> — {d.help}</i>}
                  </li>
                ))}
              </ul>
            )}
            {est && (
              <div className="estimate-table" data-testid="estimate">
                <b>Instant estimate ({est.variant}):</b>{" "}
                {est.entries.map((e) => (
                  <span key={e.name}>
                    {e.name}: {e.mean_latency_s === null || e.mean_latency_s === undefined ? "unstable" : `${(e.mean_latency_s * 1e3).toPrecision(3)} ms mean`}
                  </span>
                ))}
                {cost && (
                  <span className="cost-total" data-testid="cost-total" title="estimated from the instant estimate's rates and the run's prices; a run's bill is in its results">
                    {totalLine(cost)}
                  </span>
                )}
                {est.nodes
                  .filter((n) => n.utilization >= 1)
                  .map((n) => (
                    <span key={n.name} className="overloaded-text">
                      {n.name} overloaded ({estimateLine(n.utilization, n.mean_response_s)})
                    </span>
                  ))}
              </div>
            )}
            {a.warnings.map((w, i) => (
              <div className="warning" key={i}>
                {w}
              </div>
            ))}
            {st.error && (
              <div className="error" data-testid="editor-error">
                {st.error}
              </div>
            )}
          </div>
        </div>
        <PropertyPanel
          schema={schema}
          analysis={a}
          path={path}
          title={selected ? `${selected.kind.replace("_", " ")} ${selected.label}` : "Scenario"}
          onCommit={(p, value) => applyEdit({ kind: "set_value", path: p, value: value as never })}
          onRemove={(p) => applyEdit({ kind: "remove_item", path: p })}
        />
      </div>
    </div>
  );
}

/** Every kind of node: click to add it, or drag it onto the graph (a module onto a unit). */
function Palette() {
  return (
    <aside className="palette" data-testid="palette" aria-label="Palette">
      <h4>Add</h4>
      {PALETTE_ITEMS.map((p) => (
        <button
          key={p.kind}
          draggable
          data-testid={`palette-${p.kind}`}
          title={p.hint}
          onDragStart={(e) => {
            e.dataTransfer.setData(PALETTE_MIME, p.kind);
            e.dataTransfer.effectAllowed = "copy";
          }}
          onClick={() => addFromPalette(p.kind)}
        >
          {p.label}
        </button>
      ))}
      <p className="hint">Drag from a module&apos;s right handle to another node to add a call. Select a node and press Delete to remove it.</p>
    </aside>
  );
}

/** The variant commands: duplicate, rename, a microservices variant from this one, decompose, delete. */
function VariantCommands(props: { current: string; onDecompose: () => void }) {
  const [renaming, setRenaming] = useState<string | null>(null);
  if (!props.current) return null;
  return (
    <span className="variant-commands">
      {renaming === null ? (
        <>
          <button className="small" data-testid="variant-duplicate" onClick={() => variantCommand("duplicate")} title="Add a copy of this variant">
            Duplicate
          </button>
          <button className="small" data-testid="variant-rename" onClick={() => setRenaming(props.current)}>
            Rename
          </button>
          <button className="small" data-testid="variant-microservices" onClick={() => variantCommand("microservices")} title="A new variant with one unit per module">
            Microservices from this
          </button>
          <button className="small" data-testid="variant-decompose" onClick={props.onDecompose} title="Suggest K units for the modules (archsim decompose), preview them and apply them as a new variant">
            Decompose…
          </button>
          <button className="small" data-testid="variant-delete" onClick={() => variantCommand("delete")}>
            Delete variant
          </button>
        </>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            variantCommand("rename", renaming.trim()).then(() => setRenaming(null));
          }}
        >
          <input data-testid="variant-name" autoFocus value={renaming} onChange={(e) => setRenaming(e.target.value)} aria-label="variant name" />
          <button className="small primary" type="submit">
            Rename
          </button>
          <button className="small" type="button" onClick={() => setRenaming(null)}>
            Cancel
          </button>
        </form>
      )}
    </span>
  );
}

/** What the diff shows, in one line: modules moved, units added and removed. */
function DiffLine(props: { doc: Record<string, unknown>; vi: number; vj: number }) {
  const vs = (props.doc.variants ?? []) as Record<string, unknown>[];
  const d = variantDiff(props.doc, props.vi, props.vj);
  const list = (xs: string[]) => (xs.length ? xs.join(", ") : "none");
  return (
    <div className="diff-line" data-testid="diff-line">
      <b>
        {String(vs[props.vi]?.name)} vs {String(vs[props.vj]?.name)}:
      </b>{" "}
      {d.moved.size} module{d.moved.size === 1 ? "" : "s"} in another unit ({[...d.moved].map(([m, was]) => `${m} ← ${was}`).join(", ") || "none"}) · units
      added: {list(d.added)} · removed: {list(d.removed)}
    </div>
  );
}

/** The variant indices of the scenario's `evolution` steps, in order (unknown names left out). */
export function evolutionSteps(doc: Record<string, unknown>): number[] {
  const names = ((doc.variants ?? []) as Record<string, unknown>[]).map((v) => String(v.name));
  const steps = Array.isArray(doc.evolution) ? doc.evolution : [];
  return steps.map((n) => names.indexOf(String(n))).filter((i) => i >= 0);
}

/** The scenario's evolution as a stepper: each step opens its variant with the diff against
 * the step before it. */
function EvolutionStepper(props: { doc: Record<string, unknown>; variant: number; onStep: (vi: number, previous: number | null) => void }) {
  const steps = evolutionSteps(props.doc);
  if (steps.length < 2) return null;
  const names = ((props.doc.variants ?? []) as Record<string, unknown>[]).map((v) => String(v.name));
  const k = steps.indexOf(props.variant);
  const go = (j: number) => props.onStep(steps[j], j > 0 ? steps[j - 1] : null);
  return (
    <div className="evolution" data-testid="evolution">
      <b>Evolution</b>
      <button data-testid="evolution-prev" disabled={k <= 0} onClick={() => go(k - 1)}>
        ◀
      </button>
      {steps.map((vi, j) => (
        <button key={vi} data-testid={`evolution-step-${j + 1}`} className={j === k ? "tab active" : "tab"} onClick={() => go(j)}>
          {j + 1}. {names[vi]}
        </button>
      ))}
      <button data-testid="evolution-next" disabled={k < 0 || k >= steps.length - 1} onClick={() => go(k + 1)}>
        ▶
      </button>
      <span className="hint">{k < 0 ? "this variant is not a step" : `step ${k + 1} of ${steps.length}${k > 0 ? `, compared with step ${k}` : ""}`}</span>
    </div>
  );
}
