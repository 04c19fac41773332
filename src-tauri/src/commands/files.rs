//! Files the user picks: the Open and Save dialogs (`tauri-plugin-dialog`, called from here so
//! the window itself has no dialog or file-system permission), a new scenario, and the exports
//! of charts, reports and planning documents. Every write goes to a path picked in a dialog.

use std::path::{Path, PathBuf};

use archsim::app::analysis::Analysis;
use archsim::app::files;
use schemars::JsonSchema;
use serde::Deserialize;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::blocking;
use crate::error::{AppError, AppResult};
use crate::state::Picked;

/// Open an existing file or choose where to save one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PickMode {
    /// An existing file to open.
    Open,
    /// A file to write (the dialog asks before overwriting).
    Save,
}

/// A file type offered by the dialog.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PickFilter {
    /// What the user reads (`Scenario`, `PNG image`).
    pub name: String,
    /// Extensions without the dot (`toml`).
    pub extensions: Vec<String>,
}

/// What to ask in the dialog.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct PickRequest {
    /// Open or save.
    pub mode: PickMode,
    /// The dialog's title.
    pub title: String,
    /// The file name proposed (save) — also what the automated-test mode answers.
    pub default_name: String,
    /// The file types offered.
    #[serde(default)]
    pub filters: Vec<PickFilter>,
}

/// With `ARCHSIM_PICK_DIR` set (automated tests of the real window, where no one can click in
/// a native dialog), the dialog is not shown and the answer is that folder joined with the
/// proposed name.
fn scripted_answer(req: &PickRequest) -> Option<PathBuf> {
    std::env::var_os("ARCHSIM_PICK_DIR").map(|d| Path::new(&d).join(&req.default_name))
}

/// Shows the Open or Save dialog; the path picked (none when the user cancelled) may then be
/// written by `save_scenario` and the exports.
#[tauri::command]
pub async fn pick_path<R: Runtime>(
    app: AppHandle<R>,
    picked: State<'_, Picked>,
    request: PickRequest,
) -> AppResult<Option<String>> {
    let path = match scripted_answer(&request) {
        Some(p) => Some(p),
        None => {
            let app = app.clone();
            blocking("dialog", move || {
                let mut d = app.dialog().file().set_title(&request.title);
                for f in &request.filters {
                    let exts: Vec<&str> = f.extensions.iter().map(String::as_str).collect();
                    d = d.add_filter(&f.name, &exts);
                }
                let picked = match request.mode {
                    PickMode::Open => d.blocking_pick_file(),
                    PickMode::Save => d.set_file_name(&request.default_name).blocking_save_file(),
                };
                picked
                    .map(|p| {
                        p.into_path().map_err(|e| {
                            AppError::Io(format!("the path picked is not a file: {e}"))
                        })
                    })
                    .transpose()
            })
            .await?
        }
    };
    Ok(path.map(|p| {
        picked.grant(&p);
        p.display().to_string()
    }))
}

/// Refuses a path the user did not pick in a dialog.
pub(crate) fn check_picked(picked: &Picked, path: &str) -> AppResult<()> {
    if picked.allows(Path::new(path)) {
        Ok(())
    } else {
        Err(AppError::Io(format!(
            "{path} was not chosen in a Save dialog: use Save as… to choose where to write"
        )))
    }
}

/// A new, unsaved scenario (the smallest valid model).
#[tauri::command]
pub fn new_scenario() -> Analysis {
    files::new_scenario()
}

/// Writes a chart's image, or a planning document, to a picked `path`: `contents` is the
/// text, or with `base64` the bytes encoded (a PNG); returns the file written.
#[tauri::command]
pub fn export_file(
    picked: State<'_, Picked>,
    path: String,
    contents: String,
    base64: bool,
) -> AppResult<Vec<String>> {
    check_picked(&picked, &path)?;
    let bytes = if base64 {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(contents.trim())
            .map_err(|e| {
                AppError::Export(format!(
                    "cannot write {path}: the image data is not base64: {e}"
                ))
            })?
    } else {
        contents.into_bytes()
    };
    files::export_bytes(&path, &bytes)
}

/// Writes the HTML report of a results, sweep or capacity document (its JSON text) to a
/// picked `path`.
#[tauri::command]
pub fn export_report(
    picked: State<'_, Picked>,
    path: String,
    document: String,
) -> AppResult<Vec<String>> {
    check_picked(&picked, &path)?;
    files::export_report(&path, &document)
}
