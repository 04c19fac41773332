// The distributions of durations of the scenario format, as the property panel previews them:
// density, CDF and quantiles from the same parameters the engine samples with (docs/format.md,
// "Distributions"). A plain duration is a constant.
import { seconds } from "./quantity";

export type DistKind = "duration" | "const" | "exp" | "lognormal" | "gamma" | "uniform" | "pareto" | "empirical";

export const DIST_KINDS: DistKind[] = ["duration", "const", "exp", "lognormal", "gamma", "uniform", "pareto", "empirical"];

/** Parameters each kind takes, in the order the form shows them. */
export const DIST_PARAMS: Record<DistKind, { key: string; kind: "duration" | "number" | "durations"; optional?: boolean }[]> = {
  duration: [],
  const: [{ key: "value", kind: "duration" }],
  exp: [{ key: "mean", kind: "duration" }],
  lognormal: [
    { key: "mean", kind: "duration" },
    { key: "cv", kind: "number" },
  ],
  gamma: [
    { key: "mean", kind: "duration" },
    { key: "cv", kind: "number" },
  ],
  uniform: [
    { key: "min", kind: "duration" },
    { key: "max", kind: "duration" },
  ],
  pareto: [
    { key: "alpha", kind: "number" },
    { key: "scale", kind: "duration", optional: true },
    { key: "mean", kind: "duration", optional: true },
  ],
  empirical: [{ key: "samples", kind: "durations" }],
};

/** A distribution ready to draw: CDF, density where it has one, atoms where it has them. */
export interface Model {
  mean: number;
  cdf: (x: number) => number;
  pdf?: (x: number) => number;
  /** Point masses (constant, empirical): value and probability. */
  atoms?: [number, number][];
}

export function kindOf(v: unknown): DistKind | null {
  if (typeof v === "string") return "duration";
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const d = (v as Record<string, unknown>).dist;
    return DIST_KINDS.includes(d as DistKind) && d !== "duration" ? (d as DistKind) : null;
  }
  return null;
}

// Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7): enough for a preview.
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

// Lanczos approximation (g = 7, n = 9) of ln Γ(x), x > 0.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x): series below a + 1, continued fraction above. */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lead = a * Math.log(x) - x - lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-14) break;
    }
    return Math.min(1, sum * Math.exp(lead));
  }
  // Lentz's continued fraction for Q(a, x)
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-14) break;
  }
  return Math.max(0, 1 - Math.exp(lead) * h);
}

const need = (o: Record<string, unknown>, key: string): number => {
  const s = seconds(o[key]);
  if (s === null) throw new Error(`\`${key}\` needs a duration with a unit, like "4ms"`);
  return s;
};
const num = (o: Record<string, unknown>, key: string): number => {
  const n = o[key];
  if (typeof n !== "number" || !Number.isFinite(n)) throw new Error(`\`${key}\` needs a number`);
  return n;
};

function atomsModel(atoms: [number, number][]): Model {
  const sorted = [...atoms].sort((a, b) => a[0] - b[0]);
  return {
    mean: sorted.reduce((m, [x, p]) => m + x * p, 0),
    atoms: sorted,
    cdf: (x) => sorted.reduce((c, [v, p]) => (v <= x ? c + p : c), 0),
  };
}

/** The model of a stored distribution, or the reason it cannot be drawn. */
export function modelOf(v: unknown): Model | { error: string } {
  try {
    const kind = kindOf(v);
    if (kind === null) return { error: "not a distribution: a duration or a table with `dist`" };
    if (kind === "duration") {
      const s = seconds(v);
      if (s === null) return { error: 'expected a duration with a unit, like "4ms"' };
      return atomsModel([[s, 1]]);
    }
    const o = v as Record<string, unknown>;
    switch (kind) {
      case "const":
        return atomsModel([[need(o, "value"), 1]]);
      case "exp": {
        const m = need(o, "mean");
        if (m <= 0) return atomsModel([[0, 1]]);
        return { mean: m, cdf: (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / m)), pdf: (x) => (x < 0 ? 0 : Math.exp(-x / m) / m) };
      }
      case "lognormal": {
        const m = need(o, "mean");
        const cv = num(o, "cv");
        if (cv <= 0) throw new Error("`cv` must be > 0");
        const s2 = Math.log(1 + cv * cv);
        const s = Math.sqrt(s2);
        const mu = Math.log(m) - s2 / 2;
        return {
          mean: m,
          cdf: (x) => (x <= 0 ? 0 : 0.5 * (1 + erf((Math.log(x) - mu) / (s * Math.SQRT2)))),
          pdf: (x) => (x <= 0 ? 0 : Math.exp(-((Math.log(x) - mu) ** 2) / (2 * s2)) / (x * s * Math.sqrt(2 * Math.PI))),
        };
      }
      case "gamma": {
        const m = need(o, "mean");
        const cv = num(o, "cv");
        if (cv <= 0) throw new Error("`cv` must be > 0");
        const k = 1 / (cv * cv);
        const theta = m / k;
        return {
          mean: m,
          cdf: (x) => gammaP(k, x / theta),
          pdf: (x) => (x <= 0 ? 0 : Math.exp((k - 1) * Math.log(x) - x / theta - lnGamma(k) - k * Math.log(theta))),
        };
      }
      case "uniform": {
        const lo = need(o, "min");
        const hi = need(o, "max");
        if (hi < lo) throw new Error("`min` must be ≤ `max`");
        if (hi === lo) return atomsModel([[lo, 1]]);
        return { mean: (lo + hi) / 2, cdf: (x) => Math.min(1, Math.max(0, (x - lo) / (hi - lo))), pdf: (x) => (x >= lo && x <= hi ? 1 / (hi - lo) : 0) };
      }
      case "pareto": {
        const a = num(o, "alpha");
        if (a <= 0) throw new Error("`alpha` must be > 0");
        let xm: number;
        if (o.scale !== undefined) xm = need(o, "scale");
        else if (o.mean !== undefined) {
          if (a <= 1) throw new Error("with `mean`, `alpha` must be > 1");
          xm = (need(o, "mean") * (a - 1)) / a;
        } else throw new Error("`scale` or `mean` is needed");
        return {
          mean: a > 1 ? (a * xm) / (a - 1) : Infinity,
          cdf: (x) => (x < xm ? 0 : 1 - (xm / x) ** a),
          pdf: (x) => (x < xm ? 0 : (a * xm ** a) / x ** (a + 1)),
        };
      }
      case "empirical": {
        const samples = o.samples;
        if (!Array.isArray(samples) || samples.length === 0) throw new Error("`samples` needs at least one duration");
        const xs = samples.map((s) => seconds(s));
        if (xs.some((x) => x === null)) throw new Error("every sample needs a duration with a unit");
        return atomsModel((xs as number[]).map((x) => [x, 1 / xs.length]));
      }
    }
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { error: "unknown distribution" };
}

/** The p-quantile (0 < p < 1): the least x with CDF(x) ≥ p. */
export function quantile(m: Model, p: number): number {
  if (m.atoms) {
    let c = 0;
    for (const [x, w] of m.atoms) if ((c += w) >= p - 1e-12) return x;
    return m.atoms[m.atoms.length - 1][0];
  }
  let lo = 0;
  let hi = Number.isFinite(m.mean) && m.mean > 0 ? m.mean : 1;
  for (let i = 0; i < 200 && m.cdf(hi) < p; i++) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (m.cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Points of the density and CDF from 0 to the 99.5th percentile, for a small chart. */
export function curve(m: Model, n = 64): { x: number[]; pdf: number[]; cdf: number[] } {
  const top = m.atoms ? Math.max(...m.atoms.map(([x]) => x)) * 1.25 || 1e-3 : quantile(m, 0.995);
  const x = Array.from({ length: n + 1 }, (_, i) => (top * i) / n);
  return { x, pdf: x.map((v) => m.pdf?.(v) ?? 0), cdf: x.map((v) => m.cdf(v)) };
}
