// The run panel's state: progress, ETA, per-replication values as they arrive, the results.
import { backend, BackendError, type Results, type RunEvent } from "../api";
import { createStore } from "./store";
import { scenarioStore } from "./scenario";

export interface RepPoint {
  variant: string;
  replication: number;
  entry: string;
  latencyMeanS: number;
  latencyP99S: number;
}

/** A finished (or cancelled) run kept for the session: its results and what produced them. */
export interface RunRecord {
  /** 1, 2, … in the order the runs finished. */
  id: number;
  file: string;
  /** Wall-clock time it finished (HH:MM:SS). */
  at: string;
  /** The scenario text it ran (to say whether the model changed between two runs). */
  text: string;
  cancelled: boolean;
  results: Results;
}

/** Runs kept in the history, at most (the oldest is forgotten first). */
export const HISTORY_SIZE = 10;

export interface RunState {
  status: "idle" | "running" | "cancelling" | "done" | "cancelled" | "failed";
  done: number;
  total: number;
  /** Replications that finished (their `replication` event arrived). */
  finished: number;
  elapsedS: number;
  reps: RepPoint[];
  results: Results | null;
  error: string | null;
  replications: number | null;
  seed: number | null;
  /** Precision target as typed (`2%`, `0.02`; empty: a fixed number of replications); the
   * backend validates it when the run starts. */
  precision: string;
  /** Cap on replications of a precision run (null: the library's default, 1000). */
  maxReplications: number | null;
  /** Where a precision run stands: replications so far and the worst relative half-width. */
  reached: { replications: number; maxReplications: number; target: number; relativeHalfWidth: number | null } | null;
  /** The runs of this session, newest first. */
  history: RunRecord[];
  /** The history's run whose results are shown (null: none yet). */
  shown: number | null;
  /** A second run of the history compared with the shown one (null: no comparison). */
  compareWith: number | null;
}

export const runStore = createStore<RunState>({
  status: "idle",
  done: 0,
  total: 0,
  finished: 0,
  elapsedS: 0,
  reps: [],
  results: null,
  error: null,
  replications: null,
  seed: null,
  precision: "",
  maxReplications: null,
  reached: null,
  history: [],
  shown: null,
  compareWith: null,
});

let nextId = 1;

/** Keeps a finished run in the history and shows it. */
export function remember(file: string, text: string, results: Results, cancelled: boolean, now = new Date()) {
  const rec: RunRecord = { id: nextId++, file, at: now.toTimeString().slice(0, 8), text, cancelled, results };
  runStore.set((s) => ({ history: [rec, ...s.history].slice(0, HISTORY_SIZE), shown: rec.id, compareWith: null }));
}

/** Shows the results of run `id` of the history. */
export function showRun(id: number) {
  const rec = runStore.get().history.find((r) => r.id === id);
  if (rec) runStore.set((s) => ({ shown: id, results: rec.results, compareWith: s.compareWith === id ? null : s.compareWith }));
}

/** How a run reads in the history's lists: `#3 14:02:11 online-shop.toml · 10 replications, seed 1`. */
export function recordLabel(r: RunRecord): string {
  const reps = r.results.replications;
  return `#${r.id} ${r.at} ${r.file} · ${reps} replication${reps === 1 ? "" : "s"}, seed ${r.results.seed}${r.cancelled ? " · cancelled" : ""}`;
}

/** The run settings a scenario keeps while the app is open (each file its own). */
type RunSettings = Pick<RunState, "replications" | "seed" | "precision" | "maxReplications">;
const DEFAULT_SETTINGS: RunSettings = { replications: null, seed: null, precision: "", maxReplications: null };
const settingsByFile = new Map<string, RunSettings>();

/** Leaving the scenario at `from` for the one at `to` (null: unsaved): keeps `from`'s run
 * settings, restores `to`'s (the scenario's own replications and seed the first time) and
 * clears the results. */
export function switchRunSettings(from: string | null, to: string | null) {
  const s = runStore.get();
  if (from) settingsByFile.set(from, { replications: s.replications, seed: s.seed, precision: s.precision, maxReplications: s.maxReplications });
  const next = (to && settingsByFile.get(to)) || DEFAULT_SETTINGS;
  runStore.set({ ...next, status: "idle", results: null, reps: [], done: 0, total: 0, finished: 0, elapsedS: 0, error: null, reached: null, shown: null, compareWith: null });
}

/** Seconds left, from the pace so far (null before the first replication finished). */
export function eta(done: number, total: number, elapsedS: number): number | null {
  if (done <= 0 || total <= 0) return null;
  return (elapsedS / done) * (total - done);
}

export function onEvent(e: RunEvent) {
  switch (e.kind) {
    case "started":
      runStore.set({ total: e.total, done: 0, elapsedS: 0 });
      break;
    case "progress":
      // after Cancel the skipped tasks are counted off without running: not progress
      if (runStore.get().status === "cancelling") break;
      runStore.set((s) => ({ done: Math.max(s.done, e.done), total: e.total, elapsedS: e.elapsed_s }));
      break;
    case "precision":
      runStore.set({
        reached: {
          replications: e.replications,
          maxReplications: e.max_replications,
          target: e.target,
          relativeHalfWidth: typeof e.relative_half_width === "number" ? e.relative_half_width : null,
        },
      });
      break;
    case "replication":
      runStore.set((s) => ({
        finished: s.finished + 1,
        reps: [
          ...s.reps,
          // a replication in which no request completed has no latency to show
          ...e.data.entries.filter((x) => x.completed !== 0).map((x) => ({
            variant: e.data.variant,
            replication: e.data.replication,
            entry: x.name,
            latencyMeanS: x.latency_mean_s,
            latencyP99S: x.latency_p99_s,
          })),
        ],
      }));
      break;
  }
}

export async function startRun() {
  const a = scenarioStore.get().analysis;
  if (!a || runStore.get().status === "running") return;
  const { replications, seed, precision, maxReplications } = runStore.get();
  // the backend checks the precision target (and every other option) and says what is wrong
  const target = precision.trim() ? precision.trim() : null;
  runStore.set({ status: "running", done: 0, total: 0, finished: 0, elapsedS: 0, reps: [], results: null, error: null, reached: null });
  try {
    const out = await backend().runScenario(
      {
        text: a.text,
        file_name: a.file_name,
        replications,
        seed,
        threads: null,
        variants: [],
        precision: target,
        max_replications: target === null ? null : maxReplications,
      },
      onEvent,
    );
    if (out.cancelled) {
      // the replications that finished, not the tasks the cancel skipped
      runStore.set((s) => ({ status: "cancelled", results: out.results, done: s.finished }));
    } else runStore.set({ status: "done", results: out.results });
    remember(a.file_name, a.text, out.results, out.cancelled);
  } catch (e) {
    const err = e instanceof BackendError ? e : null;
    runStore.set({ status: err?.code === "cancelled" ? "cancelled" : "failed", error: err ? err.message : String(e) });
  }
}

export async function cancelRun() {
  if (runStore.get().status !== "running") return;
  runStore.set({ status: "cancelling" });
  await backend().cancelRun();
}
