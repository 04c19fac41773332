//! Running a scenario: replications on a blocking thread, progress and per-replication values
//! over a channel, cancel through the flag in managed state.

use std::sync::atomic::Ordering;
use std::time::Instant;

use archsim::montecarlo::{self, partial::ReplicationDone, Progress, RunOptions};
use archsim::report::Results;
use archsim::scenario;
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
    if state.running.swap(true, Ordering::SeqCst) {
        return Err(AppError::new(
            "busy",
            "a run is already in progress; cancel it first",
        ));
    }
    let _guard = RunGuard(state.running.clone());
    state.cancel.store(false, Ordering::SeqCst);
    let variants: Vec<String> = if req.variants.is_empty() {
        s.variants.iter().map(|v| v.name.clone()).collect()
    } else {
        req.variants.clone()
    };
    let reps = req.replications.unwrap_or(s.replications).max(1) as usize;
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
    let replication = |r: &ReplicationDone| emit(RunEvent::Replication { data: r.clone() });
    let opts = RunOptions {
        replications: req.replications,
        seed: req.seed,
        threads: req.threads,
        variants: req.variants.clone(),
        cancel: Some(&state.cancel),
        progress: Some(&progress),
        pool: None,
        replication_done: Some(&replication),
    };
    let results = montecarlo::run(&s, &opts)?;
    Ok(RunOutcome {
        cancelled: state.cancel.load(Ordering::SeqCst) && (results.replications as usize) < reps,
        results,
    })
}

/// Runs a scenario on a blocking thread, streaming [`RunEvent`]s over `on_event`. Returns the
/// combined results; a cancelled run returns the replications that finished.
#[tauri::command]
pub async fn run_scenario(
    state: State<'_, AppState>,
    request: RunRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<RunOutcome> {
    let cancel = state.cancel.clone();
    let running = state.running.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let st = AppState { cancel, running };
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
