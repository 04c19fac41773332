import { describe, expect, it } from "vitest";
import mock from "../../api/mock-data.json";
import type { Results } from "../../api/types";
import * as C from "./charts";
import { finish, fmtNum, isEmpty, setVariantOrder, tooltipLine, unitOf, withReadableTooltips, withVariantColors } from "./format";
import { summaryRows, withCi } from "./summary";

type Rec = { runs: Record<string, { outcome: { results: Results } }> };
const shop = (mock as unknown as Rec).runs["scenarios/online-shop.toml"].outcome.results;

describe("readable numbers", () => {
  it("rounds to 4 significant digits, with separators and exponents only at the extremes", () => {
    expect(fmtNum(1.5460214597031212)).toBe("1.546");
    expect(fmtNum(0.000123456)).toBe("0.0001235");
    expect(fmtNum(12345.678)).toBe("12,346");
    expect(fmtNum(2.5e-7)).toBe("2.50e-7");
    expect(fmtNum(0)).toBe("0");
    expect(fmtNum(null)).toBe("—");
    expect(unitOf("latency [ms]")).toBe("ms");
    expect(unitOf("fraction ≤ x")).toBe("");
  });

  it("shows a 95% interval as both its ends, with the unit", () => {
    const line = tooltipLine({ seriesType: "custom", seriesName: "monolith 95% CI", value: [0.25, 12.3456789, 14.000001], marker: "" }, "ms");
    expect(line).toBe("monolith 95% CI: 12.35 – 14 ms");
    expect(tooltipLine({ seriesType: "bar", seriesName: "monolith", value: 1.5460214597031212, marker: "" }, "ms")).toBe("monolith: 1.546 ms");
  });

  it("formats every tooltip of the percentiles chart: rounded values, both ends, the unit", () => {
    const o = withReadableTooltips(C.percentiles(shop, "browse"));
    const f = (o.tooltip as { formatter: (p: unknown) => string }).formatter;
    const lat = shop.variants[0].entries.browse.latency_s.p99;
    const text = f([
      { axisValueLabel: "p99", seriesType: "bar", seriesName: "monolith", value: lat.mean * 1e3, marker: "" },
      { axisValueLabel: "p99", seriesType: "custom", seriesName: "monolith 95% CI", value: [4.1, lat.ci95_low * 1e3, lat.ci95_high * 1e3], marker: "" },
    ]);
    expect(text).toBe(`p99<br/>monolith: ${fmtNum(lat.mean * 1e3)} ms<br/>monolith 95% CI: ${fmtNum(lat.ci95_low * 1e3)} – ${fmtNum(lat.ci95_high * 1e3)} ms`);
    expect(text).not.toMatch(/\d\.\d{5,}/);
  });

  it("keeps a chart's own tooltip formatter", () => {
    const o = C.failureHeatmap(shop, 0);
    expect(withReadableTooltips(o).tooltip).toBe(o.tooltip);
  });
});

describe("variant colours", () => {
  it("gives a variant the colour of its place in the scenario, whatever order its series come in", () => {
    setVariantOrder(["monolith", "microservices"]);
    const o = withVariantColors({ series: [{ type: "scatter", name: "microservices", data: [1] }, { type: "scatter", name: "monolith", data: [2] }] });
    const s = o.series as { color: string }[];
    expect(s[0].color).toBe(C.PALETTE[1]);
    expect(s[1].color).toBe(C.PALETTE[0]);
    // the CDF's lines too, through finish()
    const cdf = finish(C.latencyCdf(shop, "browse")).series as { name: string; lineStyle: { color: string } }[];
    expect(cdf.map((x) => x.lineStyle.color)).toEqual([C.PALETTE[0], C.PALETTE[1]]);
  });
});

describe("empty charts", () => {
  it("finds nothing to draw in series without points, and something in a real chart", () => {
    expect(isEmpty({ series: [] })).toBe(true);
    expect(isEmpty({ series: [{ type: "bar", data: [null, null] }] })).toBe(true);
    expect(isEmpty({ series: [{ type: "heatmap", data: [] }] })).toBe(true);
    expect(isEmpty(C.latencyCdf(shop, "browse"))).toBe(false);
    // the online shop has no failure origins in its first variant: the heat map is empty
    const origins = Object.keys(shop.variants[0].resilience.failure_origins);
    expect(isEmpty(C.failureHeatmap(shop, 0))).toBe(origins.length === 0);
  });
});

describe("the headline table", () => {
  it("prints the CLI's mean ± half-width, or the interval's ends when it is not symmetric", () => {
    expect(withCi({ mean: 10, ci95_low: 9, ci95_high: 11, min: 0, max: 0 }, 3, fmtNum)).toBe("10 ± 1");
    expect(withCi({ mean: 10, ci95_low: 9, ci95_high: 12, min: 0, max: 0 }, 3, fmtNum)).toBe("10 [9, 12]");
    expect(withCi({ mean: 10, ci95_low: 10, ci95_high: 10, min: 0, max: 0 }, 1, fmtNum)).toBe("10");
    // no spread: the mean alone, not "± $0" or "± 4.55e-13" (as the CLI prints it)
    expect(withCi({ mean: 1335.9, ci95_low: 1335.9 - 4.55e-13, ci95_high: 1335.9 + 4.55e-13, min: 0, max: 0 }, 3, fmtNum)).toBe("1,336");
    expect(withCi({ mean: 1350, ci95_low: 1350, ci95_high: 1350, min: 0, max: 0 }, 3, fmtNum)).toBe("1,350");
  });

  it("has the Entries table's rows for every entry and variant, in ms with intervals", () => {
    const rows = summaryRows(shop);
    const entries = Object.keys(shop.variants[0].entries);
    expect(rows.filter((r) => r.group).length).toBe(entries.length + 1);
    for (const r of rows) expect(r.cells.length).toBe(shop.variants.length);
    const i = rows.findIndex((r) => r.label === `${entries[0]}: throughput /s`);
    const mean = rows[i + 2];
    expect(mean.label).toBe("latency mean");
    const l = shop.variants[1].entries[entries[0]].latency_s.mean;
    expect(mean.cells[1]).toBe(withCi(l, shop.replications, (x) => `${fmtNum(x * 1e3)} ms`));
    expect(mean.cells[1]).toMatch(/ ms/);
  });
});
