//! Random valid scenarios (see `gen`) through whole runs: each must validate, run without a
//! panic, pass the self-check (Little's law and conservation per instance, conservation per
//! entry) and give byte-identical results documents on one and on two threads.

use super::gen::scenario;
use archsim::runner::{self, shard::strip_timings, RunOptions};
use proptest::prelude::*;

/// The results document of `text` run on `threads` threads, without its timings; panics with
/// the scenario when it is invalid, fails its self-check or cannot run.
pub fn run_generated(text: &str, threads: usize) -> String {
    let s = match archsim::scenario::parse(text, "generated.toml") {
        Ok(s) => s,
        Err(e) => panic!("a generated scenario is invalid:\n{e}\n--- scenario ---\n{text}"),
    };
    let mut r = match runner::run(
        &s,
        &RunOptions {
            threads: Some(threads),
            ..Default::default()
        },
    ) {
        Ok(r) => r,
        Err(e) => panic!("a generated scenario does not run: {e}\n--- scenario ---\n{text}"),
    };
    assert!(
        r.self_check.ok && r.self_check.violations.is_empty(),
        "self-check failed: {:#?}\n--- scenario ---\n{text}",
        r.self_check.violations
    );
    strip_timings(&mut r);
    r.to_json()
}

/// Runs a generated scenario on one and two threads and compares the documents.
pub fn check_generated(text: &str) {
    let one = run_generated(text, 1);
    let two = run_generated(text, 2);
    assert!(
        one == two,
        "results differ between 1 and 2 threads\n--- scenario ---\n{text}"
    );
}

proptest! {
    #![proptest_config(super::config(40))]

    #[test]
    fn random_valid_scenarios_run_deterministically_and_pass_the_self_check(seed in any::<u64>()) {
        check_generated(&scenario(seed));
    }
}

/// The generator covers every component kind over a few hundred seeds (a generator that stops
/// producing one would leave it unfuzzed).
#[test]
fn the_generator_reaches_every_component_kind() {
    let texts: Vec<String> = (0..300).map(scenario).collect();
    let all = texts.join("\n");
    for needle in [
        "parallel = [",
        "saga = [",
        "publish = ",
        "[[variants.queues]]",
        "[[variants.databases]]",
        "read_replicas",
        "pricing = \"request\"",
        "pool = {",
        "retry = {",
        "breaker = {",
        "bulkhead = ",
        "fallback = \"degraded\"",
        "resilience = {",
        "shed = {",
        "autoscale = {",
        "platform = \"serverless\"",
        "reserved_concurrency",
        "platform = \"kubernetes\"",
        "[[variants.hosts]]",
        "zones = [",
        "gateway = { overhead",
        "[variants.gateway]",
        "auth = {",
        "rate_limit = {",
        "[[variants.gateway.routes]]",
        "[[variants.load_balancers]]",
        "[[variants.caches]]",
        "cdn = {",
        "process = \"closed\"",
        "profile = {",
        "kind = \"error\"",
        "kind = \"latency\"",
        "kind = \"slow\"",
        "kind = \"crash\"",
        "mtbf = ",
        "kind = \"partition\"",
        "name = \"monolith\"",
        "team = ",
    ] {
        assert!(all.contains(needle), "no generated scenario has `{needle}`");
    }
}
