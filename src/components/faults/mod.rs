//! Faults: what breaks, when, for how long — scheduled faults (`at`, `duration`) and random
//! failures of every instance (exponential times to failure and to repair, `mtbf`/`mttr`).
//!
//! The scenario holds [`Fault`]s with their targets resolved per variant; the model compiles
//! them into [`FaultPlan`]s over node indices; during a replication [`FaultState`] (see
//! [`state`]) tracks which faults are active and which instances are down, and answers the
//! engine's questions at the moment a request reaches a node (is it refused, delayed, failed?).
//!
//! # Configuration
//!
//! `[[faults]]`: `kind` (`crash`, `slow`, `error`, `latency`, `partition`, `host_outage`,
//! `zone_outage`), `target` (a unit, module, database, data store, load balancer, cache or
//! `gateway` in every variant; a host or zone name for outages) or `groups` (a partition),
//! `at` (default 0 s), `duration` (default: to the end of the run), `instances` (default all),
//! the kind's parameter (`factor`, `rate`, `added`), or random failures (`mtbf` with `mttr`).
//! Defaults: docs/sources.md row *fault defaults*. A key of another kind is an error.
//!
//! # Files
//!
//! - `mod.rs`: the validated [`Fault`] and its [`FaultPlan`] over node indices.
//! - `raw.rs`: the TOML keys ([`raw::RawFault`], [`raw::RawFaultKind`]).
//! - `resolve.rs`: raw → [`Fault`] with its targets in every variant, with located
//!   diagnostics.
//! - `state.rs`: which faults are active and which instances are down ([`FaultState`]).
//! - `sim.rs`: the faults in a replication ([`Faults`]).
//! - `crash.rs`: what a crash or a slowdown does to the requests and jobs of an instance.
//! - `report.rs`: the episodes of random failures in the results
//!   ([`report::RandomBlastRadius`]).
//! - `estimate.rs`: none: the estimate describes every instance up at nominal speed.

mod crash;
pub mod estimate;
pub mod raw;
pub mod report;
pub(crate) mod resolve;
mod sim;

pub use sim::*;

pub mod state;

pub use state::FaultState;

/// What a fault does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    /// Instances of the target are down: requests in them fail `crashed`, new requests go to
    /// the other instances, or fail `crashed` when none is up.
    Crash,
    /// Service demand on the target multiplied by `factor` (the instances run `factor` times
    /// slower; jobs already running slow down from that instant).
    Slow {
        /// Multiplier (> 0; > 1 slows down).
        factor: f64,
    },
    /// A runaway process in each instance of the target burns `cores` cores: an instance
    /// with cores of its own (or a `cpu_limit`) keeps the rest; one sharing its host's cores
    /// takes them from the host, so every instance sharing it (its neighbours) has fewer.
    CpuHog {
        /// Cores burnt per instance (> 0, fewer than the cores it draws from).
        cores: f64,
    },
    /// Each request reaching the target fails `error` with probability `rate`.
    Error {
        /// Probability (0 to 1).
        rate: f64,
    },
    /// Each request reaching the target is delayed by `added` before admission.
    Latency {
        /// Added delay \[ns\].
        added: u64,
    },
    /// Calls between the two groups fail `error` at once (connection refused).
    Partition,
    /// Every instance on a host (`zone = false`) or in a zone (`zone = true`) is down, as in
    /// a crash of each ([`FaultPlan::stations`] lists them).
    Outage {
        /// A zone outage rather than a host outage.
        zone: bool,
    },
}

impl FaultKind {
    /// The kind's name in the file and the results.
    pub fn name(&self) -> &'static str {
        match self {
            FaultKind::Crash => "crash",
            FaultKind::Slow { .. } => "slow",
            FaultKind::CpuHog { .. } => "cpu_hog",
            FaultKind::Error { .. } => "error",
            FaultKind::Latency { .. } => "latency",
            FaultKind::Partition => "partition",
            FaultKind::Outage { zone: false } => "host_outage",
            FaultKind::Outage { zone: true } => "zone_outage",
        }
    }
}

/// A node a fault hits in one variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultTarget {
    /// A unit (by index in the variant).
    Unit(usize),
    /// A database (by index in the variant).
    Database(usize),
    /// The variant's API gateway.
    Gateway,
    /// An explicit load balancer (by index in the variant).
    LoadBalancer(usize),
    /// A cache node (by index in the variant).
    Cache(usize),
    /// A host (by index in the variant's hosts).
    Host(usize),
    /// A zone (by index in the variant's zones).
    Zone(usize),
    /// An external service (by index in the scenario's externals).
    External(usize),
}

/// Where the targets of a variant sit among the model's nodes.
#[derive(Debug, Clone, Copy)]
pub struct TargetNodes<'a> {
    /// Node index of the first database.
    pub db_base: usize,
    /// Node index of the gateway (one past the last node for a gateway that is a plain delay).
    pub gateway: u32,
    /// Node index of each load balancer.
    pub lbs: &'a [u32],
    /// Node index of each cache node.
    pub caches: &'a [u32],
    /// Node index of each external service.
    pub externals: &'a [u32],
}

/// Random failures: every instance of the target fails after an exponential time of mean
/// `mtbf` and is repaired after an exponential time of mean `mttr`, independently.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomFailures {
    /// Mean time between failures \[ns\].
    pub mtbf: u64,
    /// Mean time to repair \[ns\].
    pub mttr: u64,
}

/// One `[[faults]]` entry, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// Name in the results (`name`, or `KIND TARGET`).
    pub name: String,
    /// What it does.
    pub kind: FaultKind,
    /// Per variant (by index), the nodes hit (empty for a partition).
    pub targets: Vec<Vec<FaultTarget>>,
    /// Partition only: per variant, the two groups.
    pub groups: Vec<[Vec<FaultTarget>; 2]>,
    /// Crash: only the first `instances` instances of each target (default all).
    pub instances: Option<u32>,
    /// Start \[ns\] from the start of the run (default 0).
    pub at: u64,
    /// Length \[ns\]; `None` = to the end of the run.
    pub duration: Option<u64>,
    /// Random failures instead of a scheduled window (crash only).
    pub random: Option<RandomFailures>,
}

/// A fault compiled for one variant: node indices instead of targets. The gateway is node
/// `model.nodes.len()`.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    /// Name in the results.
    pub name: String,
    /// What it does.
    pub kind: FaultKind,
    /// Nodes hit.
    pub nodes: Vec<u32>,
    /// Partition groups (node indices).
    pub groups: [Vec<u32>; 2],
    /// Crash: instances hit per node (`u32::MAX` = all).
    pub instances: u32,
    /// Start \[ns\].
    pub start: u64,
    /// End \[ns\] (`u64::MAX` = never).
    pub end: u64,
    /// Random failures (mean up time, mean down time \[ns\]).
    pub random: Option<RandomFailures>,
    /// Outage: the instances (station indices) on the host or in the zone; filled in by the
    /// model, which knows the placement.
    pub stations: Vec<u32>,
}

impl FaultPlan {
    /// Compiles `f` for variant `v`, whose targets sit at `at`.
    pub fn compile(f: &Fault, v: usize, at: &TargetNodes<'_>) -> FaultPlan {
        let node = |t: &FaultTarget| match *t {
            FaultTarget::Unit(u) => u as u32,
            FaultTarget::Database(d) => (at.db_base + d) as u32,
            FaultTarget::Gateway => at.gateway,
            FaultTarget::LoadBalancer(l) => at.lbs[l],
            FaultTarget::Cache(c) => at.caches[c],
            FaultTarget::External(e) => at.externals[e],
            // Placement targets are expanded to stations by the model.
            FaultTarget::Host(_) | FaultTarget::Zone(_) => u32::MAX,
        };
        let nodes = f
            .targets
            .get(v)
            .map(|ts| ts.iter().map(node).filter(|&n| n != u32::MAX).collect())
            .unwrap_or_default();
        let groups = match f.groups.get(v) {
            Some([a, b]) => [a.iter().map(node).collect(), b.iter().map(node).collect()],
            None => [Vec::new(), Vec::new()],
        };
        FaultPlan {
            name: f.name.clone(),
            kind: f.kind,
            nodes,
            groups,
            instances: f.instances.unwrap_or(u32::MAX),
            start: f.at,
            end: f.duration.map_or(u64::MAX, |d| f.at.saturating_add(d)),
            random: f.random,
            stations: Vec::new(),
        }
    }
}

/// Episodes of a random-failure fault over the measured interval. An *episode* is a maximal
/// interval during which at least one instance of the fault's targets is down because of it.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct EpisodeRep {
    /// Episodes started in the interval (one in progress when it began counts too).
    pub episodes: u64,
    /// Instance failures in the interval.
    pub failures: u64,
    /// Time inside episodes \[ns\].
    pub degraded_ns: f64,
    /// Per entry: failed requests answered inside an episode.
    pub failed_during: Vec<u64>,
}
