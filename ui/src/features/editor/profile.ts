// An entry's arrival rate over time, as the engine reads `arrival` (docs/format.md, "Workload
// shapes"): the plot beside the arrival form. Times run from the start of the run, warm-up
// included.
import { seconds } from "./quantity";

export type Shape = "none" | "steps" | "ramp" | "spike" | "diurnal";
export const SHAPES: Shape[] = ["none", "steps", "ramp", "spike", "diurnal"];

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const n = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Which shape a stored profile has (the first of the keys present). */
export function shapeOf(profile: unknown): Shape {
  const p = obj(profile);
  return (SHAPES.find((s) => s !== "none" && p[s] !== undefined) as Shape) ?? "none";
}

/** A fresh profile of the given shape around a rate (what choosing the shape writes). */
export function templateOf(shape: Shape, rate: number): Obj | undefined {
  const r = Number((rate > 0 ? rate : 10).toPrecision(3));
  switch (shape) {
    case "none":
      return undefined;
    case "steps":
      return { steps: [["0s", r], ["60s", r * 2]] };
    case "ramp":
      return { ramp: { from: r, to: r * 2, start: "0s", end: "60s" } };
    case "spike":
      return { spike: { base: r, peak: r * 5, at: "30s", duration: "30s" } };
    case "diurnal":
      return { diurnal: { mean: r, amplitude: r / 2, period: "10m" } };
  }
}

/**
 * The rate at time `t` [s] of an arrival table, or an error naming the field that cannot be
 * read. A closed loop or a trace has no declared rate: null.
 */
export function rateFunction(arrival: unknown): ((t: number) => number) | { error: string } | null {
  const a = obj(arrival);
  if (a.process === "closed" || a.trace !== undefined) return null;
  const p = obj(a.profile);
  switch (shapeOf(a.profile)) {
    case "none": {
      const r = n(a.rate);
      return r === null ? { error: "`rate` needs a number" } : () => r;
    }
    case "steps": {
      const rows = Array.isArray(p.steps) ? p.steps : [];
      const steps: [number, number][] = [];
      for (const [i, row] of rows.entries()) {
        const t = Array.isArray(row) ? seconds(row[0]) : null;
        const r = Array.isArray(row) ? n(row[1]) : null;
        if (t === null || r === null) return { error: `steps[${i}] needs [start, rate], like ["60s", 200]` };
        steps.push([t, r]);
      }
      return (t) => steps.reduce((cur, [s, r]) => (s <= t ? r : cur), 0);
    }
    case "ramp": {
      const q = obj(p.ramp);
      const from = n(q.from);
      const to = n(q.to);
      const start = q.start === undefined ? 0 : seconds(q.start);
      const end = seconds(q.end);
      if (from === null || to === null || start === null || end === null) return { error: "a ramp needs `from`, `to` and `end` (and `start`)" };
      return (t) => (t <= start ? from : t >= end ? to : from + ((to - from) * (t - start)) / (end - start));
    }
    case "spike": {
      const q = obj(p.spike);
      const base = n(q.base);
      const peak = n(q.peak);
      const at = seconds(q.at);
      const d = seconds(q.duration);
      if (base === null || peak === null || at === null || d === null) return { error: "a spike needs `base`, `peak`, `at` and `duration`" };
      return (t) => (t >= at && t < at + d ? peak : base);
    }
    case "diurnal": {
      const q = obj(p.diurnal);
      const mean = n(q.mean);
      const amp = n(q.amplitude);
      const period = q.period === undefined ? 86400 : seconds(q.period);
      if (mean === null || amp === null || period === null || period <= 0) return { error: "a diurnal shape needs `mean`, `amplitude` (and `period`)" };
      return (t) => mean + amp * Math.sin((2 * Math.PI * t) / period);
    }
  }
}

/** Samples of the rate over [0, horizon] with the jumps of steps and spikes kept sharp. */
export function sampleRate(f: (t: number) => number, horizon: number, n = 200): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i <= n; i++) {
    const t = (horizon * i) / n;
    out.push([t, f(t)]);
  }
  return out;
}

/** The run's horizon [s] (warm-up plus measured duration) from the document's workload. */
export function horizonOf(doc: unknown): number {
  const w = obj(obj(doc).workload);
  return (seconds(w.warmup) ?? 0) + (seconds(w.duration) ?? 60);
}
