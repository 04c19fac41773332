//! Monte Carlo over uncertain inputs: per replication, the scenario with its drawn values
//! ([`crate::scenario::uncertain`]), and the spread of the headline metrics across
//! replications.

use super::{Prepared, RunError};
use crate::engine::record::RepResult;
use crate::model::Model;
use crate::results::{entry_values, has_latency};
use crate::results::{
    Spread, UncertainEntry, UncertainParamResult, UncertainVariant, UncertaintyResult,
    VariantResult,
};
use crate::scenario::uncertain::Uncertainty;
use crate::scenario::Scenario;
use crate::stats::bootstrap::quantile_sorted;
use crate::stats::stat::Stat;
use indexmap::IndexMap;
use rayon::prelude::*;

/// The drawn values and the resolved scenario of each replication in `ks`, in order (in
/// parallel on the current rayon pool).
///
/// # Errors
/// [`RunError::Draw`] for the first replication (in `ks` order) whose draws make the scenario
/// invalid.
pub(crate) fn realize(
    u: &Uncertainty,
    seed: u64,
    ks: &[u32],
) -> Result<Vec<(Vec<f64>, Scenario)>, RunError> {
    let out: Vec<_> = ks.par_iter().map(|&k| u.realize(seed, k)).collect();
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

/// The uncertainty section of the results for replications `0..reps`; also sets each
/// variant's memory provisioned from the replications' own models (an uncertain replica count
/// or memory size changes it).
///
/// # Errors
/// [`RunError::Draw`] as [`realize`] (not expected: the same draws were simulated).
pub(crate) fn summarize(
    u: &Uncertainty,
    prepared: &Prepared,
    reps: u32,
    per_variant: &[Vec<RepResult>],
    variants: &mut [VariantResult],
) -> Result<UncertaintyResult, RunError> {
    let ks: Vec<u32> = (0..reps).collect();
    let realized = realize(u, prepared.seed, &ks)?;
    for (v, vr) in variants.iter_mut().enumerate() {
        let mem: Vec<f64> = realized
            .par_iter()
            .map(|(_, s)| Model::compile(s, prepared.selected[v]).memory_provisioned as f64 / 1e9)
            .collect();
        vr.memory_provisioned_gb = Stat::from_samples(&mem);
    }
    let parameters = u
        .params
        .iter()
        .enumerate()
        .map(|(i, p)| UncertainParamResult {
            path: p.path.clone(),
            distribution: p.written.clone(),
            unit: p.kind.report_unit().to_string(),
            drawn: realized
                .iter()
                .map(|(d, _)| d.get(i).copied().unwrap_or(f64::NAN) * p.kind.report_factor())
                .collect(),
        })
        .collect();
    let variants = prepared
        .models
        .iter()
        .zip(per_variant)
        .map(|(m, reps)| {
            let mut entries = IndexMap::new();
            for (e, plan) in m.topo.entries.iter().enumerate() {
                let col =
                    |i: usize| -> Vec<f64> { reps.iter().map(|r| entry_values(r, e)[i]).collect() };
                // Latency only from the replications that completed requests.
                let lat = |i: usize| -> Vec<f64> {
                    reps.iter()
                        .filter(|r| has_latency(r, e))
                        .map(|r| entry_values(r, e)[i])
                        .collect()
                };
                let errors: Vec<f64> = col(4).into_iter().map(|x| 1.0 - x).collect();
                entries.insert(
                    plan.name.clone(),
                    UncertainEntry {
                        latency_mean_s: spread(&lat(0)),
                        latency_p99_s: spread(&lat(2)),
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
    Ok(UncertaintyResult {
        parameters,
        variants,
    })
}
