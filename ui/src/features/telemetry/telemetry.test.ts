import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { CalibrateOutcome, DiscoverOutcome, EntryCdf } from "../../api/types";
import { cdfChart, cdfDistance, discoveryFacts, movedParameters, ms, pairedRows, pct } from "./telemetry";

const data = mock as unknown as { telemetry: { discovery: DiscoverOutcome; calibration: CalibrateOutcome } };

describe("the Traces page's figures", () => {
  it("formats durations and errors", () => {
    expect(ms(0.0123456)).toBe("12.3 ms");
    expect(ms(null)).toBe("—");
    expect(pct(-0.0512)).toBe("−5.1%");
    expect(pct(0.2)).toBe("+20.0%");
  });

  it("states the discovery's counts", () => {
    const r = data.telemetry.discovery.report;
    const facts = Object.fromEntries(discoveryFacts(r));
    expect(facts["spans read"]).toBe(String(r.spans_read));
    expect(facts.operations).toBe(String(r.operations.length));
    expect(facts.traces).toContain(`${r.traces_complete} complete`);
  });

  it("pairs the rows before and after, and lists what moved, largest first", () => {
    const r = data.telemetry.calibration.report;
    const rows = pairedRows(r);
    expect(rows.length).toBe(r.before.length);
    rows.forEach((x, i) => {
      expect(x.beforeMean).toBe(r.before[i].simulated.mean_s);
      expect(x.afterMean).toBe(r.after.find((a) => a.kind === x.kind && a.name === x.name)!.simulated.mean_s);
    });
    const moved = movedParameters({
      ...r,
      changes: [
        { parameter: "a", before_mean_s: 1, after_mean_s: 1.0005, factor: 1.0005 },
        { parameter: "b", before_mean_s: 1, after_mean_s: 0.5, factor: 0.5 },
        { parameter: "c", before_mean_s: 1, after_mean_s: 1.2, factor: 1.2 },
      ],
    });
    expect(moved.map((c) => c.parameter)).toEqual(["b", "c"]);
  });

  it("draws measured, as given and calibrated CDFs in ms", () => {
    const c: EntryCdf = {
      entry: "e",
      observed: [[0.001, 0.5], [0.002, 1]],
      before: [[0.002, 0.5], [0.004, 1]],
      after: [[0.001, 0.4], [0.002, 1]],
    };
    const o = cdfChart(c);
    const series = o.series as { name: string; data: number[][] }[];
    expect(series.map((s) => s.name)).toEqual(["measured (traces)", "simulated, model as given", "simulated, calibrated"]);
    // each curve starts from 0 at its first latency: a single value is drawn as its step
    expect(series[0].data).toEqual([[1, 0], [1, 0.5], [2, 1]]);
    const one = cdfChart({ ...c, observed: [[0.01, 1]] }).series as { data: number[][] }[];
    expect(one[0].data).toEqual([[10, 0], [10, 1]]);
    // KS of step CDFs: at 1 ms the observed is at 0.5, the one as given at 0
    expect(cdfDistance(c.observed, c.before)).toBe(0.5);
    expect(cdfDistance(c.observed, c.after)).toBeCloseTo(0.1, 12);
  });
});
