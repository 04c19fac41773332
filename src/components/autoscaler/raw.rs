//! The raw `autoscale = { ... }` table of a unit, as the file says it (its doc comments are the
//! JSON Schema's descriptions).

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::raw::{DistSpec, Duration, Int, Num};

/// `autoscale = { ... }` on a unit (Kubernetes HPA semantics).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscale {
    /// Target time-averaged CPU utilization per instance (0 < u ≤ 1); exclusive with
    /// `target_in_flight`.
    pub target_utilization: Option<Num>,
    /// Target time-averaged requests present per instance (> 0).
    pub target_in_flight: Option<Num>,
    /// Fewest instances (1 to 100000, default 1).
    pub min: Option<Int>,
    /// Most instances (required, ≥ `min`).
    pub max: Option<Int>,
    /// Sync period (default "15s").
    pub period: Option<Duration>,
    /// No change while |metric / target − 1| ≤ tolerance (0 to < 1, default 0.1).
    pub tolerance: Option<Num>,
    /// Scale-up stabilization window (default "0s").
    pub scale_up_window: Option<Duration>,
    /// Scale-down stabilization window (default "300s").
    pub scale_down_window: Option<Duration>,
    /// Start-up time of a new instance, a duration or distribution (default "5s").
    pub startup: Option<DistSpec>,
    /// Scale-up rate limit: instances added per `scale_up_period` (default 4) ...
    pub scale_up_pods: Option<Int>,
    /// ... or this percentage of the instances, whichever is larger (default 100).
    pub scale_up_percent: Option<Num>,
    /// Period of the scale-up rate limit (default "15s").
    pub scale_up_period: Option<Duration>,
}
