import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import mock from "../../api/mock-data.json";
import type { Analysis } from "../../api";
import { PropertyPanel } from "./PropertyPanel";
import type { PathSeg, Schema } from "./schemaForm";

const data = mock as unknown as { schema: Schema; analyses: Record<string, Analysis> };
const shop = data.analyses["scenarios/online-shop.toml"];

function panel(path: PathSeg[]) {
  const onCommit = vi.fn();
  const onRemove = vi.fn();
  render(<PropertyPanel schema={data.schema} analysis={shop} path={path} title="t" onCommit={onCommit} onRemove={onRemove} />);
  return { onCommit, onRemove };
}

afterEach(cleanup);

describe("the property panel edits with typed forms", () => {
  it("an entry's arrival: process, rate and a profile chosen by shape, with the rate plotted", () => {
    const { onCommit } = panel(["workload", "entries", 0]);
    const base = "field-workload.entries[0].arrival";
    expect((screen.getByTestId(`${base}.process`) as HTMLSelectElement).value).toBe("poisson");
    expect((screen.getByTestId(`${base}.rate`) as HTMLInputElement).value).toBe("800");
    expect(screen.getByTestId(`${base}.profile-plot`).textContent).toMatch(/peak 800\/s · average 800\/s \(0 – 2.33 min\)/);
    fireEvent.change(screen.getByTestId(`${base}.profile-shape`), { target: { value: "spike" } });
    expect(onCommit).toHaveBeenCalledWith(["workload", "entries", 0, "arrival", "profile"], { spike: { base: 800, peak: 4000, at: "30s", duration: "30s" } });
    // no raw JSON box anywhere for the arrival
    expect(screen.queryByDisplayValue(/^\{/)).toBeNull();
  });

  it("an operation's CPU: a distribution form with its preview; changing the kind keeps the mean", () => {
    const { onCommit } = panel(["modules", "catalog", "ops", "browse"]);
    const id = "field-modules.catalog.ops.browse.cpu";
    expect((screen.getByTestId(`${id}-dist`) as HTMLSelectElement).value).toBe("lognormal");
    expect((screen.getByTestId(`${id}.mean`) as HTMLInputElement).value).toBe("3");
    expect((screen.getByTestId(`${id}.mean-unit`) as HTMLSelectElement).value).toBe("ms");
    expect(screen.getByTestId(`${id}-preview`).textContent).toMatch(/^mean 3 ms · p50 2.12 ms · p99/);
    fireEvent.change(screen.getByTestId(`${id}-dist`), { target: { value: "exp" } });
    expect(onCommit).toHaveBeenLastCalledWith(["modules", "catalog", "ops", "browse", "cpu"], { dist: "exp", mean: "3ms" });
    // the unit of a duration is chosen, not typed
    fireEvent.change(screen.getByTestId(`${id}.mean-unit`), { target: { value: "us" } });
    expect(onCommit).toHaveBeenLastCalledWith(["modules", "catalog", "ops", "browse", "cpu", "mean"], "3us");
    // a size: number and unit
    const payload = screen.getByTestId("field-modules.catalog.ops.browse.payload") as HTMLInputElement;
    fireEvent.change(payload, { target: { value: "-2" } });
    fireEvent.blur(payload);
    expect(screen.getByTestId("field-modules.catalog.ops.browse.payload-error").textContent).toMatch(/expected a number ≥ 0/);
  });

  it("reset to default removes the key; fields the platform does not use are folded away", () => {
    const { onRemove } = panel(["variants", 0, "units", 0]);
    fireEvent.click(screen.getByTestId("reset-variants[0].units[0].replicas"));
    expect(onRemove).toHaveBeenCalledWith(["variants", 0, "units", 0, "replicas"]);
    expect(screen.queryByTestId("field-variants[0].units[0].cold_start-dist")).toBeNull();
    expect(screen.getByTestId("unused-variants[0].units[0]").textContent).toMatch(/cold_start: only on serverless units/);
    // required first, then the common fields, then the rest alphabetically
    const order = Array.from(document.querySelectorAll(".props label[for]")).map((l) => l.getAttribute("for")!.replace("field-variants[0].units[0].", ""));
    expect(order.slice(0, 6)).toEqual(["name", "modules", "platform", "replicas", "cores", "memory"]);
    expect(order.indexOf("base_memory")).toBeLessThan(order.indexOf("io"));
  });

  it("the scenario's network and delivery are forms of their own fields", () => {
    panel([]);
    expect(screen.getByTestId("table-network")).toBeTruthy();
    expect(screen.getByTestId("field-network.latency-dist")).toBeTruthy();
    expect(screen.getByTestId("field-delivery.change_failure")).toBeTruthy();
    expect(screen.getByTestId("field-delivery.build_base")).toBeTruthy();
    expect(screen.getByTestId("field-delivery.build_base-unit")).toBeTruthy();
  });

  it("a module's operations are edited in its panel, and one is added by name", () => {
    const { onCommit, onRemove } = panel(["modules", "catalog"]);
    expect(screen.getByTestId("field-modules.catalog.ops.browse")).toBeTruthy();
    expect((screen.getByTestId("field-modules.catalog.ops.browse.cpu-dist") as HTMLSelectElement).value).toBe("lognormal");
    fireEvent.change(screen.getByTestId("field-modules.catalog.ops-new"), { target: { value: "9search" } });
    fireEvent.click(screen.getByTestId("field-modules.catalog.ops-add"));
    expect(screen.getByTestId("field-modules.catalog.ops-error").textContent).toMatch(/not starting with a digit/);
    fireEvent.change(screen.getByTestId("field-modules.catalog.ops-new"), { target: { value: "search" } });
    fireEvent.click(screen.getByTestId("field-modules.catalog.ops-add"));
    // the new operation validates: its required CPU demand is given
    expect(onCommit).toHaveBeenLastCalledWith(["modules", "catalog", "ops", "search"], { cpu: "1ms" });
    fireEvent.click(screen.getByTestId("field-modules.catalog.ops.browse-remove"));
    expect(onRemove).toHaveBeenLastCalledWith(["modules", "catalog", "ops", "browse"]);
  });

  it("the scenario's panel leaves the graph's nodes to the graph and keeps its teams", () => {
    panel([]);
    expect(screen.queryByTestId("table-modules")).toBeNull();
    expect(screen.queryByTestId("table-datastores")).toBeNull();
    expect(screen.getByTestId("table-teams")).toBeTruthy();
  });
});
