//! Provisioned concurrency's own price (docs/cost.md, docs/sources.md row *provisioned
//! concurrency*): a function keeping `provisioned` environments pays for them per GB-s
//! provisioned, the whole window or month whether they are used or not, plus a lower price per
//! GB-s executed on them, plus the request price; nothing at the on-demand GB-s price when every
//! invocation lands on a provisioned environment.

use crate::common::{run, scenario};
use archsim::spec::prices::Prices;

/// Seconds in the billing month (730 h).
const MONTH_S: f64 = 730.0 * 3600.0;

/// A function of 1,769 MB (one vCPU: speed 1) with `provisioned` environments, each invocation
/// 100 ms of CPU, Poisson arrivals at 2 per second over 1,000 s without warm-up.
fn scenario_text(provisioned: u32) -> String {
    format!(
        r#"name = "provisioned"
seed = 3
replications = 4
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "1000s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "f.work"
arrival = {{ process = "poisson", rate = 2 }}
[modules.f]
ops.work = {{ cpu = "100ms" }}
[[variants]]
name = "pc"
[[variants.units]]
name = "f"
modules = ["f"]
platform = "serverless"
memory = "1769MB"
cold_start = "200ms"
provisioned = {provisioned}
"#
    )
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs(),
        "{what}: {a} vs hand-computed {b}"
    );
}

#[test]
fn provisioned_concurrency_bills_its_environments_all_month_and_its_invocations_at_its_price() {
    let r = run(&scenario(&scenario_text(5)));
    let v = &r.variants[0];
    let p = Prices::default();
    let gb = 1.769;
    let f = v.units["f"].function.as_ref().expect("function");
    // Offered load 2/s × 0.1 s = 0.2 environments busy: five provisioned environments are all
    // busy with probability ~2·10⁻⁶ per arrival (Erlang B), so every invocation runs on one.
    assert_eq!(f.cold_starts.max, 0.0, "no on-demand environment started");
    let n = f.invocations.mean;
    assert_eq!(
        n, v.entries["req"].arrived.mean,
        "one invocation per request"
    );
    assert!(
        (n - 2000.0).abs() < 4.0 * 2000f64.sqrt(),
        "Poisson count {n}"
    );
    // Every invocation runs 100 ms, billed 100 ms; one still running at the end of the
    // window is not billed in it (hence at most one short per replication).
    let executed = f.gb_s_billed.mean;
    assert!(executed <= n * 0.100 * gb + 1e-9 && executed >= (n - 1.0) * 0.100 * gb);
    // This window (1,000 s): 5 environments × 1.769 GB × 1,000 s at the provisioned price,
    // the GB-s executed on them at the executed price, and the requests.
    let window = 5.0 * gb * 1000.0 * p.serverless_provisioned_gb_second
        + executed * p.serverless_provisioned_executed_gb_second
        + n * p.serverless_per_million_requests / 1e6;
    close(
        v.cost.by_resource["function/f"].window_usd.mean,
        window,
        "window",
    );
    // The steady month: the environments all 730 h; 2 requests/s all month (5,256,000
    // invocations) at 100 ms each on them; within one invocation's share of the executed
    // part (the window's last one, perhaps unbilled, scaled to the month).
    let requests = 2.0 * MONTH_S;
    let executed_month = requests * 0.100 * gb * p.serverless_provisioned_executed_gb_second;
    let month = 5.0 * gb * MONTH_S * p.serverless_provisioned_gb_second
        + executed_month
        + requests * p.serverless_per_million_requests / 1e6;
    let billed = v.cost.by_resource["function/f"].per_month_usd.mean;
    assert!(
        billed <= month * (1.0 + 1e-12) && billed >= month - executed_month / 2000.0,
        "month: {billed} vs hand-computed {month}"
    );
    // The figures of docs/sources.md: $0.0000041667 per GB-s provisioned, $0.0000097222 per
    // GB-s executed on them, $0.20 per million requests: $96.85 + $9.04 + $1.05 a month.
    assert!((month - 106.94).abs() < 0.01, "{month}");

    // Without provisioned concurrency the same invocations pay the on-demand GB-s price
    // ($0.0000166667) and their cold starts, never an idle environment.
    let od = run(&scenario(&scenario_text(0)));
    let v0 = &od.variants[0];
    let f0 = v0.units["f"].function.as_ref().expect("function");
    assert!(f0.cold_starts.mean > 0.0);
    // Each cold start's INIT (200 ms) is billed with its invocation (docs/sources.md row
    // *INIT billing*); the one still running at the end, if any, is not billed yet.
    let on_demand = (f0.gb_s_billed.mean + f0.cold_starts.mean * 0.200 * gb)
        * p.serverless_gb_second
        + f0.invocations.mean * p.serverless_per_million_requests / 1e6;
    let billed = v0.cost.by_resource["function/f"].window_usd.mean;
    assert!(
        billed <= on_demand * (1.0 + 1e-12)
            && billed >= on_demand - 0.200 * gb * p.serverless_gb_second,
        "on-demand window: {billed} vs hand-computed {on_demand}"
    );
    assert!(billed > 0.9 * 2000.0 * 0.1 * gb * p.serverless_gb_second);
}
