//! Helpers shared by the integration tests.

use archsim::results::Results;
use archsim::runner::{self, RunOptions};
use archsim::scenario::{self, Scenario};
use archsim::stats::stat::Stat;
use std::path::PathBuf;

/// The analytic estimate of node `name` (a unit, database, host or `gateway`).
#[track_caller]
pub fn est_node<'a>(
    e: &'a archsim::estimate::VariantEstimate,
    name: &str,
) -> &'a archsim::estimate::NodeEstimate {
    match e.nodes.iter().find(|x| x.name == name) {
        Some(n) => n,
        None => panic!("no node `{name}` in the estimate of `{}`", e.variant),
    }
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses a scenario given as TOML text; panics with the diagnostics if it is invalid.
pub fn scenario(text: &str) -> Scenario {
    match scenario::parse(text, "<test>") {
        Ok(s) => s,
        Err(e) => panic!("test scenario does not parse:\n{e}"),
    }
}

/// Loads a scenario file relative to the repository root.
pub fn load(rel: &str) -> Scenario {
    match scenario::load(&root().join(rel)) {
        Ok(s) => s,
        Err(e) => panic!("{rel} does not load:\n{e}"),
    }
}

/// Runs every variant with the scenario's own settings and checks the self-check passed.
pub fn run(s: &Scenario) -> Results {
    let r = runner::run(s, &RunOptions::default()).expect("run");
    assert!(
        r.self_check.ok,
        "self-check failed: {:#?}",
        r.self_check.violations
    );
    r
}

/// Asserts that the closed-form value `theory` lies in the 95% confidence interval of `stat`.
///
/// This is the test oracle of the queueing validation: the tolerance is the interval computed
/// from the replications, never a guessed percentage. With a fixed seed the outcome is
/// deterministic; an unbiased estimator misses its interval 5% of the time, so a failure after a
/// change of the random-draw order deserves a look at the bias before a change of seed.
#[track_caller]
pub fn assert_within_ci(stat: &Stat, theory: f64, what: &str) {
    assert!(
        stat.ci95_low <= theory && theory <= stat.ci95_high,
        "{what}: theory {theory:.6} outside the 95% interval [{:.6}, {:.6}] (mean {:.6}, half-width {:.6})",
        stat.ci95_low,
        stat.ci95_high,
        stat.mean,
        stat.half_width()
    );
    // An interval so wide that it would accept anything is a useless oracle.
    assert!(
        stat.half_width() <= 0.1 * theory.abs().max(1e-9),
        "{what}: interval too wide to be a test (half-width {:.6} vs value {theory:.6}); run longer",
        stat.half_width()
    );
}

/// Asserts `a ≈ b` within a relative tolerance (for deterministic quantities).
#[track_caller]
pub fn assert_close(a: f64, b: f64, rel: f64, what: &str) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-12),
        "{what}: {a} vs {b} (relative tolerance {rel})"
    );
}
