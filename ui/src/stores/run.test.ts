import { describe, expect, it } from "vitest";
import { eta, onEvent, runStore } from "./run";

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
    const s = runStore.get();
    expect(s.done).toBe(2);
    expect(s.reps).toEqual([{ variant: "a", replication: 1, entry: "req", latencyMeanS: 0.5, latencyP99S: 2 }]);
  });
});
