//! The one error type that crosses to the front end, serialized as `{ code, message,
//! diagnostics }`.

use archsim::scenario::document::DocumentError;
use archsim::scenario::ScenarioError;
use schemars::JsonSchema;
use serde::Serialize;

use crate::commands::scenario::DiagnosticView;

/// An error of a command. `code` is stable (the UI branches on it); `message` is for people and
/// names the file, line and field when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    /// `io`, `invalid_scenario`, `invalid_parameter` (a sweep's `--set`, an SLO, a precision),
    /// `edit`, `run`, `busy`, `cancelled` or `export`.
    pub code: String,
    /// What went wrong and what to do.
    pub message: String,
    /// Every located problem, for `invalid_scenario`.
    pub diagnostics: Vec<DiagnosticView>,
}

impl AppError {
    /// An error without diagnostics.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError {
            code: code.into(),
            message: message.into(),
            diagnostics: Vec::new(),
        }
    }
}

impl From<ScenarioError> for AppError {
    fn from(e: ScenarioError) -> Self {
        match &e {
            ScenarioError::Invalid(d) => AppError {
                code: "invalid_scenario".into(),
                message: e.to_string(),
                diagnostics: d.iter().map(DiagnosticView::from).collect(),
            },
            _ => AppError::new("io", e.to_string()),
        }
    }
}

impl From<DocumentError> for AppError {
    fn from(e: DocumentError) -> Self {
        AppError::new("edit", e.to_string())
    }
}

impl From<archsim::runner::RunError> for AppError {
    fn from(e: archsim::runner::RunError) -> Self {
        let code = match e {
            archsim::runner::RunError::Cancelled => "cancelled",
            _ => "run",
        };
        AppError::new(code, e.to_string())
    }
}

/// Result of a command.
pub type AppResult<T> = Result<T, AppError>;
