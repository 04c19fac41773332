// Sweep, capacity search and right-sizing from the run page: their parameters, progress (the
// same events as a run), the capacity search's steps as they finish, and the documents they
// return.
import { backend, BackendError, type CapacityResults, type RightsizeResults, type RunEvent, type SweepResults } from "../api";
import { createStore } from "./store";
import { scenarioStore } from "./scenario";

export type PlanMode = "run" | "sweep" | "capacity" | "rightsize";

/** The knobs a right-sizing may search (`archsim rightsize --search`), and its default. */
export const RIGHTSIZE_KNOBS: [string, string][] = [
  ["replicas", "unit replicas"],
  ["cores", "cores per instance"],
  ["db-cores", "database cores"],
  ["memory", "function memory"],
  ["provisioned", "provisioned concurrency"],
  ["reserved", "reserved concurrency"],
];
export const RIGHTSIZE_DEFAULT = ["replicas", "db-cores", "memory", "provisioned"];

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
  /** Right-size: the rate to size for (of `entry`, or of every entry together), the knobs
   * searched, the largest count considered (empty: 64). The SLO and entry are the capacity
   * search's. */
  rsRate: string;
  rsSearch: string[];
  rsMaxValue: string;
  /** Replications per point / evaluation (null: the scenario's). */
  replications: number | null;
  steps: Step[];
  sweep: SweepResults | null;
  capacity: CapacityResults | null;
  rightsize: RightsizeResults | null;
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
  rsRate: "",
  rsSearch: RIGHTSIZE_DEFAULT,
  rsMaxValue: "",
  replications: null,
  steps: [],
  sweep: null,
  capacity: null,
  rightsize: null,
};

export const planStore = createStore<PlanState>(initial);

/** The right-sizing form's rate as a number, or why it is not one. */
export function rightsizeRate(s: Pick<PlanState, "rsRate">): number | { error: string } {
  const t = s.rsRate.trim();
  const r = Number(t);
  if (t === "" || !Number.isFinite(r) || r <= 0) return { error: "the rate to size for: a number of requests per second > 0" };
  return r;
}

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

async function start(kind: "sweep" | "capacity" | "rightsize") {
  const a = scenarioStore.get().analysis;
  const s = planStore.get();
  if (!a || s.status === "running" || s.status === "cancelling") return;
  const rate = rightsizeRate(s);
  if (kind === "rightsize" && typeof rate !== "number") {
    planStore.set({ status: "failed", error: rate.error });
    return;
  }
  planStore.set({ status: "running", done: 0, total: 0, elapsedS: 0, error: null, steps: [], [kind]: null });
  const common = { text: a.text, file_name: a.file_name, replications: s.replications, seed: null, threads: null, variants: [] };
  try {
    if (kind === "sweep") {
      const out = await backend().runSweep({ ...common, sets: sweepSets(s), knee: s.knee.trim() || null }, onPlanEvent);
      planStore.set({ status: out.cancelled ? "cancelled" : "done", sweep: out.results });
    } else if (kind === "capacity") {
      const out = await backend().runCapacity(
        { ...common, slo: s.slo, entry: s.entry.trim() || null, precision: s.precision.trim() || null, max_evaluations: null },
        onPlanEvent,
      );
      planStore.set({ status: out.cancelled ? "cancelled" : "done", capacity: out.results });
    } else {
      const max = Number(s.rsMaxValue);
      const out = await backend().runRightsize(
        {
          ...common,
          slo: s.slo,
          rate: rate as number,
          entry: s.entry.trim() || null,
          search: s.rsSearch.join(","),
          max_value: s.rsMaxValue.trim() && Number.isInteger(max) ? max : null,
          max_evaluations: null,
          max_events: null,
        },
        onPlanEvent,
      );
      planStore.set({ status: out.cancelled ? "cancelled" : "done", rightsize: out.results });
    }
  } catch (e) {
    const err = e instanceof BackendError ? e : null;
    planStore.set({ status: err?.code === "cancelled" ? "cancelled" : "failed", error: err ? err.message : String(e) });
  }
}

export const startSweep = () => start("sweep");
export const startCapacity = () => start("capacity");
export const startRightsize = () => start("rightsize");

export async function cancelPlan() {
  if (planStore.get().status !== "running") return;
  planStore.set({ status: "cancelling" });
  await backend().cancelRun();
}
