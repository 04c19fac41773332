//! The commands the front end invokes. Each one delegates to the application layer
//! (`archsim::app`); long ones run on a blocking thread and stream their events over a channel.

pub mod export;
pub mod files;
pub mod org;
pub mod plan;
pub mod run;
pub mod scenario;
pub mod telemetry;

use archsim::app::events::RunEvent;
use tauri::ipc::Channel;

use crate::error::{AppError, AppResult};

/// Runs `f` on a blocking thread (never the UI's).
async fn blocking<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("the {what}'s thread failed: {e}")))?
}

/// Sends events to the front end. A closed window drops the channel; the work goes on and
/// its result is discarded.
fn sender(channel: Channel<RunEvent>) -> impl Fn(RunEvent) + Sync {
    move |e| {
        let _ = channel.send(e);
    }
}
