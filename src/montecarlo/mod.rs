//! Monte Carlo replications in parallel, combined in replication order.
//!
//! Every (variant, replication) pair is one task on a rayon pool; results are collected in task
//! order, so the output is the same for any thread count. Replication `k` of every variant uses
//! the generators derived from `(seed, k)`: common random numbers, which make the paired
//! differences between variants tight.

pub mod resilience;
pub mod stat;

use crate::engine;
use crate::metrics::{LogHistogram, Reason, RepResult};
use crate::model::{Model, NodeKind};
use crate::report::{
    Comparison, EngineFigures, EntryDiff, EntryResult, EntrySeries, LatencyResult, NodeResult,
    NodeSeries, Results, SelfCheck, SeriesResult, VariantResult, SCHEMA_VERSION,
};
use crate::scenario::Scenario;
use indexmap::IndexMap;
use rayon::prelude::*;
use stat::Stat;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use thiserror::Error;

/// Errors of a run.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RunError {
    /// A `--variant` name matches no variant. Use one of the names listed.
    #[error("no variant named `{name}`; the scenario has: {available}")]
    UnknownVariant {
        /// The name asked for.
        name: String,
        /// Comma-separated variant names.
        available: String,
    },
    /// The thread pool could not be created.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// Cause.
        message: String,
    },
    /// The run was cancelled before any replication finished.
    #[error("cancelled before any replication finished")]
    Cancelled,
}

/// Most time-series values (f64) kept in memory for one run, all replications and variants
/// together (2 GB).
pub const SERIES_VALUES_BUDGET: u64 = 250_000_000;

/// Progress of a run: replications finished out of the total (all variants).
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Finished (variant, replication) tasks.
    pub done: usize,
    /// All tasks.
    pub total: usize,
}

/// Options of [`run`]. `Default` runs everything as the scenario says.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Override of the scenario's replication count.
    pub replications: Option<u32>,
    /// Override of the scenario's seed.
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Only these variants (default: all).
    pub variants: Vec<String>,
    /// Raised to stop early; the replications that finished are combined.
    pub cancel: Option<&'a AtomicBool>,
    /// Called after each finished replication (from worker threads).
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
}

/// Simulates the selected variants of `s` with replications in parallel and combines them.
pub fn run(s: &Scenario, opts: &RunOptions<'_>) -> Result<Results, RunError> {
    let selected = select_variants(s, &opts.variants)?;
    let reps = opts.replications.unwrap_or(s.replications).max(1);
    let seed = opts.seed.unwrap_or(s.seed);
    let mut models: Vec<Model> = selected.iter().map(|&v| Model::compile(s, v)).collect();
    // Every replication's time series stay in memory until they are combined: keep their total
    // under SERIES_VALUES_BUDGET values by widening the window when there are many replications.
    for m in &mut models {
        let per_window = (m.series_count() * reps as usize * selected.len()).max(1) as u64;
        m.limit_windows(SERIES_VALUES_BUDGET / per_window);
    }
    let tasks: Vec<(usize, u32)> = (0..models.len())
        .flat_map(|v| (0..reps).map(move |k| (v, k)))
        .collect();
    let total = tasks.len();
    let done = AtomicUsize::new(0);
    let work = || -> Vec<Option<RepResult>> {
        tasks
            .par_iter()
            .map(|&(v, k)| {
                let r = engine::simulate(&models[v], seed, k as u64, opts.cancel);
                let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(p) = opts.progress {
                    p(Progress { done: d, total });
                }
                r
            })
            .collect()
    };
    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads {
            threads,
            message: e.to_string(),
        })?;
    let results = pool.install(work);

    // Keep, for every variant, the replications that all variants finished (so that paired
    // differences pair the same k).
    let mut per_variant: Vec<Vec<RepResult>> = vec![Vec::new(); models.len()];
    let mut complete_k = 0;
    for k in 0..reps as usize {
        if (0..models.len()).all(|v| results[v * reps as usize + k].is_some()) {
            complete_k += 1;
        } else {
            break;
        }
    }
    if complete_k == 0 {
        return Err(RunError::Cancelled);
    }
    for (i, r) in results.into_iter().enumerate() {
        let (v, k) = tasks[i];
        if (k as usize) < complete_k {
            if let Some(r) = r {
                per_variant[v].push(r);
            }
        }
    }

    let mut violations = Vec::new();
    let mut warnings = Vec::new();
    if complete_k < reps as usize {
        warnings.push(format!(
            "cancelled: {complete_k} of {reps} replications finished and are reported"
        ));
    }
    if let Some(from) = models.first().and_then(|m| m.window_widened_from) {
        warnings.push(format!(
            "time-series window widened from {} s to {} s to keep the series of every replication in memory (at most {} windows per replication, {} values per run)",
            from as f64 / 1e9,
            models[0].window as f64 / 1e9,
            crate::model::MAX_WINDOWS,
            SERIES_VALUES_BUDGET
        ));
    }
    if complete_k == 1 {
        warnings.push(
            "one replication: confidence intervals collapse to the single value; use --replications 5 or more".into(),
        );
    }
    let variants: Vec<VariantResult> = models
        .iter()
        .zip(&per_variant)
        .map(|(m, reps)| {
            for (k, r) in reps.iter().enumerate() {
                for msg in &r.violations {
                    violations.push(format!("variant `{}`, replication {k}: {msg}", m.variant));
                }
            }
            combine_variant(m, reps, &mut warnings)
        })
        .collect();
    let comparisons = (1..models.len())
        .map(|v| compare(&models[0], &per_variant[0], &models[v], &per_variant[v]))
        .collect();
    Ok(Results {
        schema_version: SCHEMA_VERSION,
        scenario: s.name.clone(),
        seed,
        replications: complete_k as u32,
        threads,
        variants,
        comparisons,
        warnings,
        self_check: SelfCheck {
            ok: violations.is_empty(),
            violations,
        },
    })
}

fn select_variants(s: &Scenario, names: &[String]) -> Result<Vec<usize>, RunError> {
    if names.is_empty() {
        return Ok((0..s.variants.len()).collect());
    }
    names
        .iter()
        .map(|n| {
            s.variants
                .iter()
                .position(|v| &v.name == n)
                .ok_or_else(|| RunError::UnknownVariant {
                    name: n.clone(),
                    available: s
                        .variants
                        .iter()
                        .map(|v| v.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                })
        })
        .collect()
}

fn stat_of(reps: &[RepResult], f: impl Fn(&RepResult) -> f64) -> Stat {
    let xs: Vec<f64> = reps.iter().map(f).collect();
    Stat::from_samples(&xs)
}

fn quantile_s(h: &LogHistogram, q: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.quantile(q) as f64 / 1e9
    }
}

fn success_ratio(completed: u64, failed: u64) -> f64 {
    let n = completed + failed;
    if n == 0 {
        1.0
    } else {
        completed as f64 / n as f64
    }
}

/// Per-replication headline values of one entry, used for both the summary and the paired
/// differences.
fn entry_values(r: &RepResult, e: usize) -> [f64; 5] {
    let er = &r.entries[e];
    [
        er.latency.mean() / 1e9,
        quantile_s(&er.latency, 0.5),
        quantile_s(&er.latency, 0.99),
        er.completed as f64 / r.measured_s,
        success_ratio(er.completed, er.failed_total()),
    ]
}

fn combine_variant(m: &Model, reps: &[RepResult], warnings: &mut Vec<String>) -> VariantResult {
    let mut entries = IndexMap::new();
    for (e, plan) in m.entries.iter().enumerate() {
        let mut merged = LogHistogram::new();
        for r in reps {
            merged.add(&r.entries[e].latency);
        }
        let mut failed_by_reason = IndexMap::new();
        for reason in Reason::ALL {
            if reps.iter().any(|r| r.entries[e].failed[reason.index()] > 0) {
                failed_by_reason.insert(
                    reason.name().to_string(),
                    stat_of(reps, |r| r.entries[e].failed[reason.index()] as f64),
                );
            }
        }
        let min_completed = reps
            .iter()
            .map(|r| r.entries[e].completed)
            .min()
            .unwrap_or(0);
        for (label, q) in [("p99", 0.99), ("p99.9", 0.999)] {
            // Below ~10 samples beyond the quantile the estimate is mostly noise.
            let needed = (10.0 / (1.0 - q)) as u64;
            if min_completed < needed {
                warnings.push(format!(
                    "variant `{}`, entry `{}`: {label} rests on fewer than {needed} successful requests per replication (min {min_completed}); treat it as indicative",
                    m.variant, plan.name
                ));
            }
        }
        let q = |q: f64| stat_of(reps, |r| quantile_s(&r.entries[e].latency, q));
        entries.insert(
            plan.name.clone(),
            EntryResult {
                arrived: stat_of(reps, |r| r.entries[e].arrived as f64),
                completed: stat_of(reps, |r| r.entries[e].completed as f64),
                failed: stat_of(reps, |r| r.entries[e].failed_total() as f64),
                in_flight: stat_of(reps, |r| r.entries[e].in_flight as f64),
                throughput_per_s: stat_of(reps, |r| entry_values(r, e)[3]),
                success_ratio: stat_of(reps, |r| entry_values(r, e)[4]),
                failed_by_reason,
                latency_s: LatencyResult {
                    mean: stat_of(reps, |r| entry_values(r, e)[0]),
                    p50: q(0.5),
                    p90: q(0.9),
                    p95: q(0.95),
                    p99: q(0.99),
                    p999: q(0.999),
                },
                latency_cdf: cdf(&merged),
                degraded: stat_of(reps, |r| r.entries[e].degraded as f64),
                attempts: stat_of(reps, |r| r.entries[e].attempts as f64),
            },
        );
    }
    let mut units = IndexMap::new();
    let mut databases = IndexMap::new();
    for (n, node) in m.nodes.iter().enumerate() {
        let nr = NodeResult {
            instances: node.instances,
            utilization: stat_of(reps, |r| r.nodes[n].utilization),
            mean_in_system: stat_of(reps, |r| r.nodes[n].mean_in_system),
            mean_in_queue: stat_of(reps, |r| r.nodes[n].mean_in_queue),
            throughput_per_s: stat_of(reps, |r| r.nodes[n].throughput),
            rejected: stat_of(reps, |r| r.nodes[n].rejected as f64),
            mean_residence_s: stat_of(reps, |r| r.nodes[n].mean_residence_s),
            crashed: stat_of(reps, |r| r.nodes[n].crashed as f64),
            instances_up: stat_of(reps, |r| r.nodes[n].instances_up),
            all_down_fraction: stat_of(reps, |r| r.nodes[n].all_down_fraction),
        };
        match node.kind {
            NodeKind::Unit => units.insert(node.name.clone(), nr),
            NodeKind::Database => databases.insert(node.name.clone(), nr),
        };
    }
    let events: u64 = reps.iter().map(|r| r.events).sum();
    let wall_s: f64 = reps.iter().map(|r| r.wall_s).sum();
    let series = combine_series(m, reps);
    let resilience = resilience::combine(m, reps, &series);
    VariantResult {
        name: m.variant.clone(),
        entries,
        units,
        databases,
        memory_provisioned_gb: Stat::from_samples(&vec![
            m.memory_provisioned as f64 / 1e9;
            reps.len()
        ]),
        availability: stat_of(reps, |r| {
            let ok: u64 = r.entries.iter().map(|e| e.completed).sum();
            let bad: u64 = r.entries.iter().map(|e| e.failed_total()).sum();
            success_ratio(ok, bad)
        }),
        series,
        engine: EngineFigures {
            events,
            wall_s,
            events_per_s: if wall_s > 0.0 {
                events as f64 / wall_s
            } else {
                0.0
            },
        },
        resilience,
    }
}

/// The CDF as `[latency_s, fraction ≤]` points: one per percentile and finer in the tail, in
/// one pass over the histogram.
fn cdf(h: &LogHistogram) -> Vec<[f64; 2]> {
    if h.is_empty() {
        return Vec::new();
    }
    let mut qs: Vec<f64> = (1..100).map(|i| i as f64 / 100.0).collect();
    qs.extend([0.995, 0.999, 0.9995, 0.9999, 1.0]);
    let total = h.len() as f64;
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(qs.len());
    let mut qi = 0;
    let mut seen = 0u64;
    for (value, count) in h.iter() {
        seen += count;
        let frac = seen as f64 / total;
        let v = value as f64 / 1e9;
        while qi < qs.len() && frac + 1e-12 >= qs[qi] {
            match out.last_mut() {
                Some(last) if last[0] == v => last[1] = qs[qi],
                _ => out.push([v, qs[qi]]),
            }
            qi += 1;
        }
    }
    out
}

fn mean_series(reps: &[RepResult], get: impl Fn(&RepResult) -> &Vec<f64>) -> Vec<f64> {
    let len = reps.iter().map(|r| get(r).len()).min().unwrap_or(0);
    (0..len)
        .map(|i| reps.iter().map(|r| get(r)[i]).sum::<f64>() / reps.len() as f64)
        .collect()
}

fn combine_series(m: &Model, reps: &[RepResult]) -> SeriesResult {
    let window_s = m.window as f64 / 1e9;
    let mut entries = IndexMap::new();
    for (e, plan) in m.entries.iter().enumerate() {
        entries.insert(
            plan.name.clone(),
            EntrySeries {
                throughput_per_s: mean_series(reps, |r| &r.series.throughput[e]),
                errors_per_s: mean_series(reps, |r| &r.series.errors[e]),
                p50_s: mean_series(reps, |r| &r.series.p50[e]),
                p99_s: mean_series(reps, |r| &r.series.p99[e]),
            },
        );
    }
    let mut nodes = IndexMap::new();
    for (n, node) in m.nodes.iter().enumerate() {
        nodes.insert(
            node.name.clone(),
            NodeSeries {
                utilization: mean_series(reps, |r| &r.series.utilization[n]),
                in_system: mean_series(reps, |r| &r.series.in_system[n]),
                instances: mean_series(reps, |r| &r.series.instances[n]),
            },
        );
    }
    let len = entries
        .values()
        .map(|s: &EntrySeries| s.throughput_per_s.len())
        .next()
        .unwrap_or(0);
    SeriesResult {
        window_s,
        t_s: (0..len).map(|i| i as f64 * window_s).collect(),
        entries,
        nodes,
    }
}

fn compare(mb: &Model, base: &[RepResult], mv: &Model, var: &[RepResult]) -> Comparison {
    let mut entries = IndexMap::new();
    for (e, plan) in mb.entries.iter().enumerate() {
        let col = |reps: &[RepResult], i: usize| -> Vec<f64> {
            reps.iter().map(|r| entry_values(r, e)[i]).collect()
        };
        let d = |i: usize| Stat::paired_difference(&col(base, i), &col(var, i));
        entries.insert(
            plan.name.clone(),
            EntryDiff {
                latency_mean_s: d(0),
                latency_p50_s: d(1),
                latency_p99_s: d(2),
                throughput_per_s: d(3),
                success_ratio: d(4),
            },
        );
    }
    let mem = (mv.memory_provisioned as f64 - mb.memory_provisioned as f64) / 1e9;
    Comparison {
        variant: mv.variant.clone(),
        baseline: mb.variant.clone(),
        entries,
        memory_provisioned_gb: Stat::from_samples(&vec![mem; base.len().min(var.len())]),
    }
}
