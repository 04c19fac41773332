import { describe, expect, it } from "vitest";
import schemaJson from "../../api/mock-data.json";
import { arrange, fieldsAt, parseInput, schemaAt, type Schema } from "./schemaForm";

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

  it("finds the fields of every component kind at its path in the variant", () => {
    const keys = (path: (string | number)[]) => Object.fromEntries(fieldsAt(schema, path).map((f) => [f.key, f]));
    const lb = keys(["variants", 0, "load_balancers", 0]);
    expect(lb.name.required).toBe(true);
    expect(lb.units.required).toBe(true);
    expect(lb.replicas.input.kind).toBe("integer");
    expect(lb.capacity.input.kind).toBe("integer");
    const cache = keys(["variants", 0, "caches", 0]);
    expect(cache.stores.required).toBe(true);
    expect(cache.hit_ratio.input.kind).toBe("number");
    expect(keys(["variants", 0, "cdn"]).hit_ratio.required).toBe(true);
    const gw = keys(["variants", 0, "gateway"]);
    expect(gw.replicas.input.kind).toBe("integer");
    expect(gw.rate_limit).toBeTruthy();
    expect(gw.auth).toBeTruthy();
    const host = keys(["variants", 0, "hosts", 0]);
    expect(host.cores.input.kind).toBe("number");
    expect(host.zone).toBeTruthy();
    expect(keys(["variants", 0, "queues", 0]).consumers.input.kind).toBe("integer");
    const unit = keys(["variants", 0, "units", 0]);
    for (const k of ["pool", "autoscale", "host", "hosts", "cpu_limit", "zones", "memory", "reserved_concurrency"]) expect(unit[k], k).toBeTruthy();
    const db = keys(["variants", 0, "databases", 0]);
    expect(db.read_replicas.input.kind).toBe("integer");
    expect(db.zone).toBeTruthy();
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
    // a table field (an entry's arrival) refuses what is not a table instead of writing it
    expect(parseInput({ kind: "other" }, "rate 1200")).toEqual({ error: 'expected a JSON table like {"process": "poisson", "rate": 1200}' });
    expect(parseInput({ kind: "other" }, '{"process":"poisson","rate":1200}')).toEqual({ value: { process: "poisson", rate: 1200 } });
    expect("error" in parseInput({ kind: "list" }, "a, b")).toBe(true);
    const size = fieldsAt(schema, ["variants", 0, "units", 0]).find((f) => f.key === "base_memory")!;
    expect("error" in parseInput(size.input, "1 gigabyte")).toBe(true);
    expect(parseInput(size.input, "1GB")).toEqual({ value: "1GB" });
  });

  it("gives durations, sizes, distributions, tables and profiles typed inputs, never raw JSON", () => {
    const at = (path: (string | number)[], key: string) => fieldsAt(schema, path).find((f) => f.key === key)!.input;
    const duration = at(["workload"], "duration");
    expect(duration.kind).toBe("quantity");
    expect(duration.kind === "quantity" && duration.units).toContain("ms");
    const size = at(["variants", 0, "units", 0], "base_memory");
    expect(size.kind === "quantity" && size.units).toEqual(expect.arrayContaining(["MB", "GiB"]));
    expect(at(["modules", "orders", "ops", "checkout"], "cpu").kind).toBe("distribution");
    expect(at(["network"], "latency").kind).toBe("distribution");
    expect(at([], "network").kind).toBe("table");
    expect(at([], "delivery").kind).toBe("table");
    expect(at(["workload", "entries", 0], "arrival").kind).toBe("table");
    expect(at(["workload", "entries", 0, "arrival"], "profile").kind).toBe("profile");
    const steps = at(["workload", "entries", 0, "arrival", "profile"], "steps");
    expect(steps.kind === "rows" && steps.columns.map((c) => c.kind)).toEqual(["quantity", "number"]);
    expect(at(["variants", 0, "units", 0], "zones").kind).toBe("strings");
    expect(parseInput({ kind: "strings" }, " a, b ,, c")).toEqual({ value: ["a", "b", "c"] });
    expect("error" in parseInput(duration, "4 parsecs")).toBe(true);
  });

  it("orders a unit's fields by relevance and folds away what its platform does not use", () => {
    const fields = fieldsAt(schema, ["variants", 0, "units", 0]);
    const vm = arrange(fields, { name: "shop", modules: ["a"], platform: "vm" });
    const keys = vm.used.map((u) => u.field.key);
    expect(keys.slice(0, 6)).toEqual(["name", "modules", "platform", "replicas", "cores", "memory"]);
    const unused = Object.fromEntries(vm.unused.map((u) => [u.field.key, u.why]));
    expect(unused.cold_start).toBe("only on serverless units (platform is vm)");
    expect(unused.restart_delay).toBe("only on Kubernetes units (platform is vm)");
    expect(unused.cpu_limit).toBe("only on a unit placed on hosts");
    expect(keys).not.toContain("cold_start");
    expect(keys).toContain("zones");
    const fn = arrange(fields, { name: "f", modules: ["a"], platform: "serverless", replicas: 3 });
    expect(fn.used.map((u) => u.field.key)).toContain("cold_start");
    expect(fn.unused.map((u) => u.field.key)).toContain("autoscale");
    // a value the platform ignores stays visible, with why
    expect(fn.used.find((u) => u.field.key === "replicas")?.unused).toBe("not on serverless units");
    const onHost = arrange(fields, { name: "u", modules: ["a"], host: "box" });
    expect(onHost.used.map((u) => u.field.key)).toContain("cpu_limit");
    expect(onHost.unused.find((u) => u.field.key === "zones")?.why).toBe("not on a unit placed on hosts");
    const arrival = fieldsAt(schema, ["workload", "entries", 0, "arrival"]);
    expect(arrange(arrival, { rate: 10 }).unused.map((u) => u.field.key).sort()).toEqual(["think", "users"]);
    expect(arrange(arrival, { process: "closed" }).unused).toEqual([]);
    // required fields in the order the schema declares them
    const spike = fieldsAt(schema, ["workload", "entries", 0, "arrival", "profile", "spike"]);
    expect(arrange(spike, {}).used.map((u) => u.field.key)).toEqual(["base", "peak", "at", "duration"]);
  });
});

describe("property panel of workflows and transactions", () => {
  it("finds a workflow's fields and a transaction step's", () => {
    const keys = (path: (string | number)[]) => Object.fromEntries(fieldsAt(schema, path).map((f) => [f.key, f]));
    const wf = keys(["workflows", "fulfil"]);
    expect(Object.keys(wf)).toEqual(expect.arrayContaining(["mode", "start", "states"]));
    expect(wf.mode.input.kind).toBe("choice");
    const call = keys(["modules", "orders", "ops", "place", "calls", 0]);
    expect(Object.keys(call)).toEqual(expect.arrayContaining(["transaction", "lock_timeout", "workflow"]));
  });
});
