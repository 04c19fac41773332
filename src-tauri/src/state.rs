//! State kept by the app between commands: the cancel flag of the run in progress.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Managed state. One run at a time: `running` guards it, `cancel` stops it.
#[derive(Debug, Default)]
pub struct AppState {
    /// Raised by `cancel_run`; the run in progress combines what finished and returns.
    pub cancel: Arc<AtomicBool>,
    /// A run is in progress.
    pub running: Arc<AtomicBool>,
}

impl AppState {
    /// The same flags, for a blocking task (the command's `State` does not move into it).
    pub fn share(&self) -> AppState {
        AppState {
            cancel: self.cancel.clone(),
            running: self.running.clone(),
        }
    }
}

/// Clears `running` when the run ends, however it ends.
pub struct RunGuard(pub Arc<AtomicBool>);

impl Drop for RunGuard {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}
