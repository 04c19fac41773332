//! State kept by the app between commands: the slot of the run in progress (one run, sweep or
//! capacity search at a time) and its cancel flag.

/// Managed state: the application layer's [`archsim::app::RunSlot`].
pub type AppState = archsim::app::RunSlot;
