//! What validation says about a scenario: for the CLI's `validate` ([`validate`]) and for the
//! desktop editor ([`analyze`]: the text, the document as JSON, diagnostics, warnings, the
//! instant estimate and the resolved deployment of every variant), and the editor's
//! structural edits ([`edit`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cost::estimate::{cost_estimate, CostEstimate};
use crate::estimate::{estimate, VariantEstimate};
use crate::model::Model;
use crate::org::conway::{self, ConwayMetrics};
use crate::scenario::document::{self, PathSeg};
use crate::scenario::modeling;
use crate::scenario::{self, Scenario};

use super::error::{AppError, AppResult, DiagnosticView};
use super::topology::{self, VariantTopology};

/// A valid scenario with what `archsim validate` prints about it.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The scenario.
    pub scenario: Scenario,
    /// Its warnings (overload, no warm-up, …).
    pub warnings: Vec<String>,
    /// Per variant: the analytic estimate.
    pub estimates: Vec<VariantEstimate>,
    /// Per variant: the simulation's estimated events per replication.
    pub events: Vec<f64>,
    /// Per variant: the Conway metrics.
    pub conway: Vec<ConwayMetrics>,
}

/// Validates `text` and estimates every variant.
///
/// # Errors
/// [`AppError::Scenario`] with every diagnostic.
pub fn validate(text: &str, file_name: &str) -> AppResult<Validation> {
    let s = scenario::parse(text, file_name)?;
    let n = s.variants.len();
    Ok(Validation {
        warnings: crate::estimate::warnings(&s),
        estimates: (0..n).map(|v| estimate(&s, v)).collect(),
        events: (0..n)
            .map(|v| Model::compile(&s, v).estimated_events())
            .collect(),
        conway: (0..n).map(|v| conway::metrics(&s, v)).collect(),
        scenario: s,
    })
}

/// A scenario as the editor sees it: the text (the source of truth), the same document as JSON
/// (for the graph and the property panel), and what validation, the estimate and the
/// resolved model say about it.
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
    /// The estimated monthly bill of every variant of a valid scenario, priced from the
    /// analytic estimate's rates (not a run's bill; docs/cost.md "The cost estimate").
    pub costs: Vec<CostEstimate>,
    /// The resolved deployment of every variant of a valid scenario (empty when invalid):
    /// what the editor's graph draws.
    pub topology: Vec<VariantTopology>,
}

/// Validates `text`, estimates every variant and resolves its deployment. Never fails:
/// problems become diagnostics.
pub fn analyze(text: String, file_name: String, path: Option<String>) -> Analysis {
    let document = text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| serde_json::to_value(t).ok());
    let (diagnostics, warnings, (estimates, costs), topology) =
        match scenario::parse(&text, &file_name) {
            Ok(s) => (
                Vec::new(),
                crate::estimate::warnings(&s),
                (0..s.variants.len()).map(|v| cost_estimate(&s, v)).unzip(),
                topology::topology(&s),
            ),
            Err(e) => (
                AppError::from(e).diagnostics(),
                Vec::new(),
                (Vec::new(), Vec::new()),
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
        costs,
        topology,
    }
}

/// The resolved deployment of every variant of `text`.
///
/// # Errors
/// [`AppError::Scenario`] when the scenario is not valid.
pub fn resolve(text: &str, file_name: &str) -> AppResult<Vec<VariantTopology>> {
    Ok(topology::topology(&scenario::parse(text, file_name)?))
}

/// A structural edit of the scenario text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// Add the call `{ op = to }` to the operation `from` (both `module.op`; `to` may be a data
    /// store's operation).
    AddCall {
        /// The calling operation.
        from: String,
        /// The operation called.
        to: String,
    },
    /// Delete a module or a data store and what depends on it ([`dependents`]).
    DeleteComponent {
        /// Module or data store name.
        name: String,
        /// A data store (`[datastores]`) rather than a module.
        #[serde(default)]
        datastore: bool,
    },
    /// Delete a unit that runs no module.
    DeleteUnit {
        /// Variant name.
        variant: String,
        /// Unit name.
        unit: String,
    },
    /// Append a copy of a variant under a new name.
    DuplicateVariant {
        /// The variant copied.
        variant: String,
        /// The copy's name.
        name: String,
    },
    /// Rename a variant.
    RenameVariant {
        /// The variant renamed.
        variant: String,
        /// Its new name.
        name: String,
    },
    /// Append a variant with one unit per module of another (each configured as the unit that
    /// ran the module there).
    MicroservicesVariant {
        /// The variant split.
        variant: String,
        /// The new variant's name.
        name: String,
    },
    /// Append the decomposition suggested for a variant as a new variant (`archsim decompose
    /// --out`, see [`super::org::decompose`]): its modules in `units` units, each configured
    /// like the unit that ran its first module.
    DecomposedVariant {
        /// The variant whose teams, unit settings and databases the suggestion uses.
        variant: String,
        /// The new variant's name.
        name: String,
        /// Number of units K.
        units: usize,
        /// Sampled call trees (requests per entry) instead of the analytic visits.
        #[serde(default)]
        simulated_requests: Option<u32>,
        /// Weight of a shared data store relative to calls (default 1).
        #[serde(default)]
        store_weight: Option<f64>,
        /// Same-team bonus (default 0.5).
        #[serde(default)]
        team_bonus: Option<f64>,
        /// Allowed imbalance of unit sizes (default 0.25).
        #[serde(default)]
        balance: Option<f64>,
    },
}

/// What depends on a module (or data store): the operations calling it, the entries arriving
/// at it, the units (databases) holding it — what [`Edit::DeleteComponent`] removes with it.
///
/// # Errors
/// [`AppError::Edit`] when the text is not TOML.
pub fn dependents(text: &str, name: &str, datastore: bool) -> AppResult<Vec<String>> {
    Ok(modeling::dependents(text, name, datastore)?)
}

/// Applies `edit` to `text` and analyzes the result. An edit that cannot be applied is an
/// error and changes nothing.
///
/// # Errors
/// [`AppError::Edit`] saying why.
pub fn edit(
    text: &str,
    file_name: String,
    path: Option<String>,
    edit: &Edit,
) -> AppResult<Analysis> {
    let new = match edit {
        Edit::SetValue { path, value } => document::set_value(text, path, value)?,
        Edit::InsertItem { path, value } => document::insert_item(text, path, value)?,
        Edit::RemoveItem { path } => document::remove_item(text, path)?,
        Edit::MoveModule {
            variant,
            module,
            to_unit,
        } => document::move_module(text, variant, module, to_unit)?,
        Edit::AddCall { from, to } => modeling::add_call(text, from, to)?,
        Edit::DeleteComponent { name, datastore } => {
            modeling::delete_component(text, name, *datastore)?
        }
        Edit::DeleteUnit { variant, unit } => modeling::delete_unit(text, variant, unit)?,
        Edit::DuplicateVariant { variant, name } => {
            modeling::duplicate_variant(text, variant, name)?
        }
        Edit::RenameVariant { variant, name } => modeling::rename_variant(text, variant, name)?,
        Edit::MicroservicesVariant { variant, name } => {
            modeling::microservices_variant(text, variant, name)?
        }
        Edit::DecomposedVariant {
            variant,
            name,
            units,
            simulated_requests,
            store_weight,
            team_bonus,
            balance,
        } => {
            let defaults = crate::org::decompose::Options::new(*units);
            let req = super::org::DecomposeRequest {
                text: text.to_string(),
                file_name: file_name.clone(),
                units: *units,
                simulated_requests: *simulated_requests,
                store_weight: store_weight.unwrap_or(defaults.store_weight),
                team_bonus: team_bonus.unwrap_or(defaults.team_bonus),
                balance: balance.unwrap_or(defaults.balance),
                base: Some(variant.clone()),
                out_file_name: None,
            };
            super::org::decomposed_variant(&req, name)?
        }
    };
    Ok(analyze(new, file_name, path))
}
