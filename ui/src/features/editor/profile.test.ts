import { describe, expect, it } from "vitest";
import { horizonOf, rateFunction, sampleRate, shapeOf, templateOf } from "./profile";

const f = (arrival: unknown) => {
  const r = rateFunction(arrival);
  if (r === null || "error" in r) throw new Error(JSON.stringify(r));
  return r;
};

describe("the arrival rate over the run", () => {
  it("follows each profile shape as the format defines it", () => {
    expect(f({ rate: 120 })(5)).toBe(120);
    const steps = f({ profile: { steps: [["10s", 100], ["1m", 300]] } });
    expect([steps(0), steps(10), steps(59.9), steps(60), steps(1e4)]).toEqual([0, 100, 100, 300, 300]);
    const ramp = f({ profile: { ramp: { from: 100, to: 300, start: "10s", end: "30s" } } });
    expect([ramp(0), ramp(10), ramp(20), ramp(30), ramp(99)]).toEqual([100, 100, 200, 300, 300]);
    const spike = f({ profile: { spike: { base: 50, peak: 250, at: "1m", duration: "30s" } } });
    expect([spike(59), spike(60), spike(89.9), spike(90)]).toEqual([50, 250, 250, 50]);
    const d = f({ profile: { diurnal: { mean: 100, amplitude: 40, period: "10m" } } });
    expect(d(150)).toBeCloseTo(140, 9);
    expect(d(450)).toBeCloseTo(60, 9);
    // the default period is a day
    expect(f({ profile: { diurnal: { mean: 100, amplitude: 40 } } })(6 * 3600)).toBeCloseTo(140, 9);
  });

  it("has no declared rate for a closed loop or a trace, and names what cannot be read", () => {
    expect(rateFunction({ process: "closed", users: 10 })).toBeNull();
    expect(rateFunction({ trace: "t.csv" })).toBeNull();
    expect(rateFunction({ profile: { steps: [["10", 100]] } })).toEqual({ error: 'steps[0] needs [start, rate], like ["60s", 200]' });
    expect(rateFunction({})).toEqual({ error: "`rate` needs a number" });
  });

  it("chooses a shape around the entry's rate, and samples over warm-up plus duration", () => {
    expect(shapeOf(templateOf("spike", 120))).toBe("spike");
    expect(templateOf("spike", 120)).toEqual({ spike: { base: 120, peak: 600, at: "30s", duration: "30s" } });
    expect(templateOf("none", 120)).toBeUndefined();
    expect(horizonOf({ workload: { warmup: "30s", duration: "2m" } })).toBe(150);
    const s = sampleRate(f({ profile: { spike: { base: 1, peak: 5, at: "50s", duration: "50s" } } }), 150, 150);
    expect(s.length).toBe(151);
    expect(s.filter(([, r]) => r === 5).length).toBe(50);
  });
});
