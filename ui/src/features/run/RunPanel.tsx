// Run panel: replications and seed, run / cancel, a progress bar with ETA, and the mean
// latency of every replication as it finishes.
import { useMemo } from "react";
import type { EChartsOption } from "echarts";
import { Chart } from "../../components/Chart";
import { PALETTE } from "../results/charts";
import { useStore } from "../../stores/store";
import { cancelRun, eta, runStore, startRun } from "../../stores/run";
import { scenarioStore } from "../../stores/scenario";

/** The progress line of a precision run: replications so far and the precision reached. */
export function precisionLine(reached: { replications: number; maxReplications: number; target: number; relativeHalfWidth: number | null } | null): string {
  if (!reached) return "";
  const rhw = reached.relativeHalfWidth;
  const now = rhw === null || !Number.isFinite(rhw) ? "—" : `±${(100 * rhw).toFixed(2)}%`;
  return `${reached.replications} replications so far (cap ${reached.maxReplications}) · precision ${now} (target ±${+(100 * reached.target).toFixed(4)}%)`;
}

function fmtEta(s: number | null): string {
  if (s === null) return "estimating…";
  if (s < 60) return `${Math.ceil(s)} s left`;
  return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s left`;
}

export function RunPanel() {
  const r = useStore(runStore, (s) => s);
  const a = useStore(scenarioStore, (s) => s.analysis);
  const running = r.status === "running" || r.status === "cancelling";
  const pct = r.total ? Math.round((100 * r.done) / r.total) : 0;
  const option = useMemo<EChartsOption>(() => {
    const variants = [...new Set(r.reps.map((p) => p.variant))];
    const entries = [...new Set(r.reps.map((p) => p.entry))];
    return {
      animation: false,
      color: PALETTE,
      legend: { top: 0 },
      tooltip: { trigger: "item" },
      grid: { left: 70, right: 20, top: 36, bottom: 40 },
      xAxis: { type: "category", data: entries },
      yAxis: { type: "value", name: "mean latency [ms]" },
      series: variants.map((v) => ({
        type: "scatter",
        name: v,
        data: r.reps.filter((p) => p.variant === v).map((p) => [p.entry, p.latencyMeanS * 1e3]),
      })),
    };
  }, [r.reps]);
  const invalid = !a || a.diagnostics.length > 0;
  return (
    <div className="run-panel" data-testid="run-panel">
      <div className="run-controls">
        <label>
          Replications
          <input
            data-testid="run-replications"
            type="number"
            min={1}
            placeholder="scenario's"
            value={r.replications ?? ""}
            onChange={(e) => runStore.set({ replications: e.target.value ? Number(e.target.value) : null })}
          />
        </label>
        <label>
          Seed
          <input
            data-testid="run-seed"
            type="number"
            min={0}
            placeholder="scenario's"
            value={r.seed ?? ""}
            onChange={(e) => runStore.set({ seed: e.target.value ? Number(e.target.value) : null })}
          />
        </label>
        <label title="Add replications until every headline 95% interval (per entry: mean latency, p99, throughput; per unit: utilization) is within this relative half-width, as archsim run --precision (checked when the run starts)">
          Precision
          <input
            data-testid="run-precision"
            placeholder="off (e.g. 2%)"
            value={r.precision}
            onChange={(e) => runStore.set({ precision: e.target.value })}
          />
        </label>
        {r.precision.trim() && (
          <label>
            Max replications
            <input
              data-testid="run-max-replications"
              type="number"
              min={1}
              placeholder="1000"
              value={r.maxReplications ?? ""}
              onChange={(e) => runStore.set({ maxReplications: e.target.value ? Number(e.target.value) : null })}
            />
          </label>
        )}
        {running ? (
          <button data-testid="run-cancel" className="danger" disabled={r.status === "cancelling"} onClick={cancelRun}>
            {r.status === "cancelling" ? "Cancelling…" : "Cancel"}
          </button>
        ) : (
          <button data-testid="run-start" className="primary" disabled={invalid} onClick={startRun} title={invalid ? "fix the scenario's errors first" : ""}>
            Run
          </button>
        )}
        <div className="progress" data-testid="run-progress" aria-valuenow={pct} role="progressbar">
          <div className="bar" style={{ width: `${pct}%` }} />
          <span>
            {r.status === "idle"
              ? "not started"
              : r.status === "cancelled" && r.results
                ? `cancelled after ${r.done} / ${r.total} replications`
                : r.reached
                ? precisionLine(r.reached)
                : `${r.done} / ${r.total} replications`}
            {r.status === "running" && !r.reached && ` · ${fmtEta(eta(r.done, r.total, r.elapsedS))}`}
          </span>
        </div>
        <span className="run-status" data-testid="run-status">
          {r.status}
        </span>
      </div>
      {r.error && (
        <div className="error" data-testid="run-error">
          {r.error}
        </div>
      )}
      {r.results?.precision && (
        <div className="hint" data-testid="precision-result">
          precision target ±{+(100 * r.results.precision.target).toFixed(4)}% {r.results.precision.met ? "met" : "not met"} with{" "}
          {r.results.replications} replications (batches {r.results.precision.batches.join(", ")}); worst interval ±
          {(100 * Math.max(0, ...r.results.precision.metrics.map((m) => m.relative_half_width))).toFixed(2)}%
        </div>
      )}
      {r.reps.length > 0 && <Chart title="Mean latency of each replication, as they finish" option={option} testId="chart-replications" height={220} />}
    </div>
  );
}
