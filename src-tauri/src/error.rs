//! The one error type that crosses to the front end: the application layer's
//! [`archsim::app::AppError`], serialized as `{ code, message, diagnostics }` with a stable
//! `code` ([`ErrorCode`], whose TypeScript type the UI imports from the generated types).

pub use archsim::app::error::{AppError, AppResult, DiagnosticView, ErrorCode, ErrorView};
