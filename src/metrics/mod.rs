//! Measurements of one replication: latency histograms, failure counts by reason, per-node
//! statistics, time series, and the self-check.

mod histogram;

pub use histogram::LogHistogram;

/// Why a request failed. The names (see [`Reason::name`]) are the keys of `failed_by_reason`
/// in the results and are fixed by the file-format contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Reason {
    /// The queue of a unit was full.
    Rejected = 1,
    /// A client or call timeout expired.
    Timeout,
    /// Serverless concurrency limit (429).
    Throttled,
    /// Gateway rate limit (429).
    RateLimited,
    /// The instance crashed with the request in it.
    Crashed,
    /// An injected or modelled error.
    Error,
    /// A circuit breaker was open.
    CircuitOpen,
    /// No database connection within the acquire timeout.
    PoolTimeout,
    /// A serverless invocation ran past its maximum duration.
    MaxDuration,
    /// Load shedding.
    Shed,
}

impl Reason {
    /// Every reason, in code order.
    pub const ALL: [Reason; 10] = [
        Reason::Rejected,
        Reason::Timeout,
        Reason::Throttled,
        Reason::RateLimited,
        Reason::Crashed,
        Reason::Error,
        Reason::CircuitOpen,
        Reason::PoolTimeout,
        Reason::MaxDuration,
        Reason::Shed,
    ];

    /// The reason's key in results.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Rejected => "rejected",
            Reason::Timeout => "timeout",
            Reason::Throttled => "throttled",
            Reason::RateLimited => "rate_limited",
            Reason::Crashed => "crashed",
            Reason::Error => "error",
            Reason::CircuitOpen => "circuit_open",
            Reason::PoolTimeout => "pool_timeout",
            Reason::MaxDuration => "max_duration",
            Reason::Shed => "shed",
        }
    }

    /// Index into a `[_; 10]` counter array.
    #[inline]
    pub fn index(self) -> usize {
        self as usize - 1
    }

    /// The reason with code `code` (1-based), if any.
    pub fn from_code(code: u8) -> Option<Reason> {
        Reason::ALL.get((code as usize).checked_sub(1)?).copied()
    }
}

/// Per-entry measurements of one replication (requests that arrived after warm-up).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EntryRep {
    /// Requests that arrived in the measured interval.
    pub arrived: u64,
    /// Of those, answered successfully.
    pub completed: u64,
    /// Of those, failed, by [`Reason::index`].
    pub failed: [u64; 10],
    /// Of those, still unanswered at the end of the run (counted by scanning live requests).
    pub in_flight: u64,
    /// Latency of successful requests \[ns\] (its mean is exact).
    pub latency: LogHistogram,
    /// Of the completed, those that succeeded degraded (a fallback answered somewhere).
    pub degraded: u64,
    /// Attempts made by the client (> arrived with client retries).
    pub attempts: u64,
}

impl EntryRep {
    /// Empty measurements.
    pub fn new() -> Self {
        EntryRep {
            arrived: 0,
            completed: 0,
            failed: [0; 10],
            in_flight: 0,
            latency: LogHistogram::new(),
            degraded: 0,
            attempts: 0,
        }
    }

    /// Total failed requests.
    pub fn failed_total(&self) -> u64 {
        self.failed.iter().sum()
    }
}

impl Default for EntryRep {
    fn default() -> Self {
        Self::new()
    }
}

/// Per-node measurements of one replication over the measured interval.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct NodeRep {
    /// Time-averaged busy cores / total cores (0 for serverless nodes).
    pub utilization: f64,
    /// Time-averaged requests in the node (waiting, in service, or waiting on calls).
    pub mean_in_system: f64,
    /// Time-averaged requests waiting for a worker.
    pub mean_in_queue: f64,
    /// Completed invocations per second.
    pub throughput: f64,
    /// Invocations rejected (queue full).
    pub rejected: u64,
    /// Invocations that arrived.
    pub arrivals: u64,
    /// Mean residence time of completed invocations \[s\].
    pub mean_residence_s: f64,
    /// Invocations lost in crashes.
    pub crashed: u64,
    /// Time-averaged instances up.
    pub instances_up: f64,
    /// Fraction of the measured time with no instance up.
    pub all_down_fraction: f64,
    /// Connection pools of the unit's instances (all databases): connections, 0 = no pool.
    #[serde(default)]
    pub pool_size: u32,
    /// Time-averaged connections in use, summed over the pools.
    #[serde(default)]
    pub pool_in_use: f64,
    /// Time-averaged queries waiting for a connection, summed over the pools.
    #[serde(default)]
    pub pool_waiting: f64,
    /// Connections acquired.
    #[serde(default)]
    pub pool_acquires: u64,
    /// Mean wait of the acquired connections \[s\].
    #[serde(default)]
    pub pool_wait_s: f64,
    /// Waits that ended in `pool_timeout`.
    #[serde(default)]
    pub pool_timeouts: u64,
    /// Time-averaged workers in use / workers of the instances (0 with unlimited workers).
    #[serde(default)]
    pub worker_saturation: f64,
    /// Autoscaled units: time-averaged instances provisioned (starting or ready).
    #[serde(default)]
    pub instances_mean: f64,
    /// Autoscaled units: fewest instances provisioned in the measured interval.
    #[serde(default)]
    pub instances_min: u32,
    /// Autoscaled units: most instances provisioned in the measured interval.
    #[serde(default)]
    pub instances_max: u32,
    /// Autoscaled units: syncs that changed the instance count in the measured interval.
    #[serde(default)]
    pub scaling_events: u64,
}

/// Time series of one replication: one value per window.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Series {
    /// Window width \[s\].
    pub window_s: f64,
    /// Per entry: successful completions per second, per window.
    pub throughput: Vec<Vec<f64>>,
    /// Per entry: failures per second, per window.
    pub errors: Vec<Vec<f64>>,
    /// Per entry: p50 latency of the window \[s\] (0 when the window had no completion).
    pub p50: Vec<Vec<f64>>,
    /// Per entry: p99 latency of the window \[s\].
    pub p99: Vec<Vec<f64>>,
    /// Per node: utilization per window.
    pub utilization: Vec<Vec<f64>>,
    /// Per node: mean requests in the node per window.
    pub in_system: Vec<Vec<f64>>,
    /// Per node: instances per window (ready ones at the end of the window for an autoscaled
    /// unit).
    pub instances: Vec<Vec<f64>>,
    /// Per node: instances starting at the end of the window (autoscaled units; else 0).
    #[serde(default)]
    pub instances_starting: Vec<Vec<f64>>,
    /// Per node: time-averaged workers in use / workers, per window.
    #[serde(default)]
    pub worker_saturation: Vec<Vec<f64>>,
    /// Per node: time-averaged requests waiting for a worker, per window.
    #[serde(default)]
    pub waiting: Vec<Vec<f64>>,
    /// Per node: connections in use / connections of the unit's pools, per window (units with
    /// `pool`; 0 for other nodes; empty when no unit has a pool).
    #[serde(default)]
    pub pool_saturation: Vec<Vec<f64>>,
    /// Per node: time-averaged queries waiting for a pool connection, per window (as above).
    #[serde(default)]
    pub pool_waiting: Vec<Vec<f64>>,
    /// Failures per second by origin, `failures[node × entries + entry]` (node `nodes.len()` is
    /// the gateway); kept only for models with faults or resilience policies, else empty.
    pub failures: Vec<Vec<f64>>,
    /// Per queue: messages in the queue (visible or being processed) at the end of the window.
    pub queue_backlog: Vec<Vec<f64>>,
    /// Per queue: age of the oldest visible message at the end of the window \[s\].
    pub queue_oldest_age: Vec<Vec<f64>>,
}

/// Outcomes of one saga over the measured interval (sagas started in it and finished).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct SagaRep {
    /// Every step succeeded.
    pub committed: u64,
    /// A step failed and every compensation of the completed steps succeeded.
    pub compensated: u64,
    /// A step failed and a compensation failed too.
    pub inconsistent: u64,
    /// Sum over failed sagas of the time spent compensating \[ns\].
    pub compensation_ns: f64,
}

/// Everything one replication of one variant measured.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RepResult {
    /// Per entry, in scenario order.
    pub entries: Vec<EntryRep>,
    /// Per node (units then databases).
    pub nodes: Vec<NodeRep>,
    /// Time series.
    pub series: Series,
    /// Events processed.
    pub events: u64,
    /// Wall-clock time \[s\] (excluded from determinism comparisons).
    pub wall_s: f64,
    /// Self-check violations (empty when every invariant holds).
    pub violations: Vec<String>,
    /// Measured interval \[s\].
    pub measured_s: f64,
    /// What the replication consumed that has a price (the input of [`crate::cost::bill`]).
    pub usage: crate::cost::Usage,
    /// Per serverless function (indexed like [`crate::model::Model::functions`]).
    pub functions: Vec<crate::components::function::FunctionRep>,
    /// Per queue (indexed like the model's queues).
    pub queues: Vec<crate::components::queue::QueueRep>,
    /// Per saga (indexed like the model's sagas).
    pub sagas: Vec<SagaRep>,
    /// Per cache of the model: `(lookups, hits)` in the measured interval.
    #[serde(default)]
    pub caches: Vec<(u64, u64)>,
    /// Failures by origin: `origins[node × entries + entry]` over the measured interval (node
    /// `nodes.len()` is the gateway).
    pub origins: Vec<u64>,
    /// Per call edge with policies (indexed like `Model::policies`).
    pub edges: Vec<EdgeRep>,
    /// Per fault (indexed like `Model::faults`; zeros for scheduled faults): the episodes of
    /// random failures in the measured interval.
    #[serde(default)]
    pub episodes: Vec<EpisodeRep>,
    /// Circuit-breaker state changes `(time ns, edge, from, to)` over the whole run.
    pub breaker_changes: Vec<(
        u64,
        u32,
        crate::resilience::BreakerState,
        crate::resilience::BreakerState,
    )>,
}

/// Counters of one call edge with resilience policies over the measured interval.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, serde::Deserialize)]
pub struct EdgeRep {
    /// Logical calls.
    pub calls: u64,
    /// Attempts sent (retries included; calls refused by an open breaker excluded).
    pub attempts: u64,
    /// Retries refused by the retry budget.
    pub budget_refused: u64,
    /// Calls answered by the fallback.
    pub degraded: u64,
    /// Transitions of the breaker to open (whole run).
    pub opened: u64,
    /// Transitions of the breaker to half-open (whole run).
    pub half_opened: u64,
}

/// Latencies of one time-series window: every value up to [`WindowSample::CAP`], then a uniform
/// reservoir sample (Vitter's algorithm R) of that size. Memory stays bounded whatever the rate;
/// window percentiles from 4,096 samples are within a fraction of a percent in rank.
#[derive(Debug, Clone)]
pub struct WindowSample {
    buf: Vec<u64>,
    seen: u64,
}

impl WindowSample {
    /// Samples kept per window.
    pub const CAP: usize = 4096;

    /// An empty window.
    pub fn new() -> Self {
        WindowSample {
            buf: Vec::new(),
            seen: 0,
        }
    }

    /// Records one latency \[ns\]; `rng` draws the reservoir replacement once the window is full.
    #[inline]
    pub fn record<R: rand::Rng + ?Sized>(&mut self, v: u64, rng: &mut R) {
        self.seen += 1;
        if self.buf.len() < Self::CAP {
            self.buf.push(v);
        } else {
            let j = rng.random_range(0..self.seen);
            if (j as usize) < Self::CAP {
                self.buf[j as usize] = v;
            }
        }
    }

    /// The `q`-quantiles (nearest rank) of the window \[ns\] for each `q`, then clears it.
    /// Returns zeros for an empty window.
    pub fn take_quantiles<const N: usize>(&mut self, qs: [f64; N]) -> [u64; N] {
        let mut out = [0u64; N];
        if !self.buf.is_empty() {
            let n = self.buf.len();
            for (o, q) in out.iter_mut().zip(qs) {
                let rank = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
                let (_, v, _) = self.buf.select_nth_unstable(rank);
                *o = *v;
            }
        }
        self.buf.clear();
        self.seen = 0;
        out
    }
}

impl Default for WindowSample {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn window_quantiles_exact_below_cap() {
        let mut w = WindowSample::new();
        let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        for v in (1..=100).rev() {
            w.record(v, &mut r);
        }
        assert_eq!(w.take_quantiles([0.5, 0.99, 1.0]), [50, 99, 100]);
        assert_eq!(w.take_quantiles([0.5]), [0]);
    }

    #[test]
    fn window_reservoir_is_unbiased_enough() {
        let mut w = WindowSample::new();
        let mut r = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(2);
        for v in 0..1_000_000u64 {
            w.record(v, &mut r);
        }
        let [m] = w.take_quantiles([0.5]);
        // Median of 4096 uniform draws from 0..1e6: standard error ≈ 1e6 · 0.5/√4096 ≈ 7,800.
        assert!((m as f64 - 500_000.0).abs() < 40_000.0, "{m}");
    }

    #[test]
    fn reason_codes_round_trip() {
        for r in Reason::ALL {
            assert_eq!(Reason::from_code(r as u8), Some(r));
        }
        assert_eq!(Reason::from_code(0), None);
        assert_eq!(Reason::from_code(11), None);
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
