//! Messages streamed to the front end over a `tauri::ipc::Channel` while a run is in progress.

use archsim::montecarlo::partial::ReplicationDone;
use schemars::JsonSchema;
use serde::Serialize;

/// One message of a run, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunEvent {
    /// The run started: `total` (variant, replication) tasks.
    Started {
        /// All tasks.
        total: usize,
        /// The variants simulated, in order.
        variants: Vec<String>,
    },
    /// A replication finished (or was cut short by cancel).
    Progress {
        /// Finished tasks.
        done: usize,
        /// All tasks.
        total: usize,
        /// Wall-clock seconds since the start (the UI derives the ETA).
        elapsed_s: f64,
    },
    /// The headline values of a replication that finished.
    Replication {
        /// The values.
        data: ReplicationDone,
    },
}
