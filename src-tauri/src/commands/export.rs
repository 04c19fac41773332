//! Exporting results: the JSON document or the CSV files (`archsim::app::files::export`), to
//! a path the user picked.

use archsim::app::files::{self, ExportFormat};
use archsim::results::Results;
use tauri::State;

use super::files::check_picked;
use crate::error::AppResult;
use crate::state::Picked;

/// Writes `results` to the picked `path` as JSON or CSV (the folder `path`); returns the files
/// written.
#[tauri::command]
pub fn export_results(
    picked: State<'_, Picked>,
    results: Results,
    format: ExportFormat,
    path: String,
) -> AppResult<Vec<String>> {
    check_picked(&picked, &path)?;
    files::export(&results, format, &path)
}
