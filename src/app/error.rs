//! The one error type of the application layer, with a stable code.
//!
//! The desktop shell sends it to the UI as `{ code, message, diagnostics }` ([`ErrorView`]);
//! the UI branches on `code` (an [`ErrorCode`], whose TypeScript type is generated from its
//! JSON Schema), never on the message. The CLI prints the message and exits 2 when
//! [`AppError::is_bad_input`], 3 when [`AppError::is_io`], 130 when
//! [`AppError::is_cancelled`].

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use crate::discover::DiscoverError;
use crate::plan::sweep::SweepError;
use crate::runner::shard::ShardError;
use crate::runner::RunError;
use crate::scenario::document::DocumentError;
use crate::scenario::{Diagnostic, ScenarioError};

/// The stable code of an [`AppError`]: what kind of failure it is, for a program to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The scenario is not valid: `diagnostics` lists every problem with its line and field.
    InvalidScenario,
    /// A parameter of the request is malformed or out of range.
    InvalidParameter,
    /// A file could not be read or written.
    Io,
    /// A structural edit could not be applied.
    Edit,
    /// The simulation could not run.
    Run,
    /// Another run, sweep or capacity search is in progress.
    Busy,
    /// The run was cancelled before any replication finished.
    Cancelled,
    /// Results could not be exported.
    Export,
    /// The estimated work is above the limit.
    TooMuchWork,
}

impl ErrorCode {
    /// The code as serialized (`"invalid_scenario"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidScenario => "invalid_scenario",
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::Io => "io",
            ErrorCode::Edit => "edit",
            ErrorCode::Run => "run",
            ErrorCode::Busy => "busy",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Export => "export",
            ErrorCode::TooMuchWork => "too_much_work",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request of the application layer failed. The message (`Display`) says what went
/// wrong and what to do; [`AppError::code`] is stable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The scenario file could not be read, or is not a valid scenario. Check the path, or fix
    /// every listed diagnostic (each names the file, line, column and field).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A parameter of the request (a replication count, a precision, an SLO, a variant name, a
    /// sweep's `--set`, …) is malformed or out of range. The message names it and says what
    /// is expected.
    #[error("{0}")]
    InvalidParameter(String),
    /// The estimated number of events is above the work limit. Shorten the simulated time,
    /// lower the rates or the replications, or raise the limit as the message says.
    #[error("{message}")]
    TooMuchWork {
        /// Estimated events of the request.
        events: f64,
        /// The limit it exceeds.
        limit: f64,
        /// The explanation, with what to change.
        message: String,
    },
    /// A sweep, capacity search or right-sizing could not run: a malformed `--set` or knee, a
    /// parameter path that does not exist, a swept value that makes the scenario invalid. The
    /// message names the value and, for an invalid scenario, the line.
    #[error(transparent)]
    Plan(#[from] SweepError),
    /// A shard specification or a merge of partial results is wrong. The message says which
    /// part and what is expected.
    #[error(transparent)]
    Shard(#[from] ShardError),
    /// The simulation failed: worker threads could not start, the drawn values of an
    /// uncertain parameter make the scenario invalid (narrow the distribution named), or it
    /// was cancelled before any replication finished.
    #[error(transparent)]
    Run(#[from] RunError),
    /// A structural edit of the scenario text could not be applied; the text is unchanged.
    /// Fix the syntax or the path named.
    #[error(transparent)]
    Edit(#[from] DocumentError),
    /// Discovery or calibration from telemetry failed: a trace, utilization or manifest file
    /// that cannot be read or parsed (with its position), an option out of range, traces from
    /// which nothing can be discovered, a model the traces do not match. The message says
    /// which file and what is expected.
    #[error(transparent)]
    Telemetry(#[from] DiscoverError),
    /// A file could not be read or written. Check the path and its permissions.
    #[error("{0}")]
    Io(String),
    /// Another run, sweep or capacity search is in progress. Cancel it or wait for it.
    #[error("a run is already in progress; cancel it first")]
    Busy,
    /// Results could not be written. Check the folder and its permissions.
    #[error("{0}")]
    Export(String),
    /// The worker thread of a request failed. Report it; run the request again.
    #[error("{0}")]
    Internal(String),
}

/// A result of the application layer.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// An [`AppError::InvalidParameter`].
    pub fn invalid(message: impl Into<String>) -> AppError {
        AppError::InvalidParameter(message.into())
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Scenario(ScenarioError::Invalid(_)) => ErrorCode::InvalidScenario,
            AppError::Scenario(_) | AppError::Io(_) => ErrorCode::Io,
            AppError::InvalidParameter(_) | AppError::Shard(_) => ErrorCode::InvalidParameter,
            AppError::TooMuchWork { .. } => ErrorCode::TooMuchWork,
            AppError::Plan(SweepError::Scenario { .. }) => ErrorCode::InvalidScenario,
            AppError::Plan(SweepError::Run(r)) | AppError::Run(r) => run_code(r),
            AppError::Plan(_) => ErrorCode::InvalidParameter,
            AppError::Edit(_) => ErrorCode::Edit,
            AppError::Busy => ErrorCode::Busy,
            AppError::Export(_) => ErrorCode::Export,
            AppError::Internal(_) => ErrorCode::Run,
            AppError::Telemetry(e) => match e {
                DiscoverError::Io { .. } => ErrorCode::Io,
                DiscoverError::Model { .. } => ErrorCode::InvalidScenario,
                DiscoverError::Run(_) => ErrorCode::Run,
                _ => ErrorCode::InvalidParameter,
            },
        }
    }

    /// Every located problem of an invalid scenario (empty for other errors).
    pub fn diagnostics(&self) -> Vec<DiagnosticView> {
        let scenario = match self {
            AppError::Scenario(e)
            | AppError::Plan(SweepError::Scenario { source: e, .. })
            | AppError::Shard(ShardError::Scenario(e)) => Some(e),
            _ => None,
        };
        scenario
            .and_then(ScenarioError::diagnostics)
            .map(|d| d.iter().map(DiagnosticView::from).collect())
            .unwrap_or_default()
    }

    /// The request or its files are at fault (the CLI exits with status 2), rather than the
    /// machine or the simulation (status 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            // A path that names no file is a wrong argument, not a failing system.
            AppError::Scenario(ScenarioError::Io { source, .. })
            | AppError::Telemetry(DiscoverError::Io { source, .. }) => {
                source.kind() == std::io::ErrorKind::NotFound
            }
            // every other failure of discovery or calibration comes from its files or options
            AppError::Telemetry(_) => true,
            AppError::Scenario(_)
            | AppError::InvalidParameter(_)
            | AppError::TooMuchWork { .. }
            | AppError::Shard(_) => true,
            AppError::Plan(SweepError::Run(r)) | AppError::Run(r) => matches!(
                r,
                RunError::UnknownVariant { .. } | RunError::Draw(_) | RunError::Runaway { .. }
            ),
            AppError::Plan(_) => true,
            _ => false,
        }
    }

    /// A file could not be read or written (the CLI exits with status 3).
    pub fn is_io(&self) -> bool {
        match self {
            AppError::Scenario(ScenarioError::Io { source, .. })
            | AppError::Telemetry(DiscoverError::Io { source, .. }) => {
                source.kind() != std::io::ErrorKind::NotFound
            }
            AppError::Io(_) | AppError::Export(_) => true,
            _ => false,
        }
    }

    /// The request was cancelled before any replication finished (the CLI exits with
    /// status 130, as for an interrupt).
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            AppError::Run(RunError::Cancelled)
                | AppError::Plan(SweepError::Run(RunError::Cancelled))
        )
    }

    /// The scenario's own diagnostics, printed as they are (no `error:` prefix: each line
    /// already says `file:line:column: error:`).
    pub fn is_scenario_diagnostics(&self) -> bool {
        matches!(self, AppError::Scenario(ScenarioError::Invalid(_)))
    }

    /// What crosses to the UI.
    pub fn view(&self) -> ErrorView {
        ErrorView {
            code: self.code(),
            message: self.to_string(),
            diagnostics: self.diagnostics(),
        }
    }
}

fn run_code(r: &RunError) -> ErrorCode {
    match r {
        RunError::Cancelled => ErrorCode::Cancelled,
        RunError::UnknownVariant { .. } => ErrorCode::InvalidParameter,
        _ => ErrorCode::Run,
    }
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct ErrorView {
    /// What kind of failure (stable; the UI branches on it).
    pub code: ErrorCode,
    /// What went wrong and what to do; names the file, line and field when there is one.
    pub message: String,
    /// Every located problem, for `invalid_scenario`.
    pub diagnostics: Vec<DiagnosticView>,
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view().serialize(serializer)
    }
}

impl JsonSchema for AppError {
    fn schema_name() -> Cow<'static, str> {
        "AppError".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ErrorView::json_schema(generator)
    }
}

/// A located problem in the scenario text.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct DiagnosticView {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Dotted path of the field (`modules.orders.ops.checkout.cpu`); empty for the whole file.
    pub field: String,
    /// What is wrong and what is expected.
    pub message: String,
    /// A hint for the fix.
    pub help: Option<String>,
}

impl From<&Diagnostic> for DiagnosticView {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticView {
            file: d.file.clone(),
            line: d.line,
            column: d.column,
            field: d.field.clone(),
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_to_their_stable_strings() {
        let all = [
            (ErrorCode::InvalidScenario, "invalid_scenario"),
            (ErrorCode::InvalidParameter, "invalid_parameter"),
            (ErrorCode::Io, "io"),
            (ErrorCode::Edit, "edit"),
            (ErrorCode::Run, "run"),
            (ErrorCode::Busy, "busy"),
            (ErrorCode::Cancelled, "cancelled"),
            (ErrorCode::Export, "export"),
            (ErrorCode::TooMuchWork, "too_much_work"),
        ];
        for (code, s) in all {
            assert_eq!(
                serde_json::to_value(code).expect("json"),
                serde_json::json!(s)
            );
            assert_eq!(code.as_str(), s);
            let back: ErrorCode = serde_json::from_value(serde_json::json!(s)).expect("back");
            assert_eq!(back, code);
        }
        // the schema lists exactly these strings, so the UI's type is their union
        let schema = serde_json::to_value(schemars::schema_for!(ErrorCode)).expect("schema");
        let mut listed: Vec<String> = serde_json::to_string(&schema)
            .expect("text")
            .split('"')
            .filter(|w| all.iter().any(|(_, s)| s == w))
            .map(String::from)
            .collect();
        listed.sort();
        listed.dedup();
        assert_eq!(listed.len(), all.len(), "{schema}");
    }

    #[test]
    fn errors_cross_as_code_message_and_diagnostics() {
        let e = crate::scenario::parse("name = ", "bad.toml").expect_err("invalid");
        let e = AppError::from(e);
        let v = serde_json::to_value(&e).expect("json");
        assert_eq!(v["code"], "invalid_scenario");
        assert_eq!(v["diagnostics"][0]["file"], "bad.toml");
        assert_eq!(v["diagnostics"][0]["line"], 1);
        assert_eq!(v["message"], e.to_string());
        assert!(e.is_bad_input() && e.is_scenario_diagnostics());
        let busy = serde_json::to_value(AppError::Busy).expect("json");
        assert_eq!(busy["code"], "busy");
        assert_eq!(busy["diagnostics"], serde_json::json!([]));
        assert_eq!(
            AppError::from(RunError::Cancelled).code(),
            ErrorCode::Cancelled
        );
        assert!(!AppError::from(RunError::Cancelled).is_bad_input());
    }
}
