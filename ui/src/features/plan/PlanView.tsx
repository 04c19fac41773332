// Sweep, capacity search and right-sizing: the forms that start them (on the scenario being
// edited), their progress, and the answers — the sweep's curves with the knee, cost against
// p99, the highest rate meeting the SLO per variant with its bracket and cost, and the cheapest
// plan meeting the SLO at a rate per variant.
import { useMemo, useState } from "react";
import type { CapacityResults, RightsizeResults, SweepResults } from "../../api/types";
import { Chart } from "../../components/Chart";
import { eta } from "../../stores/run";
import { cancelPlan, planStore, RIGHTSIZE_KNOBS, startCapacity, startRightsize, startSweep } from "../../stores/plan";
import { scenarioStore } from "../../stores/scenario";
import { useStore } from "../../stores/store";
import * as P from "./planCharts";

function Progress() {
  const s = useStore(planStore, (x) => x);
  const running = s.status === "running" || s.status === "cancelling";
  const pct = s.total ? Math.round((100 * Math.min(s.done, s.total)) / s.total) : 0;
  const left = eta(s.done, s.total, s.elapsedS);
  const unit = s.mode === "sweep" ? "replications" : "replications of this round";
  return (
    <>
      {running ? (
        <button data-testid="plan-cancel" className="danger" disabled={s.status === "cancelling"} onClick={cancelPlan}>
          {s.status === "cancelling" ? "Cancelling…" : "Cancel"}
        </button>
      ) : null}
      <div className="progress" data-testid="plan-progress" aria-valuenow={pct} role="progressbar">
        <div className="bar" style={{ width: `${pct}%` }} />
        <span>
          {s.status === "idle" ? "not started" : `${s.done} / ${s.total} ${unit}`}
          {s.status === "running" && s.mode === "sweep" && left !== null && ` · ${Math.ceil(left)} s left`}
          {s.status === "running" && s.mode === "capacity" && s.steps.length > 0 &&
            ` · ${s.steps[s.steps.length - 1].variant}: ${s.steps[s.steps.length - 1].rate.toFixed(1)}/s ${s.steps[s.steps.length - 1].verdict}`}
        </span>
      </div>
      <span className="run-status" data-testid="plan-status">
        {s.status}
      </span>
    </>
  );
}

export function PlanPanel() {
  const s = useStore(planStore, (x) => x);
  const a = useStore(scenarioStore, (x) => x.analysis);
  const running = s.status === "running" || s.status === "cancelling";
  const invalid = !a || a.diagnostics.length > 0;
  const entries = useMemo(() => {
    const doc = a?.document as { workload?: { entries?: { name?: string }[] } } | undefined;
    return (doc?.workload?.entries ?? []).map((e) => e.name ?? "").filter(Boolean);
  }, [a?.document]);
  const reps = (
    <label>
      Replications
      <input
        data-testid="plan-replications"
        type="number"
        min={1}
        placeholder="scenario's"
        value={s.replications ?? ""}
        onChange={(e) => planStore.set({ replications: e.target.value ? Number(e.target.value) : null })}
      />
    </label>
  );
  const slo = (
    <label title="p99<300ms,errors<0.1% — clauses [ENTRY.]METRIC OP VALUE (see docs/planning.md)">
      SLO
      <input className="wide" data-testid="capacity-slo" value={s.slo} onChange={(e) => planStore.set({ slo: e.target.value })} />
    </label>
  );
  const entry = (
    <label title="Scale only this entry's rate (default: every entry together)">
      Entry
      <select data-testid="capacity-entry" value={s.entry} onChange={(e) => planStore.set({ entry: e.target.value })}>
        <option value="">all together</option>
        {entries.map((e) => (
          <option key={e}>{e}</option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="run-panel" data-testid={`plan-panel-${s.mode}`}>
      {s.mode === "sweep" ? (
        <div className="run-controls">
          <label title="A dotted path into the scenario: workload.entries.NAME.arrival.rate, variants.V.units.U.replicas, modules.M.ops.O.cpu, …">
            Parameter
            <input className="wide" data-testid="sweep-path" list="sweep-paths" value={s.path} onChange={(e) => planStore.set({ path: e.target.value })} />
            <datalist id="sweep-paths">
              {entries.map((e) => (
                <option key={e} value={`workload.entries.${e}.arrival.rate`} />
              ))}
            </datalist>
          </label>
          <label title="A..B:STEP or a,b,c (durations and sizes with their unit: 1ms..5ms:1ms)">
            Values
            <input data-testid="sweep-range" value={s.range} placeholder="800..4000:800" onChange={(e) => planStore.set({ range: e.target.value })} />
          </label>
          <label title="Optional second parameter: the sweep becomes a grid, one curve per value">
            2nd parameter
            <input className="wide" data-testid="sweep-path2" list="sweep-paths" value={s.path2} placeholder="(none)" onChange={(e) => planStore.set({ path2: e.target.value })} />
          </label>
          {s.path2.trim() && (
            <label>
              Values
              <input data-testid="sweep-range2" value={s.range2} onChange={(e) => planStore.set({ range2: e.target.value })} />
            </label>
          )}
          <label title="The knee of a p99 curve: the first point above this factor times the p99 at the curve's first point (2), or above a latency (300ms)">
            Knee
            <input className="narrow" data-testid="sweep-knee" value={s.knee} onChange={(e) => planStore.set({ knee: e.target.value })} />
          </label>
          {reps}
          {!running && (
            <button data-testid="sweep-start" className="primary" disabled={invalid || !s.path.trim() || !s.range.trim()} onClick={startSweep}>
              Sweep
            </button>
          )}
          <Progress />
        </div>
      ) : s.mode === "rightsize" ? (
        <div className="run-controls">
          {slo}
          <label title="The arrival rate to size for: of the entry chosen, or of every entry together">
            Rate /s
            <input className="narrow" data-testid="rightsize-rate" value={s.rsRate} placeholder="4250" onChange={(e) => planStore.set({ rsRate: e.target.value })} />
          </label>
          {entry}
          <fieldset className="knobs" data-testid="rightsize-search">
            <legend>Search</legend>
            {RIGHTSIZE_KNOBS.map(([k, label]) => (
              <label key={k} title={label}>
                <input
                  type="checkbox"
                  data-testid={`rightsize-knob-${k}`}
                  checked={s.rsSearch.includes(k)}
                  onChange={(e) => planStore.set({ rsSearch: e.target.checked ? [...s.rsSearch, k] : s.rsSearch.filter((x) => x !== k) })}
                />
                {label}
              </label>
            ))}
          </fieldset>
          <label title="Largest replica or core count considered (default 64)">
            Max
            <input className="narrow" data-testid="rightsize-max" value={s.rsMaxValue} placeholder="64" onChange={(e) => planStore.set({ rsMaxValue: e.target.value })} />
          </label>
          {reps}
          {!running && (
            <button data-testid="rightsize-start" className="primary" disabled={invalid || !s.slo.trim() || !s.rsRate.trim() || s.rsSearch.length === 0} onClick={startRightsize}>
              Right-size
            </button>
          )}
          <Progress />
        </div>
      ) : (
        <div className="run-controls">
          {slo}
          {entry}
          <label title="Stop when the bracket is at most this wide relative to its low end">
            Precision
            <input className="narrow" data-testid="capacity-precision" value={s.precision} onChange={(e) => planStore.set({ precision: e.target.value })} />
          </label>
          {reps}
          {!running && (
            <button data-testid="capacity-start" className="primary" disabled={invalid || !s.slo.trim()} onClick={startCapacity}>
              Find capacity
            </button>
          )}
          <Progress />
        </div>
      )}
      {s.error && (
        <div className="error" data-testid="plan-error">
          {s.error}
        </div>
      )}
    </div>
  );
}

export function SweepView(props: { sweep: SweepResults }) {
  const sw = props.sweep;
  const entries = P.sweepEntries(sw);
  const [entry, setEntry] = useState(entries[0] ?? "");
  const e = entries.includes(entry) ? entry : (entries[0] ?? "");
  const curves = useMemo(() => P.sweepCurves(sw, e), [sw, e]);
  const mean = useMemo(() => P.sweepCurves(sw, e, "mean"), [sw, e]);
  const cost = useMemo(() => P.costVsP99(sw, e), [sw, e]);
  const x = sw.parameters[0] ?? "";
  return (
    <div className="results" data-testid="sweep-results">
      <div className="results-head">
        <label>
          Entry{" "}
          <select data-testid="sweep-entry" value={e} onChange={(ev) => setEntry(ev.target.value)}>
            {entries.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <span>
          {sw.points.length} of {sw.total_points} points · {sw.replications} replications each · seed {sw.seed} · knee rule{" "}
          {"factor" in sw.knee_rule ? `${sw.knee_rule.factor}× the first point's p99` : `p99 above ${(sw.knee_rule.above_s * 1e3).toFixed(0)} ms`}
        </span>
      </div>
      {sw.warnings.map((w, i) => (
        <div className="warning" key={i}>
          {w}
        </div>
      ))}
      <table className="table" data-testid="sweep-knees">
        <thead>
          <tr>
            <th>variant</th>
            <th>entry</th>
            <th>knee at {P.shortPath(x)}</th>
            <th>p99 there</th>
            <th>threshold</th>
          </tr>
        </thead>
        <tbody>
          {sw.knees.length === 0 && (
            <tr>
              <td colSpan={5}>no knee: every p99 curve stays below its threshold</td>
            </tr>
          )}
          {sw.knees.map((k, i) => (
            <tr key={i}>
              <td>{k.variant}</td>
              <td>{k.entry}</td>
              <td>{k.values[x]}</td>
              <td>{(k.p99_s * 1e3).toFixed(1)} ms</td>
              <td>{(k.threshold_s * 1e3).toFixed(1)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="chart-grid">
        <Chart title={`p99 latency vs ${P.shortPath(x)} — ${e} (95% band, knee marked)`} option={curves} testId="chart-sweep-p99" />
        <Chart title={`Mean latency vs ${P.shortPath(x)} — ${e} (95% band)`} option={mean} testId="chart-sweep-mean" />
        <Chart title={`Cost per month vs p99 — ${e}`} option={cost} testId="chart-sweep-cost" />
      </div>
    </div>
  );
}

const rate = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "∞" : x.toFixed(1));

export function CapacityView(props: { capacity: CapacityResults }) {
  const c = props.capacity;
  const option = useMemo(() => P.capacityChart(c), [c]);
  return (
    <div className="results" data-testid="capacity-results">
      <div className="results-head">
        <span>
          SLO <code>{c.slo}</code> · {c.entry ? `entry ${c.entry}` : "every entry scaled together"} · today {c.base_rate}/s ·{" "}
          {c.intervals === false || c.replications <= 1
            ? "one replication per evaluation: no interval, each clause checked on its single value"
            : `${c.replications} replications per evaluation, met with 95% confidence`}{" "}
          · stop at ±{+(100 * c.precision).toFixed(3)}%
        </span>
      </div>
      {c.warnings.map((w, i) => (
        <div className="warning" key={i}>
          {w}
        </div>
      ))}
      <table className="table" data-testid="capacity-table">
        <thead>
          <tr>
            <th>variant</th>
            <th>max rate</th>
            <th>bracket</th>
            <th>× today</th>
            <th>cost / month</th>
            <th>status</th>
            <th>evaluations</th>
          </tr>
        </thead>
        <tbody>
          {c.variants.map((v) => (
            <tr key={v.name}>
              <td>{v.name}</td>
              <td>
                <b>{rate(v.max_rate)}/s</b>
              </td>
              <td>
                [{rate(v.bracket[0])}, {rate(v.bracket[1] as number | null)}]
              </td>
              <td>{v.factor.toFixed(2)}</td>
              <td>{v.cost_per_month_usd === null || v.cost_per_month_usd === undefined ? "—" : `$${v.cost_per_month_usd.toFixed(0)}`}</td>
              <td data-testid={`capacity-status-${v.name}`} title={v.reason ?? undefined}>
                {P.statusText(v.status)}
                {v.reason && <div className="small">{v.reason}</div>}
              </td>
              <td className="small">{v.evaluations.map((e) => `${+e.rate.toPrecision(3)} ${e.verdict === "met" ? "✓" : "✗"}`).join(" · ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="chart-grid">
        <Chart title="Highest rate meeting the SLO, per variant (bracket of the boundary)" option={option} testId="chart-capacity" />
      </div>
    </div>
  );
}

const usd = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `$${x.toLocaleString("en-US", { maximumFractionDigits: 0 })}`);

/** The words of a right-sizing's status (as `archsim rightsize` prints them). */
export function rightsizeStatusText(status: RightsizeResults["variants"][number]["status"]): string {
  switch (status) {
    case "met":
      return "meets the SLO";
    case "not_met":
      return "not met (search stopped)";
    case "not_met_by_any_plan":
      return "no plan meets the SLO";
    case "overload_undetectable":
      return "overload undetectable";
  }
}

type Setting = RightsizeResults["variants"][number]["plan"][number];

const KNOB_TEXT: Record<Setting["knob"], [string, string]> = {
  replicas: ["unit", "replicas"],
  instance_cores: ["unit", "cores per instance"],
  cores: ["database", "cores"],
  memory_mb: ["function", "memory MB"],
  provisioned: ["function", "provisioned concurrency"],
  reserved_concurrency: ["function", "reserved concurrency"],
};

/** One changed setting: `unit catalog replicas 3 → 7` (`—`: not written, the default). */
export function settingText(p: Setting): string {
  const [kind, what] = KNOB_TEXT[p.knob];
  return `${kind} ${p.node} ${what} ${p.current ?? "—"} → ${p.value}`;
}

export function RightsizeView(props: { rightsize: RightsizeResults }) {
  const r = props.rightsize;
  return (
    <div className="results" data-testid="rightsize-results">
      <div className="results-head">
        <span>
          SLO <code>{r.slo}</code> at {r.rate}/s {r.entry ? `of entry ${r.entry}` : "(every entry scaled together)"} · minimizing{" "}
          {r.objective === "cores" ? "cores" : "cost per month"} · searching {(r.search ?? []).join(", ")} ·{" "}
          {r.replications <= 1 ? "one replication per plan: no interval" : `${r.replications} replications per plan, met with 95% confidence`} · seed {r.seed}
        </span>
      </div>
      {r.warnings.map((w, i) => (
        <div className="warning" key={i}>
          {w}
        </div>
      ))}
      <table className="table" data-testid="rightsize-table">
        <thead>
          <tr>
            <th>variant</th>
            <th>status</th>
            <th>plan (as written → plan)</th>
            <th>cost / month</th>
            <th>cores</th>
            <th>plans simulated</th>
          </tr>
        </thead>
        <tbody>
          {r.variants.map((v) => {
            const changed = v.plan.filter((p) => p.value !== p.current);
            return (
              <tr key={v.name} data-testid={`rightsize-row-${v.name}`}>
                <td>{v.name}</td>
                <td title={v.reason ?? undefined}>
                  {v.met ? "✓ " : "✗ "}
                  {rightsizeStatusText(v.status)}
                  {v.reason && <div className="small">{v.reason}</div>}
                </td>
                <td className="small">{changed.length === 0 ? "as written" : changed.map(settingText).join(" · ")}</td>
                <td>
                  <b>{usd(v.cost_per_month_usd)}</b> <span className="small">(as written {usd(v.current_cost_per_month_usd)})</span>
                </td>
                <td>
                  {+v.cores.toFixed(2)} <span className="small">(as written {+v.current_cores.toFixed(2)})</span>
                </td>
                <td>{v.evaluations}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
