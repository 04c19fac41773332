// Durations and sizes as the scenario format writes them ("250us", "1.5GiB"): split into a
// number and a unit for the typed inputs, and converted to seconds for the previews.

const NUMBER = String.raw`[+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?`;

/** The units a quantity pattern of the schema accepts, in the pattern's order. */
export function unitsOf(pattern: string | undefined): string[] | null {
  if (!pattern) return null;
  const m = /\\s\*\(([^()]+)\)\\s\*\$$/.exec(pattern);
  if (!m || !pattern.includes(NUMBER)) return null;
  return m[1].split("|");
}

/** A stored quantity split into its number and unit, or null when it is not one. */
export function splitQuantity(v: unknown, units: string[]): { number: string; unit: string } | null {
  if (typeof v !== "string") return null;
  const m = new RegExp(`^\\s*(${NUMBER})\\s*(\\S+)\\s*$`).exec(v);
  if (!m || !units.includes(m[3])) return null;
  return { number: m[1], unit: m[3] };
}

const SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, "μs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A duration in seconds, or null when `v` is not a duration with a unit. */
export function seconds(v: unknown): number | null {
  const q = splitQuantity(v, Object.keys(SECONDS));
  if (!q) return null;
  const n = Number(q.number);
  return Number.isFinite(n) ? n * SECONDS[q.unit] : null;
}

/** A duration in seconds written with the unit that reads best ("250 µs", "4.2 ms", "1.5 h"). */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "∞";
  const a = Math.abs(s);
  const [v, u] =
    a === 0 ? [0, "s"] : a < 1e-6 ? [s * 1e9, "ns"] : a < 1e-3 ? [s * 1e6, "µs"] : a < 1 ? [s * 1e3, "ms"] : a < 120 ? [s, "s"] : a < 7200 ? [s / 60, "min"] : [s / 3600, "h"];
  return `${Number(v.toPrecision(3))} ${u}`;
}
