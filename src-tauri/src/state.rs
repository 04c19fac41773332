//! State kept by the app between commands: the slot of the run in progress (one run, sweep or
//! capacity search at a time) and its cancel flag, and the files the user picked.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Managed state: the application layer's [`archsim::app::RunSlot`].
pub type AppState = archsim::app::RunSlot;

/// The paths the user picked in an Open or Save dialog (`pick_path`): the only files the app
/// writes (a scenario saved, results exported). A path the front end sends without the user
/// having picked it is refused, so the window can write nowhere else.
#[derive(Debug, Default)]
pub struct Picked(Mutex<HashSet<PathBuf>>);

impl Picked {
    /// Allows writing `path` (it was picked in a dialog).
    pub fn grant(&self, path: &Path) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_path_buf());
    }

    /// Whether `path` was picked.
    pub fn allows(&self, path: &Path) -> bool {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(path)
    }
}
