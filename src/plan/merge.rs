//! Merging the partial results of a sharded run or sweep (`archsim merge`): reads each part
//! ([`super::part`]: format version, digests), checks that together they are every shard of
//! one run or sweep, each replication or point once and finished, and combines them into
//! exactly the document the unsharded command writes (see [`crate::runner::shard`]).
//! With `allow_partial` what exists is combined and the document's `partial` field lists
//! what is missing.

use std::collections::BTreeMap;

use super::part::{Part, PartIdentity, Payload};
use super::sweep::SweepResults;
use crate::engine::record::RepResult;
use crate::results::{PartialMerge, Results};
use crate::runner::shard::{combine, RunPartial, Shard, ShardError};

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

/// Reads and checks a part file's text (see [`super::part::read`]).
///
/// # Errors
/// [`ShardError::Part`] naming what is wrong.
pub fn parse_partial(file: &str, text: &str) -> Result<Part, ShardError> {
    super::part::read(file, text)
}

/// Combines the parts into the unsharded result.
///
/// # Errors
/// [`ShardError::Mismatch`] when the parts are of different runs or sweeps (naming the field
/// that differs), repeat a shard, a replication or a point; [`ShardError::Incomplete`] when a
/// shard, a replication or a point is missing, unless `allow_partial`.
pub fn merge(mut parts: Vec<Part>, allow_partial: bool) -> Result<Merged, ShardError> {
    if parts.is_empty() {
        return Err(ShardError::Mismatch("no partial results given".into()));
    }
    parts.sort_by_key(|p| p.shard.index);
    let first = &parts[0];
    for p in &parts[1..] {
        if let Some(d) = identity_difference(first, p) {
            return Err(ShardError::Mismatch(d));
        }
    }
    for w in parts.windows(2) {
        if w[0].shard == w[1].shard {
            return Err(ShardError::Mismatch(format!(
                "shard {} is given twice: {} and {}",
                name(w[0].shard),
                w[0].file,
                w[1].file
            )));
        }
    }
    let shards = first.identity.shards;
    let missing_shards: Vec<u32> = (0..shards)
        .filter(|k| !parts.iter().any(|p| p.shard.index == *k))
        .collect();
    if matches!(first.payload, Payload::Run(_)) {
        merge_runs(parts, missing_shards, allow_partial).map(|r| Merged::Run(Box::new(r)))
    } else {
        merge_sweeps(parts, missing_shards, allow_partial).map(|r| Merged::Sweep(Box::new(r)))
    }
}

fn name(s: Shard) -> String {
    format!("{}/{}", s.index, s.count)
}

/// Says how two parts' identities differ, naming the first differing field.
fn identity_difference(a: &Part, b: &Part) -> Option<String> {
    let kind = |p: &Part| match p.payload {
        Payload::Run(_) => "run",
        Payload::Sweep(_) => "sweep",
    };
    let intro = format!(
        "{} (shard {}) and {} (shard {}) are not parts of one",
        b.file,
        name(b.shard),
        a.file,
        name(a.shard)
    );
    if kind(a) != kind(b) {
        return Some(format!(
            "{intro} split: {} is of a {}, {} of a {}",
            b.file,
            kind(b),
            a.file,
            kind(a)
        ));
    }
    if a.identity == b.identity {
        return None;
    }
    let fields = |id: &PartIdentity| match serde_json::to_value(id) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    let (fa, fb) = (fields(&a.identity), fields(&b.identity));
    let (field, va) = fa.iter().find(|(k, v)| fb.get(*k) != Some(*v))?;
    let vb = fb.get(field).cloned().unwrap_or(serde_json::Value::Null);
    let what = match field.as_str() {
        "scenario_sha256" => "scenario text (its SHA-256)".to_string(),
        "units" => format!(
            "number of {}",
            if kind(a) == "run" {
                "replications"
            } else {
                "points"
            }
        ),
        f => format!("`{f}`"),
    };
    Some(format!(
        "{intro} {}: the {what} differs: {vb} in {}, {va} in {}",
        kind(a),
        b.file,
        a.file
    ))
}

/// A list of numbers, runs of consecutive ones written `a–b`.
fn ranges<T: Copy + Into<u64>>(xs: &[T]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < xs.len() {
        let start: u64 = xs[i].into();
        let mut end = start;
        while i + 1 < xs.len() && xs[i + 1].into() == end + 1 {
            end += 1;
            i += 1;
        }
        out.push(if end > start {
            format!("{start}–{end}")
        } else {
            start.to_string()
        });
        i += 1;
    }
    out.join(", ")
}

const RERUN: &str =
    "rerun those shards with the same command (`--shard K/N`), or merge what exists with --allow-partial";

fn merge_runs(
    parts: Vec<Part>,
    missing_shards: Vec<u32>,
    allow_partial: bool,
) -> Result<Results, ShardError> {
    let shards = parts[0].identity.shards;
    let reps = parts[0].identity.replications;
    let mut owner: BTreeMap<u32, String> = BTreeMap::new();
    let mut present: Vec<(u32, Vec<RepResult>)> = Vec::new();
    let mut unfinished: Vec<String> = Vec::new();
    let mut missing: Vec<u32> = Vec::new();
    let mut template: Option<RunPartial> = None;
    for part in parts {
        let Payload::Run(p) = part.payload else {
            continue;
        };
        let mut p = *p;
        let expected = part.shard.replications(reps);
        let mut not_done = Vec::new();
        let per_variant = std::mem::take(&mut p.reps);
        let mut columns: Vec<std::vec::IntoIter<Option<RepResult>>> =
            per_variant.into_iter().map(Vec::into_iter).collect();
        for &k in &p.ks {
            if k >= reps {
                return Err(ShardError::Mismatch(format!(
                    "{} (shard {}) holds replication {k}, the run has {reps} (0 to {})",
                    part.file,
                    name(part.shard),
                    reps.saturating_sub(1)
                )));
            }
            if let Some(other) = owner.insert(k, part.file.clone()) {
                return Err(ShardError::Mismatch(format!(
                    "replication {k} is in both {other} and {} (overlapping parts)",
                    part.file
                )));
            }
            if !expected.contains(&k) {
                return Err(ShardError::Mismatch(format!(
                    "{} (shard {}) holds replication {k}, which belongs to another shard (shard {} has {})",
                    part.file,
                    name(part.shard),
                    name(part.shard),
                    describe_reps(&expected)
                )));
            }
            let row: Vec<Option<RepResult>> =
                columns.iter_mut().map(|c| c.next().flatten()).collect();
            if row.iter().all(Option::is_some) {
                present.push((k, row.into_iter().flatten().collect()));
            } else {
                not_done.push(k);
            }
        }
        let absent: Vec<u32> = expected
            .iter()
            .copied()
            .filter(|k| !p.ks.contains(k))
            .chain(not_done.iter().copied())
            .collect();
        if !absent.is_empty() {
            unfinished.push(format!(
                "{} (shard {}) holds {} of its {} replications: {} did not finish (the shard was interrupted)",
                part.file,
                name(part.shard),
                expected.len() - absent.len(),
                expected.len(),
                ranges(&absent)
            ));
            missing.extend(absent);
        }
        template.get_or_insert(p);
    }
    for &k in &missing_shards {
        missing.extend(
            Shard {
                index: k,
                count: shards,
            }
            .replications(reps),
        );
    }
    missing.sort_unstable();
    if !missing.is_empty() && !allow_partial {
        return Err(ShardError::Incomplete(incomplete_message(
            &missing_shards,
            shards,
            &unfinished,
            &format!("replications {}", ranges(&missing)),
        )));
    }
    let Some(template) = template else {
        return Err(ShardError::Mismatch("no run part given".into()));
    };
    if present.is_empty() {
        return Err(ShardError::Incomplete(
            "no replication finished in any part: nothing to merge".into(),
        ));
    }
    present.sort_by_key(|(k, _)| *k);
    let n = present.len();
    let mut r = combine(&template, present)?;
    if !missing.is_empty() {
        r.warnings.insert(
            0,
            format!(
                "partial merge: {n} of {reps} replications; missing replications {} (see `partial`)",
                ranges(&missing)
            ),
        );
        r.partial = Some(PartialMerge {
            shards,
            missing_shards,
            missing_replications: missing,
            missing_points: Vec::new(),
        });
    }
    Ok(r)
}

fn describe_reps(ks: &[u32]) -> String {
    if ks.is_empty() {
        "no replication".into()
    } else {
        format!("replications {}", ranges(ks))
    }
}

fn incomplete_message(
    missing_shards: &[u32],
    shards: u32,
    unfinished: &[String],
    missing: &str,
) -> String {
    let mut what = Vec::new();
    if !missing_shards.is_empty() {
        what.push(format!(
            "no part for shard(s) {} of {shards}",
            ranges(missing_shards)
        ));
    }
    what.extend(unfinished.iter().cloned());
    format!(
        "incomplete: {}; missing {missing}. To finish, {RERUN}",
        what.join("; ")
    )
}

fn merge_sweeps(
    parts: Vec<Part>,
    missing_shards: Vec<u32>,
    allow_partial: bool,
) -> Result<SweepResults, ShardError> {
    let shards = parts[0].identity.shards;
    let total = parts[0].identity.units as usize;
    let asked = parts[0].identity.replications;
    let mut owner: BTreeMap<usize, String> = BTreeMap::new();
    let mut unfinished = Vec::new();
    let mut missing: Vec<usize> = Vec::new();
    let mut merged: Option<SweepResults> = None;
    // The unsharded sweep reports the seed of its last point (a sweep may vary `seed`).
    let mut last: Option<(usize, u64)> = None;
    let mut points = Vec::new();
    let mut warnings = Vec::new();
    for part in parts {
        let Payload::Sweep(p) = part.payload else {
            continue;
        };
        let mut p = *p;
        let expected = part.shard.points(total);
        for pt in &p.points {
            if let Some(other) = owner.insert(pt.index, part.file.clone()) {
                return Err(ShardError::Mismatch(format!(
                    "point {} is in both {other} and {} (overlapping parts)",
                    pt.index, part.file
                )));
            }
            if !expected.contains(&pt.index) {
                return Err(ShardError::Mismatch(format!(
                    "{} (shard {}) holds point {} of {total}, which is not one of its points",
                    part.file,
                    name(part.shard),
                    pt.index
                )));
            }
        }
        let absent: Vec<usize> = expected
            .iter()
            .copied()
            .filter(|i| !p.points.iter().any(|pt| pt.index == *i))
            .collect();
        if !absent.is_empty() {
            unfinished.push(format!(
                "{} (shard {}) holds {} of its {} points: {} did not finish (the shard was interrupted)",
                part.file,
                name(part.shard),
                expected.len() - absent.len(),
                expected.len(),
                ranges(&absent.iter().map(|&i| i as u64).collect::<Vec<_>>())
            ));
            missing.extend(absent);
        }
        if p.replications < asked {
            unfinished.push(format!(
                "{} (shard {}): a point finished only {} of {asked} replications (the shard was interrupted)",
                part.file,
                name(part.shard),
                p.replications
            ));
        }
        if let Some(pt) = p.points.last() {
            if !matches!(last, Some((i, _)) if i > pt.index) {
                last = Some((pt.index, p.seed));
            }
        }
        points.append(&mut p.points);
        warnings.append(&mut p.warnings);
        let replications = p.replications;
        let m = merged.get_or_insert(p);
        m.replications = m.replications.min(replications);
    }
    for &k in &missing_shards {
        missing.extend(
            Shard {
                index: k,
                count: shards,
            }
            .points(total),
        );
    }
    missing.sort_unstable();
    if (!unfinished.is_empty() || !missing.is_empty()) && !allow_partial {
        let list: Vec<u64> = missing.iter().map(|&i| i as u64).collect();
        return Err(ShardError::Incomplete(incomplete_message(
            &missing_shards,
            shards,
            &unfinished,
            &format!(
                "points {}",
                if list.is_empty() {
                    "none".into()
                } else {
                    ranges(&list)
                }
            ),
        )));
    }
    let Some(mut merged) = merged else {
        return Err(ShardError::Mismatch("no sweep part given".into()));
    };
    points.sort_by_key(|p| p.index);
    merged.points = points;
    merged.warnings = warnings;
    if let Some((_, seed)) = last {
        merged.seed = seed;
    }
    merged.shard = None;
    merged.find_knees();
    if !missing.is_empty() || !unfinished.is_empty() {
        merged.warnings.insert(
            0,
            format!(
                "partial merge: {} of {total} points (see `partial`)",
                merged.points.len()
            ),
        );
        merged.partial = Some(PartialMerge {
            shards,
            missing_shards,
            missing_replications: Vec::new(),
            missing_points: missing,
        });
    }
    Ok(merged)
}
