//! Data transfer to the internet (docs/cost.md, line `transfer/internet`): every successful
//! entry response carries its operation's `payload` out at `internet_egress_per_gb` ($0.09 per
//! GB), against hand-computed bills over the window and the month.

use crate::common::{run, scenario};

/// One entry at a constant 100/s for 100 s whose operation answers `payload`; `extra` is
/// appended at the top level.
fn site(payload: &str, extra: &str) -> String {
    format!(
        r#"name = "egress"
seed = 1
replications = 2
{extra}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "100s"
warmup = "0s"
[[workload.entries]]
name = "page"
op = "web.page"
arrival = {{ process = "constant", rate = 100 }}
[modules.web]
ops.page = {{ cpu = "1ms", payload = "{payload}" }}
[[variants]]
name = "v"
[[variants.units]]
name = "web"
modules = ["web"]
cores = 2
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
fn responses_to_the_internet_are_billed_per_gb() {
    let r = run(&scenario(&site("10KB", "")));
    let v = &r.variants[0];
    let done = v.entries["page"].completed.mean;
    // Arrivals at k × 10 ms, the one at exactly 100 s outside the run: 9,999, all answered.
    assert_eq!(done, 9_999.0);
    let line = &v.cost.by_resource["transfer/internet"];
    close(line.window_usd.mean, done * 10_000.0 / 1e9 * 0.09, "window");
    // The steady month: 100 responses/s of 10 KB for 730 h = 2,628 GB at $0.09 = $236.52.
    close(line.per_month_usd.mean, 2_628.0 * 0.09, "month");
    // A peak bills its hours at its load: 6 h at 5× adds 4 × 6 × 3600 × 100 × 10 KB.
    let r = run(&scenario(&site(
        "10KB",
        "[month]\npeaks = [{ duration = \"6h\", load = 5 }]",
    )));
    let line = &r.variants[0].cost.by_resource["transfer/internet"];
    let gb = (724.0 * 3600.0 * 100.0 + 6.0 * 3600.0 * 500.0) * 10_000.0 / 1e9;
    close(line.per_month_usd.mean, gb * 0.09, "month with a peak");
}

#[test]
fn a_response_through_a_front_door_carries_the_operation_payload() {
    // The same site behind a managed gateway: the answer is still `web.page`'s 10 KB.
    let text = site("10KB", "").replace(
        "name = \"v\"\n",
        "name = \"v\"\ngateway = { overhead = \"0s\", product = \"aws_http_api\" }\n",
    );
    assert!(text.contains("aws_http_api"));
    let r = run(&scenario(&text));
    let line = &r.variants[0].cost.by_resource["transfer/internet"];
    close(
        line.per_month_usd.mean,
        2_628.0 * 0.09,
        "month behind a gateway",
    );
}

#[test]
fn the_egress_price_is_a_price_key_and_no_payload_bills_nothing() {
    let r = run(&scenario(&site(
        "10KB",
        "[prices]\ninternet_egress_per_gb = 0.05",
    )));
    let line = &r.variants[0].cost.by_resource["transfer/internet"];
    close(line.per_month_usd.mean, 2_628.0 * 0.05, "month at $0.05");
    let r = run(&scenario(&site("0B", "")));
    assert!(!r.variants[0]
        .cost
        .by_resource
        .contains_key("transfer/internet"));
}
