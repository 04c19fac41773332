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
//! Other settings stay as written.
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

use super::capacity::{cost_per_month, rate_values};
use super::sweep::{run_batch, scenario_with, Job, SweepError};
use crate::estimate::{estimate, NodeKind, VariantEstimate, SERVERLESS_FULL_CORE_MB};
use crate::results::slo::SloOutcome;
use crate::results::VariantResult;
use crate::runner::RunOptions;
use crate::scenario::params::{ParamValue, QuantityKind};
use crate::scenario::{Platform, Scenario};
use crate::spec::slo::{Metric, Slo};
use serde::{Deserialize, Serialize};

/// The memory sizes a function's `memory` knob walks \[MB, 10⁶ bytes\]: steps of 128 MB up to
/// 1,664 MB, then 1,769 MB (one full vCPU: the last size that makes an invocation faster in the
/// model), then the larger sizes AWS Lambda users commonly pick, up to its 10,240 MB maximum.
pub const MEMORY_LADDER_MB: [u32; 20] = [
    128, 256, 384, 512, 640, 768, 896, 1024, 1152, 1280, 1408, 1536, 1664, 1769, 2048, 3008, 4096,
    6144, 8192, 10240,
];

/// The instance sizes (cores per instance) the `cores` knob of a unit walks.
pub const INSTANCE_CORES_LADDER: [u32; 9] = [1, 2, 4, 8, 16, 32, 48, 64, 96];

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

/// What a knob sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnobKind {
    /// Instances of a unit.
    Replicas,
    /// Cores of a database.
    Cores,
    /// Cores per instance of a unit that is not serverless.
    InstanceCores,
    /// Configured memory of a serverless unit \[MB\].
    MemoryMb,
    /// Provisioned concurrency of a serverless unit.
    Provisioned,
    /// Reserved concurrency of a serverless unit.
    ReservedConcurrency,
}

impl KnobKind {
    /// Every kind, in the order of the `--search` names.
    pub const ALL: [KnobKind; 6] = [
        KnobKind::Replicas,
        KnobKind::InstanceCores,
        KnobKind::Cores,
        KnobKind::MemoryMb,
        KnobKind::Provisioned,
        KnobKind::ReservedConcurrency,
    ];

    /// What is searched unless told otherwise: replicas, database cores, memory, provisioned.
    pub const DEFAULT_SEARCH: [KnobKind; 4] = [
        KnobKind::Replicas,
        KnobKind::Cores,
        KnobKind::MemoryMb,
        KnobKind::Provisioned,
    ];

    /// The name in `--search`.
    pub fn search_name(self) -> &'static str {
        match self {
            KnobKind::Replicas => "replicas",
            KnobKind::InstanceCores => "cores",
            KnobKind::Cores => "db-cores",
            KnobKind::MemoryMb => "memory",
            KnobKind::Provisioned => "provisioned",
            KnobKind::ReservedConcurrency => "reserved",
        }
    }

    /// The label in the plan table.
    pub fn label(self) -> &'static str {
        match self {
            KnobKind::Replicas => "unit replicas",
            KnobKind::InstanceCores => "cores per instance",
            KnobKind::Cores => "database cores",
            KnobKind::MemoryMb => "function memory MB",
            KnobKind::Provisioned => "provisioned concurrency",
            KnobKind::ReservedConcurrency => "reserved concurrency",
        }
    }

    /// The name in `plan.csv` and the JSON.
    pub fn name(self) -> &'static str {
        match self {
            KnobKind::Replicas => "replicas",
            KnobKind::InstanceCores => "instance_cores",
            KnobKind::Cores => "cores",
            KnobKind::MemoryMb => "memory_mb",
            KnobKind::Provisioned => "provisioned",
            KnobKind::ReservedConcurrency => "reserved_concurrency",
        }
    }

    /// Parses a `--search` list: comma-separated names, or `all`.
    ///
    /// # Errors
    /// An empty list, an unknown name (with the closest valid one), a name given twice.
    pub fn parse_search(text: &str) -> Result<Vec<KnobKind>, String> {
        let names: Vec<&str> = KnobKind::ALL.iter().map(|k| k.search_name()).collect();
        if text.trim() == "all" {
            return Ok(KnobKind::ALL.to_vec());
        }
        let mut out = Vec::new();
        for part in text.split(',') {
            let p = part.trim();
            if p.is_empty() {
                return Err(format!(
                    "`{text}`: an empty name; give a comma-separated list of {} (or `all`)",
                    names.join(", ")
                ));
            }
            let Some(k) = KnobKind::ALL.iter().find(|k| k.search_name() == p) else {
                let near = names
                    .iter()
                    .map(|n| (strsim::levenshtein(n, p), *n))
                    .min()
                    .filter(|(d, _)| *d <= 3)
                    .map_or_else(String::new, |(_, n)| format!(" (did you mean `{n}`?)"));
                return Err(format!(
                    "`{p}` is not a knob{near}; the knobs are {} (or `all`)",
                    names.join(", ")
                ));
            };
            if out.contains(k) {
                return Err(format!("`{p}` is given twice"));
            }
            out.push(*k);
        }
        Ok(out)
    }
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
    /// As written in the scenario (its default when omitted; `None` for a reserved concurrency
    /// that is not written: the function shares the account's).
    pub current: Option<u32>,
    /// The analytic starting value of the search.
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

struct Knob {
    node: String,
    kind: KnobKind,
    path: String,
    current: Option<u32>,
    /// The values the knob walks, ascending.
    ladder: Vec<u32>,
    /// Index of the analytic start in `ladder`.
    start: usize,
    /// Cores one step adds when no instance size is searched (replicas: the written cores per
    /// instance; database cores: 1).
    step: f64,
}

impl Knob {
    /// Whether a step of this knob and of `other` trade cores against cores: then only the
    /// pair that adds the smaller step can be cheaper (see the descent).
    fn cores_priced(&self) -> bool {
        matches!(
            self.kind,
            KnobKind::Replicas | KnobKind::Cores | KnobKind::InstanceCores
        )
    }

    fn param(&self, i: usize) -> ParamValue {
        let x = self.ladder[i];
        match self.kind {
            KnobKind::MemoryMb => ParamValue::Quantity {
                text: format!("{x}MB"),
                base: f64::from(x) * 1e6,
                kind: QuantityKind::Size,
            },
            _ => ParamValue::Number(f64::from(x)),
        }
    }
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

/// The index of the smallest ladder value with `ok`, else the last index.
fn first_index(ladder: &[u32], ok: impl Fn(u32) -> bool) -> usize {
    ladder
        .iter()
        .position(|&x| ok(x))
        .unwrap_or(ladder.len().saturating_sub(1))
}

/// The tail fraction of the SLO's tightest latency-percentile clause (0.01 for `p99<…`), with
/// its bound \[s\]; `None` without one.
fn tail_clause(slo: &Slo) -> Option<(f64, f64)> {
    slo.clauses
        .iter()
        .filter(|c| c.op.upper_bound())
        .filter_map(|c| {
            let tail: f64 = match c.metric {
                Metric::P50 => 0.5,
                Metric::P90 => 0.1,
                Metric::P95 => 0.05,
                Metric::P99 => 0.01,
                Metric::P999 => 0.001,
                _ => return None,
            };
            Some((tail, c.threshold))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// The error ratio the SLO tolerates (its `errors<` bound or 1 − its `availability>` bound;
/// 0.1% without either).
fn error_budget(slo: &Slo) -> f64 {
    let b = slo
        .clauses
        .iter()
        .filter_map(|c| match (c.metric, c.op.upper_bound()) {
            (Metric::Errors, true) => Some(c.threshold),
            (Metric::Availability, false) => Some(1.0 - c.threshold),
            _ => None,
        })
        .fold(f64::INFINITY, f64::min);
    if b.is_finite() {
        b.clamp(0.0, 1.0)
    } else {
        0.001
    }
}

/// P(N ≥ n) for N ~ Poisson(a).
fn poisson_tail(a: f64, n: u32) -> f64 {
    let mut term = (-a).exp();
    let mut below = 0.0;
    for k in 0..n {
        below += term;
        term *= a / f64::from(k + 1);
    }
    (1.0 - below).max(0.0)
}

/// Whether every latency clause with an upper bound holds for the analytic mean latency of
/// the entries it covers (the mean is a lower bound for the latency percentiles from p90 up
/// in the usual right-skewed case, and the latency itself for `mean`).
fn latency_fits(slo: &Slo, est: &VariantEstimate) -> bool {
    slo.clauses
        .iter()
        .filter(|c| c.metric.is_latency() && c.op.upper_bound())
        .all(|c| {
            est.entries
                .iter()
                .filter(|e| c.entry.as_deref().map_or(true, |n| n == e.name))
                .all(|e| e.mean_latency_s.is_some_and(|l| l <= c.threshold))
        })
}

/// The knobs of variant `v` of `s` (the scenario at the target rate) and their analytic
/// starting points.
fn knobs(
    s: &Scenario,
    v: usize,
    text: &str,
    file_name: &str,
    slo: &Slo,
    opts: &RightsizeOptions<'_>,
) -> Vec<Knob> {
    let searched = |k: KnobKind| opts.search.contains(&k);
    let max = opts.max_value.max(1);
    let est = estimate(s, v);
    let var = &s.variants[v];
    let demand = |name: &str, kind: NodeKind| {
        est.nodes
            .iter()
            .find(|n| n.name == name && n.kind == kind)
            .map_or(0.0, |n| n.cpu_demand_s_per_s)
    };
    let counting: Vec<u32> = (1..=max).collect();
    let mut out = Vec::new();
    for u in &var.units {
        if u.platform == Platform::Serverless {
            continue;
        }
        let d = demand(&u.name, NodeKind::Unit);
        let base = format!("variants.{}.units.{}", var.name, u.name);
        let cores_ladder: Vec<u32> = INSTANCE_CORES_LADDER
            .iter()
            .copied()
            .filter(|&c| c <= max)
            .collect();
        let cores_ladder = if cores_ladder.is_empty() {
            vec![1]
        } else {
            cores_ladder
        };
        // Cores per instance: as written (rounded up to the ladder) when replicas are searched
        // too, else the smallest size keeping the written replicas stable.
        let cores_start = if searched(KnobKind::Replicas) {
            first_index(&cores_ladder, |c| f64::from(c) >= u.cores)
        } else {
            first_index(&cores_ladder, |c| d < f64::from(u.replicas) * f64::from(c))
        };
        let cores = if searched(KnobKind::InstanceCores) {
            f64::from(cores_ladder[cores_start])
        } else {
            u.cores
        };
        if searched(KnobKind::Replicas) {
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::Replicas,
                path: format!("{base}.replicas"),
                current: Some(u.replicas),
                start: first_index(&counting, |r| d < f64::from(r) * cores),
                ladder: counting.clone(),
                step: u.cores,
            });
        }
        if searched(KnobKind::InstanceCores) {
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::InstanceCores,
                path: format!("{base}.cores"),
                current: Some(u.cores.ceil() as u32),
                start: cores_start,
                ladder: cores_ladder,
                step: f64::from(u.replicas),
            });
        }
    }
    if searched(KnobKind::Cores) {
        for db in &var.databases {
            let d = demand(&db.name, NodeKind::Database);
            out.push(Knob {
                node: db.name.clone(),
                kind: KnobKind::Cores,
                path: format!("variants.{}.databases.{}.cores", var.name, db.name),
                current: Some(db.cores.ceil() as u32),
                start: first_index(&counting, |c| d < f64::from(c)),
                ladder: counting.clone(),
                step: 1.0,
            });
        }
    }
    let memory_ladder = MEMORY_LADDER_MB.to_vec();
    let full_speed = first_index(&memory_ladder, |m| f64::from(m) >= SERVERLESS_FULL_CORE_MB);
    // The most generous setting of every other knob, for the memory starts: every function at
    // full speed, every counting knob at its largest value.
    let generous: Vec<(String, ParamValue)> = out
        .iter()
        .map(|k| (k.path.clone(), k.param(k.ladder.len() - 1)))
        .chain(
            var.units
                .iter()
                .filter(|u| u.platform == Platform::Serverless)
                .filter(|_| searched(KnobKind::MemoryMb))
                .map(|u| {
                    (
                        format!("variants.{}.units.{}.memory", var.name, u.name),
                        ParamValue::Quantity {
                            text: format!("{}MB", memory_ladder[full_speed]),
                            base: f64::from(memory_ladder[full_speed]) * 1e6,
                            kind: QuantityKind::Size,
                        },
                    )
                }),
        )
        .collect();
    let estimate_with = |values: &[(String, ParamValue)]| {
        scenario_with(text, file_name, values, true)
            .ok()
            .map(|sc| estimate(&sc, v))
    };
    let has_latency_clause = slo
        .clauses
        .iter()
        .any(|c| c.metric.is_latency() && c.op.upper_bound());
    for u in var
        .units
        .iter()
        .filter(|u| u.platform == Platform::Serverless)
    {
        let base = format!("variants.{}.units.{}", var.name, u.name);
        let written_mb = u.memory.map_or(SERVERLESS_FULL_CORE_MB as u32, |b| {
            (b as f64 / 1e6).round() as u32
        });
        if searched(KnobKind::MemoryMb) {
            let path = format!("{base}.memory");
            let start = if has_latency_clause {
                // The smallest size at which, everything else at its most generous, the
                // analytic mean latency meets every latency bound; full speed if none does.
                memory_ladder[..=full_speed]
                    .iter()
                    .position(|&m| {
                        let mut values = generous.clone();
                        if let Some(x) = values.iter_mut().find(|(p, _)| *p == path) {
                            x.1 = ParamValue::Quantity {
                                text: format!("{m}MB"),
                                base: f64::from(m) * 1e6,
                                kind: QuantityKind::Size,
                            };
                        }
                        estimate_with(&values).is_some_and(|e| latency_fits(slo, &e))
                    })
                    .unwrap_or(full_speed)
            } else {
                0
            };
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::MemoryMb,
                path,
                current: Some(written_mb),
                ladder: memory_ladder.clone(),
                start,
                step: 0.0,
            });
        }
    }
    // Concurrency of every function at the start: λ × its own mean time (downstream waits not
    // counted), from the estimate with the memory starts.
    let start_values: Vec<(String, ParamValue)> = out
        .iter()
        .map(|k| (k.path.clone(), k.param(k.start)))
        .collect();
    let start_est = estimate_with(&start_values).unwrap_or_else(|| est.clone());
    for u in var
        .units
        .iter()
        .filter(|u| u.platform == Platform::Serverless)
    {
        let base = format!("variants.{}.units.{}", var.name, u.name);
        let node = start_est
            .nodes
            .iter()
            .find(|n| n.name == u.name && n.kind == NodeKind::Unit);
        let lambda = node.map_or(0.0, |n| n.arrival_rate);
        let own = node.and_then(|n| n.mean_response_s).unwrap_or(0.0);
        let a = lambda * own;
        let reserved_searched = searched(KnobKind::ReservedConcurrency);
        let mut provisioned_start = 0;
        if searched(KnobKind::Provisioned) {
            let cap = match (reserved_searched, u.function.reserved) {
                (false, Some(r)) => r.min(max),
                _ => max,
            };
            let ladder: Vec<u32> = (0..=cap).collect();
            // Provisioned instances matter when cold starts fall into the SLO's tail: an
            // arrival pays one when no instance stayed warm, roughly when no request came
            // within the keep-alive (probability e^(−λ·keep_alive)), and when one cold start is
            // enough to break the bound. Then enough instances that all are busy no more often
            // than the tail fraction: P(Poisson(λ·E[S]) ≥ n) ≤ tail.
            let cold = u.function.cold_start.mean() / 1e9;
            let keep_alive = u.function.keep_alive as f64 / 1e9;
            if let Some((tail, bound)) = tail_clause(slo) {
                let cold_often = (-lambda * keep_alive).exp() > tail;
                if lambda > 0.0 && cold_often && own + cold > bound {
                    provisioned_start = (1..=cap)
                        .find(|&n| poisson_tail(a, n) <= tail)
                        .unwrap_or(cap);
                }
            }
            // The k-th provisioned instance is busy with probability P(N ≥ k); it lowers the
            // bill when that exceeds the break-even utilization provisioned price /
            // (on-demand price − provisioned executed price) (0.6 at the AWS prices).
            let p = &s.prices;
            let saving = p.serverless_gb_second - p.serverless_provisioned_executed_gb_second;
            if saving > 0.0 && lambda > 0.0 {
                let break_even = p.serverless_provisioned_gb_second / saving;
                let paying = (1..=cap)
                    .take_while(|&k| poisson_tail(a, k) >= break_even)
                    .last()
                    .unwrap_or(0);
                provisioned_start = provisioned_start.max(paying);
            }
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::Provisioned,
                path: format!("{base}.provisioned"),
                current: Some(u.function.provisioned),
                start: provisioned_start as usize,
                ladder,
                step: 0.0,
            });
        }
        if reserved_searched {
            // Erlang B: a function limited to c concurrent invocations is an M/G/c/c loss
            // system; the smallest c whose blocking fits the error budget.
            let budget = error_budget(slo);
            let start = first_index(&counting, |c| {
                c >= provisioned_start && crate::analytic::queueing::erlang_b(c, a) <= budget
            });
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::ReservedConcurrency,
                path: format!("{base}.reserved_concurrency"),
                current: u.function.reserved,
                start,
                ladder: counting.clone(),
                step: 0.0,
            });
        }
    }
    out
}

/// Whether a plan is one the format accepts: every function's provisioned concurrency at most
/// its searched reserved concurrency.
fn valid(ks: &[Knob], plan: &[usize]) -> bool {
    ks.iter().zip(plan).all(|(k, &i)| {
        k.kind != KnobKind::Provisioned
            || ks.iter().zip(plan).all(|(r, &j)| {
                r.kind != KnobKind::ReservedConcurrency
                    || r.node != k.node
                    || k.ladder[i] <= r.ladder[j]
            })
    })
}

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
        let name = at_rate.variants[v].name.clone();
        let ks = knobs(&at_rate, v, &text_at_rate, file_name, slo, opts);
        let evaluations = std::cell::Cell::new(0usize);
        let seed_seen = std::cell::Cell::new(seed);
        let cancelled = || {
            opts.run
                .cancel
                .is_some_and(|c| c.load(std::sync::atomic::Ordering::SeqCst))
        };
        // Evaluates plans (ladder indices; `None`: as written) in parallel; `None` for a
        // cancelled one.
        let evaluate = |plans: &[Option<Vec<usize>>]| -> Result<Vec<Option<Eval>>, SweepError> {
            let scenarios = plans
                .iter()
                .map(|p| {
                    let values: Vec<(String, ParamValue)> = p.as_ref().map_or_else(Vec::new, |p| {
                        ks.iter()
                            .zip(p)
                            .map(|(k, &i)| (k.path.clone(), k.param(i)))
                            .collect()
                    });
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
                        let values = p.clone().unwrap_or_default();
                        res.push(Some(eval_of(slo, vr, values, sc, v)));
                    }
                    Ok(_) | Err(crate::runner::RunError::Cancelled) => res.push(None),
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(res)
        };
        let start: Vec<usize> = ks.iter().map(|k| k.start).collect();
        let first = evaluate(&[None, Some(start)])?;
        let current_eval = first[0].clone();
        let Some(mut best) = first[1].clone() else {
            warnings.push(format!("variant `{name}`: cancelled"));
            continue;
        };
        // Greedy ascent.
        while !best.met && !cancelled() && evaluations.get() < opts.max_evaluations {
            let plans: Vec<Option<Vec<usize>>> = (0..ks.len())
                .filter(|&i| best.values[i] + 1 < ks[i].ladder.len())
                .map(|i| {
                    let mut p = best.values.clone();
                    p[i] += 1;
                    p
                })
                .filter(|p| valid(&ks, p))
                .map(Some)
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
        let mut converged = false;
        while best.met && !cancelled() && evaluations.get() < opts.max_evaluations {
            let mut plans: Vec<Vec<usize>> = Vec::new();
            for i in 0..ks.len() {
                if best.values[i] > 0 {
                    let mut p = best.values.clone();
                    p[i] -= 1;
                    plans.push(p);
                }
            }
            // More memory can cost less: a faster function bills fewer GB-s when its callers
            // are billed (or sized) for the time they wait on it. More provisioned instances
            // can too: a busy provisioned instance bills less per GB-s than on-demand.
            for i in 0..ks.len() {
                if matches!(ks[i].kind, KnobKind::MemoryMb | KnobKind::Provisioned)
                    && best.values[i] + 1 < ks[i].ladder.len()
                {
                    let mut p = best.values.clone();
                    p[i] += 1;
                    plans.push(p);
                }
            }
            for i in 0..ks.len() {
                for j in 0..ks.len() {
                    // Trading cores for cores is only cheaper when the step up is smaller.
                    let cheaper_step = !(ks[i].cores_priced() && ks[j].cores_priced())
                        || step_cores(&ks, &best.values, i) < step_cores(&ks, &best.values, j);
                    if i != j
                        && best.values[j] > 0
                        && best.values[i] + 1 < ks[i].ladder.len()
                        && cheaper_step
                    {
                        let mut p = best.values.clone();
                        p[i] += 1;
                        p[j] -= 1;
                        plans.push(p);
                    }
                }
            }
            plans.retain(|p| valid(&ks, p));
            if plans.is_empty() {
                converged = true;
                break;
            }
            let plans: Vec<Option<Vec<usize>>> = plans.into_iter().map(Some).collect();
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
                None => {
                    converged = true;
                    break;
                }
            }
        }
        if best.met && !converged && !cancelled() {
            warnings.push(format!(
                "variant `{name}`: the descent stopped at {} evaluations (--max-evaluations) before every neighbour was tried; a cheaper plan may exist",
                evaluations.get()
            ));
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
        search: KnobKind::ALL
            .iter()
            .filter(|k| opts.search.contains(k))
            .map(|k| k.search_name().to_string())
            .collect(),
        variants,
        warnings,
    })
}

/// The cores one step up of knob `i` adds to the plan `p` (a replica: the cores per instance;
/// an instance size: the replicas times the size difference; a database core: one).
fn step_cores(ks: &[Knob], p: &[usize], i: usize) -> f64 {
    let k = &ks[i];
    let other = |kind: KnobKind| {
        ks.iter()
            .zip(p)
            .find(|(o, _)| o.kind == kind && o.node == k.node)
            .map(|(o, &j)| f64::from(o.ladder[j]))
    };
    let next = |j: usize| f64::from(k.ladder[(j + 1).min(k.ladder.len() - 1)]);
    match k.kind {
        KnobKind::Replicas => other(KnobKind::InstanceCores).unwrap_or(k.step),
        KnobKind::InstanceCores => {
            other(KnobKind::Replicas).unwrap_or(k.step) * (next(p[i]) - f64::from(k.ladder[p[i]]))
        }
        _ => k.step,
    }
}

fn eval_of(slo: &Slo, vr: &VariantResult, values: Vec<usize>, sc: &Scenario, v: usize) -> Eval {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_tail_matches_the_closed_form() {
        // P(N ≥ 1) = 1 − e^(−a); P(N ≥ 2) = 1 − e^(−a)(1 + a).
        let a: f64 = 0.025;
        assert!((poisson_tail(a, 0) - 1.0).abs() < 1e-15);
        assert!((poisson_tail(a, 1) - (1.0 - (-a).exp())).abs() < 1e-15);
        assert!((poisson_tail(a, 2) - (1.0 - (-a).exp() * (1.0 + a))).abs() < 1e-15);
        // The break-even start of the lesson's worker: a = 8, P(N ≥ 7) = 0.687 ≥ 0.6 > P(N ≥ 8).
        assert!(poisson_tail(8.0, 7) > 0.6 && poisson_tail(8.0, 8) < 0.6);
    }

    #[test]
    fn slo_tail_and_error_budget() {
        let slo = Slo::parse("p99<300ms,p90<100ms,errors<0.5%").expect("slo");
        let (tail, bound) = tail_clause(&slo).expect("a percentile clause");
        assert_eq!(tail, 0.01);
        assert!((bound - 0.3).abs() < 1e-12);
        assert!((error_budget(&slo) - 0.005).abs() < 1e-12);
        let slo = Slo::parse("mean<1s,availability>=99.9%").expect("slo");
        assert_eq!(tail_clause(&slo), None);
        assert!((error_budget(&slo) - 0.001).abs() < 1e-9);
        assert_eq!(error_budget(&Slo::parse("p50<1s").expect("slo")), 0.001);
    }
}
