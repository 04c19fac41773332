//! The search's low end: how an SLO is judged on one evaluation (with one replication there is
//! no interval), whether an evaluation measured enough requests to judge a clause at all, and
//! the vanishing-load rate at which the capacity search checks an SLO the analytic estimate
//! says is not met even at zero load.
//!
//! **Vanishing load.** The rate at which the analytic estimate ([`crate::estimate`]) puts
//! every station at most [`VANISHING_UTILIZATION`] busy (the scenario's rate when it already
//! is; for a model of infinite servers only, the scenario's rate). At that load queueing adds
//! about 1% to a latency (the slowdown of an M/M/1 or processor-sharing station at ρ is
//! 1/(1 − ρ)): latency is at its zero-load floor. When each scaled entry a clause covers does
//! not complete enough requests per replication there to measure the clause
//! ([`PROBE_SAMPLES`] / (1 − q) for the percentile q: 200 for p99), the probe runs at the
//! lowest rate that does, if the busiest station stays at most [`LOW_UTILIZATION`] busy there;
//! otherwise there is no probe.

use super::capacity::rate_values;
use super::sweep::{scenario_with, SweepError};
use crate::results::slo::{SloOutcome, Verdict};
use crate::results::VariantResult;
use crate::spec::slo::{Clause, Metric, Slo};

/// Highest utilization of any station at the vanishing-load rate.
pub const VANISHING_UTILIZATION: f64 = 0.01;

/// Requests per replication, times 1/(1 − q), a clause needs at the vanishing-load rate.
pub const PROBE_SAMPLES: f64 = 2.0;

/// Highest utilization of any station at which the probe may run when the vanishing-load rate
/// gives too few requests to measure a clause.
pub const LOW_UTILIZATION: f64 = 0.1;

/// The SLO checked on a variant's results with `replications` replications. With one
/// replication there is no interval: each clause is checked on its single value (the far end
/// is the value itself) and the verdict is `met` or `violated`, never `uncertain`.
pub fn judge(slo: &Slo, v: &VariantResult, replications: u32) -> SloOutcome {
    let mut out = slo.evaluate(v);
    if replications <= 1 {
        for c in &mut out.checks {
            c.far_end = c.mean;
            c.met_with_confidence = c.met_on_average;
        }
        out.verdict = if out.checks.iter().all(|c| c.met_on_average) {
            Verdict::Met
        } else {
            Verdict::Violated
        };
    }
    out
}

/// Completed requests a latency clause needs per replication to be a figure at all: 1 for the
/// mean, 1/(1 − q) for the percentile q (100 for p99). Errors and availability need one
/// answered request; throughput nothing.
fn needed(c: &Clause) -> f64 {
    match c.metric {
        Metric::Mean | Metric::Errors | Metric::Availability => 1.0,
        Metric::P50 => 2.0,
        Metric::P90 => 10.0,
        Metric::P95 => 20.0,
        Metric::P99 => 100.0,
        Metric::P999 => 1000.0,
        Metric::Throughput => 0.0,
    }
}

/// Why an evaluation cannot judge `slo` (an entry a clause covers completed too few requests
/// in some replication for the clause to be a figure), or `None`.
pub fn unmeasurable(slo: &Slo, v: &VariantResult, rate: f64) -> Option<String> {
    for c in &slo.clauses {
        for (name, e) in &v.entries {
            if c.entry.as_deref().is_some_and(|n| n != name) {
                continue;
            }
            let n = if c.metric.is_latency() {
                e.completed.min
            } else {
                e.completed.min + e.failed.min
            };
            if n < needed(c) {
                return Some(format!(
                    "at {}/s entry `{name}` answers {} requests in some replication, too few \
                     to measure `{}` (it needs {}): lower rates cannot be judged — a longer \
                     `duration` would",
                    crate::scenario::params::fmt_num(rate),
                    n,
                    c.text,
                    needed(c)
                ));
            }
        }
    }
    None
}

/// Whether some clause that gets worse with load is violated beyond doubt at a rate where the
/// busiest station is `utilization` busy: the near end of its interval (the value itself with
/// one replication) fails it — for a latency, after removing the largest slowdown queueing
/// can add there (× (1 − ρ), the slowdown of an M/M/1 or processor-sharing station being
/// 1/(1 − ρ)); an error or availability clause only at vanishing load.
pub fn violated_beyond_doubt(slo: &Slo, out: &SloOutcome, utilization: f64) -> bool {
    out.checks.iter().any(|chk| {
        let Some(c) = slo.clauses.iter().find(|c| c.text == chk.clause) else {
            return false;
        };
        let vanishing = utilization <= VANISHING_UTILIZATION * (1.0 + 1e-9);
        let (worsens, discount) = match c.metric {
            m if m.is_latency() => (c.op.upper_bound(), 1.0 - utilization),
            Metric::Errors => (c.op.upper_bound() && vanishing, 1.0),
            Metric::Availability => (!c.op.upper_bound() && vanishing, 1.0),
            _ => (false, 1.0),
        };
        let near = (2.0 * chk.mean - chk.far_end) * discount;
        worsens && near.is_finite() && !c.op.holds(near, c.threshold)
    })
}

/// The vanishing-load rate of one variant and what the estimate says there.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The rate \[1/s\] of what is scaled.
    pub rate: f64,
    /// The highest utilization of a station there (the estimate's).
    pub utilization: f64,
    /// A latency clause whose bound the estimate's zero-load mean latency of an entry it
    /// covers already exceeds: (clause, entry, mean latency \[s\]).
    pub flagged: Option<(String, String, f64)>,
}

fn max_utilization(s: &crate::scenario::Scenario, variant: usize) -> f64 {
    crate::estimate::estimate(s, variant)
        .nodes
        .iter()
        .map(|n| n.utilization)
        .fold(0.0, f64::max)
}

/// The vanishing-load rate of variant `variant` (see the module's documentation), or `None`
/// when a clause could not be measured there. `entries` are the scenario's (name, rate),
/// `entry` the one scaled (every one when `None`), `base` the scenario's rate of what is
/// scaled, `measured_s` the measured seconds of a replication.
///
/// # Errors
/// A scenario that does not take the rates.
#[allow(clippy::too_many_arguments)]
pub fn probe(
    text: &str,
    file_name: &str,
    slo: &Slo,
    entries: &[(String, f64)],
    entry: Option<&str>,
    base: f64,
    variant: usize,
    measured_s: f64,
) -> Result<Option<Probe>, SweepError> {
    let at = |rate: f64| {
        scenario_with(
            text,
            file_name,
            &rate_values(entries, entry, base, rate),
            false,
        )
    };
    let base_rho = max_utilization(&at(base)?, variant);
    let mut rate = if base_rho > VANISHING_UTILIZATION {
        base * VANISHING_UTILIZATION / base_rho
    } else {
        base
    };
    let mut sc = at(rate)?;
    let mut rho = max_utilization(&sc, variant);
    // Utilization is linear in the rate but for shares that depend on it (a cache's hits).
    for _ in 0..16 {
        if rho <= VANISHING_UTILIZATION * (1.0 + 1e-9) {
            break;
        }
        rate *= 0.5;
        sc = at(rate)?;
        rho = max_utilization(&sc, variant);
    }
    if rho > VANISHING_UTILIZATION * (1.0 + 1e-9) {
        return Ok(None);
    }
    // Raised to the rate at which every clause can be measured, if that stays near zero load.
    let mut measurable = rate;
    for c in &slo.clauses {
        let need = PROBE_SAMPLES * needed(c);
        for (name, r) in entries {
            let scaled = entry.map_or(true, |e| e == name);
            if !scaled || c.entry.as_deref().is_some_and(|n| n != name) || *r <= 0.0 {
                continue;
            }
            measurable = measurable.max(need / (r / base * measured_s));
        }
    }
    if measurable > rate {
        rate = measurable;
        sc = at(rate)?;
        rho = max_utilization(&sc, variant);
        if rho > LOW_UTILIZATION || rate >= base {
            return Ok(None);
        }
    }
    let est = crate::estimate::estimate(&sc, variant);
    let flagged = slo
        .clauses
        .iter()
        .filter(|c| c.metric.is_latency() && c.op.upper_bound())
        .find_map(|c| {
            est.entries
                .iter()
                .filter(|e| c.entry.as_deref().map_or(true, |n| n == e.name))
                .find_map(|e| {
                    e.mean_latency_s
                        .filter(|&l| !c.op.holds(l, c.threshold))
                        .map(|l| (c.text.clone(), e.name.clone(), l))
                })
        });
    Ok(Some(Probe {
        rate,
        utilization: rho,
        flagged,
    }))
}
