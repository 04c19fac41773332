// One ECharts chart, with PNG and SVG export. `testId` lets end-to-end tests find it; the
// canvas gets `data-rendered="true"` once ECharts has drawn it.
import { useEffect, useRef, useState } from "react";
import * as echarts from "echarts";
import type { EChartsOption } from "echarts";

function download(name: string, href: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function exportSvg(option: EChartsOption, width: number, height: number): string {
  const c = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  c.setOption(option);
  const svg = c.renderToSVGString();
  c.dispose();
  return svg;
}

export function Chart(props: { title: string; option: EChartsOption; testId: string; height?: number; highlight?: boolean }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const [rendered, setRendered] = useState(false);
  const height = props.height ?? 320;

  useEffect(() => {
    if (!el.current) return;
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
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  const file = props.testId.replace(/^chart-/, "");
  return (
    <section className={`chart${props.highlight ? " highlight" : ""}`} data-testid={props.testId}>
      <header>
        <h3>{props.title}</h3>
        <span className="spacer" />
        <button
          className="small"
          onClick={() => chart.current && download(`${file}.png`, chart.current.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" }))}
        >
          PNG
        </button>
        <button
          className="small"
          onClick={() => {
            const w = el.current?.clientWidth ?? 800;
            const svg = exportSvg(props.option, w, height);
            download(`${file}.svg`, URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" })));
          }}
        >
          SVG
        </button>
      </header>
      <div ref={el} className="chart-body" style={{ height }} data-rendered={rendered ? "true" : "false"} />
    </section>
  );
}
