// The Traces page: name trace files (and optionally measured CPU utilization and deployment
// manifests), discover a model from them — it opens in the editor as a new, unsaved scenario
// whose graph the Model page draws — read the discovery report, calibrate the model being
// edited against the same traces, compare measured and simulated latency distributions, and
// use the calibrated model (one undoable step).
import { useStore } from "../../stores/store";
import { scenarioStore } from "../../stores/scenario";
import {
  addDeployment,
  addTraceFile,
  applyCalibrated,
  calibrate,
  calibrationState,
  clearUtilization,
  discover,
  pickUtilization,
  removeDeployment,
  removeTraceFile,
  setFit,
  telemetryStore,
  type Fit,
} from "../../stores/telemetry";
import { Chart } from "../../components/Chart";
import { backend } from "../../api";
import { exportTo } from "../../stores/files";
import type { CalibrateOutcome, DiscoverOutcome } from "../../api";
import { cdfChart, discoveryFacts, movedParameters, ms, pairedRows, pct } from "./telemetry";

const FITS: [Fit, string][] = [
  ["auto", "auto (log-normal or gamma, empirical when both fail the KS test)"],
  ["lognormal", "log-normal"],
  ["gamma", "gamma"],
  ["empirical", "empirical (the samples' quantiles)"],
];

function FileList(props: { files: string[]; testId: string; onRemove: (p: string) => void; none: string }) {
  if (props.files.length === 0) return <div className="muted">{props.none}</div>;
  return (
    <ul className="file-list" data-testid={props.testId}>
      {props.files.map((f) => (
        <li key={f}>
          <code>{f}</code>{" "}
          <button className="small" aria-label={`remove ${f}`} onClick={() => props.onRemove(f)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Exports a report as the CLI's JSON (`discover --report-json`, `calibrate --json`) through
 * the Save dialog. */
function ExportJson(props: { what: string; name: string; doc: unknown; testId: string }) {
  const save = () =>
    exportTo(`The ${props.what} (JSON)`, { title: `Export the ${props.what} as JSON`, default_name: props.name, filters: [{ name: "JSON", extensions: ["json"] }] }, (path) =>
      backend().exportFile(path, JSON.stringify(props.doc, null, 2), false),
    );
  return (
    <button className="small" data-testid={props.testId} onClick={() => void save()}>
      {props.what} (JSON)…
    </button>
  );
}

/** The report as the CLI prints it, folded. */
function FullReport(props: { command: string; text: string }) {
  return (
    <details>
      <summary>
        The full report (as <code>archsim {props.command}</code> prints it)
      </summary>
      <pre className="report-text">{props.text}</pre>
    </details>
  );
}

function DiscoveryReport(props: { out: DiscoverOutcome; onShowModel: () => void }) {
  const r = props.out.report;
  return (
    <section className="run-panel telemetry-section" data-testid="discovery-report">
      <h2 className="section-title">Discovered model</h2>
      <table className="table" data-testid="discovery-facts">
        <tbody>
          {discoveryFacts(r).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="calibration-actions">
        <button className="primary" data-testid="show-discovered-graph" onClick={props.onShowModel}>
          Show the graph
        </button>
        <ExportJson what="discovery report" name="discovery.json" doc={r} testId="export-discovery-json" />
      </div>
      <h3 className="section-title">Operations</h3>
      <table className="table" data-testid="discovered-operations">
        <thead>
          <tr>
            <th>operation</th>
            <th>calls</th>
            <th>own time (mean)</th>
            <th>cv</th>
            <th>CPU demand written</th>
            <th>by the demand law</th>
            <th>errors</th>
            <th>merged from</th>
          </tr>
        </thead>
        <tbody>
          {r.operations.map((o) => (
            <tr key={o.op}>
              <td>{o.op}</td>
              <td>{o.invocations}</td>
              <td>{ms(o.own_time.mean)}</td>
              <td>{o.own_time.cv.toFixed(2)}</td>
              <td>{ms(o.demand_s)}</td>
              <td>{o.demand_from_utilization_s === null || o.demand_from_utilization_s === undefined ? "—" : ms(o.demand_from_utilization_s)}</td>
              <td>{o.error_ratio > 0 ? `${(o.error_ratio * 100).toFixed(2)}%` : "—"}</td>
              <td>{o.merged_from.join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.calls.length > 0 && (
        <>
          <h3 className="section-title">Calls</h3>
          <table className="table" data-testid="discovered-calls">
            <thead>
              <tr>
                <th>from</th>
                <th>to</th>
                <th>probability</th>
                <th>mean count</th>
                <th>parallel group</th>
              </tr>
            </thead>
            <tbody>
              {r.calls.map((c) => (
                <tr key={`${c.from}->${c.to}`}>
                  <td>{c.from}</td>
                  <td>{c.to}</td>
                  <td>{c.p.toFixed(4)}</td>
                  <td>{c.mean_count.toFixed(3)}</td>
                  <td>{c.parallel_group ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {[...r.warnings, ...r.assumptions].length > 0 && (
        <ul className="telemetry-notes" data-testid="discovery-notes">
          {r.warnings.map((w) => (
            <li key={w} className="warning">
              {w}
            </li>
          ))}
          {r.assumptions.map((w) => (
            <li key={w}>{w}</li>
          ))}
          {r.unmapped.map((u) => (
            <li key={u.what}>
              not mapped: {u.what} ({u.spans} spans)
            </li>
          ))}
        </ul>
      )}
      <FullReport command="discover" text={props.out.report_text} />
    </section>
  );
}

function CalibrationView(props: { out: CalibrateOutcome; state: ReturnType<typeof calibrationState> }) {
  const r = props.out.report;
  const moved = movedParameters(r);
  return (
    <div data-testid="calibration-result">
      <p data-testid="calibration-objective">
        Mean relative error of the means J: <b>{r.objective_before.toFixed(4)}</b> as given → <b>{r.objective_after.toFixed(4)}</b> calibrated (round{" "}
        {r.best_round} of {Math.max(0, r.rounds.length - 1)} kept; {r.replications} replications per round, seed {r.seed}, variant {r.variant}).{" "}
        {r.load.map((l) => `${l.entry}: Poisson ${+l.rate_per_s.toPrecision(4)}/s observed (${l.requests} requests)`).join("; ")}
      </p>
      <div className="calibration-actions">
        {props.state === "applied" ? (
          <span data-testid="calibration-applied">The calibrated model is the one edited now (Undo on the Model page brings the previous one back).</span>
        ) : (
          <button className="primary" data-testid="apply-calibration" disabled={props.state !== "applicable"} onClick={() => applyCalibrated()}>
            Use the calibrated model
          </button>
        )}
        {props.state === "stale" && <span className="hint">The model changed since it was calibrated: calibrate again.</span>}
        <ExportJson what="calibration report" name="calibration.json" doc={r} testId="export-calibration-json" />
      </div>
      <div className="chart-grid">
        {r.cdfs.map((c) => (
          <Chart
            key={c.entry}
            title={`${c.entry}: latency, measured against simulated`}
            option={cdfChart(c)}
            testId={`chart-calibration-cdf-${c.entry}`}
            empty="No simulated latencies: the entry completed no request in the simulation."
          />
        ))}
      </div>
      <h3 className="section-title">Parameters moved ({moved.length})</h3>
      {moved.length === 0 ? (
        <p className="hint">None: the model as given matches the traces best.</p>
      ) : (
        <table className="table" data-testid="calibration-changes">
          <thead>
            <tr>
              <th>parameter</th>
              <th>mean before</th>
              <th>after</th>
              <th>factor</th>
            </tr>
          </thead>
          <tbody>
            {moved.map((c) => (
              <tr key={c.parameter}>
                <td>
                  <code>{c.parameter}</code>
                </td>
                <td>{ms(c.before_mean_s)}</td>
                <td>{ms(c.after_mean_s)}</td>
                <td>{c.factor === null || c.factor === undefined || !Number.isFinite(c.factor) ? "set" : `×${c.factor.toFixed(3)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 className="section-title">Simulated against observed</h3>
      <table className="table" data-testid="calibration-rows">
        <thead>
          <tr>
            <th>kind</th>
            <th>name</th>
            <th>observed mean</th>
            <th>observed p99</th>
            <th>as given</th>
            <th>error</th>
            <th>KS</th>
            <th>calibrated</th>
            <th>error</th>
            <th>KS</th>
          </tr>
        </thead>
        <tbody>
          {pairedRows(r).map((x) => (
            <tr key={`${x.kind}/${x.name}`}>
              <td>{x.kind}</td>
              <td>{x.name}</td>
              <td>{ms(x.observedMean)}</td>
              <td>{ms(x.observedP99)}</td>
              <td>{ms(x.beforeMean)}</td>
              <td>{pct(x.beforeError)}</td>
              <td>{x.beforeKs.toFixed(3)}</td>
              <td>{ms(x.afterMean)}</td>
              <td>{pct(x.afterError)}</td>
              <td>{x.afterKs.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {r.warnings.length > 0 && (
        <ul className="telemetry-notes" data-testid="calibration-warnings">
          {r.warnings.map((w) => (
            <li key={w} className="warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <FullReport command="calibrate" text={props.out.report_text} />
    </div>
  );
}

export function TelemetryView(props: { onShowModel: () => void; onDiscovered: () => void }) {
  const st = useStore(telemetryStore, (s) => s);
  const analysis = useStore(scenarioStore, (s) => s.analysis);
  // re-render when the edited text changes (whether the calibration still applies)
  const calState = useStore(scenarioStore, () => calibrationState());
  const busy = st.status !== "idle";
  return (
    <div className="run-page telemetry-page" data-testid="telemetry-page">
      <section className="run-panel telemetry-section">
        <h2 className="section-title">A model from traces</h2>
        <p className="hint">
          Distributed traces (OTLP JSON from the OpenTelemetry Collector's file exporter, Jaeger JSON or Zipkin v2 JSON) give the services, operations,
          calls, database operations, times and arrival rates; measured CPU utilization gives the CPU demands by the service demand law; a Kubernetes or
          docker-compose manifest gives replicas, cores and memory. See docs/discover.md.
        </p>
        <div className="telemetry-files">
          <div>
            <b>Trace files</b>
            <FileList files={st.traces} testId="trace-files" onRemove={removeTraceFile} none="none yet" />
            <button className="small" data-testid="add-trace-file" onClick={() => void addTraceFile()} disabled={busy}>
              Add a trace file…
            </button>
          </div>
          <div>
            <b>CPU utilization</b> <span className="muted">(optional)</span>
            <FileList files={st.utilization ? [st.utilization] : []} testId="utilization-file" onRemove={clearUtilization} none="none: demands are the spans' own times" />
            <button className="small" data-testid="pick-utilization" onClick={() => void pickUtilization()} disabled={busy}>
              Choose…
            </button>
          </div>
          <div>
            <b>Deployment manifests</b> <span className="muted">(optional)</span>
            <FileList files={st.deployment} testId="deployment-files" onRemove={removeDeployment} none="none: replicas from the instances seen, 1 core each" />
            <button className="small" data-testid="add-deployment" onClick={() => void addDeployment()} disabled={busy}>
              Add…
            </button>
          </div>
        </div>
        <div className="run-controls">
          <label>
            times fitted as{" "}
            <select data-testid="discover-fit" value={st.fit} onChange={(e) => setFit(e.target.value as Fit)}>
              {FITS.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <button className="primary" data-testid="discover-model" onClick={() => void discover().then((ok) => ok && props.onDiscovered())} disabled={busy || st.traces.length === 0}>
            {st.status === "discovering" ? "Discovering…" : "Discover the model"}
          </button>
        </div>
        {st.error && (
          <div className="error" data-testid="telemetry-error">
            {st.error}
          </div>
        )}
      </section>
      {st.discovery && <DiscoveryReport out={st.discovery} onShowModel={props.onShowModel} />}
      <section className="run-panel telemetry-section" data-testid="calibration-panel">
        <h2 className="section-title">Calibrate against the traces</h2>
        <p className="hint">
          Runs {analysis ? <code>{analysis.file_name}</code> : "the model being edited"} at the load the traces show, compares it with them per entry and
          per operation, and moves the CPU demands, database times and network latency until the simulated means match the observed ones.
        </p>
        <button
          className="primary"
          data-testid="calibrate-model"
          onClick={() => void calibrate()}
          disabled={busy || !analysis || analysis.diagnostics.length > 0 || st.traces.length === 0}
          title={!analysis ? "open or discover a model first" : st.traces.length === 0 ? "add the trace files first" : ""}
        >
          {st.status === "calibrating" ? "Calibrating…" : "Calibrate"}
        </button>
        {st.calibration && <CalibrationView out={st.calibration} state={calState} />}
      </section>
    </div>
  );
}
