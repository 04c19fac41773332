//! Scenario commands: list the bundled lessons, open, analyze (validation, instant estimate,
//! resolved topology), edit (structural edits of the TOML text) and save — each the
//! application layer's (`archsim::app::analysis`, `archsim::app::files`).

use std::path::{Path, PathBuf};

use archsim::app::analysis::{self, Analysis, Edit};
use archsim::app::files::{self, Lesson};
use archsim::app::topology::VariantTopology;
use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::AppResult;
use crate::state::Picked;

/// Reads a scenario file and analyzes it.
#[tauri::command]
pub fn open_scenario(path: String) -> AppResult<Analysis> {
    files::open(&path)
}

/// Analyzes unsaved text.
#[tauri::command]
pub fn analyze_scenario(text: String, file_name: String, path: Option<String>) -> Analysis {
    analysis::analyze(text, file_name, path)
}

/// The resolved deployment of every variant (what the analysis's `topology` holds).
#[tauri::command]
pub fn scenario_topology(text: String, file_name: String) -> AppResult<Vec<VariantTopology>> {
    analysis::resolve(&text, &file_name)
}

/// Applies `edit` to `text` and analyzes the result. An edit that cannot be applied is an
/// error and changes nothing.
#[tauri::command]
pub fn edit_scenario(
    text: String,
    file_name: String,
    path: Option<String>,
    edit: Edit,
) -> AppResult<Analysis> {
    analysis::edit(&text, file_name, path, &edit)
}

/// Saves the text to `path` (atomic write), a path the user picked in an Open or Save
/// dialog. The text is saved even when it has validation errors, so nothing typed is lost;
/// the returned analysis lists them.
#[tauri::command]
pub fn save_scenario(picked: State<'_, Picked>, path: String, text: String) -> AppResult<Analysis> {
    super::files::check_picked(&picked, &path)?;
    files::save(&path, text)
}

/// Where the bundled scenarios are: `$ARCHSIM_SCENARIOS`, the app's resource folder, or the
/// repository's `scenarios/` (development builds).
fn scenarios_dir<R: Runtime>(app: &AppHandle<R>) -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("ARCHSIM_SCENARIOS") {
        return Some(PathBuf::from(d));
    }
    if let Ok(d) = app.path().resource_dir() {
        let d = d.join("scenarios");
        if d.is_dir() {
            return Some(d);
        }
    }
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    dev.is_dir().then_some(dev)
}

/// The bundled scenarios, with their description.
#[tauri::command]
pub fn list_lessons<R: Runtime>(app: AppHandle<R>) -> Vec<Lesson> {
    scenarios_dir(&app)
        .map(|d| files::lessons_in(&d))
        .unwrap_or_default()
}

/// The JSON Schema of the scenario format (drives the property panel).
#[tauri::command]
pub fn scenario_schema() -> serde_json::Value {
    archsim::scenario::json_schema()
}

/// What depends on a module or data store (what deleting it removes too), in sentences.
#[tauri::command]
pub fn component_dependents(text: String, name: String, datastore: bool) -> AppResult<Vec<String>> {
    analysis::dependents(&text, &name, datastore)
}
