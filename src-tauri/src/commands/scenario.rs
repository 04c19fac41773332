//! Scenario commands: list the bundled lessons, open, analyze (validate + instant estimate),
//! edit (structural edits of the TOML text through `archsim::scenario::document`) and save.

use std::path::{Path, PathBuf};

use archsim::analytic::{estimate, VariantEstimate};
use archsim::scenario::document::{self, PathSeg};
use archsim::scenario::{self, Diagnostic};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};

use crate::error::{AppError, AppResult};

/// A located problem in the scenario text.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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

/// A scenario as the editor sees it: the text (the source of truth), the same document as JSON
/// (for the graph and the property panel), and what validation and the estimate say about it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Analysis {
    /// Path of the file on disk, when it came from one.
    pub path: Option<String>,
    /// File name used in diagnostics.
    pub file_name: String,
    /// The TOML text.
    pub text: String,
    /// The TOML document as JSON; absent when the text is not TOML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<serde_json::Value>,
    /// Validation errors (empty when the scenario is valid).
    pub diagnostics: Vec<DiagnosticView>,
    /// Warnings of a valid scenario (overload, no warm-up, ...).
    pub warnings: Vec<String>,
    /// The analytic estimate of every variant of a valid scenario.
    pub estimates: Vec<VariantEstimate>,
}

/// Validates `text` and estimates every variant. Never fails: problems become diagnostics.
pub fn analyze_text(text: String, file_name: String, path: Option<String>) -> Analysis {
    let document = text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| serde_json::to_value(t).ok());
    let (diagnostics, warnings, estimates) = match scenario::parse(&text, &file_name) {
        Ok(s) => {
            let estimates = (0..s.variants.len()).map(|v| estimate(&s, v)).collect();
            (Vec::new(), scenario::warnings(&s), estimates)
        }
        Err(e) => (
            e.diagnostics()
                .map(|d| d.iter().map(DiagnosticView::from).collect())
                .unwrap_or_default(),
            Vec::new(),
            Vec::new(),
        ),
    };
    Analysis {
        path,
        file_name,
        text,
        document,
        diagnostics,
        warnings,
        estimates,
    }
}

fn file_name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a scenario file and analyzes it.
#[tauri::command]
pub fn open_scenario(path: String) -> AppResult<Analysis> {
    let p = PathBuf::from(&path);
    let text = std::fs::read_to_string(&p)
        .map_err(|e| AppError::new("io", format!("cannot read {path}: {e}")))?;
    Ok(analyze_text(text, file_name_of(&p), Some(path)))
}

/// Analyzes unsaved text.
#[tauri::command]
pub fn analyze_scenario(text: String, file_name: String, path: Option<String>) -> Analysis {
    analyze_text(text, file_name, path)
}

/// A structural edit of the scenario text.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Edit {
    /// Set the value at `path` (creating missing tables).
    SetValue {
        /// Path into the document.
        path: Vec<PathSeg>,
        /// The new value (JSON; integers stay integers).
        value: serde_json::Value,
    },
    /// Add a key to a table, or append to an array (the last step is then its length).
    InsertItem {
        /// Path of the new item.
        path: Vec<PathSeg>,
        /// Its value.
        value: serde_json::Value,
    },
    /// Remove the item at `path`.
    RemoveItem {
        /// Path of the item.
        path: Vec<PathSeg>,
    },
    /// Move a module to another unit of a variant.
    MoveModule {
        /// Variant name.
        variant: String,
        /// Module name.
        module: String,
        /// Name of the unit that receives it.
        to_unit: String,
    },
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
    let new = match &edit {
        Edit::SetValue { path, value } => document::set_value(&text, path, value)?,
        Edit::InsertItem { path, value } => document::insert_item(&text, path, value)?,
        Edit::RemoveItem { path } => document::remove_item(&text, path)?,
        Edit::MoveModule {
            variant,
            module,
            to_unit,
        } => document::move_module(&text, variant, module, to_unit)?,
    };
    Ok(analyze_text(new, file_name, path))
}

/// Writes `text` to `path` atomically: a temporary file in the same folder, flushed to disk,
/// then renamed over the target (a crash leaves the old or the new file, never half of one).
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        file_name_of(path),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Saves the text to `path` (atomic write). The text is saved even when it has validation
/// errors, so nothing typed is lost; the returned analysis lists them.
#[tauri::command]
pub fn save_scenario(path: String, text: String) -> AppResult<Analysis> {
    let p = PathBuf::from(&path);
    write_atomic(&p, &text)
        .map_err(|e| AppError::new("io", format!("cannot write {path}: {e}")))?;
    Ok(analyze_text(text, file_name_of(&p), Some(path)))
}

/// A bundled scenario.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
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

/// The bundled scenarios, with their description.
#[tauri::command]
pub fn list_lessons<R: Runtime>(app: AppHandle<R>) -> Vec<Lesson> {
    scenarios_dir(&app)
        .map(|d| lessons_in(&d))
        .unwrap_or_default()
}

/// The JSON Schema of the scenario format (drives the property panel).
#[tauri::command]
pub fn scenario_schema() -> serde_json::Value {
    scenario::json_schema()
}
