//! The bill of a run against its closed form, per platform and service.

use crate::common::{run, scenario};
use archsim::results::VariantResult;
use archsim::spec::prices::Prices;

const MONTH_S: f64 = 730.0 * 3600.0;

/// A scenario with one entry `req` at constant `rate` for `duration` seconds (no warm-up)
/// calling `f.work` (`cpu`), which may call `store.q`; `variants` is appended verbatim.
fn shop(rate: f64, duration: u32, cpu: &str, calls: &str, extra: &str, variants: &str) -> String {
    format!(
        r#"name = "bill"
seed = 1
replications = 2
{extra}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{duration}s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = {{ process = "constant", rate = {rate} }}
[modules.f]
ops.work = {{ cpu = "{cpu}", calls = [ {calls} ] }}
[datastores.store]
ops.q = {{ time = "1ms" }}
ops.w = {{ time = "1ms", kind = "write" }}
{variants}
"#
    )
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs().max(1e-12),
        "{what}: {a} vs closed form {b}"
    );
}

fn line(v: &VariantResult, key: &str) -> f64 {
    v.cost.by_resource[key].window_usd.mean
}

#[test]
fn serverless_bill_equals_requests_times_price_plus_gb_s_times_price() {
    // Constant arrivals every 100 ms over 100 s: 999 invocations (the first at 0.1 s, the last
    // at 99.9 s), 50 ms each at 1,769 MB (speed 1): 50 ms billed each.
    let text = shop(
        10.0,
        100,
        "50ms",
        "",
        "",
        r#"[[variants]]
name = "fn"
gateway = { overhead = "0s", api = "rest" }
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
memory = "1769MB"
cold_start = "100ms"
"#,
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let p = Prices::default();
    let n = 999.0;
    // Each cold start's INIT (100 ms) is billed with its invocation: ⌈150 ms⌉ instead of 50.
    let colds = v.units["f"]
        .function
        .as_ref()
        .expect("function")
        .cold_starts;
    assert_eq!(colds.min, colds.max);
    assert!(colds.mean >= 1.0);
    let fn_bill = n * p.serverless_per_million_requests / 1e6
        + (n * 0.050 + colds.mean * 0.100) * 1.769 * p.serverless_gb_second;
    close(line(v, "function/f"), fn_bill, "function line");
    close(
        line(v, "gateway/gateway"),
        n * p.gateway_rest_per_million / 1e6,
        "REST gateway",
    );
    let total = fn_bill + n * p.gateway_rest_per_million / 1e6;
    close(v.cost.window_usd.mean, total, "window");
    // The steady month (docs/cost.md, "The month") bills the steady 10 requests/s: the
    // window's 999 arrivals scaled to 1,000 per 100 s, each counter rounded to a whole count
    // (the billed milliseconds: at most 0.5 ms of ~50,000, hence the tolerance).
    let month = total * 1000.0 / n * MONTH_S / 100.0;
    assert!(
        (v.cost.per_month_usd.mean - month).abs() <= 1e-5 * month,
        "per month: {} vs {month}",
        v.cost.per_month_usd.mean
    );
    close(
        v.cost.per_million_requests_usd.mean,
        total * 1e6 / n,
        "per million",
    );
    assert_eq!(v.cost.window_usd.min, v.cost.window_usd.max);
    let f = v.units["f"].function.as_ref().expect("function");
    close(f.gb_s_billed.mean, n * 0.050 * 1.769, "GB-s");
}

#[test]
fn billing_rounds_each_invocation_up_to_the_millisecond() {
    // 10.2 ms of CPU at 884.5 MB (half speed): 20.4 ms, billed 21 ms; a cold start's 100 ms
    // INIT with it: 120.4 ms, billed 121 ms.
    let text = shop(
        10.0,
        100,
        "10.2ms",
        "",
        "",
        r#"[[variants]]
name = "fn"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
memory = "884.5MB"
cold_start = "100ms"
"#,
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let p = Prices::default();
    let n = 999.0;
    let colds = v.units["f"]
        .function
        .as_ref()
        .expect("function")
        .cold_starts;
    assert_eq!(colds.min, colds.max);
    close(
        line(v, "function/f"),
        n * p.serverless_per_million_requests / 1e6
            + (n * 0.021 + colds.mean * 0.100) * 0.8845 * p.serverless_gb_second,
        "rounded bill",
    );
}

#[test]
fn provisioned_concurrency_bill_and_free_tier() {
    // One provisioned instance serves every invocation (50 ms every 100 ms): executed at the
    // provisioned rate, plus 1 × 1.769 GB × 100 s provisioned. With the free tier the
    // prorated allowance covers everything executed on demand (nothing here) and the requests.
    let variants = r#"[[variants]]
name = "fn"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
memory = "1769MB"
provisioned = 1
"#;
    let r = run(&scenario(&shop(10.0, 100, "50ms", "", "", variants)));
    let v = &r.variants[0];
    let p = Prices::default();
    let n = 999.0;
    let f = v.units["f"].function.as_ref().expect("function");
    assert_eq!(f.cold_starts.max, 0.0);
    let expected = n * p.serverless_per_million_requests / 1e6
        + n * 0.050 * 1.769 * p.serverless_provisioned_executed_gb_second
        + 1.769 * 100.0 * p.serverless_provisioned_gb_second;
    close(line(v, "function/f"), expected, "provisioned bill");
    assert!((v.memory_provisioned_gb.mean - 1.769).abs() < 1e-12);

    let r = run(&scenario(&shop(
        10.0,
        100,
        "50ms",
        "",
        "[prices]\nserverless_free_tier = true",
        variants,
    )));
    let v = &r.variants[0];
    // Allowance over 100 s: 10⁶ × 100 / month requests ≈ 38 < 999, so 38.05 requests are free.
    let free_requests = 1e6 * 100.0 / MONTH_S;
    close(
        line(v, "credit/serverless_free_tier"),
        -free_requests * p.serverless_per_million_requests / 1e6,
        "free tier credit",
    );
}

#[test]
fn vm_container_kubernetes_and_database_bills() {
    let variants = r#"[[variants]]
name = "vm"
[[variants.units]]
name = "f"
modules = ["f"]
replicas = 3
cores = 2
base_memory = "4GB"
[[variants.databases]]
name = "db"
stores = ["store"]
cores = 4

[[variants]]
name = "container"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "container"
replicas = 2
cores = 0.5
base_memory = "1GB"
[[variants.databases]]
name = "db"
stores = ["store"]
pricing = "request"

[[variants]]
name = "k8s"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "kubernetes"
replicas = 3
cores = 1.5
base_memory = "2GB"
[[variants.databases]]
name = "db"
stores = ["store"]
"#;
    let text = shop(
        10.0,
        3600,
        "1ms",
        r#"{ op = "store.q" }, { op = "store.w", count = 2 }"#,
        "[prices]\nvm_vcpu_hour = 0.05",
        variants,
    );
    let r = run(&scenario(&text));
    let p = Prices::default();
    let n = 35_999.0; // constant arrivals every 0.1 s over one hour
                      // vm: 3 × c7i.large (2 vCPU, 4 GiB ≥ 4 GB; $0.08925/h, docs/cost.md "Instance catalogue":
                      // the overridden pro-rata `vm_vcpu_hour` applies only beyond the catalogue) × 1 h;
                      // database 4 vCPU × 1 h.
    let vm = &r.variants[0];
    close(line(vm, "unit/f"), 3.0 * 0.08925, "vm");
    close(
        line(vm, "database/db"),
        4.0 * p.database_vcpu_hour,
        "hourly database",
    );
    // container: 2 × Fargate 0.5 vCPU with 1 GiB (the smallest size holding 1 GB) at Fargate
    // prices; database per request: one read and
    // two writes per request.
    let c = &r.variants[1];
    close(
        line(c, "unit/f"),
        2.0 * (0.5 * p.container_vcpu_hour + p.container_gb_hour),
        "container",
    );
    close(
        line(c, "database/db"),
        n * p.database_per_million_reads / 1e6 + 2.0 * n * p.database_per_million_writes / 1e6,
        "request-priced database",
    );
    // kubernetes: 4.5 vCPU and 6 GB of requests on 2-vCPU/8-GB nodes: 3 nodes, plus the fee.
    let k = &r.variants[2];
    close(
        line(k, "unit/f"),
        3.0 * p.kubernetes_node_hour,
        "kubernetes nodes",
    );
    close(
        line(k, "cluster/kubernetes"),
        p.kubernetes_cluster_hour,
        "EKS fee",
    );
    close(
        k.cost.window_usd.mean,
        3.0 * p.kubernetes_node_hour + p.kubernetes_cluster_hour + 2.0 * p.database_vcpu_hour,
        "kubernetes total",
    );
}

#[test]
fn container_minimum_is_one_minute() {
    let text = shop(
        10.0,
        20,
        "1ms",
        "",
        "",
        r#"[[variants]]
name = "c"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "container"
cores = 1
"#,
    );
    let r = run(&scenario(&text));
    let p = Prices::default();
    // 1 vCPU runs as Fargate's 1 vCPU with 2 GiB (its smallest memory).
    close(
        line(&r.variants[0], "unit/f"),
        (p.container_vcpu_hour + 2.0 * p.container_gb_hour) / 60.0,
        "20 s billed as 60 s",
    );
}

#[test]
fn price_keys_are_validated() {
    let text = shop(
        10.0,
        20,
        "1ms",
        "",
        "[prices]\nvm_vcpu_hour = -1\nvm_gb_hour = 0.1\nvm_gb_hourz = 1",
        "[[variants]]\nname = \"v\"\n[[variants.units]]\nname = \"f\"\nmodules = [\"f\"]\n",
    );
    let err = archsim::scenario::parse(&text, "p.toml").expect_err("invalid prices");
    let msg = err.to_string();
    assert!(msg.contains("vm_gb_hourz"), "{msg}");
    let text = text.replace("vm_gb_hourz = 1", "");
    let err = archsim::scenario::parse(&text, "p.toml").expect_err("negative price");
    let msg = err.to_string();
    assert!(
        msg.contains("prices.vm_vcpu_hour") && msg.contains("≥ 0"),
        "{msg}"
    );
}
