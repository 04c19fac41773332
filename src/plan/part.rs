//! The file format of a shard's partial result (`run --shard K/N --json`,
//! `sweep --shard K/N --json`): an envelope that says what the part is and what it was
//! computed from, around the payload the merge combines.
//!
//! ```json
//! { "format": "archsim-part", "format_version": 2, "kind": "run",
//!   "shard": { "index": 0, "count": 4 },
//!   "identity": { "scenario": "...", "scenario_sha256": "...", "seed": 1, ... },
//!   "digest": "<SHA-256 of identity>",
//!   "payload_sha256": "<SHA-256 of the payload's text>",
//!   "payload": { ... } }
//! ```
//!
//! The merge recomputes both digests: a part whose header or payload was edited, cut or
//! truncated is refused, and parts whose identities differ are refused naming the field.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::sweep::{KneeRule, SweepResults};
use crate::runner::shard::{RunPartial, Shard, ShardError};

/// The value of `format` in every part.
pub const PART_FORMAT: &str = "archsim-part";
/// The layout version of parts this build writes and reads: 2 since a replication's failure
/// counts include `lock_timeout` (version 1 had one reason fewer).
pub const PART_FORMAT_VERSION: u32 = 2;

/// What was sharded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartKind {
    /// `run --shard`: the replications are split.
    Run,
    /// `sweep --shard`: the points are split.
    Sweep,
}

/// What a part was computed from: equal in every part of one split (the scenario, every
/// option that changes a result, and the split itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartIdentity {
    /// Scenario name.
    pub scenario: String,
    /// SHA-256 of the scenario file's text.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Replications per variant (per point of a sweep).
    pub replications: u32,
    /// `--variant` selection (empty: all).
    pub variants: Vec<String>,
    /// `run --slo`.
    pub slo: Option<String>,
    /// `sweep --set`, as given.
    pub sets: Vec<String>,
    /// `sweep --knee`.
    pub knee_rule: Option<KneeRule>,
    /// What is split: the replications of a run or the points of a sweep.
    pub units: u64,
    /// Number of shards.
    pub shards: u32,
}

impl PartIdentity {
    /// SHA-256 (hex) of the identity's JSON.
    pub fn digest(&self) -> String {
        sha256_hex(serde_json::to_string(self).unwrap_or_default().as_bytes())
    }
}

/// A part file as written and read; the payload stays the exact text whose digest the header
/// records.
#[derive(Debug, Serialize, Deserialize)]
pub struct PartFile {
    /// Always [`PART_FORMAT`].
    pub format: String,
    /// [`PART_FORMAT_VERSION`] of the build that wrote it.
    pub format_version: u32,
    /// Run or sweep.
    pub kind: PartKind,
    /// Which shard.
    pub shard: Shard,
    /// What it was computed from.
    pub identity: PartIdentity,
    /// SHA-256 of `identity`.
    pub digest: String,
    /// SHA-256 of the payload's text.
    pub payload_sha256: String,
    /// A [`RunPartial`] or a partial [`SweepResults`].
    pub payload: Box<RawValue>,
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Wraps a payload into a part: the envelope with both digests.
///
/// # Errors
/// When the payload cannot be serialized (not expected).
pub fn seal<T: Serialize>(
    kind: PartKind,
    shard: Shard,
    identity: PartIdentity,
    payload: &T,
) -> Result<String, serde_json::Error> {
    let text = serde_json::to_string(payload)?;
    let file = PartFile {
        format: PART_FORMAT.into(),
        format_version: PART_FORMAT_VERSION,
        kind,
        shard,
        digest: identity.digest(),
        identity,
        payload_sha256: sha256_hex(text.as_bytes()),
        payload: RawValue::from_string(text)?,
    };
    let mut out = serde_json::to_string_pretty(&file)?;
    out.push('\n');
    Ok(out)
}

/// The part of a run shard.
///
/// # Errors
/// When the payload cannot be serialized (not expected).
pub fn seal_run(p: &RunPartial, shard: Shard, scenario: &str) -> Result<String, serde_json::Error> {
    let identity = PartIdentity {
        scenario: scenario.to_string(),
        scenario_sha256: sha256_hex(p.scenario_text.as_bytes()),
        seed: p.seed,
        replications: p.replications,
        variants: p.variants.clone(),
        slo: p.slo.clone(),
        sets: Vec::new(),
        knee_rule: None,
        units: u64::from(p.replications),
        shards: shard.count,
    };
    seal(PartKind::Run, shard, identity, p)
}

/// The options of a sweep that its identity records besides the results' own fields.
pub struct SweepIdentity<'a> {
    /// The scenario file's text.
    pub text: &'a str,
    /// The seed asked for (`--seed`, else the scenario's; a sweep over `seed` changes it per
    /// point, and the results hold the last point's).
    pub seed: u64,
    /// The replications asked for (the results hold the fewest a point finished).
    pub replications: u32,
    /// `--variant`.
    pub variants: &'a [String],
    /// `--set`, as given.
    pub sets: &'a [String],
}

/// The part of a sweep shard.
///
/// # Errors
/// When the payload cannot be serialized (not expected).
pub fn seal_sweep(r: &SweepResults, id: &SweepIdentity<'_>) -> Result<String, serde_json::Error> {
    let shard = r.shard.unwrap_or(Shard { index: 0, count: 1 });
    let identity = PartIdentity {
        scenario: r.scenario.clone(),
        scenario_sha256: sha256_hex(id.text.as_bytes()),
        seed: id.seed,
        replications: id.replications,
        variants: id.variants.to_vec(),
        slo: None,
        sets: id.sets.to_vec(),
        knee_rule: Some(r.knee_rule),
        units: r.total_points as u64,
        shards: shard.count,
    };
    seal(PartKind::Sweep, shard, identity, r)
}

/// A part read and checked: its header and typed payload.
pub struct Part {
    /// The file it was read from.
    pub file: String,
    /// Which shard.
    pub shard: Shard,
    /// What it was computed from.
    pub identity: PartIdentity,
    /// The payload.
    pub payload: Payload,
}

/// A part's payload.
pub enum Payload {
    /// Of a run shard.
    Run(Box<RunPartial>),
    /// Of a sweep shard.
    Sweep(Box<SweepResults>),
}

#[derive(Deserialize)]
struct Marker {
    format: Option<String>,
    format_version: Option<u32>,
    partial: Option<String>,
    shard: Option<Shard>,
}

/// Whether `text` is a shard's part (of this or an older layout), as `(kind, shard)` when
/// known: `report` and the other readers of results documents point to `merge` for these.
pub fn part_marker(text: &str) -> Option<(Option<PartKind>, Option<Shard>)> {
    let m: Marker = serde_json::from_str(text).ok()?;
    if m.format.as_deref() == Some(PART_FORMAT) {
        #[derive(Deserialize)]
        struct Kind {
            kind: Option<PartKind>,
        }
        let kind = serde_json::from_str::<Kind>(text).ok().and_then(|k| k.kind);
        return Some((kind, m.shard));
    }
    if m.partial.as_deref() == Some("run") {
        return Some((Some(PartKind::Run), m.shard));
    }
    m.shard.map(|s| (Some(PartKind::Sweep), Some(s)))
}

/// Reads a part: checks the format and version, the shard, both digests and the payload's
/// agreement with the header.
///
/// # Errors
/// [`ShardError::Part`] naming what is wrong.
pub fn read(file: &str, text: &str) -> Result<Part, ShardError> {
    let err = |message: String| ShardError::Part {
        file: file.to_string(),
        message,
    };
    let marker: Marker = serde_json::from_str(text).map_err(|e| {
        err(format!(
            "not a part (`run --shard K/N --json` or `sweep --shard K/N --json`): {e}"
        ))
    })?;
    match (marker.format.as_deref(), marker.format_version) {
        (Some(PART_FORMAT), Some(PART_FORMAT_VERSION)) => {}
        (Some(PART_FORMAT), v) => {
            return Err(err(format!(
                "part format version {}, this archsim reads version {PART_FORMAT_VERSION}: rerun the shard with this archsim",
                v.map_or("missing".to_string(), |v| v.to_string())
            )))
        }
        _ if marker.partial.is_some() || marker.shard.is_some() => {
            return Err(err(
                "a part written by an older archsim (no format version or digest): rerun the shard with this archsim".into(),
            ))
        }
        _ => {
            return Err(err(
                "not a part: `format` is not \"archsim-part\" (merge reads the files of `run --shard K/N --json` and `sweep --shard K/N --json`; a complete results document needs no merge)".into(),
            ))
        }
    }
    let f: PartFile = serde_json::from_str(text).map_err(|e| {
        err(format!(
            "line {}, column {}: not a part of format version {PART_FORMAT_VERSION}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    f.shard.check().map_err(err)?;
    if f.identity.digest() != f.digest {
        return Err(err(
            "header altered: its `digest` does not match its `identity` (scenario and options)"
                .into(),
        ));
    }
    if sha256_hex(f.payload.get().as_bytes()) != f.payload_sha256 {
        return Err(err(
            "payload altered: its SHA-256 differs from `payload_sha256`, recorded when the shard was written (the file was edited, cut or truncated)".into(),
        ));
    }
    if f.identity.shards != f.shard.count {
        return Err(err(format!(
            "shard {}/{} in a split recorded as {} shards",
            f.shard.index, f.shard.count, f.identity.shards
        )));
    }
    let payload = match f.kind {
        PartKind::Run => {
            let p: RunPartial = serde_json::from_str(f.payload.get())
                .map_err(|e| err(format!("run payload: {e}")))?;
            check_run_payload(&p, &f.identity).map_err(err)?;
            Payload::Run(Box::new(p))
        }
        PartKind::Sweep => {
            let p: SweepResults = serde_json::from_str(f.payload.get())
                .map_err(|e| err(format!("sweep payload: {e}")))?;
            check_sweep_payload(&p, &f.identity, f.shard).map_err(err)?;
            Payload::Sweep(Box::new(p))
        }
    };
    Ok(Part {
        file: file.to_string(),
        shard: f.shard,
        identity: f.identity,
        payload,
    })
}

fn check_run_payload(p: &RunPartial, id: &PartIdentity) -> Result<(), String> {
    let differs = |field: &str| Err(format!("the payload's {field} differs from the header's"));
    if sha256_hex(p.scenario_text.as_bytes()) != id.scenario_sha256 {
        return differs("scenario text");
    }
    if p.seed != id.seed {
        return differs("seed");
    }
    if p.replications != id.replications || u64::from(p.replications) != id.units {
        return differs("replication count");
    }
    if p.variants != id.variants {
        return differs("variant selection");
    }
    if p.slo != id.slo {
        return differs("SLO");
    }
    if p.reps.iter().any(|v| v.len() != p.ks.len()) {
        return Err(format!(
            "the payload lists {} replications but holds another number of measurements for a variant",
            p.ks.len()
        ));
    }
    Ok(())
}

fn check_sweep_payload(p: &SweepResults, id: &PartIdentity, shard: Shard) -> Result<(), String> {
    let differs = |field: &str| Err(format!("the payload's {field} differs from the header's"));
    if p.scenario != id.scenario {
        return differs("scenario name");
    }
    if p.total_points as u64 != id.units {
        return differs("point count");
    }
    if Some(p.knee_rule) != id.knee_rule {
        return differs("knee rule");
    }
    if p.shard != Some(shard) {
        return differs("shard");
    }
    if p.replications > id.replications {
        return differs("replication count");
    }
    Ok(())
}
