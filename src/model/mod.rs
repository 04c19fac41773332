//! The runtime model compiled from one variant of a scenario: the core the engine runs (nodes,
//! their instances, operations with their call plans already classified as in-process, remote
//! or database, entries: a [`Topology`]) and the plan of every component ([`Plans`]).
//!
//! Compiling once per variant keeps name lookups and mapping decisions off the hot path: the
//! engine only follows indices. The compile goes in stages, each in its file: units and
//! databases with their instances and the components that live on them (`units.rs`),
//! operations and calls (`calls.rs`), the front door (`front.rs`), faults and the rest here.

use crate::components::autoscaler::NO_AUTOSCALE;
use crate::components::faults::{FaultKind, FaultPlan, FaultTarget, TargetNodes};
use crate::components::function::NO_FUNCTION;
use crate::components::queue::Plan as QueuesPlan;
use crate::components::{bit, Plans};
use crate::flow::topology::{CallKind, CallPlan, EntryPlan, Topology, NO_STATION};
use crate::scenario::{GatewayProduct, Scenario};
use crate::spec::prices::Prices;

mod calls;
mod front;
mod units;

pub use crate::scenario::DEFAULT_SERIES_BUDGET;

/// Bytes one series value costs in memory, per replication kept until the replications are
/// combined (an `f64`).
pub const SERIES_VALUE_BYTES: u64 = 8;

/// Bytes one averaged series value is counted at in the results document: its JSON text (at
/// most 24 characters for an `f64`), the separator and the indentation of the pretty-printed
/// document.
pub const SERIES_JSON_VALUE_BYTES: u64 = 40;

/// Most windows per replication under `budget` bytes for `series` time series per window,
/// `reps` replications of `variants` variants kept in memory at once: every value costs
/// [`SERIES_VALUE_BYTES`] per replication in memory, and [`SERIES_JSON_VALUE_BYTES`] per
/// variant in the results document; the larger of the two must fit (at least one window).
pub fn series_max_windows(budget: u64, series: usize, reps: u32, variants: usize) -> u64 {
    let per_variant = (SERIES_VALUE_BYTES * u64::from(reps.max(1))).max(SERIES_JSON_VALUE_BYTES);
    let per_window = (series.max(1) as u64)
        .saturating_mul(variants.max(1) as u64)
        .saturating_mul(per_variant);
    (budget / per_window).max(1)
}

/// `window` widened to a multiple of itself so that `end` holds at most `max_windows` whole
/// windows; records the original in `widened_from` when it changes.
fn widened_window(window: u64, end: u64, max_windows: u64, widened_from: &mut Option<u64>) -> u64 {
    let max_windows = max_windows.max(1);
    if end / window <= max_windows {
        return window;
    }
    widened_from.get_or_insert(window);
    window.saturating_mul((end / window).div_ceil(max_windows))
}

/// The compiled runtime model of one variant: the core the engine runs ([`Topology`]) and
/// every component's plan ([`Plans`]).
#[derive(Debug, Clone)]
pub struct Model {
    /// Variant name.
    pub variant: String,
    /// Nodes, instances, operations, calls and entries.
    pub topo: Topology,
    /// The components' plans.
    pub plans: Plans,
    /// The scenario's window \[ns\] when it was widened to fit the series budget (see
    /// [`series_max_windows`]).
    pub window_widened_from: Option<u64>,
    /// Memory provisioned by the variant \[bytes\].
    pub memory_provisioned: u64,
    /// What the variant's gateway is, if it has one (for its bill).
    pub gateway_product: Option<GatewayProduct>,
    /// Price tables of the scenario.
    pub prices: Prices,
    /// Byte budget of the run's time series (`workload.series_budget`).
    pub series_budget: u64,
    /// The month of the monthly bill (`[month]`).
    pub month: crate::scenario::Month,
    /// Per entry, its steady rate for the monthly bill (`None`: a closed loop).
    pub steady_rates: Vec<Option<f64>>,
    /// Per entry, the bytes of a successful answer to the client: its operation's `payload`
    /// (the operation the scenario names, behind any front door).
    pub response_bytes: Vec<f64>,
}

impl Model {
    /// Compiles variant `v` of `s`.
    pub fn compile(s: &Scenario, v: usize) -> Model {
        let var = &s.variants[v];
        let end = s.workload.warmup.saturating_add(s.workload.duration);
        let mut topo = Topology {
            nodes: Vec::new(),
            stations: Vec::new(),
            ops: Vec::new(),
            steps: Vec::new(),
            calls: Vec::new(),
            entries: Vec::new(),
            db_base: 0,
            latency: s.network.latency.clone(),
            client_latency: s.network.client_latency.clone(),
            long_haul: !s.network.client_latency.is_zero(),
            gateway_hop: false,
            cdn_station: NO_STATION,
            warmup: s.workload.warmup,
            end,
            window: s.workload.window.max(1),
        };
        let mut plans = Plans::default();
        let memory_provisioned = units::compile(s, var, &mut topo, &mut plans);
        calls::compile(s, var, &mut topo, &mut plans);
        let mut entry_ops: Vec<u32> = s.workload.entries.iter().map(|e| e.op as u32).collect();
        let response_bytes = entry_ops
            .iter()
            .map(|&op| topo.ops.get(op as usize).map_or(0.0, |o| o.payload))
            .collect();
        front::compile(s, var, &mut topo, &mut plans, &mut entry_ops);
        faults(s, v, &mut topo, &mut plans);
        entries(s, var, &entry_ops, &mut topo, &mut plans);
        plans.queue = QueuesPlan::compile(&var.queues);
        // The components' per-node tables cover every node, the front door's too.
        let n = topo.nodes.len();
        plans.function.of_node.resize(n, NO_FUNCTION);
        plans.autoscaler.of_node.resize(n, NO_AUTOSCALE);
        plans.placement.hosted.resize(n, false);
        for n in &mut topo.nodes {
            n.hooked = n.hooks != 0 || n.request_priced;
        }
        let mut m = Model {
            variant: var.name.clone(),
            topo,
            plans,
            window_widened_from: None,
            memory_provisioned,
            gateway_product: var.gateway.as_ref().map(|g| g.product),
            prices: s.prices.clone(),
            series_budget: s.workload.series_budget,
            month: s.month.clone(),
            steady_rates: s.workload.entries.iter().map(|e| e.steady_rate).collect(),
            response_bytes,
        };
        // One replication alone fits the budget; a run widens further for its replications
        // (see `runner::prepare`).
        let max = series_max_windows(m.series_budget, m.series_count(), 1, 1);
        m.limit_windows(max);
        m
    }

    /// Widens the time-series window so that one replication keeps at most `max_windows`
    /// windows (used to bound the memory of many replications kept at once).
    pub fn limit_windows(&mut self, max_windows: u64) {
        self.topo.window = widened_window(
            self.topo.window,
            self.topo.end,
            max_windows,
            &mut self.window_widened_from,
        );
    }

    /// Number of time series one replication keeps per window: 4 per entry, 6 per node, 2 per
    /// queue, 2 per node with a connection pool, the failures by origin (one per node and the
    /// gateway, per entry) when they are kept, and the window start times.
    pub fn series_count(&self) -> usize {
        let (entries, nodes) = (self.topo.entries.len(), self.topo.nodes.len());
        let origins = if crate::components::tracks_failures(&self.plans) {
            (nodes + 1) * entries
        } else {
            0
        };
        let mut pooled = vec![false; nodes];
        for p in &self.plans.pool.pools {
            if let Some(n) = self.topo.stations.get(p.station as usize) {
                if let Some(x) = pooled.get_mut(n.node as usize) {
                    *x = true;
                }
            }
        }
        let pooled = pooled.iter().filter(|&&x| x).count();
        1 + 4 * entries + 6 * nodes + 2 * self.plans.queue.queues.len() + 2 * pooled + origins
    }
}

/// Compiles the faults of variant `v`: targets to nodes, outages to the instances on the host
/// or in the zone; a slowed-down instance changes speed mid-job, which only the
/// processor-sharing form (virtual clock) handles exactly, so it is not dedicated (nor is an
/// instance a CPU hog takes cores from).
fn faults(s: &Scenario, v: usize, topo: &mut Topology, plans: &mut Plans) {
    let externals: Vec<u32> = plans.external.externals.iter().map(|x| x.node).collect();
    let targets = TargetNodes {
        db_base: topo.db_base as usize,
        gateway: plans.gateway.node.unwrap_or(topo.nodes.len() as u32),
        lbs: &plans.lb.nodes,
        caches: &plans.cache.nodes,
        externals: &externals,
    };
    let faults: Vec<FaultPlan> = s
        .faults
        .iter()
        .map(|f| {
            let mut p = FaultPlan::compile(f, v, &targets);
            // An outage takes down every instance on its host or in its zone.
            for t in f.targets.get(v).into_iter().flatten() {
                match *t {
                    FaultTarget::Host(h) => p.stations.extend(&plans.placement.hosts[h].stations),
                    FaultTarget::Zone(z) => p.stations.extend(
                        (0..topo.stations.len() as u32)
                            .filter(|&s| topo.stations[s as usize].zone == z as u32),
                    ),
                    _ => {}
                }
            }
            for &s in &p.stations {
                let n = topo.stations[s as usize].node;
                if !p.nodes.contains(&n) {
                    p.nodes.push(n);
                }
            }
            p
        })
        .collect();
    for f in &faults {
        if let FaultKind::Slow { .. } | FaultKind::CpuHog { .. } = f.kind {
            for &n in &f.nodes {
                if let Some(node) = topo.nodes.get(n as usize) {
                    for st in &mut topo.stations
                        [node.stations().start as usize..node.stations().end as usize]
                    {
                        st.dedicated = false;
                    }
                }
            }
        }
    }
    plans.faults.faults = faults;
}

/// Compiles the entries: the operation each client calls (the outermost front-door operation),
/// client retries, the CDN.
fn entries(
    s: &Scenario,
    var: &crate::scenario::Variant,
    entry_ops: &[u32],
    topo: &mut Topology,
    plans: &mut Plans,
) {
    topo.entries = s
        .workload
        .entries
        .iter()
        .zip(entry_ops)
        .enumerate()
        .map(|(ei, (e, &op))| {
            let retry = e.retry.map_or(u32::MAX, |p| plans.retry.add_client(p));
            EntryPlan {
                name: e.name.clone(),
                op,
                arrival: e.arrival.clone(),
                timeout: e.timeout.unwrap_or(0),
                retry,
                hooks: if retry != u32::MAX { bit::retry } else { 0 },
                via_cdn: var.cdn.as_ref().is_some_and(|c| c.entries.contains(&ei)),
            }
        })
        .collect();
}

/// Most trips around a publish cycle the event estimate counts per request (see
/// `Model::ops_events`).
pub const CYCLE_ROUNDS: usize = 10_000;

impl Model {
    /// Number of unit nodes (they come first in the topology's nodes).
    pub fn unit_count(&self) -> usize {
        self.topo.unit_count()
    }

    /// Expected events one request of entry `e` generates (an estimate for the work guard: one
    /// per CPU phase, network hop, timeout timer and arrival).
    pub fn events_per_request(&self, e: usize) -> f64 {
        let ops = self.ops_events();
        let entry = &self.topo.entries[e];
        let mut ev = 1.0 + ops.get(entry.op as usize).copied().unwrap_or(0.0);
        if entry.timeout > 0 {
            ev += 1.0;
        }
        if self.topo.gateway_hop {
            ev += 2.0;
        }
        ev
    }

    /// Expected events of one execution of every operation, its calls included: the fixed
    /// point of `events(op) = 1 + Σ calls p·count·(hop events + events(callee))`. Synchronous
    /// calls form no cycle (validation), so without publishes this is exact after as many
    /// rounds as the deepest call chain. A publish cycle (a consumer publishing back to its
    /// queue, directly or through other operations) converges when it publishes back less
    /// than once per message; otherwise it grows every round (one round per trip around the
    /// cycle), up to [`CYCLE_ROUNDS`] trips, without bound (∞) when it multiplies messages.
    fn ops_events(&self) -> Vec<f64> {
        let n = self.topo.ops.len();
        let mut ev = vec![0.0; n];
        for _ in 0..CYCLE_ROUNDS.max(n + 1) {
            let next: Vec<f64> = (0..n)
                .map(|op| {
                    let mut x = 1.0;
                    for st in self.topo.op_steps(op) {
                        let (a, b) = (st.first as usize, (st.first + st.len) as usize);
                        for c in self.topo.calls.get(a..b).unwrap_or(&[]) {
                            x += self.call_events(c, &ev);
                        }
                    }
                    x
                })
                .collect();
            let settled = next
                .iter()
                .zip(&ev)
                .all(|(a, b)| (a - b).abs() <= 1e-12 * a.abs().max(1.0));
            ev = next;
            if settled || ev.iter().any(|x| !x.is_finite()) {
                break;
            }
        }
        ev
    }

    /// Expected events of one call (all its repetitions, weighted by its probability), given
    /// the events of one execution of every operation (`ops`).
    fn call_events(&self, c: &CallPlan, ops: &[f64]) -> f64 {
        if c.kind == CallKind::Component && c.hooks & bit::saga != 0 {
            // The forward steps (compensations only run on failures).
            let Some(g) = self.plans.saga.sagas.get(c.aux as usize) else {
                return 0.0;
            };
            let (a, b) = (g.first as usize, (g.first + g.len) as usize);
            return self
                .topo
                .calls
                .get(a..b)
                .unwrap_or(&[])
                .iter()
                .map(|x| self.call_events(x, ops))
                .sum();
        }
        if c.kind == CallKind::Component && c.hooks & bit::tx != 0 {
            // The steps, and the begin, lock timeout and end events of the transaction.
            let Some(g) = self.plans.tx.txs.get(c.aux as usize) else {
                return 0.0;
            };
            let (a, b) = (g.first as usize, (g.first + g.len) as usize);
            return 3.0
                + self
                    .topo
                    .calls
                    .get(a..b)
                    .unwrap_or(&[])
                    .iter()
                    .map(|x| self.call_events(x, ops))
                    .sum::<f64>();
        }
        let per = match c.kind {
            CallKind::Local => 0.0,
            CallKind::Remote => 3.0,
            CallKind::Database | CallKind::Forward | CallKind::External => 2.0,
            // Publish, receive, visibility timer, the hops to the consumer and back.
            CallKind::Component => 5.0,
        } + if c.timeout > 0 { 1.0 } else { 0.0 }
            + ops.get(c.op as usize).copied().unwrap_or(0.0);
        c.p * c.count as f64 * per
    }

    /// Expected events of one replication (arrivals × events per request, plus time-series ticks).
    pub fn estimated_events(&self) -> f64 {
        let horizon_s = self.topo.end as f64 / 1e9;
        let per_req: f64 = (0..self.topo.entries.len())
            .map(|e| self.topo.entries[e].arrival.rate() * horizon_s * self.events_per_request(e))
            .sum();
        per_req + (self.topo.end / self.topo.window.max(1)) as f64
    }
}

impl Model {
    /// Whether any component acts in a replication of this model (a bit on a node, a call or
    /// an entry, a plain gateway, a fault). Without, the engine runs its form specialized for
    /// plain models.
    pub fn has_components(&self) -> bool {
        self.topo.nodes.iter().any(|n| n.hooks != 0)
            || self.topo.calls.iter().any(|c| c.hooks != 0)
            || self.topo.entries.iter().any(|e| e.hooks != 0)
            || self.plans.gateway.overhead.is_some()
            || !self.plans.faults.faults.is_empty()
    }
}
