// The self-contained HTML report of `archsim report results.json -o report.html`: the same
// chart code as the app (src/features/results/charts.ts), rendered with ECharts' SVG renderer
// into a page that embeds the results. Built into one script by `npm run build:report`
// (vite.report.config.ts) and committed as src/report/assets/report.js, which the CLI
// embeds, so building the CLI needs no Node.
import * as echarts from "echarts/core";
import { BarChart, CustomChart, LineChart, ScatterChart } from "echarts/charts";
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import { SVGRenderer } from "echarts/renderers";
import type { EChartsOption } from "echarts";
import type { Results } from "../src/api/types";
import * as C from "../src/features/results/charts";

echarts.use([BarChart, CustomChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

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
}

function render(r: Results) {
  const root = document.getElementById("report") ?? document.body;
  root.appendChild(el("h1", `archsim report — ${r.scenario}`));
  root.appendChild(
    el("p", `${r.variants.map((v) => v.name).join(" vs ")} · ${r.replications} replications · seed ${r.seed} · self-check ${r.self_check.ok ? "ok" : "FAILED"}`),
  );
  for (const w of r.warnings) root.appendChild(el("p", w, "warning"));
  const grid = el("div", undefined, "grid");
  root.appendChild(grid);
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
}

const data = document.getElementById("results-data")?.textContent;
if (data) render(JSON.parse(data) as Results);
