//! Capacity search: per variant, the highest arrival rate at which an SLO is still met with 95%
//! confidence.
//!
//! The rate is scaled on every entry together (each entry keeps its share of the scenario's
//! total), or on one entry only (`entry`). Each evaluation simulates the variant at a rate with
//! the run's replications (common random numbers: the same seed at every rate) and checks the
//! SLO with [`crate::spec::slo::Slo::evaluate`]; only `met` (every clause satisfied at the far end of
//! its 95% interval) counts as meeting it, `uncertain` counts as not.
//!
//! **Bracketing**: from the scenario's rate, double while the SLO is met, or halve while it is
//! not, until the rate is bracketed (at most [`MAX_DOUBLINGS`] times each way).
//! **Bisection**: then evaluate the middle of the bracket and keep the half where the boundary
//! lies. **Stopping rule**: when the bracket's width is at most `precision` × its low end
//! (default 1%), or after `max_evaluations` evaluations of a variant (a warning says so). The
//! reported `max_rate` is the low end of the final bracket: a rate at which the SLO was met;
//! the true boundary lies in `bracket`. Variants are searched side by side: each round runs
//! the next rate of every variant still searching, every (variant, replication) in parallel.

use super::reach;
use super::sweep::{run_batch, scenario_with, Job, SweepError};
use super::zero_load::{self, judge, Probe};
use crate::results::slo::{SloOutcome, Verdict};
use crate::results::VariantResult;
use crate::runner::{RunError, RunOptions};
use crate::scenario::params::{fmt_num, ParamValue};
use crate::spec::slo::Slo;
use crate::spec::units::fmt_secs;
use serde::{Deserialize, Serialize};

/// Doublings (or halvings) of the rate while bracketing, at most.
pub const MAX_DOUBLINGS: u32 = 20;

/// Told about every finished evaluation: variant, rate, verdict.
pub type StepHook<'a> = dyn Fn(&str, f64, Verdict) + Sync + 'a;

/// Options of [`capacity`].
pub struct CapacityOptions<'a> {
    /// Replications, seed, threads, variants, cancel; `progress` counts the replications of
    /// the current round.
    pub run: RunOptions<'a>,
    /// Scale only this entry's rate (default: every entry together).
    pub entry: Option<String>,
    /// Stop when the bracket is at most this fraction of its low end wide.
    pub precision: f64,
    /// Evaluations per variant, at most.
    pub max_evaluations: u32,
    /// Told about every finished evaluation (variant, rate, verdict).
    pub on_step: Option<&'a StepHook<'a>>,
}

impl Default for CapacityOptions<'_> {
    fn default() -> Self {
        CapacityOptions {
            run: RunOptions::default(),
            entry: None,
            precision: 0.01,
            max_evaluations: 40,
            on_step: None,
        }
    }
}

/// One evaluation of the search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Evaluation {
    /// The rate simulated \[1/s\].
    pub rate: f64,
    /// The SLO's verdict there.
    pub verdict: Verdict,
}

/// How a variant's search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The boundary is bracketed within the precision.
    Found,
    /// The SLO is not met even at the lowest rate tried (`bracket[1]`); `max_rate` is 0.
    NotMet,
    /// The SLO is still met at the highest rate tried (`max_rate`); the boundary is above.
    MetAtMaximum,
    /// Stopped by the evaluation cap or Ctrl-C before the precision was reached.
    Stopped,
    /// Not met at any rate (`reason` says why): a latency bound at or below the fastest
    /// possible request (nothing simulated), or a clause violated beyond doubt at the
    /// vanishing-load rate, where latency is at its zero-load floor; `max_rate` is 0.
    NotMetAtAnyRate,
    /// The SLO cannot detect overload on this variant (`reason` says why): none of its
    /// clauses gets worse as the rate rises, so it would be met at every rate. Nothing is
    /// simulated; `max_rate` is 0 and `bracket` is `[0, null]`.
    OverloadUndetectable,
}

impl Status {
    /// `found`, `not_met`, `met_at_maximum`, `stopped`, `not_met_at_any_rate`,
    /// `overload_undetectable` (as in the JSON).
    pub fn name(self) -> &'static str {
        match self {
            Status::Found => "found",
            Status::NotMet => "not_met",
            Status::MetAtMaximum => "met_at_maximum",
            Status::Stopped => "stopped",
            Status::NotMetAtAnyRate => "not_met_at_any_rate",
            Status::OverloadUndetectable => "overload_undetectable",
        }
    }
}

/// The capacity of one variant.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CapacityVariant {
    /// Variant.
    pub name: String,
    /// Highest rate at which the SLO was met with 95% confidence \[1/s\] (0 if none).
    pub max_rate: f64,
    /// The boundary lies in `[low, high]`: met at `low`, not met at `high` (`high` is
    /// infinite for `met_at_maximum`, which JSON writes as `null`).
    pub bracket: [f64; 2],
    /// The SLO, as parsed.
    pub slo: String,
    /// `max_rate` over the scenario's rate (how much more traffic fits).
    pub factor: f64,
    /// Cost per month at `max_rate` \[USD\], when the results carry a cost.
    pub cost_per_month_usd: Option<f64>,
    /// How the search ended.
    pub status: Status,
    /// Why, for `not_met`, `not_met_at_any_rate` and `overload_undetectable` (a sentence).
    #[serde(default)]
    pub reason: Option<String>,
    /// The SLO checked at `max_rate` (every clause, every entry).
    pub outcome: Option<SloOutcome>,
    /// Every evaluation, in order.
    pub evaluations: Vec<Evaluation>,
}

/// The results of a capacity search.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CapacityResults {
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per evaluation.
    pub replications: u32,
    /// Whether the verdicts use 95% intervals (two replications or more). With one
    /// replication there is no interval: each clause is checked on its single value.
    #[serde(default = "yes")]
    pub intervals: bool,
    /// The SLO.
    pub slo: String,
    /// The entry whose rate is searched (`None`: every entry scaled together).
    pub entry: Option<String>,
    /// The scenario's rate of what is scaled \[1/s\].
    pub base_rate: f64,
    /// The stopping precision (bracket width / low end).
    pub precision: f64,
    /// Per variant.
    pub variants: Vec<CapacityVariant>,
    /// Warnings (evaluation cap reached, cancelled, …).
    pub warnings: Vec<String>,
}

impl CapacityResults {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

fn yes() -> bool {
    true
}

/// The cost per month of a variant's results (mean over replications; see `docs/cost.md`).
/// `None` when the run billed nothing at all (no priced node).
pub fn cost_per_month(v: &VariantResult) -> Option<f64> {
    let c = v.cost.per_month_usd.mean;
    (c > 0.0 || !v.cost.by_resource.is_empty()).then_some(c)
}

struct Search {
    name: String,
    lo: Option<f64>,
    hi: Option<f64>,
    next: f64,
    doublings: u32,
    evaluations: Vec<Evaluation>,
    at_lo: Option<(SloOutcome, Option<f64>)>,
    status: Option<Status>,
    reason: Option<String>,
    /// The vanishing-load rate, the lowest rate the search evaluates (when measurable).
    probe: Option<Probe>,
    /// Latency may fall as load rises (cold starts, caches): low load is not its best case.
    falls: bool,
    /// The scenario's rate of what is scaled.
    base: f64,
    /// Why the first evaluation, at the vanishing-load rate, did not decide.
    inconclusive: Option<String>,
}

impl Search {
    fn new(name: String, base: f64) -> Search {
        Search {
            name,
            lo: None,
            hi: None,
            next: base,
            doublings: 0,
            evaluations: Vec::new(),
            at_lo: None,
            status: None,
            reason: None,
            probe: None,
            falls: false,
            base,
            inconclusive: None,
        }
    }

    /// Ends the search before anything is simulated.
    fn decided(name: String, base: f64, status: Status, reason: String) -> Search {
        Search {
            status: Some(status),
            reason: Some(reason),
            ..Search::new(name, base)
        }
    }

    /// Records the evaluation of the rate tried (`self.next`), whose results are `v`, and
    /// chooses the next rate or ends the search; warns in `warnings` when the evaluation cap
    /// stops it.
    fn record(
        &mut self,
        slo: &Slo,
        v: &VariantResult,
        ctx: (&CapacityOptions<'_>, u32),
        warnings: &mut Vec<String>,
    ) {
        let (opts, replications) = ctx;
        let rate = self.next;
        let out = judge(slo, v, replications);
        let verdict = out.verdict;
        if let Some(f) = opts.on_step {
            f(&self.name, rate, verdict);
        }
        self.evaluations.push(Evaluation { rate, verdict });
        let blank = zero_load::unmeasurable(slo, v, rate);
        if verdict == Verdict::Met && blank.is_none() {
            self.lo = Some(rate);
            self.at_lo = Some((out.clone(), cost_per_month(v)));
        } else {
            self.hi = Some(rate);
        }
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => {
                if hi - lo <= opts.precision * lo {
                    self.status = Some(Status::Found);
                } else {
                    self.next = 0.5 * (lo + hi);
                }
            }
            (Some(lo), None) => {
                if self.doublings >= MAX_DOUBLINGS {
                    self.status = Some(Status::MetAtMaximum);
                } else {
                    self.doublings += 1;
                    self.next = lo * 2.0;
                }
            }
            (None, Some(hi)) => self.lower(slo, hi, &out, blank, replications),
            (None, None) => {}
        }
        if self.status.is_none() && self.evaluations.len() as u32 >= opts.max_evaluations {
            self.status = Some(Status::Stopped);
            warnings.push(format!(
                "variant `{}`: stopped after {} evaluations before the bracket was within {}%",
                self.name,
                self.evaluations.len(),
                opts.precision * 100.0
            ));
        }
    }

    /// Not met yet at any rate tried, the lowest being `hi` (judged `out`): halve the rate,
    /// down to the vanishing-load rate, or end the search.
    fn lower(
        &mut self,
        slo: &Slo,
        hi: f64,
        out: &SloOutcome,
        blank: Option<String>,
        replications: u32,
    ) {
        if let Some(why) = blank {
            self.status = Some(Status::NotMet);
            self.reason = Some(why);
            return;
        }
        if let Some(p) = &self.probe {
            if hi <= p.rate * (1.0 + 1e-9) {
                let at = format!(
                    "at {}/s, where the analytic estimate puts every station at most {:.1}% busy \
                     (latency near its zero-load floor)",
                    fmt_num(hi),
                    100.0 * p.utilization
                );
                let one = if replications <= 1 {
                    " (one replication: no interval)"
                } else {
                    ""
                };
                if self.falls {
                    self.status = Some(Status::NotMet);
                    self.reason = Some(format!(
                        "not met {at}{one}; latency can fall as load rises on this path (cold \
                         starts, caches), so higher rates were not ruled out"
                    ));
                } else if zero_load::violated_beyond_doubt(slo, out, p.utilization) {
                    let estimate = p.flagged.as_ref().map_or_else(String::new, |(c, e, l)| {
                        format!(
                            "; the estimate's mean latency of entry `{e}` there, {}, already \
                             exceeds `{c}`",
                            fmt_secs(*l)
                        )
                    });
                    self.status = Some(Status::NotMetAtAnyRate);
                    self.reason =
                        Some(format!("not met at any rate: violated {at}{one}{estimate}"));
                } else {
                    let why = format!(
                        "not met {at}, but not beyond doubt: more replications would decide"
                    );
                    if self.evaluations.len() == 1 && self.base > hi {
                        // The first evaluation (at the vanishing-load rate) was not conclusive:
                        // search from the scenario's rate as usual, down to this one.
                        self.hi = None;
                        self.next = self.base;
                        self.inconclusive = Some(why);
                    } else {
                        self.status = Some(Status::NotMet);
                        self.reason = Some(why);
                    }
                }
                return;
            }
        }
        if self.doublings >= MAX_DOUBLINGS {
            self.status = Some(Status::NotMet);
            return;
        }
        self.doublings += 1;
        self.next = match &self.probe {
            Some(p) if hi * 0.5 <= p.rate && self.inconclusive.is_some() => {
                // Already evaluated there.
                self.status = Some(Status::NotMet);
                self.reason = self.inconclusive.take();
                hi
            }
            Some(p) => (hi * 0.5).max(p.rate),
            None => hi * 0.5,
        };
    }

    /// The capacity found, `base` being the scenario's rate of what is scaled.
    fn into_variant(self, slo: &Slo, base: f64) -> CapacityVariant {
        let lo = self.lo.unwrap_or(0.0);
        let hi = self.hi.unwrap_or(f64::INFINITY);
        let (outcome, cost) = match self.at_lo {
            Some((o, c)) => (Some(o), c),
            None => (None, None),
        };
        CapacityVariant {
            name: self.name,
            max_rate: lo,
            bracket: [lo, hi],
            slo: slo.to_string(),
            factor: if base > 0.0 { lo / base } else { 0.0 },
            cost_per_month_usd: cost,
            status: self.status.unwrap_or(Status::Stopped),
            reason: self.reason,
            outcome,
            evaluations: self.evaluations,
        }
    }
}

/// The values to set for a total rate `rate` of what is scaled.
pub(crate) fn rate_values(
    entries: &[(String, f64)],
    entry: Option<&str>,
    base: f64,
    rate: f64,
) -> Vec<(String, ParamValue)> {
    entries
        .iter()
        .filter(|(n, _)| entry.map_or(true, |e| e == n))
        .map(|(n, r)| {
            (
                format!("workload.entries.{n}.arrival.rate"),
                ParamValue::Number(r * rate / base),
            )
        })
        .collect()
}

/// Parses the scenario a search starts from and checks that the SLO's entries and the searched
/// entry (`--entry`) exist (shared by [`capacity`] and [`super::rightsize::rightsize`]).
pub(crate) fn parse_for_search(
    text: &str,
    file_name: &str,
    slo: &Slo,
    entry: Option<&str>,
) -> Result<crate::scenario::Scenario, SweepError> {
    let s = crate::scenario::parse(text, file_name).map_err(|source| SweepError::Scenario {
        values: "the scenario as written".into(),
        source,
    })?;
    let names: Vec<&str> = s.workload.entries.iter().map(|e| e.name.as_str()).collect();
    slo.check_entries(names.iter().copied())
        .map_err(|e| SweepError::Axis {
            spec: e.text.clone(),
            message: e.message.clone(),
        })?;
    if let Some(e) = entry {
        if !names.contains(&e) {
            return Err(SweepError::Axis {
                spec: format!("--entry {e}"),
                message: format!(
                    "no entry named `{e}`; {}",
                    crate::spec::units::suggest(e, names.iter().copied(), "the entries are")
                ),
            });
        }
    }
    Ok(s)
}

/// The search of one variant (`m`, index `v` in the scenario) before anything is simulated:
/// decided already when the SLO cannot detect overload or asks for less than the fastest
/// possible request; otherwise starting at the scenario's rate, or at the vanishing-load rate
/// when the estimate says a latency bound is not met even at zero load.
fn start_search(
    (text, file_name): (&str, &str),
    slo: &Slo,
    (m, v): (&crate::model::Model, usize),
    (entries, entry, base): (&[(String, f64)], Option<&str>, f64),
    measured_s: f64,
) -> Result<Search, SweepError> {
    let name = m.variant.clone();
    if let Some(why) = reach::overload_blind(&m.topo, slo, entry) {
        return Ok(Search::decided(
            name,
            base,
            Status::OverloadUndetectable,
            why,
        ));
    }
    if let Some(why) = reach::below_floor(&m.topo, slo) {
        return Ok(Search::decided(name, base, Status::NotMetAtAnyRate, why));
    }
    let mut sr = Search::new(name, base);
    sr.falls = reach::falls_with_load(&m.topo, slo);
    sr.probe = zero_load::probe(text, file_name, slo, entries, entry, base, v, measured_s)?;
    if let Some(p) = &sr.probe {
        if p.flagged.is_some() && p.rate < base {
            sr.next = p.rate;
        }
    }
    Ok(sr)
}

/// Searches every selected variant's highest rate meeting `slo`.
///
/// # Errors
/// An unknown entry or variant, a scenario that does not take the rates
/// ([`SweepError::Scenario`]), a run failure.
pub fn capacity(
    text: &str,
    file_name: &str,
    slo: &Slo,
    opts: &CapacityOptions<'_>,
) -> Result<CapacityResults, SweepError> {
    let s = parse_for_search(text, file_name, slo, opts.entry.as_deref())?;
    if !(opts.precision > 0.0 && opts.precision < 1.0) {
        return Err(SweepError::Axis {
            spec: format!("--precision {}", opts.precision),
            message: "the precision is a fraction of the rate between 0 and 1 (e.g. 1%)".into(),
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
    let prepared = crate::runner::prepare(&s, &opts.run)?;
    let measured_s = s.workload.duration as f64 / 1e9;
    let mut searches = Vec::with_capacity(prepared.models.len());
    for (m, &v) in prepared.models.iter().zip(&prepared.selected) {
        searches.push(start_search(
            (text, file_name),
            slo,
            (m, v),
            (&entries, opts.entry.as_deref(), base),
            measured_s,
        )?);
    }
    let mut warnings = Vec::new();
    let mut seed = opts.run.seed.unwrap_or(s.seed);
    let replications = opts.run.replications.unwrap_or(s.replications).max(1);
    let cancelled = || {
        opts.run
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst))
    };
    loop {
        let active: Vec<usize> = (0..searches.len())
            .filter(|&i| searches[i].status.is_none())
            .collect();
        if active.is_empty() {
            break;
        }
        if cancelled() {
            for &i in &active {
                searches[i].status = Some(Status::Stopped);
            }
            warnings.push("cancelled: the brackets reached so far are reported".into());
            break;
        }
        let scenarios = active
            .iter()
            .map(|&i| {
                let values = rate_values(&entries, opts.entry.as_deref(), base, searches[i].next);
                scenario_with(text, file_name, &values, false)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let jobs: Vec<Job<'_>> = active
            .iter()
            .zip(&scenarios)
            .map(|(&i, sc)| Job {
                scenario: sc,
                variants: vec![searches[i].name.clone()],
            })
            .collect();
        let outcomes = run_batch(&jobs, &opts.run)?;
        for (&i, outcome) in active.iter().zip(outcomes) {
            let r = match outcome {
                Ok(r) if r.replications == replications => r,
                Ok(_) | Err(RunError::Cancelled) => {
                    searches[i].status = Some(Status::Stopped);
                    continue;
                }
                Err(e) => {
                    return Err(SweepError::at(
                        || {
                            format!(
                                "variant `{}` at {} requests/s",
                                searches[i].name, searches[i].next
                            )
                        },
                        e,
                    ))
                }
            };
            seed = r.seed;
            let Some(v) = r.variants.first() else {
                continue;
            };
            searches[i].record(slo, v, (opts, replications), &mut warnings);
        }
    }
    let variants = searches
        .into_iter()
        .map(|sr| sr.into_variant(slo, base))
        .collect();
    Ok(CapacityResults {
        scenario: s.name.clone(),
        seed,
        replications,
        intervals: replications > 1,
        slo: slo.to_string(),
        entry: opts.entry.clone(),
        base_rate: base,
        precision: opts.precision,
        variants,
        warnings,
    })
}
