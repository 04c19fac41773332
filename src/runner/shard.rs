//! Sharded runs: a run's replications, or a sweep's points, split over N independent processes
//! (a Kubernetes Indexed Job, a Slurm job array), each writing a partial result; `crate::plan::merge`
//! combines the partials into exactly the document
//! the unsharded run writes.
//!
//! - `run --shard K/N`: shard K (0-based) simulates the replications
//!   `⌊K·R/N⌋ .. ⌊(K+1)·R/N⌋` of every selected variant and writes their raw per-replication
//!   measurements, with the scenario text, so that the merge needs nothing else. The merge
//!   combines the R replications in order with the same code as an unsharded run; replication
//!   `k` draws from the generators of `(seed, k)` whichever process runs it, so the numbers are
//!   the same.
//! - `sweep --shard K/N`: shard K runs the points `i` with `i mod N = K` (round robin, so that
//!   the expensive high-load points are spread) and writes them; the merge orders the points
//!   and finds the knees.
//!
//! Only the wall-clock figures (`engine.wall_s`, `engine.events_per_s`) differ between two
//! executions of the same run, sharded or not; `--no-timings` writes them as 0 so that files
//! compare byte for byte.

use super::{Prepared, RunError, RunOptions};
use crate::engine::record::RepResult;
use crate::results::Results;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One shard of N: `index` in `0..count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Shard {
    /// 0-based shard index.
    pub index: u32,
    /// Number of shards.
    pub count: u32,
}

/// Environment variables read by `--shard auto/N`, in order: the Kubernetes Indexed Job index,
/// then the Slurm job-array task id.
pub const INDEX_VARIABLES: [&str; 2] = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"];

/// Most shards of one run or sweep (a larger count is refused when parsed and when read from a
/// part).
pub const MAX_SHARDS: u32 = 10_000;

/// Why a shard specification or a merge failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ShardError {
    /// `--shard` is malformed or out of range.
    #[error("--shard {spec}: {message}")]
    Spec {
        /// As given.
        spec: String,
        /// What is expected.
        message: String,
    },
    /// A partial file could not be read or parsed, or is not what its header says.
    #[error("{file}: {message}")]
    Part {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The partials do not belong together (different scenario or options, overlapping shards
    /// or replications).
    #[error("cannot merge: {0}")]
    Mismatch(String),
    /// Shards, replications or points are missing (`merge --allow-partial` merges what exists).
    #[error("cannot merge: {0}")]
    Incomplete(String),
    /// The scenario embedded in a run partial no longer parses.
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    /// The combination failed.
    #[error(transparent)]
    Run(#[from] RunError),
}

impl Shard {
    /// Parses `K/N` (0 ≤ K < N ≤ [`MAX_SHARDS`]) or `auto/N`, where K comes from the first set
    /// variable of [`INDEX_VARIABLES`] (looked up with `env`).
    ///
    /// # Errors
    /// [`ShardError::Spec`].
    pub fn parse(spec: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let err = |message: String| ShardError::Spec {
            spec: spec.to_string(),
            message,
        };
        let (k, n) = spec
            .split_once('/')
            .ok_or_else(|| err("expected K/N (0-based shard K of N) or auto/N".into()))?;
        let count: u32 = n
            .trim()
            .parse()
            .ok()
            .filter(|&n| n >= 1)
            .ok_or_else(|| err(format!("`{n}` is not a shard count (an integer ≥ 1)")))?;
        if count > MAX_SHARDS {
            return Err(err(format!(
                "{count} shards: at most {MAX_SHARDS} shards are supported"
            )));
        }
        let (index_text, source) = if k.trim() == "auto" {
            let found = INDEX_VARIABLES.iter().find_map(|v| env(v).map(|x| (x, *v)));
            match found {
                Some((x, v)) => (x, format!(" (from {v})")),
                None => {
                    return Err(err(format!(
                        "`auto` reads the shard index from {}, and none is set",
                        INDEX_VARIABLES.join(" or ")
                    )))
                }
            }
        } else {
            (k.to_string(), String::new())
        };
        let index: u32 = index_text.trim().parse().map_err(|_| {
            err(format!(
                "`{index_text}`{source} is not a shard index (an integer from 0 to {})",
                count - 1
            ))
        })?;
        if index >= count {
            return Err(err(format!(
                "shard index {index}{source} is out of range: shards are numbered 0 to {}",
                count - 1
            )));
        }
        Ok(Shard { index, count })
    }

    /// Checks a shard read from a file: `index < count ≤ MAX_SHARDS`.
    ///
    /// # Errors
    /// What is out of range.
    pub fn check(&self) -> Result<(), String> {
        if self.count == 0 || self.count > MAX_SHARDS {
            return Err(format!(
                "shard count {} is out of range (1 to {MAX_SHARDS})",
                self.count
            ));
        }
        if self.index >= self.count {
            return Err(format!(
                "shard index {} is out of range: shards of {} are numbered 0 to {}",
                self.index,
                self.count,
                self.count - 1
            ));
        }
        Ok(())
    }

    /// Checks that this split leaves no shard empty: at most `units` shards for `units`
    /// replications or points (`what`).
    ///
    /// # Errors
    /// [`ShardError::Spec`] naming the bound.
    pub fn check_units(&self, units: usize, what: &str) -> Result<(), ShardError> {
        if self.count as usize > units {
            return Err(ShardError::Spec {
                spec: format!("{}/{}", self.index, self.count),
                message: format!(
                    "{} shards for {units} {what}: a shard would have nothing to run (use at most {units} shards)",
                    self.count
                ),
            });
        }
        Ok(())
    }

    /// The replications of this shard out of `reps`: a contiguous block.
    pub fn replications(&self, reps: u32) -> Vec<u32> {
        let (k, n, r) = (self.index as u64, self.count.max(1) as u64, reps as u64);
        ((k * r / n) as u32..((k + 1) * r / n) as u32).collect()
    }

    /// The sweep points of this shard out of `n`: every `count`-th from `index`.
    pub fn points(&self, n: usize) -> Vec<usize> {
        (self.index as usize..n)
            .step_by(self.count.max(1) as usize)
            .collect()
    }
}

/// The payload of a run part (`run --shard K/N`; the envelope with the format version and
/// the digests is `crate::plan::part`): everything the merge needs to combine the
/// replications as the unsharded run does.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunPartial {
    /// The scenario file name (for diagnostics).
    pub file: String,
    /// The scenario text.
    pub scenario_text: String,
    /// The SLO added with `run --slo`, if any.
    pub slo: Option<String>,
    /// The selected variants (empty: all).
    pub variants: Vec<String>,
    /// Replications of the whole run.
    pub replications: u32,
    /// Master seed.
    pub seed: u64,
    /// The replications this shard ran.
    pub ks: Vec<u32>,
    /// Per selected variant, the measurements of each replication in `ks` (`None`: cancelled).
    pub reps: Vec<Vec<Option<RepResult>>>,
}

/// Runs one shard of a run (`slo`: the SLO added with `run --slo`, already in `s`).
///
/// # Errors
/// As [`super::run`].
pub fn run_shard(
    text: &str,
    file: &str,
    slo: Option<&str>,
    s: &crate::scenario::Scenario,
    opts: &RunOptions<'_>,
    shard: Shard,
) -> Result<RunPartial, RunError> {
    let prepared = super::prepare(s, opts)?;
    let ks = shard.replications(prepared.reps);
    let (_, results) = super::simulate(&prepared, &ks, opts)?;
    let n = ks.len();
    let mut reps: Vec<Vec<Option<RepResult>>> = Vec::new();
    let mut it = results.into_iter();
    for _ in 0..prepared.models.len() {
        reps.push(it.by_ref().take(n).collect());
    }
    Ok(RunPartial {
        file: file.to_string(),
        scenario_text: text.to_string(),
        slo: slo.map(str::to_string),
        variants: opts.variants.clone(),
        replications: prepared.reps,
        seed: prepared.seed,
        ks,
        reps,
    })
}

/// The scenario of a run part, with its `--slo` applied.
///
/// # Errors
/// [`ShardError::Scenario`]; [`ShardError::Mismatch`] for an SLO that no longer parses.
pub fn part_scenario(p: &RunPartial) -> Result<crate::scenario::Scenario, ShardError> {
    let mut s = crate::scenario::parse(&p.scenario_text, &p.file)?;
    if let Some(text) = &p.slo {
        let slo = crate::spec::slo::Slo::parse(text)
            .map_err(|e| ShardError::Mismatch(format!("the parts' --slo {text}: {e}")))?;
        s.slos.push(slo);
    }
    Ok(s)
}

/// Combines replications of a run into its results, as the unsharded run does: `present`
/// holds, in increasing replication order, each replication's measurements per selected
/// variant. With every replication `0..R` present the document is the unsharded run's; with
/// fewer (`merge --allow-partial`) the present ones are combined as a run of that many
/// replications.
///
/// # Errors
/// [`ShardError::Mismatch`] when a replication's measurements do not fit the scenario's
/// model (numbers of entries, nodes, series) or a partial merge of a scenario with uncertain
/// parameters misses a replication before the last present one.
pub fn combine(p: &RunPartial, present: Vec<(u32, Vec<RepResult>)>) -> Result<Results, ShardError> {
    let s = part_scenario(p)?;
    let opts = RunOptions {
        replications: Some(p.replications),
        seed: Some(p.seed),
        variants: p.variants.clone(),
        ..Default::default()
    };
    let mut prepared: Prepared = super::prepare(&s, &opts)?;
    let nv = prepared.models.len();
    let gap = present
        .iter()
        .enumerate()
        .find(|(i, (k, _))| *i as u32 != *k)
        .map(|(i, _)| i);
    if let (Some(missing), Some(_)) = (gap, &prepared.uncertain) {
        return Err(ShardError::Incomplete(format!(
            "the scenario has uncertain parameters, whose draws are reported for replications 0, 1, …: a partial merge needs them without a gap, and replication {missing} is missing"
        )));
    }
    let mut first: Vec<Option<&RepResult>> = vec![None; nv];
    for (k, reps) in &present {
        if reps.len() != nv {
            return Err(ShardError::Mismatch(format!(
                "replication {k} holds {} variants, the scenario selects {nv}",
                reps.len()
            )));
        }
        for (v, r) in reps.iter().enumerate() {
            let m = &prepared.models[v];
            check_shape(m, r, first[v]).map_err(|e| {
                ShardError::Mismatch(format!(
                    "replication {k} of variant `{}` does not fit the scenario: {e}",
                    m.variant
                ))
            })?;
            first[v] = first[v].or(Some(r));
        }
    }
    let n = present.len();
    prepared.reps = n as u32;
    let mut slots: Vec<Option<RepResult>> = vec![None; nv * n];
    for (i, (_, reps)) in present.into_iter().enumerate() {
        for (v, r) in reps.into_iter().enumerate() {
            slots[v * n + i] = Some(r);
        }
    }
    Ok(super::finish(&s, &prepared, slots, 1)?)
}

/// Checks that a replication's measurements have the model's shape (one record per entry and
/// node, every series of the same length as in `reference`, another replication of the same
/// variant), so that combining them cannot index out of range.
fn check_shape(
    m: &crate::model::Model,
    r: &RepResult,
    reference: Option<&RepResult>,
) -> Result<(), String> {
    let (ne, nn) = (m.topo.entries.len(), m.topo.nodes.len());
    let count = |what: &str, got: usize, want: usize| {
        if got == want {
            Ok(())
        } else {
            Err(format!("{got} {what}, expected {want}"))
        }
    };
    count("entries", r.entries.len(), ne)?;
    count("nodes", r.nodes.len(), nn)?;
    count("usage records", r.usage.len(), nn)?;
    count("anatomy entries", r.anatomy.entries.len(), ne)?;
    if !r.failure_chains.is_empty() {
        count("failure-chain lists", r.failure_chains.len(), ne)?;
    }
    if !r.origins.is_empty() {
        count("failure origins", r.origins.len(), (nn + 1) * ne)?;
    }
    let per_entry = [
        ("throughput", &r.series.throughput),
        ("errors", &r.series.errors),
        ("p50", &r.series.p50),
        ("p99", &r.series.p99),
    ];
    for (name, s) in per_entry {
        count(&format!("`{name}` series"), s.len(), ne)?;
    }
    let per_node = [
        ("utilization", &r.series.utilization),
        ("in_system", &r.series.in_system),
        ("instances", &r.series.instances),
        ("instances_starting", &r.series.instances_starting),
        ("worker_saturation", &r.series.worker_saturation),
        ("waiting", &r.series.waiting),
    ];
    for (name, s) in per_node {
        count(&format!("`{name}` series"), s.len(), nn)?;
    }
    let windows = |x: &RepResult| -> Vec<usize> {
        let s = &x.series;
        [
            &s.throughput,
            &s.errors,
            &s.p50,
            &s.p99,
            &s.utilization,
            &s.in_system,
            &s.instances,
            &s.instances_starting,
            &s.worker_saturation,
            &s.waiting,
            &s.failures,
        ]
        .iter()
        .flat_map(|v| v.iter().map(Vec::len))
        .collect()
    };
    if let Some(reference) = reference {
        if windows(r) != windows(reference) {
            return Err(
                "its time series differ in number or length from another replication's".into(),
            );
        }
    }
    Ok(())
}

/// Writes 0 for the wall-clock figures of a run's results so that documents of the same run
/// compare byte for byte (`--no-timings`).
pub fn strip_timings(r: &mut Results) {
    for v in &mut r.variants {
        v.engine.wall_s = 0.0;
        v.engine.events_per_s = 0.0;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_replications_and_points() {
        for n in 1..6u32 {
            for reps in 0..12u32 {
                let all: Vec<u32> = (0..n)
                    .flat_map(|k| Shard { index: k, count: n }.replications(reps))
                    .collect();
                assert_eq!(all, (0..reps).collect::<Vec<_>>());
                let mut pts: Vec<usize> = (0..n)
                    .flat_map(|k| Shard { index: k, count: n }.points(reps as usize))
                    .collect();
                pts.sort();
                assert_eq!(pts, (0..reps as usize).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn parses_specs_and_environment() {
        let none = |_: &str| None;
        assert_eq!(
            Shard::parse("2/4", none).unwrap(),
            Shard { index: 2, count: 4 }
        );
        assert!(Shard::parse("4/4", none)
            .unwrap_err()
            .to_string()
            .contains("out of range"));
        assert!(Shard::parse("auto/4", none)
            .unwrap_err()
            .to_string()
            .contains("JOB_COMPLETION_INDEX"));
        assert!(Shard::parse("1-4", none).is_err());
        assert!(Shard::parse("1/0", none).is_err());
        let slurm = |v: &str| (v == "SLURM_ARRAY_TASK_ID").then(|| "3".to_string());
        assert_eq!(Shard::parse("auto/4", slurm).unwrap().index, 3);
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "9".to_string());
        assert!(Shard::parse("auto/4", k8s)
            .unwrap_err()
            .to_string()
            .contains("from JOB_COMPLETION_INDEX"));
    }
}
