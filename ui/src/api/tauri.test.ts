// The Tauri backend against a mocked IPC layer: command names, argument names (Tauri maps
// camelCase to the Rust commands' snake_case parameters), the run channel, and errors.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { BackendError, type ErrorCode } from "./backend";
import { tauriBackend } from "./tauri";

const calls: [string, Record<string, unknown> | undefined][] = [];

beforeEach(() => {
  calls.length = 0;
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown> | undefined;
    calls.push([cmd, a]);
    switch (cmd) {
      case "open_scenario":
        throw { code: "io", message: `cannot read ${a?.path}: No such file`, diagnostics: [] };
      case "analyze_scenario":
        return { path: a?.path, file_name: a?.fileName, text: a?.text, document: {}, diagnostics: [], warnings: [], estimates: [] };
      case "scenario_topology":
        return [{ variant: "v", nodes: [], entries: [] }];
      case "run_scenario": {
        const req = a?.request as { max_events?: number };
        if (req.max_events === 1) throw { code: "too_much_work", message: "f.toml: this run would process about 3.38e5 events (limit 1.00e0)", diagnostics: [] };
        const ch = a?.onEvent as { onmessage: (e: unknown) => void };
        ch.onmessage({ kind: "started", total: 1, variants: ["v"] });
        ch.onmessage({ kind: "progress", done: 1, total: 1, elapsed_s: 0.1 });
        return { cancelled: false, results: { replications: 1 } };
      }
      case "run_sweep": {
        const req = a?.request as { sets: string[] };
        if (!req.sets[0].includes("=")) throw { code: "invalid_parameter", message: `--set \`${req.sets[0]}\`: expected PATH=VALUES`, diagnostics: [] };
        const ch = a?.onEvent as { onmessage: (e: unknown) => void };
        ch.onmessage({ kind: "started", total: 2, variants: ["v"] });
        return { cancelled: false, results: { points: [] } };
      }
      case "run_capacity": {
        const ch = a?.onEvent as { onmessage: (e: unknown) => void };
        ch.onmessage({ kind: "step", variant: "v", rate: 10, verdict: "met" });
        return { cancelled: false, results: { variants: [] } };
      }
      case "cancel_run":
        return true;
    }
    return null;
  });
});
afterEach(() => clearMocks());

describe("tauri backend", () => {
  it("passes the arguments the Rust commands take", async () => {
    const a = await tauriBackend.analyzeScenario({ text: "name = 'x'", fileName: "x.toml", path: null });
    expect(a.file_name).toBe("x.toml");
    expect(calls[0]).toEqual(["analyze_scenario", { text: "name = 'x'", fileName: "x.toml", path: null }]);
    await tauriBackend.editScenario({ text: "t", fileName: "f", path: "/p" }, { kind: "move_module", variant: "v", module: "m", to_unit: "u" });
    expect(calls[1][0]).toBe("edit_scenario");
    expect(calls[1][1]?.edit).toEqual({ kind: "move_module", variant: "v", module: "m", to_unit: "u" });
    const t = await tauriBackend.scenarioTopology({ text: "t", fileName: "f", path: null });
    expect(t[0].variant).toBe("v");
    expect(calls[2]).toEqual(["scenario_topology", { text: "t", fileName: "f" }]);
  });

  it("a run above the work limit is refused with the stable code too_much_work", async () => {
    const e = await tauriBackend
      .runScenario({ text: "", file_name: "f.toml", replications: 1, seed: null, threads: null, variants: [], max_events: 1 }, () => {})
      .catch((x) => x);
    expect(e).toBeInstanceOf(BackendError);
    const code: ErrorCode = e.code;
    expect(code).toBe("too_much_work");
  });

  it("streams run events through the channel and returns the outcome", async () => {
    const seen: string[] = [];
    const out = await tauriBackend.runScenario(
      { text: "", file_name: "f.toml", replications: 1, seed: null, threads: null, variants: [] },
      (e) => seen.push(e.kind),
    );
    expect(out.cancelled).toBe(false);
    expect(seen).toEqual(["started", "progress"]);
    expect(await tauriBackend.cancelRun()).toBe(true);
  });

  it("runs a sweep and a capacity search with their requests and a channel", async () => {
    const seen: string[] = [];
    const req = { text: "", file_name: "f.toml", sets: ["a.b=1,2"], knee: null, replications: 1, seed: null, threads: null, variants: [] };
    await tauriBackend.runSweep(req, (e) => seen.push(e.kind));
    expect(calls[0][0]).toBe("run_sweep");
    expect(calls[0][1]?.request).toEqual(req);
    const e = await tauriBackend.runSweep({ ...req, sets: ["a.b"] }, () => {}).catch((x) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe("invalid_parameter");
    const creq = { text: "", file_name: "f.toml", slo: "p99<1s", entry: null, precision: "5%", max_evaluations: null, replications: null, seed: null, threads: null, variants: [] };
    await tauriBackend.runCapacity(creq, (ev) => seen.push(ev.kind));
    expect(calls[2]).toEqual(["run_capacity", { request: creq, onEvent: expect.anything() }]);
    expect(seen).toEqual(["started", "step"]);
  });

  it("asks for a decomposition with its request", async () => {
    const req = { text: "t", file_name: "f.toml", units: 2, base: "monolith", out_file_name: "f.toml" };
    await tauriBackend.decomposeScenario(req);
    expect(calls[0]).toEqual(["decompose_scenario", { request: req }]);
  });

  it("turns a rejected command into a BackendError with its code", async () => {
    const e = await tauriBackend.openScenario("/nope.toml").catch((x) => x);
    expect(e).toBeInstanceOf(BackendError);
    expect(e.code).toBe("io");
    expect(e.message).toContain("/nope.toml");
  });
});
