// Results views: every chart of the run's results, variants overlaid, with 95% intervals.
import { useMemo, useState } from "react";
import type { Analysis, Results } from "../../api/types";
import { Chart } from "../../components/Chart";
import * as C from "./charts";
import { replayLayout } from "./replay";

const fmtS = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${x.toFixed(1)} s`);
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Failure propagation of one variant: the origin × entry heat map, the replay of failures
 * per window on the model's graph (a slider over the windows), breaker state changes and the
 * blast radius of every fault. */
export function FailureViews(props: { results: Results; document?: Analysis["document"] }) {
  const r = props.results;
  const [variant, setVariant] = useState(() => Math.max(0, r.variants.findIndex((v) => Object.keys(v.resilience.failure_origins).length > 0)));
  const vi = Math.min(variant, r.variants.length - 1);
  const v = r.variants[vi];
  const windows = v?.series.t_s.length ?? 0;
  // start the replay at the window with the most failures
  const peak = useMemo(() => (v ? C.peakWindow(v) : 0), [v]);
  const [win, setWin] = useState<number | null>(null);
  const w = Math.min(win ?? peak, Math.max(0, windows - 1));
  const layout = useMemo(() => replayLayout(props.document, vi), [props.document, vi]);
  const heat = useMemo(() => C.failureHeatmap(r, vi), [r, vi]);
  const replay = useMemo(() => C.failureReplay(r, vi, w, layout), [r, vi, w, layout]);
  if (!v) return null;
  const res = v.resilience;
  return (
    <div data-testid="failure-views">
      <h3 className="section-title">Failure propagation</h3>
      <div className="chart-variant">
        {r.variants.map((x, i) => (
          <button key={x.name} className={i === vi ? "tab active" : "tab"} data-testid={`failure-variant-${i}`} onClick={() => setVariant(i)}>
            {x.name}
          </button>
        ))}
        <span className="hint">availability {pct(v.availability.mean)} [{pct(v.availability.ci95_low)}, {pct(v.availability.ci95_high)}]</span>
      </div>
      <div className="chart-grid">
        <Chart title={`Where failures began × the entry that failed — ${v.name}`} option={heat} testId="chart-failure-matrix" />
        <div className="replay">
          <Chart title={`Failure replay — ${v.name} (failures/s per window)`} option={replay} testId="chart-failure-replay" />
          <div className="replay-controls">
            <span>window</span>
            <input
              type="range"
              data-testid="replay-slider"
              min={0}
              max={Math.max(0, windows - 1)}
              value={w}
              onChange={(e) => setWin(Number(e.target.value))}
            />
            <span data-testid="replay-time">
              t = {(v.series.t_s[w] ?? 0).toFixed(0)} s ({w + 1}/{windows})
            </span>
          </div>
        </div>
      </div>
      {res.blast_radius.length > 0 && (
        <table className="table" data-testid="blast-radius">
          <thead>
            <tr>
              <th>fault</th>
              <th>kind</th>
              <th>from – to</th>
              <th>entry</th>
              <th>degraded</th>
              <th>availability (before → lowest)</th>
              <th>p99 (before → highest)</th>
              <th>degraded for</th>
              <th>recovered after</th>
            </tr>
          </thead>
          <tbody>
            {res.blast_radius.flatMap((b) =>
              Object.entries(b.entries).map(([e, x], i) => (
                <tr key={`${b.fault}-${e}`}>
                  <td>{i === 0 ? b.fault : ""}</td>
                  <td>{i === 0 ? b.kind : ""}</td>
                  <td>{i === 0 ? `${b.start_s} s – ${b.end_s === null || b.end_s === undefined ? "end" : `${b.end_s} s`}` : ""}</td>
                  <td>{e}</td>
                  <td className={x.degraded ? "bad" : ""}>{x.degraded ? "yes" : "no"}</td>
                  <td>
                    {pct(x.availability_baseline)} → {pct(x.availability_min)}
                  </td>
                  <td>
                    {(x.p99_baseline_s * 1e3).toFixed(1)} → {(x.p99_max_s * 1e3).toFixed(1)} ms
                  </td>
                  <td>{fmtS(x.degraded_s)}</td>
                  <td>{fmtS(x.recovered_after_s)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {res.breaker_changes.length > 0 && (
        <table className="table" data-testid="breaker-changes">
          <thead>
            <tr>
              <th>t [s] (replication 0)</th>
              <th>call edge</th>
              <th>from</th>
              <th>to</th>
            </tr>
          </thead>
          <tbody>
            {res.breaker_changes.slice(0, 200).map((b, i) => (
              <tr key={i}>
                <td>{b.t_s.toFixed(3)}</td>
                <td>{b.edge}</td>
                <td>{b.from}</td>
                <td className={b.to === "open" ? "bad" : ""}>{b.to}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function ResultsCharts(props: { results: Results; highlight?: string | null; document?: Analysis["document"] }) {
  const r = props.results;
  const entries = C.entryNames(r);
  const [entry, setEntry] = useState(entries[0] ?? "");
  const [variant, setVariant] = useState(0);
  const e = entries.includes(entry) ? entry : (entries[0] ?? "");
  const opts = useMemo(
    () => ({
      cdf: C.latencyCdf(r, e),
      pct: C.percentiles(r, e),
      p99: C.overTime(r, e, "p99_s"),
      p50: C.overTime(r, e, "p50_s"),
      tput: C.overTime(r, e, "throughput_per_s"),
      errs: C.overTime(r, e, "errors_per_s"),
      util: C.utilization(r),
      queue: C.queueLength(r),
      utilT: C.utilizationOverTime(r, variant),
      diff: r.comparisons.length ? C.pairedDifferences(r) : null,
      mem: C.memory(r),
      fail: C.failures(r),
      cost: C.hasCost(r) ? C.costByNode(r) : null,
      perMillion: C.hasCost(r) ? C.costPerMillion(r) : null,
      instances: C.instancesOverTime(r),
      functions: C.functions(r),
    }),
    [r, e, variant],
  );
  const hl = props.highlight;
  return (
    <div className="results" data-testid="results">
      <div className="results-head">
        <label>
          Entry{" "}
          <select data-testid="results-entry" value={e} onChange={(x) => setEntry(x.target.value)}>
            {entries.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <span>
          {r.replications} replications · seed {r.seed} · self-check {r.self_check.ok ? "ok" : "FAILED"}
        </span>
      </div>
      {r.warnings.map((w, i) => (
        <div className="warning" key={i}>
          {w}
        </div>
      ))}
      <div className="chart-grid">
        {opts.diff && <Chart title="Paired differences against the first variant (95% CI)" option={opts.diff} testId="chart-comparison" highlight={hl === "comparison"} />}
        <Chart title={`Latency CDF — ${e}`} option={opts.cdf} testId="chart-cdf" highlight={hl === "cdf"} />
        <Chart title={`Latency percentiles — ${e} (95% CI)`} option={opts.pct} testId="chart-percentiles" />
        <Chart title={`p99 latency over time — ${e}`} option={opts.p99} testId="chart-p99-time" />
        <Chart title={`Median latency over time — ${e}`} option={opts.p50} testId="chart-p50-time" />
        <Chart title={`Throughput over time — ${e}`} option={opts.tput} testId="chart-throughput-time" />
        <Chart title={`Errors over time — ${e}`} option={opts.errs} testId="chart-errors-time" />
        <Chart title="Utilization per unit (95% CI)" option={opts.util} testId="chart-utilization" />
        <Chart title="Queue length per unit (95% CI)" option={opts.queue} testId="chart-queue" />
        <div>
          <div className="chart-variant">
            {r.variants.map((v, i) => (
              <button key={v.name} className={i === variant ? "tab active" : "tab"} onClick={() => setVariant(i)}>
                {v.name}
              </button>
            ))}
          </div>
          <Chart title={`Utilization over time — ${r.variants[variant]?.name ?? ""}`} option={opts.utilT} testId="chart-utilization-time" />
        </div>
        <Chart title="Memory provisioned (95% CI)" option={opts.mem} testId="chart-memory" />
        {opts.fail && <Chart title="Failed requests by reason" option={opts.fail} testId="chart-failures" />}
        {opts.cost && <Chart title="Cost per month by node (95% CI of the total)" option={opts.cost} testId="chart-cost" />}
        {opts.perMillion && <Chart title="Cost per million requests (95% CI)" option={opts.perMillion} testId="chart-cost-per-million" />}
        <Chart title="Instances over time" option={opts.instances} testId="chart-instances" />
        {opts.functions && <Chart title="Serverless functions: cold starts, throttles (95% CI), concurrency" option={opts.functions} testId="chart-functions" />}
      </div>
      {opts.functions && (
        <table className="table" data-testid="functions-table">
          <thead>
            <tr>
              <th>serverless unit</th>
              <th>invocations</th>
              <th>cold starts</th>
              <th>throttles</th>
              <th>15-min limit failures</th>
              <th>concurrency mean / peak</th>
              <th>GB-s billed</th>
            </tr>
          </thead>
          <tbody>
            {C.functionNodes(r).map(({ label, f }) => (
              <tr key={label}>
                <td>{label}</td>
                <td>{f.invocations.mean.toFixed(0)}</td>
                <td>
                  {f.cold_starts.mean.toFixed(1)} ({pct(f.cold_start_fraction.mean)})
                </td>
                <td>{f.throttles.mean.toFixed(1)}</td>
                <td>{f.max_duration_failures.mean.toFixed(1)}</td>
                <td>
                  {f.mean_concurrency.mean.toFixed(2)} / {f.peak_concurrency.mean.toFixed(1)}
                </td>
                <td>{f.gb_s_billed.mean.toFixed(1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {C.hasFailures(r) && <FailureViews results={r} document={props.document} />}
    </div>
  );
}
