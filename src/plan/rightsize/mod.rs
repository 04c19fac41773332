//! Right-sizing: per variant, the cheapest replica counts, instance sizes, database cores,
//! function memory sizes and function settings that meet an SLO with 95% confidence at a given
//! arrival rate.
//!
//! **Knobs** (which ones are searched: [`RightsizeOptions::search`]). Each knob walks a ladder
//! of values:
//! - `replicas` of every unit that is not serverless: 1, 2, …, `max_value`;
//! - `cores` per instance of those units (opt-in): 1, 2, 4, 8, 16, 32, 48, 64, 96 (up to
//!   `max_value`);
//! - `cores` of every database: 1, 2, …, `max_value`;
//! - `memory` of every serverless unit: [`MEMORY_LADDER_MB`];
//! - `provisioned` concurrency of every serverless unit: 0, 1, …, `max_value` (at most its
//!   `reserved_concurrency` when that is written and not searched);
//! - `reserved_concurrency` of every serverless unit (opt-in): 1, 2, …, `max_value`.
//!
//! Other settings stay as written. Each knob is described where its setting lives: the
//! serverless function's in `crate::components::function::knobs` (with the rules of its
//! analytic start), the units' and databases' in `knobs.rs` here, as a
//! [`crate::components::knob::KnobDef`] (names, values, how a value is written).
//!
//! **Objective.** The cost per month from the run's results when they carry one; otherwise the
//! cores provisioned (Σ replicas × cores of the units, plus the databases' cores), which is
//! what a per-core-hour price bills.
//!
//! **Search.**
//! 1. *Analytic start* (no simulation; see `docs/planning.md`): replicas, instance cores and
//!    database cores at the smallest value that keeps the node stable in the analytic estimate
//!    ([`crate::estimate::estimate`]); a function's memory at the smallest size whose
//!    speed keeps every entry's analytic mean latency under the SLO's latency bounds (with every
//!    other knob at its most generous value); `provisioned` at the quantile of the Poisson
//!    number of busy instances (mean λ·E\[S\]) matching the SLO's tightest percentile, when
//!    cold starts would otherwise fall into that tail, or higher, up to the last instance that
//!    is busy often enough to bill less than on demand; `reserved_concurrency` at the smallest
//!    value whose Erlang B blocking stays under the SLO's error bound.
//! 2. *Greedy ascent*: while the SLO is not met, simulate the plan with each knob one step up
//!    (all candidates in parallel) and take the step with the largest reduction of the SLO
//!    *margin* (the worst clause's far end over its bound) per unit of added cost.
//! 3. *Local descent*: once the SLO is met, simulate the neighbourhood — every knob one step
//!    down, every memory and provisioned concurrency one step up (either can cost less: shorter
//!    billed durations, the lower price of a busy provisioned instance), and every pair one
//!    step up / one step down — and move to the cheapest neighbour that meets the SLO; repeat
//!    until none is cheaper.
//!
//! Every evaluation uses the same seed and replications (common random numbers), so two plans
//! are compared on the same random draws, as a brute-force search over the same grid would.

use super::capacity::rate_values;
use super::sweep::{scenario_with, SweepError};
use crate::results::slo::SloOutcome;
use crate::runner::RunOptions;
use crate::spec::slo::Slo;
use serde::{Deserialize, Serialize};

mod knobs;
mod search;

pub use crate::components::function::knobs::MEMORY_LADDER_MB;
pub use knobs::{KnobKind, INSTANCE_CORES_LADDER};

/// Options of [`rightsize`].
pub struct RightsizeOptions<'a> {
    /// Replications, seed, threads, variants, cancel, progress.
    pub run: RunOptions<'a>,
    /// The arrival rate to size for \[1/s\]: the total of every entry (scaled together), or
    /// the rate of `entry`.
    pub rate: f64,
    /// Scale only this entry's rate.
    pub entry: Option<String>,
    /// Largest value any counting knob (replicas, cores, provisioned, reserved) may take.
    pub max_value: u32,
    /// Simulations per variant, at most.
    pub max_evaluations: usize,
    /// The kinds of knob searched ([`KnobKind::DEFAULT_SEARCH`] by default).
    pub search: Vec<KnobKind>,
}

impl Default for RightsizeOptions<'_> {
    fn default() -> Self {
        RightsizeOptions {
            run: RunOptions::default(),
            rate: 0.0,
            entry: None,
            max_value: 64,
            max_evaluations: 200,
            search: KnobKind::DEFAULT_SEARCH.to_vec(),
        }
    }
}

/// One setting of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Setting {
    /// The unit or database.
    pub node: String,
    /// What is set.
    pub knob: KnobKind,
    /// The parameter path (see `docs/planning.md`).
    pub path: String,
    /// As written in the scenario (its default when omitted; `None` for a reserved concurrency
    /// that is not written: the function shares the account's).
    pub current: Option<u32>,
    /// The analytic starting value of the search.
    pub analytic: u32,
    /// The value of the plan.
    pub value: u32,
}

/// How the right-sizing of a variant ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RightsizeStatus {
    /// The plan meets the SLO.
    Met,
    /// No plan tried meets the SLO; the last plan tried is reported.
    NotMet,
    /// No plan can meet it: a latency bound at or below the fastest possible request (`reason`
    /// says which); nothing simulated.
    NotMetByAnyPlan,
    /// The SLO cannot detect overload (`reason` says why): every plan, however small, would
    /// meet it. Nothing simulated.
    OverloadUndetectable,
}

impl RightsizeStatus {
    /// `met`, `not_met`, `not_met_by_any_plan`, `overload_undetectable` (as in the JSON).
    pub fn name(self) -> &'static str {
        match self {
            RightsizeStatus::Met => "met",
            RightsizeStatus::NotMet => "not_met",
            RightsizeStatus::NotMetByAnyPlan => "not_met_by_any_plan",
            RightsizeStatus::OverloadUndetectable => "overload_undetectable",
        }
    }
}

/// The plan of one variant.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RightsizeVariant {
    /// Variant.
    pub name: String,
    /// Whether the plan meets the SLO (with 95% confidence, or by the single value of one
    /// replication).
    pub met: bool,
    /// How the search ended.
    pub status: RightsizeStatus,
    /// Why, for `not_met_by_any_plan` and `overload_undetectable` (a sentence).
    #[serde(default)]
    pub reason: Option<String>,
    /// The settings.
    pub plan: Vec<Setting>,
    /// Cost per month of the plan \[USD\], when the results carry a cost.
    pub cost_per_month_usd: Option<f64>,
    /// Cost per month of the scenario as written at the same rate \[USD\], when available.
    pub current_cost_per_month_usd: Option<f64>,
    /// Cores provisioned by the plan (units: replicas × cores; databases: cores).
    pub cores: f64,
    /// Cores provisioned as written.
    pub current_cores: f64,
    /// The SLO checked on the plan.
    pub outcome: Option<SloOutcome>,
    /// Plans simulated.
    pub evaluations: usize,
}

/// The results of a right-sizing.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RightsizeResults {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per plan.
    pub replications: u32,
    /// The SLO.
    pub slo: String,
    /// The rate sized for.
    pub rate: f64,
    /// The entry whose rate was set (`None`: every entry scaled).
    pub entry: Option<String>,
    /// What was minimized: `cost_per_month_usd` or `cores`.
    pub objective: String,
    /// The kinds of knob searched (their `--search` names).
    #[serde(default)]
    pub search: Vec<String>,
    /// Per variant.
    pub variants: Vec<RightsizeVariant>,
    /// Warnings.
    pub warnings: Vec<String>,
}

impl RightsizeResults {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

/// The answer for variant `v` of `at_rate` when it is known before anything is simulated: the
/// SLO cannot detect overload (every plan would meet it), or a latency bound is at or below the
/// fastest possible request (no plan can).
fn decided(at_rate: &crate::scenario::Scenario, v: usize, slo: &Slo) -> Option<RightsizeVariant> {
    let m = crate::model::Model::compile(at_rate, v);
    let (status, why) = match super::reach::overload_blind(&m.topo, slo, None) {
        Some(why) => (RightsizeStatus::OverloadUndetectable, why),
        None => (
            RightsizeStatus::NotMetByAnyPlan,
            super::reach::below_floor(&m.topo, slo)?.replace("at any rate", "by any plan"),
        ),
    };
    let cores = knobs::cores_of(at_rate, v);
    Some(RightsizeVariant {
        name: m.variant.clone(),
        met: false,
        status,
        reason: Some(why),
        plan: Vec::new(),
        cost_per_month_usd: None,
        current_cost_per_month_usd: None,
        cores,
        current_cores: cores,
        outcome: None,
        evaluations: 0,
    })
}

/// Sizes every selected variant for `opts.rate`.
///
/// # Errors
/// An unknown entry or variant, a scenario that rejects a setting, a run failure.
pub fn rightsize(
    text: &str,
    file_name: &str,
    slo: &Slo,
    opts: &RightsizeOptions<'_>,
) -> Result<RightsizeResults, SweepError> {
    let s = super::capacity::parse_for_search(text, file_name, slo, opts.entry.as_deref())?;
    if !(opts.rate > 0.0 && opts.rate.is_finite()) {
        return Err(SweepError::Axis {
            spec: format!("--rate {}", opts.rate),
            message: "the rate to size for is a positive number of requests per second".into(),
        });
    }
    let entries: Vec<(String, f64)> = s
        .workload
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.arrival.rate()))
        .collect();
    let base: f64 = entries
        .iter()
        .filter(|(n, _)| opts.entry.as_deref().map_or(true, |e| e == n))
        .map(|(_, r)| r)
        .sum();
    let rate_set = rate_values(&entries, opts.entry.as_deref(), base, opts.rate);
    // The scenario at the target rate, as written otherwise.
    let text_at_rate = {
        let mut t = text.to_string();
        for (p, v) in &rate_set {
            t = crate::scenario::params::set(&t, p, v, false)?;
        }
        t
    };
    let at_rate = scenario_with(&text_at_rate, file_name, &[], false)?;
    let selected: Vec<usize> = crate::runner::prepare(&at_rate, &opts.run)?
        .models
        .iter()
        .filter_map(|m| at_rate.variants.iter().position(|v| v.name == m.variant))
        .collect();
    let replications = opts.run.replications.unwrap_or(s.replications).max(1);
    let mut warnings = Vec::new();
    let mut variants = Vec::new();
    let mut seed = opts.run.seed.unwrap_or(s.seed);
    for v in selected {
        if let Some(decided) = decided(&at_rate, v, slo) {
            variants.push(decided);
            continue;
        }
        let ks = knobs::knobs(&at_rate, v, &text_at_rate, file_name, slo, opts);
        let mut ev = search::Evaluator {
            ks: &ks,
            text: &text_at_rate,
            file_name,
            name: at_rate.variants[v].name.clone(),
            v,
            slo,
            opts,
            replications,
            evaluations: 0,
            seed,
        };
        if let Some(sized) = ev.size(knobs::cores_of(&at_rate, v), &mut warnings)? {
            variants.push(sized);
            seed = ev.seed;
        }
    }
    let objective = if variants.iter().any(|v| v.cost_per_month_usd.is_some()) {
        "cost_per_month_usd"
    } else {
        "cores"
    };
    Ok(RightsizeResults {
        scenario: s.name.clone(),
        seed,
        replications,
        slo: slo.to_string(),
        rate: opts.rate,
        entry: opts.entry.clone(),
        objective: objective.into(),
        search: KnobKind::ALL
            .iter()
            .filter(|k| opts.search.contains(k))
            .map(|k| k.search_name().to_string())
            .collect(),
        variants,
        warnings,
    })
}
