//! Helpers of the estimate's unit tests in the component folders.

use super::VariantEstimate;

/// The estimate of the first variant of scenario `text` (which must be valid).
pub fn estimate_of(text: &str) -> VariantEstimate {
    match crate::scenario::parse(text, "<test>") {
        Ok(s) => super::estimate(&s, 0),
        Err(e) => panic!("test scenario does not parse:\n{e}"),
    }
}

/// The M/M/1 mean response at λ = 50/s, μ = 100/s (the tests' unit of one core at 10 ms).
pub fn mm1_w() -> f64 {
    crate::analytic::mmc(50.0, 100.0, 1).expect("stable").w
}

/// Asserts that the first entry's mean latency is `expected` seconds (to 10⁻¹² s).
#[track_caller]
pub fn assert_entry_mean(e: &VariantEstimate, expected: f64) {
    let got = e.entries[0].mean_latency_s.expect("stable");
    assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
}
