import { describe, expect, it } from "vitest";
import type { Results } from "../../api/types";
import { anatomyBars, anatomyChart, hasAnatomy, MAX_PARTS, OTHER, verdictParagraphs, withInterval } from "./anatomy";

const stat = (mean: number, lo = mean, hi = mean) => ({ mean, ci95_low: lo, ci95_high: hi, min: lo, max: hi });
const part = (name: string, mean: number, share: number) => ({ part: name, kind: "service", mean_s: stat(mean, mean * 0.9, mean * 1.1), share });

function results(reps: number): Results {
  const many = Array.from({ length: 10 }, (_, i) => part(`n${i}: service`, 0.001 * (10 - i), 0.1));
  return {
    replications: reps,
    variants: [
      { name: "monolith", anatomy: { browse: { replications: reps, mean_s: stat(0.005), parts: [part("shop: service", 0.003, 0.6), part("network hops", 0.002, 0.4)], tail: { quantile: 0.99, mean_s: stat(0.02), parts: [] } } } },
      { name: "microservices", anatomy: { browse: { replications: reps, mean_s: stat(0.055), parts: many, tail: { quantile: 0.99, mean_s: stat(0.1), parts: [] } } } },
    ],
    verdict: [
      { variant: "monolith", sentences: [] },
      { variant: "microservices", sentences: ["`browse`: slower.", "Cost: more."] },
    ],
  } as unknown as Results;
}

describe("latency anatomy", () => {
  it("stacks the parts per variant and sums the smallest as other parts", () => {
    const r = results(5);
    const bars = anatomyBars(r, "browse");
    expect(bars[0].part).toBe("shop: service");
    expect(bars[0].values[1]).toBeNull();
    const other = bars[bars.length - 1];
    expect(other.part).toBe(OTHER);
    expect(other.values[0]).toBeNull();
    expect(other.values[1]?.mean_s).toBeCloseTo(0.003 + 0.002 + 0.001, 12);
    const micro = bars.filter((b) => b.values[1] !== null);
    expect(micro.length).toBe(MAX_PARTS);
    const opt = anatomyChart(r, "browse");
    const series = opt.series as any[];
    expect(series.length).toBe(bars.length);
    expect(series.every((s) => s.stack === "latency")).toBe(true);
    expect(series[0].data[0]).toBeCloseTo(3, 9);
    expect(series[0].tooltip.formatter({ dataIndex: 0 })).toBe("monolith — shop: service<br/>3.00 ms (95% CI 2.70 ms – 3.30 ms)<br/>60.0% of the mean latency");
    expect(hasAnatomy(r, "browse")).toBe(true);
    expect(hasAnatomy(r, "checkout")).toBe(false);
  });

  it("claims no interval with one replication", () => {
    expect(withInterval(stat(0.003, 0.002, 0.004), 1)).toBe("3.00 ms (one replication: no interval)");
  });

  it("keeps the verdict of variants with something to say", () => {
    expect(verdictParagraphs(results(5))).toEqual([{ variant: "microservices", text: "`browse`: slower. Cost: more." }]);
  });
});
