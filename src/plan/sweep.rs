//! Parameter sweeps: one or two scenario parameters over a grid, every (point, variant,
//! replication) simulated in parallel, curves of latency, throughput, errors and cost against
//! the swept values, and the knee of each latency curve.
//!
//! Each point is the scenario text with the swept values set (see
//! [`crate::scenario::params`]) and parsed again; the points run through [`crate::runner::run`] on one
//! shared thread pool, so every (point, replication) pair is a task of the same pool and the
//! results, collected in point order, do not depend on the thread count.
//!
//! ```
//! use archsim::plan::sweep::Axis;
//! let a = Axis::parse("workload.entries.req.arrival.rate=0.2..0.8:0.2").unwrap();
//! assert_eq!(a.values.iter().map(|v| v.base()).collect::<Vec<_>>(), [0.2, 0.4, 0.6, 0.8]);
//! let b = Axis::parse("modules.station.ops.work.cpu=1ms,2ms,5ms").unwrap();
//! assert_eq!(b.values[2].base(), 0.005);
//! ```

use crate::results::{Comparison, Results, SelfCheck, VariantResult, SCHEMA_VERSION};
use crate::runner::{Progress, RunError, RunOptions};
use crate::scenario::params::{self, fmt_num, ParamError, ParamValue, QuantityKind};
use crate::scenario::{Scenario, ScenarioError};
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use thiserror::Error;

/// Most points a sweep may have (all axes together).
pub const MAX_POINTS: usize = 10_000;

/// Why a sweep (or a capacity search, a right-sizing) could not run.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum SweepError {
    /// An option is malformed: a `--set` specification, or a value of the search (its
    /// precision, rate, entry or SLO).
    #[error("{spec}: {message}")]
    Axis {
        /// The option as given (`--set `PATH=VALUES``, `--rate 0`, …).
        spec: String,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A parameter path does not exist or is not numeric.
    #[error(transparent)]
    Param(#[from] ParamError),
    /// The scenario with the swept values set is invalid (e.g. a fractional replica count).
    #[error("with {values}:\n{source}")]
    Scenario {
        /// The values set, `PATH=VALUE` separated by commas.
        values: String,
        /// The diagnostics (file, line and column of the scenario file).
        source: ScenarioError,
    },
    /// A run failed.
    #[error(transparent)]
    Run(#[from] RunError),
    /// One point of the sweep or search (a swept value, a rate tried, a plan) was refused by
    /// the work guard, ran away, or drew invalid values.
    #[error("{point}: {source}")]
    Point {
        /// The point: its values, rate or plan.
        point: String,
        /// What happened.
        source: RunError,
    },
}

impl SweepError {
    /// `e`, the failure of the run of `point`: named by the point when the point itself is at
    /// fault (too much work, a runaway, invalid drawn values).
    pub fn at(point: impl FnOnce() -> String, e: RunError) -> SweepError {
        match e {
            RunError::TooMuchWork { .. } | RunError::Runaway { .. } | RunError::Draw(_) => {
                SweepError::Point {
                    point: point(),
                    source: e,
                }
            }
            e => SweepError::Run(e),
        }
    }
}

/// One swept parameter: a path and its values, in the order simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The parameter path.
    pub path: String,
    /// The values.
    pub values: Vec<ParamValue>,
}

impl Axis {
    /// Parses `PATH=A..B:STEP` (A, A+STEP, … up to B inclusive) or `PATH=a,b,c`. Values are
    /// numbers, durations (`2ms..10ms:2ms`) or sizes (`512MB,1GB`); a range's three parts are
    /// of one kind.
    ///
    /// # Errors
    /// [`SweepError::Axis`] saying what is expected.
    pub fn parse(spec: &str) -> Result<Axis, SweepError> {
        let err = |message: String| SweepError::Axis {
            spec: format!("--set `{spec}`"),
            message,
        };
        let (path, rhs) = spec.split_once('=').ok_or_else(|| {
            err("expected PATH=A..B:STEP or PATH=a,b,c, e.g. workload.entries.browse.arrival.rate=100..2000:100".into())
        })?;
        let path = path.trim();
        if path.is_empty() {
            return Err(err("the parameter path before `=` is missing".into()));
        }
        let rhs = rhs.trim();
        let values = if let Some((a, rest)) = rhs.split_once("..") {
            let (b, step) = rest.split_once(':').ok_or_else(|| {
                err(format!(
                    "a range needs a step: `{a}..{rest}:STEP`, e.g. `100..2000:100`"
                ))
            })?;
            let a = ParamValue::parse(a).map_err(&err)?;
            let b = ParamValue::parse(b).map_err(&err)?;
            let step = ParamValue::parse(step).map_err(&err)?;
            let kind = |v: &ParamValue| match v {
                ParamValue::Number(_) => None,
                ParamValue::Quantity { kind, .. } => Some(*kind),
            };
            if kind(&a) != kind(&b) || kind(&a) != kind(&step) {
                return Err(err(
                    "the start, end and step of a range must be of one kind (all numbers, all durations or all sizes)".into(),
                ));
            }
            let (a0, b0, s0) = (a.base(), b.base(), step.base());
            if s0.is_nan() || s0 <= 0.0 {
                return Err(err("the step must be positive".into()));
            }
            if b0 < a0 {
                return Err(err(format!(
                    "the end {b} is below the start {a}; ranges go upwards"
                )));
            }
            let n = ((b0 - a0) / s0 + 1e-9).floor() as usize + 1;
            if n > MAX_POINTS {
                return Err(err(format!(
                    "{n} values; at most {MAX_POINTS} points per sweep (widen the step)"
                )));
            }
            (0..n)
                .map(|i| {
                    let x: f64 = fmt_num(a0 + i as f64 * s0)
                        .parse()
                        .unwrap_or(a0 + i as f64 * s0);
                    match kind(&a) {
                        None => ParamValue::Number(x),
                        Some(k) => quantity_like(k, x, &a),
                    }
                })
                .collect()
        } else {
            rhs.split(',')
                .map(|v| {
                    if v.trim().is_empty() {
                        Err(err("an empty value in the list".into()))
                    } else {
                        ParamValue::parse(v).map_err(&err)
                    }
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        if values.is_empty() {
            return Err(err("no values".into()));
        }
        Ok(Axis {
            path: path.to_string(),
            values,
        })
    }
}

/// A quantity of `kind` at `base`, written in the unit the range's start was written in when
/// that is a plain suffix (`ms`, `s`, `MB`, …), else in base units.
fn quantity_like(kind: QuantityKind, base: f64, start: &ParamValue) -> ParamValue {
    if let ParamValue::Quantity { text, base: b0, .. } = start {
        let unit: String = text
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
            .to_string();
        let num: f64 = text
            .trim()
            .trim_end_matches(unit.as_str())
            .parse()
            .unwrap_or(0.0);
        if num > 0.0 && *b0 > 0.0 {
            let factor = b0 / num;
            let t = format!("{}{unit}", fmt_num(base / factor));
            if let Ok(v) = ParamValue::parse(&t) {
                if (v.base() - base).abs() <= 1e-9 * base.abs().max(1.0) {
                    return v;
                }
            }
        }
    }
    ParamValue::quantity(kind, base)
}

/// One point of a sweep, ready to run.
pub struct PointSpec {
    /// The swept values, in axis order.
    pub values: Vec<(String, ParamValue)>,
    /// The scenario with those values set.
    pub scenario: Scenario,
}

impl PointSpec {
    /// `PATH=VALUE, PATH=VALUE`.
    pub fn label(&self) -> String {
        self.values
            .iter()
            .map(|(p, v)| format!("{p}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Sets `values` in the scenario `text` and parses it.
///
/// # Errors
/// A bad path ([`SweepError::Param`]) or an invalid resulting scenario
/// ([`SweepError::Scenario`], located in `file_name`).
pub fn scenario_with(
    text: &str,
    file_name: &str,
    values: &[(String, ParamValue)],
    create: bool,
) -> Result<Scenario, SweepError> {
    let mut t = text.to_string();
    for (path, v) in values {
        t = params::set(&t, path, v, create)?;
    }
    crate::scenario::parse(&t, file_name).map_err(|source| SweepError::Scenario {
        values: values
            .iter()
            .map(|(p, v)| format!("{p}={v}"))
            .collect::<Vec<_>>()
            .join(", "),
        source,
    })
}

/// The grid of `axes` (one or two): the first axis varies slowest. Every point's scenario is
/// built and validated before anything runs.
///
/// # Errors
/// As [`scenario_with`]; more than two axes or [`MAX_POINTS`] points.
pub fn points(text: &str, file_name: &str, axes: &[Axis]) -> Result<Vec<PointSpec>, SweepError> {
    if axes.is_empty() || axes.len() > 2 {
        return Err(SweepError::Axis {
            spec: format!(
                "--set `{}`",
                axes.iter()
                    .map(|a| a.path.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            message: format!(
                "a sweep has one or two --set parameters, found {}",
                axes.len()
            ),
        });
    }
    if axes.len() == 2 && axes[0].path == axes[1].path {
        return Err(SweepError::Axis {
            spec: format!("--set `{}`", axes[1].path),
            message: "the two --set parameters are the same path".into(),
        });
    }
    let n: usize = axes.iter().map(|a| a.values.len()).product();
    if n > MAX_POINTS {
        return Err(SweepError::Axis {
            spec: format!("--set `{}`", axes[0].path),
            message: format!("{n} points; at most {MAX_POINTS} per sweep"),
        });
    }
    let mut combos: Vec<Vec<(String, ParamValue)>> = vec![Vec::new()];
    for a in axes {
        combos = combos
            .into_iter()
            .flat_map(|c| {
                a.values.iter().map(move |v| {
                    let mut c = c.clone();
                    c.push((a.path.clone(), v.clone()));
                    c
                })
            })
            .collect();
    }
    combos
        .into_iter()
        .map(|values| {
            let scenario = scenario_with(text, file_name, &values, false)?;
            Ok(PointSpec { values, scenario })
        })
        .collect()
}

/// One scenario of a batch: the scenario and the variants to simulate (empty: all).
pub struct Job<'s> {
    /// The scenario.
    pub scenario: &'s Scenario,
    /// Only these variants (empty: all).
    pub variants: Vec<String>,
}

/// Runs several scenarios at once on one pool: every (scenario, variant, replication) is a
/// task; the results come back in input order. `opts.progress` counts replications over all
/// of them; `opts.variants` is ignored (each job names its own).
///
/// # Errors
/// [`RunError::Threads`] if the pool cannot start. A scenario cancelled before any of its
/// replications finished yields `Err(RunError::Cancelled)` in its slot.
pub fn run_batch(
    jobs: &[Job<'_>],
    opts: &RunOptions<'_>,
) -> Result<Vec<Result<Results, RunError>>, RunError> {
    let threads = opts
        .threads
        .unwrap_or_else(rayon::current_num_threads)
        .max(1);
    let owned;
    let pool = match opts.pool {
        Some(p) => p,
        None => {
            owned = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| RunError::Threads {
                    threads,
                    message: e.to_string(),
                })?;
            &owned
        }
    };
    let total: usize = jobs
        .iter()
        .map(|j| {
            let reps = opts.replications.unwrap_or(j.scenario.replications).max(1) as usize;
            let variants = if j.variants.is_empty() {
                j.scenario.variants.len()
            } else {
                j.variants.len()
            };
            reps * variants
        })
        .sum();
    let done = AtomicUsize::new(0);
    let tick = |_: Progress| {
        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(p) = opts.progress {
            p(Progress { done: d, total });
        }
    };
    Ok(pool.install(|| {
        jobs.par_iter()
            .map(|j| {
                let inner = RunOptions {
                    replications: opts.replications,
                    seed: opts.seed,
                    threads: None,
                    variants: j.variants.clone(),
                    cancel: opts.cancel,
                    progress: Some(&tick),
                    pool: Some(pool),
                    replication_done: None,
                    max_events: opts.max_events,
                };
                crate::runner::run(j.scenario, &inner)
            })
            .collect()
    }))
}

/// How the knee of a p99 curve is found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KneeRule {
    /// The first point whose p99 exceeds this factor times the p99 at the curve's first
    /// point (default 2).
    Factor(f64),
    /// The first point whose p99 exceeds this many seconds.
    AboveS(f64),
}

impl Default for KneeRule {
    fn default() -> Self {
        KneeRule::Factor(2.0)
    }
}

impl KneeRule {
    /// Parses `2` / `2x` (a factor) or `300ms` (an absolute p99).
    ///
    /// # Errors
    /// A message saying what is expected.
    pub fn parse(s: &str) -> Result<KneeRule, String> {
        let t = s.trim().trim_end_matches(['x', '×']);
        if let Ok(f) = t.parse::<f64>() {
            return if f > 1.0 && f.is_finite() {
                Ok(KneeRule::Factor(f))
            } else {
                Err(format!(
                    "--knee {s}: a factor must be above 1 (the p99 at the knee is this many times the p99 at the first point)"
                ))
            };
        }
        match crate::spec::units::parse_duration_ns(s) {
            Ok(ns) if ns > 0.0 => Ok(KneeRule::AboveS(ns / 1e9)),
            _ => Err(format!(
                "--knee {s}: expected a factor above 1 (`2`, `3x`) or a latency (`300ms`)"
            )),
        }
    }
}

/// The knee of one p99 curve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Knee {
    /// Variant.
    pub variant: String,
    /// Entry.
    pub entry: String,
    /// For a two-parameter sweep, the value of the second parameter that fixes the curve.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub curve: Option<f64>,
    /// Index of the knee point in `points`.
    pub point: usize,
    /// Its swept values.
    pub values: IndexMap<String, f64>,
    /// The p99 there \[s\].
    pub p99_s: f64,
    /// The threshold it rose past \[s\].
    pub threshold_s: f64,
}

/// One point of a sweep's results.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SweepPoint {
    /// Position in the grid (the first parameter varies slowest).
    pub index: usize,
    /// The swept values (numbers; durations in seconds, sizes in bytes).
    pub values: IndexMap<String, f64>,
    /// Per variant, as in the results of `run`.
    pub variants: Vec<VariantResult>,
    /// Paired differences against the first variant, as in `run`.
    pub comparisons: Vec<Comparison>,
    /// Warnings of this point's run.
    pub warnings: Vec<String>,
    /// Self-check of this point's run.
    pub self_check: SelfCheck,
}

/// The results of a sweep.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SweepResults {
    /// Layout version of the embedded run results.
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per point and variant.
    pub replications: u32,
    /// The swept paths, in `--set` order.
    pub parameters: Vec<String>,
    /// The rule the knees were found with.
    pub knee_rule: KneeRule,
    /// The points that finished, in grid order.
    pub points: Vec<SweepPoint>,
    /// The knee of every (variant, entry[, second value]) p99 curve that has one.
    pub knees: Vec<Knee>,
    /// Sweep-level warnings (cancelled points, …).
    pub warnings: Vec<String>,
    /// Present in a partial result of a sharded sweep: which shard.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shard: Option<crate::runner::shard::Shard>,
    /// Points in the whole sweep (a shard holds some of them).
    pub total_points: usize,
    /// Present only in a document merged with `archsim merge --allow-partial` from parts that
    /// did not cover every point: which points are missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<crate::results::PartialMerge>,
}

impl SweepResults {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Whether every point's self-check passed.
    pub fn self_check_ok(&self) -> bool {
        self.points.iter().all(|p| p.self_check.ok)
    }

    /// Recomputes the knees from the points (after a merge, or a change of rule).
    pub fn find_knees(&mut self) {
        self.knees = knees(&self.points, &self.parameters, self.knee_rule);
    }

    /// Drops the wall-clock figures (`engine.wall_s`, `engine.events_per_s`) so that documents
    /// of the same sweep compare byte for byte.
    pub fn strip_timings(&mut self) {
        for p in &mut self.points {
            for v in &mut p.variants {
                v.engine.wall_s = 0.0;
                v.engine.events_per_s = 0.0;
            }
        }
    }
}

fn values_map(values: &[(String, ParamValue)]) -> IndexMap<String, f64> {
    values.iter().map(|(p, v)| (p.clone(), v.base())).collect()
}

/// Options of [`sweep`].
#[derive(Default)]
pub struct SweepOptions<'a> {
    /// Run options shared by every point (replications, seed, threads, variants, cancel,
    /// progress over the whole sweep).
    pub run: RunOptions<'a>,
    /// How knees are found.
    pub knee: KneeRule,
    /// Run only this shard's points.
    pub shard: Option<crate::runner::shard::Shard>,
}

/// Runs the points (all, or the shard's) and assembles the sweep results.
///
/// # Errors
/// [`SweepError::Run`] when a point fails for another reason than cancellation; with
/// cancellation, the points that finished are returned (a warning says how many).
pub fn sweep(
    scenario_name: &str,
    parameters: &[String],
    points: &[PointSpec],
    opts: &SweepOptions<'_>,
) -> Result<SweepResults, SweepError> {
    let chosen: Vec<usize> = match opts.shard {
        Some(sh) => sh.points(points.len()),
        None => (0..points.len()).collect(),
    };
    let jobs: Vec<Job<'_>> = chosen
        .iter()
        .map(|&i| Job {
            scenario: &points[i].scenario,
            variants: opts.run.variants.clone(),
        })
        .collect();
    let outcomes = run_batch(&jobs, &opts.run)?;
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut seed = opts
        .run
        .seed
        .unwrap_or(points.first().map_or(0, |p| p.scenario.seed));
    let mut replications = opts
        .run
        .replications
        .unwrap_or(points.first().map_or(1, |p| p.scenario.replications))
        .max(1);
    for (&i, outcome) in chosen.iter().zip(outcomes) {
        match outcome {
            Ok(r) => {
                seed = r.seed;
                replications = replications.min(r.replications.max(1));
                out.push(SweepPoint {
                    index: i,
                    values: values_map(&points[i].values),
                    variants: r.variants,
                    comparisons: r.comparisons,
                    warnings: r.warnings,
                    self_check: r.self_check,
                });
            }
            Err(RunError::Cancelled) => {}
            Err(e) => {
                return Err(SweepError::at(
                    || format!("point {} ({})", i + 1, points[i].label()),
                    e,
                ))
            }
        }
    }
    if out.len() < chosen.len() {
        warnings.push(format!(
            "cancelled: {} of {} points finished and are reported",
            out.len(),
            chosen.len()
        ));
    }
    let mut r = SweepResults {
        schema_version: SCHEMA_VERSION,
        scenario: scenario_name.to_string(),
        seed,
        replications,
        parameters: parameters.to_vec(),
        knee_rule: opts.knee,
        points: out,
        knees: Vec::new(),
        warnings,
        shard: opts.shard,
        total_points: points.len(),
        partial: None,
    };
    if r.shard.is_none() {
        r.find_knees();
    }
    Ok(r)
}

/// The knees of every p99 curve: along the first parameter, for each variant, entry and (in a
/// two-parameter sweep) value of the second parameter.
pub fn knees(points: &[SweepPoint], parameters: &[String], rule: KneeRule) -> Vec<Knee> {
    let mut out = Vec::new();
    // Curves: points grouped by the value of the second parameter, in grid order.
    let mut curves: Vec<(Option<f64>, Vec<&SweepPoint>)> = Vec::new();
    for p in points {
        let key = parameters.get(1).and_then(|k| p.values.get(k).copied());
        match curves.iter_mut().find(|(k, _)| *k == key) {
            Some((_, c)) => c.push(p),
            None => curves.push((key, vec![p])),
        }
    }
    for (key, curve) in &curves {
        let Some(first) = curve.first() else { continue };
        for (vi, v) in first.variants.iter().enumerate() {
            for (entry, e0) in &v.entries {
                let threshold = match rule {
                    KneeRule::Factor(f) => f * e0.latency_s.p99.mean,
                    KneeRule::AboveS(s) => s,
                };
                if threshold.is_nan() || threshold <= 0.0 {
                    continue;
                }
                let hit = curve.iter().find(|p| {
                    p.variants
                        .get(vi)
                        .and_then(|v| v.entries.get(entry))
                        .is_some_and(|e| e.latency_s.p99.mean > threshold)
                });
                if let Some(p) = hit {
                    out.push(Knee {
                        variant: v.name.clone(),
                        entry: entry.clone(),
                        curve: *key,
                        point: p.index,
                        values: p.values.clone(),
                        p99_s: p.variants[vi].entries[entry].latency_s.p99.mean,
                        threshold_s: threshold,
                    });
                }
            }
        }
    }
    out
}
