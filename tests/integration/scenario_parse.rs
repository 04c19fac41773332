//! Scenario parsing: the examples of SCENARIO-FORMAT.md resolve correctly; every class of bad
//! input gives located diagnostics; arbitrary and mutated input never panics.

use archsim::flow::balance::LbAlgorithm;
use archsim::kernel::dist::Dist;
use archsim::scenario::{self, Arrival, Io, OpOwner, Platform, Scenario, ScenarioError, Step};
use proptest::prelude::*;

const SHOP: &str = include_str!("../fixtures/shop.toml");
const MM3: &str = include_str!("../fixtures/mm3.toml");

fn ok(text: &str) -> Scenario {
    match scenario::parse(text, "test.toml") {
        Ok(s) => s,
        Err(e) => panic!("expected a valid scenario, got:\n{e}"),
    }
}

fn op(s: &Scenario, name: &str) -> usize {
    s.ops
        .iter()
        .position(|o| o.name == name)
        .unwrap_or_else(|| panic!("no op {name}"))
}

#[test]
fn shop_example_resolves() {
    let s = ok(SHOP);
    assert_eq!(s.name, "Online shop");
    assert_eq!(s.seed, 42);
    assert_eq!(s.replications, 10);
    assert_eq!(s.workload.duration, 600_000_000_000);
    assert_eq!(s.workload.warmup, 60_000_000_000);
    assert_eq!(s.workload.window, 1_000_000_000);
    assert_eq!(s.network.marshal_per_kb_ns, 20_000.0);
    assert!((s.network.latency.mean() - 300_000.0).abs() < 1e-6);

    let names: Vec<&str> = s.modules.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["catalog", "orders", "payments", "inventory"]);
    assert_eq!(s.teams.len(), 2);
    assert_eq!(s.modules[0].team, Some(0));
    assert_eq!(s.modules[1].team, Some(1));
    assert_eq!(s.modules[0].memory, 300_000_000);
    assert_eq!(s.datastores.len(), 2);
    assert_eq!(s.ops.len(), 7);

    // Entries.
    assert_eq!(s.workload.entries.len(), 2);
    let browse = op(&s, "catalog.browse");
    assert_eq!(s.workload.entries[0].op, browse);
    assert_eq!(
        s.workload.entries[0].arrival,
        Arrival::Poisson { rate: 800.0 }
    );
    assert_eq!(s.workload.entries[0].timeout, None);
    assert_eq!(s.workload.entries[1].timeout, Some(2_000_000_000));

    // A lognormal's mean, a payload, a repeated call to a data store.
    let b = &s.ops[browse];
    assert_eq!(b.owner, OpOwner::Module(0));
    assert!(matches!(b.demand, Dist::LogNormal { .. }));
    assert!((b.demand.mean() - 3e6).abs() < 1e-6);
    assert!((b.demand.scv() - 1.0).abs() < 1e-9);
    assert_eq!(b.payload, 4000);
    match &b.steps[..] {
        [Step::Call(c)] => {
            assert_eq!(c.op, op(&s, "catalog_db.read"));
            assert_eq!(c.count, 2);
            assert_eq!(c.p, 1.0);
        }
        other => panic!("unexpected steps {other:?}"),
    }
    assert_eq!(s.ops[op(&s, "catalog_db.read")].owner, OpOwner::Store(0));

    // A parallel step.
    let checkout = &s.ops[op(&s, "orders.checkout")];
    assert_eq!(checkout.demand, Dist::Const(4e6));
    assert_eq!(checkout.steps.len(), 3);
    match &checkout.steps[1] {
        Step::Parallel(branches) => {
            assert_eq!(branches.len(), 2);
            assert_eq!(branches[0].op, op(&s, "inventory.reserve"));
            assert_eq!(branches[1].op, browse);
            assert_eq!(branches[1].p, 0.3);
        }
        other => panic!("expected a parallel step, got {other:?}"),
    }
    assert_eq!(
        s.ops[op(&s, "payments.charge")].demand,
        Dist::Exp { mean: 6e6 }
    );

    // Variants and mappings.
    assert_eq!(s.variants.len(), 2);
    let mono = &s.variants[0];
    assert_eq!(mono.name, "monolith");
    assert_eq!(mono.units.len(), 1);
    assert_eq!(mono.module_unit, vec![0, 0, 0, 0]);
    assert_eq!(mono.store_db, vec![Some(0), Some(0)]);
    assert!(mono.gateway.is_none());
    let u = &mono.units[0];
    assert_eq!(u.modules, vec![0, 1, 2, 3]);
    assert_eq!(
        (u.replicas, u.cores, u.workers, u.queue),
        (4, 4.0, 200, Some(1000))
    );
    assert_eq!(u.base_memory, 1_000_000_000);
    assert_eq!(
        (u.platform, u.io, u.lb),
        (Platform::Vm, Io::Blocking, LbAlgorithm::RoundRobin)
    );
    assert_eq!(mono.databases[0].cores, 8.0);
    assert_eq!(mono.databases[0].max_connections, 200);

    let ms = &s.variants[1];
    assert_eq!(ms.name, "microservices");
    assert_eq!(ms.module_unit, vec![0, 1, 2, 3]);
    assert_eq!(ms.store_db, vec![Some(0), Some(1)]);
    assert_eq!(
        ms.gateway.as_ref().map(|g| g.overhead.clone()),
        Some(Dist::Const(500e3))
    );
    let pay = &ms.units[2];
    assert_eq!(pay.platform, Platform::Serverless);
    assert_eq!(pay.memory, Some(1_024_000_000));
    assert_eq!(pay.workers, 1);
    assert_eq!(ms.units[3].workers, 50);
    assert_eq!(ms.units[0].queue, None);
    assert_eq!(ms.databases[1].cores, 2.0);
    assert_eq!(ms.databases[1].max_connections, 100);
}

#[test]
fn mm3_example_resolves() {
    let s = ok(MM3);
    assert_eq!(s.replications, 20);
    assert_eq!(s.network.latency, Dist::Const(0.0));
    assert_eq!(s.network.marshal_per_kb_ns, 0.0);
    assert_eq!(s.workload.duration, 20_000 * 1_000_000_000);
    assert_eq!(s.workload.entries[0].arrival.rate(), 2.4);
    assert_eq!(s.ops[0].demand, Dist::Exp { mean: 1e9 });
    let u = &s.variants[0].units[0];
    assert_eq!((u.cores, u.workers, u.queue), (3.0, 3, None));
    assert_eq!(s.variants[0].module_unit, vec![0]);
    assert!(s.datastores.is_empty() && s.variants[0].store_db.is_empty());
}

#[test]
fn defaults() {
    let text = r#"
name = "d"
[workload]
duration = "1s"
[[workload.entries]]
name = "e"
op = "m.x"
arrival = { rate = 1 }
[modules.m]
ops.x = { cpu = "1ms" }
[[variants]]
name = "v"
[[variants.units]]
name = "u"
modules = ["m"]
"#;
    let s = ok(text);
    assert_eq!(
        (s.seed, s.replications, s.description.as_str()),
        (1, 10, "")
    );
    assert_eq!(s.network.latency, Dist::lognormal(250e3, 0.5));
    assert_eq!(s.network.marshal_per_kb_ns, 20e3);
    assert_eq!(s.workload.warmup, 0);
    assert_eq!(
        s.workload.entries[0].arrival,
        Arrival::Poisson { rate: 1.0 }
    );
    assert_eq!(s.modules[0].team, None);
    assert_eq!(s.modules[0].memory, 0);
    let u = &s.variants[0].units[0];
    assert_eq!(
        (
            u.platform,
            u.replicas,
            u.cores,
            u.workers,
            u.queue,
            u.io,
            u.base_memory,
            u.memory,
            u.lb
        ),
        (
            Platform::Vm,
            1,
            1.0,
            100,
            None,
            Io::Blocking,
            0,
            None,
            LbAlgorithm::RoundRobin
        )
    );
}

#[test]
fn array_of_tables_calls_and_reserved_keys() {
    let text = format!(
        "{MM3}\n{}",
        r#"
[modules.orders.ops.checkout]
cpu = "4ms"
[[modules.orders.ops.checkout.calls]]
op = "station.work"
timeout = "800ms"
retry = { attempts = 3, base = "50ms", cap = "2s", jitter = "full", budget = 0.2 }
breaker = { window = 100, failure_rate = 0.5, min_calls = 20, open = "5s", half_open = 5 }
[[modules.orders.ops.checkout.calls]]
parallel = [ { op = "station.work", p = 0.5 }, { op = "station.work", count = 3 } ]
"#
    )
    .replace(
        "modules = [\"station\"]",
        "modules = [\"station\", \"orders\"]\nplatform = \"serverless\"\nmemory = \"512MB\"\nreserved_concurrency = 50\nkeep_alive = \"10m\"\ncold_start = { dist = \"lognormal\", mean = \"250ms\", cv = 0.6 }\nmax_duration = \"900s\"\nprovisioned = 2",
    )
    // A function has no replicas, cores or workers of its own.
    .replace("replicas = 1\ncores = 3\nworkers = 3\n", "");
    let s = ok(&text);
    let c = &s.ops[op(&s, "orders.checkout")];
    match &c.steps[..] {
        [Step::Call(a), Step::Parallel(b)] => {
            assert_eq!(a.timeout, Some(800_000_000));
            assert_eq!(b.len(), 2);
            assert_eq!(b[1].count, 3);
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// One bad-input case: replace `from` by `to` in the base text, then expect a diagnostic on
/// `field` at the line of the first occurrence of `at` (line 1 when `at` is empty).
struct Case {
    what: &'static str,
    from: &'static str,
    to: &'static str,
    field: &'static str,
    at: &'static str,
    contains: &'static str,
}

const fn case(
    what: &'static str,
    from: &'static str,
    to: &'static str,
    field: &'static str,
    at: &'static str,
    contains: &'static str,
) -> Case {
    Case {
        what,
        from,
        to,
        field,
        at,
        contains,
    }
}

fn line_of(text: &str, at: &str) -> usize {
    if at.is_empty() {
        return 1;
    }
    let pos = text
        .find(at)
        .unwrap_or_else(|| panic!("marker {at:?} not in text"));
    text[..pos].matches('\n').count() + 1
}

fn check(base: &str, c: &Case) -> Result<(), String> {
    if !base.contains(c.from) {
        return Err(format!("{}: {:?} not in base", c.what, c.from));
    }
    let text = base.replacen(c.from, c.to, 1);
    let err = match scenario::parse(&text, "bad.toml") {
        Ok(_) => panic!("{}: expected an error", c.what),
        Err(e) => e,
    };
    let ScenarioError::Invalid(diags) = &err else {
        panic!("{}: expected Invalid, got {err}", c.what)
    };
    let line = line_of(&text, c.at);
    let found = diags.iter().any(|d| {
        d.field == c.field
            && d.line == line
            && d.file == "bad.toml"
            && err.to_string().contains(c.contains)
    });
    if !found {
        return Err(format!(
            "{}: expected field {:?} at line {line} containing {:?}; got:\n{err}",
            c.what, c.field, c.contains
        ));
    }
    // Every diagnostic renders as FILE:LINE:COL: error: ...
    for d in diags {
        assert!(d
            .to_string()
            .starts_with(&format!("bad.toml:{}:{}: error: ", d.line, d.column)));
    }
    Ok(())
}

#[test]
fn bad_inputs_give_located_errors() {
    let cases = [
        case("syntax", "seed = 42", "seed = = 42", "", "seed = =", "TOML syntax error"),
        case("unknown top-level field", "description =", "descripton =", "descripton", "descripton", "did you mean `description`?"),
        case("unknown field in unit", "workers = 50", "wokers = 50", "variants[1].units[3].wokers", "wokers", "did you mean `workers`?"),
        case("unknown field in call", "{ op = \"orders_db.write\" }", "{ op = \"orders_db.write\", tiemout = \"1s\" }", "modules.orders.ops.checkout.calls[2].tiemout", "tiemout", "did you mean `timeout`?"),
        case("cpu on a data-store op", "ops.write = { time = \"3ms\" }", "ops.write = { cpu = \"3ms\" }", "datastores.catalog_db.ops.write.cpu", "cpu = \"3ms\" }", "take `time`"),
        case("missing cpu", "cpu = \"4ms\"\npayload = \"2KB\"", "payload = \"2KB\"", "modules.orders.ops.checkout.cpu", "[modules.orders.ops.checkout]", "missing field `cpu`"),
        case("unknown platform value", "platform = \"serverless\"", "platform = \"serverles\"", "variants[1].units[2].platform", "serverles", "did you mean `serverless`?"),
        case("unknown module in call", "\"payments.charge\"", "\"payment.charge\"", "modules.orders.ops.checkout.calls[0].op", "payment.charge", "did you mean `payments.charge`?"),
        case("unknown op in call", "\"payments.charge\"", "\"payments.chrge\"", "modules.orders.ops.checkout.calls[0].op", "payments.chrge", "operations of `payments`: charge"),
        case("unknown op in entry", "op = \"catalog.browse\"", "op = \"catalog.brows\"", "workload.entries[0].op", "catalog.brows", "did you mean `catalog.browse`?"),
        case("unqualified op", "op = \"orders.checkout\"", "op = \"checkout\"", "workload.entries[1].op", "op = \"checkout\"", "did you mean `orders.checkout`?"),
        case("entry calls a store op", "op = \"catalog.browse\"", "op = \"catalog_db.read\"", "workload.entries[0].op", "op = \"catalog_db.read\"", "must call a module operation"),
        case("unknown module in unit", "modules = [\"payments\"]", "modules = [\"paymnts\"]", "variants[1].units[2].modules[0]", "paymnts", "did you mean `payments`?"),
        case("store in a unit", "modules = [\"payments\"]", "modules = [\"payments\", \"orders_db\"]", "variants[1].units[2].modules[1]", "\"payments\", \"orders_db\"", "is a data store"),
        case("unknown store in database", "stores = [\"orders_db\"]", "stores = [\"order_db\"]", "variants[1].databases[1].stores[0]", "order_db", "did you mean `orders_db`?"),
        case("cycle", "ops.reserve = { cpu = \"2ms\", calls = [ { op = \"catalog_db.write\" } ] }", "ops.reserve = { cpu = \"2ms\", calls = [ { op = \"orders.checkout\" } ] }", "modules.inventory.ops.reserve.calls[0].op", "{ op = \"orders.checkout\" }", "inventory.reserve -> orders.checkout -> inventory.reserve"),
        case("self call", "calls = [ { op = \"catalog_db.read\", count = 2 } ]", "calls = [ { op = \"catalog.browse\", count = 2 } ]", "modules.catalog.ops.browse.calls[0].op", "{ op = \"catalog.browse\", count", "catalog.browse -> catalog.browse"),
        case("zero rate", "rate = 800", "rate = 0", "workload.entries[0].arrival.rate", "rate = 0", "must be > 0"),
        case("negative rate", "rate = 800", "rate = -5", "workload.entries[0].arrival.rate", "rate = -5", "must be > 0"),
        case("rate not a number", "rate = 800", "rate = \"fast\"", "workload.entries[0].arrival.rate", "rate = \"fast\"", "expected a finite number"),
        case("p > 1", "p = 0.3", "p = 1.3", "modules.orders.ops.checkout.calls[1].parallel[1].p", "p = 1.3", "at most 1"),
        case("p < 0", "p = 0.3", "p = -0.1", "modules.orders.ops.checkout.calls[1].parallel[1].p", "p = -0.1", "≥ 0"),
        case("count 0", "count = 2", "count = 0", "modules.catalog.ops.browse.calls[0].count", "count = 0", "≥ 1"),
        case("count absurd", "count = 2", "count = 20000", "modules.catalog.ops.browse.calls[0].count", "count = 20000", "at most 10000"),
        case("bare number duration", "cpu = \"4ms\"", "cpu = 4", "modules.orders.ops.checkout.cpu", "cpu = 4", "expected a duration with a unit such as \"5ms\" or \"1.5s\", found the number 4"),
        case("bare number timeout", "timeout = \"2s\"", "timeout = 2", "workload.entries[1].timeout", "timeout = 2", "found the number 2"),
        case("negative duration", "duration = \"10m\"", "duration = \"-10m\"", "workload.duration", "duration = \"-10m\"", "negative duration"),
        case("zero duration", "duration = \"10m\"", "duration = \"0s\"", "workload.duration", "duration = \"0s\"", "must be > 0"),
        case("zero window", "duration = \"10m\"", "duration = \"10m\"\nwindow = \"0s\"", "workload.window", "window", "must be > 0"),
        case("absurd duration", "duration = \"10m\"", "duration = \"100000h\"", "workload.duration", "100000h", "10 years"),
        case("cv zero", "mean = \"3ms\", cv = 1.0", "mean = \"3ms\", cv = 0", "modules.catalog.ops.browse.cpu.cv", "mean = \"3ms\", cv = 0", "must be > 0"),
        case("cv negative", "mean = \"3ms\", cv = 1.0", "mean = \"3ms\", cv = -1", "modules.catalog.ops.browse.cpu.cv", "mean = \"3ms\", cv = -1", "must be > 0"),
        case("uniform min > max", "{ dist = \"exp\", mean = \"6ms\" }", "{ dist = \"uniform\", min = \"9ms\", max = \"1ms\" }", "modules.payments.ops.charge.cpu.min", "dist = \"uniform\"", "min ≤ max"),
        case("unknown dist", "{ dist = \"exp\", mean = \"6ms\" }", "{ dist = \"expo\", mean = \"6ms\" }", "modules.payments.ops.charge.cpu.dist", "expo", "did you mean `exp`?"),
        case("empirical empty", "{ dist = \"exp\", mean = \"6ms\" }", "{ dist = \"empirical\", samples = [] }", "modules.payments.ops.charge.cpu.samples", "empirical", "at least one sample"),
        case("module in no unit", "modules = [\"catalog\", \"orders\", \"payments\", \"inventory\"]", "modules = [\"catalog\", \"orders\", \"payments\"]", "variants[0].units", "name = \"monolith\"", "module `inventory` is in no unit"),
        case("module in two units", "modules = [\"inventory\"]", "modules = [\"inventory\", \"orders\"]", "variants[1].units[3].modules[1]", "modules = [\"inventory\", \"orders\"]", "`orders` and `inventory`"),
        case("store on no database", "stores = [\"catalog_db\", \"orders_db\"]", "stores = [\"catalog_db\"]", "variants[0].databases", "name = \"monolith\"", "data store `orders_db` is called by `orders.checkout`"),
        case("store on two databases", "stores = [\"orders_db\"]", "stores = [\"orders_db\", \"catalog_db\"]", "variants[1].databases[1].stores[1]", "stores = [\"orders_db\", \"catalog_db\"]", "`catalog` and `orders`"),
        case("unknown team", "team = \"checkout-team\"", "team = \"chekout-team\"", "modules.orders.team", "chekout-team", "did you mean `checkout-team`?"),
        case("duplicate entry", "name = \"checkout\"", "name = \"browse\"", "workload.entries[1].name", "name = \"browse\"\nop = \"orders", "duplicate entry name `browse`"),
        case("duplicate unit", "name = \"inventory\"\nmodules", "name = \"orders\"\nmodules", "variants[1].units[3].name", "name = \"orders\"\nmodules = [\"inventory\"]", "duplicate unit name `orders`"),
        case("duplicate database", "name = \"orders\"\nstores", "name = \"catalog\"\nstores", "variants[1].databases[1].name", "name = \"catalog\"\nstores = [\"orders_db\"]", "duplicate database name"),
        case("duplicate variant", "name = \"microservices\"", "name = \"monolith\"", "variants[1].name", "name = \"monolith\"\ngateway", "duplicate variant name"),
        case("replicas 0", "replicas = 3", "replicas = 0", "variants[1].units[0].replicas", "replicas = 0", "≥ 1"),
        case("replicas absurd", "replicas = 3", "replicas = 1000000", "variants[1].units[0].replicas", "replicas = 1000000", "at most 100000"),
        case("workers 0", "workers = 50", "workers = 0", "variants[1].units[3].workers", "workers = 0", "≥ 1"),
        case("workers absurd", "workers = 50", "workers = 2000000", "variants[1].units[3].workers", "workers = 2000000", "at most 1000000"),
        case("queue absurd", "queue = 1000", "queue = 200000000", "variants[0].units[0].queue", "queue = 200000000", "at most 100000000"),
        case("cores 0", "cores = 4\n", "cores = 0\n", "variants[0].units[0].cores", "cores = 0", "> 0"),
        case("cores absurd", "cores = 8", "cores = 5000", "variants[0].databases[0].cores", "cores = 5000", "at most 4096"),
        case("memory absurd", "memory = \"300MB\"", "memory = \"100TB\"", "modules.catalog.memory", "100TB", "64TB"),
        case("size without unit", "memory = \"300MB\"", "memory = 300", "modules.catalog.memory", "memory = 300", "expected a size with a unit"),
        case("replications absurd", "replications = 10", "replications = 1000000", "replications", "replications =", "at most 100000"),
        case("replications 0", "replications = 10", "replications = 0", "replications", "replications =", "≥ 1"),
        case("variant without units", "[[variants.units]]\nname = \"shop\"", "[[variants.databases]]\nname = \"shop\"\nstores = []\n[[variants.units]]\nname = \"shop2\"", "variants[0].databases[0].stores", "stores = []", "holds no data stores"),
        case("parallel nested", "{ op = \"inventory.reserve\" }", "{ parallel = [ { op = \"inventory.reserve\" } ] }", "modules.orders.ops.checkout.calls[1].parallel[0]", "{ parallel = [ { op = \"inventory.reserve\" } ] }", "cannot be nested"),
        case("call without op", "{ op = \"orders_db.write\" }", "{ count = 2 }", "modules.orders.ops.checkout.calls[2]", "{ count = 2 }", "a call needs `op`"),
        case("serverless key on vm", "base_memory = \"1GB\"", "base_memory = \"1GB\"\nkeep_alive = \"10m\"", "variants[0].units[0].keep_alive", "keep_alive", "serverless units only"),
        case("module and store share a name", "[datastores.orders_db]", "[datastores.orders]", "datastores.orders", "[datastores.orders]", "both a module and a data store"),
    ];
    let failures: Vec<String> = cases.iter().filter_map(|c| check(SHOP, c).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn structural_errors() {
    // Empty file (and only comments).
    for text in ["", "  \n# nothing here\n"] {
        let e = scenario::parse(text, "empty.toml").expect_err("empty");
        let d = &e.diagnostics().expect("invalid").0[0];
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.contains("the scenario is empty"), "{e}");
        assert!(d.message.contains("[[variants]]"), "{e}");
    }
    // No variants.
    let idx = SHOP.find("[[variants]]").expect("variants");
    let e = scenario::parse(&SHOP[..idx], "x.toml").expect_err("no variants");
    assert!(
        e.diagnostics()
            .expect("invalid")
            .iter()
            .any(|d| d.field == "variants" && d.message.contains("no variants")),
        "{e}"
    );
    // No entries.
    let text = MM3.replace("[[workload.entries]]\nname = \"req\"\nop = \"station.work\"\narrival = { process = \"poisson\", rate = 2.4 }\n", "");
    let e = scenario::parse(&text, "x.toml").expect_err("no entries");
    assert!(
        e.diagnostics()
            .expect("invalid")
            .iter()
            .any(|d| d.field == "workload.entries" && d.message.contains("no entries")),
        "{e}"
    );
    // Missing workload and name.
    let text = "[modules.m]\nops.x = { cpu = \"1ms\" }\n";
    let e = scenario::parse(text, "x.toml").expect_err("no workload");
    let fields: Vec<&str> = e
        .diagnostics()
        .expect("invalid")
        .iter()
        .map(|d| d.field.as_str())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"workload") && fields.contains(&"variants"),
        "{e}"
    );
    // Many errors at once, in file order.
    let text = SHOP
        .replace("rate = 800", "rate = 0")
        .replace("count = 2", "count = 0")
        .replace("replicas = 3", "replicas = 0");
    let e = scenario::parse(&text, "x.toml").expect_err("three errors");
    let d = e.diagnostics().expect("invalid");
    assert_eq!(d.len(), 3, "{e}");
    assert!(d.0.windows(2).all(|w| w[0].line <= w[1].line));
    assert!(e.to_string().ends_with("3 errors"));
}

#[test]
fn io_error_and_load() {
    let e = scenario::load(std::path::Path::new("/nonexistent/x.toml")).expect_err("io");
    assert!(matches!(e, ScenarioError::Io { .. }));
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("shop.toml");
    std::fs::write(&p, SHOP.replace("rate = 800", "rate = 0")).expect("write");
    let e = scenario::load(&p).expect_err("invalid");
    assert!(
        e.to_string().starts_with(&format!("{}:17:", p.display())),
        "{e}"
    );
    std::fs::write(&p, SHOP).expect("write");
    assert!(scenario::load(&p).is_ok());
}

#[test]
fn json_schema_describes_units() {
    let schema = scenario::json_schema();
    let text = schema.to_string();
    assert!(text.contains("\"pattern\""), "durations have a pattern");
    assert!(text.contains("oneOf"), "distributions are string or table");
    assert!(text.contains("lognormal"));
    assert!(schema["properties"]["variants"].is_object());
    assert!(!text.contains("\"null\""), "TOML has no null");
    assert_eq!(
        schema["additionalProperties"],
        serde_json::Value::Bool(false)
    );
}

fn mutate(base: &str, ops: &[(u8, usize, usize, u8)]) -> String {
    let mut lines: Vec<String> = base.lines().map(String::from).collect();
    let mut bytes_mode = Vec::new();
    for &(kind, a, b, byte) in ops {
        if lines.is_empty() {
            break;
        }
        let i = a % lines.len();
        let j = b % lines.len();
        match kind % 6 {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(j, l);
            }
            2 => lines.swap(i, j),
            3 => {
                let l = lines[j].clone();
                lines[i] = l;
            }
            _ => bytes_mode.push((a, b, byte, kind)),
        }
    }
    let mut bytes = lines.join("\n").into_bytes();
    for (a, b, byte, kind) in bytes_mode {
        if bytes.is_empty() {
            break;
        }
        let i = a % bytes.len();
        if kind % 2 == 0 {
            bytes[i] = byte;
        } else {
            let j = (b % 8).min(bytes.len() - i);
            bytes.drain(i..i + j);
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC*") {
        let _ = scenario::parse(&text, "fuzz.toml");
    }

    #[test]
    fn toml_like_text_never_panics(text in "[a-z\\[\\]=\".{}, 0-9\\n_-]{0,200}") {
        let _ = scenario::parse(&text, "fuzz.toml");
    }

    #[test]
    fn mutated_scenarios_never_panic(
        which in 0..2usize,
        ops in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<u8>()), 1..6)
    ) {
        let base = if which == 0 { SHOP } else { MM3 };
        let text = mutate(base, &ops);
        if let Err(ScenarioError::Invalid(d)) = scenario::parse(&text, "fuzz.toml") {
            prop_assert!(!d.is_empty());
            for x in &d {
                prop_assert!(x.line >= 1 && x.column >= 1);
            }
        }
    }
}
