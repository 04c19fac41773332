// Small charts beside the typed inputs: a distribution's density and CDF, and an entry's
// arrival rate over the run. Plain SVG: they are redrawn on every keystroke.
import { curve, quantile, type Model } from "./distribution";
import { formatSeconds } from "./quantity";

const W = 280;
const H = 72;
const PAD = 4;

const path = (pts: [number, number][]) => pts.map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");

/** Density (filled; bars for point masses) and CDF (line) of a distribution, with its quantiles. */
export function DistPreview(props: { model: Model; testId: string }) {
  const m = props.model;
  const c = curve(m);
  const top = c.x[c.x.length - 1] || 1;
  const sx = (x: number) => PAD + ((W - 2 * PAD) * x) / top;
  const sy = (y: number) => H - PAD - (H - 2 * PAD) * y;
  const peak = Math.max(...c.pdf.filter(Number.isFinite), 0);
  const density = peak > 0 ? path([[sx(0), sy(0)], ...c.x.map((x, i): [number, number] => [sx(x), sy(Math.min(c.pdf[i], peak) / peak)]), [sx(top), sy(0)]]) : "";
  const cdf = path(c.x.map((x, i): [number, number] => [sx(x), sy(c.cdf[i])]));
  const q = (p: number) => formatSeconds(quantile(m, p));
  return (
    <figure className="preview" data-testid={props.testId}>
      <svg width={W} height={H} role="img" aria-label="density and cumulative distribution">
        <line x1={PAD} x2={W - PAD} y1={sy(0)} y2={sy(0)} stroke="#cbd5e1" />
        {density && <path d={density} fill="#bfdbfe" stroke="#3b82f6" strokeWidth={1} />}
        {m.atoms?.map(([x, p]) => (
          <line key={x} x1={sx(x)} x2={sx(x)} y1={sy(0)} y2={sy(p)} stroke="#3b82f6" strokeWidth={3} />
        ))}
        <path d={cdf} fill="none" stroke="#0f172a" strokeWidth={1.2} />
      </svg>
      <figcaption>
        mean {formatSeconds(m.mean)} · p50 {q(0.5)} · p99 {q(0.99)} <span className="muted">(0 – {formatSeconds(top)}; line: CDF)</span>
      </figcaption>
    </figure>
  );
}

/** The arrival rate over the run (warm-up included). */
export function RatePlot(props: { samples: [number, number][]; testId: string }) {
  const s = props.samples;
  const horizon = s[s.length - 1]?.[0] || 1;
  const hi = Math.max(...s.map(([, r]) => r), 0) || 1;
  const sx = (t: number) => PAD + ((W - 2 * PAD) * t) / horizon;
  const sy = (r: number) => H - PAD - ((H - 2 * PAD) * Math.max(0, r)) / hi;
  const mean = s.reduce((a, [, r]) => a + r, 0) / Math.max(1, s.length);
  return (
    <figure className="preview" data-testid={props.testId}>
      <svg width={W} height={H} role="img" aria-label="arrival rate over the run">
        <line x1={PAD} x2={W - PAD} y1={sy(0)} y2={sy(0)} stroke="#cbd5e1" />
        <path d={path(s.map(([t, r]) => [sx(t), sy(r)]))} fill="none" stroke="#16a34a" strokeWidth={1.5} />
      </svg>
      <figcaption>
        rate over the run: peak {Number(hi.toPrecision(3))}/s · average {Number(mean.toPrecision(3))}/s <span className="muted">(0 – {formatSeconds(horizon)})</span>
      </figcaption>
    </figure>
  );
}
