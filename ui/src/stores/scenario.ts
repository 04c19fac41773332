// The scenario being edited: its analysis (text, document, diagnostics, estimate) and the
// undo/redo history. Every edit goes through the backend's document edit command, so the
// TOML text stays the source of truth.
import { backend, BackendError, type Analysis, type Edit, type Lesson, type VariantTopology } from "../api";
import { createStore } from "./store";
import { withDocumentModules } from "../features/editor/graph";

export interface ScenarioState {
  analysis: Analysis | null;
  /** The deployment the graph draws: the analysis's when the scenario is valid, else the last
   * valid one of this scenario (the backend resolves only valid scenarios) with the units'
   * modules as the text now lists them. */
  topology: VariantTopology[];
  lesson: Lesson | null;
  past: Analysis[];
  future: Analysis[];
  savedText: string | null;
  variant: number;
  error: string | null;
}

export const scenarioStore = createStore<ScenarioState>({
  analysis: null,
  topology: [],
  lesson: null,
  past: [],
  future: [],
  savedText: null,
  variant: 0,
  error: null,
});

const s = scenarioStore;

/** The topology to draw with `next`: its own when valid, else the one drawn so far with the
 * modules where `next`'s document puts them. */
function topologyOf(next: Analysis, drawn: VariantTopology[]): VariantTopology[] {
  if (next.diagnostics.length === 0 && next.topology.length > 0) return next.topology;
  return withDocumentModules(drawn, next.document);
}

/** The variant selected, kept within `a`'s variants (undoing a new variant removes the one
 * selected: the last one left is selected instead). */
export function variantWithin(a: Analysis, variant: number): number {
  const vs = (a.document as { variants?: unknown[] } | null)?.variants;
  const n = Array.isArray(vs) ? vs.length : 0;
  return Math.max(0, Math.min(variant, n - 1));
}

function message(e: unknown): string {
  return e instanceof BackendError ? e.message : String(e);
}

/** Shows `a` as the scenario being edited (a new history; its text counts as saved). */
export function openAnalysis(a: Analysis, lesson: Lesson | null) {
  s.set({ analysis: a, topology: a.topology, lesson, past: [], future: [], savedText: a.text, variant: 0, error: null });
}

export async function openScenario(path: string, lesson: Lesson | null = null) {
  try {
    openAnalysis(await backend().openScenario(path), lesson);
  } catch (e) {
    s.set({ error: message(e) });
  }
}

export async function applyEdit(edit: Edit): Promise<boolean> {
  const cur = s.get().analysis;
  if (!cur) return false;
  try {
    const next = await backend().editScenario({ text: cur.text, fileName: cur.file_name, path: cur.path ?? null }, edit);
    s.set((st) => ({ analysis: next, topology: topologyOf(next, st.topology), past: [...st.past, cur].slice(-200), future: [], error: null }));
    return true;
  } catch (e) {
    s.set({ error: message(e) });
    return false;
  }
}

/** Applies several edits as one step of the history (all or nothing: the first that fails
 * leaves the scenario as it was and says why). */
export async function applyEdits(edits: Edit[]): Promise<boolean> {
  const cur = s.get().analysis;
  if (!cur) return false;
  let next = cur;
  try {
    for (const edit of edits) next = await backend().editScenario({ text: next.text, fileName: next.file_name, path: next.path ?? null }, edit);
    s.set((st) => ({ analysis: next, topology: topologyOf(next, st.topology), past: [...st.past, cur].slice(-200), future: [], error: null }));
    return true;
  } catch (e) {
    s.set({ error: message(e) });
    return false;
  }
}

/** Replaces the scenario with `next` (a calibrated model of it) as one step of the history:
 * undo brings the text back; what was last saved stays the reference for unsaved changes. */
export function replaceAnalysis(next: Analysis) {
  const cur = s.get().analysis;
  if (!cur) return;
  s.set((st) => ({ analysis: next, topology: topologyOf(next, st.topology), past: [...st.past, cur].slice(-200), future: [], error: null, variant: variantWithin(next, st.variant) }));
}

export function undo() {
  const { past, analysis } = s.get();
  if (!past.length || !analysis) return;
  const prev = past[past.length - 1];
  s.set((st) => ({ analysis: prev, topology: topologyOf(prev, st.topology), past: past.slice(0, -1), future: [analysis, ...st.future], variant: variantWithin(prev, st.variant) }));
}

export function redo() {
  const { future, analysis } = s.get();
  if (!future.length || !analysis) return;
  s.set((st) => ({ analysis: future[0], topology: topologyOf(future[0], st.topology), future: future.slice(1), past: [...st.past, analysis], variant: variantWithin(future[0], st.variant) }));
}

/** Saves the text to `path` (default: the file's own); false when it was not written. */
export async function save(path?: string): Promise<boolean> {
  const a = s.get().analysis;
  const target = path ?? a?.path;
  if (!a || !target) return false;
  try {
    const saved = await backend().saveScenario(target, a.text);
    s.set((st) => ({ analysis: saved, topology: topologyOf(saved, st.topology), savedText: saved.text, error: null }));
    return true;
  } catch (e) {
    s.set({ error: message(e) });
    return false;
  }
}

export function setVariant(variant: number) {
  s.set({ variant });
}
