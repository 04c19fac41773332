//! Monte Carlo replications in parallel, combined in replication order.
//!
//! Every (variant, replication) pair is one task on a rayon pool; results are collected in task
//! order, so the output is the same for any thread count. Replication `k` of every variant uses
//! the generators derived from `(seed, k)`: common random numbers, which make the paired
//! differences between variants tight.

pub mod bench;
pub mod partial;
pub mod precision;
pub mod shard;
pub mod uncertain;

use crate::engine;
use crate::engine::record::RepResult;
use crate::model::{series_max_windows, Model};
use crate::results::{Results, SelfCheck, VariantResult, SCHEMA_VERSION};
use crate::scenario::Scenario;
use rayon::prelude::*;
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
    /// The estimated events of the run are above `RunOptions::max_events` (a planning
    /// command's point: a rate tried, a swept value, a plan).
    #[error("it would process about {events:.2e} events (limit {limit:.2e}); raise the limit with --max-events, or lower the rates, duration or replications")]
    TooMuchWork {
        /// Estimated events.
        events: f64,
        /// The limit.
        limit: f64,
    },
    /// A replication ran away: far more events than its estimate, or a loop that does not
    /// advance the clock (see [`limits_of`]). The message names the variant and where.
    #[error("variant `{variant}`: {source}")]
    Runaway {
        /// The variant.
        variant: String,
        /// What ran away, and where.
        source: engine::Runaway,
    },
}

/// A replication stops as a runaway when it processes more than this many times its
/// estimated events ([`Model::estimated_events`])…
pub const RUNAWAY_FACTOR: f64 = 100.0;
/// …and more than this many events (small models' estimates are rough).
pub const RUNAWAY_MIN_EVENTS: f64 = 1e7;
/// A replication stops as a zero-time loop after this many events at one simulated instant.
pub const ZERO_TIME_EVENTS: u64 = 1_000_000;

/// …and more than this much live state (requests, calls and scheduled events in progress at
/// once; about 0.2 GB of frames and queue entries).
pub const RUNAWAY_MIN_LIVE: f64 = 1e6;

/// The runtime guard of one replication of `m`: [`RUNAWAY_FACTOR`] times its estimated events
/// (at least [`RUNAWAY_MIN_EVENTS`]), [`ZERO_TIME_EVENTS`] at one instant, and
/// [`RUNAWAY_FACTOR`] times its estimated live state ([`estimated_live`], at least
/// [`RUNAWAY_MIN_LIVE`]).
pub fn limits_of(m: &Model) -> engine::Limits {
    let bound = |x: f64| {
        if x.is_finite() && x < u64::MAX as f64 {
            x as u64
        } else {
            u64::MAX
        }
    };
    engine::Limits {
        max_events: bound((m.estimated_events() * RUNAWAY_FACTOR).max(RUNAWAY_MIN_EVENTS)),
        max_same_instant: ZERO_TIME_EVENTS,
        max_live: bound((estimated_live(m) * RUNAWAY_FACTOR).max(RUNAWAY_MIN_LIVE)),
    }
}

/// Estimated live state of a replication of `m` (requests, calls and scheduled events in
/// progress at once), by Little's law per entry: its rate × its estimated mean latency × its
/// events per request (each call in progress holds at least one scheduled event). An entry
/// whose latency has no estimate (it reaches an overloaded node) counts its whole run: its
/// backlog may grow for the whole run.
pub fn estimated_live(m: &Model) -> f64 {
    let est = crate::estimate::estimate_model(m);
    let run_s = m.topo.end as f64 / 1e9;
    (0..m.topo.entries.len())
        .map(|e| {
            let latency = est
                .entries
                .get(e)
                .and_then(|x| x.mean_latency_s)
                .map_or(run_s, |l| l.min(run_s));
            m.topo.entries[e].arrival.rate() * latency * m.events_per_request(e)
        })
        .sum()
}

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
    /// Refuse to start ([`RunError::TooMuchWork`]) when the estimated events (every
    /// replication of every selected variant, the delivery simulation included) exceed this.
    pub max_events: Option<f64>,
}

/// Estimated events of all replications of `prepared`, the delivery simulation of `s`
/// included.
pub fn estimated_events(s: &Scenario, prepared: &Prepared) -> f64 {
    let delivery = if s.delivery.is_some() {
        crate::org::delivery::estimated_events(s)
    } else {
        0.0
    };
    prepared
        .models
        .iter()
        .map(|m| m.estimated_events() + delivery)
        .sum::<f64>()
        * f64::from(prepared.reps)
}

/// Refuses `prepared` above `opts.max_events`.
///
/// # Errors
/// [`RunError::TooMuchWork`].
pub fn check_work(
    s: &Scenario,
    prepared: &Prepared,
    opts: &RunOptions<'_>,
) -> Result<(), RunError> {
    let Some(limit) = opts.max_events else {
        return Ok(());
    };
    let events = estimated_events(s, prepared);
    if events <= limit {
        return Ok(());
    }
    Err(RunError::TooMuchWork { events, limit })
}

/// Simulates the selected variants of `s` with replications in parallel and combines them.
pub fn run(s: &Scenario, opts: &RunOptions<'_>) -> Result<Results, RunError> {
    let prepared = prepare(s, opts)?;
    check_work(s, &prepared, opts)?;
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
    /// Per variant: most windows per replication (see [`crate::model::series_max_windows`]); applied to
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
    // Every replication's time series stay in memory until they are combined: keep them, and
    // the results document's averaged series, under the scenario's byte budget by widening the
    // window (the same for every replication, so that they average window by window).
    let mut window_limit = Vec::with_capacity(models.len());
    for m in &mut models {
        let max = series_max_windows(m.series_budget, m.series_count(), reps, selected.len());
        m.limit_windows(max);
        window_limit.push(max);
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
    let one = |m: &Model, k: u32, limits| -> Result<Option<RepResult>, RunError> {
        let r =
            engine::simulate_limited(m, seed, k as u64, opts.cancel, limits).map_err(|source| {
                RunError::Runaway {
                    variant: m.variant.clone(),
                    source,
                }
            })?;
        tick(m, k, &r);
        Ok(r)
    };
    let work = || -> Result<Vec<Option<RepResult>>, RunError> {
        let Some(u) = &prepared.uncertain else {
            let limits: Vec<engine::Limits> = models.iter().map(limits_of).collect();
            return tasks
                .par_iter()
                .map(|&(v, k)| one(&models[v], k, limits[v]))
                .collect();
        };
        // Uncertain inputs: each replication's scenario, then one model per task.
        let realized = uncertain::realize(u, seed, ks)?;
        tasks
            .par_iter()
            .map(|&(v, k)| {
                let i = ks.iter().position(|&x| x == k).unwrap_or(0);
                let mut m = Model::compile(&realized[i].1, prepared.selected[v]);
                m.limit_windows(prepared.window_limit[v]);
                let limits = limits_of(&m);
                one(&m, k, limits)
            })
            .collect()
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
            "time-series window widened from {} s to {} s to keep the series within workload.series_budget ({} bytes for every replication in memory and the averaged series in this document)",
            from as f64 / 1e9,
            models[0].topo.window as f64 / 1e9,
            models[0].series_budget,
        ));
    }
    if complete_k == 1 {
        warnings.push(
            "one replication: no interval (an interval needs at least two replications); use --replications 5 or more".into(),
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
            crate::results::combine::combine_variant(m, reps, &mut warnings)
        })
        .collect();
    // Organization: Conway metrics of every variant, the delivery simulation if configured.
    attach_org(
        s,
        &prepared.selected,
        seed,
        complete_k as u32,
        &mut variants,
    );
    for (m, vr) in models.iter().zip(&mut variants) {
        crate::results::warmup::detect(m, vr, &mut warnings);
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
    let comparisons: Vec<_> = (1..models.len())
        .map(|v| crate::results::compare(&models[0], &per_variant[0], &models[v], &per_variant[v]))
        .collect();
    let verdict =
        crate::results::verdict::build(&variants, &comparisons, &s.slos, complete_k as u32);
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
        slo_probability: crate::results::slo_prob::evaluate(&s.slos, models, &per_variant),
        verdict,
        partial: None,
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
            .topo
            .entries
            .iter()
            .enumerate()
            .map(|(e, plan)| {
                let [mean, p50, p99, tput, ok] = crate::results::entry_values(r, e);
                partial::EntryPartial {
                    name: plan.name.clone(),
                    completed: r.entries[e].completed,
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

/// Fills in the organization results of a run: the Conway metrics of every variant and, when
/// the scenario has `[delivery]`, the delivery simulation (`reps` replications from `seed`, in
/// parallel on the current rayon pool). `variants[i]` is the result of variant `selected[i]`.
fn attach_org(
    s: &Scenario,
    selected: &[usize],
    seed: u64,
    reps: u32,
    variants: &mut [VariantResult],
) {
    let traffic = crate::org::Traffic::analytic(s);
    for (r, &v) in variants.iter_mut().zip(selected) {
        r.conway = Some(crate::org::conway::metrics_with(s, v, &traffic));
    }
    if s.delivery.is_some() {
        let d = crate::org::delivery::run(s, selected, seed, reps);
        for (r, d) in variants.iter_mut().zip(d) {
            r.delivery = Some(d);
        }
    }
}
