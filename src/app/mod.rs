//! The application layer: what the `archsim` CLI and the desktop app both do, written once.
//!
//! Every front end builds a request (a [`run::RunRequest`], a [`plan::SweepRequest`], …),
//! and the layer validates it — the scenario, the counts, the precision, the variants named,
//! the work guard ([`guard`]) — runs it with progress reported as [`events::RunEvent`]s, and
//! answers with the library's results or an [`error::AppError`] whose
//! [`error::AppError::code`] is stable. The front ends only parse their arguments and show
//! what comes back: the CLI prints tables and writes files, the desktop shell sends JSON to
//! its UI. Neither holds a rule of its own.
//!
//! Models from telemetry — discovery from traces and calibration against them — are
//! [`telemetry`].
//!
//! One request at a time runs in a [`session::RunSlot`], which also carries the cancel flag.
//! The editor's view of a scenario — validation, estimate and the resolved deployment of every
//! variant ([`topology`]) — is [`analysis::analyze`].
//!
//! See `docs/app-layer.md`.

pub mod analysis;
pub mod check;
pub mod error;
pub mod events;
pub mod files;
pub mod guard;
pub mod org;
pub mod plan;
pub mod run;
pub mod session;
pub mod telemetry;
pub mod tools;
pub mod topology;

pub use error::{AppError, AppResult, ErrorCode};
pub use session::RunSlot;
