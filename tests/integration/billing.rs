//! Bills of the front door products, lines keyed by resource, and the INIT billing of cold
//! starts, each against its hand-computed closed form (docs/cost.md).

use crate::common::{run, scenario};
use archsim::results::VariantResult;
use archsim::spec::prices::Prices;

/// One entry `req` at exactly 10 requests/s for 100 s (constant arrivals, no warm-up) calling
/// `back.work` (1 ms of CPU, then a read of `items`); `variants` appended verbatim.
fn front(variants: &str, extra: &str) -> String {
    format!(
        r#"name = "front door bills"
seed = 3
replications = 2
{extra}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "100s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = {{ process = "constant", rate = 10 }}
[modules.back]
ops.work = {{ cpu = "1ms", calls = [{{ op = "items.get" }}] }}
[datastores.items]
ops.get = {{ time = "1ms", kind = "read" }}
{variants}
"#
    )
}

/// The unit `back` (1 core, 1 GB, on a VM) and the database `db` (2 vCPU).
const BACKEND: &str = r#"[[variants.units]]
name = "back"
modules = ["back"]
cores = 1
base_memory = "1GB"
[[variants.databases]]
name = "db"
stores = ["items"]
cores = 2
"#;

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12),
        "{what}: {a} vs closed form {b}"
    );
}

fn line(v: &VariantResult, key: &str) -> f64 {
    match v.cost.by_resource.get(key) {
        Some(l) => l.window_usd.mean,
        None => panic!(
            "no line {key} in {:?}",
            v.cost.by_resource.keys().collect::<Vec<_>>()
        ),
    }
}

/// Entry requests that arrived at the front door in the window (the same in every
/// replication: constant arrivals).
fn arrived(v: &VariantResult) -> f64 {
    let a = &v.entries["req"].arrived;
    assert_eq!(a.min, a.max, "constant arrivals");
    a.mean
}

const HOURS: f64 = 100.0 / 3600.0;

/// c7i.large's price per hour (2 vCPU, 4 GiB; `src/spec/instances.toml`): the cheapest EC2
/// type of the instance catalogue holding 1 or 2 vCPUs with up to 4 GiB, which the units and
/// the self-hosted fleets below run on (docs/cost.md, "Instance catalogue").
const C7I_LARGE: f64 = 0.08925;

#[test]
fn a_unit_and_a_database_of_the_same_name_are_two_lines() {
    let text = front(
        r#"[[variants]]
name = "v"
[[variants.units]]
name = "catalog"
modules = ["back"]
cores = 2
base_memory = "1GB"
[[variants.databases]]
name = "catalog"
stores = ["items"]
cores = 4
"#,
        "",
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let p = Prices::default();
    let keys: Vec<&str> = v.cost.by_resource.keys().map(String::as_str).collect();
    assert_eq!(keys, ["unit/catalog", "database/catalog"]);
    close(line(v, "unit/catalog"), C7I_LARGE * HOURS, "the unit");
    close(
        line(v, "database/catalog"),
        4.0 * p.database_vcpu_hour * HOURS,
        "the database",
    );
    let l = &v.cost.by_resource["database/catalog"];
    assert_eq!((l.kind.as_str(), l.name.as_str()), ("database", "catalog"));
    close(
        v.cost.window_usd.mean,
        line(v, "unit/catalog") + line(v, "database/catalog"),
        "total = sum of the lines",
    );
}

#[test]
fn managed_gateways_bill_per_request_and_a_self_hosted_one_its_instances() {
    let variant = |name: &str, gateway: &str| {
        format!("[[variants]]\nname = \"{name}\"\ngateway = {gateway}\n{BACKEND}")
    };
    let variants = [
        variant("http", r#"{ overhead = "0s", product = "aws_http_api" }"#),
        variant("rest", r#"{ overhead = "0s", product = "aws_rest_api" }"#),
        variant("old_api", r#"{ overhead = "0s", api = "rest" }"#),
        variant(
            "fleet",
            r#"{ overhead = "100us", product = "self_hosted", replicas = 3, cores = 2, memory = "2GB" }"#,
        ),
        variant("unsized", r#"{ overhead = "100us" }"#),
    ]
    .concat();
    let r = run(&scenario(&front(&variants, "")));
    let v = |name: &str| r.variants.iter().find(|v| v.name == name).expect("variant");
    close(
        line(v("http"), "gateway/gateway"),
        arrived(v("http")) * 1.00 / 1e6,
        "HTTP API: $1.00 per million",
    );
    close(
        line(v("rest"), "gateway/gateway"),
        arrived(v("rest")) * 3.50 / 1e6,
        "REST API: $3.50 per million",
    );
    close(
        line(v("old_api"), "gateway/gateway"),
        line(v("rest"), "gateway/gateway"),
        "`api = \"rest\"` is the REST API",
    );
    // Three 2-vCPU, 2-GB instances for 100 s, each a c7i.large, whatever the requests.
    close(
        line(v("fleet"), "gateway/gateway"),
        3.0 * C7I_LARGE * HOURS,
        "self-hosted fleet",
    );
    assert_eq!(
        v("fleet").cost.by_resource["gateway/gateway"]
            .instance
            .as_deref(),
        Some("c7i.large")
    );
    assert!(
        !v("unsized")
            .cost
            .by_resource
            .contains_key("gateway/gateway"),
        "a self-hosted gateway without a size has nothing to bill"
    );
    // The rest of the bill does not depend on the gateway's product.
    for name in ["http", "rest", "fleet", "unsized"] {
        close(line(v(name), "unit/back"), C7I_LARGE * HOURS, name);
    }
}

#[test]
fn balancers_bill_by_product_and_an_alb_is_one_resource() {
    let variant = |name: &str, lb: &str| {
        format!(
            "[[variants]]\nname = \"{name}\"\n{BACKEND}[[variants.load_balancers]]\nname = \"lb\"\nunits = [\"back\"]\nreplicas = 3\n{lb}\n"
        )
    };
    let variants = [
        variant("alb", ""),
        variant("nlb", "product = \"aws_nlb\""),
        variant(
            "haproxy",
            "product = \"self_hosted\"\ncores = 2\nmemory = \"1GB\"",
        ),
    ]
    .concat();
    let r = run(&scenario(&front(&variants, "")));
    let v = |name: &str| r.variants.iter().find(|v| v.name == name).expect("variant");
    // Every request through the balancer is a new connection: 25 per second per LCU (ALB),
    // 800 per second per NLCU (NLB). Three nodes, one balancer-hour rate.
    let n = arrived(v("alb"));
    close(
        line(v("alb"), "balancer/lb"),
        HOURS * 0.0225 + n / 25.0 / 3600.0 * 0.008,
        "ALB: hourly + LCU",
    );
    close(
        line(v("nlb"), "balancer/lb"),
        HOURS * 0.0225 + arrived(v("nlb")) / 800.0 / 3600.0 * 0.006,
        "NLB: hourly + NLCU",
    );
    close(
        line(v("haproxy"), "balancer/lb"),
        3.0 * C7I_LARGE * HOURS,
        "self-hosted: its three instances, each a c7i.large",
    );
    assert_eq!(
        v("haproxy").cost.by_resource["balancer/lb"]
            .instance
            .as_deref(),
        Some("c7i.large")
    );
    assert_eq!(v("alb").cost.by_resource["balancer/lb"].instance, None);
}

#[test]
fn front_door_product_errors_name_the_field() {
    let base = |gateway: &str, lb: &str| {
        front(
            &format!(
                "[[variants]]\nname = \"v\"\n{gateway}\n{BACKEND}[[variants.load_balancers]]\nname = \"lb\"\nunits = [\"back\"]\n{lb}\n"
            ),
            "",
        )
    };
    let err = |text: String| {
        archsim::scenario::parse(&text, "f.toml")
            .expect_err("invalid")
            .to_string()
    };
    let msg = err(base(
        r#"gateway = { product = "aws_http_api", api = "rest" }"#,
        "",
    ));
    assert!(
        msg.contains("variants[0].gateway.api") && msg.contains("both"),
        "{msg}"
    );
    let msg = err(base("", "product = \"self_hosted\""));
    assert!(
        msg.contains("load_balancers") && msg.contains("cores") && msg.contains("self-hosted"),
        "{msg}"
    );
    let msg = err(base("", "cores = 2"));
    assert!(
        msg.contains(".cores") && msg.contains("managed balancer"),
        "{msg}"
    );
    let msg = err(base("", "product = \"aws_elb\""));
    assert!(msg.contains("aws_elb"), "{msg}");
}

/// A function `f` on one-in-ten-seconds arrivals, so that invocations often find no warm
/// instance (keep-alive shorter than the gap), with a 200 ms cold start and 50 ms of work at
/// 1,769 MB (one full vCPU: exactly 50 ms).
fn cold(extra: &str) -> String {
    format!(
        r#"name = "init"
seed = 9
replications = 2
{extra}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "600s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = {{ process = "poisson", rate = 2 }}
[modules.f]
ops.work = {{ cpu = "50ms" }}
[[variants]]
name = "fn"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
memory = "1769MB"
cold_start = "200ms"
keep_alive = "1s"
"#
    )
}

#[test]
fn init_phase_of_cold_starts_is_billed_unless_the_old_rule_is_asked_for() {
    let billed = run(&scenario(&cold("")));
    let old = run(&scenario(&cold(
        "[prices]\nserverless_unbilled_init = true",
    )));
    let p = Prices::default();
    let (b, o) = (&billed.variants[0], &old.variants[0]);
    let f = b.units["f"].function.as_ref().expect("a function");
    let colds = f.cold_starts.mean;
    assert!(
        colds > 10.0 && colds < f.invocations.mean,
        "some cold starts, not all: {colds}"
    );
    // The switch changes the bill only: the same simulation, the same invocations.
    assert_eq!(
        o.units["f"].function.as_ref().map(|g| g.cold_starts.mean),
        Some(colds)
    );
    // Without INIT: ⌈50 ms⌉ per invocation; with it, a cold one is ⌈250 ms⌉: 200 ms more each.
    let invocations = f.invocations.mean;
    let g = 1.769;
    close(
        line(o, "function/f"),
        invocations
            * (p.serverless_per_million_requests / 1e6 + 0.050 * g * p.serverless_gb_second),
        "pre-August-2025 bill",
    );
    close(
        line(b, "function/f") - line(o, "function/f"),
        colds * 0.200 * g * p.serverless_gb_second,
        "INIT billed: 200 ms × 1.769 GB per cold start",
    );
}

/// The format's fixed `cost.by_node.<name>` adds up the lines of one name: the online shop's
/// `catalog` is its unit and its database; every resource line is in exactly one name.
#[test]
fn by_node_adds_up_the_resources_of_one_name() {
    let path = crate::common::root().join("scenarios/online-shop.toml");
    let text = std::fs::read_to_string(path).expect("scenario");
    let r = run(&scenario(&text));
    let v = r
        .variants
        .iter()
        .find(|v| v.name == "microservices")
        .expect("variant");
    let (unit, db) = (
        &v.cost.by_resource["unit/catalog"],
        &v.cost.by_resource["database/catalog"],
    );
    let both = unit.window_usd.mean + db.window_usd.mean;
    let by_name = v.cost.by_node["catalog"].window_usd.mean;
    assert!((by_name - both).abs() < 1e-9 * both, "{by_name} vs {both}");
    for x in &r.variants {
        let lines: f64 = x.cost.by_resource.values().map(|l| l.window_usd.mean).sum();
        let names: f64 = x.cost.by_node.values().map(|l| l.window_usd.mean).sum();
        assert!(
            (lines - names).abs() < 1e-9 * lines.abs().max(1.0),
            "{}",
            x.name
        );
        assert!((names - x.cost.window_usd.mean).abs() < 1e-9 * names.abs().max(1.0));
    }
}
