import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Results } from "../../api/types";
import { HISTORY_SIZE, recordLabel, remember, runStore, showRun } from "../../stores/run";
import { compareRuns, diffText, unmatched } from "./compare";

const runs = (mock as unknown as { runs: Record<string, { outcome: { results: Results } }> }).runs;
const shop = runs["scenarios/online-shop.toml"].outcome.results;
const clone = (r: Results): Results => JSON.parse(JSON.stringify(r));

describe("two runs side by side", () => {
  it("a run compared with itself differs by 0, inside an interval √2 times its half-width", () => {
    const rows = compareRuns(shop, shop);
    expect(rows.length).toBeGreaterThan(4);
    const m = shop.variants[0].entries.browse.latency_s!.mean;
    const p = rows.find((r) => r.variant === shop.variants[0].name && r.metric === "browse: latency mean")!;
    expect(p.diff).toBe(0);
    const h = ((m.ci95_high - m.ci95_low) / 2) * 1e3;
    expect(p.ci![1]).toBeCloseTo(Math.SQRT2 * h, 9);
    expect(p.ci![0]).toBeCloseTo(-Math.SQRT2 * h, 9);
    expect(rows.every((r) => r.significant === false)).toBe(true);
  });

  it("the difference's interval combines the half-widths: 10 ± 2 and 15 ± 1 differ by 5 ± √5", () => {
    const a = clone(shop);
    const b = clone(shop);
    a.variants[0].availability = { mean: 0.1, ci95_low: 0.08, ci95_high: 0.12 } as Results["variants"][number]["availability"];
    b.variants[0].availability = { mean: 0.15, ci95_low: 0.14, ci95_high: 0.16 } as Results["variants"][number]["availability"];
    const r = compareRuns(a, b).find((x) => x.variant === a.variants[0].name && x.metric === "availability")!;
    expect(r.diff).toBeCloseTo(5, 9);
    expect(r.ci![0]).toBeCloseTo(5 - Math.sqrt(5), 9);
    expect(r.ci![1]).toBeCloseTo(5 + Math.sqrt(5), 9);
    expect(r.significant).toBe(true);
    expect(diffText(r)).toBe("+5 % [+2.764, +7.236]");
    // one replication on either side: no interval, never "significant"
    b.replications = 1;
    const one = compareRuns(a, b).find((x) => x.metric === "availability")!;
    expect(one.ci).toBeNull();
    expect(one.significant).toBeNull();
    expect(diffText(one)).toBe("+5 % (one replication: no interval)");
  });

  it("a spread or a difference below 1e-9 of the figures is rounding, not an interval", () => {
    const a = clone(shop);
    const b = clone(shop);
    const v = a.variants[0].name;
    a.variants[0].availability = { mean: 1335.9, ci95_low: 1335.9 - 4.55e-13, ci95_high: 1335.9 + 4.55e-13 } as Results["variants"][number]["availability"];
    b.variants[0].availability = { mean: 1335.9 + 2e-13, ci95_low: 1335.9, ci95_high: 1335.9 + 4e-13 } as Results["variants"][number]["availability"];
    const r = compareRuns(a, b).find((x) => x.variant === v && x.metric === "availability")!;
    expect(r.diff).toBe(0);
    expect(r.ci).toEqual([0, 0]);
    expect(r.significant).toBe(false);
    expect(diffText(r)).toBe("0 % (no spread)");
  });

  it("names the variants only one run has instead of dropping them silently", () => {
    const b = clone(shop);
    b.variants[1].name = "serverless";
    expect(unmatched(shop, b)).toEqual([`${shop.variants[1].name} (only in the first run)`, "serverless (only in the second run)"]);
    expect(compareRuns(shop, b).some((r) => r.variant === "serverless")).toBe(false);
  });
});

describe("the run history", () => {
  it("keeps the newest runs, shows one and labels each by what produced it", () => {
    runStore.set({ history: [], shown: null, compareWith: null });
    const at = new Date(2026, 11, 5, 14, 2, 11);
    for (let i = 0; i < HISTORY_SIZE + 2; i++) remember("online-shop.toml", `text ${i}`, shop, i === 0, at);
    const h = runStore.get().history;
    expect(h.length).toBe(HISTORY_SIZE);
    expect(runStore.get().shown).toBe(h[0].id);
    expect(h[0].id - h[h.length - 1].id).toBe(HISTORY_SIZE - 1);
    expect(recordLabel(h[0])).toBe(`#${h[0].id} 14:02:11 online-shop.toml · ${shop.replications} replications, seed ${shop.seed}`);
    runStore.set({ compareWith: h[1].id });
    showRun(h[1].id);
    expect(runStore.get().shown).toBe(h[1].id);
    // a run is not compared with itself
    expect(runStore.get().compareWith).toBeNull();
  });
});
