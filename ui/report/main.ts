// The self-contained HTML report of `archsim report results.json -o report.html`: the same
// chart code as the app (src/features/results/charts.ts), rendered with ECharts' SVG renderer
// into a page that embeds the results. Built into one script by `npm run build:report`
// (vite.report.config.ts) and committed as src/report/assets/report.js, which the CLI
// embeds, so building the CLI needs no Node.
import * as echarts from "echarts/core";
import { BarChart, CustomChart, GraphChart, HeatmapChart, LineChart, ScatterChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { EChartsOption } from "echarts";
import type { CapacityResults, Results, SweepResults } from "../src/api/types";
import * as C from "../src/features/results/charts";
import * as A from "../src/features/results/anatomy";
import { logicTables } from "../src/features/results/logic";
import * as P from "../src/features/plan/planCharts";

echarts.use([
  BarChart,
  CustomChart,
  GraphChart,
  HeatmapChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function chart(parent: HTMLElement, title: string, option: EChartsOption, id: string) {
  const sec = el("section", undefined, "chart");
  sec.dataset.testid = id;
  sec.appendChild(el("h3", title));
  const body = el("div", undefined, "chart-body");
  sec.appendChild(body);
  parent.appendChild(sec);
  const c = echarts.init(body, null, { renderer: "svg", width: 620, height: 320 });
  c.setOption(option);
  return { sec, chart: c };
}

function table(parent: HTMLElement, head: string[], rows: string[][], id: string) {
  const t = el("table");
  t.dataset.testid = id;
  const tr = el("tr");
  for (const h of head) tr.appendChild(el("th", h));
  t.appendChild(tr);
  for (const r of rows) {
    const row = el("tr");
    for (const c of r) row.appendChild(el("td", c));
    t.appendChild(row);
  }
  parent.appendChild(t);
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

/** Failure propagation of every variant with failures: heat map, replay with a window slider,
 * the blast radius of every fault. */
function failures(root: HTMLElement, r: Results) {
  r.variants.forEach((v, vi) => {
    const res = v.resilience;
    if (!Object.keys(res.failure_origins).length && !res.blast_radius.length) return;
    root.appendChild(el("h2", `Failure propagation — ${v.name} (availability ${pct(v.availability.mean)})`));
    const grid = el("div", undefined, "grid");
    root.appendChild(grid);
    chart(grid, "Where failures began × the entry that failed", C.failureHeatmap(r, vi), `chart-failure-matrix-${v.name}`);
    const windows = v.series.t_s.length;
    const peak = C.peakWindow(v);
    const { sec, chart: c } = chart(grid, "Failure replay (failures/s per window)", C.failureReplay(r, vi, peak), `chart-failure-replay-${v.name}`);
    if (windows > 1) {
      const slider = el("input");
      slider.type = "range";
      slider.min = "0";
      slider.max = String(windows - 1);
      slider.value = String(peak);
      slider.style.width = "600px";
      slider.oninput = () => c.setOption(C.failureReplay(r, vi, Number(slider.value)), { notMerge: true });
      sec.appendChild(slider);
    }
    if (res.blast_radius.length)
      table(
        root,
        ["fault", "kind", "entry", "degraded", "availability before → lowest", "p99 before → highest", "degraded for [s]", "recovered after [s]"],
        res.blast_radius.flatMap((b) =>
          Object.entries(b.entries).map(([e, x]) => [
            b.fault,
            b.kind,
            e,
            x.degraded ? "yes" : "no",
            `${pct(x.availability_baseline)} → ${pct(x.availability_min)}`,
            `${(x.p99_baseline_s * 1e3).toFixed(1)} → ${(x.p99_max_s * 1e3).toFixed(1)} ms`,
            x.degraded_s.toFixed(1),
            x.recovered_after_s === null || x.recovered_after_s === undefined ? "—" : x.recovered_after_s.toFixed(1),
          ]),
        ),
        `blast-radius-${v.name}`,
      );
    if (res.breaker_changes.length)
      table(
        root,
        ["t [s] (replication 0)", "call edge", "from", "to"],
        res.breaker_changes.slice(0, 200).map((b) => [b.t_s.toFixed(3), b.edge, b.from, b.to]),
        `breaker-changes-${v.name}`,
      );
  });
}

function renderSweep(s: SweepResults) {
  const root = document.getElementById("report") ?? document.body;
  root.appendChild(el("h1", `archsim sweep — ${s.scenario}`));
  root.appendChild(el("p", `${s.parameters.join(" × ")} · ${s.points.length} of ${s.total_points} points · ${s.replications} replications · seed ${s.seed}`));
  for (const w of s.warnings) root.appendChild(el("p", w, "warning"));
  const x = s.parameters[0] ?? "";
  table(
    root,
    ["variant", "entry", `knee at ${x}`, "p99 there", "threshold"],
    s.knees.map((k) => [k.variant, k.entry, String(k.values[x]), `${(k.p99_s * 1e3).toFixed(1)} ms`, `${(k.threshold_s * 1e3).toFixed(1)} ms`]),
    "sweep-knees",
  );
  const grid = el("div", undefined, "grid");
  root.appendChild(grid);
  for (const e of P.sweepEntries(s)) {
    chart(grid, `p99 latency vs ${P.shortPath(x)} — ${e}`, P.sweepCurves(s, e), `chart-sweep-p99-${e}`);
    chart(grid, `Cost per month vs p99 — ${e}`, P.costVsP99(s, e), `chart-sweep-cost-${e}`);
  }
}

function renderCapacity(c: CapacityResults) {
  const root = document.getElementById("report") ?? document.body;
  root.appendChild(el("h1", `archsim capacity — ${c.scenario}`));
  root.appendChild(el("p", `SLO ${c.slo} · ${c.entry ? `entry ${c.entry}` : "every entry scaled together"} · today ${c.base_rate}/s · ${c.replications} replications`));
  for (const w of c.warnings) root.appendChild(el("p", w, "warning"));
  const hi = (h: number | null) => (h === null || !Number.isFinite(h) ? "∞" : h.toFixed(1));
  table(
    root,
    ["variant", "max rate [1/s]", "bracket", "× today", "cost / month", "status"],
    c.variants.map((v) => [
      v.name,
      v.max_rate.toFixed(1),
      `[${v.bracket[0].toFixed(1)}, ${hi(v.bracket[1] as number | null)}]`,
      v.factor.toFixed(2),
      v.cost_per_month_usd === null || v.cost_per_month_usd === undefined ? "—" : `$${v.cost_per_month_usd.toFixed(0)}`,
      v.status,
    ]),
    "capacity-table",
  );
  const grid = el("div", undefined, "grid");
  root.appendChild(grid);
  chart(grid, "Highest rate meeting the SLO (bracket of the boundary)", P.capacityChart(c), "chart-capacity");
}

function render(r: Results) {
  const root = document.getElementById("report") ?? document.body;
  root.appendChild(el("h1", `archsim report — ${r.scenario}`));
  root.appendChild(
    el("p", `${r.variants.map((v) => v.name).join(" vs ")} · ${r.replications} replications · seed ${r.seed} · self-check ${r.self_check.ok ? "ok" : "FAILED"}`),
  );
  for (const w of r.warnings) root.appendChild(el("p", w, "warning"));
  const verdict = A.verdictParagraphs(r);
  if (verdict.length) {
    root.appendChild(el("h2", "Verdict"));
    for (const v of verdict) root.appendChild(el("p", `${v.variant}: ${v.text}`, "verdict"));
  }
  const grid = el("div", undefined, "grid");
  root.appendChild(grid);
  for (const e of C.entryNames(r))
    if (A.hasAnatomy(r, e)) chart(grid, `Latency anatomy — ${e} (mean per successful request)`, A.anatomyChart(r, e), `chart-anatomy-${e}`);
  if (r.comparisons.length) chart(grid, "Paired differences against the first variant (95% CI)", C.pairedDifferences(r), "chart-comparison");
  for (const e of C.entryNames(r)) {
    chart(grid, `Latency CDF — ${e}`, C.latencyCdf(r, e), `chart-cdf-${e}`);
    chart(grid, `Latency percentiles — ${e} (95% CI)`, C.percentiles(r, e), `chart-percentiles-${e}`);
    chart(grid, `p99 latency over time — ${e}`, C.overTime(r, e, "p99_s"), `chart-p99-time-${e}`);
    chart(grid, `Throughput over time — ${e}`, C.overTime(r, e, "throughput_per_s"), `chart-throughput-time-${e}`);
  }
  chart(grid, "Utilization per unit (95% CI)", C.utilization(r), "chart-utilization");
  chart(grid, "Queue length per unit (95% CI)", C.queueLength(r), "chart-queue");
  chart(grid, "Memory provisioned (95% CI)", C.memory(r), "chart-memory");
  const f = C.failures(r);
  if (f) chart(grid, "Failed requests by reason", f, "chart-failures");
  if (C.hasCost(r)) {
    chart(grid, "Cost per month by node (95% CI of the total)", C.costByNode(r), "chart-cost");
    chart(grid, "Cost per million requests (95% CI)", C.costPerMillion(r), "chart-cost-per-million");
  }
  chart(grid, "Instances over time", C.instancesOverTime(r), "chart-instances");
  const fn = C.functions(r);
  if (fn) {
    chart(grid, "Serverless functions: cold starts, throttles (95% CI), concurrency", fn, "chart-functions");
    table(
      root,
      ["serverless unit", "invocations", "cold starts", "throttles", "concurrency mean / peak", "GB-s billed"],
      C.functionNodes(r).map(({ label, f: x }) => [
        label,
        x.invocations.mean.toFixed(0),
        `${x.cold_starts.mean.toFixed(1)} (${pct(x.cold_start_fraction.mean)})`,
        x.throttles.mean.toFixed(1),
        `${x.mean_concurrency.mean.toFixed(2)} / ${x.peak_concurrency.mean.toFixed(1)}`,
        x.gb_s_billed.mean.toFixed(1),
      ]),
      "functions-table",
    );
  }
  // workflows, transactions and locks: the tables of the app's run view
  for (const t of logicTables(r)) {
    root.appendChild(el("h2", t.title));
    table(root, t.head, t.rows, t.testId);
  }
  components(root, r);
  if (C.hasFailures(r)) failures(root, r);
}

const ci = (s: { mean: number; ci95_low: number; ci95_high: number }, d: number, scale = 1) =>
  `${(s.mean * scale).toFixed(d)} [${(s.ci95_low * scale).toFixed(d)}, ${(s.ci95_high * scale).toFixed(d)}]`;

/** Front-door components and caches, connection pools, worker saturation, autoscaling and the
 * blast radius of random faults (each only when some variant has it). */
function components(root: HTMLElement, r: Results) {
  const grid = el("div", undefined, "grid");
  if (C.hasComponents(r)) {
    if (r.variants.some((v) => Object.keys(v.components ?? {}).length)) {
      chart(grid, "Components: throughput (95% CI)", C.components(r, (c) => c.throughput_per_s, "requests/s"), "chart-components");
      chart(grid, "Components: rejected, rate-limited included (95% CI)", C.components(r, (c) => c.rejected, "requests"), "chart-components-rejected");
    }
    if (r.variants.some((v) => Object.keys(v.caches ?? {}).length)) chart(grid, "Cache hit ratio (95% CI)", C.cacheHitRatios(r), "chart-cache-hits");
  }
  const pools = C.poolNodes(r);
  if (pools.length) {
    chart(grid, "Pool saturation: connections in use / size (95% CI)", C.poolSaturation(r), "chart-pool-saturation");
    chart(grid, "Mean wait for a connection (95% CI)", C.poolWait(r), "chart-pool-wait");
  }
  if (C.hasWorkerSaturation(r)) chart(grid, "Worker saturation per unit (95% CI)", C.workerSaturation(r), "chart-worker-saturation");
  const scaling = C.autoscaling(r);
  if (scaling) chart(grid, "Autoscaling: instances ready (solid) and starting (dashed)", scaling, "chart-autoscaling");
  const random = C.randomBlastRows(r);
  if (!grid.childElementCount && !random.length) return;
  root.appendChild(el("h2", "Components"));
  root.appendChild(grid);
  const rows = C.componentRows(r);
  if (rows.length)
    table(
      root,
      ["variant", "component", "kind", "throughput [/s]", "utilization", "rejected", "lookups", "hit ratio"],
      rows.map((x) => [
        x.variant,
        x.name,
        x.kind,
        x.c ? ci(x.c.throughput_per_s, 1) : "—",
        x.c ? ci(x.c.utilization, 3) : "—",
        x.c ? ci(x.c.rejected, 0) : "—",
        x.cache ? x.cache.lookups.mean.toFixed(0) : "—",
        x.cache ? ci(x.cache.hit_ratio, 3) : "—",
      ]),
      "components-table",
    );
  if (pools.length)
    table(
      root,
      ["unit", "size", "in use", "saturation", "waiting", "acquires", "mean wait [ms]", "timeouts"],
      pools.map(({ label, pool }) => [label, String(pool.size), ci(pool.in_use, 2), ci(pool.saturation, 3), ci(pool.waiting, 2), pool.acquires.mean.toFixed(0), ci(pool.wait_mean_s, 1, 1e3), ci(pool.timeouts, 1)]),
      "pools-table",
    );
  if (scaling)
    table(
      root,
      ["autoscaled unit", "instances min", "mean", "max", "scaling events"],
      C.autoscaledNodes(r).map(({ label, a }) => [label, ci(a.instances_min, 1), ci(a.instances_mean, 2), ci(a.instances_max, 1), ci(a.scaling_events, 1)]),
      "autoscaling-table",
    );
  if (random.length)
    table(
      root,
      ["variant", "random fault", "episodes", "time degraded", "entry", "affected", "failed during", "failures/s during → outside"],
      random.map((x) => [
        x.variant,
        x.fault,
        ci(x.episodes, 1),
        pct(x.degradedFraction.mean),
        x.entry,
        x.affected ? "yes" : "no",
        ci(x.during, 1),
        `${x.rateDuring.mean.toFixed(2)} → ${x.rateOutside.mean.toFixed(2)}`,
      ]),
      "random-blast-radius",
    );
}

// The embedded document: the results of `run`, or of `sweep` (it has `knee_rule`) or
// `capacity` (it has `base_rate`).
const data = document.getElementById("results-data")?.textContent;
if (data) {
  const doc = JSON.parse(data) as Record<string, unknown>;
  if ("knee_rule" in doc) renderSweep(doc as unknown as SweepResults);
  else if ("base_rate" in doc) renderCapacity(doc as unknown as CapacityResults);
  else render(doc as unknown as Results);
}
