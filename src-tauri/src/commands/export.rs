//! Exporting results: the JSON document or the CSV files (`archsim::app::files::export`).

use archsim::app::files::{self, ExportFormat};
use archsim::results::Results;

use crate::error::AppResult;

/// Writes `results` to `path` as JSON or CSV; returns the files written.
#[tauri::command]
pub fn export_results(
    results: Results,
    format: ExportFormat,
    path: String,
) -> AppResult<Vec<String>> {
    files::export(&results, format, &path)
}
