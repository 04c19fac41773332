//! The monthly bill over the declared month (`[month]`, docs/cost.md "The month"), against
//! hand-computed bills: a managed gateway billed per request ($1.00 per million) in front of a
//! VM unit of fixed size (c7i.large, $0.08925 an hour whatever the load).

use crate::common::{run, scenario};
use archsim::results::VariantResult;

/// One entry `req` with arrival `arrival` over 100 s (no warm-up) through an HTTP API
/// gateway to `back.work` on one c7i.large; `month` appended verbatim at the top level.
fn shop(arrival: &str, month: &str) -> String {
    format!(
        r#"name = "month"
seed = 5
replications = 2
{month}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "100s"
warmup = "0s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = {arrival}
[modules.back]
ops.work = {{ cpu = "1ms" }}
[[variants]]
name = "v"
gateway = {{ overhead = "0s", product = "aws_http_api" }}
[[variants.units]]
name = "back"
modules = ["back"]
cores = 2
base_memory = "1GB"
"#
    )
}

const STEADY: &str = r#"{ process = "constant", rate = 10 }"#;
/// c7i.large per hour (`src/spec/instances.toml`).
const C7I_LARGE: f64 = 0.08925;

fn month(v: &VariantResult, key: &str) -> f64 {
    v.cost.by_resource[key].per_month_usd.mean
}

fn close(a: f64, b: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * b.abs(),
        "{what}: {a} vs hand-computed {b}"
    );
}

#[test]
fn black_friday_peaks_bill_their_hours_at_their_load() {
    let r = run(&scenario(&shop(
        STEADY,
        "[month]\npeaks = [{ duration = \"6h\", load = 5 }]",
    )));
    let v = &r.variants[0];
    // 10 requests/s for 724 h and 50/s for 6 h, at $1.00 per million.
    let requests = 10.0 * 3600.0 * 724.0 + 50.0 * 3600.0 * 6.0;
    close(month(v, "gateway/gateway"), requests / 1e6, "gateway");
    // A fixed VM costs the same whatever the load: 730 h of c7i.large.
    close(month(v, "unit/back"), 730.0 * C7I_LARGE, "unit");
    close(
        v.cost.per_month_usd.mean,
        requests / 1e6 + 730.0 * C7I_LARGE,
        "total",
    );
    assert_eq!(v.cost.month, "6 h at 5×, the rest steady");
    // The window's own bill is what the 100 s cost.
    let arrived = v.entries["req"].arrived.mean;
    close(
        v.cost.by_resource["gateway/gateway"].window_usd.mean,
        arrived / 1e6,
        "this window",
    );
}

#[test]
fn without_a_month_a_spike_is_billed_at_its_base_never_at_its_peak() {
    let spike = r#"{ process = "constant", profile = { spike = { base = 10, peak = 50, at = "20s", duration = "50s" } } }"#;
    let r = run(&scenario(&shop(spike, "")));
    let v = &r.variants[0];
    // The steady month: 730 h at the base rate of 10 requests/s.
    close(
        month(v, "gateway/gateway"),
        10.0 * 3600.0 * 730.0 / 1e6,
        "steady month",
    );
    assert!(v.cost.month.starts_with("steady"));
    // The window repeated all month bills the spike's share: about 3,000 requests per 100 s.
    let repeated = run(&scenario(&shop(spike, "[month]\nrepeat = \"window\"")));
    let w = &repeated.variants[0];
    let arrived = w.entries["req"].arrived.mean;
    close(
        month(w, "gateway/gateway"),
        arrived / 1e6 * 730.0 * 36.0,
        "window repeated",
    );
    assert!(month(w, "gateway/gateway") > 2.9 * month(v, "gateway/gateway"));
}

#[test]
fn a_steady_month_of_a_steady_workload_is_the_window_extrapolated() {
    let r = run(&scenario(&shop(STEADY, "")));
    let v = &r.variants[0];
    close(
        month(v, "gateway/gateway"),
        10.0 * 3600.0 * 730.0 / 1e6,
        "gateway",
    );
    close(month(v, "unit/back"), 730.0 * C7I_LARGE, "unit");
}

#[test]
fn month_errors_name_the_field() {
    let err = |month: &str| {
        archsim::scenario::parse(&shop(STEADY, month), "f.toml")
            .expect_err("invalid")
            .to_string()
    };
    let msg = err("[month]\nrepeat = \"year\"");
    assert!(
        msg.contains("month.repeat") && msg.contains("\"window\""),
        "{msg}"
    );
    let msg = err("[month]\nrepeat = \"window\"\npeaks = [{ duration = \"1h\", load = 2 }]");
    assert!(msg.contains("exclude each other"), "{msg}");
    let msg = err("[month]\npeaks = [{ duration = \"1h\", load = 0 }]");
    assert!(msg.contains("month.peaks[0].load"), "{msg}");
    let msg = err("[month]\npeaks = [{ duration = \"800h\", load = 2 }]");
    assert!(
        msg.contains("month.peaks[0].duration") && msg.contains("730"),
        "{msg}"
    );
    let msg = err("[month]\npeaks = [{ duration = \"1h\", load = 2, extra = 1 }]");
    assert!(msg.contains("extra"), "{msg}");
}

/// An autoscaled VM unit (one core per instance, c7i.large) serving 100 ms of CPU per request
/// at a constant 10 requests/s, with a spike to 50/s from 100 s to 300 s of a 400 s run;
/// syncs every second, instances ready at once, no scale-down stabilization, no rate limit
/// that binds, so the count settles within a few syncs of each change of load.
const AUTOSCALED: &str = r#"name = "month-hpa"
seed = 2
replications = 2
[month]
peaks = [{ duration = "6h", load = 5 }]
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "400s"
warmup = "0s"
window = "10s"
[[workload.entries]]
name = "req"
op = "back.work"
arrival = { process = "constant", profile = { spike = { base = 10, peak = 50, at = "100s", duration = "200s" } } }
[modules.back]
ops.work = { cpu = "100ms" }
[[variants]]
name = "hpa"
[[variants.units]]
name = "back"
modules = ["back"]
cores = 1
workers = 1000
base_memory = "1GB"
autoscale = { target_utilization = 0.5, min = 2, max = 20, period = "1s", startup = "0s", scale_down_window = "0s", scale_up_pods = 100 }
"#;

#[test]
fn an_autoscaled_unit_bills_the_month_at_the_counts_it_settles_at() {
    let r = run(&scenario(AUTOSCALED));
    let v = &r.variants[0];
    // The HPA rule: n = ceil(λ · E[S] / target) = ceil(10 × 0.1 / 0.5) = 2 at the base load
    // and ceil(50 × 0.1 / 0.5) = 10 at the peak (5×), each within the tolerance once reached.
    let (n_base, n_peak) = ((10.0 * 0.1 / 0.5_f64).ceil(), (50.0 * 0.1 / 0.5_f64).ceil());
    assert_eq!((n_base, n_peak), (2.0, 10.0));
    let a = v.units["back"].autoscaling.as_ref().expect("autoscaled");
    assert_eq!(a.instances_min.mean, 2.0);
    // The series: every 10 s window ends at the settled count of its load.
    let series = &v.series.nodes["back"].instances;
    assert_eq!(series.len(), 40);
    for (k, x) in series.iter().enumerate() {
        let expected = if (10..30).contains(&k) {
            n_peak
        } else {
            n_base
        };
        assert_eq!(*x, expected, "window {k}");
    }
    // The month: 724 h at 2 instances and 6 h at 10, each a c7i.large.
    let hours = 724.0 * n_base + 6.0 * n_peak;
    close(month(v, "unit/back"), hours * C7I_LARGE, "autoscaled month");
    // Not the window's mean repeated: 2 instances 200 s, 10 for ~200 s, a mean near 6.
    assert!(a.instances_mean.mean > 5.0);
    assert!(month(v, "unit/back") < 0.4 * 730.0 * a.instances_mean.mean * C7I_LARGE);
}
