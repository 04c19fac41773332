//! Compensations with a retry policy: `compensate = { op, retry }` retries a failing
//! compensation; a compensation failing with probability p on each attempt, with k attempts,
//! ends failed with probability p^k (a binomial count checked within its confidence
//! interval); each such failure leaves its saga inconsistent. And the located errors of the
//! map form.

use crate::common::{run, scenario};

/// Replications of each run.
const REPS: f64 = 10.0;

/// `o.place` runs a saga: `p.pay` (undone by `compensate`), then `s.ship`, which always
/// fails; `p.refund` fails with probability `p_fail` on each attempt.
fn saga_scenario(compensate: &str, p_fail: f64) -> String {
    format!(
        r#"name = "compensation retries"
seed = 5
replications = {REPS}
[network]
latency = "0s"
marshal_per_kb = "0us"
[workload]
duration = "200s"
warmup = "10s"
[[workload.entries]]
name = "place"
op = "o.place"
arrival = {{ process = "poisson", rate = 20 }}
[modules.o]
ops.place = {{ cpu = "0s", calls = [ {{ saga = [ {{ op = "p.pay", compensate = {compensate} }}, {{ op = "s.ship" }} ] }} ] }}
[modules.p]
ops.pay = {{ cpu = "1ms" }}
ops.refund = {{ cpu = "1ms", errors = {p_fail} }}
[modules.s]
ops.ship = {{ cpu = "1ms", errors = 1 }}
[[variants]]
name = "v"
[[variants.units]]
name = "o"
modules = ["o"]
cores = 64
workers = 100000
[[variants.units]]
name = "p"
modules = ["p"]
cores = 64
workers = 100000
[[variants.units]]
name = "s"
modules = ["s"]
cores = 64
workers = 100000
"#
    )
}

/// Runs the saga and checks the share of compensations that ended failed against `theory`
/// within z = 4 binomial standard errors of the pooled count; returns (compensations,
/// failures) summed over the replications.
fn check(compensate: &str, p_fail: f64, theory: f64) -> (f64, f64) {
    let r = run(&scenario(&saga_scenario(compensate, p_fail)));
    let v = &r.variants[0];
    let s = &v.sagas["o.place"];
    let reps = REPS;
    let (n, k) = (
        s.compensations.mean * reps,
        s.compensation_failures.mean * reps,
    );
    assert!(n > 10_000.0, "{compensate}: {n} compensations");
    // Every saga fails at `s.ship` and runs one compensation: failed compensations are the
    // inconsistent sagas, the others compensated.
    assert_eq!(s.committed.max, 0.0);
    assert!(
        (s.inconsistent.mean * reps - k).abs() < 1e-6,
        "{compensate}"
    );
    assert!(
        ((s.compensated.mean + s.inconsistent.mean) * reps - n).abs() < 1e-6,
        "{compensate}"
    );
    let f = k / n;
    let se = (theory * (1.0 - theory) / n).sqrt();
    assert!(
        (f - theory).abs() <= 4.0 * se,
        "{compensate}: failed share {f:.5} vs p^k = {theory:.5} (4 se = {:.5})",
        4.0 * se
    );
    assert!(
        (s.compensation_failure_ratio.mean - theory).abs() <= 4.0 * se * reps.sqrt() + 1e-12,
        "{compensate}: mean ratio {}",
        s.compensation_failure_ratio.mean
    );
    (n, k)
}

#[test]
fn a_retried_compensation_fails_with_probability_p_to_the_k() {
    let p = 0.5;
    // The string form: one attempt (the unit has no `resilience` default).
    check(r#""p.refund""#, p, p);
    // The map form with k attempts: p^k.
    for k in [2, 3] {
        check(
            &format!(
                r#"{{ op = "p.refund", retry = {{ attempts = {k}, base = "1ms", cap = "1ms" }} }}"#
            ),
            p,
            p.powi(k),
        );
    }
    // A map without `retry` is the string form.
    check(r#"{ op = "p.refund" }"#, p, p);
}

#[test]
fn a_compensation_that_never_fails_leaves_no_saga_inconsistent() {
    let (n, k) = check(
        r#"{ op = "p.refund", retry = { attempts = 4, base = "1ms", cap = "1ms" } }"#,
        0.0,
        0.0,
    );
    assert!(n > 0.0);
    assert_eq!(k, 0.0);
}

#[test]
fn the_map_form_of_compensate_is_checked_and_located() {
    let err = |compensate: &str| match archsim::scenario::parse(
        &saga_scenario(compensate, 0.5),
        "t.toml",
    ) {
        Ok(_) => panic!("accepted: {compensate}"),
        Err(e) => e.to_string(),
    };
    let f = "modules.o.ops.place.calls[0].saga[0].compensate";
    let e = err(r#"{ op = "p.refund", retry = { attempts = 0 } }"#);
    assert!(e.contains(&format!("{f}.retry.attempts")), "{e}");
    assert!(e.contains("t.toml:"), "{e}");
    let e = err(r#"{ op = "p.nothing" }"#);
    assert!(e.contains(&format!("{f}.op")), "{e}");
    let e = err(r#""p.nothing""#);
    assert!(e.contains(f), "{e}");
    let e = err(r#"{ op = "p.refund", tries = 3 }"#);
    assert!(e.contains("tries"), "{e}");
    let e = err(r#"{ retry = {} }"#);
    assert!(e.contains("op"), "{e}");
    let e = err("3");
    assert!(
        e.contains("an operation name (`module.op`) or a table"),
        "{e}"
    );
}
