// The scenario being edited: its analysis (text, document, diagnostics, estimate) and the
// undo/redo history. Every edit goes through the backend's document edit command, so the
// TOML text stays the source of truth.
import { backend, BackendError, type Analysis, type Edit, type Lesson } from "../api";
import { createStore } from "./store";

export interface ScenarioState {
  analysis: Analysis | null;
  lesson: Lesson | null;
  past: Analysis[];
  future: Analysis[];
  savedText: string | null;
  variant: number;
  error: string | null;
}

export const scenarioStore = createStore<ScenarioState>({
  analysis: null,
  lesson: null,
  past: [],
  future: [],
  savedText: null,
  variant: 0,
  error: null,
});

const s = scenarioStore;

function message(e: unknown): string {
  return e instanceof BackendError ? e.message : String(e);
}

export async function openScenario(path: string, lesson: Lesson | null = null) {
  try {
    const a = await backend().openScenario(path);
    s.set({ analysis: a, lesson, past: [], future: [], savedText: a.text, variant: 0, error: null });
  } catch (e) {
    s.set({ error: message(e) });
  }
}

export async function applyEdit(edit: Edit): Promise<boolean> {
  const cur = s.get().analysis;
  if (!cur) return false;
  try {
    const next = await backend().editScenario({ text: cur.text, fileName: cur.file_name, path: cur.path ?? null }, edit);
    s.set((st) => ({ analysis: next, past: [...st.past, cur].slice(-200), future: [], error: null }));
    return true;
  } catch (e) {
    s.set({ error: message(e) });
    return false;
  }
}

export function undo() {
  const { past, analysis } = s.get();
  if (!past.length || !analysis) return;
  s.set((st) => ({ analysis: past[past.length - 1], past: past.slice(0, -1), future: [analysis, ...st.future] }));
}

export function redo() {
  const { future, analysis } = s.get();
  if (!future.length || !analysis) return;
  s.set((st) => ({ analysis: future[0], future: future.slice(1), past: [...st.past, analysis] }));
}

export async function save(path?: string) {
  const a = s.get().analysis;
  const target = path ?? a?.path;
  if (!a || !target) return;
  try {
    const saved = await backend().saveScenario(target, a.text);
    s.set({ analysis: saved, savedText: saved.text, error: null });
  } catch (e) {
    s.set({ error: message(e) });
  }
}

export function setVariant(variant: number) {
  s.set({ variant });
}
