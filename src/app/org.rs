//! Organization requests: the delivery-process simulation (`archsim delivery`) and the
//! decomposition suggester (`archsim decompose`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::org::decompose::{self, Decomposition, Options, Weights};
use crate::org::delivery::{self, DeliveryResult};
use crate::scenario;

use super::check;
use super::error::{AppError, AppResult};
use super::guard;

/// What delivery process to simulate.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryRequest {
    /// The scenario text (with a `[delivery]` section).
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// Only these variants (default: all).
    pub variants: Vec<String>,
    /// Replications per variant (default: the scenario's).
    pub replications: Option<u32>,
    /// Master seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Work limit (default 2·10⁹ events).
    pub max_events: Option<f64>,
}

/// The DORA metrics of every variant simulated.
#[derive(Debug, Clone)]
pub struct DeliveryOutcome {
    /// The scenario's name.
    pub scenario: String,
    /// Master seed used.
    pub seed: u64,
    /// Replications per variant.
    pub replications: u32,
    /// Per variant, in order: its name and its delivery metrics.
    pub variants: Vec<(String, DeliveryResult)>,
}

impl DeliveryOutcome {
    /// The `delivery --json` document: `{ scenario, seed, replications, variants: [ { name,
    /// delivery } ] }`.
    pub fn to_json(&self) -> String {
        let doc = serde_json::json!({
            "scenario": self.scenario,
            "seed": self.seed,
            "replications": self.replications,
            "variants": self.variants.iter().map(|(n, d)| serde_json::json!({ "name": n, "delivery": d })).collect::<Vec<_>>(),
        });
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }
}

/// Simulates the delivery process of the variants asked for.
///
/// # Errors
/// [`AppError::Scenario`]; [`AppError::InvalidParameter`] without a `[delivery]` section, for
/// zero replications or an unknown variant; [`AppError::TooMuchWork`] above the limit.
pub fn delivery(req: &DeliveryRequest) -> AppResult<DeliveryOutcome> {
    let s = scenario::parse(&req.text, &req.file_name)?;
    if s.delivery.is_none() {
        return Err(AppError::invalid(format!(
            "{}: no `[delivery]` section; add one (see docs/delivery.md) to simulate delivery",
            req.file_name
        )));
    }
    check::replications(req.replications)?;
    let chosen = check::select_variants(&s, &req.variants)?;
    let replications = req.replications.unwrap_or(s.replications);
    let seed = req.seed.unwrap_or(s.seed);
    guard::check_delivery(
        &req.file_name,
        &s,
        chosen.len(),
        replications,
        req.max_events.unwrap_or(guard::DEFAULT_MAX_EVENTS),
    )?;
    let results = delivery::run(&s, &chosen, seed, replications);
    Ok(DeliveryOutcome {
        scenario: s.name.clone(),
        seed,
        replications,
        variants: check::variant_names(&s, &chosen)
            .into_iter()
            .zip(results)
            .collect(),
    })
}

/// What decomposition to suggest (the desktop app's `decompose_scenario` request; the weights
/// default to `archsim decompose`'s).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
pub struct DecomposeRequest {
    /// The scenario text.
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// Number of units K.
    pub units: usize,
    /// Sample call trees (`Some(requests per entry)`) instead of the analytic visits.
    #[serde(default)]
    pub simulated_requests: Option<u32>,
    /// Weight of a shared data store relative to calls (default 1).
    #[serde(default = "default_store_weight")]
    pub store_weight: f64,
    /// Same-team bonus, as a multiple of the mean positive weight (default 0.5).
    #[serde(default = "default_team_bonus")]
    pub team_bonus: f64,
    /// Allowed imbalance of unit sizes around modules/K (default 0.25).
    #[serde(default = "default_balance")]
    pub balance: f64,
    /// Variant whose ownership, unit settings and databases are used (default: the first).
    #[serde(default)]
    pub base: Option<String>,
    /// Also write the suggestion as a new variant of a copy of the scenario, validated under
    /// this file name.
    #[serde(default)]
    pub out_file_name: Option<String>,
}

fn default_store_weight() -> f64 {
    Options::new(1).store_weight
}
fn default_team_bonus() -> f64 {
    Options::new(1).team_bonus
}
fn default_balance() -> f64 {
    Options::new(1).balance
}

/// The suggestion written as a new variant.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NewVariant {
    /// The new variant's name (`decomposed-K`, made unique).
    pub name: String,
    /// The scenario text holding it (valid).
    pub text: String,
}

/// A suggested decomposition, and the scenario text with it as a new variant.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DecomposeOutcome {
    /// The suggestion.
    pub decomposition: Decomposition,
    /// With `out_file_name`: the new variant and the scenario text holding it.
    pub new_variant: Option<NewVariant>,
}

/// Suggests a decomposition of the modules into K units.
///
/// # Errors
/// [`AppError::Scenario`]; [`AppError::InvalidParameter`] for an unknown base variant, a
/// negative weight or K out of range.
pub fn decompose(req: &DecomposeRequest) -> AppResult<DecomposeOutcome> {
    let (s, base, d) = suggest(req)?;
    let new_variant = match &req.out_file_name {
        None => None,
        Some(out) => {
            let name = decompose::fresh_variant_name(&s, req.units);
            let text = decompose::write_variant(&req.text, &s, &d, base, &name)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            // The copy must validate before it is written.
            scenario::parse(&text, out)?;
            Some(NewVariant { name, text })
        }
    };
    Ok(DecomposeOutcome {
        decomposition: d,
        new_variant,
    })
}

/// The scenario text with the suggestion for `req` appended as the variant `name` (the edit
/// the desktop app applies after previewing [`decompose()`]: the suggester is deterministic, so
/// the variant written is the one previewed).
///
/// # Errors
/// Those of [`decompose()`]; [`AppError::InvalidParameter`] when `name` is empty or taken.
pub fn decomposed_variant(req: &DecomposeRequest, name: &str) -> AppResult<String> {
    let (s, base, d) = suggest(req)?;
    if name.trim().is_empty() || s.variants.iter().any(|v| v.name == name) {
        return Err(AppError::invalid(format!(
            "variants: a new variant needs a name no variant has, found `{name}`"
        )));
    }
    decompose::write_variant(&req.text, &s, &d, base, name)
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Checks the request and runs the suggester: the scenario, the base variant, the suggestion.
fn suggest(req: &DecomposeRequest) -> AppResult<(scenario::Scenario, usize, Decomposition)> {
    let s = scenario::parse(&req.text, &req.file_name)?;
    let base = match &req.base {
        None => 0,
        Some(name) => check::select_variants(&s, std::slice::from_ref(name))?[0],
    };
    for (flag, x) in [
        ("--store-weight", req.store_weight),
        ("--team-bonus", req.team_bonus),
        ("--balance", req.balance),
    ] {
        if !(x.is_finite() && x >= 0.0) {
            return Err(AppError::invalid(format!(
                "{flag} must be a finite number ≥ 0, found {x}"
            )));
        }
    }
    if req.simulated_requests == Some(0) {
        return Err(AppError::invalid("--requests must be at least 1"));
    }
    let opts = Options {
        units: req.units,
        weights: match req.simulated_requests {
            None => Weights::Analytic,
            Some(requests) => Weights::Simulated {
                requests,
                seed: s.seed,
            },
        },
        store_weight: req.store_weight,
        team_bonus: req.team_bonus,
        balance: req.balance,
        base_variant: base,
    };
    let d = decompose::decompose(&s, &opts).map_err(|e| AppError::invalid(e.to_string()))?;
    Ok((s, base, d))
}
