import { afterEach, describe, expect, it } from "vitest";
import { setBackend, type Backend, type RightsizeRequest } from "../api";
import { createMockBackend } from "../api/mock";
import mock from "../api/mock-data.json";
import type { Analysis, RightsizeOutcome } from "../api/types";
import { settingText } from "../features/plan/PlanView";
import { planStore, rightsizeRate, startRightsize } from "./plan";
import { scenarioStore } from "./scenario";

const LESSON = "scenarios/lessons/black-friday.toml";
const data = mock as unknown as { analyses: Record<string, Analysis>; rightsizes: Record<string, { outcome: RightsizeOutcome }> };

describe("right-sizing from the planning view", () => {
  afterEach(() => setBackend(null));

  it("sends the form as `archsim rightsize` takes it and keeps the plans per variant", async () => {
    const sent: RightsizeRequest[] = [];
    const real = createMockBackend();
    setBackend({ ...real, runRightsize: (r, on) => (sent.push(r), real.runRightsize(r, on)) } as Backend);
    scenarioStore.set({ analysis: { ...data.analyses[LESSON], file_name: "black-friday.toml" } });
    planStore.set({ mode: "rightsize", status: "idle", slo: "p99<300ms,errors<0.1%", entry: "", rsRate: " 4250 ", rsSearch: ["replicas", "db-cores"], rsMaxValue: "32", replications: 2 });
    await startRightsize();
    expect(sent).toEqual([
      expect.objectContaining({ slo: "p99<300ms,errors<0.1%", rate: 4250, entry: null, search: "replicas,db-cores", max_value: 32, replications: 2 }),
    ]);
    const s = planStore.get();
    expect(s.status).toBe("done");
    expect(s.rightsize).toEqual(data.rightsizes[LESSON].outcome.results);
    expect(s.rightsize!.variants.map((v) => v.name)).toEqual(["monolith", "microservices"]);
  });

  it("refuses a rate that is not a positive number before asking the shell", async () => {
    expect(rightsizeRate({ rsRate: "0" })).toEqual({ error: "the rate to size for: a number of requests per second > 0" });
    expect(rightsizeRate({ rsRate: "5x" })).toHaveProperty("error");
    expect(rightsizeRate({ rsRate: "1e3" })).toBe(1000);
    const sent: unknown[] = [];
    setBackend({ kind: "mock", runRightsize: async (r: unknown) => (sent.push(r), null) } as unknown as Backend);
    scenarioStore.set({ analysis: data.analyses[LESSON] });
    planStore.set({ status: "idle", rsRate: "-3" });
    await startRightsize();
    expect(sent).toEqual([]);
    expect(planStore.get().status).toBe("failed");
    expect(planStore.get().error).toMatch(/> 0/);
  });

  it("names a changed setting by what it sets: a unit's replicas, a database's cores", () => {
    expect(settingText({ node: "catalog", knob: "replicas", path: "", current: 3, analytic: 5, value: 7 })).toBe("unit catalog replicas 3 → 7");
    expect(settingText({ node: "catalog", knob: "cores", path: "", current: 4, analytic: 8, value: 9 })).toBe("database catalog cores 4 → 9");
    expect(settingText({ node: "f", knob: "reserved_concurrency", path: "", current: null, analytic: 2, value: 3 })).toBe("function f reserved concurrency — → 3");
  });
});
