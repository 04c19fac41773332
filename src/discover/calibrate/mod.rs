//! Calibration: `archsim calibrate` runs a model at the load its traces show, compares it with
//! them per entry and per parameter, and adjusts the uncertain parameters — operations' CPU
//! demands, database operations' times, the network latency — so that the simulated means
//! match the observed ones (docs/discover.md, "Calibration").
//!
//! The method, deterministic for a given seed:
//!
//! 1. The entries' arrivals are set to Poisson at the traces' rates (root spans of each entry
//!    over the traces' window, as discovery computes them) and the model is simulated (round 0,
//!    "before").
//! 2. Each parameter's simulated mean is its demand's mean times the processor-sharing
//!    slowdown `f = 1/(1 − U)` of the unit or database it runs on (`U` that node's simulated
//!    utilization; exact for one core, M/G/1-PS), plus, for a database call, the two network
//!    hops. Each parameter is set to the value that makes it equal the observed mean at the
//!    current slowdown: CPU demand `D ← Ō/f`, query time `T ← (Ō − 2·L̄)/f` (at least 1% of
//!    Ō), network one-way latency `L ← Ō` (a factor per round within [0.1, 10]); every
//!    duration of a distribution is scaled by the same factor, so its shape (cv) is kept.
//! 3. The model is simulated again with the same seed (common random numbers) and the step
//!    repeats until no parameter moves by more than [`Options::tolerance`] or after
//!    [`Options::rounds`] rounds.
//! 4. The objective `J` = mean over compared items (entries, operations, database operations,
//!    network) of |simulated mean − observed mean| / observed mean; the round with the
//!    lowest `J` is kept (round 0 when nothing improves it: then nothing moves).

pub mod compare;
mod edit;
mod report;

pub use compare::{Row, Summary};
pub use report::{CalibrationReport, Change, EntryCdf, LoadReport, RoundReport};

use super::emit::{names, observed_entries};
use super::{observe_files, DiscoverError, TraceFile};
use crate::runner::{self, RunOptions};
use crate::scenario::{OpOwner, Scenario};
use compare::Item;
use std::collections::BTreeSet;

/// Options of a calibration.
#[derive(Debug, Clone)]
pub struct Options {
    /// The variant simulated (default: the first).
    pub variant: Option<String>,
    /// Seed of every round (default: the model's).
    pub seed: Option<u64>,
    /// Replications per round (default: the model's).
    pub replications: Option<u32>,
    /// Most adjustment rounds after the first simulation.
    pub rounds: u32,
    /// Stop when no parameter moves by more than this fraction in a round.
    pub tolerance: f64,
    /// Worker threads (default: all cores).
    pub threads: Option<usize>,
    /// Refuse a round whose estimated events exceed this.
    pub max_events: Option<f64>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            variant: None,
            seed: None,
            replications: None,
            rounds: 5,
            tolerance: 0.005,
            threads: None,
            max_events: None,
        }
    }
}

/// The calibrated model and the report.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The calibrated scenario's text (the model's, with the observed arrival rates, the
    /// moved parameters and comments saying by how much).
    pub toml: String,
    /// The report.
    pub report: CalibrationReport,
}

/// A parameter: the item, its TOML path, its current mean (s).
struct Param {
    item: usize,
    keys: Vec<String>,
}

fn mean_of(s: &Scenario, item: &Item) -> f64 {
    match item {
        Item::Cpu(op) | Item::Db(op) => s.ops[*op].demand.mean() * 1e-9,
        Item::Network => s.network.latency.mean() * 1e-9,
        Item::Entry(_) => 0.0,
    }
}

fn model_error(file: &str, e: impl std::fmt::Display) -> DiscoverError {
    DiscoverError::Model {
        file: file.into(),
        msg: e.to_string(),
    }
}

/// What the traces show, matched to the model.
struct Matched {
    items: Vec<(Item, String)>,
    observed: Vec<Vec<f64>>,
    params: Vec<Param>,
    load: Vec<LoadReport>,
    warnings: Vec<String>,
    spans: usize,
    traces: usize,
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn keys(p: &[&str]) -> Vec<String> {
    p.iter().map(|s| (*s).to_string()).collect()
}

/// Matches the traces' entries, operations and database operations to the model.
fn matched(s: &Scenario, file: &str, files: &[TraceFile]) -> Result<Matched, DiscoverError> {
    let (obs, rep) = observe_files(files)?;
    let n = names(&obs);
    let op_index = |name: &str, store: bool| {
        s.ops.iter().position(|o| {
            o.name == name
                && matches!(
                    (&o.owner, store),
                    (OpOwner::Module(_), false) | (OpOwner::Store(_), true)
                )
        })
    };
    let mut m = Matched {
        items: Vec::new(),
        observed: Vec::new(),
        params: Vec::new(),
        load: Vec::new(),
        warnings: rep.warnings.clone(),
        spans: rep.spans_read,
        traces: rep.traces,
    };
    let mut absent = Vec::new();
    for e in observed_entries(&obs, &n) {
        let Some(op) = op_index(&e.op, false) else {
            continue; // reported below with the operations
        };
        let Some(entry) = s.workload.entries.iter().find(|x| x.op == op) else {
            m.warnings.push(format!(
                "requests entering at `{}` ({} root spans): the model has no entry calling it; \
                 they are not simulated",
                e.op, e.requests
            ));
            continue;
        };
        m.load.push(LoadReport {
            entry: entry.name.clone(),
            op: e.op.clone(),
            requests: e.requests,
            rate_per_s: e.rate_per_s,
        });
        m.items
            .push((Item::Entry(entry.name.clone()), entry.name.clone()));
        m.observed
            .push(sorted(obs.ops[&e.key].root_durations.clone()));
    }
    for (k, o) in &obs.ops {
        let name = &n.op[k];
        match op_index(name, false) {
            Some(i) => {
                let (module, op) = name.split_once('.').unwrap_or((name, ""));
                m.params.push(Param {
                    item: m.items.len(),
                    keys: keys(&["modules", module, "ops", op, "cpu"]),
                });
                m.items.push((Item::Cpu(i), name.clone()));
                m.observed.push(sorted(o.self_times.clone()));
            }
            None => absent.push(format!(
                "operation `{name}` (service `{}`, span `{}`)",
                k.service, k.name
            )),
        }
    }
    for (k, d) in &obs.db {
        let name = &n.db_op[k];
        match op_index(name, true) {
            Some(i) => {
                let (store, op) = name.split_once('.').unwrap_or((name, ""));
                m.params.push(Param {
                    item: m.items.len(),
                    keys: keys(&["datastores", store, "ops", op, "time"]),
                });
                m.items.push((Item::Db(i), name.clone()));
                m.observed.push(sorted(d.samples.clone()));
            }
            None => absent.push(format!(
                "database operation `{name}` ({} `{}`)",
                d.system, k.1
            )),
        }
    }
    if !absent.is_empty() {
        return Err(DiscoverError::Absent {
            file: file.into(),
            what: format!("{} operation(s)", absent.len()),
            names: absent.join(", "),
        });
    }
    if !obs.net_one_way.is_empty() {
        m.params.push(Param {
            item: m.items.len(),
            keys: keys(&["network", "latency"]),
        });
        m.items.push((Item::Network, "latency".into()));
        m.observed.push(sorted(obs.net_one_way.clone()));
    }
    let seen: BTreeSet<&str> = m.items.iter().map(|(_, n)| n.as_str()).collect();
    for e in &s.workload.entries {
        if !seen.contains(e.name.as_str()) {
            m.warnings.push(format!(
                "entry `{}`: no request of it in the traces; its arrival is kept as the model says",
                e.name
            ));
        }
    }
    Ok(m)
}

/// One round: the scenario of `text` simulated and compared.
fn round(
    text: &str,
    file: &str,
    variant: &str,
    m: &Matched,
    opts: &Options,
) -> Result<(Scenario, compare::Compared), DiscoverError> {
    let s = crate::scenario::parse(text, file).map_err(|e| model_error(file, e))?;
    let vi = s
        .variants
        .iter()
        .position(|v| v.name == variant)
        .ok_or_else(|| DiscoverError::Option(format!("no variant named `{variant}`")))?;
    let seed = opts.seed.unwrap_or(s.seed);
    let ro = RunOptions {
        replications: opts.replications,
        seed: Some(seed),
        threads: opts.threads,
        variants: vec![variant.to_string()],
        max_events: opts.max_events,
        ..RunOptions::default()
    };
    let r = runner::run(&s, &ro).map_err(|e| DiscoverError::Run(e.to_string()))?;
    let vr = r
        .variants
        .first()
        .ok_or_else(|| DiscoverError::Run(format!("variant `{variant}` gave no result")))?;
    let c = compare::compare(&s, vi, vr, &m.items, &m.observed, seed);
    Ok((s, c))
}

/// Per entry compared: the observed latency CDF and the simulated ones before and after.
fn entry_cdfs(m: &Matched, before: &compare::Compared, after: &compare::Compared) -> Vec<EntryCdf> {
    let sim = |c: &compare::Compared, name: &str| {
        c.cdfs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    m.items
        .iter()
        .zip(&m.observed)
        .filter_map(|((item, name), obs)| match item {
            Item::Entry(_) => Some(EntryCdf {
                entry: name.clone(),
                observed: compare::observed_cdf(obs),
                before: sim(before, name),
                after: sim(after, name),
            }),
            _ => None,
        })
        .collect()
}

/// The factor that makes parameter `p`'s simulated mean equal its observed mean.
fn target(s: &Scenario, m: &Matched, c: &compare::Compared, p: &Param) -> f64 {
    let (item, _) = &m.items[p.item];
    let obs = c.rows[p.item].observed.mean_s;
    let f = c.slowdown[p.item];
    match item {
        Item::Cpu(_) => obs / f,
        Item::Db(_) => ((obs - 2.0 * s.network.latency.mean() * 1e-9) / f).max(0.01 * obs),
        _ => obs,
    }
}

/// Calibrates the model `text` (named `file` in messages) against the traces.
///
/// # Errors
/// [`DiscoverError`]: the model is not a valid scenario ([`DiscoverError::Model`]), a trace
/// file cannot be read or holds nothing usable, the traces show operations the model does not
/// have ([`DiscoverError::Absent`], naming them), an unknown variant, a failed simulation.
pub fn calibrate(
    text: &str,
    file: &str,
    files: &[TraceFile],
    opts: &Options,
) -> Result<Calibration, DiscoverError> {
    let s0 = crate::scenario::parse(text, file).map_err(|e| model_error(file, e))?;
    let variant = match &opts.variant {
        Some(v) if s0.variants.iter().any(|x| &x.name == v) => v.clone(),
        Some(v) => {
            let have: Vec<&str> = s0.variants.iter().map(|x| x.name.as_str()).collect();
            return Err(DiscoverError::Option(format!(
                "--variant: no variant named `{v}`; the model has: {}",
                have.join(", ")
            )));
        }
        None => s0.variants[0].name.clone(),
    };
    let m = matched(&s0, file, files)?;
    let mut doc = edit::doc(text).map_err(|e| model_error(file, e))?;
    for l in &m.load {
        edit::set_arrival(&mut doc, &l.entry, l.rate_per_s).map_err(|e| model_error(file, e))?;
    }
    let mut text_r = doc.to_string();
    let mut rounds = Vec::new();
    let mut best: Option<(usize, f64, String, Scenario, compare::Compared)> = None;
    let mut first: Option<(Scenario, compare::Compared)> = None;
    let mut saturated = BTreeSet::new();
    for r in 0..=opts.rounds {
        let (s, c) = round(&text_r, file, &variant, &m, opts)?;
        let j = compare::objective(&c.rows);
        saturated.extend(c.saturated.iter().cloned());
        let factors: Vec<f64> = m
            .params
            .iter()
            .map(|p| {
                let cur = mean_of(&s, &m.items[p.item].0);
                let want = target(&s, &m, &c, p);
                if cur > 0.0 {
                    (want / cur).clamp(0.1, 10.0)
                } else {
                    f64::NAN // set, not scaled
                }
            })
            .collect();
        let moved = factors
            .iter()
            .map(|k| if k.is_nan() { 1.0 } else { (k - 1.0).abs() })
            .fold(0.0, f64::max);
        rounds.push(RoundReport {
            round: r as usize,
            objective: j,
            largest_step: moved,
        });
        let improved = best.as_ref().map_or(true, |b| j < b.1);
        if first.is_none() {
            first = Some((s.clone(), c.clone()));
        }
        if improved {
            best = Some((r as usize, j, text_r.clone(), s.clone(), c.clone()));
        }
        if r == opts.rounds || moved <= opts.tolerance {
            break;
        }
        let mut d = edit::doc(&text_r).map_err(|e| model_error(file, e))?;
        for (p, k) in m.params.iter().zip(&factors) {
            let res = if k.is_nan() {
                edit::set_const(&mut d, &p.keys, target(&s, &m, &c, p))
            } else {
                edit::scale(&mut d, &p.keys, *k)
            };
            res.map_err(|e| model_error(file, format!("`{}`: {e}", p.keys.join("."))))?;
        }
        text_r = d.to_string();
    }
    let (Some((s_before, before)), Some((best_round, j_after, best_text, s_after, after))) =
        (first, best)
    else {
        return Err(DiscoverError::Run("no round ran".into()));
    };
    let cdfs = entry_cdfs(&m, &before, &after);
    let mut warnings = m.warnings.clone();
    for n in &saturated {
        warnings.push(format!(
            "node `{n}` is above {:.0}% utilization in the simulation at the observed load: \
             its slowdown is capped, the comparison of its operations is unreliable",
            compare::MAX_UTILIZATION * 100.0
        ));
    }
    let changes: Vec<Change> = m
        .params
        .iter()
        .map(|p| {
            let item = &m.items[p.item].0;
            let (b, a) = (mean_of(&s_before, item), mean_of(&s_after, item));
            Change {
                parameter: p.keys.join("."),
                before_mean_s: b,
                after_mean_s: a,
                factor: if b > 0.0 { a / b } else { f64::NAN },
            }
        })
        .collect();
    let mut doc = edit::doc(&best_text).map_err(|e| model_error(file, e))?;
    for (p, c) in m.params.iter().zip(&changes) {
        if c.moved() {
            edit::annotate(&mut doc, &p.keys, &c.note());
        }
    }
    let report = CalibrationReport {
        model: file.into(),
        variant,
        seed: opts.seed.unwrap_or(s0.seed),
        replications: opts.replications.unwrap_or(s0.replications).max(1),
        spans_read: m.spans,
        traces: m.traces,
        method: report::METHOD.into(),
        objective_before: rounds.first().map_or(0.0, |r| r.objective),
        objective_after: j_after,
        best_round,
        rounds,
        load: m.load.clone(),
        before: before.rows,
        after: after.rows,
        changes,
        cdfs,
        warnings,
    };
    let toml = edit::with_header(&doc.to_string(), &report.header());
    Ok(Calibration { toml, report })
}
