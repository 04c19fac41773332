import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setBackend, type Backend, type CalibrateRequest, type DiscoverRequest } from "../api";
import { createMockBackend } from "../api/mock";
import mock from "../api/mock-data.json";
import type { CalibrateOutcome, DiscoverOutcome } from "../api/types";
import { addTraceFile, applyCalibrated, calibrate, calibrationState, canApply, discover, resetTelemetry, telemetryStore } from "./telemetry";
import { applyEdit, scenarioStore, undo } from "./scenario";
import { isDirty, newFile } from "./files";

const data = mock as unknown as { telemetry: { traces: string; discovery: DiscoverOutcome; calibration: CalibrateOutcome } };

describe("a model from traces", () => {
  let discovered: DiscoverRequest[];
  let calibrated: CalibrateRequest[];
  beforeEach(() => {
    discovered = [];
    calibrated = [];
    const real = createMockBackend({ stepMs: 1 });
    setBackend({
      ...real,
      discoverModel: (r) => (discovered.push(r), real.discoverModel(r)),
      calibrateModel: (r) => (calibrated.push(r), real.calibrateModel(r)),
    } as Backend);
    resetTelemetry();
    scenarioStore.set({ analysis: null, past: [], future: [], savedText: null });
  });
  afterEach(() => setBackend(null));

  it("discovers from the files picked and opens the model unsaved", async () => {
    expect(await discover()).toBe(false);
    expect(telemetryStore.get().error).toMatch(/at least one trace file/);
    await addTraceFile();
    await addTraceFile(); // the same path twice is listed once
    expect(telemetryStore.get().traces).toEqual(["/home/user/traces.jsonl"]);
    expect(await discover()).toBe(true);
    expect(discovered).toEqual([expect.objectContaining({ traces: ["/home/user/traces.jsonl"], fit: "auto", utilization: null, deployment: [] })]);
    const a = scenarioStore.get().analysis!;
    expect(a.text).toBe(data.telemetry.discovery.analysis.text);
    expect(a.path).toBeNull();
    // a model that exists only in memory counts as unsaved
    expect(isDirty()).toBe(true);
    expect(telemetryStore.get().discovery?.report.operations.length).toBe(data.telemetry.discovery.report.operations.length);
  });

  it("calibrates the model edited and replaces it as one undoable step", async () => {
    await addTraceFile();
    await discover();
    const before = scenarioStore.get().analysis!;
    expect(await calibrate()).toBe(true);
    expect(calibrated).toEqual([expect.objectContaining({ text: before.text, file_name: before.file_name, traces: ["/home/user/traces.jsonl"] })]);
    const c = telemetryStore.get().calibration!;
    expect(c.report.cdfs.length).toBeGreaterThan(0);
    expect(canApply()).toBe(true);
    expect(applyCalibrated()).toBe(true);
    expect(scenarioStore.get().analysis!.text).toBe(data.telemetry.calibration.analysis.text);
    expect(calibrationState()).toBe("applied");
    expect(canApply()).toBe(false);
    undo();
    expect(scenarioStore.get().analysis!.text).toBe(before.text);
    expect(calibrationState()).toBe("applicable");
  });

  it("forgets the report and the calibration when another model is opened, not the trace files", async () => {
    await addTraceFile();
    await discover();
    await calibrate();
    scenarioStore.set({ savedText: scenarioStore.get().analysis!.text }); // nothing unsaved to ask about
    expect(await newFile()).toBe(true);
    expect(telemetryStore.get().discovery).toBeNull();
    expect(telemetryStore.get().calibration).toBeNull();
    expect(telemetryStore.get().traces).toEqual(["/home/user/traces.jsonl"]);
  });

  it("does not apply a calibration to a model edited since", async () => {
    await addTraceFile();
    await discover();
    await calibrate();
    await applyEdit({ kind: "set_value", path: ["name"], value: "edited" as never });
    expect(calibrationState()).toBe("stale");
    expect(applyCalibrated()).toBe(false);
    expect(telemetryStore.get().error).toMatch(/changed since it was calibrated/);
  });
});
