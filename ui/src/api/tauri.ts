// The Tauri implementation of Backend: one `invoke` per shell command.
import { Channel, invoke } from "@tauri-apps/api/core";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { toBackendError, type Backend } from "./backend";
import type { Analysis, CalibrateOutcome, CapacityOutcome, DecomposeOutcome, DiscoverOutcome, Lesson, RightsizeOutcome, RunEvent, RunOutcome, SweepOutcome, VariantTopology } from "./types";

function channel(onEvent: (e: RunEvent) => void): Channel<RunEvent> {
  const ch = new Channel<RunEvent>();
  ch.onmessage = onEvent;
  return ch;
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toBackendError(e);
  }
}

export const tauriBackend: Backend = {
  kind: "tauri",
  listLessons: () => call<Lesson[]>("list_lessons"),
  openScenario: (path) => call<Analysis>("open_scenario", { path }),
  analyzeScenario: (s) =>
    call<Analysis>("analyze_scenario", { text: s.text, fileName: s.fileName, path: s.path }),
  editScenario: (s, edit) =>
    call<Analysis>("edit_scenario", { text: s.text, fileName: s.fileName, path: s.path, edit }),
  scenarioTopology: (s) => call<VariantTopology[]>("scenario_topology", { text: s.text, fileName: s.fileName }),
  saveScenario: (path, text) => call<Analysis>("save_scenario", { path, text }),
  scenarioSchema: () => call<unknown>("scenario_schema"),
  runScenario: (request, onEvent) => call<RunOutcome>("run_scenario", { request, onEvent: channel(onEvent) }),
  runSweep: (request, onEvent) => call<SweepOutcome>("run_sweep", { request, onEvent: channel(onEvent) }),
  runCapacity: (request, onEvent) => call<CapacityOutcome>("run_capacity", { request, onEvent: channel(onEvent) }),
  runRightsize: (request, onEvent) => call<RightsizeOutcome>("run_rightsize", { request, onEvent: channel(onEvent) }),
  cancelRun: () => call<boolean>("cancel_run"),
  decomposeScenario: (request) => call<DecomposeOutcome>("decompose_scenario", { request }),
  discoverModel: (request) => call<DiscoverOutcome>("discover_model", { request }),
  calibrateModel: (request) => call<CalibrateOutcome>("calibrate_model", { request }),
  exportResults: (results, format, path) =>
    call<string[]>("export_results", { results, format, path }),
  pickPath: (request) => call<string | null>("pick_path", { request }),
  newScenario: () => call<Analysis>("new_scenario"),
  exportFile: (path, contents, base64) => call<string[]>("export_file", { path, contents, base64 }),
  exportReport: (path, document) => call<string[]>("export_report", { path, document }),
  componentDependents: (text, name, datastore) => call<string[]>("component_dependents", { text, name, datastore }),
  setTitle: async (title) => {
    document.title = title;
    await getCurrentWindow().setTitle(title);
  },
};
