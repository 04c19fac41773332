// One ECharts chart, with PNG and SVG export through a Save dialog. `testId` lets end-to-end
// tests find it; the canvas gets `data-rendered="true"` once ECharts has drawn it. A chart
// with nothing to draw is a sentence instead (`empty`).
import { useEffect, useMemo, useRef, useState } from "react";
import * as echarts from "echarts";
import type { EChartsOption } from "echarts";
import { backend } from "../api";
import { exportBase, exportTo } from "../stores/files";
import { finish, isEmpty } from "../features/results/format";

export function exportSvg(option: EChartsOption, width: number, height: number): string {
  const c = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  c.setOption(option);
  const svg = c.renderToSVGString();
  c.dispose();
  return svg;
}

export function Chart(props: { title: string; option: EChartsOption; testId: string; height?: number; highlight?: boolean; empty?: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [rendered, setRendered] = useState(false);
  const height = props.height ?? 320;
  const option = useMemo(() => finish(props.option), [props.option]);
  const empty = useMemo(() => isEmpty(props.option), [props.option]);

  useEffect(() => {
    if (!el.current || empty) return;
    const c = echarts.init(el.current, null, { renderer: "canvas" });
    chart.current = c;
    c.on("finished", () => setRendered(true));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [empty]);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option, empty]);

  const file = `${exportBase()}-${props.testId.replace(/^chart-/, "")}`;
  const png = () =>
    chart.current &&
    exportTo("PNG image", { title: "Export the chart as PNG", default_name: `${file}.png`, filters: [{ name: "PNG image", extensions: ["png"] }] }, (path) => {
      const url = chart.current!.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
      return backend().exportFile(path, url.slice(url.indexOf(",") + 1), true);
    });
  const svg = () =>
    exportTo("SVG image", { title: "Export the chart as SVG", default_name: `${file}.svg`, filters: [{ name: "SVG image", extensions: ["svg"] }] }, (path) =>
      backend().exportFile(path, exportSvg(option, el.current?.clientWidth ?? 800, height), false),
    );
  return (
    <section className={`chart${props.highlight ? " highlight" : ""}`} data-testid={props.testId}>
      <header>
        <h3>{props.title}</h3>
        <span className="spacer" />
        {!empty && (
          <>
            <button className="small" data-testid="export-png" onClick={png}>
              PNG
            </button>
            <button className="small" data-testid="export-svg" onClick={svg}>
              SVG
            </button>
          </>
        )}
      </header>
      {empty ? (
        <p className="chart-empty" data-testid="chart-empty">
          {props.empty ?? "Nothing to draw: this run has no values for this chart."}
        </p>
      ) : (
        <div ref={el} className="chart-body" style={{ height }} data-rendered={rendered ? "true" : "false"} />
      )}
    </section>
  );
}
