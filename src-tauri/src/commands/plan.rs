//! Capacity planning from the app: a parameter sweep and a capacity search, thin wrappers over
//! `archsim::plan::sweep` and `archsim::plan::capacity` (as `archsim sweep` and
//! `archsim capacity` call them). Progress goes over a channel; cancel and the one-at-a-time
//! rule are those of `run` (the same flags in managed state).

use std::sync::atomic::Ordering;
use std::time::Instant;

use archsim::plan::capacity::{self, CapacityOptions, CapacityResults};
use archsim::plan::sweep::{self, Axis, KneeRule, SweepError, SweepOptions, SweepResults};
use archsim::results::slo::Verdict;
use archsim::runner::{precision, Progress, RunOptions};
use archsim::scenario;
use archsim::spec::slo::Slo;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::run::claim;
use crate::error::{AppError, AppResult};
use crate::events::RunEvent;
use crate::state::AppState;

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
}

/// A finished capacity search.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CapacityOutcome {
    /// Per variant: the highest rate meeting the SLO, its bracket and cost.
    pub results: CapacityResults,
    /// The search was cancelled: the brackets reached so far are reported.
    pub cancelled: bool,
}

impl From<SweepError> for AppError {
    fn from(e: SweepError) -> Self {
        match e {
            SweepError::Scenario { values, source } => {
                let mut a = AppError::from(source);
                a.message = format!("with {values}:\n{}", a.message);
                a
            }
            SweepError::Run(r) => AppError::from(r),
            other => AppError::new("invalid_parameter", other.to_string()),
        }
    }
}

fn bad(message: impl Into<String>) -> AppError {
    AppError::new("invalid_parameter", message)
}

fn check_counts(replications: Option<u32>, threads: Option<usize>) -> AppResult<()> {
    if replications == Some(0) {
        return Err(bad("replications must be at least 1"));
    }
    if threads == Some(0) {
        return Err(bad("threads must be at least 1"));
    }
    Ok(())
}

/// Runs a sweep; blocks the calling thread. `emit` receives `started` (all replications of
/// all points) and `progress`.
pub fn sweep_blocking(
    req: &SweepRequest,
    state: &AppState,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<SweepOutcome> {
    check_counts(req.replications, req.threads)?;
    let base = scenario::parse(&req.text, &req.file_name)?;
    if req.sets.is_empty() || req.sets.len() > 2 {
        return Err(bad("give one parameter to sweep, or two for a grid"));
    }
    let axes = req
        .sets
        .iter()
        .map(|s| Axis::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let knee = match req.knee.as_deref().map(str::trim) {
        None | Some("") => KneeRule::default(),
        Some(k) => KneeRule::parse(k).map_err(bad)?,
    };
    let points = sweep::points(&req.text, &req.file_name, &axes)?;
    let _guard = claim(state)?;
    let variants: Vec<String> = if req.variants.is_empty() {
        base.variants.iter().map(|v| v.name.clone()).collect()
    } else {
        req.variants.clone()
    };
    let reps = req.replications.unwrap_or(base.replications).max(1) as usize;
    emit(RunEvent::Started {
        total: reps * variants.len() * points.len(),
        variants,
    });
    let start = Instant::now();
    let progress = |p: Progress| {
        emit(RunEvent::Progress {
            done: p.done,
            total: p.total,
            elapsed_s: start.elapsed().as_secs_f64(),
        })
    };
    let opts = SweepOptions {
        run: RunOptions {
            replications: req.replications,
            seed: req.seed,
            threads: req.threads,
            variants: req.variants.clone(),
            cancel: Some(&state.cancel),
            progress: Some(&progress),
            pool: None,
            replication_done: None,
        },
        knee,
        shard: None,
    };
    let parameters: Vec<String> = axes.iter().map(|a| a.path.clone()).collect();
    let results = sweep::sweep(&base.name, &parameters, &points, &opts)?;
    Ok(SweepOutcome {
        cancelled: state.cancel.load(Ordering::SeqCst) && results.points.len() < points.len(),
        results,
    })
}

/// Runs a capacity search; blocks the calling thread. `emit` receives `started`, `progress`
/// (the replications of the current round) and a `step` per evaluation.
pub fn capacity_blocking(
    req: &CapacityRequest,
    state: &AppState,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<CapacityOutcome> {
    check_counts(req.replications, req.threads)?;
    let slo = Slo::parse(&req.slo).map_err(|e| bad(format!("SLO: {e}")))?;
    let precision = match req.precision.as_deref().map(str::trim) {
        None | Some("") => CapacityOptions::default().precision,
        Some(p) => precision::parse_fraction(p, "precision").map_err(bad)?,
    };
    let max_evaluations = req
        .max_evaluations
        .unwrap_or(CapacityOptions::default().max_evaluations);
    if max_evaluations == 0 {
        return Err(bad("max evaluations must be at least 1"));
    }
    let base = scenario::parse(&req.text, &req.file_name)?;
    let entry = req
        .entry
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(String::from);
    let _guard = claim(state)?;
    let variants: Vec<String> = if req.variants.is_empty() {
        base.variants.iter().map(|v| v.name.clone()).collect()
    } else {
        req.variants.clone()
    };
    let reps = req.replications.unwrap_or(base.replications).max(1) as usize;
    emit(RunEvent::Started {
        total: reps * variants.len(),
        variants,
    });
    let start = Instant::now();
    let progress = |p: Progress| {
        emit(RunEvent::Progress {
            done: p.done,
            total: p.total,
            elapsed_s: start.elapsed().as_secs_f64(),
        })
    };
    let on_step = |variant: &str, rate: f64, verdict: Verdict| {
        emit(RunEvent::Step {
            variant: variant.to_string(),
            rate,
            verdict,
        })
    };
    let opts = CapacityOptions {
        run: RunOptions {
            replications: req.replications,
            seed: req.seed,
            threads: req.threads,
            variants: req.variants.clone(),
            cancel: Some(&state.cancel),
            progress: Some(&progress),
            pool: None,
            replication_done: None,
        },
        entry,
        precision,
        max_evaluations,
        on_step: Some(&on_step),
    };
    let results = capacity::capacity(&req.text, &req.file_name, &slo, &opts)?;
    let stopped = results
        .variants
        .iter()
        .any(|v| v.status == capacity::Status::Stopped);
    Ok(CapacityOutcome {
        cancelled: state.cancel.load(Ordering::SeqCst) && stopped,
        results,
    })
}

/// Runs a sweep on a blocking thread, streaming [`RunEvent`]s over `on_event`; cancelled
/// with `cancel_run` (the points that finished are returned).
#[tauri::command]
pub async fn run_sweep(
    state: State<'_, AppState>,
    request: SweepRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<SweepOutcome> {
    let st = state.share();
    tauri::async_runtime::spawn_blocking(move || {
        sweep_blocking(&request, &st, &|e| {
            let _ = on_event.send(e);
        })
    })
    .await
    .map_err(|e| AppError::new("run", format!("the sweep's thread failed: {e}")))?
}

/// Runs a capacity search on a blocking thread, streaming [`RunEvent`]s over `on_event`;
/// cancelled with `cancel_run` (the brackets reached so far are returned).
#[tauri::command]
pub async fn run_capacity(
    state: State<'_, AppState>,
    request: CapacityRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<CapacityOutcome> {
    let st = state.share();
    tauri::async_runtime::spawn_blocking(move || {
        capacity_blocking(&request, &st, &|e| {
            let _ = on_event.send(e);
        })
    })
    .await
    .map_err(|e| AppError::new("run", format!("the capacity search's thread failed: {e}")))?
}
