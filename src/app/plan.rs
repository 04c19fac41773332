//! Capacity planning requests: a parameter sweep, a capacity search and a right-sizing, each
//! validated (counts, SLO, precision, variants, the work guard per simulated setting) and run
//! with [`RunEvent`]s, as `archsim sweep`, `capacity` and `rightsize` and the desktop app's
//! Sweep and Capacity tabs do.

use std::time::Instant;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::plan::capacity::{self, CapacityOptions, CapacityResults};
use crate::plan::rightsize::{self, KnobKind, RightsizeOptions, RightsizeResults};
use crate::plan::sweep::{self, Axis, KneeRule, PointSpec, SweepOptions, SweepResults};
use crate::results::slo::Verdict;
use crate::runner::shard::Shard;
use crate::runner::{Progress, RunOptions};
use crate::scenario::{self, Scenario};
use crate::spec::slo::Slo;

use super::check;
use super::error::{AppError, AppResult};
use super::events::RunEvent;
use super::guard;
use super::session::RunSlot;

/// What to sweep.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub struct SweepRequest {
    /// The scenario text.
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// One or two `PATH=A..B:STEP` or `PATH=a,b,c` (as `archsim sweep --set`; two make a grid).
    pub sets: Vec<String>,
    /// Knee rule: a factor (`2`) or a latency (`300ms`); default `2`.
    #[serde(default)]
    pub knee: Option<String>,
    /// Replications per point and variant (default: the scenario's).
    #[serde(default)]
    pub replications: Option<u32>,
    /// Seed (default: the scenario's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Only these variants (default: all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Refuse to start when one point's estimated events exceed this (default 2·10⁹, as
    /// `--max-events`).
    #[serde(default)]
    pub max_events: Option<f64>,
    /// Only this shard of the points (the CLI's `--shard K/N`).
    #[serde(skip)]
    pub shard: Option<String>,
}

/// A finished sweep.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SweepOutcome {
    /// The points that finished (all of them unless cancelled).
    pub results: SweepResults,
    /// The sweep was cancelled: `results` hold fewer points than the grid.
    pub cancelled: bool,
}

/// What capacity to search.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub struct CapacityRequest {
    /// The scenario text.
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// The SLO, e.g. `p99<300ms,errors<0.1%` (as `archsim capacity --slo`).
    pub slo: String,
    /// Scale only this entry's rate (default: every entry together).
    #[serde(default)]
    pub entry: Option<String>,
    /// Stop when the bracket is at most this wide relative to its low end (default `1%`).
    #[serde(default)]
    pub precision: Option<String>,
    /// Evaluations per variant, at most (default 40).
    #[serde(default)]
    pub max_evaluations: Option<u32>,
    /// Replications per evaluation (default: the scenario's).
    #[serde(default)]
    pub replications: Option<u32>,
    /// Seed (default: the scenario's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Only these variants (default: all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Refuse to start when one evaluation's estimated events exceed this (default 2·10⁹).
    #[serde(default)]
    pub max_events: Option<f64>,
}

/// A finished capacity search.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CapacityOutcome {
    /// Per variant: the highest rate meeting the SLO, its bracket and cost.
    pub results: CapacityResults,
    /// The search was cancelled: the brackets reached so far are reported.
    pub cancelled: bool,
}

/// What to right-size (`archsim rightsize`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub struct RightsizeRequest {
    /// The scenario text.
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// The SLO, e.g. `p99<300ms` (as `archsim rightsize --slo`).
    pub slo: String,
    /// The arrival rate to size for \[1/s\]: of every entry together, or of `entry`.
    pub rate: f64,
    /// Set only this entry's rate.
    #[serde(default)]
    pub entry: Option<String>,
    /// Largest replica or core count considered (default 64).
    #[serde(default)]
    pub max_value: Option<u32>,
    /// Plans simulated per variant, at most (default 200).
    #[serde(default)]
    pub max_evaluations: Option<usize>,
    /// What to search, e.g. `replicas,db-cores` (default `replicas,db-cores,memory,provisioned`).
    #[serde(default)]
    pub search: Option<String>,
    /// Replications per plan (default: the scenario's).
    #[serde(default)]
    pub replications: Option<u32>,
    /// Seed (default: the scenario's).
    #[serde(default)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    #[serde(default)]
    pub threads: Option<usize>,
    /// Only these variants (default: all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Work limit per plan (default 2·10⁹ events).
    #[serde(default)]
    pub max_events: Option<f64>,
}

/// A finished right-sizing.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RightsizeOutcome {
    /// Per variant: the cheapest plan meeting the SLO.
    pub results: RightsizeResults,
    /// Cancel was asked for: the plans are the best found so far.
    pub cancelled: bool,
}

/// The scenario and variants of a validated planning request.
pub struct Planned<T> {
    /// The scenario as given (a sweep's points set their values on copies).
    pub base: Scenario,
    /// Names of the variants simulated, in order.
    pub variant_names: Vec<String>,
    /// Replications per simulated setting and variant.
    pub replications: u32,
    /// What the request adds.
    pub spec: T,
}

impl<T> std::fmt::Debug for Planned<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planned")
            .field("scenario", &self.base.name)
            .field("variant_names", &self.variant_names)
            .field("replications", &self.replications)
            .finish_non_exhaustive()
    }
}

impl<T> Planned<T> {
    /// The scenario's warnings, to show before the work starts.
    pub fn warnings(&self) -> Vec<String> {
        crate::estimate::warnings(&self.base)
    }
}

/// A validated sweep: its axes, knee rule, points and shard.
pub struct SweepSpec {
    /// The swept parameters.
    pub axes: Vec<Axis>,
    /// The knee rule.
    pub knee: KneeRule,
    /// Every point of the grid.
    pub points: Vec<PointSpec>,
    /// Only this shard of the points.
    pub shard: Option<Shard>,
}

/// A validated capacity search.
#[derive(Debug, Clone)]
pub struct CapacitySpec {
    /// The SLO.
    pub slo: Slo,
    /// The bracket's relative width to stop at.
    pub precision: f64,
    /// Evaluations per variant, at most.
    pub max_evaluations: u32,
}

/// A validated right-sizing.
#[derive(Debug, Clone)]
pub struct RightsizeSpec {
    /// The SLO.
    pub slo: Slo,
    /// The knobs searched.
    pub search: Vec<KnobKind>,
}

/// Selects the variants of a planning request on its scenario.
fn planned<T>(
    base: Scenario,
    variants: &[String],
    replications: Option<u32>,
    spec: T,
) -> AppResult<Planned<T>> {
    let selected = check::select_variants(&base, variants)?;
    Ok(Planned {
        variant_names: check::variant_names(&base, &selected),
        replications: replications.unwrap_or(base.replications).max(1),
        base,
        spec,
    })
}

fn guard_settings<T>(
    p: &Planned<T>,
    file: &str,
    s: &Scenario,
    settings: usize,
    max_events: f64,
) -> AppResult<()> {
    let selected = check::select_variants(s, &p.variant_names)?;
    guard::check_settings(file, s, &selected, p.replications, settings, max_events)
}

/// Validates a sweep: counts, the scenario, the `--set` axes, the knee, the shard, the points
/// and the work guard (each point at most the limit).
///
/// # Errors
/// [`AppError::InvalidParameter`] or [`AppError::Plan`] for a bad option, a bad path or
/// value; [`AppError::Scenario`]; [`AppError::TooMuchWork`].
pub fn prepare_sweep(req: &SweepRequest) -> AppResult<Planned<SweepSpec>> {
    let max_events = check::common(req.replications, req.threads, req.max_events)?;
    let base = scenario::parse(&req.text, &req.file_name)?;
    let axes = req
        .sets
        .iter()
        .map(|s| Axis::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let knee = match &req.knee {
        None => KneeRule::default(),
        Some(k) => KneeRule::parse(k).map_err(AppError::InvalidParameter)?,
    };
    let shard = req
        .shard
        .as_deref()
        .map(super::run::parse_shard)
        .transpose()?;
    let points = sweep::points(&req.text, &req.file_name, &axes)?;
    if let Some(s) = shard {
        s.check_units(points.len(), "points")?;
    }
    let spec = SweepSpec {
        axes,
        knee,
        points,
        shard,
    };
    let p = planned(base, &req.variants, req.replications, spec)?;
    if let Some(last) = p.spec.points.last() {
        guard_settings(
            &p,
            &req.file_name,
            &last.scenario,
            p.spec.points.len(),
            max_events,
        )?;
    }
    Ok(p)
}

/// (Variant, replication) tasks of a sweep: every point's.
pub fn sweep_total(p: &Planned<SweepSpec>) -> usize {
    p.replications as usize * p.variant_names.len() * p.spec.points.len()
}

fn progress_events<'a>(
    emit: &'a (dyn Fn(RunEvent) + Sync),
    start: Instant,
) -> impl Fn(Progress) + Sync + 'a {
    move |p: Progress| {
        emit(RunEvent::Progress {
            done: p.done,
            total: p.total,
            elapsed_s: start.elapsed().as_secs_f64(),
        })
    }
}

fn run_options<'a>(
    slot: &'a RunSlot,
    replications: Option<u32>,
    seed: Option<u64>,
    threads: Option<usize>,
    variants: &[String],
    progress: &'a (dyn Fn(Progress) + Sync),
    max_events: Option<f64>,
) -> RunOptions<'a> {
    RunOptions {
        // Every point evaluated (a swept value, a rate tried, a plan) is checked again.
        max_events: Some(max_events.unwrap_or(guard::DEFAULT_MAX_EVENTS)),
        replications,
        seed,
        threads,
        variants: variants.to_vec(),
        cancel: Some(slot.cancel_flag()),
        progress: Some(progress),
        pool: None,
        replication_done: None,
    }
}

/// The part file of a sharded sweep's results (`sweep --shard K/N --json`; see
/// `crate::plan::part`).
///
/// # Errors
/// [`AppError::InvalidParameter`] when the results cannot be serialized (not expected).
pub fn sweep_part(
    req: &SweepRequest,
    p: &Planned<SweepSpec>,
    r: &SweepResults,
) -> AppResult<String> {
    let id = crate::plan::part::SweepIdentity {
        text: &req.text,
        seed: req.seed.unwrap_or(p.base.seed),
        replications: p.replications,
        variants: &req.variants,
        sets: &req.sets,
    };
    crate::plan::part::seal_sweep(r, &id)
        .map_err(|e| AppError::invalid(format!("cannot write the part: {e}")))
}

/// Runs a validated sweep in `slot`; `emit` receives `started` (all replications of all
/// points) and `progress`. A cancelled sweep returns the points that finished.
///
/// # Errors
/// [`AppError::Busy`]; [`AppError::Plan`] when a point fails.
pub fn execute_sweep(
    req: &SweepRequest,
    p: &Planned<SweepSpec>,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<SweepOutcome> {
    let _claim = slot.claim()?;
    emit(RunEvent::Started {
        total: sweep_total(p),
        variants: p.variant_names.clone(),
    });
    let progress = progress_events(emit, Instant::now());
    let opts = SweepOptions {
        run: run_options(
            slot,
            req.replications,
            req.seed,
            req.threads,
            &req.variants,
            &progress,
            req.max_events,
        ),
        knee: p.spec.knee,
        shard: p.spec.shard,
    };
    let parameters: Vec<String> = p.spec.axes.iter().map(|a| a.path.clone()).collect();
    let results = sweep::sweep(&p.base.name, &parameters, &p.spec.points, &opts)?;
    Ok(SweepOutcome {
        cancelled: slot.cancel_requested() && results.points.len() < p.spec.points.len(),
        results,
    })
}

/// Validates and runs a sweep.
///
/// # Errors
/// As [`prepare_sweep`] and [`execute_sweep`].
pub fn run_sweep(
    req: &SweepRequest,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<SweepOutcome> {
    execute_sweep(req, &prepare_sweep(req)?, slot, emit)
}

/// Validates a capacity search: counts, the SLO, the precision (default 1%), the evaluations,
/// the scenario, the variants and the work guard (one evaluation at most the limit). The
/// entry and the SLO's entries are checked when the search starts.
///
/// # Errors
/// [`AppError::InvalidParameter`]; [`AppError::Scenario`]; [`AppError::TooMuchWork`].
pub fn prepare_capacity(req: &CapacityRequest) -> AppResult<Planned<CapacitySpec>> {
    let max_events = check::common(req.replications, req.threads, req.max_events)?;
    let slo = Slo::parse(&req.slo).map_err(|e| AppError::invalid(e.to_string()))?;
    let precision = match &req.precision {
        None => CapacityOptions::default().precision,
        Some(p) => check::precision(p)?,
    };
    let max_evaluations = req
        .max_evaluations
        .unwrap_or(CapacityOptions::default().max_evaluations);
    if max_evaluations == 0 {
        return Err(AppError::invalid("--max-evaluations must be at least 1"));
    }
    let spec = CapacitySpec {
        slo,
        precision,
        max_evaluations,
    };
    let base = scenario::parse(&req.text, &req.file_name)?;
    let p = planned(base, &req.variants, req.replications, spec)?;
    guard_settings(&p, &req.file_name, &p.base, 1, max_events)?;
    Ok(p)
}

/// Runs a validated capacity search in `slot`; `emit` receives `started`, `progress` (the
/// replications of the current round) and a `step` per evaluation. A cancelled search
/// returns the brackets reached.
///
/// # Errors
/// [`AppError::Busy`]; [`AppError::Plan`] for an entry or SLO naming no entry, or a failed
/// evaluation.
pub fn execute_capacity(
    req: &CapacityRequest,
    p: &Planned<CapacitySpec>,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<CapacityOutcome> {
    let _claim = slot.claim()?;
    emit(RunEvent::Started {
        total: p.replications as usize * p.variant_names.len(),
        variants: p.variant_names.clone(),
    });
    let progress = progress_events(emit, Instant::now());
    let on_step = |variant: &str, rate: f64, verdict: Verdict| {
        emit(RunEvent::Step {
            variant: variant.to_string(),
            rate,
            verdict,
        })
    };
    let opts = CapacityOptions {
        run: run_options(
            slot,
            req.replications,
            req.seed,
            req.threads,
            &req.variants,
            &progress,
            req.max_events,
        ),
        entry: req.entry.clone(),
        precision: p.spec.precision,
        max_evaluations: p.spec.max_evaluations,
        on_step: Some(&on_step),
    };
    let results = capacity::capacity(&req.text, &req.file_name, &p.spec.slo, &opts)?;
    let stopped = results
        .variants
        .iter()
        .any(|v| v.status == capacity::Status::Stopped);
    Ok(CapacityOutcome {
        cancelled: slot.cancel_requested() && stopped,
        results,
    })
}

/// Validates and runs a capacity search.
///
/// # Errors
/// As [`prepare_capacity`] and [`execute_capacity`].
pub fn run_capacity(
    req: &CapacityRequest,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<CapacityOutcome> {
    execute_capacity(req, &prepare_capacity(req)?, slot, emit)
}

/// Default knobs of a right-sizing.
pub const DEFAULT_SEARCH: &str = "replicas,db-cores,memory,provisioned";

/// Validates a right-sizing: counts, the SLO, the limits, the knobs, the scenario, the
/// variants and the work guard (one plan at most the limit).
///
/// # Errors
/// [`AppError::InvalidParameter`]; [`AppError::Scenario`]; [`AppError::TooMuchWork`].
pub fn prepare_rightsize(req: &RightsizeRequest) -> AppResult<Planned<RightsizeSpec>> {
    let max_events = check::common(req.replications, req.threads, req.max_events)?;
    let slo = Slo::parse(&req.slo).map_err(|e| AppError::invalid(e.to_string()))?;
    if req.max_value == Some(0) || req.max_evaluations == Some(0) {
        return Err(AppError::invalid(
            "--max-value and --max-evaluations must be at least 1",
        ));
    }
    let search = KnobKind::parse_search(req.search.as_deref().unwrap_or(DEFAULT_SEARCH))
        .map_err(|e| AppError::invalid(format!("--search: {e}")))?;
    let base = scenario::parse(&req.text, &req.file_name)?;
    let p = planned(
        base,
        &req.variants,
        req.replications,
        RightsizeSpec { slo, search },
    )?;
    guard_settings(&p, &req.file_name, &p.base, 1, max_events)?;
    Ok(p)
}

/// Runs a validated right-sizing in `slot`; `emit` receives `started` and `progress` (the
/// replications of the current round).
///
/// # Errors
/// [`AppError::Busy`]; [`AppError::Plan`].
pub fn execute_rightsize(
    req: &RightsizeRequest,
    p: &Planned<RightsizeSpec>,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<RightsizeOutcome> {
    let _claim = slot.claim()?;
    emit(RunEvent::Started {
        total: p.replications as usize * p.variant_names.len(),
        variants: p.variant_names.clone(),
    });
    let progress = progress_events(emit, Instant::now());
    let opts = RightsizeOptions {
        run: run_options(
            slot,
            req.replications,
            req.seed,
            req.threads,
            &req.variants,
            &progress,
            req.max_events,
        ),
        rate: req.rate,
        entry: req.entry.clone(),
        max_value: req.max_value.unwrap_or(64),
        max_evaluations: req.max_evaluations.unwrap_or(200),
        search: p.spec.search.clone(),
    };
    let results = rightsize::rightsize(&req.text, &req.file_name, &p.spec.slo, &opts)?;
    Ok(RightsizeOutcome {
        cancelled: slot.cancel_requested(),
        results,
    })
}

/// Validates and runs a right-sizing.
///
/// # Errors
/// As [`prepare_rightsize`] and [`execute_rightsize`].
pub fn run_rightsize(
    req: &RightsizeRequest,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<RightsizeOutcome> {
    execute_rightsize(req, &prepare_rightsize(req)?, slot, emit)
}
