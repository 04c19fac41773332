// The mock implementation of Backend, for the UI in a plain browser and for tests: it replays
// responses recorded from the real shell (mock-data.json, see src-tauri/tests/mock_data.rs).
// The edits the browser tests make are recorded with the shell's answer. Any other
// structural edit is applied to the document and the text re-rendered with smol-toml, so in
// mock mode such an edit keeps the data but not the comments, and the estimate and the
// deployment shown are the recorded ones (the real shell recomputes both).
import { parse, stringify } from "smol-toml";
import NEW_SCENARIO from "../../../src/app/new-scenario.toml?raw";
import { applyModelEdit, dependentsOf } from "./mockEdits";
import { BackendError, type Backend, type Source } from "./backend";
import type { AppError, Analysis, CalibrateOutcome, CapacityOutcome, DecomposeOutcome, DiscoverOutcome, Edit, Lesson, RightsizeOutcome, RunEvent, RunOutcome, SweepOutcome } from "./types";

type PathSeg = string | number;

export interface MockData {
  lessons: Lesson[];
  analyses: Record<string, Analysis>;
  runs: Record<string, { events: RunEvent[]; outcome: RunOutcome }>;
  /** A sweep, a capacity search and a run with a precision target, recorded on one lesson. */
  sweeps: Record<string, { events: RunEvent[]; outcome: SweepOutcome }>;
  capacities: Record<string, { events: RunEvent[]; outcome: CapacityOutcome }>;
  /** A right-sizing, recorded on the same lesson. */
  rightsizes?: Record<string, { events: RunEvent[]; outcome: RightsizeOutcome }>;
  precision_runs: Record<string, { events: RunEvent[]; outcome: RunOutcome }>;
  /** Edits of a lesson, each with the text it applies to and the shell's analysis after it. */
  edits?: Record<string, { edit: Edit; text: string; analysis: Analysis }[]>;
  /** A decomposition of a lesson (its K and base variant) with the shell's outcome. */
  decompositions?: Record<string, { units: number; base: string; outcome: DecomposeOutcome }>;
  /** A discovery from a fixture's trace file and a calibration of the discovered model
   * against it (replayed whatever trace paths the request names). */
  telemetry?: { traces: string; discovery: DiscoverOutcome; calibration: CalibrateOutcome };
  /** The shell's refusals of run requests, by their precision target. */
  run_refusals?: Record<string, AppError>;
  schema: unknown;
}

/** Deep equality of JSON values (key order aside). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

let loaded: Promise<MockData> | null = null;
function data(): Promise<MockData> {
  loaded ??= import("./mock-data.json").then((m) => m.default as unknown as MockData);
  return loaded;
}

type Json = unknown;
type Obj = Record<string, Json>;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function fail(message: string): never {
  throw new BackendError({ code: "edit", message, diagnostics: [] });
}

function parentOf(doc: Obj, path: PathSeg[]): [Obj | Json[], PathSeg] {
  let cur: Json = doc;
  for (const seg of path.slice(0, -1)) {
    const next: Json = (cur as Obj)[seg as string];
    if (next === undefined) {
      if (typeof seg === "number") fail(`index ${seg} out of range`);
      (cur as Obj)[seg] = {};
    }
    cur = (cur as Obj)[seg as string];
  }
  return [cur as Obj, path[path.length - 1]];
}

/** Applies a structural edit to a document (the same rules as the Rust document module). */
export function applyEdit(document: Obj, edit: Edit): Obj {
  const doc = clone(document);
  const modeled = applyModelEdit(doc, edit);
  if (modeled) return modeled;
  switch (edit.kind) {
    case "set_value": {
      const [p, last] = parentOf(doc, edit.path);
      (p as Obj)[last as string] = edit.value;
      return doc;
    }
    case "insert_item": {
      const [p, last] = parentOf(doc, edit.path);
      if (Array.isArray(p)) p.push(edit.value);
      else if ((last as string) in p) fail(`${String(last)} already exists`);
      else p[last as string] = edit.value;
      return doc;
    }
    case "remove_item": {
      const [p, last] = parentOf(doc, edit.path);
      if (Array.isArray(p)) p.splice(last as number, 1);
      else delete p[last as string];
      return doc;
    }
    case "move_module": {
      const variants = (doc.variants ?? []) as Obj[];
      const v = variants.find((x) => x.name === edit.variant) ?? fail(`no variant named \`${edit.variant}\``);
      const units = (v.units ?? []) as Obj[];
      const to = units.find((u) => u.name === edit.to_unit) ?? fail(`no unit named \`${edit.to_unit}\``);
      const from =
        units.find((u) => ((u.modules ?? []) as string[]).includes(edit.module)) ??
        fail(`no unit holds module \`${edit.module}\``);
      if (from !== to) {
        from.modules = (from.modules as string[]).filter((m) => m !== edit.module);
        to.modules = [...((to.modules ?? []) as string[]), edit.module];
      }
      return doc;
    }
  }
  return fail(`unknown edit ${(edit as { kind: string }).kind}`);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

export function createMockBackend(opts: { stepMs?: number } = {}): Backend {
  const stepMs = opts.stepMs ?? 250;
  const saved = new Map<string, string>();
  /** What the exports wrote, by path (the browser tests read it on `window.__mockWrites`). */
  const writes = new Map<string, string>();
  if (typeof window !== "undefined") (window as unknown as { __mockWrites: Map<string, string> }).__mockWrites = writes;
  let cancel = false;
  let running = false;

  const pick = <T,>(table: Record<string, T> | undefined, fileName: string): T | undefined => {
    const key = Object.keys(table ?? {}).find((k) => k.endsWith("/" + fileName));
    return key ? table![key] : undefined;
  };
  const notRecorded = (what: string, fileName: string): never => {
    throw new BackendError({ code: "run", message: `no recorded ${what} of ${fileName} in the mock data (recorded: the Black Friday lesson)`, diagnostics: [] });
  };
  /** Replays recorded events at stepMs each; cancel stops the replay (the outcome is marked). */
  const replay = async <O,>(rec: { events: RunEvent[]; outcome: O }, onEvent: (e: RunEvent) => void, finish: (o: O, cancelled: boolean) => O): Promise<O> => {
    if (running) throw new BackendError({ code: "busy", message: "a run is already in progress; cancel it first", diagnostics: [] });
    running = true;
    cancel = false;
    try {
      let done = 0;
      // a pause per progress or step event, the whole replay kept within about 4 s
      const ticks = rec.events.filter((e) => e.kind === "progress" || e.kind === "step").length;
      const pause = Math.min(stepMs, 4000 / Math.max(1, ticks));
      for (const e of rec.events) {
        if (cancel && e.kind !== "started") break;
        if (e.kind === "progress") done = Math.max(done, e.done);
        onEvent(e);
        if (e.kind === "progress" || e.kind === "step") await sleep(pause);
      }
      const total = rec.events.find((e) => e.kind === "started");
      const all = total && total.kind === "started" ? total.total : 0;
      return finish(rec.outcome, cancel && done < all);
    } finally {
      running = false;
    }
  };

  const recorded = async (key: string | null, fileName: string): Promise<Analysis | undefined> => {
    const d = await data();
    if (key && d.analyses[key]) return d.analyses[key];
    return Object.values(d.analyses).find((a) => a.file_name === fileName);
  };

  const analysisOf = async (src: Source, document: Obj | undefined): Promise<Analysis> => {
    const base = await recorded(src.path, src.fileName);
    return {
      path: src.path,
      file_name: src.fileName,
      text: src.text,
      document,
      diagnostics: [],
      warnings: base?.warnings ?? [],
      estimates: base?.estimates ?? [],
      costs: base?.costs ?? [],
      topology: base?.topology ?? [],
    };
  };

  return {
    kind: "mock",
    listLessons: async () => (await data()).lessons,
    openScenario: async (path) => {
      const a = await recorded(path, "");
      if (!a) throw new BackendError({ code: "io", message: `cannot read ${path}: not in the mock data`, diagnostics: [] });
      const text = saved.get(path);
      return text === undefined ? a : { ...a, text };
    },
    analyzeScenario: async (src) => {
      const base = await recorded(src.path, src.fileName);
      if (base && base.text === src.text) return base;
      // a text a recorded edit produced (a decomposition previewed) has its recorded analysis
      const d = await data();
      const after = Object.values(d.edits ?? {})
        .flat()
        .find((r) => r.analysis.text === src.text);
      if (after) return { ...after.analysis, path: src.path, file_name: src.fileName };
      return analysisOf(src, base?.document);
    },
    editScenario: async (src, edit) => {
      const d = await data();
      const key = Object.keys(d.edits ?? {}).find((k) => k === src.path || k.endsWith("/" + src.fileName));
      const replayed = (key ? d.edits![key] : []).find((r) => r.text === src.text && same(r.edit, edit));
      if (replayed) return { ...replayed.analysis, path: src.path };
      const base = await recorded(src.path, src.fileName);
      const current = (src.text === base?.text ? base?.document : null) ?? null;
      const doc = current ?? (await import("smol-toml")).parse(src.text);
      const next = applyEdit(doc as Obj, edit);
      return analysisOf({ ...src, text: stringify(next) }, next);
    },
    saveScenario: async (path, text) => {
      saved.set(path, text);
      return analysisOf({ path, text, fileName: path.split("/").pop() ?? path }, (await import("smol-toml")).parse(text) as Obj);
    },
    scenarioSchema: async () => (await data()).schema,
    scenarioTopology: async (src) => (await recorded(src.path, src.fileName))?.topology ?? [],
    runScenario: async (request, onEvent) => {
      const d = await data();
      const refusal = request.precision ? d.run_refusals?.[request.precision.trim()] : undefined;
      if (refusal) throw new BackendError(refusal);
      const table = request.precision ? d.precision_runs : d.runs;
      const rec = pick(table, request.file_name) ?? pick(d.runs, request.file_name) ?? d.runs["scenarios/online-shop.toml"];
      return replay(rec, onEvent, (o, cancelled) => ({ ...o, cancelled }));
    },
    runSweep: async (request, onEvent) => {
      const d = await data();
      const rec = pick(d.sweeps, request.file_name) ?? notRecorded("sweep", request.file_name);
      return replay(rec, onEvent, (o, cancelled) => ({
        cancelled,
        results: cancelled ? { ...o.results, points: o.results.points.slice(0, 1) } : o.results,
      }));
    },
    runCapacity: async (request, onEvent) => {
      const d = await data();
      const rec = pick(d.capacities, request.file_name) ?? notRecorded("capacity search", request.file_name);
      return replay(rec, onEvent, (o, cancelled) => ({ ...o, cancelled }));
    },
    runRightsize: async (request, onEvent) => {
      const d = await data();
      const rec = pick(d.rightsizes ?? {}, request.file_name) ?? notRecorded("right-sizing", request.file_name);
      return replay(rec, onEvent, (o, cancelled) => ({ ...o, cancelled }));
    },
    decomposeScenario: async (request) => {
      const d = await data();
      const rec = pick(d.decompositions ?? {}, request.file_name);
      if (!rec || rec.units !== request.units || (request.base ?? rec.base) !== rec.base)
        throw new BackendError({ code: "invalid_parameter", message: `no recorded decomposition of ${request.file_name} into ${request.units} units in the mock data (recorded: the online shop, 2 units from the monolith)`, diagnostics: [] });
      return request.out_file_name ? rec.outcome : { ...rec.outcome, new_variant: null };
    },
    discoverModel: async (request) => {
      const t = (await data()).telemetry;
      if (!t) throw new BackendError({ code: "run", message: "no recorded discovery in the mock data", diagnostics: [] });
      if (request.traces.length === 0) throw new BackendError({ code: "invalid_parameter", message: "no trace file: name at least one (OTLP JSON, Jaeger JSON or Zipkin v2 JSON)", diagnostics: [] });
      await sleep(stepMs);
      return clone(t.discovery);
    },
    calibrateModel: async (request) => {
      const t = (await data()).telemetry;
      if (!t || request.text !== t.discovery.analysis.text)
        throw new BackendError({ code: "run", message: `no recorded calibration of this model in the mock data (recorded: the model discovered from ${t?.traces ?? "a fixture"}, unedited)`, diagnostics: [] });
      await sleep(stepMs);
      const out = clone(t.calibration);
      return { ...out, analysis: { ...out.analysis, file_name: request.file_name, path: request.path ?? null } };
    },
    cancelRun: async () => {
      cancel = true;
      return running;
    },
    exportResults: async (results, format, path) => {
      const files = format === "json" ? [path] : ["entries.csv", "nodes.csv", "series.csv"].map((f) => `${path}/${f}`);
      files.forEach((f) => writes.set(f, format === "json" ? JSON.stringify(results) : "csv"));
      return files;
    },
    // no dialog in a plain browser: the proposed name in a pretend home folder
    pickPath: async (request) => `/home/user/${request.default_name}`,
    newScenario: async () => {
      const src = { path: null, fileName: "untitled.toml", text: NEW_SCENARIO };
      return analysisOf(src, parse(NEW_SCENARIO) as Obj);
    },
    exportFile: async (path, contents) => {
      writes.set(path, contents);
      return [path];
    },
    exportReport: async (path, document) => {
      writes.set(path, `<!doctype html><!-- report of ${document.length} bytes -->`);
      return [path];
    },
    componentDependents: async (text, name, datastore) => dependentsOf(parse(text) as Obj, name, datastore),
    setTitle: async (title) => {
      document.title = title;
    },
  };
}
