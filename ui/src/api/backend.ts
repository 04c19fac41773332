// The typed interface between the UI and the app's shell. Only this folder calls `invoke`.
import type {
  AppError,
  Analysis,
  Edit,
  ErrorCode,
  ExportFormat,
  Lesson,
  Results,
  RunEvent,
  RunOutcome,
  RunRequest,
  SweepRequest,
  SweepOutcome,
  SweepResults,
  CapacityRequest,
  CapacityOutcome,
  CapacityResults,
  RightsizeRequest,
  RightsizeOutcome,
  RightsizeResults,
  TopologyNode,
  VariantTopology,
  PickRequest,
  DecomposeRequest,
  DecomposeOutcome,
  Decomposition,
  DiscoverRequest,
  DiscoverOutcome,
  CalibrateRequest,
  CalibrateOutcome,
  CalibrationReport,
  DiscoveryReport,
  EntryCdf,
} from "./types";

export type {
  AppError,
  Analysis,
  Edit,
  ErrorCode,
  ExportFormat,
  Lesson,
  Results,
  RunEvent,
  RunOutcome,
  RunRequest,
  SweepRequest,
  SweepOutcome,
  SweepResults,
  CapacityRequest,
  CapacityOutcome,
  CapacityResults,
  RightsizeRequest,
  RightsizeOutcome,
  RightsizeResults,
  TopologyNode,
  VariantTopology,
  PickRequest,
  DecomposeRequest,
  DecomposeOutcome,
  Decomposition,
  DiscoverRequest,
  DiscoverOutcome,
  CalibrateRequest,
  CalibrateOutcome,
  CalibrationReport,
  DiscoveryReport,
  EntryCdf,
};

/** The code of a failed command: the application layer's stable `ErrorCode`, or `internal`
 * when the command did not answer with an error of its own (the IPC itself failed). */
export type BackendErrorCode = ErrorCode | "internal";

/** An error returned by a command: `{ code, message, diagnostics }` from the application
 * layer's `AppError`. */
export class BackendError extends Error {
  readonly code: BackendErrorCode;
  readonly diagnostics: AppError["diagnostics"];
  constructor(e: Omit<AppError, "code"> & { code: BackendErrorCode }) {
    super(e.message);
    this.code = e.code;
    this.diagnostics = e.diagnostics;
  }
}

/** Where the scenario being edited lives: its text is the source of truth. */
export interface Source {
  text: string;
  fileName: string;
  path: string | null;
}

export interface Backend {
  readonly kind: "tauri" | "mock";
  listLessons(): Promise<Lesson[]>;
  openScenario(path: string): Promise<Analysis>;
  analyzeScenario(src: Source): Promise<Analysis>;
  editScenario(src: Source, edit: Edit): Promise<Analysis>;
  /** The resolved deployment of every variant (also in every analysis, as `topology`). */
  scenarioTopology(src: Source): Promise<VariantTopology[]>;
  saveScenario(path: string, text: string): Promise<Analysis>;
  scenarioSchema(): Promise<unknown>;
  runScenario(request: RunRequest, onEvent: (e: RunEvent) => void): Promise<RunOutcome>;
  /** A parameter sweep (`archsim sweep`); cancelled by cancelRun. */
  runSweep(request: SweepRequest, onEvent: (e: RunEvent) => void): Promise<SweepOutcome>;
  /** A capacity search (`archsim capacity`); cancelled by cancelRun. */
  runCapacity(request: CapacityRequest, onEvent: (e: RunEvent) => void): Promise<CapacityOutcome>;
  /** A right-sizing (`archsim rightsize`): per variant the cheapest plan meeting the SLO at a
   * rate; cancelled by cancelRun. */
  runRightsize(request: RightsizeRequest, onEvent: (e: RunEvent) => void): Promise<RightsizeOutcome>;
  cancelRun(): Promise<boolean>;
  /** The decomposition suggester (`archsim decompose`): K units for the modules, and with
   * `out_file_name` the scenario text with the suggestion as a new variant. */
  decomposeScenario(request: DecomposeRequest): Promise<DecomposeOutcome>;
  /** A model discovered from trace files (`archsim discover`): its analysis (a new, unsaved
   * scenario) and the discovery report. */
  discoverModel(request: DiscoverRequest): Promise<DiscoverOutcome>;
  /** The model calibrated against trace files (`archsim calibrate`): its analysis, the
   * before/after report and the entries' observed and simulated latency distributions. */
  calibrateModel(request: CalibrateRequest): Promise<CalibrateOutcome>;
  /** Writes the results as JSON, or CSV into the folder `path` (a path picked with pickPath). */
  exportResults(results: Results, format: ExportFormat, path: string): Promise<string[]>;
  /** The Open or Save dialog; the path picked (null: cancelled) is the only kind the shell
   * writes. */
  pickPath(request: PickRequest): Promise<string | null>;
  /** A new, unsaved scenario: the smallest valid model. */
  newScenario(): Promise<Analysis>;
  /** Writes text (an SVG, a JSON document) or, with `base64`, bytes (a PNG) to a picked path. */
  exportFile(path: string, contents: string, base64: boolean): Promise<string[]>;
  /** Writes the HTML report of a results, sweep or capacity document (JSON text). */
  exportReport(path: string, document: string): Promise<string[]>;
  /** What depends on a module or data store (what deleting it removes too), in sentences. */
  componentDependents(text: string, name: string, datastore: boolean): Promise<string[]>;
  /** The window's title. */
  setTitle(title: string): Promise<void>;
}

/** Turns a rejected command into a BackendError (the shell rejects with an AppError object). */
export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const a = e as AppError;
    return new BackendError({ code: a.code, message: a.message, diagnostics: a.diagnostics ?? [] });
  }
  return new BackendError({ code: "internal", message: String(e), diagnostics: [] });
}
