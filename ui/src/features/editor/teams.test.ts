import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Analysis, Results } from "../../api/types";
import { buildGraph, teamColor, teamOf } from "./graph";
import { evolutionSteps } from "./Editor";
import * as C from "../results/charts";

type Rec = { analyses: Record<string, Analysis>; runs: Record<string, { outcome: { results: Results } }> };
const key = "scenarios/lessons/conway-two-orgs.toml";
const a = (mock as unknown as Rec).analyses[Object.keys((mock as unknown as Rec).analyses).find((k) => k.endsWith(key))!];
const doc = a.document as Record<string, unknown>;

describe("teams on the graph", () => {
  it("colours each module by its team in the variant shown: the two organizations differ", () => {
    const teams = (vi: number) =>
      Object.fromEntries(buildGraph(doc, vi, a.topology[vi], a.estimates[vi]).nodes.filter((n) => n.kind === "module").map((n) => [n.label, [n.team, n.teamColor]]));
    const aligned = teams(0);
    const scattered = teams(1);
    // aligned: the modules' own teams; scattered: the variant's owners
    expect(aligned.search[0]).toBe("storefront-team");
    expect(scattered.search[0]).toBe("checkout-team");
    expect(scattered.payments[0]).toBe("fulfilment-team");
    expect(aligned.catalog).toEqual(scattered.catalog);
    // a team keeps its colour across variants; different teams differ
    expect(scattered.search[1]).toBe(aligned.orders[1]);
    expect(new Set(Object.values(aligned).map((t) => t[1])).size).toBe(3);
    expect(teamOf(doc, 1, "cart")).toBe("storefront-team");
    expect(teamColor(doc, "storefront-team")).not.toBe(teamColor(doc, "checkout-team"));
  });

  it("draws the delivery figures as bars with 95% intervals", () => {
    const r = (mock as unknown as Rec).runs[Object.keys((mock as unknown as Rec).runs).find((k) => k.endsWith(key))!].outcome.results;
    const o = C.statBars(r, (v) => (v.delivery ? [["mean", v.delivery.lead_time_h.mean]] : []), "lead time [h]");
    const bars = (o.series as { type: string; data: number[] }[]).filter((s) => s.type === "bar");
    expect(bars.map((b) => b.data[0])).toEqual(r.variants.map((v) => v.delivery!.lead_time_h.mean.mean));
    // scattered teams wait for coordination: a longer lead time
    expect(r.variants[1].delivery!.lead_time_h.mean.mean).toBeGreaterThan(r.variants[0].delivery!.lead_time_h.mean.mean);
  });
});

describe("the evolution stepper", () => {
  it("lists the evolution's variants in order, leaving out names no variant has", () => {
    const doc = { evolution: ["monolith", "extract-payments", "nope", "services"], variants: [{ name: "services" }, { name: "monolith" }, { name: "extract-payments" }] };
    expect(evolutionSteps(doc)).toEqual([1, 2, 0]);
    expect(evolutionSteps({ variants: [{ name: "a" }] })).toEqual([]);
  });
});
