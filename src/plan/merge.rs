//! Merging the partial results of a sharded run or sweep (`archsim merge`): reads each part,
//! checks that together they are every shard of one run or sweep, and combines them into
//! exactly the document the unsharded command writes (see [`crate::runner::shard`]).

use super::sweep::SweepResults;
use crate::results::Results;
use crate::runner::shard::{check_cover, merge_runs, RunPartial, Shard, ShardError};

/// A partial result read from a file.
pub enum Partial {
    /// From `run --shard`.
    Run(Box<RunPartial>),
    /// From `sweep --shard`.
    Sweep(Box<SweepResults>),
}

/// A merged document.
pub enum Merged {
    /// The results of a run.
    Run(Box<Results>),
    /// The results of a sweep.
    Sweep(Box<SweepResults>),
}

impl Merged {
    /// Pretty JSON, as `run --json` / `sweep --json` write it.
    pub fn to_json(&self) -> String {
        match self {
            Merged::Run(r) => r.to_json(),
            Merged::Sweep(r) => r.to_json(),
        }
    }
}

/// Parses a partial result file's text.
///
/// # Errors
/// [`ShardError::Part`] when it is neither a run nor a sweep partial.
pub fn parse_partial(file: &str, text: &str) -> Result<Partial, ShardError> {
    let part = |message: String| ShardError::Part {
        file: file.to_string(),
        message,
    };
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| part(format!("not JSON: {e}")))?;
    if v.get("partial").and_then(|p| p.as_str()) == Some("run") {
        let p: RunPartial =
            serde_json::from_value(v).map_err(|e| part(format!("not a run partial: {e}")))?;
        return Ok(Partial::Run(Box::new(p)));
    }
    if v.get("points").is_some() {
        let p: SweepResults =
            serde_json::from_value(v).map_err(|e| part(format!("not a sweep partial: {e}")))?;
        if p.shard.is_none() {
            return Err(part(
                "a complete sweep result, not a partial (written without --shard)".into(),
            ));
        }
        return Ok(Partial::Sweep(Box::new(p)));
    }
    Err(part(
        "neither a partial run (`run --shard K/N --json`) nor a partial sweep (`sweep --shard K/N --json`)".into(),
    ))
}

/// Combines every shard's partial into the unsharded result.
///
/// # Errors
/// [`ShardError::Mismatch`] when the parts are of different runs, repeat a shard or miss one.
pub fn merge(parts: Vec<Partial>) -> Result<Merged, ShardError> {
    if parts.is_empty() {
        return Err(ShardError::Mismatch("no partial results given".into()));
    }
    let runs = parts
        .iter()
        .filter(|p| matches!(p, Partial::Run(_)))
        .count();
    if runs != 0 && runs != parts.len() {
        return Err(ShardError::Mismatch(
            "some parts are from a run and some from a sweep".into(),
        ));
    }
    if runs > 0 {
        let parts: Vec<RunPartial> = parts
            .into_iter()
            .filter_map(|p| match p {
                Partial::Run(r) => Some(*r),
                Partial::Sweep(_) => None,
            })
            .collect();
        merge_runs(parts).map(|r| Merged::Run(Box::new(r)))
    } else {
        let parts: Vec<SweepResults> = parts
            .into_iter()
            .filter_map(|p| match p {
                Partial::Sweep(r) => Some(*r),
                Partial::Run(_) => None,
            })
            .collect();
        merge_sweeps(parts).map(|r| Merged::Sweep(Box::new(r)))
    }
}

fn merge_sweeps(mut parts: Vec<SweepResults>) -> Result<SweepResults, ShardError> {
    let shards: Vec<Shard> = parts.iter().filter_map(|p| p.shard).collect();
    check_cover(&shards)?;
    parts.sort_by_key(|p| p.shard.map_or(0, |s| s.index));
    let mut merged = parts[0].clone();
    for p in &parts[1..] {
        if p.scenario != merged.scenario
            || p.parameters != merged.parameters
            || p.total_points != merged.total_points
            || p.seed != merged.seed
            || p.replications != merged.replications
            || p.knee_rule != merged.knee_rule
        {
            return Err(ShardError::Mismatch(
                "the parts are of different sweeps (scenario, parameters, points, seed, replications or knee rule differ)".into(),
            ));
        }
    }
    merged.points = Vec::new();
    merged.warnings = Vec::new();
    for p in parts {
        merged.points.extend(p.points);
        merged.warnings.extend(p.warnings);
    }
    merged.points.sort_by_key(|p| p.index);
    merged.shard = None;
    merged.find_knees();
    Ok(merged)
}
