import { describe, expect, it } from "vitest";
import { gammaP, lnGamma, modelOf, quantile, type Model } from "./distribution";
import { convertDist, durationValue } from "./fields";
import { formatSeconds, seconds, splitQuantity, unitsOf } from "./quantity";

const model = (v: unknown): Model => {
  const m = modelOf(v);
  if ("error" in m) throw new Error(m.error);
  return m;
};

// trapezoidal integral of the density on [0, x]
const integral = (m: Model, x: number, n = 20000) => {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const a = (x * i) / n;
    const b = (x * (i + 1)) / n;
    s += ((m.pdf!(a) + m.pdf!(b)) / 2) * (b - a);
  }
  return s;
};

describe("durations and sizes", () => {
  it("reads the units from the schema's pattern and converts to seconds", () => {
    expect(unitsOf(String.raw`^\s*[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?\s*(ns|us|µs|μs|ms|s|m|h)\s*$`)).toEqual(["ns", "us", "µs", "μs", "ms", "s", "m", "h"]);
    expect(unitsOf("^[a-z]+$")).toBeNull();
    expect(splitQuantity("1.5GiB", ["MB", "GiB"])).toEqual({ number: "1.5", unit: "GiB" });
    expect(splitQuantity("1.5 parsecs", ["MB"])).toBeNull();
    expect(seconds("250us")).toBeCloseTo(250e-6, 15);
    expect(seconds("10m")).toBe(600);
    expect(seconds("2h")).toBe(7200);
    expect(seconds(4)).toBeNull();
    expect(formatSeconds(0.0042)).toBe("4.2 ms");
    expect(durationValue(0.0042)).toBe("4.2ms");
    expect(durationValue(900)).toBe("15m");
  });
});

describe("distribution previews hold to their closed forms", () => {
  it("exponential: CDF at the mean is 1 - 1/e, the 99th percentile is -mean·ln 0.01", () => {
    const m = model({ dist: "exp", mean: "4ms" });
    expect(m.cdf(0.004)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(quantile(m, 0.99)).toBeCloseTo(-0.004 * Math.log(0.01), 9);
    expect(integral(m, 0.02)).toBeCloseTo(m.cdf(0.02), 6);
  });

  it("log-normal: mean and cv give the median mean/√(1+cv²), as the engine's parameters", () => {
    const m = model({ dist: "lognormal", mean: "10ms", cv: 0.5 });
    expect(quantile(m, 0.5)).toBeCloseTo(0.01 / Math.sqrt(1.25), 6);
    expect(integral(m, 0.03)).toBeCloseTo(m.cdf(0.03), 5);
  });

  it("gamma: cv = 1 is the exponential; the CDF is the integral of the density", () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
    const g = model({ dist: "gamma", mean: "4ms", cv: 1 });
    const e = model({ dist: "exp", mean: "4ms" });
    for (const x of [0.001, 0.004, 0.01, 0.03]) expect(g.cdf(x)).toBeCloseTo(e.cdf(x), 9);
    const g2 = model({ dist: "gamma", mean: "4ms", cv: 0.4 });
    for (const x of [0.002, 0.004, 0.008]) expect(integral(g2, x)).toBeCloseTo(g2.cdf(x), 6);
    // P(a, x) above a + 1 (the continued fraction): P(2, 5) = 1 - 6 e^-5
    expect(gammaP(2, 5)).toBeCloseTo(1 - 6 * Math.exp(-5), 12);
  });

  it("uniform, Pareto, constants and samples", () => {
    const u = model({ dist: "uniform", min: "2ms", max: "6ms" });
    expect(u.mean).toBeCloseTo(0.004, 12);
    expect(quantile(u, 0.25)).toBeCloseTo(0.003, 9);
    // Pareto by mean: scale = mean (α - 1)/α
    const p = model({ dist: "pareto", mean: "5ms", alpha: 2.5 });
    expect(p.mean).toBeCloseTo(0.005, 12);
    expect(p.cdf(0.003)).toBe(0);
    expect(p.cdf(0.006)).toBeCloseTo(1 - (0.003 / 0.006) ** 2.5, 12);
    expect(model({ dist: "pareto", scale: "1ms", alpha: 1 }).mean).toBe(Infinity);
    expect(model("4ms").atoms).toEqual([[0.004, 1]]);
    const s = model({ dist: "empirical", samples: ["1ms", "3ms", "2ms", "10ms"] });
    expect(s.mean).toBeCloseTo(0.004, 12);
    expect(quantile(s, 0.5)).toBeCloseTo(0.002, 12);
    expect(quantile(s, 0.99)).toBeCloseTo(0.01, 12);
  });

  it("says what is missing instead of drawing a wrong curve", () => {
    expect(modelOf({ dist: "lognormal", mean: "4ms" })).toEqual({ error: "`cv` needs a number" });
    expect(modelOf({ dist: "exp", mean: 4 })).toEqual({ error: '`mean` needs a duration with a unit, like "4ms"' });
    expect(modelOf({ dist: "pareto", alpha: 0.5, mean: "4ms" })).toEqual({ error: "with `mean`, `alpha` must be > 1" });
    expect(modelOf({ dist: "uniform", min: "5ms", max: "1ms" })).toEqual({ error: "`min` must be ≤ `max`" });
    expect(modelOf({ dist: "empirical", samples: [] })).toEqual({ error: "`samples` needs at least one duration" });
    expect("error" in modelOf({ dist: "weibull" })).toBe(true);
  });

  it("changing the kind of a distribution keeps its mean", () => {
    const from = { dist: "lognormal", mean: "8ms", cv: 0.7 };
    for (const to of ["duration", "const", "exp", "gamma", "uniform", "pareto", "empirical"] as const) {
      const m = model(convertDist(from, to));
      expect(m.mean, to).toBeCloseTo(0.008, 9);
    }
    expect(convertDist(from, "gamma")).toEqual({ dist: "gamma", mean: "8ms", cv: 0.7 });
  });
});
