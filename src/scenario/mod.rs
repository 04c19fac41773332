//! The scenario file format: raw serde types, units, validation with located errors, and the
//! JSON Schema export.
//!
//! ```
//! let text = r#"
//! name = "M/M/1"
//! [workload]
//! duration = "100s"
//! [[workload.entries]]
//! name = "req"
//! op = "station.work"
//! arrival = { process = "poisson", rate = 0.5 }
//! [modules.station]
//! ops.work = { cpu = { dist = "exp", mean = "1s" } }
//! [[variants]]
//! name = "single"
//! [[variants.units]]
//! name = "station"
//! modules = ["station"]
//! "#;
//! let s = archsim::scenario::parse(text, "mm1.toml").expect("valid");
//! assert_eq!(s.ops[s.workload.entries[0].op].name, "station.work");
//! ```

pub mod document;
pub mod modeling;
pub mod params;
pub mod raw;
mod resolve;
mod types;
pub mod uncertain;

pub use crate::spec::{Diagnostic, Diagnostics, ScenarioError};
pub use types::*;

use std::path::Path;

use crate::spec::error::Sink;
use crate::spec::locate;

/// Reads and validates the scenario file at `path`.
///
/// # Errors
/// [`ScenarioError::Io`] if the file cannot be read; [`ScenarioError::Invalid`] with every
/// problem found (file, line, column, field, message) otherwise.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = read(path)?;
    parse(&text, &path.display().to_string())
}

/// Reads a scenario file's text. Text that is not UTF-8 is an invalid scenario whose one
/// diagnostic gives the line and column of the first byte that is not.
///
/// # Errors
/// [`ScenarioError::Io`] if the file cannot be read; [`ScenarioError::Invalid`] if it is not
/// UTF-8.
pub fn read(path: &Path) -> Result<String, ScenarioError> {
    let bytes = std::fs::read(path).map_err(|source| ScenarioError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        let at = e.utf8_error().valid_up_to();
        let before = bytes.get(..at).unwrap_or(&[]);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        // Columns count characters, as the other diagnostics do.
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[]))
            .chars()
            .count()
            + 1;
        ScenarioError::Invalid(crate::spec::error::Diagnostics(vec![
            crate::spec::error::Diagnostic {
                file: path.display().to_string(),
                line,
                column,
                field: String::new(),
                message: format!(
                    "the file is not UTF-8 text: byte 0x{:02x} at offset {at} is not valid UTF-8",
                    bytes.get(at).copied().unwrap_or(0)
                ),
                help: Some("save the scenario as UTF-8".into()),
            },
        ]))
    })
}

/// Parses and validates a scenario from its TOML text; `file_name` is only used in diagnostics.
///
/// # Errors
/// [`ScenarioError::Invalid`] with every problem found, in file order.
pub fn parse(text: &str, file_name: &str) -> Result<Scenario, ScenarioError> {
    parse_with(text, file_name, false)
}

/// [`parse`] with strict instance sizes (the CLI's `--strict-sizes`, as if the scenario said
/// `strict_sizes = true`): a `vm` or `container` unit's, a host's, or a self-hosted gateway's
/// or load balancer's cores that are no offering of the instance catalogue are an error
/// naming the nearest valid sizes.
///
/// # Errors
/// [`ScenarioError::Invalid`] with every problem found, in file order.
pub fn parse_strict(text: &str, file_name: &str) -> Result<Scenario, ScenarioError> {
    parse_with(text, file_name, true)
}

fn parse_with(text: &str, file_name: &str, strict_sizes: bool) -> Result<Scenario, ScenarioError> {
    let mut sink = Sink::new(text, file_name);
    match toml::from_str::<toml::Table>(text) {
        Err(e) => {
            locate::toml_error(&mut sink, text, &e, true);
            return Err(ScenarioError::Invalid(sink.finish()));
        }
        Ok(t) if t.is_empty() => {
            sink.error(
                0..0,
                "",
                "the scenario is empty: a scenario needs at least a `name`, a `[workload]` with a \
                 `duration` and one `[[workload.entries]]`, one `[modules.NAME]` with an operation, \
                 and one `[[variants]]` with a `[[variants.units]]` holding the module",
                Some(
                    "see the minimal example at the top of docs/format.md (an M/M/1 station)"
                        .into(),
                ),
            );
            return Err(ScenarioError::Invalid(sink.finish()));
        }
        Ok(doc) => {
            // Uncertain inputs: validate them, then resolve the nominal scenario (each
            // parameter at its central value) from the text with the tables replaced.
            if let Some(u) = uncertain::detect(text, file_name, &doc, &mut sink) {
                let nominal = uncertain::nominal_text(&u);
                return match parse_with(&nominal, file_name, strict_sizes) {
                    Ok(mut s) => {
                        s.uncertain = Some(u);
                        Ok(s)
                    }
                    Err(e) => Err(uncertain::explain(e, &u)),
                };
            }
            if sink.has_errors() {
                return Err(ScenarioError::Invalid(sink.finish()));
            }
        }
    }
    let raw = match toml::from_str::<raw::RawScenario>(text) {
        Ok(raw) => raw,
        Err(e) => {
            locate::toml_error(&mut sink, text, &e, false);
            return Err(ScenarioError::Invalid(sink.finish()));
        }
    };
    match resolve::resolve(&raw, &mut sink, strict_sizes) {
        Some(s) if !sink.has_errors() => Ok(s),
        _ => Err(ScenarioError::Invalid(sink.finish())),
    }
}

/// The JSON Schema (draft 2020-12) of the scenario format, for editors and the desktop app.
///
/// Optional keys are simply not `required` (TOML has no null). Durations are strings with a
/// `pattern`; distributions are `oneOf` a duration string or a `dist` table.
pub fn json_schema() -> serde_json::Value {
    let mut v = schemars::schema_for!(raw::RawScenario).to_value();
    drop_null_options(&mut v);
    v
}

/// Rewrites `{ "anyOf": [X, { "type": "null" }], ... }` (how schemars renders `Option<X>`) as
/// `X` plus the other keys, and `"type": ["string", "null"]` as `"type": "string"`.
fn drop_null_options(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let null = serde_json::json!({ "type": "null" });
            if let Some(Value::Array(alts)) = map.get("anyOf") {
                if alts.len() == 2 && alts.contains(&null) {
                    let keep = alts.iter().find(|a| **a != null).cloned();
                    map.remove("anyOf");
                    if let Some(Value::Object(inner)) = keep {
                        for (k, x) in inner {
                            map.entry(k).or_insert(x);
                        }
                    }
                }
            }
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types.remove(0);
                    map.insert("type".into(), t);
                }
            }
            map.values_mut().for_each(drop_null_options);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_options),
        _ => {}
    }
}
