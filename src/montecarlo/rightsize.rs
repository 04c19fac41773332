//! Right-sizing: per variant, the cheapest replica counts (units on VMs or containers) and
//! database cores that meet an SLO with 95% confidence at a given arrival rate.
//!
//! **Knobs.** Every unit that is not serverless has a `replicas` knob (1, 2, …), every
//! database a `cores` knob (1, 2, …). Other settings stay as written.
//!
//! **Objective.** The cost per month from the run's results when they carry one; otherwise the
//! cores provisioned (Σ replicas × cores of the units, plus the databases' cores), which is
//! what a per-core-hour price bills.
//!
//! **Search.**
//! 1. *Analytic start*: each knob at the smallest value that keeps its node stable in the
//!    analytic estimate ([`crate::analytic::estimate::estimate`]): CPU demand per second < cores
//!    provisioned (a lower bound: below it, the queue grows without bound).
//! 2. *Greedy ascent*: while the SLO is not met, simulate the plan with each knob one step up
//!    (all candidates in parallel) and take the step with the largest reduction of the SLO
//!    *margin* (the worst clause's far end over its bound) per unit of added cost.
//! 3. *Local descent*: once the SLO is met, simulate the neighbourhood — every knob one step
//!    down, and every pair one step up / one step down that is cheaper — and move to the
//!    cheapest neighbour that meets the SLO; repeat until none is cheaper.
//!
//! Every evaluation uses the same seed and replications (common random numbers), so two plans
//! are compared on the same random draws, as a brute-force search over the same grid would.

use super::capacity::{cost_per_month, rate_values};
use super::sweep::{run_batch, scenario_with, Job, SweepError};
use super::RunOptions;
use crate::report::VariantResult;
use crate::scenario::params::ParamValue;
use crate::scenario::{Platform, Scenario};
use crate::slo::{Slo, SloOutcome};
use serde::{Deserialize, Serialize};

/// Options of [`rightsize`].
pub struct RightsizeOptions<'a> {
    /// Replications, seed, threads, variants, cancel, progress.
    pub run: RunOptions<'a>,
    /// The arrival rate to size for \[1/s\]: the total of every entry (scaled together), or
    /// the rate of `entry`.
    pub rate: f64,
    /// Scale only this entry's rate.
    pub entry: Option<String>,
    /// Largest value any knob may take.
    pub max_value: u32,
    /// Simulations per variant, at most.
    pub max_evaluations: usize,
}

impl Default for RightsizeOptions<'_> {
    fn default() -> Self {
        RightsizeOptions {
            run: RunOptions::default(),
            rate: 0.0,
            entry: None,
            max_value: 64,
            max_evaluations: 200,
        }
    }
}

/// What a knob sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnobKind {
    /// Instances of a unit.
    Replicas,
    /// Cores of a database.
    Cores,
}

/// One setting of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setting {
    /// The unit or database.
    pub node: String,
    /// What is set.
    pub knob: KnobKind,
    /// The parameter path (see `docs/planning.md`).
    pub path: String,
    /// As written in the scenario.
    pub current: u32,
    /// The analytic lower bound the search started from.
    pub analytic: u32,
    /// The value of the plan.
    pub value: u32,
}

/// The plan of one variant.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RightsizeVariant {
    /// Variant.
    pub name: String,
    /// Whether the plan meets the SLO with 95% confidence.
    pub met: bool,
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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

struct Knob {
    node: String,
    kind: KnobKind,
    path: String,
    current: u32,
    analytic: u32,
    /// Cores per step (replicas × cores per instance; 1 per database core).
    cores_per_step: f64,
}

/// Cores provisioned by a variant of a resolved scenario.
fn cores_of(s: &Scenario, v: usize) -> f64 {
    let var = &s.variants[v];
    let units: f64 = var
        .units
        .iter()
        .filter(|u| u.platform != Platform::Serverless)
        .map(|u| u.replicas as f64 * u.cores)
        .sum();
    units + var.databases.iter().map(|d| d.cores).sum::<f64>()
}

/// The smallest whole number of steps keeping `demand` below `per_step × steps`.
fn stable_steps(demand: f64, per_step: f64) -> u32 {
    if per_step <= 0.0 {
        return 1;
    }
    ((demand / per_step).floor() as u32 + 1).max(1)
}

fn knobs(s: &Scenario, v: usize, max_value: u32) -> Vec<Knob> {
    let est = crate::analytic::estimate::estimate(s, v);
    let var = &s.variants[v];
    let demand = |name: &str, kind: crate::analytic::estimate::NodeKind| {
        est.nodes
            .iter()
            .find(|n| n.name == name && n.kind == kind)
            .map_or(0.0, |n| n.cpu_demand_s_per_s)
    };
    let mut out = Vec::new();
    for u in &var.units {
        if u.platform == Platform::Serverless {
            continue;
        }
        let d = demand(&u.name, crate::analytic::estimate::NodeKind::Unit);
        out.push(Knob {
            node: u.name.clone(),
            kind: KnobKind::Replicas,
            path: format!("variants.{}.units.{}.replicas", var.name, u.name),
            current: u.replicas,
            analytic: stable_steps(d, u.cores).min(max_value),
            cores_per_step: u.cores,
        });
    }
    for db in &var.databases {
        let d = demand(&db.name, crate::analytic::estimate::NodeKind::Database);
        out.push(Knob {
            node: db.name.clone(),
            kind: KnobKind::Cores,
            path: format!("variants.{}.databases.{}.cores", var.name, db.name),
            current: db.cores.ceil() as u32,
            analytic: stable_steps(d, 1.0).min(max_value),
            cores_per_step: 1.0,
        });
    }
    out
}

/// One evaluated plan.
#[derive(Clone)]
struct Eval {
    values: Vec<u32>,
    met: bool,
    margin: f64,
    objective: f64,
    cost: Option<f64>,
    cores: f64,
    outcome: SloOutcome,
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
    let selected: Vec<usize> = super::prepare(&at_rate, &opts.run)?
        .models
        .iter()
        .filter_map(|m| at_rate.variants.iter().position(|v| v.name == m.variant))
        .collect();
    let replications = opts.run.replications.unwrap_or(s.replications).max(1);
    let mut warnings = Vec::new();
    let mut variants = Vec::new();
    let mut seed = opts.run.seed.unwrap_or(s.seed);
    for v in selected {
        let name = at_rate.variants[v].name.clone();
        let ks = knobs(&at_rate, v, opts.max_value);
        let evaluations = std::cell::Cell::new(0usize);
        let seed_seen = std::cell::Cell::new(seed);
        let cancelled = || {
            opts.run
                .cancel
                .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst))
        };
        // Evaluates plans in parallel; `None` for a cancelled one.
        let evaluate = |plans: &[Vec<u32>]| -> Result<Vec<Option<Eval>>, SweepError> {
            let scenarios = plans
                .iter()
                .map(|p| {
                    let values: Vec<(String, ParamValue)> = ks
                        .iter()
                        .zip(p)
                        .map(|(k, &x)| (k.path.clone(), ParamValue::Number(x as f64)))
                        .collect();
                    scenario_with(&text_at_rate, file_name, &values, true)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let jobs: Vec<Job<'_>> = scenarios
                .iter()
                .map(|sc| Job {
                    scenario: sc,
                    variants: vec![name.clone()],
                })
                .collect();
            evaluations.set(evaluations.get() + plans.len());
            let outs = run_batch(&jobs, &opts.run)?;
            let mut res = Vec::new();
            for ((p, sc), out) in plans.iter().zip(&scenarios).zip(outs) {
                match out {
                    Ok(r) if r.replications == replications => {
                        seed_seen.set(r.seed);
                        let Some(vr) = r.variants.first() else {
                            res.push(None);
                            continue;
                        };
                        res.push(Some(eval_of(slo, vr, p.clone(), sc, v)));
                    }
                    Ok(_) | Err(super::RunError::Cancelled) => res.push(None),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(res)
        };
        let current: Vec<u32> = ks.iter().map(|k| k.current).collect();
        let start: Vec<u32> = ks.iter().map(|k| k.analytic).collect();
        let first = evaluate(&[current.clone(), start.clone()])?;
        let current_eval = first[0].clone();
        let Some(mut best) = first[1].clone() else {
            warnings.push(format!("variant `{name}`: cancelled"));
            continue;
        };
        // Greedy ascent.
        while !best.met && !cancelled() && evaluations.get() < opts.max_evaluations {
            let plans: Vec<Vec<u32>> = (0..ks.len())
                .filter(|&i| best.values[i] < opts.max_value)
                .map(|i| {
                    let mut p = best.values.clone();
                    p[i] += 1;
                    p
                })
                .collect();
            if plans.is_empty() {
                break;
            }
            let evals: Vec<Eval> = evaluate(&plans)?.into_iter().flatten().collect();
            let pick = evals.into_iter().max_by(|a, b| {
                let gain =
                    |e: &Eval| (best.margin - e.margin) / (e.objective - best.objective).max(1e-12);
                // Prefer meeting the SLO, then the best gain per cost, then the lower
                // objective (deterministic tie-break by knob order via stable max_by).
                (a.met, gain(a))
                    .partial_cmp(&(b.met, gain(b)))
                    .unwrap_or(std::cmp::Ordering::Equal)
                    .then(
                        b.objective
                            .partial_cmp(&a.objective)
                            .unwrap_or(std::cmp::Ordering::Equal),
                    )
            });
            match pick {
                Some(e) => best = e,
                None => break,
            }
        }
        // Local descent.
        while best.met && !cancelled() && evaluations.get() < opts.max_evaluations {
            let mut plans: Vec<Vec<u32>> = Vec::new();
            for i in 0..ks.len() {
                if best.values[i] > 1 {
                    let mut p = best.values.clone();
                    p[i] -= 1;
                    plans.push(p);
                }
            }
            for i in 0..ks.len() {
                for j in 0..ks.len() {
                    if i != j
                        && best.values[j] > 1
                        && best.values[i] < opts.max_value
                        && ks[i].cores_per_step < ks[j].cores_per_step
                    {
                        let mut p = best.values.clone();
                        p[i] += 1;
                        p[j] -= 1;
                        plans.push(p);
                    }
                }
            }
            if plans.is_empty() {
                break;
            }
            let cheaper = evaluate(&plans)?
                .into_iter()
                .flatten()
                .filter(|e| e.met && e.objective < best.objective - 1e-9)
                .min_by(|a, b| {
                    a.objective
                        .partial_cmp(&b.objective)
                        .unwrap_or(std::cmp::Ordering::Equal)
                        .then(
                            a.margin
                                .partial_cmp(&b.margin)
                                .unwrap_or(std::cmp::Ordering::Equal),
                        )
                });
            match cheaper {
                Some(e) => best = e,
                None => break,
            }
        }
        if !best.met {
            warnings.push(format!(
                "variant `{name}`: no plan met the SLO within {} evaluations and knob values up to {}; the last plan tried is reported",
                opts.max_evaluations, opts.max_value
            ));
        }
        variants.push(RightsizeVariant {
            name: name.clone(),
            met: best.met,
            plan: ks
                .iter()
                .zip(&best.values)
                .map(|(k, &x)| Setting {
                    node: k.node.clone(),
                    knob: k.kind,
                    path: k.path.clone(),
                    current: k.current,
                    analytic: k.analytic,
                    value: x,
                })
                .collect(),
            cost_per_month_usd: best.cost,
            current_cost_per_month_usd: current_eval.as_ref().and_then(|e| e.cost),
            cores: best.cores,
            current_cores: cores_of(&at_rate, v),
            outcome: Some(best.outcome),
            evaluations: evaluations.get(),
        });
        seed = seed_seen.get();
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
        variants,
        warnings,
    })
}

fn eval_of(slo: &Slo, vr: &VariantResult, values: Vec<u32>, sc: &Scenario, v: usize) -> Eval {
    let outcome = slo.evaluate(vr);
    let cost = cost_per_month(vr);
    let cores = cores_of(sc, v);
    Eval {
        values,
        met: outcome.met(),
        margin: slo.margin(vr),
        objective: cost.unwrap_or(cores),
        cost,
        cores,
        outcome,
    }
}
