//! The raw `[[faults]]` table, as the file says it (its doc comments are the JSON Schema's
//! descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{Duration, Int, Num, Sp};

/// `[[faults]]`: a fault injected in every variant.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    /// Name in the results (default `KIND TARGET`).
    pub name: Option<Sp<String>>,
    /// What breaks.
    pub kind: Sp<RawFaultKind>,
    /// A unit, module, database, data store or `gateway` (not for `partition`).
    pub target: Option<Sp<String>>,
    /// Start, from the start of the run (default "0s").
    pub at: Option<Duration>,
    /// Length (default: to the end of the run).
    pub duration: Option<Duration>,
    /// crash: only the first N instances of the target (default all).
    pub instances: Option<Int>,
    /// slow: service demand multiplier (> 0, ≤ 1000).
    pub factor: Option<Num>,
    /// cpu_hog: cores the runaway process burns in each instance of the target (> 0).
    pub cores: Option<Num>,
    /// error: probability a request to the target fails (0 to 1).
    pub rate: Option<Num>,
    /// latency: delay added to each request to the target.
    pub added: Option<Duration>,
    /// partition: two groups of units/modules/databases/data stores.
    pub groups: Option<Sp<Vec<NameList>>>,
    /// crash: random failures of every instance, mean time between failures (with `mttr`).
    pub mtbf: Option<Duration>,
    /// crash: mean time to repair (with `mtbf`).
    pub mttr: Option<Duration>,
}

/// A list of names with their spans.
pub type NameList = Sp<Vec<Sp<String>>>;

/// Fault kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawFaultKind {
    /// Instances down.
    Crash,
    /// Slower service.
    Slow,
    /// A runaway process burning `cores` cores in each instance of the target (on a shared
    /// host, taken from its neighbours).
    CpuHog,
    /// Injected errors.
    Error,
    /// Added latency.
    Latency,
    /// Network partition between two groups.
    Partition,
    /// Every instance on a host down (`target` = the host).
    HostOutage,
    /// Every instance and database in a zone down (`target` = the zone).
    ZoneOutage,
}
