import { describe, expect, it } from "vitest";
import schemaJson from "../../api/mock-data.json";
import { fieldsAt, parseInput, schemaAt, type Schema } from "./schemaForm";

const schema = (schemaJson as unknown as { schema: Schema }).schema;

describe("property panel from the scenario JSON Schema", () => {
  it("finds the fields of a unit with their inputs", () => {
    const fields = fieldsAt(schema, ["variants", 0, "units", 1]);
    const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));
    expect(byKey.replicas.input.kind).toBe("integer");
    expect(byKey.cores.input.kind).toBe("number");
    expect(byKey.platform.input).toEqual({ kind: "choice", options: ["vm", "container", "kubernetes", "serverless"] });
    expect(byKey.name.required).toBe(true);
    expect(byKey.replicas.description).toMatch(/Instances/);
  });

  it("follows table keys of modules down to an operation", () => {
    expect(schemaAt(schema, ["modules", "orders", "ops", "checkout"])?.properties?.cpu).toBeTruthy();
  });

  it("validates what is typed", () => {
    expect(parseInput({ kind: "integer" }, "3")).toEqual({ value: 3 });
    expect(parseInput({ kind: "integer" }, "3.5")).toEqual({ error: "expected a whole number" });
    expect(parseInput({ kind: "number" }, "0.25")).toEqual({ value: 0.25 });
    expect("error" in parseInput({ kind: "duration-or-dist" }, "4")).toBe(true);
    expect(parseInput({ kind: "duration-or-dist" }, "4ms")).toEqual({ value: "4ms" });
    expect(parseInput({ kind: "duration-or-dist" }, '{"dist":"exp","mean":"4ms"}')).toEqual({ value: { dist: "exp", mean: "4ms" } });
    const size = fieldsAt(schema, ["variants", 0, "units", 0]).find((f) => f.key === "base_memory")!;
    expect("error" in parseInput(size.input, "1 gigabyte")).toBe(true);
    expect(parseInput(size.input, "1GB")).toEqual({ value: "1GB" });
  });
});
