//! External services: the quota is a token bucket whose admitted calls under overload follow
//! its closed form (`rate·T + burst`), the bill is the admitted calls at their price, a 429's
//! `Retry-After` is honoured by the call's retries, an outage is a fault on the external, and
//! bad keys are located errors.

use crate::common::{assert_within_ci, run, scenario};
use archsim::scenario::{self, OpOwner};

/// A unit calling external `pay` at `rate` per second (Poisson) for `secs` seconds, no warm-up.
fn calling(rate: f64, secs: u32, external: &str, extra: &str) -> String {
    format!(
        r#"
name = "external"
seed = 3
replications = 5
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{secs}s"
[[workload.entries]]
name = "buy"
op = "shop.buy"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.shop]
ops.buy = {{ cpu = "10us", calls = [ {{ op = "pay.charge" }} ] }}
[externals.pay]
{external}
{extra}
[[variants]]
name = "v"
[[variants.units]]
name = "shop"
modules = ["shop"]
cores = 4
workers = 10000
"#
    )
}

#[test]
fn quota_admits_rate_times_t_plus_burst_under_overload() {
    // 400 calls/s against a quota of 20/s with a burst of 15: the bucket is drained at once and
    // never fills again, so over T = 50 s it admits every token it makes plus the initial
    // burst, less the fraction of a token left at the end (and the ≈ 0.05 token lost before
    // the first arrival): between rate·T + burst − 2 and rate·T + burst calls.
    let (rate, burst, t) = (20.0, 15.0, 50.0);
    let s = scenario(&calling(
        400.0,
        50,
        &format!(
            "latency = \"1us\"\nquota = {{ rate = {rate}, burst = {burst} }}\nops.charge = {{}}"
        ),
        "",
    ));
    let r = run(&s);
    let v = &r.variants[0];
    let pay = &v.components["pay"];
    assert_eq!(pay.kind, "external");
    let closed = rate * t + burst;
    let (lo, hi) = (
        pay.node.throughput_per_s.min * t,
        pay.node.throughput_per_s.max * t,
    );
    assert!(
        lo >= closed - 2.0 - 1e-6 && hi <= closed + 1e-6,
        "admitted calls per replication in [{lo}, {hi}], closed form {closed}"
    );
    // Conservation: every call is admitted or refused (429).
    let refused = pay.node.rejected.mean;
    let arrived = pay.node.attempts_per_s.mean * t;
    let admitted = pay.node.throughput_per_s.mean * t;
    assert!(
        (arrived - refused - admitted).abs() <= 1.0,
        "{arrived} calls = {admitted} admitted + {refused} refused"
    );
    // The refusals are the entry's `rate_limited` failures.
    let failed = v.entries["buy"]
        .failed_by_reason
        .get("rate_limited")
        .map_or(0.0, |s| s.mean);
    assert!((failed - refused).abs() < 1e-9, "{failed} vs {refused}");
}

#[test]
fn bill_is_admitted_calls_at_their_price() {
    // 30 calls/s against a quota of 10/s: only the admitted calls are billed, at $0.002 each.
    let price = 0.002;
    let s = scenario(&calling(
        30.0,
        40,
        &format!("latency = \"5ms\"\nquota = {{ rate = 10, burst = 10 }}\nprice = {price}\nops.charge = {{}}"),
        "",
    ));
    let r = run(&s);
    let v = &r.variants[0];
    let pay = &v.components["pay"].node;
    let admitted = pay.attempts_per_s.mean * 40.0 - pay.rejected.mean;
    let line = &v.cost.by_resource["external/pay"];
    assert!(
        (line.window_usd.mean - price * admitted).abs() < 1e-9,
        "bill {} vs {price} × {admitted}",
        line.window_usd.mean
    );
    // About 10/s × 40 s + 10 calls are admitted: the bill is about $0.82, not 30/s × 40 s.
    assert!((line.window_usd.mean - price * 410.0).abs() < price * 3.0);
    // No compute line for the external: it has no cores of ours.
    let others: Vec<&String> = v
        .cost
        .by_resource
        .keys()
        .filter(|k| k.ends_with("/pay") && *k != "external/pay")
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

#[test]
fn op_price_overrides_the_services_price() {
    let s = scenario(&calling(
        1.0,
        1,
        "latency = \"1ms\"\nprice = 0.5\nops.charge = { price = 0.25 }\nops.refund = {}",
        "",
    ));
    let x = &s.externals[0];
    assert_eq!(x.prices, vec![0.25, 0.5]);
    assert!(x
        .ops
        .iter()
        .all(|&o| s.ops[o].owner == OpOwner::External(0)));
}

#[test]
fn retries_honour_retry_after() {
    // A request every 2 s makes two calls in a row to an external admitting 1 call/s with a
    // burst of 1; no network delay, 10 ms per call. The first call takes the token; the
    // second, 10 ms later, is refused with a Retry-After of 990 ms (+1 ns): its retry comes
    // when the token is back and succeeds. Every request succeeds in exactly 1.01 s. A
    // retry after its own 1 ms backoff would be refused again and the request would fail.
    let text = r#"
name = "retry-after"
replications = 2
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "60s"
[[workload.entries]]
name = "buy"
op = "shop.buy"
arrival = { process = "constant", rate = 0.5 }
[modules.shop]
ops.buy = { cpu = "0s", calls = [ { op = "pay.charge", count = 2, retry = { attempts = 2, base = "1ms" } } ] }
[externals.pay]
latency = "10ms"
quota = { rate = 1, burst = 1 }
ops.charge = {}
[[variants]]
name = "v"
[[variants.units]]
name = "shop"
modules = ["shop"]
"#;
    let r = run(&scenario(text));
    let e = &r.variants[0].entries["buy"];
    assert_eq!(e.success_ratio.min, 1.0, "every request succeeds");
    // Latencies are recorded in a log-bucketed histogram whose relative precision is about
    // 0.1 %: the mean of each replication lies within 0.2 % of 1.01 s.
    for x in [e.latency_s.mean.min, e.latency_s.mean.max] {
        assert!(
            (x - 1.01).abs() < 0.002 * 1.01,
            "latency {:?}",
            e.latency_s.mean
        );
    }
    assert!(r.variants[0].components["pay"].node.rejected.mean >= 29.0);
}

#[test]
fn an_outage_is_a_fault_on_the_external() {
    // The external is down for 10 s of a 30 s run: about a third of the requests fail.
    let s = scenario(&calling(
        50.0,
        30,
        "latency = \"20ms\"\nops.charge = {}",
        "[[faults]]\nkind = \"crash\"\ntarget = \"pay\"\nat = \"10s\"\nduration = \"10s\"",
    ));
    let r = run(&s);
    assert_within_ci(
        &r.variants[0].entries["buy"].success_ratio,
        2.0 / 3.0,
        "share of requests outside the outage",
    );
}

#[test]
fn bad_external_keys_are_located_errors() {
    let cases: &[(&str, &str)] = &[
        ("ops.charge = {}", "externals.pay.ops.charge"),
        (
            "latency = \"1ms\"\nerror_rate = 1.5\nops.charge = {}",
            "externals.pay.error_rate",
        ),
        (
            "latency = \"1ms\"\nquota = { rate = 0 }\nops.charge = {}",
            "externals.pay.quota.rate",
        ),
        (
            "latency = \"1ms\"\nprice = -1\nops.charge = {}",
            "externals.pay.price",
        ),
        ("latency = \"1ms\"", "externals.pay"),
    ];
    for (ext, field) in cases {
        let text = calling(10.0, 1, ext, "");
        let err = scenario::parse(&text, "x.toml")
            .err()
            .unwrap_or_else(|| panic!("{ext:?} should be rejected"))
            .to_string();
        assert!(err.contains(field), "{ext:?}: expected {field} in\n{err}");
    }
    // An entry cannot call an external directly.
    let text = calling(10.0, 1, "latency = \"1ms\"\nops.charge = {}", "")
        .replace("op = \"shop.buy\"\narrival", "op = \"pay.charge\"\narrival");
    let err = match scenario::parse(&text, "x.toml") {
        Ok(_) => panic!("an entry calling an external must be rejected"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("external service operation"), "{err}");
}
