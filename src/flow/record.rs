//! What one replication measures of the core flow: per entry (latency histogram, failures by
//! reason), per node, the time series, and the usage of each node that the bill prices.

use super::Reason;
use crate::kernel::Rng64;
use crate::stats::{LogHistogram, WindowSample};

/// Per-entry measurements of one replication (requests that arrived after warm-up).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct EntryRep {
    /// Requests that arrived in the measured interval.
    pub arrived: u64,
    /// Of those, answered successfully.
    pub completed: u64,
    /// Of those, failed, by [`crate::flow::Reason::index`].
    pub failed: [u64; crate::flow::Reason::COUNT],
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
            failed: [0; crate::flow::Reason::COUNT],
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
    /// Invocations that arrived at an instance (admitted, queued or turned away there).
    pub arrivals: u64,
    /// Invocations that failed on their way in, before reaching an instance: no instance up,
    /// or an active fault at the gate (an `error` or `partition` fault, a crashed host).
    #[serde(default)]
    pub refused: u64,
    /// Mean residence time of completed invocations \[s\].
    pub mean_residence_s: f64,
    /// Invocations lost in crashes.
    pub crashed: u64,
    /// Time-averaged instances up.
    pub instances_up: f64,
    /// Fraction of the measured time with no instance up.
    pub all_down_fraction: f64,
    /// Time-averaged workers in use / workers of the instances (0 with unlimited workers).
    #[serde(default)]
    pub worker_saturation: f64,
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
    /// Per entry: p50 latency of the window \[s\] (`NaN` when no request completed in it;
    /// `null` in JSON).
    #[serde(with = "nan_as_null")]
    pub p50: Vec<Vec<f64>>,
    /// Per entry: p99 latency of the window \[s\] (`NaN` when no request completed in it).
    #[serde(with = "nan_as_null")]
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
    /// Failures per second by origin, `failures[node × entries + entry]` (node `nodes.len()` is
    /// the gateway); kept only for models with faults or resilience policies, else empty.
    pub failures: Vec<Vec<f64>>,
}

impl Series {
    /// Empty series of windows `window_s` seconds wide for `entries` entries and `nodes`
    /// nodes (the failure-origin series are added by the engine when it keeps them).
    pub fn new(window_s: f64, entries: usize, nodes: usize) -> Series {
        Series {
            window_s,
            throughput: vec![Vec::new(); entries],
            errors: vec![Vec::new(); entries],
            p50: vec![Vec::new(); entries],
            p99: vec![Vec::new(); entries],
            utilization: vec![Vec::new(); nodes],
            in_system: vec![Vec::new(); nodes],
            instances: vec![Vec::new(); nodes],
            instances_starting: vec![Vec::new(); nodes],
            worker_saturation: vec![Vec::new(); nodes],
            waiting: vec![Vec::new(); nodes],
            failures: Vec::new(),
        }
    }
}

/// Usage of one node (indexed like [`crate::flow::topology::Topology::nodes`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NodeUsage {
    /// Invocations admitted (serverless: billed requests; throttled ones are not billed).
    pub invocations: u64,
    /// Serverless: billed duration of on-demand invocations, each rounded up to the next
    /// millisecond \[ms\].
    pub billed_ms: u64,
    /// Serverless: billed duration of invocations served by provisioned instances \[ms\].
    pub billed_ms_provisioned: u64,
    /// Serverless: what the INIT phase of cold on-demand invocations adds to `billed_ms` when
    /// it is billed \[ms\].
    pub billed_init_ms: u64,
    /// Database: queries of data-store operations declared `kind = "read"`.
    pub reads: u64,
    /// Database: queries of data-store operations declared `kind = "write"`.
    pub writes: u64,
    /// Autoscaled unit: time-averaged instances provisioned (0 = its fixed `instances`).
    #[serde(default)]
    pub instances_mean: f64,
}

/// The outcomes of the entry requests of one replication: per entry its measured figures, and
/// the counters of the current series window.
#[derive(Debug, Clone)]
pub struct Outcomes {
    /// Per entry, over the measured interval.
    pub entries: Vec<EntryRep>,
    /// Failures by origin over the measured interval, `origins[node × entries + entry]` (node
    /// `nodes` is the plain gateway).
    pub origins: Vec<u64>,
    /// The time series.
    pub series: Series,
    /// Keep the failure-origin series.
    pub track: bool,
    win_ok: Vec<u64>,
    win_fail: Vec<u64>,
    win_origin: Vec<u64>,
    win_sample: Vec<WindowSample>,
    window_rng: Rng64,
}

impl Outcomes {
    /// Nothing yet, for `entries` entries and `nodes` nodes with windows of `window_s` seconds;
    /// `rng` is the window-sampling stream; `track` keeps the failure-origin series.
    pub fn new(entries: usize, nodes: usize, window_s: f64, rng: Rng64, track: bool) -> Outcomes {
        let origins = (nodes + 1) * entries;
        let mut series = Series::new(window_s, entries, nodes);
        if track {
            series.failures = vec![Vec::new(); origins];
        }
        Outcomes {
            entries: (0..entries).map(|_| EntryRep::new()).collect(),
            origins: vec![0; origins],
            series,
            track,
            win_ok: vec![0; entries],
            win_fail: vec![0; entries],
            win_origin: vec![0; origins],
            win_sample: (0..entries).map(|_| WindowSample::new()).collect(),
            window_rng: rng,
        }
    }

    /// A request of entry `e` failed with `reason` (a `Reason` code) beginning at node
    /// `origin` (clamped to the plain gateway's index `nodes`).
    #[inline]
    pub fn failure(&mut self, e: usize, measured: bool, reason: u8, origin: usize, nodes: usize) {
        let k = origin.min(nodes) * self.entries.len() + e;
        if measured {
            if let Some(r) = Reason::from_code(reason) {
                self.entries[e].failed[r.index()] += 1;
            }
            self.origins[k] += 1;
        }
        self.win_origin[k] += 1;
        self.win_fail[e] += 1;
    }

    /// A request of entry `e` succeeded after `latency` ns (`degraded`: a fallback answered).
    #[inline]
    pub fn success(&mut self, e: usize, measured: bool, latency: u64, degraded: bool) {
        if measured {
            let er = &mut self.entries[e];
            er.completed += 1;
            er.latency.record(latency);
            if degraded {
                er.degraded += 1;
            }
        }
        self.win_ok[e] += 1;
        self.win_sample[e].record(latency, &mut self.window_rng);
    }

    /// Ends a series window of `ws` seconds: per entry its throughput, errors and window
    /// percentiles, and the failures by origin.
    pub fn window(&mut self, ws: f64) {
        let sr = &mut self.series;
        for e in 0..self.entries.len() {
            sr.throughput[e].push(self.win_ok[e] as f64 / ws);
            sr.errors[e].push(self.win_fail[e] as f64 / ws);
            // A window without a success has no latency: NaN, not 0.
            let empty = self.win_ok[e] == 0;
            let [p50, p99] = self.win_sample[e].take_quantiles([0.5, 0.99]);
            let s = |v: u64| if empty { f64::NAN } else { v as f64 / 1e9 };
            sr.p50[e].push(s(p50));
            sr.p99[e].push(s(p99));
            self.win_ok[e] = 0;
            self.win_fail[e] = 0;
        }
        if self.track {
            for (k, c) in self.win_origin.iter_mut().enumerate() {
                sr.failures[k].push(*c as f64 / ws);
                *c = 0;
            }
        }
    }
}

impl Outcomes {
    /// Closes the measured interval: an entry whose requests are single attempts (`single(e)`)
    /// counts one attempt per arrival; every entry's conservation (arrived = completed +
    /// failed + in flight) is checked, a violation pushed for each one that does not hold
    /// (`name(e)` names the entry).
    pub fn close<'n>(
        &mut self,
        single: impl Fn(usize) -> bool,
        name: impl Fn(usize) -> &'n str,
        violations: &mut Vec<String>,
    ) {
        for (e, er) in self.entries.iter_mut().enumerate() {
            if single(e) {
                er.attempts = er.arrived; // one attempt each, not counted one by one
            }
            let out = er.completed + er.failed_total() + er.in_flight;
            if out != er.arrived {
                violations.push(format!(
                    "conservation: entry `{}`: arrived {} ≠ completed {} + failed {} + in flight {}",
                    name(e),
                    er.arrived,
                    er.completed,
                    er.failed_total(),
                    er.in_flight
                ));
            }
        }
    }
}

/// The usage of every node: invocations are its arrivals; a request-priced database also
/// counts `queries[op]` per operation, as reads or writes (`write(op)`), on the node `node(op)`.
pub fn usage(
    nodes: &[NodeRep],
    queries: &[u64],
    node: impl Fn(usize) -> usize,
    write: impl Fn(usize) -> bool,
) -> Vec<NodeUsage> {
    let mut usage: Vec<NodeUsage> = nodes
        .iter()
        .map(|n| NodeUsage {
            invocations: n.arrivals,
            ..Default::default()
        })
        .collect();
    for (op, &c) in queries.iter().enumerate() {
        let n = node(op);
        if c > 0 && n < usage.len() {
            if write(op) {
                usage[n].writes += c;
            } else {
                usage[n].reads += c;
            }
        }
    }
    usage
}

/// Series with empty windows (`NaN`) written as `null` and read back (a shard's partial result).
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[Vec<f64>], s: S) -> Result<S::Ok, S::Error> {
        let o: Vec<Vec<Option<f64>>> = v
            .iter()
            .map(|w| w.iter().map(|&x| (!x.is_nan()).then_some(x)).collect())
            .collect();
        o.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<f64>>, D::Error> {
        let o: Vec<Vec<Option<f64>>> = Deserialize::deserialize(d)?;
        Ok(o.into_iter()
            .map(|w| w.into_iter().map(|x| x.unwrap_or(f64::NAN)).collect())
            .collect())
    }
}
