//! Running a scenario: `archsim::app::run` on a blocking thread, its events over a channel,
//! cancel through the slot in managed state.

use archsim::app::run::{self, RunOutcome, RunRequest};
use tauri::ipc::Channel;
use tauri::State;

use super::{blocking, sender};
use crate::error::AppResult;
use crate::events::RunEvent;
use crate::state::AppState;

/// Runs a scenario, streaming [`RunEvent`]s over `on_event`. Returns the combined results; a
/// cancelled run returns the replications that finished.
#[tauri::command]
pub async fn run_scenario(
    state: State<'_, AppState>,
    request: RunRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<RunOutcome> {
    let slot = state.inner().clone();
    blocking("run", move || run::run(&request, &slot, &sender(on_event))).await
}

/// Asks the run in progress to stop. Returns whether a run was in progress.
#[tauri::command]
pub fn cancel_run(state: State<'_, AppState>) -> bool {
    state.cancel();
    state.is_running()
}
