// Models from telemetry: the trace files (and the optional utilization file and deployment
// manifests) named through the Open dialog, discovery (`archsim discover`: the model opens in
// the editor as a new, unsaved scenario) and calibration of the model being edited against
// the same traces (`archsim calibrate`: before/after, the parameters moved, measured against
// simulated latency distributions), whose model replaces the one edited as one undoable step.
import { backend, BackendError, type CalibrateOutcome, type DiscoverOutcome } from "../api";
import { createStore } from "./store";
import { replaceAnalysis, scenarioStore } from "./scenario";
import { onModelOpened, openUnsaved } from "./files";

export type Fit = "auto" | "lognormal" | "gamma" | "empirical";

export interface TelemetryState {
  traces: string[];
  utilization: string | null;
  deployment: string[];
  fit: Fit;
  status: "idle" | "discovering" | "calibrating";
  discovery: DiscoverOutcome | null;
  /** The calibration and the text it was made from (applied only to that text). */
  calibration: (CalibrateOutcome & { from: string }) | null;
  error: string | null;
}

const INITIAL: TelemetryState = {
  traces: [],
  utilization: null,
  deployment: [],
  fit: "auto",
  status: "idle",
  discovery: null,
  calibration: null,
  error: null,
};

export const telemetryStore = createStore<TelemetryState>(INITIAL);
const t = telemetryStore;

// another model opened: the report and the calibration were of the previous one (the trace
// files stay named, to discover or calibrate again)
onModelOpened(() => t.set({ discovery: null, calibration: null }));

function message(e: unknown): string {
  return e instanceof BackendError ? e.message : String((e as Error)?.message ?? e);
}

const TRACE_FILTER = [{ name: "Traces (OTLP, Jaeger or Zipkin JSON)", extensions: ["json", "jsonl"] }];

/** Picks a file in the Open dialog; `name` is the name proposed (what the automated-test
 * mode answers). */
async function pick(title: string, name: string, filters: { name: string; extensions: string[] }[]): Promise<string | null> {
  try {
    return await backend().pickPath({ mode: "open", title, default_name: name, filters });
  } catch (e) {
    t.set({ error: message(e) });
    return null;
  }
}

export async function addTraceFile(): Promise<void> {
  const p = await pick("Add a trace file", "traces.jsonl", TRACE_FILTER);
  if (p && !t.get().traces.includes(p)) t.set((s) => ({ traces: [...s.traces, p], error: null }));
}

export function removeTraceFile(path: string) {
  t.set((s) => ({ traces: s.traces.filter((x) => x !== path) }));
}

export async function pickUtilization(): Promise<void> {
  const p = await pick("Measured CPU utilization (CSV or OpenTelemetry metrics JSON)", "utilization.csv", [
    { name: "Utilization", extensions: ["csv", "json", "jsonl"] },
  ]);
  if (p) t.set({ utilization: p, error: null });
}

export function clearUtilization() {
  t.set({ utilization: null });
}

export async function addDeployment(): Promise<void> {
  const p = await pick("A deployment manifest (Kubernetes YAML or docker-compose)", "deployment.yaml", [
    { name: "Manifest", extensions: ["yaml", "yml"] },
  ]);
  if (p && !t.get().deployment.includes(p)) t.set((s) => ({ deployment: [...s.deployment, p], error: null }));
}

export function removeDeployment(path: string) {
  t.set((s) => ({ deployment: s.deployment.filter((x) => x !== path) }));
}

export function setFit(fit: Fit) {
  t.set({ fit });
}

/** Discovers a model from the files named and opens it (after the unsaved-changes prompt).
 * True when it was opened. */
export async function discover(): Promise<boolean> {
  const s = t.get();
  if (s.traces.length === 0) {
    t.set({ error: "Add at least one trace file first." });
    return false;
  }
  t.set({ status: "discovering", error: null });
  try {
    const out = await backend().discoverModel({
      traces: s.traces,
      utilization: s.utilization,
      deployment: s.deployment,
      fit: s.fit,
      window: null,
      name: null,
      file_name: "discovered.toml",
    });
    if (!(await openUnsaved(out.analysis, "opening the discovered model"))) {
      t.set({ status: "idle" });
      return false;
    }
    t.set({ status: "idle", discovery: out, calibration: null });
    return true;
  } catch (e) {
    t.set({ status: "idle", error: message(e) });
    return false;
  }
}

/** Calibrates the model being edited against the trace files named. */
export async function calibrate(rounds: number | null = null): Promise<boolean> {
  const a = scenarioStore.get().analysis;
  const s = t.get();
  if (!a) {
    t.set({ error: "Open or discover a model first." });
    return false;
  }
  if (s.traces.length === 0) {
    t.set({ error: "Add the trace files to calibrate against first." });
    return false;
  }
  t.set({ status: "calibrating", error: null });
  try {
    const out = await backend().calibrateModel({
      text: a.text,
      file_name: a.file_name,
      path: a.path ?? null,
      traces: s.traces,
      variant: null,
      rounds,
      replications: null,
      seed: null,
      threads: null,
      max_events: null,
    });
    t.set({ status: "idle", calibration: { ...out, from: a.text } });
    return true;
  } catch (e) {
    t.set({ status: "idle", error: message(e) });
    return false;
  }
}

/** Where the calibration stands against the model edited: `applicable` (it was calibrated
 * from this text), `applied` (the text is the calibrated model), `stale` (edited since), or
 * `none`. Undoing the replacement makes it applicable again. */
export function calibrationState(): "none" | "applicable" | "applied" | "stale" {
  const c = t.get().calibration;
  const text = scenarioStore.get().analysis?.text;
  if (!c) return "none";
  if (text === c.analysis.text) return "applied";
  return text === c.from ? "applicable" : "stale";
}

/** Whether the calibrated model can replace the one edited. */
export function canApply(): boolean {
  return calibrationState() === "applicable";
}

/** Replaces the model edited with the calibrated one (one step of the undo history). */
export function applyCalibrated(): boolean {
  const c = t.get().calibration;
  if (!c || !canApply()) {
    t.set({ error: "The model changed since it was calibrated: calibrate it again." });
    return false;
  }
  replaceAnalysis(c.analysis);
  t.set({ error: null });
  return true;
}

/** For tests: back to nothing named, nothing discovered. */
export function resetTelemetry() {
  t.set(INITIAL);
}
