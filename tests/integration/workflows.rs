//! Workflows (Step Functions-like): the standard bill is transitions × $0.025 per 1,000 and the
//! express bill requests × $1 per million plus GB-s (100 ms and 64 MB increments), computed by
//! hand; a choice is taken with its probability; a map of N items at concurrency c of a
//! deterministic task t ends after ⌈N/c⌉·t; a wait adds exactly its duration; an execution
//! past its mode's limit fails `max_duration` as often as the wait's tail says; the limits are
//! located validation errors.

use crate::common::{assert_within_ci, run, scenario};

/// A scenario whose entry `go` calls `o.start` (Poisson `rate` per second for `secs` seconds,
/// no warm-up), which calls `{ workflow = "w"{wait} }`; `workflow` is the `[workflows.w]`
/// body; module `t` has `t.a` (cpu `a`) and `t.b` (cpu `b`) on a wide unit; no network cost.
fn flow(rate: f64, secs: u32, wait: &str, workflow: &str, a: &str, b: &str) -> String {
    format!(
        r#"
name = "workflow"
seed = 11
replications = 8
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "{secs}s"
[[workload.entries]]
name = "go"
op = "o.start"
arrival = {{ process = "poisson", rate = {rate} }}
[modules.o]
ops.start = {{ cpu = "0s", calls = [ {{ workflow = "w"{wait} }} ] }}
[modules.t]
ops.a = {{ cpu = "{a}" }}
ops.b = {{ cpu = "{b}" }}
[workflows.w]
{workflow}
[[variants]]
name = "v"
[[variants.units]]
name = "o"
modules = ["o"]
cores = 4096
workers = 100000
[[variants.units]]
name = "t"
modules = ["t"]
cores = 4096
workers = 100000
"#
    )
}

#[test]
fn standard_bill_is_transitions_times_price() {
    // Every execution enters 5 states: a, pause (0 s), fan (parallel), and its two branches;
    // with no time anywhere every execution starts and ends at its arrival, so the window's
    // transitions are exactly 5 × the executions started, billed at $0.025 per 1,000.
    let wf = r#"mode = "standard"
start = "a"
states.a = { type = "task", op = "t.a", next = "pause" }
states.pause = { type = "wait", duration = "0s", next = "fan" }
states.fan = { type = "parallel", branches = ["x", "y"] }
states.x = { type = "task", op = "t.a" }
states.y = { type = "task", op = "t.b" }"#;
    let r = run(&scenario(&flow(50.0, 60, "", wf, "0s", "0s")));
    let v = &r.variants[0];
    let w = &v.workflows["w"];
    assert_eq!(w.mode, "standard");
    assert_eq!(w.transitions_per_execution.mean, 5.0);
    assert_eq!(w.transitions_per_execution.max, 5.0);
    assert_eq!(w.started.mean, v.entries["go"].arrived.mean);
    assert_eq!(w.succeeded.mean, w.started.mean);
    let bill = v.cost.by_resource["workflow/w"].window_usd.mean;
    let hand = 5.0 * w.started.mean * 0.025 / 1000.0;
    assert!(
        (bill - hand).abs() < 1e-12 * hand.max(1.0),
        "bill {bill} vs {hand}"
    );
    assert!(w.started.mean > 2000.0, "{}", w.started.mean);
}

#[test]
fn express_bill_is_requests_plus_gb_seconds() {
    // One task of exactly 250 ms: each execution is billed 300 ms (rounded up to 100 ms) at
    // 128 MB (100 MB rounded up to 64 MB increments): $1 per million requests plus
    // 0.3 s × 0.128 GB × $0.00001667 per GB-s per execution that ended.
    let wf = r#"mode = "express"
memory = "100MB"
start = "a"
states.a = { type = "task", op = "t.a" }"#;
    let r = run(&scenario(&flow(
        20.0,
        30,
        ", wait = true",
        wf,
        "250ms",
        "0s",
    )));
    let v = &r.variants[0];
    let w = &v.workflows["w"];
    assert!(
        (w.duration_s.mean - 0.25).abs() < 1e-9,
        "{}",
        w.duration_s.mean
    );
    let bill = v.cost.by_resource["workflow/w"].window_usd.mean;
    let hand = w.started.mean * 1.0 / 1e6 + w.executions.mean * 0.3 * 0.128 * 0.000_016_67;
    assert!((bill - hand).abs() < 1e-12, "bill {bill} vs {hand}");
    // The caller waited for the execution: the entry's latency includes the 250 ms.
    assert!(v.entries["go"].latency_s.mean.mean >= 0.25 - 1e-9);
}

#[test]
fn a_choice_is_taken_with_its_probability() {
    // With p = 0.3 the execution goes through `slow` (a 0 s wait, then the task: 3 states),
    // otherwise straight to the task (2 states): transitions per execution = 2 + p̂, a
    // binomial share over all executions.
    let p = 0.3;
    let wf = format!(
        r#"mode = "standard"
start = "pick"
states.pick = {{ type = "choice", choices = [ {{ p = {p}, next = "slow" }} ], default = "b" }}
states.slow = {{ type = "wait", duration = "0s", next = "a" }}
states.a = {{ type = "task", op = "t.a" }}
states.b = {{ type = "task", op = "t.b" }}"#
    );
    let r = run(&scenario(&flow(100.0, 40, "", &wf, "0s", "0s")));
    let w = &r.variants[0].workflows["w"];
    let n = w.executions.mean * 8.0;
    let p_hat = w.transitions_per_execution.mean - 2.0;
    // 4 binomial standard errors over every execution of every replication.
    let se = (p * (1.0 - p) / n).sqrt();
    assert!(
        (p_hat - p).abs() < 4.0 * se,
        "p̂ = {p_hat}, p = {p}, se = {se}"
    );
    assert_within_ci(&w.transitions_per_execution, 2.0 + p, "2 + p");
}

#[test]
fn a_map_takes_rounds_of_its_concurrency() {
    // 10 items, 3 at a time, each a task of exactly 1 s: ⌈10/3⌉ = 4 rounds = 4 s; 1 + 10
    // transitions.
    let wf = r#"mode = "standard"
start = "each"
states.each = { type = "map", items = 10, concurrency = 3, iterator = "work" }
states.work = { type = "task", op = "t.a" }"#;
    let r = run(&scenario(&flow(0.5, 100, "", wf, "1s", "0s")));
    let w = &r.variants[0].workflows["w"];
    assert!(w.executions.mean > 10.0);
    assert!(
        (w.duration_s.mean - 4.0).abs() < 1e-9,
        "{}",
        w.duration_s.mean
    );
    assert!((w.duration_s.max - 4.0).abs() < 1e-9);
    assert_eq!(w.transitions_per_execution.mean, 11.0);
}

#[test]
fn a_map_of_drawn_items_runs_each_item() {
    // Items uniform on [0, 20] rounded: on average 10 items, each one transition.
    let wf = r#"mode = "standard"
start = "each"
states.each = { type = "map", items = { dist = "uniform", min = 0, max = 20 }, concurrency = 4, iterator = "work" }
states.work = { type = "task", op = "t.a" }"#;
    let r = run(&scenario(&flow(20.0, 50, "", wf, "0s", "0s")));
    let w = &r.variants[0].workflows["w"];
    assert_within_ci(&w.transitions_per_execution, 11.0, "1 + E[items]");
}

#[test]
fn a_wait_adds_exactly_its_duration() {
    let wf = r#"mode = "standard"
start = "pause"
states.pause = { type = "wait", duration = "7s", next = "a" }
states.a = { type = "task", op = "t.a" }"#;
    let r = run(&scenario(&flow(2.0, 100, "", wf, "3ms", "0s")));
    let v = &r.variants[0];
    let w = &v.workflows["w"];
    assert!(
        (w.duration_s.mean - 7.003).abs() < 1e-9,
        "{}",
        w.duration_s.mean
    );
    assert!((w.duration_s.min - 7.003).abs() < 1e-9);
    // Started asynchronously: the caller does not wait for the workflow.
    assert!(v.entries["go"].latency_s.mean.mean < 1e-6);
}

#[test]
fn an_express_execution_past_five_minutes_fails_max_duration() {
    // A wait drawn exponential with a mean of 200 s (validation counts an unbounded
    // distribution by its mean): the execution fails when the draw exceeds 300 s, q =
    // e^(−300/200). Counted are the executions that ended before the end of the run T: one
    // started at s ≤ T − 300 s always ends (failed with probability q); one started at T − u
    // (u < 300 s) ends only if its draw is below u, and then succeeds. So the failed share of
    // the ended ones is (T − 300)·q / (T − 200·(1 − q)) (seconds).
    let wf = r#"mode = "express"
start = "pause"
states.pause = { type = "wait", duration = { dist = "exp", mean = "200s" }, next = "a" }
states.a = { type = "task", op = "t.a" }"#;
    let r = run(&scenario(&flow(2.0, 3000, "", wf, "0s", "0s")));
    let w = &r.variants[0].workflows["w"];
    let failed = &w.failed["max_duration"];
    let share: Vec<f64> = vec![failed.mean / w.executions.mean];
    let q = (-1.5f64).exp();
    let t = 3000.0;
    let theory = (t - 300.0) * q / (t - 200.0 * (1.0 - q));
    let n = w.executions.mean * 8.0;
    let se = (theory * (1.0 - theory) / n).sqrt();
    assert!(
        (share[0] - theory).abs() < 4.0 * se,
        "{} vs {theory} (se {se})",
        share[0]
    );
    assert!((w.succeeded.mean + failed.mean - w.executions.mean).abs() < 1e-6);
}

#[test]
fn the_limits_are_located_validation_errors() {
    let err = |text: &str| match archsim::scenario::parse(text, "wf.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    };
    // An express workflow whose waits add up to 6 minutes.
    let wf = r#"mode = "express"
start = "p1"
states.p1 = { type = "wait", duration = "4m", next = "p2" }
states.p2 = { type = "wait", duration = { dist = "uniform", min = "1m", max = "2m" }, next = "a" }
states.a = { type = "task", op = "t.a" }"#;
    let text = flow(1.0, 10, "", wf, "0s", "0s");
    let line = text
        .lines()
        .position(|l| l.starts_with("mode = "))
        .expect("mode")
        + 1;
    let e = err(&text);
    assert!(e.contains(&format!("wf.toml:{line}")), "{e}");
    assert!(e.contains("workflows.w.mode"), "{e}");
    assert!(e.contains("5m") || e.contains("300"), "{e}");
    assert!(e.contains("6m") || e.contains("360"), "{e}");
    // A standard workflow beyond a year.
    let wf = r#"mode = "standard"
start = "p1"
states.p1 = { type = "wait", duration = "9000h", next = "a" }
states.a = { type = "task", op = "t.a" }"#;
    let e = err(&flow(1.0, 10, "", wf, "0s", "0s"));
    assert!(
        e.contains("workflows.w.mode") && e.contains("standard"),
        "{e}"
    );
    // `wait = true` on a standard workflow; an unknown state; a cycle; memory on standard.
    let wf = r#"mode = "standard"
start = "a"
states.a = { type = "task", op = "t.a" }"#;
    let e = err(&flow(1.0, 10, ", wait = true", wf, "0s", "0s"));
    assert!(e.contains("calls[0].wait") && e.contains("express"), "{e}");
    let wf = r#"mode = "standard"
start = "a"
states.a = { type = "task", op = "t.a", next = "bb" }
states.b = { type = "task", op = "t.b", next = "a" }"#;
    let e = err(&flow(1.0, 10, "", wf, "0s", "0s"));
    assert!(
        e.contains("workflows.w.states.a.next") && e.contains("`bb`"),
        "{e}"
    );
    let wf = r#"mode = "standard"
start = "a"
states.a = { type = "task", op = "t.a", next = "b" }
states.b = { type = "task", op = "t.b", next = "a" }"#;
    let e = err(&flow(1.0, 10, "", wf, "0s", "0s"));
    assert!(e.contains("cycle"), "{e}");
    let wf = r#"mode = "standard"
memory = "128MB"
start = "a"
states.a = { type = "task", op = "t.a", duration = "1s" }"#;
    let e = err(&flow(1.0, 10, "", wf, "0s", "0s"));
    assert!(e.contains("workflows.w.memory"), "{e}");
    assert!(e.contains("workflows.w.states.a.duration"), "{e}");
}

#[test]
fn every_retry_of_a_task_is_a_billed_transition() {
    // Task `a` fails with probability p = 0.5 and is retried up to 3 attempts (backoff of at
    // most 1 µs); then task `b`. AWS counts each retry as a state transition: an execution
    // makes 2 (a, b) on a first success, 3 after one retry, 4 after two, and 3 (a and its two
    // retries, no b) when all three attempts fail:
    // E = 2(1 − p) + 3p(1 − p) + 4p²(1 − p) + 3p³ = 2.625 at p = 0.5
    // (1.875 if the retries were not counted: states entered only).
    let p: f64 = 0.5;
    let expected =
        2.0 * (1.0 - p) + 3.0 * p * (1.0 - p) + 4.0 * p * p * (1.0 - p) + 3.0 * p.powi(3);
    assert_eq!(expected, 2.625);
    let wf = r#"mode = "standard"
start = "a"
states.a = { type = "task", op = "t.a", retry = { attempts = 3, base = "1us", cap = "1us" }, next = "b" }
states.b = { type = "task", op = "t.b" }"#;
    let text = flow(50.0, 60, "", wf, "0s", "0s").replace(
        r#"ops.a = { cpu = "0s" }"#,
        r#"ops.a = { cpu = "0s", errors = 0.5 }"#,
    );
    let r = run(&scenario(&text));
    let v = &r.variants[0];
    let w = &v.workflows["w"];
    assert_within_ci(&w.transitions_per_execution, expected, "states + retries");
    // Failed executions: all three attempts failed, p³ of them.
    let failed: f64 = w.failed.values().map(|s| s.mean).sum();
    let share = failed / w.executions.mean;
    let n = w.executions.mean * 8.0;
    let se = (p.powi(3) * (1.0 - p.powi(3)) / n).sqrt();
    assert!((share - p.powi(3)).abs() < 4.0 * se, "failed {share}");
    // The bill is the window's transitions, retries included, × $0.025 per 1,000: about
    // executions × 2.625 × price.
    let bill = v.cost.by_resource["workflow/w"].window_usd.mean;
    assert!(
        (bill - w.transitions.mean * 0.025 / 1000.0).abs() < 1e-12,
        "bill {bill} vs {}",
        w.transitions.mean
    );
    let hand = w.started.mean * expected * 0.025 / 1000.0;
    assert!((bill - hand).abs() < 0.02 * hand, "bill {bill} vs {hand}");
}
