//! Running a scenario: replications on a blocking thread, progress and per-replication values
//! over a channel, cancel through the flag in managed state.

use std::sync::atomic::Ordering;
use std::sync::Mutex;
use std::time::Instant;

use archsim::results::Results;
use archsim::runner::{self, partial::ReplicationDone, precision, Progress, RunOptions};
use archsim::scenario;
use archsim::stats::stat::Stat;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::{AppError, AppResult};
use crate::events::RunEvent;
use crate::state::{AppState, RunGuard};

/// What to run.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub struct RunRequest {
    /// The scenario text (what the editor shows, saved or not).
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// Replications (default: the scenario's).
    pub replications: Option<u32>,
    /// Seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Only these variants (default: all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Precision target (`2%` or `0.02`): add replications until every headline 95% interval
    /// is within this relative half-width, as `archsim run --precision`; `replications` is the
    /// first batch (at least 5).
    #[serde(default)]
    pub precision: Option<String>,
    /// Cap on replications of a precision run (default 1000, as `run --max-replications`).
    #[serde(default)]
    pub max_replications: Option<u32>,
}

/// A finished run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RunOutcome {
    /// The combined results of the replications that finished.
    pub results: Results,
    /// The run was cancelled: `results` hold fewer replications than asked for.
    pub cancelled: bool,
}

/// Runs the scenario; blocks the calling thread (not the UI thread: the command wraps it in a
/// blocking task). `emit` receives every [`RunEvent`].
pub fn run_blocking(
    req: &RunRequest,
    state: &AppState,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<RunOutcome> {
    let s = scenario::parse(&req.text, &req.file_name)?;
    let precision = req
        .precision
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .map(|p| precision::parse_fraction(p, "precision"))
        .transpose()
        .map_err(|m| AppError::new("invalid_parameter", m))?;
    let max_reps = req
        .max_replications
        .unwrap_or(precision::DEFAULT_MAX_REPLICATIONS);
    if precision.is_some() && max_reps == 0 {
        return Err(AppError::new(
            "invalid_parameter",
            "max replications must be at least 1",
        ));
    }
    if req.replications == Some(0) {
        return Err(AppError::new(
            "invalid_parameter",
            "replications must be at least 1",
        ));
    }
    let _guard = claim(state)?;
    let variants: Vec<String> = if req.variants.is_empty() {
        s.variants.iter().map(|v| v.name.clone()).collect()
    } else {
        req.variants.clone()
    };
    let reps = req.replications.unwrap_or(s.replications).max(1) as usize;
    let nv = variants.len().max(1);
    let total = match precision {
        Some(_) => max_reps as usize * nv,
        None => reps * nv,
    };
    emit(RunEvent::Started { total, variants });
    let start = Instant::now();
    let progress = |p: Progress| {
        emit(RunEvent::Progress {
            done: p.done,
            total: p.total,
            elapsed_s: start.elapsed().as_secs_f64(),
        })
    };
    // A precision run counts its replications over every batch (the library's progress counts
    // within a batch) and reports the precision reached after each one.
    let tracker = Mutex::new(PrecisionTracker::default());
    let replication = |r: &ReplicationDone| {
        emit(RunEvent::Replication { data: r.clone() });
        if let Some(target) = precision {
            // The events are sent while the tracker is held, so replications finishing on
            // other threads cannot overtake them: the last precision event covers them all.
            let mut t = tracker.lock().unwrap_or_else(|e| e.into_inner());
            t.add(r);
            emit(RunEvent::Progress {
                done: t.done,
                total,
                elapsed_s: start.elapsed().as_secs_f64(),
            });
            emit(RunEvent::Precision {
                replications: t.min_replications(nv),
                max_replications: max_reps,
                target,
                relative_half_width: t.worst(),
            });
        }
    };
    let opts = RunOptions {
        replications: req.replications,
        seed: req.seed,
        threads: req.threads,
        variants: req.variants.clone(),
        cancel: Some(&state.cancel),
        progress: if precision.is_some() {
            None
        } else {
            Some(&progress)
        },
        pool: None,
        replication_done: Some(&replication),
    };
    let results = match precision {
        Some(p) => precision::run_to_precision(&s, &opts, p, max_reps)?,
        None => runner::run(&s, &opts)?,
    };
    let stopped_early = match &results.precision {
        Some(p) => !p.met && results.replications < p.max_replications,
        None => (results.replications as usize) < reps,
    };
    let cancelled = state.cancel.load(Ordering::SeqCst) && stopped_early;
    Ok(RunOutcome { cancelled, results })
}

/// Marks a run, sweep or capacity search as in progress (one at a time) and lowers the cancel
/// flag; the guard clears `running` when it ends.
pub(crate) fn claim(state: &AppState) -> AppResult<RunGuard> {
    if state.running.swap(true, Ordering::SeqCst) {
        return Err(AppError::new(
            "busy",
            "a run is already in progress; cancel it first",
        ));
    }
    state.cancel.store(false, Ordering::SeqCst);
    Ok(RunGuard(state.running.clone()))
}

/// Per-replication values of one (variant, entry): mean latency, p99 latency, throughput.
type EntrySamples = ((String, String), [Vec<f64>; 3]);

/// The per-replication headline values of a precision run so far, per (variant, entry).
#[derive(Default)]
struct PrecisionTracker {
    done: usize,
    per_variant: Vec<(String, u32)>,
    samples: Vec<EntrySamples>,
}

impl PrecisionTracker {
    fn add(&mut self, r: &ReplicationDone) {
        self.done += 1;
        match self.per_variant.iter_mut().find(|(v, _)| *v == r.variant) {
            Some((_, n)) => *n += 1,
            None => self.per_variant.push((r.variant.clone(), 1)),
        }
        for e in &r.entries {
            let key = (r.variant.clone(), e.name.clone());
            let i = match self.samples.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    self.samples.push((key, Default::default()));
                    self.samples.len() - 1
                }
            };
            let s = &mut self.samples[i].1;
            s[0].push(e.latency_mean_s);
            s[1].push(e.latency_p99_s);
            s[2].push(e.throughput_per_s);
        }
    }

    /// The worst relative half-width of the 95% intervals so far (∞ before two replications).
    fn worst(&self) -> f64 {
        self.samples
            .iter()
            .flat_map(|(_, s)| s.iter())
            .map(|xs| {
                if xs.len() < 2 {
                    f64::INFINITY
                } else {
                    Stat::from_samples(xs).relative_half_width()
                }
            })
            .fold(0.0, f64::max)
    }

    fn min_replications(&self, variants: usize) -> u32 {
        if self.per_variant.len() < variants {
            return 0;
        }
        self.per_variant.iter().map(|(_, n)| *n).min().unwrap_or(0)
    }
}

/// Runs a scenario on a blocking thread, streaming [`RunEvent`]s over `on_event`. Returns the
/// combined results; a cancelled run returns the replications that finished.
#[tauri::command]
pub async fn run_scenario(
    state: State<'_, AppState>,
    request: RunRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<RunOutcome> {
    let st = state.share();
    tauri::async_runtime::spawn_blocking(move || {
        let emit = |e: RunEvent| {
            // A closed window drops the channel; the run goes on and its result is discarded.
            let _ = on_event.send(e);
        };
        run_blocking(&request, &st, &emit)
    })
    .await
    .map_err(|e| AppError::new("run", format!("the run's thread failed: {e}")))?
}

/// Asks the run in progress to stop. Returns whether a run was in progress.
#[tauri::command]
pub fn cancel_run(state: State<'_, AppState>) -> bool {
    state.cancel.store(true, Ordering::SeqCst);
    state.running.load(Ordering::SeqCst)
}
