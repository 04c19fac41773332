//! Monte Carlo over uncertain inputs: per replication, the scenario with its drawn values
//! ([`crate::scenario::uncertain`]), and the spread of the headline metrics across
//! replications.

use super::bootstrap::quantile_sorted;
use super::{entry_values, RunError};
use crate::metrics::RepResult;
use crate::model::Model;
use crate::report::{
    Spread, UncertainEntry, UncertainParamResult, UncertainVariant, UncertaintyResult,
};
use crate::scenario::uncertain::Uncertainty;
use crate::scenario::Scenario;
use indexmap::IndexMap;
use rayon::prelude::*;

/// The drawn values and the resolved scenario of each replication in `ks`, in order.
///
/// # Errors
/// [`RunError::Draw`] for the first replication (in order) whose draws make the scenario
/// invalid.
pub(crate) fn realize(
    u: &Uncertainty,
    seed: u64,
    ks: std::ops::Range<u32>,
    pool: &rayon::ThreadPool,
) -> Result<Vec<(Vec<f64>, Scenario)>, RunError> {
    let ks: Vec<u32> = ks.collect();
    let out: Vec<_> = pool.install(|| ks.par_iter().map(|&k| u.realize(seed, k)).collect());
    out.into_iter().map(|r| r.map_err(RunError::from)).collect()
}

/// Quantiles of `xs` across replications.
pub fn spread(xs: &[f64]) -> Spread {
    let mut v: Vec<f64> = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let q = |p: f64| quantile_sorted(&v, p);
    Spread {
        min: v.first().copied().unwrap_or(0.0),
        p5: q(0.05),
        p25: q(0.25),
        p50: q(0.5),
        p75: q(0.75),
        p95: q(0.95),
        max: v.last().copied().unwrap_or(0.0),
    }
}

/// The uncertainty section of the results.
pub(crate) fn summarize(
    u: &Uncertainty,
    drawn: &[Vec<f64>],
    models: &[Model],
    per_variant: &[Vec<RepResult>],
) -> UncertaintyResult {
    let parameters = u
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| UncertainParamResult {
            path: p.path.clone(),
            distribution: p.written.clone(),
            unit: p.kind.report_unit().to_string(),
            drawn: drawn
                .iter()
                .map(|d| d.get(i).copied().unwrap_or(f64::NAN) * p.kind.report_factor())
                .collect(),
        })
        .collect();
    let variants = models
        .iter()
        .zip(per_variant)
        .map(|(m, reps)| {
            let mut entries = IndexMap::new();
            for (e, plan) in m.entries.iter().enumerate() {
                let col =
                    |i: usize| -> Vec<f64> { reps.iter().map(|r| entry_values(r, e)[i]).collect() };
                let errors: Vec<f64> = col(4).into_iter().map(|x| 1.0 - x).collect();
                entries.insert(
                    plan.name.clone(),
                    UncertainEntry {
                        latency_mean_s: spread(&col(0)),
                        latency_p99_s: spread(&col(2)),
                        throughput_per_s: spread(&col(3)),
                        error_ratio: spread(&errors),
                    },
                );
            }
            UncertainVariant {
                name: m.variant.clone(),
                entries,
            }
        })
        .collect();
    UncertaintyResult {
        parameters,
        variants,
    }
}
