import { afterEach, describe, expect, it } from "vitest";
import { setBackend, BackendError, type Backend } from "../api";
import { eta, onEvent, runStore, startRun } from "./run";
import { scenarioStore } from "./scenario";
import { onPlanEvent, planStore, sweepSets } from "./plan";
import { precisionLine } from "../features/run/RunPanel";

describe("run progress", () => {
  it("estimates the time left from the pace so far", () => {
    expect(eta(0, 10, 0)).toBeNull();
    expect(eta(2, 10, 4)).toBeCloseTo(16);
    expect(eta(10, 10, 20)).toBe(0);
  });

  it("keeps per-replication values as they arrive, in any order of progress events", () => {
    onEvent({ kind: "started", total: 4, variants: ["a"] });
    onEvent({ kind: "progress", done: 2, total: 4, elapsed_s: 1 });
    onEvent({ kind: "progress", done: 1, total: 4, elapsed_s: 1 });
    onEvent({
      kind: "replication",
      data: { variant: "a", replication: 1, done: 2, total: 4, entries: [{ name: "req", latency_mean_s: 0.5, latency_p50_s: 0.4, latency_p99_s: 2, throughput_per_s: 1, success_ratio: 1 }] },
    });
    // no request completed: no latency point (not a 0)
    onEvent({
      kind: "replication",
      data: { variant: "a", replication: 2, done: 3, total: 4, entries: [{ name: "req", completed: 0, latency_mean_s: 0, latency_p50_s: 0, latency_p99_s: 0, throughput_per_s: 0, success_ratio: 1 }] },
    });
    const s = runStore.get();
    expect(s.done).toBe(2);
    expect(s.reps).toEqual([{ variant: "a", replication: 1, entry: "req", latencyMeanS: 0.5, latencyP99S: 2 }]);
  });

  it("shows the precision reached", () => {
    onEvent({ kind: "precision", replications: 7, max_replications: 40, target: 0.02, relative_half_width: 0.0312 });
    expect(runStore.get().reached).toEqual({ replications: 7, maxReplications: 40, target: 0.02, relativeHalfWidth: 0.0312 });
    expect(precisionLine(runStore.get().reached)).toBe("7 replications so far (cap 40) · precision ±3.12% (target ±2%)");
    // before two replications the half-width is infinite (JSON null)
    onEvent({ kind: "precision", replications: 1, max_replications: 40, target: 0.02, relative_half_width: null as unknown as number });
    expect(precisionLine(runStore.get().reached)).toMatch(/precision — \(target/);
  });

  it("keeps a capacity search's steps and composes a sweep's --set specifications", () => {
    onPlanEvent({ kind: "started", total: 4, variants: ["a"] });
    onPlanEvent({ kind: "step", variant: "a", rate: 850, verdict: "met" });
    onPlanEvent({ kind: "step", variant: "a", rate: 1700, verdict: "violated" });
    expect(planStore.get().steps.map((s) => [s.rate, s.verdict])).toEqual([
      [850, "met"],
      [1700, "violated"],
    ]);
    // a new round (another total) restarts the count
    onPlanEvent({ kind: "progress", done: 4, total: 4, elapsed_s: 1 });
    onPlanEvent({ kind: "progress", done: 1, total: 2, elapsed_s: 2 });
    expect([planStore.get().done, planStore.get().total]).toEqual([1, 2]);
    expect(sweepSets({ path: " a.b ", range: "1..3:1", path2: "", range2: "x" })).toEqual(["a.b=1..3:1"]);
    expect(sweepSets({ path: "a", range: "1,2", path2: "c", range2: "5,6" })).toEqual(["a=1,2", "c=5,6"]);
  });
});

describe("a run's options are checked by the backend", () => {
  afterEach(() => setBackend(null));

  it("sends the precision target as typed and shows the backend's refusal", async () => {
    const sent: unknown[] = [];
    setBackend({
      kind: "mock",
      runScenario: async (request: unknown) => {
        sent.push(request);
        throw new BackendError({ code: "invalid_parameter", message: "--precision 200%: expected a percentage between 0% and 100% (`1%`) or a fraction (`0.01`)", diagnostics: [] });
      },
    } as unknown as Backend);
    scenarioStore.set({ analysis: { path: null, file_name: "f.toml", text: "x", diagnostics: [], warnings: [], estimates: [], costs: [], topology: [] } });
    runStore.set({ status: "idle", precision: " 200% ", maxReplications: 20 });
    await startRun();
    expect(sent).toEqual([expect.objectContaining({ precision: "200%", max_replications: 20 })]);
    expect(runStore.get().status).toBe("failed");
    expect(runStore.get().error).toMatch(/percentage between 0% and 100%/);
    // no target: a fixed number of replications, no cap sent
    runStore.set({ status: "idle", precision: "  " });
    await startRun();
    expect(sent[1]).toEqual(expect.objectContaining({ precision: null, max_replications: null }));
  });
});
