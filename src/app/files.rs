//! Files: reading a scenario, opening and saving it (atomically) for the editor, the bundled
//! lessons, exporting results.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::report::write_csv;
use crate::results::Results;

use super::analysis::{analyze, Analysis};
use super::error::{AppError, AppResult};

/// Reads a scenario file: its text and the file name its diagnostics use (the path as given).
///
/// # Errors
/// [`AppError::Scenario`] (`ScenarioError::Io`) naming the path; `ScenarioError::Invalid`
/// with the line and column when the file is not UTF-8.
pub fn read_scenario(path: &Path) -> AppResult<(String, String)> {
    let text = crate::scenario::read(path)?;
    Ok((text, path.display().to_string()))
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a scenario file and analyzes it (diagnostics name the file by its name only).
///
/// # Errors
/// [`AppError::Io`] when the file cannot be read.
pub fn open(path: &str) -> AppResult<Analysis> {
    let p = PathBuf::from(path);
    let text = std::fs::read_to_string(&p)
        .map_err(|e| AppError::Io(format!("cannot read {path}: {e}")))?;
    Ok(analyze(text, file_name_of(&p), Some(path.to_string())))
}

/// Writes `text` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over the target (a crash leaves the old or the new file, never half of one).
///
/// # Errors
/// The I/O error; the temporary file is removed.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    crate::report::atomic::write_atomic(path, text)
}

/// [`write_atomic`] for bytes (an exported picture).
///
/// # Errors
/// The I/O error; the temporary file is removed.
pub fn write_atomic_bytes(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::report::atomic::write_atomic(path, bytes)
}

/// Checks, before any work, that `path` can be written: its folder exists and takes a new
/// file, and `path` is not a folder. `-` (standard output) is always fine.
///
/// # Errors
/// [`AppError::Io`] naming the path and why.
pub fn check_writable(path: &Path) -> AppResult<()> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    let err = |why: String| AppError::Io(format!("cannot write {}: {why}", path.display()));
    if path.is_dir() {
        return Err(err("it is a folder".into()));
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    probe(dir).map_err(|e| {
        err(format!(
            "its folder {} does not take a new file: {e}",
            dir.display()
        ))
    })
}

/// Checks, before any work, that the folder `dir` exists or can be created, and takes new
/// files (for CSV outputs).
///
/// # Errors
/// [`AppError::Io`] naming the folder and why.
pub fn check_writable_dir(dir: &Path) -> AppResult<()> {
    std::fs::create_dir_all(dir)
        .and_then(|()| probe(dir))
        .map_err(|e| {
            AppError::Io(format!(
                "cannot write CSV files into {}: {e}",
                dir.display()
            ))
        })
}

/// Creates and removes a file in `dir`.
fn probe(dir: &Path) -> std::io::Result<()> {
    let p = dir.join(format!(".archsim-probe.{}", std::process::id()));
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&p)?;
    std::fs::remove_file(&p)
}

/// Saves the text to `path` (atomic write). The text is saved even when it has validation
/// errors, so nothing typed is lost; the returned analysis lists them.
///
/// # Errors
/// [`AppError::Io`] when it cannot be written.
pub fn save(path: &str, text: String) -> AppResult<Analysis> {
    let p = PathBuf::from(path);
    write_atomic(&p, &text).map_err(|e| AppError::Io(format!("cannot write {path}: {e}")))?;
    Ok(analyze(text, file_name_of(&p), Some(path.to_string())))
}

/// A bundled scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Lesson {
    /// Absolute path of the file.
    pub path: String,
    /// Path relative to the scenarios folder (`queueing/mm1.toml`).
    pub rel: String,
    /// The scenario's `name`.
    pub name: String,
    /// The scenario's `description` (what it shows, what to look at).
    pub description: String,
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_toml(&p, out);
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

/// Lists the scenarios under `dir` (recursively, sorted by path) with their name and
/// description.
pub fn lessons_in(dir: &Path) -> Vec<Lesson> {
    let mut files = Vec::new();
    collect_toml(dir, &mut files);
    files
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let t = text.parse::<toml::Table>().ok()?;
            let get = |k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or("").trim();
            let abs = std::fs::canonicalize(&p).unwrap_or(p.clone());
            Some(Lesson {
                path: abs.display().to_string(),
                rel: p.strip_prefix(dir).unwrap_or(&p).display().to_string(),
                name: get("name").to_string(),
                description: get("description").to_string(),
            })
        })
        .collect()
}

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
///
/// # Errors
/// [`AppError::Export`] naming the path.
pub fn export(results: &Results, format: ExportFormat, path: &str) -> AppResult<Vec<String>> {
    let p = PathBuf::from(path);
    let err = |e: std::io::Error| AppError::Export(format!("cannot write {path}: {e}"));
    match format {
        ExportFormat::Json => {
            write_atomic(&p, &results.to_json()).map_err(err)?;
            Ok(vec![path.to_string()])
        }
        ExportFormat::Csv => {
            write_csv(results, &p).map_err(err)?;
            Ok(["entries.csv", "nodes.csv", "series.csv"]
                .iter()
                .map(|f| p.join(f).display().to_string())
                .collect())
        }
    }
}

/// The scenario a new file starts from: one entry calling one operation of one module, run by
/// one unit in one variant — the smallest valid model, which the editor then extends (the
/// desktop app's File › New; its browser mock reads the same file).
pub const NEW_SCENARIO: &str = include_str!("new-scenario.toml");

/// The analysis of a new, unsaved scenario ([`NEW_SCENARIO`], `untitled.toml`, no path).
pub fn new_scenario() -> Analysis {
    analyze(NEW_SCENARIO.to_string(), "untitled.toml".into(), None)
}

/// Writes `bytes` to `path` atomically (a chart's PNG or SVG, an HTML report, a sweep's or a
/// capacity search's JSON); returns the file written.
///
/// # Errors
/// [`AppError::Export`] naming the path.
pub fn export_bytes(path: &str, bytes: &[u8]) -> AppResult<Vec<String>> {
    write_atomic_bytes(Path::new(path), bytes)
        .map_err(|e| AppError::Export(format!("cannot write {path}: {e}")))?;
    Ok(vec![path.to_string()])
}

/// Writes the self-contained HTML report (`archsim report`) of `document` — the JSON text of
/// a run's, a sweep's or a capacity search's results — to `path`; returns the file written.
///
/// # Errors
/// [`AppError::InvalidParameter`] when `document` is none of these documents,
/// [`AppError::Export`] when the file cannot be written.
pub fn export_report(path: &str, document: &str) -> AppResult<Vec<String>> {
    let html = super::tools::report_html("results", document)?;
    export_bytes(path, html.as_bytes())
}
