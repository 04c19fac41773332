//! A serverless function's right-sizing knobs: its memory, its provisioned concurrency and its
//! reserved concurrency, with the rules of the search's analytic start for the two
//! concurrencies (the memory's start needs the analytic estimate of the whole variant, which
//! the search computes).

use super::spec::FunctionSpec;
use super::{DEFAULT_MEMORY, FULL_CORE_MEMORY};
use crate::analytic::queueing::erlang_b;
use crate::components::knob::{first_index, KnobDef, KnobUnit, Ladder};
use crate::spec::prices::Prices;
use crate::spec::slo::{Metric, Slo};

/// The memory sizes a function's `memory` knob walks \[MB, 10⁶ bytes\]: steps of 128 MB up to
/// 1,664 MB, then 1,769 MB (one full vCPU: the last size that makes an invocation faster in the
/// model), then the larger sizes AWS Lambda users commonly pick, up to its 10,240 MB maximum.
pub const MEMORY_LADDER_MB: [u32; 20] = [
    128, 256, 384, 512, 640, 768, 896, 1024, 1152, 1280, 1408, 1536, 1664, 1769, 2048, 3008, 4096,
    6144, 8192, 10240,
];

/// The smallest memory that runs an invocation at one full core \[MB\] (1,769 MB: see
/// [`FULL_CORE_MEMORY`]); more makes it no faster.
pub const FULL_SPEED_MB: u32 = (FULL_CORE_MEMORY / 1_000_000) as u32;

/// `memory`: the configured memory \[MB\], which sets the function's speed and its price per
/// second; [`DEFAULT_MEMORY`] (one vCPU) when not written.
pub const MEMORY: KnobDef = KnobDef {
    search_name: "memory",
    name: "memory_mb",
    label: "function memory MB",
    key: "memory",
    unit: KnobUnit::Megabytes,
    ladder: Ladder::Fixed {
        values: &MEMORY_LADDER_MB,
        capped: false,
    },
    default: Some((DEFAULT_MEMORY / 1_000_000) as u32),
    cores_priced: false,
    up_may_save: true,
};

/// `provisioned`: always-warm instances, 0 up to the search's largest value (and at most a
/// written reserved concurrency that is not searched).
pub const PROVISIONED: KnobDef = KnobDef {
    search_name: "provisioned",
    name: "provisioned",
    label: "provisioned concurrency",
    key: "provisioned",
    unit: KnobUnit::Count,
    ladder: Ladder::Count { from: 0 },
    default: Some(0),
    cores_priced: false,
    up_may_save: true,
};

/// `reserved_concurrency`: the function's own concurrency limit, 1 up to the search's largest
/// value; unset, the function shares the account's.
pub const RESERVED: KnobDef = KnobDef {
    search_name: "reserved",
    name: "reserved_concurrency",
    label: "reserved concurrency",
    key: "reserved_concurrency",
    unit: KnobUnit::Count,
    ladder: Ladder::Count { from: 1 },
    default: None,
    cores_priced: false,
    up_may_save: false,
};

/// A function as the analytic start of its concurrency knobs sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunctionLoad {
    /// Invocations per second (λ).
    pub rate: f64,
    /// Mean time of an invocation on the function itself \[s\] (E\[S\]; downstream waits not
    /// counted).
    pub own_s: f64,
    /// Mean cold start \[s\].
    pub cold_start_s: f64,
    /// Keep-alive of an idle instance \[s\].
    pub keep_alive_s: f64,
}

impl FunctionLoad {
    /// The load of the function configured by `spec` receiving `rate` invocations per second
    /// that each take `own_s` seconds on it.
    pub fn new(spec: &FunctionSpec, rate: f64, own_s: f64) -> FunctionLoad {
        FunctionLoad {
            rate,
            own_s,
            cold_start_s: spec.cold_start.mean() / 1e9,
            keep_alive_s: spec.keep_alive as f64 / 1e9,
        }
    }

    /// Mean busy instances, λ·E\[S\].
    pub fn busy(&self) -> f64 {
        self.rate * self.own_s
    }
}

/// The largest provisioned concurrency searched for the function configured by `spec`: `max`,
/// or its written reserved concurrency below it when the reserved concurrency is not searched
/// (provisioned ≤ reserved).
pub fn provisioned_cap(spec: &FunctionSpec, max: u32, reserved_searched: bool) -> u32 {
    match (reserved_searched, spec.reserved) {
        (false, Some(r)) => r.min(max),
        _ => max,
    }
}

/// The analytic start of `provisioned` (at most `cap`).
///
/// Provisioned instances matter when cold starts fall into the SLO's tail: an arrival pays one
/// when no instance stayed warm, roughly when no request came within the keep-alive
/// (probability e^(−λ·keep_alive)), and when one cold start is enough to break the bound. Then
/// enough instances that all are busy no more often than the tail fraction: P(Poisson(λ·E\[S\])
/// ≥ n) ≤ tail. Higher still up to the last instance that lowers the bill: the k-th provisioned
/// instance is busy with probability P(N ≥ k), and pays when that exceeds the break-even
/// utilization provisioned price / (on-demand price − provisioned executed price) (0.6 at the
/// AWS prices).
pub fn provisioned_start(load: &FunctionLoad, slo: &Slo, p: &Prices, cap: u32) -> u32 {
    let lambda = load.rate;
    let a = load.busy();
    let mut start = 0;
    if let Some((tail, bound)) = tail_clause(slo) {
        let cold_often = (-lambda * load.keep_alive_s).exp() > tail;
        if lambda > 0.0 && cold_often && load.own_s + load.cold_start_s > bound {
            start = (1..=cap)
                .find(|&n| poisson_tail(a, n) <= tail)
                .unwrap_or(cap);
        }
    }
    let saving = p.serverless_gb_second - p.serverless_provisioned_executed_gb_second;
    if saving > 0.0 && lambda > 0.0 {
        let break_even = p.serverless_provisioned_gb_second / saving;
        let paying = (1..=cap)
            .take_while(|&k| poisson_tail(a, k) >= break_even)
            .last()
            .unwrap_or(0);
        start = start.max(paying);
    }
    start
}

/// The analytic start of `reserved_concurrency`, as an index of `ladder`: Erlang B — a function
/// limited to c concurrent invocations is an M/G/c/c loss system — the smallest c at least
/// `provisioned` whose blocking fits the SLO's error budget.
pub fn reserved_start(load: &FunctionLoad, provisioned: u32, slo: &Slo, ladder: &[u32]) -> usize {
    let budget = error_budget(slo);
    let a = load.busy();
    first_index(ladder, |c| c >= provisioned && erlang_b(c, a) <= budget)
}

/// The tail fraction of the SLO's tightest latency-percentile clause (0.01 for `p99<…`), with
/// its bound \[s\]; `None` without one.
fn tail_clause(slo: &Slo) -> Option<(f64, f64)> {
    slo.clauses
        .iter()
        .filter(|c| c.op.upper_bound())
        .filter_map(|c| {
            let tail: f64 = match c.metric {
                Metric::P50 => 0.5,
                Metric::P90 => 0.1,
                Metric::P95 => 0.05,
                Metric::P99 => 0.01,
                Metric::P999 => 0.001,
                _ => return None,
            };
            Some((tail, c.threshold))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// The error ratio the SLO tolerates (its `errors<` bound or 1 − its `availability>` bound;
/// 0.1% without either).
fn error_budget(slo: &Slo) -> f64 {
    let b = slo
        .clauses
        .iter()
        .filter_map(|c| match (c.metric, c.op.upper_bound()) {
            (Metric::Errors, true) => Some(c.threshold),
            (Metric::Availability, false) => Some(1.0 - c.threshold),
            _ => None,
        })
        .fold(f64::INFINITY, f64::min);
    if b.is_finite() {
        b.clamp(0.0, 1.0)
    } else {
        0.001
    }
}

/// P(N ≥ n) for N ~ Poisson(a).
fn poisson_tail(a: f64, n: u32) -> f64 {
    let mut term = (-a).exp();
    let mut below = 0.0;
    for k in 0..n {
        below += term;
        term *= a / f64::from(k + 1);
    }
    (1.0 - below).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail_matches_the_closed_form() {
        // P(N ≥ 1) = 1 − e^(−a); P(N ≥ 2) = 1 − e^(−a)(1 + a).
        let a: f64 = 0.025;
        assert!((poisson_tail(a, 0) - 1.0).abs() < 1e-15);
        assert!((poisson_tail(a, 1) - (1.0 - (-a).exp())).abs() < 1e-15);
        assert!((poisson_tail(a, 2) - (1.0 - (-a).exp() * (1.0 + a))).abs() < 1e-15);
        // The break-even start of the lesson's worker: a = 8, P(N ≥ 7) = 0.687 ≥ 0.6 > P(N ≥ 8).
        assert!(poisson_tail(8.0, 7) > 0.6 && poisson_tail(8.0, 8) < 0.6);
    }

    #[test]
    fn slo_tail_and_error_budget() {
        let slo = Slo::parse("p99<300ms,p90<100ms,errors<0.5%").expect("slo");
        let (tail, bound) = tail_clause(&slo).expect("a percentile clause");
        assert_eq!(tail, 0.01);
        assert!((bound - 0.3).abs() < 1e-12);
        assert!((error_budget(&slo) - 0.005).abs() < 1e-12);
        let slo = Slo::parse("mean<1s,availability>=99.9%").expect("slo");
        assert_eq!(tail_clause(&slo), None);
        assert!((error_budget(&slo) - 0.001).abs() < 1e-9);
        assert_eq!(error_budget(&Slo::parse("p50<1s").expect("slo")), 0.001);
    }

    #[test]
    fn memory_knob_walks_the_full_speed_size_and_defaults_to_the_compiled_memory() {
        assert_eq!(FULL_SPEED_MB, 1769);
        assert!(MEMORY_LADDER_MB.contains(&FULL_SPEED_MB));
        assert_eq!(
            MEMORY.default.map(|mb| u64::from(mb) * 1_000_000),
            Some(DEFAULT_MEMORY)
        );
    }

    #[test]
    fn provisioned_cap_respects_a_written_reserved_concurrency() {
        let reserved = FunctionSpec {
            reserved: Some(5),
            ..FunctionSpec::default()
        };
        assert_eq!(provisioned_cap(&reserved, 64, false), 5);
        assert_eq!(provisioned_cap(&reserved, 4, false), 4);
        assert_eq!(provisioned_cap(&reserved, 64, true), 64);
        assert_eq!(provisioned_cap(&FunctionSpec::default(), 64, false), 64);
    }
}
