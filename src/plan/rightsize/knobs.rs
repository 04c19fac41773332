//! The knobs of a variant and their analytic starting points: the replicas and instance sizes
//! of units and the cores of databases (defined here: units and databases are the model's
//! core), and the serverless function's knobs (defined by the function component,
//! `crate::components::function::knobs`); how a value is written into the scenario text.

use super::RightsizeOptions;
use crate::components::function::knobs::{
    self as fn_knobs, FunctionLoad, FULL_SPEED_MB, MEMORY, PROVISIONED, RESERVED,
};
use crate::components::knob::{first_index, KnobDef, KnobUnit, Ladder};
use crate::estimate::{estimate, NodeKind, VariantEstimate};
use crate::plan::sweep::scenario_with;
use crate::scenario::params::{ParamValue, QuantityKind};
use crate::scenario::{Platform, Scenario, Unit};
use crate::spec::slo::Slo;
use serde::{Deserialize, Serialize};

/// The instance sizes (cores per instance) the `cores` knob of a unit walks.
pub const INSTANCE_CORES_LADDER: [u32; 9] = [1, 2, 4, 8, 16, 32, 48, 64, 96];

/// `replicas` of a unit that is not serverless.
const REPLICAS: KnobDef = KnobDef {
    search_name: "replicas",
    name: "replicas",
    label: "unit replicas",
    key: "replicas",
    unit: KnobUnit::Count,
    ladder: Ladder::Count { from: 1 },
    default: Some(1),
    cores_priced: true,
    up_may_save: false,
};

/// `cores` per instance of a unit that is not serverless.
const INSTANCE_CORES: KnobDef = KnobDef {
    search_name: "cores",
    name: "instance_cores",
    label: "cores per instance",
    key: "cores",
    unit: KnobUnit::Count,
    ladder: Ladder::Fixed {
        values: &INSTANCE_CORES_LADDER,
        capped: true,
    },
    default: Some(1),
    cores_priced: true,
    up_may_save: false,
};

/// `cores` of a database.
const DATABASE_CORES: KnobDef = KnobDef {
    search_name: "db-cores",
    name: "cores",
    label: "database cores",
    key: "cores",
    unit: KnobUnit::Count,
    ladder: Ladder::Count { from: 1 },
    default: Some(1),
    cores_priced: true,
    up_may_save: false,
};

/// What a knob sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
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

    /// Its definition: names, values, how it is written.
    pub fn def(self) -> &'static KnobDef {
        match self {
            KnobKind::Replicas => &REPLICAS,
            KnobKind::InstanceCores => &INSTANCE_CORES,
            KnobKind::Cores => &DATABASE_CORES,
            KnobKind::MemoryMb => &MEMORY,
            KnobKind::Provisioned => &PROVISIONED,
            KnobKind::ReservedConcurrency => &RESERVED,
        }
    }

    /// The name in `--search`.
    pub fn search_name(self) -> &'static str {
        self.def().search_name
    }

    /// The label in the plan table.
    pub fn label(self) -> &'static str {
        self.def().label
    }

    /// The name in `plan.csv` and the JSON.
    pub fn name(self) -> &'static str {
        self.def().name
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

/// One knob of a variant: a setting of one unit or database, the values it walks and its
/// analytic start.
pub(super) struct Knob {
    pub(super) node: String,
    pub(super) kind: KnobKind,
    pub(super) path: String,
    pub(super) current: Option<u32>,
    /// The values the knob walks, ascending.
    pub(super) ladder: Vec<u32>,
    /// Index of the analytic start in `ladder`.
    pub(super) start: usize,
    /// Cores one step adds when no instance size is searched (replicas: the written cores per
    /// instance; database cores: 1).
    pub(super) step: f64,
}

/// Value `x` of a knob defined by `def`, as written into the scenario.
fn value(def: &KnobDef, x: u32) -> ParamValue {
    match def.unit {
        KnobUnit::Megabytes => ParamValue::Quantity {
            text: format!("{x}MB"),
            base: f64::from(x) * 1e6,
            kind: QuantityKind::Size,
        },
        KnobUnit::Count => ParamValue::Number(f64::from(x)),
    }
}

impl Knob {
    /// Whether a step of this knob and of `other` trade cores against cores: then only the
    /// pair that adds the smaller step can be cheaper (see the descent).
    pub(super) fn cores_priced(&self) -> bool {
        self.kind.def().cores_priced
    }

    /// Value `i` of the ladder, as written into the scenario.
    pub(super) fn param(&self, i: usize) -> ParamValue {
        value(self.kind.def(), self.ladder[i])
    }
}

/// Cores provisioned by a variant of a resolved scenario.
pub(super) fn cores_of(s: &Scenario, v: usize) -> f64 {
    let var = &s.variants[v];
    let units: f64 = var
        .units
        .iter()
        .filter(|u| u.platform != Platform::Serverless)
        .map(|u| u.replicas as f64 * u.cores)
        .sum();
    units + var.databases.iter().map(|d| d.cores).sum::<f64>()
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

/// What the knobs of one variant are computed from.
struct Cx<'a> {
    s: &'a Scenario,
    v: usize,
    text: &'a str,
    file_name: &'a str,
    slo: &'a Slo,
    opts: &'a RightsizeOptions<'a>,
    /// The largest value of a counting knob.
    max: u32,
    /// The analytic estimate of the variant as written (at the target rate).
    est: VariantEstimate,
}

impl Cx<'_> {
    fn searched(&self, k: KnobKind) -> bool {
        self.opts.search.contains(&k)
    }

    /// The variant's path prefix of unit `u`.
    fn unit_path(&self, u: &Unit) -> String {
        format!("variants.{}.units.{}", self.s.variants[self.v].name, u.name)
    }

    /// CPU demand of node `name` of `kind` in the estimate \[cores\].
    fn demand(&self, name: &str, kind: NodeKind) -> f64 {
        self.est
            .nodes
            .iter()
            .find(|n| n.name == name && n.kind == kind)
            .map_or(0.0, |n| n.cpu_demand_s_per_s)
    }

    /// The analytic estimate of the variant with `values` set; `None` if the scenario rejects
    /// them.
    fn estimate_with(&self, values: &[(String, ParamValue)]) -> Option<VariantEstimate> {
        scenario_with(self.text, self.file_name, values, true)
            .ok()
            .map(|sc| estimate(&sc, self.v))
    }

    fn serverless(&self) -> impl Iterator<Item = &Unit> {
        self.s.variants[self.v]
            .units
            .iter()
            .filter(|u| u.platform == Platform::Serverless)
    }
}

/// The knobs of variant `v` of `s` (the scenario at the target rate, `text`) and their
/// analytic starting points.
pub(super) fn knobs(
    s: &Scenario,
    v: usize,
    text: &str,
    file_name: &str,
    slo: &Slo,
    opts: &RightsizeOptions<'_>,
) -> Vec<Knob> {
    let cx = Cx {
        s,
        v,
        text,
        file_name,
        slo,
        opts,
        max: opts.max_value.max(1),
        est: estimate(s, v),
    };
    let mut out = Vec::new();
    unit_knobs(&cx, &mut out);
    database_knobs(&cx, &mut out);
    memory_knobs(&cx, &mut out);
    concurrency_knobs(&cx, &mut out);
    out
}

/// Replicas and cores per instance of every unit that is not serverless: replicas at the
/// fewest that keep the unit stable in the estimate.
fn unit_knobs(cx: &Cx<'_>, out: &mut Vec<Knob>) {
    let counting = REPLICAS.ladder.values(cx.max);
    for u in &cx.s.variants[cx.v].units {
        if u.platform == Platform::Serverless {
            continue;
        }
        let d = cx.demand(&u.name, NodeKind::Unit);
        let base = cx.unit_path(u);
        let cores_ladder = real_sizes(u, INSTANCE_CORES.ladder.values(cx.max));
        // Cores per instance: as written (rounded up to the ladder) when replicas are searched
        // too, else the smallest size keeping the written replicas stable.
        let cores_start = if cx.searched(KnobKind::Replicas) {
            first_index(&cores_ladder, |c| f64::from(c) >= u.cores)
        } else {
            first_index(&cores_ladder, |c| d < f64::from(u.replicas) * f64::from(c))
        };
        let cores = if cx.searched(KnobKind::InstanceCores) {
            f64::from(cores_ladder[cores_start])
        } else {
            u.cores
        };
        if cx.searched(KnobKind::Replicas) {
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::Replicas,
                path: format!("{base}.{}", REPLICAS.key),
                current: Some(u.replicas),
                start: first_index(&counting, |r| d < f64::from(r) * cores),
                ladder: counting.clone(),
                step: u.cores,
            });
        }
        if cx.searched(KnobKind::InstanceCores) {
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::InstanceCores,
                path: format!("{base}.{}", INSTANCE_CORES.key),
                current: Some(u.cores.ceil() as u32),
                start: cores_start,
                ladder: cores_ladder,
                step: f64::from(u.replicas),
            });
        }
    }
}

/// The sizes of `ladder` that exist for unit `u`: on `vm` (not on a host) the vCPU counts of
/// the catalogue's EC2 instance types, on `container` those of Fargate's task sizes (the whole
/// ladder on other platforms, or when no size of the ladder exists below `max_value`).
fn real_sizes(u: &Unit, ladder: Vec<u32>) -> Vec<u32> {
    use crate::spec::instances::{vcpu_counts, Family};
    let family = match u.platform {
        Platform::Vm if u.placement.hosts.is_empty() => Family::Ec2,
        Platform::Container => Family::Fargate,
        _ => return ladder,
    };
    let counts = vcpu_counts(family);
    let real: Vec<u32> = ladder
        .iter()
        .copied()
        .filter(|&c| counts.contains(&f64::from(c)))
        .collect();
    if real.is_empty() {
        ladder
    } else {
        real
    }
}

/// Cores of every database, at the fewest that keep it stable in the estimate.
fn database_knobs(cx: &Cx<'_>, out: &mut Vec<Knob>) {
    if !cx.searched(KnobKind::Cores) {
        return;
    }
    let counting = DATABASE_CORES.ladder.values(cx.max);
    let var = &cx.s.variants[cx.v];
    for db in &var.databases {
        let d = cx.demand(&db.name, NodeKind::Database);
        out.push(Knob {
            node: db.name.clone(),
            kind: KnobKind::Cores,
            path: format!(
                "variants.{}.databases.{}.{}",
                var.name, db.name, DATABASE_CORES.key
            ),
            current: Some(db.cores.ceil() as u32),
            start: first_index(&counting, |c| d < f64::from(c)),
            ladder: counting.clone(),
            step: 1.0,
        });
    }
}

/// The memory of every function: the smallest size at which, everything else at its most
/// generous, the analytic mean latency meets every latency bound (full speed if none does; the
/// smallest size without a latency bound).
fn memory_knobs(cx: &Cx<'_>, out: &mut Vec<Knob>) {
    if !cx.searched(KnobKind::MemoryMb) {
        return;
    }
    let memory_ladder = MEMORY.ladder.values(cx.max);
    let full_speed = first_index(&memory_ladder, |m| m >= FULL_SPEED_MB);
    // The most generous setting of every other knob: every function at full speed, every
    // counting knob at its largest value.
    let generous: Vec<(String, ParamValue)> = out
        .iter()
        .map(|k| (k.path.clone(), k.param(k.ladder.len() - 1)))
        .chain(cx.serverless().map(|u| {
            (
                format!("{}.{}", cx.unit_path(u), MEMORY.key),
                value(&MEMORY, memory_ladder[full_speed]),
            )
        }))
        .collect();
    let has_latency_clause = cx
        .slo
        .clauses
        .iter()
        .any(|c| c.metric.is_latency() && c.op.upper_bound());
    let default_mb = MEMORY.default.unwrap_or(FULL_SPEED_MB);
    for u in cx.serverless() {
        let written_mb = u
            .memory
            .map_or(default_mb, |b| (b as f64 / 1e6).round() as u32);
        let path = format!("{}.{}", cx.unit_path(u), MEMORY.key);
        let start = if has_latency_clause {
            memory_ladder[..=full_speed]
                .iter()
                .position(|&m| {
                    let mut values = generous.clone();
                    if let Some(x) = values.iter_mut().find(|(p, _)| *p == path) {
                        x.1 = value(&MEMORY, m);
                    }
                    cx.estimate_with(&values)
                        .is_some_and(|e| latency_fits(cx.slo, &e))
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

/// Provisioned and reserved concurrency of every function, from its load in the estimate with
/// the other knobs at their starts (see `crate::components::function::knobs`).
fn concurrency_knobs(cx: &Cx<'_>, out: &mut Vec<Knob>) {
    // Concurrency of every function at the start: λ × its own mean time (downstream waits not
    // counted), from the estimate with the memory starts.
    let start_values: Vec<(String, ParamValue)> = out
        .iter()
        .map(|k| (k.path.clone(), k.param(k.start)))
        .collect();
    let start_est = cx
        .estimate_with(&start_values)
        .unwrap_or_else(|| cx.est.clone());
    let reserved_searched = cx.searched(KnobKind::ReservedConcurrency);
    for u in cx.serverless() {
        let base = cx.unit_path(u);
        let node = start_est
            .nodes
            .iter()
            .find(|n| n.name == u.name && n.kind == NodeKind::Unit);
        let load = FunctionLoad::new(
            &u.function,
            node.map_or(0.0, |n| n.arrival_rate),
            node.and_then(|n| n.mean_response_s).unwrap_or(0.0),
        );
        let mut provisioned_start = 0;
        if cx.searched(KnobKind::Provisioned) {
            let cap = fn_knobs::provisioned_cap(&u.function, cx.max, reserved_searched);
            provisioned_start = fn_knobs::provisioned_start(&load, cx.slo, &cx.s.prices, cap);
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::Provisioned,
                path: format!("{base}.{}", PROVISIONED.key),
                current: Some(u.function.provisioned),
                start: provisioned_start as usize,
                ladder: PROVISIONED.ladder.values(cap),
                step: 0.0,
            });
        }
        if reserved_searched {
            let ladder = RESERVED.ladder.values(cx.max);
            out.push(Knob {
                node: u.name.clone(),
                kind: KnobKind::ReservedConcurrency,
                path: format!("{base}.{}", RESERVED.key),
                current: u.function.reserved,
                start: fn_knobs::reserved_start(&load, provisioned_start, cx.slo, &ladder),
                ladder,
                step: 0.0,
            });
        }
    }
}

/// Whether a plan is one the format accepts: every function's provisioned concurrency at most
/// its searched reserved concurrency.
pub(super) fn valid(ks: &[Knob], plan: &[usize]) -> bool {
    ks.iter().zip(plan).all(|(k, &i)| {
        k.kind != KnobKind::Provisioned
            || ks.iter().zip(plan).all(|(r, &j)| {
                r.kind != KnobKind::ReservedConcurrency
                    || r.node != k.node
                    || k.ladder[i] <= r.ladder[j]
            })
    })
}

/// The cores one step up of knob `i` adds to the plan `p` (a replica: the cores per instance;
/// an instance size: the replicas times the size difference; a database core: one).
pub(super) fn step_cores(ks: &[Knob], p: &[usize], i: usize) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialize_under_their_definitions_names() {
        for k in KnobKind::ALL {
            let json = serde_json::to_string(&k).expect("serializes");
            assert_eq!(json, format!("\"{}\"", k.name()));
        }
    }
}
