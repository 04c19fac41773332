// "Decompose…": the decomposition suggester (`archsim decompose`) previewed on the graph — the
// new variant's deployment as the shell resolves it, modules and units tinted by suggested
// unit, with the suggester's figures and the instant estimate beside the current variant's —
// then applied as a new variant through the edit path (one step of the undo history).
import { useState } from "react";
import { backend, BackendError, type Analysis, type DecomposeOutcome } from "../../api";
import { applyEdit, scenarioStore, setVariant } from "../../stores/scenario";
import { checkForm, decomposeEdit, decomposeRequest, DEFAULT_FORM, figures, UNIT_COLORS, type Checked, type DecomposeForm } from "./decompose";

/** A suggestion previewed: the request's checked form, the shell's outcome and the analysis of
 * the text with the new variant (the graph draws its last variant). */
export interface DecomposePreview {
  base: string;
  checked: Extract<Checked, { ok: true }>;
  outcome: DecomposeOutcome;
  name: string;
  analysis: Analysis;
  variant: number;
}

const ms = (s: number | null | undefined) => (s === null || s === undefined ? "unstable" : `${+(s * 1e3).toPrecision(3)} ms`);

export function DecomposePanel(props: { analysis: Analysis; variant: number; preview: DecomposePreview | null; onPreview: (p: DecomposePreview | null) => void; onClose: () => void }) {
  const [form, setForm] = useState<DecomposeForm>(DEFAULT_FORM);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const a = props.analysis;
  const doc = (a.document ?? {}) as Record<string, unknown>;
  const modules = Object.keys((doc.modules ?? {}) as object).length;
  const base = String(((doc.variants ?? []) as Record<string, unknown>[])[props.variant]?.name ?? "");
  const field = (key: keyof DecomposeForm, label: string, placeholder: string, title: string) => (
    <label title={title}>
      {label}
      <input data-testid={`decompose-${key}`} value={form[key]} placeholder={placeholder} size={4} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );
  const preview = async () => {
    const c = checkForm(form, modules);
    if (!c.ok) return setError(`Cannot decompose: ${c.reason}.`);
    setBusy(true);
    setError(null);
    try {
      const outcome = await backend().decomposeScenario(decomposeRequest(a.text, a.file_name, base, c));
      const nv = outcome.new_variant;
      if (!nv) throw new BackendError({ code: "internal", message: "the suggestion came without its variant", diagnostics: [] });
      const analysis = await backend().analyzeScenario({ text: nv.text, fileName: a.file_name, path: a.path ?? null });
      const names = ((analysis.document as { variants?: { name?: string }[] })?.variants ?? []).map((v) => v.name);
      props.onPreview({ base, checked: c, outcome, name: nv.name, analysis, variant: Math.max(0, names.indexOf(nv.name)) });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      props.onPreview(null);
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    const p = props.preview;
    if (!p) return;
    if (!(await applyEdit(decomposeEdit(p.base, p.name, p.checked)))) return;
    const names = ((scenarioStore.get().analysis?.document as { variants?: { name?: string }[] })?.variants ?? []).map((v) => v.name);
    setVariant(Math.max(0, names.indexOf(p.name)));
    props.onPreview(null);
    props.onClose();
  };
  const p = props.preview;
  const before = a.estimates[props.variant];
  const after = p?.analysis.estimates[p.variant];
  return (
    <div className="decompose-panel" data-testid="decompose-panel">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void preview();
        }}
      >
        <b>Decompose {base}</b> into
        <input data-testid="decompose-units" type="number" min={1} max={modules} value={form.units} size={3} onChange={(e) => setForm({ ...form, units: e.target.value })} aria-label="units" />
        units of {modules} modules ·{field("storeWeight", "store weight", "1", "weight of a data store two modules share, relative to a call between them")}
        {field("teamBonus", "team bonus", "0.5", "bonus for two modules of the same team, as a multiple of the mean weight")}
        {field("balance", "balance", "0.25", "allowed imbalance of the units' sizes around modules/K")}
        <button className="small primary" data-testid="decompose-preview" type="submit" disabled={busy}>
          Preview
        </button>
        <button
          className="small"
          type="button"
          data-testid="decompose-close"
          onClick={() => {
            props.onPreview(null);
            props.onClose();
          }}
        >
          Close
        </button>
      </form>
      {error && (
        <div className="error" data-testid="decompose-error">
          {error}
        </div>
      )}
      {p && (
        <div className="decompose-preview">
          <div data-testid="decompose-figures">
            <b>Suggested ({p.name}):</b> {figures(p.outcome.decomposition)}
          </div>
          <ul className="decompose-units">
            {p.outcome.decomposition.units.map((u, i) => (
              <li key={u.name} data-testid={`decompose-unit-${u.name}`}>
                <span className="swatch" style={{ background: UNIT_COLORS[i % UNIT_COLORS.length] }} /> <b>{u.name}</b>: {u.modules.join(", ")}
              </li>
            ))}
          </ul>
          {before && after && (
            <div className="hint" data-testid="decompose-estimate">
              Instant estimate, {p.base} → {p.name}:{" "}
              {after.entries.map((e) => (
                <span key={e.name}>
                  {e.name} {ms(before.entries.find((x) => x.name === e.name)?.mean_latency_s)} → {ms(e.mean_latency_s)}{" "}
                </span>
              ))}
            </div>
          )}
          <button className="small primary" data-testid="decompose-apply" onClick={() => void apply()}>
            Apply as new variant
          </button>
        </div>
      )}
    </div>
  );
}
