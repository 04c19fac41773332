//! Monte Carlo replications in parallel, combined in replication order.
//!
//! Every (variant, replication) pair is one task on a rayon pool; results are collected in task
//! order, so the output is the same for any thread count. Replication `k` of every variant uses
//! the generators derived from `(seed, k)`: common random numbers, which make the paired
//! differences between variants tight.

pub mod bootstrap;
pub mod mser;
pub mod precision;
pub mod stat;
pub mod uncertain;
mod warmup;

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
}

/// Simulates the selected variants of `s` with replications in parallel and combines them.
pub fn run(s: &Scenario, opts: &RunOptions<'_>) -> Result<Results, RunError> {
    let reps = opts.replications.unwrap_or(s.replications).max(1);
    let prep = Prepared::new(s, opts, reps)?;
    let mut store = RepStore::new(prep.models.len());
    prep.simulate(
        s,
        0..reps,
        opts,
        &mut store,
        reps as usize * prep.models.len(),
    )?;
    prep.finish(s, &store, reps)
}

/// What every batch of replications of a run shares: the selected variants' (nominal) models,
/// the seed, the thread pool.
pub(crate) struct Prepared {
    selected: Vec<usize>,
    models: Vec<Model>,
    seed: u64,
    threads: usize,
    pool: rayon::ThreadPool,
    /// Per variant: most windows per replication (see [`SERIES_VALUES_BUDGET`]).
    window_limit: Vec<u64>,
}

/// Replications simulated so far, per variant in replication order.
pub(crate) struct RepStore {
    results: Vec<Vec<Option<RepResult>>>,
    /// Per replication: the drawn values of the uncertain parameters (empty when certain).
    drawn: Vec<Vec<f64>>,
    /// Per variant, per replication: memory provisioned \[bytes\] (differs between
    /// replications only when an uncertain parameter changes it).
    memory: Vec<Vec<u64>>,
}

impl RepStore {
    pub(crate) fn new(variants: usize) -> Self {
        RepStore {
            results: vec![Vec::new(); variants],
            drawn: Vec::new(),
            memory: vec![Vec::new(); variants],
        }
    }

    /// Replications stored per variant.
    pub(crate) fn len(&self) -> usize {
        self.results.first().map_or(0, Vec::len)
    }
}

impl Prepared {
    /// Compiles the selected variants; `planned` replications size the time-series budget.
    pub(crate) fn new(s: &Scenario, opts: &RunOptions<'_>, planned: u32) -> Result<Self, RunError> {
        let selected = select_variants(s, &opts.variants)?;
        let seed = opts.seed.unwrap_or(s.seed);
        let mut models: Vec<Model> = selected.iter().map(|&v| Model::compile(s, v)).collect();
        // Every replication's time series stay in memory until they are combined: keep their
        // total under SERIES_VALUES_BUDGET values by widening the window when there are many
        // replications.
        let mut window_limit = Vec::with_capacity(models.len());
        for m in &mut models {
            let per_window = (m.series_count() * planned as usize * selected.len()).max(1) as u64;
            window_limit.push(SERIES_VALUES_BUDGET / per_window);
            m.limit_windows(SERIES_VALUES_BUDGET / per_window);
        }
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
        Ok(Prepared {
            selected,
            models,
            seed,
            threads,
            pool,
            window_limit,
        })
    }

    /// Simulates replications `ks` of every selected variant and appends them to `store`.
    /// `total` is the task count shown by the progress callback.
    pub(crate) fn simulate(
        &self,
        s: &Scenario,
        ks: std::ops::Range<u32>,
        opts: &RunOptions<'_>,
        store: &mut RepStore,
        total: usize,
    ) -> Result<(), RunError> {
        let nv = self.models.len();
        let tasks: Vec<(usize, u32)> = (0..nv)
            .flat_map(|v| ks.clone().map(move |k| (v, k)))
            .collect();
        let done = AtomicUsize::new(store.len() * nv);
        let tick = || {
            let d = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = opts.progress {
                p(Progress { done: d, total });
            }
        };
        let nk = ks.len();
        match &s.uncertain {
            None => {
                let results: Vec<Option<RepResult>> = self.pool.install(|| {
                    tasks
                        .par_iter()
                        .map(|&(v, k)| {
                            let r =
                                engine::simulate(&self.models[v], self.seed, k as u64, opts.cancel);
                            tick();
                            r
                        })
                        .collect()
                });
                for (i, r) in results.into_iter().enumerate() {
                    let v = i / nk.max(1);
                    store.results[v].push(r);
                    store.memory[v].push(self.models[v].memory_provisioned);
                }
                for _ in ks {
                    store.drawn.push(Vec::new());
                }
            }
            Some(u) => {
                let realized = uncertain::realize(u, self.seed, ks.clone(), &self.pool)?;
                let out: Vec<(Option<RepResult>, u64)> = self.pool.install(|| {
                    tasks
                        .par_iter()
                        .map(|&(v, k)| {
                            let sk = &realized[(k - ks.start) as usize].1;
                            let mut m = Model::compile(sk, self.selected[v]);
                            m.limit_windows(self.window_limit[v]);
                            let r = engine::simulate(&m, self.seed, k as u64, opts.cancel);
                            tick();
                            (r, m.memory_provisioned)
                        })
                        .collect()
                });
                for (i, (r, mem)) in out.into_iter().enumerate() {
                    let v = i / nk.max(1);
                    store.results[v].push(r);
                    store.memory[v].push(mem);
                }
                store.drawn.extend(realized.into_iter().map(|(d, _)| d));
            }
        }
        Ok(())
    }

    /// Combines the replications in `store` (`requested` were asked for) into results.
    pub(crate) fn finish(
        &self,
        s: &Scenario,
        store: &RepStore,
        requested: u32,
    ) -> Result<Results, RunError> {
        let models = &self.models;
        let stored = store.len();
        // Keep, for every variant, the replications that all variants finished (so that paired
        // differences pair the same k).
        let mut complete_k = 0;
        for k in 0..stored {
            if store.results.iter().all(|rs| rs[k].is_some()) {
                complete_k += 1;
            } else {
                break;
            }
        }
        if complete_k == 0 {
            return Err(RunError::Cancelled);
        }
        let per_variant: Vec<Vec<RepResult>> = store
            .results
            .iter()
            .map(|rs| rs[..complete_k].iter().flatten().cloned().collect())
            .collect();

        let mut violations = Vec::new();
        let mut warnings = Vec::new();
        if complete_k < requested as usize {
            warnings.push(format!(
                "cancelled: {complete_k} of {requested} replications finished and are reported"
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
        if s.uncertain.is_some() {
            for (v, vr) in variants.iter_mut().enumerate() {
                let mem: Vec<f64> = store.memory[v][..complete_k]
                    .iter()
                    .map(|&b| b as f64 / 1e9)
                    .collect();
                vr.memory_provisioned_gb = Stat::from_samples(&mem);
            }
        }
        for (m, vr) in models.iter().zip(&mut variants) {
            warmup::detect(m, vr, &mut warnings);
        }
        let comparisons = (1..models.len())
            .map(|v| compare(&models[0], &per_variant[0], &models[v], &per_variant[v]))
            .collect();
        let uncertainty = s
            .uncertain
            .as_ref()
            .map(|u| uncertain::summarize(u, &store.drawn[..complete_k], models, &per_variant));
        Ok(Results {
            schema_version: SCHEMA_VERSION,
            scenario: s.name.clone(),
            seed: self.seed,
            replications: complete_k as u32,
            threads: self.threads,
            variants,
            comparisons,
            warnings,
            self_check: SelfCheck {
                ok: violations.is_empty(),
                violations,
            },
            uncertainty,
            precision: None,
        })
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
        };
        match node.kind {
            NodeKind::Unit => units.insert(node.name.clone(), nr),
            NodeKind::Database => databases.insert(node.name.clone(), nr),
        };
    }
    let events: u64 = reps.iter().map(|r| r.events).sum();
    let wall_s: f64 = reps.iter().map(|r| r.wall_s).sum();
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
        series: combine_series(m, reps),
        engine: EngineFigures {
            events,
            wall_s,
            events_per_s: if wall_s > 0.0 {
                events as f64 / wall_s
            } else {
                0.0
            },
        },
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
