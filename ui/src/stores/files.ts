// Files: New / Open / Save / Save as / recent files, the unsaved-changes prompt, the window
// title, and every export through a Save dialog with a notice naming the path written. The
// shell writes only to paths picked in its dialogs; a file opened otherwise (a lesson, a
// recent file) is saved through Save as.
import { backend, BackendError, type Analysis, type Lesson, type PickRequest } from "../api";
import { createStore } from "./store";
import { openAnalysis, openScenario, save, scenarioStore } from "./scenario";
import { switchRunSettings } from "./run";
import { setVariantOrder } from "../features/results/format";

export interface Choice {
  label: string;
  value: string;
  kind?: "primary" | "danger";
}

export interface Question {
  title: string;
  message: string;
  choices: Choice[];
}

export interface Notice {
  text: string;
  kind: "ok" | "error";
}

export interface FilesState {
  question: (Question & { resolve: (v: string) => void }) | null;
  notice: Notice | null;
  recent: string[];
  /** Paths picked in a dialog this session: Save writes them in place. */
  picked: string[];
}

const RECENT_KEY = "archsim.recentFiles";
const MAX_RECENT = 8;

function loadRecent(): string[] {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => typeof x === "string").slice(0, MAX_RECENT) : [];
  } catch {
    return [];
  }
}

export const filesStore = createStore<FilesState>({ question: null, notice: null, recent: loadRecent(), picked: [] });

/** Asks a question in the app's modal; resolves with the value of the choice clicked. */
export function ask(q: Question): Promise<string> {
  return new Promise((resolve) => filesStore.set({ question: { ...q, resolve } }));
}

export function answer(value: string) {
  const q = filesStore.get().question;
  filesStore.set({ question: null });
  q?.resolve(value);
}

export function notify(text: string, kind: Notice["kind"] = "ok") {
  filesStore.set({ notice: { text, kind } });
}

export function clearNotice() {
  filesStore.set({ notice: null });
}

function message(e: unknown): string {
  return e instanceof BackendError ? e.message : String((e as Error)?.message ?? e);
}

export function remember(path: string) {
  const recent = [path, ...filesStore.get().recent.filter((p) => p !== path)].slice(0, MAX_RECENT);
  filesStore.set({ recent });
  try {
    globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify(recent));
  } catch {
    // a browser without storage keeps the list for the session only
  }
}

function markPicked(path: string) {
  filesStore.set((s) => ({ picked: s.picked.includes(path) ? s.picked : [...s.picked, path] }));
}

/** Whether the text differs from what was last opened or saved. */
export function isDirty(): boolean {
  const st = scenarioStore.get();
  return !!st.analysis && st.savedText !== st.analysis.text;
}

/** The window title: the file, `•` while it has unsaved changes, and the app. */
export function titleOf(fileName: string | null, dirty: boolean): string {
  return fileName ? `${dirty ? "• " : ""}${fileName} — archsim` : "archsim";
}

/** With unsaved changes: asks whether to save them, discard them or stay. True: go on. */
export async function confirmDiscard(doing: string): Promise<boolean> {
  if (!isDirty()) return true;
  const name = scenarioStore.get().analysis?.file_name ?? "the model";
  const v = await ask({
    title: "Unsaved changes",
    message: `${name} has unsaved changes. Save them before ${doing}?`,
    choices: [
      { label: "Save", value: "save", kind: "primary" },
      { label: "Discard changes", value: "discard", kind: "danger" },
      { label: "Cancel", value: "cancel" },
    ],
  });
  if (v === "save") return saveFile();
  return v === "discard";
}

const openListeners: (() => void)[] = [];

/** Calls `f` each time another model is opened (New, Open, a lesson, a recent file, a model
 * discovered from traces): what was shown of the previous one is cleared there. */
export function onModelOpened(f: () => void) {
  openListeners.push(f);
}

async function afterOpen(previous: string | null) {
  const a = scenarioStore.get().analysis;
  switchRunSettings(previous, a?.path ?? null);
  clearNotice();
  openListeners.forEach((f) => f());
}

export async function newFile(): Promise<boolean> {
  if (!(await confirmDiscard("starting a new model"))) return false;
  const previous = scenarioStore.get().analysis?.path ?? null;
  try {
    openAnalysis(await backend().newScenario(), null);
    await afterOpen(previous);
    return true;
  } catch (e) {
    notify(message(e), "error");
    return false;
  }
}

/** Opens a model that exists only in memory (one discovered from traces): after the
 * unsaved-changes prompt, it is shown with no file and counts as unsaved, so closing it asks
 * first. False when the user stayed with the model open. */
export async function openUnsaved(a: Analysis, doing: string): Promise<boolean> {
  if (!(await confirmDiscard(doing))) return false;
  const previous = scenarioStore.get().analysis?.path ?? null;
  openAnalysis(a, null);
  scenarioStore.set({ savedText: null });
  await afterOpen(previous);
  return true;
}

/** Opens a scenario by path (a lesson, a recent file, a file picked). */
export async function openPath(path: string, lesson: Lesson | null = null): Promise<boolean> {
  if (!(await confirmDiscard("opening another file"))) return false;
  return load(path, lesson);
}

async function load(path: string, lesson: Lesson | null): Promise<boolean> {
  const previous = scenarioStore.get().analysis?.path ?? null;
  await openScenario(path, lesson);
  if (scenarioStore.get().analysis?.path !== path) return false;
  if (!lesson) remember(path);
  await afterOpen(previous);
  return true;
}

const SCENARIO_FILTER = [{ name: "Scenario", extensions: ["toml"] }];

export async function openFile(): Promise<boolean> {
  if (!(await confirmDiscard("opening another file"))) return false;
  const path = await backend().pickPath({ mode: "open", title: "Open a scenario", default_name: "", filters: SCENARIO_FILTER });
  if (!path) return false;
  markPicked(path);
  return load(path, null);
}

export async function saveFileAs(): Promise<boolean> {
  const a = scenarioStore.get().analysis;
  if (!a) return false;
  const path = await backend().pickPath({ mode: "save", title: "Save the scenario as", default_name: a.file_name, filters: SCENARIO_FILTER });
  if (!path) return false;
  markPicked(path);
  if (!(await save(path))) return false;
  remember(path);
  notify(`Saved ${path}`);
  return true;
}

/** Saves in place a file picked this session, otherwise asks where (Save as). */
export async function saveFile(): Promise<boolean> {
  const a = scenarioStore.get().analysis;
  if (!a) return false;
  if (!a.path || !filesStore.get().picked.includes(a.path)) return saveFileAs();
  if (!(await save(a.path))) return false;
  notify(`Saved ${a.path}`);
  return true;
}

/** Asks where to write an export, writes it, and says where it went (or why not). */
export async function exportTo(
  what: string,
  pick: Omit<PickRequest, "mode">,
  write: (path: string) => Promise<string[]>,
): Promise<string[] | null> {
  try {
    const path = await backend().pickPath({ mode: "save", ...pick });
    if (!path) return null;
    const files = await write(path);
    notify(`${what} written to ${files.join(", ")}`);
    return files;
  } catch (e) {
    notify(`${what} not written: ${message(e)}`, "error");
    return null;
  }
}

/** The base of an export's file name: the scenario's file name without `.toml`. */
export function exportBase(): string {
  const name = scenarioStore.get().analysis?.file_name ?? "results";
  return name.replace(/\.toml$/, "");
}

// every chart draws a variant in the colour of its place in the scenario's variants
scenarioStore.subscribe(() => {
  const doc = scenarioStore.get().analysis?.document as { variants?: { name?: unknown }[] } | undefined;
  const names = (doc?.variants ?? []).map((v) => v?.name).filter((n): n is string => typeof n === "string");
  setVariantOrder(names);
});
