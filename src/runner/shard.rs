//! Sharded runs: a run's replications, or a sweep's points, split over N independent processes
//! (a Kubernetes Indexed Job, a Slurm job array), each writing a partial result; [`merge_runs`]
//! (and `crate::plan::merge` for any partial) combines the partials into exactly the document
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
    /// A partial file could not be read or parsed.
    #[error("{file}: {message}")]
    Part {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The partials do not belong together or do not cover every shard.
    #[error("cannot merge: {0}")]
    Mismatch(String),
    /// The scenario embedded in a run partial no longer parses.
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    /// The combination failed.
    #[error(transparent)]
    Run(#[from] RunError),
}

impl Shard {
    /// Parses `K/N` (0 ≤ K < N) or `auto/N`, where K comes from the first set variable of
    /// [`INDEX_VARIABLES`] (looked up with `env`).
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

    /// The replications of this shard out of `reps`: a contiguous block.
    pub fn replications(&self, reps: u32) -> Vec<u32> {
        let (k, n, r) = (self.index as u64, self.count as u64, reps as u64);
        ((k * r / n) as u32..((k + 1) * r / n) as u32).collect()
    }

    /// The sweep points of this shard out of `n`: every `count`-th from `index`.
    pub fn points(&self, n: usize) -> Vec<usize> {
        (self.index as usize..n)
            .step_by(self.count as usize)
            .collect()
    }
}

/// The partial result of `run --shard K/N`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunPartial {
    /// Always `"run"` (tells a run partial from a sweep partial).
    pub partial: String,
    /// Which shard.
    pub shard: Shard,
    /// The scenario file name (for diagnostics).
    pub file: String,
    /// The scenario text, so that the merge needs nothing else.
    pub scenario_text: String,
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

/// Runs one shard of a run.
///
/// # Errors
/// As [`super::run`].
pub fn run_shard(
    text: &str,
    file: &str,
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
        partial: "run".into(),
        shard,
        file: file.to_string(),
        scenario_text: text.to_string(),
        variants: opts.variants.clone(),
        replications: prepared.reps,
        seed: prepared.seed,
        ks,
        reps,
    })
}

/// Checks that `shards` are every shard of one split, each once.
pub fn check_cover(shards: &[Shard]) -> Result<(), ShardError> {
    let n = shards[0].count;
    if let Some(s) = shards.iter().find(|s| s.count != n) {
        return Err(ShardError::Mismatch(format!(
            "shard {}/{} belongs to a split in {} shards, the first part to one in {n}",
            s.index, s.count, s.count
        )));
    }
    let mut seen = vec![false; n as usize];
    for s in shards {
        if std::mem::replace(&mut seen[s.index as usize], true) {
            return Err(ShardError::Mismatch(format!(
                "shard {}/{n} is given twice",
                s.index
            )));
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(i, _)| format!("{i}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(ShardError::Mismatch(format!(
            "missing shard(s) {}",
            missing.join(", ")
        )));
    }
    Ok(())
}

/// Combines the run partials of every shard into the unsharded results.
///
/// # Errors
/// [`ShardError::Mismatch`] when the parts are of different runs, repeat a shard or miss one.
pub fn merge_runs(mut parts: Vec<RunPartial>) -> Result<Results, ShardError> {
    check_cover(&parts.iter().map(|p| p.shard).collect::<Vec<_>>())?;
    parts.sort_by_key(|p| p.shard.index);
    let first = &parts[0];
    for p in &parts[1..] {
        if p.scenario_text != first.scenario_text
            || p.seed != first.seed
            || p.replications != first.replications
            || p.variants != first.variants
        {
            return Err(ShardError::Mismatch(format!(
                "shard {} ran another scenario, seed, replication count or variant selection than shard {}",
                p.shard.index, first.shard.index
            )));
        }
    }
    let s = crate::scenario::parse(&first.scenario_text, &first.file)?;
    let opts = RunOptions {
        replications: Some(first.replications),
        seed: Some(first.seed),
        variants: first.variants.clone(),
        ..Default::default()
    };
    let prepared: Prepared = super::prepare(&s, &opts)?;
    let nv = prepared.models.len();
    let reps = prepared.reps as usize;
    let mut slots: Vec<Option<RepResult>> = vec![None; nv * reps];
    for p in parts {
        if p.reps.len() != nv {
            return Err(ShardError::Mismatch(format!(
                "shard {} holds {} variants, the scenario selects {nv}",
                p.shard.index,
                p.reps.len()
            )));
        }
        for (v, list) in p.reps.into_iter().enumerate() {
            for (k, r) in p.ks.iter().zip(list) {
                let k = *k as usize;
                if k >= reps {
                    return Err(ShardError::Mismatch(format!(
                        "shard {} holds replication {k} of {reps}",
                        p.shard.index
                    )));
                }
                slots[v * reps + k] = r;
            }
        }
    }
    Ok(super::finish(&s, &prepared, slots, 1)?)
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
