//! Monte Carlo replications in parallel, combined in replication order.
//!
//! Every (variant, replication) pair is one task on a rayon pool; results are collected in task
//! order, so the output is the same for any thread count. Replication `k` of every variant uses
//! the generators derived from `(seed, k)`: common random numbers, which make the paired
//! differences between variants tight.

pub mod bootstrap;
pub mod capacity;
pub mod mser;
pub mod partial;
pub mod precision;
pub mod resilience;
pub mod rightsize;
pub mod shard;
pub mod slo_prob;
pub mod stat;
pub mod sweep;
pub mod uncertain;
mod warmup;

use crate::engine;
use crate::metrics::{LogHistogram, Reason, RepResult};
use crate::model::{Model, NodeKind};
use crate::report::{
    Comparison, EngineFigures, EntryDiff, EntryResult, EntrySeries, LatencyResult, NodeResult,
    NodeSeries, QueueResult, QueueSeries, Results, SagaResult, SelfCheck, SeriesResult,
    VariantResult, SCHEMA_VERSION,
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
    /// The values drawn for the uncertain parameters of a replication make the scenario
    /// invalid. Narrow the distribution named in the message.
    #[error(transparent)]
    Draw(#[from] crate::scenario::uncertain::DrawError),
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
    /// Run on this pool instead of a new one (`threads` is then ignored): lets a caller run
    /// several scenarios (sweep points) at once, every (scenario, replication) pair sharing
    /// the pool.
    pub pool: Option<&'a rayon::ThreadPool>,
    /// Called with the headline values of each replication that finished (not of one cut short
    /// by `cancel`), from worker threads, in completion order.
    pub replication_done: Option<&'a (dyn Fn(&partial::ReplicationDone) + Sync)>,
}

/// Simulates the selected variants of `s` with replications in parallel and combines them.
pub fn run(s: &Scenario, opts: &RunOptions<'_>) -> Result<Results, RunError> {
    let prepared = prepare(s, opts)?;
    let ks: Vec<u32> = (0..prepared.reps).collect();
    let (threads, results) = simulate(&prepared, &ks, opts)?;
    finish(s, &prepared, results, threads)
}

/// The compiled models of a run and its replication count and seed: what [`simulate`] runs and
/// [`finish`] combines (a sharded run simulates some replications, a merge combines them all).
pub struct Prepared {
    /// One model per selected variant, in selection order.
    pub models: Vec<Model>,
    /// Replications per variant (all shards together).
    pub reps: u32,
    /// Master seed.
    pub seed: u64,
    /// The scenario's indices of the selected variants, in selection order.
    pub selected: Vec<usize>,
    /// Per variant: most windows per replication (see [`SERIES_VALUES_BUDGET`]); applied to
    /// the models compiled per replication of an uncertain scenario.
    pub window_limit: Vec<u64>,
    /// The scenario's uncertain parameters, if any: then every (variant, replication) gets
    /// its own model, compiled from the replication's drawn scenario.
    pub uncertain: Option<std::sync::Arc<crate::scenario::uncertain::Uncertainty>>,
}

/// Selects and compiles the variants of a run (the series window is widened as [`run`] does,
/// from the total replication count).
pub fn prepare(s: &Scenario, opts: &RunOptions<'_>) -> Result<Prepared, RunError> {
    let selected = select_variants(s, &opts.variants)?;
    let reps = opts.replications.unwrap_or(s.replications).max(1);
    let seed = opts.seed.unwrap_or(s.seed);
    let mut models: Vec<Model> = selected.iter().map(|&v| Model::compile(s, v)).collect();
    // Every replication's time series stay in memory until they are combined: keep their total
    // under SERIES_VALUES_BUDGET values by widening the window when there are many replications.
    let mut window_limit = Vec::with_capacity(models.len());
    for m in &mut models {
        let per_window = (m.series_count() * reps as usize * selected.len()).max(1) as u64;
        m.limit_windows(SERIES_VALUES_BUDGET / per_window);
        window_limit.push(SERIES_VALUES_BUDGET / per_window);
    }
    Ok(Prepared {
        models,
        reps,
        seed,
        selected,
        window_limit,
        uncertain: s.uncertain.clone(),
    })
}

/// Simulates replications `ks` of every prepared variant in parallel; returns the threads used
/// and the results in (variant, position in `ks`) order (`None`: cancelled).
pub fn simulate(
    prepared: &Prepared,
    ks: &[u32],
    opts: &RunOptions<'_>,
) -> Result<(usize, Vec<Option<RepResult>>), RunError> {
    let models = &prepared.models;
    let seed = prepared.seed;
    let tasks: Vec<(usize, u32)> = (0..models.len())
        .flat_map(|v| ks.iter().map(move |&k| (v, k)))
        .collect();
    let total = tasks.len();
    let done = AtomicUsize::new(0);
    let tick = |m: &Model, k: u32, r: &Option<RepResult>| {
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(p) = opts.progress {
            p(Progress { done: d, total });
        }
        if let (Some(f), Some(rep)) = (opts.replication_done, r.as_ref()) {
            f(&replication_summary(m, rep, k, d, total));
        }
    };
    let work = || -> Result<Vec<Option<RepResult>>, RunError> {
        let Some(u) = &prepared.uncertain else {
            return Ok(tasks
                .par_iter()
                .map(|&(v, k)| {
                    let r = engine::simulate(&models[v], seed, k as u64, opts.cancel);
                    tick(&models[v], k, &r);
                    r
                })
                .collect());
        };
        // Uncertain inputs: each replication's scenario, then one model per task.
        let realized = uncertain::realize(u, seed, ks)?;
        Ok(tasks
            .par_iter()
            .map(|&(v, k)| {
                let i = ks.iter().position(|&x| x == k).unwrap_or(0);
                let mut m = Model::compile(&realized[i].1, prepared.selected[v]);
                m.limit_windows(prepared.window_limit[v]);
                let r = engine::simulate(&m, seed, k as u64, opts.cancel);
                tick(&m, k, &r);
                r
            })
            .collect())
    };
    let (threads, results) = match opts.pool {
        Some(pool) => (pool.current_num_threads(), pool.install(work)),
        None => {
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
            (threads, pool.install(work))
        }
    };
    Ok((threads, results?))
}

/// Combines the results of every replication (in (variant, replication) order, as
/// [`simulate`] returns them for all replications) into the results document.
pub fn finish(
    s: &Scenario,
    prepared: &Prepared,
    results: Vec<Option<RepResult>>,
    threads: usize,
) -> Result<Results, RunError> {
    let models = &prepared.models;
    let reps = prepared.reps;
    let seed = prepared.seed;
    let tasks: Vec<(usize, u32)> = (0..models.len())
        .flat_map(|v| (0..reps).map(move |k| (v, k)))
        .collect();

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
    let mut variants: Vec<VariantResult> = models
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
    // Organization: Conway metrics of every variant, the delivery simulation if configured.
    crate::org::attach(
        s,
        &prepared.selected,
        seed,
        complete_k as u32,
        &mut variants,
    );
    for (m, vr) in models.iter().zip(&mut variants) {
        warmup::detect(m, vr, &mut warnings);
    }
    let uncertainty = match &prepared.uncertain {
        Some(u) => Some(uncertain::summarize(
            u,
            prepared,
            complete_k as u32,
            &per_variant,
            &mut variants,
        )?),
        None => None,
    };
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
        evolution: s
            .evolution
            .iter()
            .map(|&v| s.variants[v].name.clone())
            .collect(),
        uncertainty,
        precision: None,
        slo_probability: slo_prob::evaluate(&s.slos, models, &per_variant),
    })
}

fn replication_summary(
    m: &Model,
    r: &RepResult,
    k: u32,
    done: usize,
    total: usize,
) -> partial::ReplicationDone {
    partial::ReplicationDone {
        variant: m.variant.clone(),
        replication: k,
        done,
        total,
        entries: m
            .entries
            .iter()
            .enumerate()
            .map(|(e, plan)| {
                let [mean, p50, p99, tput, ok] = entry_values(r, e);
                partial::EntryPartial {
                    name: plan.name.clone(),
                    latency_mean_s: mean,
                    latency_p50_s: p50,
                    latency_p99_s: p99,
                    throughput_per_s: tput,
                    success_ratio: ok,
                }
            })
            .collect(),
        units: partial::unit_values(m, r),
    }
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
        // Tail percentiles: bootstrap intervals when replications are few (bootstrap.rs).
        let tail = |q: f64| {
            let xs: Vec<f64> = reps
                .iter()
                .map(|r| quantile_s(&r.entries[e].latency, q))
                .collect();
            bootstrap::tail_stat(&xs)
        };
        let (p99, method) = tail(0.99);
        let (p999, _) = tail(0.999);
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
                    p99,
                    p999,
                    tail_interval: method.name().to_string(),
                    p99_low_samples: bootstrap::low_samples(0.99, min_completed),
                    p999_low_samples: bootstrap::low_samples(0.999, min_completed),
                },
                latency_cdf: cdf(&merged),
                degraded: stat_of(reps, |r| r.entries[e].degraded as f64),
                attempts: stat_of(reps, |r| r.entries[e].attempts as f64),
            },
        );
    }
    let mut units = IndexMap::new();
    let mut databases = IndexMap::new();
    let mut components = IndexMap::new();
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
            worker_saturation: stat_of(reps, |r| r.nodes[n].worker_saturation),
            autoscaling: (node.autoscale != crate::model::NO_AUTOSCALE).then(|| {
                crate::report::AutoscaleResult {
                    instances_mean: stat_of(reps, |r| r.nodes[n].instances_mean),
                    instances_min: stat_of(reps, |r| r.nodes[n].instances_min as f64),
                    instances_max: stat_of(reps, |r| r.nodes[n].instances_max as f64),
                    scaling_events: stat_of(reps, |r| r.nodes[n].scaling_events as f64),
                }
            }),
            function: (node.function != crate::model::NO_FUNCTION)
                .then(|| crate::cost::report::function_result(m, node.function as usize, reps)),
            pool: reps
                .first()
                .map_or(0, |r| r.nodes[n].pool_size)
                .gt(&0)
                .then(|| crate::report::PoolResult {
                    size: reps[0].nodes[n].pool_size,
                    in_use: stat_of(reps, |r| r.nodes[n].pool_in_use),
                    saturation: stat_of(reps, |r| {
                        r.nodes[n].pool_in_use / r.nodes[n].pool_size.max(1) as f64
                    }),
                    waiting: stat_of(reps, |r| r.nodes[n].pool_waiting),
                    acquires: stat_of(reps, |r| r.nodes[n].pool_acquires as f64),
                    wait_mean_s: stat_of(reps, |r| r.nodes[n].pool_wait_s),
                    timeouts: stat_of(reps, |r| r.nodes[n].pool_timeouts as f64),
                }),
        };
        match node.kind {
            NodeKind::Unit => {
                units.insert(node.name.clone(), nr);
            }
            NodeKind::Database => {
                databases.insert(node.name.clone(), nr);
            }
            kind => {
                components.insert(
                    node.name.clone(),
                    crate::report::ComponentResult {
                        kind: kind.name().to_string(),
                        node: nr,
                    },
                );
            }
        }
    }
    let events: u64 = reps.iter().map(|r| r.events).sum();
    let wall_s: f64 = reps.iter().map(|r| r.wall_s).sum();
    let series = combine_series(m, reps);
    let resilience = resilience::combine(m, reps, &series);
    let caches = m
        .caches
        .iter()
        .enumerate()
        .map(|(c, plan)| {
            let of = |r: &RepResult| r.caches.get(c).copied().unwrap_or((0, 0));
            (
                plan.name.clone(),
                crate::report::CacheResult {
                    lookups: stat_of(reps, |r| of(r).0 as f64),
                    hits: stat_of(reps, |r| of(r).1 as f64),
                    hit_ratio: stat_of(reps, |r| {
                        let (l, h) = of(r);
                        if l > 0 {
                            h as f64 / l as f64
                        } else {
                            0.0
                        }
                    }),
                },
            )
        })
        .collect();
    VariantResult {
        name: m.variant.clone(),
        entries,
        units,
        databases,
        components,
        caches,
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
        cost: crate::cost::report::cost_result(m, reps),
        conway: None,
        delivery: None,
        queues: combine_queues(m, reps),
        sagas: combine_sagas(m, reps),
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
        warmup_detected: IndexMap::new(),
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
    // Nodes holding connection pools (their series exist in every replication).
    let mut pooled = vec![false; m.nodes.len()];
    for p in &m.pools {
        pooled[m.stations[p.station as usize].node as usize] = true;
    }
    let mut nodes = IndexMap::new();
    for (n, node) in m.nodes.iter().enumerate() {
        nodes.insert(
            node.name.clone(),
            NodeSeries {
                utilization: mean_series(reps, |r| &r.series.utilization[n]),
                in_system: mean_series(reps, |r| &r.series.in_system[n]),
                instances: mean_series(reps, |r| &r.series.instances[n]),
                instances_starting: mean_series(reps, |r| &r.series.instances_starting[n]),
                worker_saturation: mean_series(reps, |r| &r.series.worker_saturation[n]),
                waiting: mean_series(reps, |r| &r.series.waiting[n]),
                pool_saturation: if pooled[n] {
                    mean_series(reps, |r| &r.series.pool_saturation[n])
                } else {
                    Vec::new()
                },
                pool_waiting: if pooled[n] {
                    mean_series(reps, |r| &r.series.pool_waiting[n])
                } else {
                    Vec::new()
                },
            },
        );
    }
    let len = entries
        .values()
        .map(|s: &EntrySeries| s.throughput_per_s.len())
        .next()
        .unwrap_or(0);
    let mut queues = IndexMap::new();
    for (q, plan) in m.queues.iter().enumerate() {
        queues.insert(
            plan.name.clone(),
            QueueSeries {
                backlog: mean_series(reps, |r| &r.series.queue_backlog[q]),
                oldest_age_s: mean_series(reps, |r| &r.series.queue_oldest_age[q]),
            },
        );
    }
    SeriesResult {
        window_s,
        t_s: (0..len).map(|i| i as f64 * window_s).collect(),
        entries,
        nodes,
        queues,
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn combine_queues(m: &Model, reps: &[RepResult]) -> IndexMap<String, QueueResult> {
    let mut out = IndexMap::new();
    for (q, plan) in m.queues.iter().enumerate() {
        let st = |f: &dyn Fn(&crate::components::queue::QueueRep) -> f64| {
            stat_of(reps, |r| f(&r.queues[q]))
        };
        let e2e = |p: f64| st(&|x| quantile_s(&x.end_to_end, p));
        let min_e2e = reps
            .iter()
            .map(|r| r.queues[q].end_to_end.len())
            .min()
            .unwrap_or(0);
        out.insert(
            plan.name.clone(),
            QueueResult {
                published: st(&|x| x.published as f64),
                published_per_s: stat_of(reps, |r| r.queues[q].published as f64 / r.measured_s),
                delivered: st(&|x| x.delivered as f64),
                redelivered: st(&|x| x.redelivered as f64),
                dead_lettered: st(&|x| x.dead_lettered as f64),
                receives: st(&|x| x.receives as f64),
                receives_per_message: st(&|x| {
                    ratio(x.finished_receives, x.delivered + x.dead_lettered)
                }),
                dead_letter_ratio: st(&|x| ratio(x.dead_lettered, x.delivered + x.dead_lettered)),
                backlog_end: st(&|x| x.in_queue_end as f64),
                wait_mean_s: st(&|x| x.mean_wait_s()),
                end_to_end_s: LatencyResult {
                    mean: st(&|x| {
                        if x.end_to_end.is_empty() {
                            0.0
                        } else {
                            x.end_to_end.mean() / 1e9
                        }
                    }),
                    p50: e2e(0.5),
                    p90: e2e(0.9),
                    p95: e2e(0.95),
                    p99: e2e(0.99),
                    p999: e2e(0.999),
                    tail_interval: bootstrap::Method::StudentT.name().to_string(),
                    p99_low_samples: bootstrap::low_samples(0.99, min_e2e),
                    p999_low_samples: bootstrap::low_samples(0.999, min_e2e),
                },
            },
        );
    }
    out
}

fn combine_sagas(m: &Model, reps: &[RepResult]) -> IndexMap<String, SagaResult> {
    let mut out = IndexMap::new();
    for (g, plan) in m.sagas.iter().enumerate() {
        let st = |f: &dyn Fn(&crate::metrics::SagaRep) -> f64| stat_of(reps, |r| f(&r.sagas[g]));
        out.insert(
            plan.name.clone(),
            SagaResult {
                committed: st(&|x| x.committed as f64),
                compensated: st(&|x| x.compensated as f64),
                inconsistent: st(&|x| x.inconsistent as f64),
                committed_ratio: st(&|x| {
                    ratio(x.committed, x.committed + x.compensated + x.inconsistent)
                }),
                compensated_ratio: st(&|x| {
                    ratio(x.compensated, x.committed + x.compensated + x.inconsistent)
                }),
                inconsistent_ratio: st(&|x| {
                    ratio(x.inconsistent, x.committed + x.compensated + x.inconsistent)
                }),
                compensation_s: st(&|x| {
                    let n = x.compensated + x.inconsistent;
                    if n == 0 {
                        0.0
                    } else {
                        x.compensation_ns / n as f64 / 1e9
                    }
                }),
            },
        );
    }
    out
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
