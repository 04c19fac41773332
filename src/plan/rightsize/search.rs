//! The search of one variant: evaluate the analytic start, ascend greedily until the SLO is
//! met, then descend to the cheapest neighbour while one is cheaper (see the module docs of
//! `super`).

use super::knobs::{cores_of, step_cores, valid, Knob};
use super::{RightsizeOptions, RightsizeStatus, RightsizeVariant, Setting};
use crate::plan::capacity::cost_per_month;
use crate::plan::sweep::{run_batch, scenario_with, Job, SweepError};
use crate::results::slo::SloOutcome;
use crate::results::VariantResult;
use crate::scenario::params::ParamValue;
use crate::scenario::Scenario;
use crate::spec::slo::Slo;
use std::cmp::Ordering;

/// One evaluated plan.
#[derive(Clone)]
struct Eval {
    values: Vec<usize>,
    met: bool,
    margin: f64,
    objective: f64,
    cost: Option<f64>,
    cores: f64,
    outcome: SloOutcome,
}

fn eval_of(
    slo: &Slo,
    vr: &VariantResult,
    (values, replications): (Vec<usize>, u32),
    sc: &Scenario,
    v: usize,
) -> Eval {
    let outcome = crate::plan::zero_load::judge(slo, vr, replications);
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

/// What evaluates the plans of one variant: its knobs, the scenario at the target rate, the
/// run options; counts the evaluations and keeps the seed the runs used.
pub(super) struct Evaluator<'a> {
    /// The variant's knobs.
    pub(super) ks: &'a [Knob],
    /// The scenario text at the target rate.
    pub(super) text: &'a str,
    /// Its file name (for errors).
    pub(super) file_name: &'a str,
    /// The variant's name.
    pub(super) name: String,
    /// The variant's index.
    pub(super) v: usize,
    /// The SLO.
    pub(super) slo: &'a Slo,
    /// The right-sizing options.
    pub(super) opts: &'a RightsizeOptions<'a>,
    /// Replications of a complete run.
    pub(super) replications: u32,
    /// Plans simulated so far.
    pub(super) evaluations: usize,
    /// The seed of the last complete run.
    pub(super) seed: u64,
}

impl Evaluator<'_> {
    fn cancelled(&self) -> bool {
        self.opts
            .run
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst))
    }

    fn has_budget(&self) -> bool {
        !self.cancelled() && self.evaluations < self.opts.max_evaluations
    }

    /// Evaluates plans (ladder indices; `None`: as written) in parallel; `None` for a cancelled
    /// one.
    fn evaluate(&mut self, plans: &[Option<Vec<usize>>]) -> Result<Vec<Option<Eval>>, SweepError> {
        let scenarios = plans
            .iter()
            .map(|p| {
                let values: Vec<(String, ParamValue)> = p.as_ref().map_or_else(Vec::new, |p| {
                    self.ks
                        .iter()
                        .zip(p)
                        .map(|(k, &i)| (k.path.clone(), k.param(i)))
                        .collect()
                });
                scenario_with(self.text, self.file_name, &values, true)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let jobs: Vec<Job<'_>> = scenarios
            .iter()
            .map(|sc| Job {
                scenario: sc,
                variants: vec![self.name.clone()],
            })
            .collect();
        self.evaluations += plans.len();
        let outs = run_batch(&jobs, &self.opts.run)?;
        let mut res = Vec::new();
        for ((p, sc), out) in plans.iter().zip(&scenarios).zip(outs) {
            match out {
                Ok(r) if r.replications == self.replications => {
                    self.seed = r.seed;
                    let Some(vr) = r.variants.first() else {
                        res.push(None);
                        continue;
                    };
                    let values = p.clone().unwrap_or_default();
                    res.push(Some(eval_of(
                        self.slo,
                        vr,
                        (values, self.replications),
                        sc,
                        self.v,
                    )));
                }
                Ok(_) | Err(crate::runner::RunError::Cancelled) => res.push(None),
                Err(e) => {
                    return Err(SweepError::at(
                        || {
                            let plan = p.as_ref().map_or_else(
                                || "as written".to_string(),
                                |p| {
                                    self.ks
                                        .iter()
                                        .zip(p)
                                        .map(|(k, &i)| format!("{}={}", k.path, k.param(i)))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                },
                            );
                            format!("variant `{}` with {plan}", self.name)
                        },
                        e,
                    ))
                }
            }
        }
        Ok(res)
    }

    /// Greedy ascent: while the SLO is not met, the step up with the largest reduction of the
    /// SLO margin per unit of added cost.
    fn ascend(&mut self, mut best: Eval) -> Result<Eval, SweepError> {
        let ks = self.ks;
        while !best.met && self.has_budget() {
            let plans: Vec<Option<Vec<usize>>> = (0..ks.len())
                .filter(|&i| best.values[i] + 1 < ks[i].ladder.len())
                .map(|i| {
                    let mut p = best.values.clone();
                    p[i] += 1;
                    p
                })
                .filter(|p| valid(ks, p))
                .map(Some)
                .collect();
            if plans.is_empty() {
                break;
            }
            let evals: Vec<Eval> = self.evaluate(&plans)?.into_iter().flatten().collect();
            let pick = evals.into_iter().max_by(|a, b| {
                let gain =
                    |e: &Eval| (best.margin - e.margin) / (e.objective - best.objective).max(1e-12);
                // Prefer meeting the SLO, then the best gain per cost, then the lower
                // objective (deterministic tie-break by knob order via stable max_by).
                (a.met, gain(a))
                    .partial_cmp(&(b.met, gain(b)))
                    .unwrap_or(Ordering::Equal)
                    .then(
                        b.objective
                            .partial_cmp(&a.objective)
                            .unwrap_or(Ordering::Equal),
                    )
            });
            match pick {
                Some(e) => best = e,
                None => break,
            }
        }
        Ok(best)
    }

    /// The neighbourhood of `values`: every knob one step down, every knob whose step up may
    /// save one step up, and every pair one step up / one step down (valid plans only).
    fn neighbours(&self, values: &[usize]) -> Vec<Vec<usize>> {
        let ks = self.ks;
        let mut plans: Vec<Vec<usize>> = Vec::new();
        for i in 0..ks.len() {
            if values[i] > 0 {
                let mut p = values.to_vec();
                p[i] -= 1;
                plans.push(p);
            }
        }
        // More memory can cost less: a faster function bills fewer GB-s when its callers
        // are billed (or sized) for the time they wait on it. More provisioned instances
        // can too: a busy provisioned instance bills less per GB-s than on-demand.
        for i in 0..ks.len() {
            if ks[i].kind.def().up_may_save && values[i] + 1 < ks[i].ladder.len() {
                let mut p = values.to_vec();
                p[i] += 1;
                plans.push(p);
            }
        }
        for i in 0..ks.len() {
            for j in 0..ks.len() {
                // Trading cores for cores is only cheaper when the step up is smaller.
                let cheaper_step = !(ks[i].cores_priced() && ks[j].cores_priced())
                    || step_cores(ks, values, i) < step_cores(ks, values, j);
                if i != j && values[j] > 0 && values[i] + 1 < ks[i].ladder.len() && cheaper_step {
                    let mut p = values.to_vec();
                    p[i] += 1;
                    p[j] -= 1;
                    plans.push(p);
                }
            }
        }
        plans.retain(|p| valid(ks, p));
        plans
    }

    /// Local descent: once the SLO is met, move to the cheapest neighbour that meets it while
    /// one is cheaper. Returns the plan and whether every neighbour was tried.
    fn descend(&mut self, mut best: Eval) -> Result<(Eval, bool), SweepError> {
        while best.met && self.has_budget() {
            let plans = self.neighbours(&best.values);
            if plans.is_empty() {
                return Ok((best, true));
            }
            let plans: Vec<Option<Vec<usize>>> = plans.into_iter().map(Some).collect();
            let cheaper = self
                .evaluate(&plans)?
                .into_iter()
                .flatten()
                .filter(|e| e.met && e.objective < best.objective - 1e-9)
                .min_by(|a, b| {
                    a.objective
                        .partial_cmp(&b.objective)
                        .unwrap_or(Ordering::Equal)
                        .then(a.margin.partial_cmp(&b.margin).unwrap_or(Ordering::Equal))
                });
            match cheaper {
                Some(e) => best = e,
                None => return Ok((best, true)),
            }
        }
        Ok((best, false))
    }

    /// Sizes the variant: the plan as written and the analytic start, then the ascent and the
    /// descent; `None` when cancelled before the start was evaluated. Warnings are appended to
    /// `warnings`; `current_cores` are the cores provisioned as written.
    pub(super) fn size(
        &mut self,
        current_cores: f64,
        warnings: &mut Vec<String>,
    ) -> Result<Option<RightsizeVariant>, SweepError> {
        let ks = self.ks;
        let name = self.name.clone();
        let start: Vec<usize> = ks.iter().map(|k| k.start).collect();
        let first = self.evaluate(&[None, Some(start)])?;
        let current_eval = first[0].clone();
        let Some(best) = first[1].clone() else {
            warnings.push(format!("variant `{name}`: cancelled"));
            return Ok(None);
        };
        let best = self.ascend(best)?;
        let (best, converged) = self.descend(best)?;
        if best.met && !converged && !self.cancelled() {
            warnings.push(format!(
                "variant `{name}`: the descent stopped at {} evaluations (--max-evaluations) before every neighbour was tried; a cheaper plan may exist",
                self.evaluations
            ));
        }
        if !best.met {
            warnings.push(format!(
                "variant `{name}`: no plan met the SLO within {} evaluations and knob values up to {}; the last plan tried is reported",
                self.opts.max_evaluations, self.opts.max_value
            ));
        }
        Ok(Some(RightsizeVariant {
            name,
            met: best.met,
            status: if best.met {
                RightsizeStatus::Met
            } else {
                RightsizeStatus::NotMet
            },
            reason: None,
            plan: ks
                .iter()
                .zip(&best.values)
                .map(|(k, &i)| Setting {
                    node: k.node.clone(),
                    knob: k.kind,
                    path: k.path.clone(),
                    current: k.current,
                    analytic: k.ladder[k.start],
                    value: k.ladder[i],
                })
                .collect(),
            cost_per_month_usd: best.cost,
            current_cost_per_month_usd: current_eval.as_ref().and_then(|e| e.cost),
            cores: best.cores,
            current_cores,
            outcome: Some(best.outcome),
            evaluations: self.evaluations,
        }))
    }
}
