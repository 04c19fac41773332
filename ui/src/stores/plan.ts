// Sweep and capacity search from the run page: their parameters, progress (the same events as
// a run), the capacity search's steps as they finish, and the documents they return.
import { backend, BackendError, type CapacityResults, type RunEvent, type SweepResults } from "../api";
import { createStore } from "./store";
import { scenarioStore } from "./scenario";

export type PlanMode = "run" | "sweep" | "capacity";

export interface Step {
  variant: string;
  rate: number;
  verdict: string;
}

export interface PlanState {
  mode: PlanMode;
  status: "idle" | "running" | "cancelling" | "done" | "cancelled" | "failed";
  done: number;
  total: number;
  elapsedS: number;
  error: string | null;
  /** Sweep: the parameter path, its values (`A..B:STEP` or `a,b,c`), an optional second
   * parameter (a grid), the knee rule. */
  path: string;
  range: string;
  path2: string;
  range2: string;
  knee: string;
  /** Capacity: the SLO, the entry to scale (empty: all together), the stopping precision. */
  slo: string;
  entry: string;
  precision: string;
  /** Replications per point / evaluation (null: the scenario's). */
  replications: number | null;
  steps: Step[];
  sweep: SweepResults | null;
  capacity: CapacityResults | null;
}

const initial: PlanState = {
  mode: "run",
  status: "idle",
  done: 0,
  total: 0,
  elapsedS: 0,
  error: null,
  path: "",
  range: "",
  path2: "",
  range2: "",
  knee: "2",
  slo: "p99<300ms,errors<0.1%",
  entry: "",
  precision: "1%",
  replications: null,
  steps: [],
  sweep: null,
  capacity: null,
};

export const planStore = createStore<PlanState>(initial);

/** Forget the last sweep and capacity answer (a new scenario was opened). */
export function resetPlan(defaults: Partial<PlanState> = {}) {
  planStore.set({ ...initial, mode: planStore.get().mode, ...defaults });
}

/** The `--set` specifications of the sweep form: `PATH=VALUES`, the second when given. */
export function sweepSets(s: Pick<PlanState, "path" | "range" | "path2" | "range2">): string[] {
  const one = (p: string, r: string) => (p.trim() ? [`${p.trim()}=${r.trim()}`] : []);
  return [...one(s.path, s.range), ...one(s.path2, s.range2)];
}

export function onPlanEvent(e: RunEvent) {
  switch (e.kind) {
    case "started":
      planStore.set({ total: e.total, done: 0, elapsedS: 0 });
      break;
    case "progress":
      planStore.set((s) => ({ done: e.total !== s.total ? e.done : Math.max(s.done, e.done), total: e.total, elapsedS: e.elapsed_s }));
      break;
    case "step":
      planStore.set((s) => ({ steps: [...s.steps, { variant: e.variant, rate: e.rate, verdict: e.verdict }] }));
      break;
    default:
      break;
  }
}

async function start(kind: "sweep" | "capacity") {
  const a = scenarioStore.get().analysis;
  const s = planStore.get();
  if (!a || s.status === "running" || s.status === "cancelling") return;
  planStore.set({ status: "running", done: 0, total: 0, elapsedS: 0, error: null, steps: [], ...(kind === "sweep" ? { sweep: null } : { capacity: null }) });
  const common = { text: a.text, file_name: a.file_name, replications: s.replications, seed: null, threads: null, variants: [] };
  try {
    if (kind === "sweep") {
      const out = await backend().runSweep({ ...common, sets: sweepSets(s), knee: s.knee.trim() || null }, onPlanEvent);
      planStore.set({ status: out.cancelled ? "cancelled" : "done", sweep: out.results });
    } else {
      const out = await backend().runCapacity(
        { ...common, slo: s.slo, entry: s.entry.trim() || null, precision: s.precision.trim() || null, max_evaluations: null },
        onPlanEvent,
      );
      planStore.set({ status: out.cancelled ? "cancelled" : "done", capacity: out.results });
    }
  } catch (e) {
    const err = e instanceof BackendError ? e : null;
    planStore.set({ status: err?.code === "cancelled" ? "cancelled" : "failed", error: err ? err.message : String(e) });
  }
}

export const startSweep = () => start("sweep");
export const startCapacity = () => start("capacity");

export async function cancelPlan() {
  if (planStore.get().status !== "running") return;
  planStore.set({ status: "cancelling" });
  await backend().cancelRun();
}
