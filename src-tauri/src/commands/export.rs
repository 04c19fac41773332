//! Exporting results: the JSON document or the CSV files of the library's report module.

use std::path::PathBuf;

use archsim::report::write_csv;
use archsim::results::Results;
use schemars::JsonSchema;
use serde::Deserialize;

use crate::commands::scenario::write_atomic;
use crate::error::{AppError, AppResult};

/// Export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The results document (`run --json`), written to `path`.
    Json,
    /// `entries.csv`, `nodes.csv` and `series.csv` (`run --csv`), written into the folder `path`.
    Csv,
}

/// Writes `results` to `path` as JSON or CSV; returns the files written.
#[tauri::command]
pub fn export_results(
    results: Results,
    format: ExportFormat,
    path: String,
) -> AppResult<Vec<String>> {
    let p = PathBuf::from(&path);
    let err = |e: std::io::Error| AppError::new("export", format!("cannot write {path}: {e}"));
    match format {
        ExportFormat::Json => {
            write_atomic(&p, &results.to_json()).map_err(err)?;
            Ok(vec![path.clone()])
        }
        ExportFormat::Csv => {
            std::fs::create_dir_all(&p).map_err(err)?;
            write_csv(&results, &p).map_err(err)?;
            Ok(["entries.csv", "nodes.csv", "series.csv"]
                .iter()
                .map(|f| p.join(f).display().to_string())
                .collect())
        }
    }
}
