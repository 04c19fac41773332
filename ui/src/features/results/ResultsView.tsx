// Results views: every chart of the run's results, variants overlaid, with 95% intervals.
import { useMemo, useState } from "react";
import type { Results } from "../../api/types";
import { Chart } from "../../components/Chart";
import * as C from "./charts";

export function ResultsCharts(props: { results: Results; highlight?: string | null }) {
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
      </div>
    </div>
  );
}
