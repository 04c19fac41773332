// Results views: every chart of the run's results, variants overlaid, with 95% intervals.
import { useMemo, useState } from "react";
import type { Analysis, Results, VariantTopology } from "../../api/types";
import { Chart } from "../../components/Chart";
import * as C from "./charts";
import { replayLayout } from "./replay";
import { anatomyChart, hasAnatomy, verdictParagraphs } from "./anatomy";
import { summaryRows } from "./summary";
import { logicTables } from "./logic";

const fixed = (x: number | null | undefined, d = 2) => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "—");

/** Teams: the Conway metrics of every variant (a table) and the delivery simulation's DORA
 * figures with 95% intervals (bars), when the scenario has teams or `[delivery]`. */
export function TeamViews(props: { results: Results }) {
  const r = props.results;
  const hasConway = r.variants.some((v) => v.conway);
  const hasDelivery = r.variants.some((v) => v.delivery);
  const opts = useMemo(() => {
    if (!hasDelivery) return null;
    const d = (pick: (x: NonNullable<Results["variants"][number]["delivery"]>) => C.StatLike) => (v: Results["variants"][number]) =>
      v.delivery ? ([["", pick(v.delivery)]] as [string, C.StatLike][]) : [];
    return {
      lead: C.statBars(r, (v) => (v.delivery ? [["mean", v.delivery.lead_time_h.mean], ["p50", v.delivery.lead_time_h.p50], ["p90", v.delivery.lead_time_h.p90]] : []), "lead time [h]"),
      deploys: C.statBars(r, d((x) => x.deployments_per_day), "deployments [/day]"),
      cfr: C.statBars(r, d((x) => x.change_failure_rate), "change failure rate [%]", 100),
      restore: C.statBars(r, d((x) => x.time_to_restore_h), "time to restore [h]"),
      teams: C.statBars(r, d((x) => x.teams_per_change), "teams per change"),
    };
  }, [r, hasDelivery]);
  if (!hasConway && !hasDelivery) return null;
  return (
    <div data-testid="team-views">
      <h3 className="section-title">Teams and delivery</h3>
      {hasConway && (
        <table className="summary-table conway" data-testid="conway-table">
          <thead>
            <tr>
              <th />
              <th>mirroring</th>
              <th>pair agreement</th>
              <th>cross-team calls / request</th>
              <th>cross-unit calls / request</th>
              <th>coordinating teams</th>
              <th>channels</th>
            </tr>
          </thead>
          <tbody>
            {r.variants.map((v) => (
              <tr key={v.name} data-testid={`conway-${v.name}`}>
                <th scope="row">{v.name}</th>
                <td>{fixed(v.conway?.mirroring)}</td>
                <td>{fixed(v.conway?.pair_agreement)}</td>
                <td>{fixed(v.conway?.cross_team_calls_per_request)}</td>
                <td>{fixed(v.conway?.cross_unit_calls_per_request)}</td>
                <td>{v.conway?.coordinating_teams.join(", ") || "none"}</td>
                <td>{v.conway?.communication_channels ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opts && (
        <div className="chart-grid">
          <Chart title="Lead time of a change (95% CI)" option={opts.lead} testId="chart-delivery-lead-time" />
          <Chart title="Deployments per day (95% CI)" option={opts.deploys} testId="chart-delivery-deployments" />
          <Chart title="Change failure rate (95% CI)" option={opts.cfr} testId="chart-delivery-failure-rate" />
          <Chart title="Time to restore (95% CI)" option={opts.restore} testId="chart-delivery-restore" />
          <Chart title="Teams per change (95% CI)" option={opts.teams} testId="chart-delivery-teams" />
        </div>
      )}
    </div>
  );
}

/** The headline table: `archsim run`'s Entries table, variants as columns. */
export function SummaryTable(props: { results: Results }) {
  const rows = useMemo(() => summaryRows(props.results), [props.results]);
  return (
    <div className="summary" data-testid="summary">
      <h3>Summary ({props.results.replications >= 2 ? "mean ± 95% interval" : "one replication: no interval"})</h3>
      <table className="summary-table">
        <thead>
          <tr>
            <th />
            {props.results.variants.map((v) => (
              <th key={v.name}>{v.name}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i} className={row.group ? "group" : ""}>
              <th scope="row">{row.group ? row.label : `\u2003${row.label}`}</th>
              {row.cells.map((c, j) => (
                <td key={j}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const fmtS = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${x.toFixed(1)} s`);
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Failure propagation of one variant: the origin × entry heat map, the replay of failures
 * per window on the model's graph (a slider over the windows), breaker state changes and the
 * blast radius of every fault. */
export function FailureViews(props: { results: Results; document?: Analysis["document"]; topology?: VariantTopology[] }) {
  const r = props.results;
  const [variant, setVariant] = useState(() => Math.max(0, r.variants.findIndex((v) => Object.keys(v.resilience.failure_origins).length > 0)));
  const vi = Math.min(variant, r.variants.length - 1);
  const v = r.variants[vi];
  const windows = v?.series.t_s.length ?? 0;
  // start the replay at the window with the most failures
  const peak = useMemo(() => (v ? C.peakWindow(v) : 0), [v]);
  const [win, setWin] = useState<number | null>(null);
  const w = Math.min(win ?? peak, Math.max(0, windows - 1));
  const name = v?.name ?? "";
  const layout = useMemo(() => replayLayout(props.document, props.topology ?? [], name), [props.document, props.topology, name]);
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
        <Chart
          title={`Where failures began × the entry that failed — ${v.name}`}
          option={heat}
          testId="chart-failure-matrix"
          empty={`No failures in ${v.name}: no request failed anywhere in this run.`}
        />
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

const ci = (s: { mean: number; ci95_low: number; ci95_high: number }, f: (x: number) => string) => `${f(s.mean)} [${f(s.ci95_low)}, ${f(s.ci95_high)}]`;
const num = (d: number) => (x: number) => x.toFixed(d);
const ms1 = (x: number) => `${(x * 1e3).toFixed(1)} ms`;

/** The components engaged by the new keys: front-door nodes and caches, connection pools,
 * worker saturation, autoscaling and the blast radius of random faults (each only when some
 * variant has it). */
export function ComponentViews(props: { results: Results }) {
  const r = props.results;
  const opts = useMemo(
    () => ({
      comp: r.variants.some((v) => Object.keys(v.components ?? {}).length > 0),
      tput: C.components(r, (c) => c.throughput_per_s, "requests/s"),
      util: C.components(r, (c) => c.utilization, "utilization ρ"),
      rej: C.components(r, (c) => c.rejected, "requests"),
      hits: r.variants.some((v) => Object.keys(v.caches ?? {}).length) ? C.cacheHitRatios(r) : null,
      pools: C.poolNodes(r),
      poolSat: C.poolSaturation(r),
      poolWait: C.poolWait(r),
      workers: C.hasWorkerSaturation(r) ? C.workerSaturation(r) : null,
      scaling: C.autoscaling(r),
      random: C.randomBlastRows(r),
    }),
    [r],
  );
  const rows = C.componentRows(r);
  return (
    <>
      {C.hasComponents(r) && (
        <div data-testid="components-views">
          <h3 className="section-title">Components</h3>
          <div className="chart-grid">
            {opts.comp && <Chart title="Components: throughput (95% CI)" option={opts.tput} testId="chart-components" />}
            {opts.comp && <Chart title="Components: utilization (95% CI)" option={opts.util} testId="chart-components-utilization" />}
            {opts.comp && <Chart title="Components: rejected, rate-limited included (95% CI)" option={opts.rej} testId="chart-components-rejected" />}
            {opts.hits && <Chart title="Cache hit ratio (95% CI)" option={opts.hits} testId="chart-cache-hits" />}
          </div>
          <table className="table" data-testid="components-table">
            <thead>
              <tr>
                <th>variant</th>
                <th>component</th>
                <th>kind</th>
                <th>throughput [/s]</th>
                <th>utilization</th>
                <th>rejected</th>
                <th>lookups</th>
                <th>hit ratio</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x) => (
                <tr key={`${x.variant}/${x.name}`}>
                  <td>{x.variant}</td>
                  <td>{x.name}</td>
                  <td>{x.kind}</td>
                  <td>{x.c ? ci(x.c.throughput_per_s, num(1)) : "—"}</td>
                  <td>{x.c ? ci(x.c.utilization, num(3)) : "—"}</td>
                  <td>{x.c ? ci(x.c.rejected, num(0)) : "—"}</td>
                  <td>{x.cache ? x.cache.lookups.mean.toFixed(0) : "—"}</td>
                  <td>{x.cache ? ci(x.cache.hit_ratio, num(3)) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {opts.pools.length > 0 && (
        <div data-testid="pool-views">
          <h3 className="section-title">Connection pools</h3>
          <div className="chart-grid">
            <Chart title="Pool saturation: connections in use / size (95% CI)" option={opts.poolSat} testId="chart-pool-saturation" />
            <Chart title="Mean wait for a connection (95% CI)" option={opts.poolWait} testId="chart-pool-wait" />
          </div>
          <table className="table" data-testid="pools-table">
            <thead>
              <tr>
                <th>unit</th>
                <th>size</th>
                <th>in use</th>
                <th>saturation</th>
                <th>waiting</th>
                <th>acquires</th>
                <th>mean wait</th>
                <th>timeouts</th>
              </tr>
            </thead>
            <tbody>
              {opts.pools.map(({ label, pool }) => (
                <tr key={label}>
                  <td>{label}</td>
                  <td>{pool.size}</td>
                  <td>{ci(pool.in_use, num(2))}</td>
                  <td>{ci(pool.saturation, num(3))}</td>
                  <td>{ci(pool.waiting, num(2))}</td>
                  <td>{pool.acquires.mean.toFixed(0)}</td>
                  <td>{ci(pool.wait_mean_s, ms1)}</td>
                  <td className={pool.timeouts.mean > 0 ? "bad" : ""}>{ci(pool.timeouts, num(1))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(opts.workers || opts.scaling) && (
        <div className="chart-grid">
          {opts.workers && <Chart title="Worker saturation per unit (95% CI)" option={opts.workers} testId="chart-worker-saturation" />}
          {opts.scaling && <Chart title="Autoscaling: instances ready (solid) and starting (dashed)" option={opts.scaling} testId="chart-autoscaling" />}
        </div>
      )}
      {opts.scaling && (
        <table className="table" data-testid="autoscaling-table">
          <thead>
            <tr>
              <th>autoscaled unit</th>
              <th>instances min</th>
              <th>mean</th>
              <th>max</th>
              <th>scaling events</th>
            </tr>
          </thead>
          <tbody>
            {C.autoscaledNodes(r).map(({ label, a }) => (
              <tr key={label}>
                <td>{label}</td>
                <td>{ci(a.instances_min, num(1))}</td>
                <td>{ci(a.instances_mean, num(2))}</td>
                <td>{ci(a.instances_max, num(1))}</td>
                <td>{ci(a.scaling_events, num(1))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opts.random.length > 0 && (
        <table className="table" data-testid="random-blast-radius">
          <thead>
            <tr>
              <th>variant</th>
              <th>random fault</th>
              <th>episodes</th>
              <th>time degraded</th>
              <th>mean episode</th>
              <th>entry</th>
              <th>affected</th>
              <th>failed during</th>
              <th>failures/s during → outside</th>
            </tr>
          </thead>
          <tbody>
            {opts.random.map((x) => (
              <tr key={`${x.variant}/${x.fault}/${x.entry}`}>
                <td>{x.variant}</td>
                <td>{x.fault}</td>
                <td>{ci(x.episodes, num(1))}</td>
                <td>{pct(x.degradedFraction.mean)}</td>
                <td>{fmtS(x.meanDegradedS.mean)}</td>
                <td>{x.entry}</td>
                <td className={x.affected ? "bad" : ""}>{x.affected ? "yes" : "no"}</td>
                <td>{ci(x.during, num(1))}</td>
                <td>
                  {x.rateDuring.mean.toFixed(2)} → {x.rateOutside.mean.toFixed(2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ResultsCharts(props: { results: Results; highlight?: string | null; document?: Analysis["document"]; topology?: VariantTopology[] }) {
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
      anatomy: hasAnatomy(r, e) ? anatomyChart(r, e) : null,
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
      {verdictParagraphs(r).length > 0 && (
        <div className="verdict" data-testid="verdict">
          <h3>Verdict</h3>
          {verdictParagraphs(r).map((v) => (
            <p key={v.variant}>
              <strong>{v.variant}:</strong> {v.text}
            </p>
          ))}
        </div>
      )}
      <SummaryTable results={r} />
      <TeamViews results={r} />
      <div className="chart-grid">
        {opts.anatomy && <Chart title={`Latency anatomy — ${e} (mean per successful request)`} option={opts.anatomy} testId="chart-anatomy" />}
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
      <ComponentViews results={r} />
      {logicTables(r).map((t) => (
        <div key={t.testId}>
          <h3 className="section-title">{t.title}</h3>
          <table className="table" data-testid={t.testId}>
            <thead>
              <tr>
                {t.head.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((row) => (
                <tr key={row.slice(0, 2).join("/")}>
                  {row.map((c, i) => (
                    <td key={i}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {C.hasFailures(r) && <FailureViews results={r} document={props.document} topology={props.topology} />}
    </div>
  );
}
