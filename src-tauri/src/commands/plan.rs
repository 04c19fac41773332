//! Capacity planning: a parameter sweep, a capacity search and a right-sizing,
//! `archsim::app::plan` on a blocking thread (as `archsim sweep`, `archsim capacity` and
//! `archsim rightsize`), events over a channel; cancel and the one-at-a-time rule are those of
//! `run`.

use archsim::app::plan::{
    self, CapacityOutcome, CapacityRequest, RightsizeOutcome, RightsizeRequest, SweepOutcome,
    SweepRequest,
};
use tauri::ipc::Channel;
use tauri::State;

use super::{blocking, sender};
use crate::error::AppResult;
use crate::events::RunEvent;
use crate::state::AppState;

/// Runs a sweep, streaming [`RunEvent`]s over `on_event`; cancelled with `cancel_run` (the
/// points that finished are returned).
#[tauri::command]
pub async fn run_sweep(
    state: State<'_, AppState>,
    request: SweepRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<SweepOutcome> {
    let slot = state.inner().clone();
    blocking("sweep", move || {
        plan::run_sweep(&request, &slot, &sender(on_event))
    })
    .await
}

/// Runs a capacity search, streaming [`RunEvent`]s over `on_event`; cancelled with
/// `cancel_run` (the brackets reached so far are returned).
#[tauri::command]
pub async fn run_capacity(
    state: State<'_, AppState>,
    request: CapacityRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<CapacityOutcome> {
    let slot = state.inner().clone();
    blocking("capacity search", move || {
        plan::run_capacity(&request, &slot, &sender(on_event))
    })
    .await
}

/// Right-sizes every variant (the cheapest plan meeting the SLO at a rate), streaming
/// [`RunEvent`]s over `on_event`; cancelled with `cancel_run` (the best plans found so far
/// are returned).
#[tauri::command]
pub async fn run_rightsize(
    state: State<'_, AppState>,
    request: RightsizeRequest,
    on_event: Channel<RunEvent>,
) -> AppResult<RightsizeOutcome> {
    let slot = state.inner().clone();
    blocking("right-sizing", move || {
        plan::run_rightsize(&request, &slot, &sender(on_event))
    })
    .await
}
