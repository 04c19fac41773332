//! Running a scenario: the request, its validation ([`prepare`]) and the run itself
//! ([`execute`]), with progress, per-replication values and, with a precision target, the
//! precision reached after every replication, reported as [`RunEvent`]s.

use std::sync::Mutex;
use std::time::Instant;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::results::Results;
use crate::runner::partial::ReplicationDone;
use crate::runner::precision;
use crate::runner::precision::Tracker;
use crate::runner::shard::{RunPartial, Shard};
use crate::runner::{self, Progress, RunOptions};
use crate::scenario::{self, Scenario};
use crate::spec::slo::Slo;

use super::check;
use super::error::{AppError, AppResult};
use super::events::RunEvent;
use super::guard;
use super::session::RunSlot;

/// What to run: a scenario's text and the options of `archsim run`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, JsonSchema)]
pub struct RunRequest {
    /// The scenario text (what the editor shows, saved or not).
    pub text: String,
    /// File name for diagnostics.
    pub file_name: String,
    /// Replications (default: the scenario's).
    pub replications: Option<u32>,
    /// Seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Only these variants (default: all).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Precision target (`2%` or `0.02`): add replications until every headline 95% interval
    /// is within this relative half-width, as `archsim run --precision`; `replications` is the
    /// first batch (at least 5).
    #[serde(default)]
    pub precision: Option<String>,
    /// Cap on replications of a precision run (default 1000, as `run --max-replications`).
    #[serde(default)]
    pub max_replications: Option<u32>,
    /// Refuse to start when the estimated number of events exceeds this (default 2·10⁹, as
    /// `run --max-events`).
    #[serde(default)]
    pub max_events: Option<f64>,
    /// Report the fraction of replications meeting this SLO too (`run --slo`).
    #[serde(default)]
    pub slo: Option<String>,
    /// The run is one shard of a sharded run (the CLI's `--shard`), which cannot have a
    /// precision target.
    #[serde(skip)]
    pub sharded: bool,
}

/// A finished run.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RunOutcome {
    /// The combined results of the replications that finished.
    pub results: Results,
    /// The run was cancelled: `results` hold fewer replications than asked for.
    pub cancelled: bool,
}

/// A validated [`RunRequest`]: the scenario, the variants and the replication counts.
#[derive(Debug, Clone)]
pub struct RunPlan {
    /// The scenario (with the request's SLO added).
    pub scenario: Scenario,
    /// The scenario's indices of the variants simulated, in order.
    pub variants: Vec<usize>,
    /// Their names.
    pub variant_names: Vec<String>,
    /// Replications per variant (the first batch of a precision run).
    pub replications: u32,
    /// Precision target, if any.
    pub precision: Option<f64>,
    /// Cap on replications of a precision run.
    pub max_replications: u32,
    request: RunRequest,
}

impl RunPlan {
    /// (Variant, replication) tasks the progress counts: every replication, or with a
    /// precision target every replication up to the cap.
    pub fn total(&self) -> usize {
        let per_variant = match self.precision {
            Some(_) => self.max_replications,
            None => self.replications,
        };
        per_variant as usize * self.variants.len().max(1)
    }

    /// The scenario's warnings (overload, no warm-up, …), to show before the run.
    pub fn warnings(&self) -> Vec<String> {
        crate::estimate::warnings(&self.scenario)
    }

    fn options<'a>(
        &self,
        slot: &'a RunSlot,
        progress: Option<&'a (dyn Fn(Progress) + Sync)>,
        replication: Option<&'a (dyn Fn(&ReplicationDone) + Sync)>,
    ) -> RunOptions<'a> {
        RunOptions {
            replications: self.request.replications,
            seed: self.request.seed,
            threads: self.request.threads,
            variants: self.request.variants.clone(),
            cancel: Some(slot.cancel_flag()),
            progress,
            pool: None,
            replication_done: replication,
            // The work guard ran before the run ([`guard::check_run`]).
            max_events: None,
        }
    }
}

/// Validates `req`: the scenario, the SLO, the counts, the precision target, the variants,
/// then the work guard (in that order, the first problem is reported).
///
/// # Errors
/// [`AppError::Scenario`] for an invalid scenario, [`AppError::InvalidParameter`] for a bad
/// option or an unknown variant, [`AppError::TooMuchWork`] above the limit.
pub fn prepare(req: &RunRequest) -> AppResult<RunPlan> {
    let mut s = scenario::parse(&req.text, &req.file_name)?;
    if let Some(text) = &req.slo {
        let slo = Slo::parse(text)
            .and_then(|slo| {
                slo.check_entries(s.workload.entries.iter().map(|e| e.name.as_str()))
                    .map(|()| slo)
            })
            .map_err(|e| AppError::invalid(format!("--slo: {e}")))?;
        s.slos.push(slo);
    }
    check::replications(req.replications)?;
    let max_events = guard::check_limit(req.max_events.unwrap_or(guard::DEFAULT_MAX_EVENTS))?;
    check::threads(req.threads)?;
    let precision = req.precision.as_deref().map(check::precision).transpose()?;
    let max_replications = req
        .max_replications
        .unwrap_or(precision::DEFAULT_MAX_REPLICATIONS);
    if precision.is_some() && max_replications == 0 {
        return Err(AppError::invalid("--max-replications must be at least 1"));
    }
    if precision.is_some() && req.sharded {
        return Err(AppError::invalid(
            "--precision decides the replication count as it goes and cannot be sharded; give --replications N to --shard runs",
        ));
    }
    let variants = check::select_variants(&s, &req.variants)?;
    let replications = req.replications.unwrap_or(s.replications).max(1);
    guard::check_run(&req.file_name, &s, &variants, replications, max_events)?;
    Ok(RunPlan {
        variant_names: check::variant_names(&s, &variants),
        scenario: s,
        variants,
        replications,
        precision,
        max_replications,
        request: req.clone(),
    })
}

/// Runs a prepared plan in `slot` (one request at a time), reporting to `emit` from the
/// calling and worker threads: `started`, then per replication `replication` and `progress`
/// (with a precision target, `progress` over every batch and `precision` after it). Returns
/// the combined results; a cancelled run returns the replications that finished.
///
/// # Errors
/// [`AppError::Busy`] while another request runs; [`AppError::Run`] when the run fails or is
/// cancelled before any replication finished.
pub fn execute(
    plan: &RunPlan,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<RunOutcome> {
    let _claim = slot.claim()?;
    let total = plan.total();
    emit(RunEvent::Started {
        total,
        variants: plan.variant_names.clone(),
    });
    let start = Instant::now();
    let progress = |p: Progress| {
        emit(RunEvent::Progress {
            done: p.done,
            total: p.total,
            elapsed_s: start.elapsed().as_secs_f64(),
        })
    };
    // A precision run counts its replications over every batch (the library's progress counts
    // within a batch) and reports the precision reached after each one.
    let tracker = plan.precision.map(|target| {
        (
            target,
            Mutex::new(Tracker::new(target, &plan.variant_names)),
        )
    });
    let replication = |r: &ReplicationDone| {
        let Some((target, tracker)) = &tracker else {
            emit(RunEvent::Replication { data: r.clone() });
            return;
        };
        // The events are sent while the tracker is held, so replications finishing on other
        // threads cannot overtake them: each replication's `replication`, `progress` and
        // `precision` come together, and the last precision event covers them all.
        let mut t = tracker.lock().unwrap_or_else(|e| e.into_inner());
        emit(RunEvent::Replication { data: r.clone() });
        t.add(r);
        emit(RunEvent::Progress {
            done: t.done(),
            total,
            elapsed_s: start.elapsed().as_secs_f64(),
        });
        emit(RunEvent::Precision {
            replications: t.replications(),
            max_replications: plan.max_replications,
            target: *target,
            relative_half_width: t.worst(),
        });
    };
    let per_batch: Option<&(dyn Fn(Progress) + Sync)> = match plan.precision {
        Some(_) => None,
        None => Some(&progress),
    };
    let opts = plan.options(slot, per_batch, Some(&replication));
    let results = match plan.precision {
        Some(p) => precision::run_to_precision(&plan.scenario, &opts, p, plan.max_replications)?,
        None => runner::run(&plan.scenario, &opts)?,
    };
    let stopped_early = match &results.precision {
        Some(p) => !p.met && results.replications < p.max_replications,
        None => results.replications < plan.replications,
    };
    Ok(RunOutcome {
        cancelled: slot.cancel_requested() && stopped_early,
        results,
    })
}

/// Validates and runs `req` ([`prepare`] then [`execute`]).
///
/// # Errors
/// As [`prepare`] and [`execute`].
pub fn run(
    req: &RunRequest,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<RunOutcome> {
    execute(&prepare(req)?, slot, emit)
}

/// Parses a shard specification (`K/N`, or `auto/N` reading the index from the environment
/// variables `runner::shard::INDEX_VARIABLES`).
///
/// # Errors
/// [`AppError::Shard`] saying what is expected.
pub fn parse_shard(spec: &str) -> AppResult<Shard> {
    Ok(Shard::parse(spec, |v| std::env::var(v).ok())?)
}

/// Runs one shard of a prepared plan: the partial result to merge with the others, and the
/// text of its part file (`crate::plan::part`).
///
/// # Errors
/// As [`execute`]; [`AppError::Shard`] when the split has more shards than replications.
pub fn execute_shard(
    plan: &RunPlan,
    shard: Shard,
    slot: &RunSlot,
    emit: &(dyn Fn(RunEvent) + Sync),
) -> AppResult<(RunPartial, String)> {
    shard.check_units(plan.replications as usize, "replications")?;
    let _claim = slot.claim()?;
    let start = Instant::now();
    let progress = |p: Progress| {
        emit(RunEvent::Progress {
            done: p.done,
            total: p.total,
            elapsed_s: start.elapsed().as_secs_f64(),
        })
    };
    let opts = plan.options(slot, Some(&progress), None);
    let r = &plan.request;
    let part = runner::shard::run_shard(
        &r.text,
        &r.file_name,
        r.slo.as_deref(),
        &plan.scenario,
        &opts,
        shard,
    )?;
    let text = crate::plan::part::seal_run(&part, shard, &plan.scenario.name)
        .map_err(|e| AppError::invalid(format!("cannot write the part: {e}")))?;
    Ok((part, text))
}

#[cfg(test)]
mod tests;
