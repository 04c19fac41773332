//! The instant analytic estimate of one scenario variant: arrival rate, utilization and mean
//! response time of every unit and database, and the mean latency of every entry — what
//! `archsim validate` prints and the desktop app paints on the graph while the user edits.
//!
//! # Model
//!
//! The estimate follows the engine's semantics for *mean* quantities:
//!
//! - **Visits.** An entry calls its operation once per arrival. Every step of an operation is
//!   made in order; a call with probability `p` and repeat `count` is made `p·count` times on
//!   average; every branch of a `parallel` group is made. The expected number of invocations
//!   of each operation per entry request ([`expected_visits`]) is propagated in topological
//!   order over the acyclic call graph.
//! - **In-process vs remote.** A call to an operation of a module held by the caller's unit
//!   runs on the same instance (its demand is part of the caller's job, no network, no
//!   marshalling). A call to another unit is a new job there: the caller pays
//!   `marshal_per_kb_ns × payload_kb(callee)` CPU, the callee pays the same plus the callee's
//!   demand, and the call crosses one network hop each way (`network.latency` mean each).
//!   KB = 1000 bytes. The entry operation always pays the callee-side marshalling of its own
//!   payload; with a gateway the entry also pays the gateway overhead and one hop each way.
//!   A module hosted on the gateway (`modules` of the gateway) is a station of its own counted
//!   as a pure delay (the estimate does not model the gateway's capacity): its operations cost
//!   their demand, calls from them to units are remote, and an entry reaching one pays the
//!   overhead but no hop and no callee-side marshalling.
//! - **Databases.** A data-store operation is a job at the database holding the store: one hop
//!   each way, no marshalling, service demand = the operation's query time.
//! - **Stations.** A unit instance is `cores` shared by processor sharing with at most
//!   `workers` requests in service: modelled as M/M/c with c = min(cores, workers) per instance
//!   at λ/replicas, with S = the mean CPU demand of one job (its own and in-process demand plus
//!   marshalling). For exponential demand and workers ≥ cores this is exact (the number in
//!   system is the same birth–death chain). A database is the same with c = min(cores,
//!   max_connections) and one instance. When c is fractional: for c < 1 an M/G/1-PS server of
//!   speed c (exact for PS); for c > 1 a linear interpolation in c between M/M/⌊c⌋ and M/M/⌈c⌉
//!   at the same utilization (a heuristic, exact at integers). Serverless units are M/G/∞: every
//!   job runs at speed min(1, memory/1769 MB) (1 when memory is unset; MB = 10⁶ bytes), no
//!   waiting, utilization reported as 0.
//! - **Utilization** ρ = CPU demand per second / (replicas × cores) for units, / cores for
//!   databases. A station whose queue would grow without bound (ρ ≥ 1, or workers /
//!   connections saturated) has no mean response (`None`) and yields a warning; every entry
//!   that reaches it has no mean latency.
//! - **Entry latency** = Σ over the work it causes of (CPU demand × the station's stretch factor
//!   W/E\[S\]) + network hops × mean hop latency + gateway overhead. The stretch factor charges
//!   each job its own demand times the station's mean slowdown: exact for processor sharing and
//!   consistent with the station's mean W (it averages back to W over all jobs).
//!
//! # What the estimate ignores
//!
//! - Service time distributions beyond the mean (stations are M/M/c; heavy tails make the
//!   simulated means larger).
//! - Blocking-io worker holding: a thread held while its request waits downstream reduces the
//!   unit's effective worker count; the estimate only counts CPU time.
//! - Bounded queues (rejections) and the async re-acquisition of a worker after each call.
//! - Fork-join maxima: a `parallel` group costs the **maximum of its branches' mean times**, a
//!   lower bound on the mean of the maximum (E\[max\] ≥ max E).
//! - Timeouts, retries, faults, cold starts, network variance.

use crate::analytic::queueing;
use crate::dist::Dist;
use crate::scenario::{OpId, OpOwner, Scenario, Step, Unit, Variant, ON_GATEWAY};
use serde::Serialize;

/// Memory at which a serverless function gets one full core \[MB, 10⁶ bytes\] (AWS Lambda's
/// documented 1769 MB = one vCPU).
pub const SERVERLESS_FULL_CORE_MB: f64 = 1769.0;

/// Nanoseconds per second.
const NS: f64 = 1e9;

/// What kind of node an estimate is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A deployable unit (all its replicas together).
    Unit,
    /// A database server.
    Database,
}

/// The estimate of one node (a unit or a database).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct NodeEstimate {
    /// The unit's or database's name.
    pub name: String,
    /// Unit or database.
    pub kind: NodeKind,
    /// Jobs arriving at the node, all replicas together \[invocations/s\]: entry arrivals and
    /// remote calls for a unit, queries for a database.
    pub arrival_rate: f64,
    /// Utilization ρ = CPU demand per second / total cores (dimensionless; ≥ 1 means overload;
    /// 0 for serverless units).
    pub utilization: f64,
    /// Mean response time of one job at the node \[s\] (queueing + service, not counting time
    /// waiting on downstream calls). `None` when the node is unstable or receives no traffic.
    pub mean_response_s: Option<f64>,
    /// CPU (or query) time consumed per second of wall time, all replicas together \[s/s\].
    pub cpu_demand_s_per_s: f64,
}

/// The estimate of one entry.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct EntryEstimate {
    /// The entry's name.
    pub name: String,
    /// Mean end-to-end latency of one request \[s\]; `None` when the request reaches an unstable
    /// node.
    pub mean_latency_s: Option<f64>,
}

/// The instant estimate of one variant.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct VariantEstimate {
    /// The variant's name.
    pub variant: String,
    /// Units in [`Variant::units`] order, then databases in [`Variant::databases`] order.
    pub nodes: Vec<NodeEstimate>,
    /// Entries in [`crate::scenario::Workload::entries`] order.
    pub entries: Vec<EntryEstimate>,
    /// Human-readable warnings (overloaded nodes, saturated worker pools, undeployed stores).
    pub warnings: Vec<String>,
}

/// Expected number of invocations of every operation (indexed by [`OpId`]) per call of
/// `root`: `root` itself counts 1, a call with probability `p` and repeat `count` contributes
/// `p·count` per invocation of its caller, every `parallel` branch is made. Independent of the
/// variant. A (validation-rejected) call cycle is cut at its back edge.
///
/// # Complexity
/// O(V + E) over the operations and calls reachable from `root`.
pub fn expected_visits(s: &Scenario, root: OpId) -> Vec<f64> {
    let mut visits = vec![0.0; s.ops.len()];
    if root >= s.ops.len() {
        return visits;
    }
    let order = topo_order(s, root);
    let mut pos = vec![usize::MAX; s.ops.len()];
    for (i, &o) in order.iter().enumerate() {
        pos[o] = i;
    }
    visits[root] = 1.0;
    for &a in &order {
        let va = visits[a];
        if va == 0.0 {
            continue;
        }
        for c in calls(&s.ops[a].steps) {
            // Every reachable op is in `order`; an edge going backwards closes a cycle.
            if c.op < visits.len() && pos[c.op] > pos[a] {
                visits[c.op] += va * c.p * f64::from(c.count);
            }
        }
    }
    visits
}

/// Every call of a step list, parallel branches flattened.
fn calls(steps: &[Step]) -> impl Iterator<Item = &crate::scenario::Call> {
    steps.iter().flat_map(|st| {
        let (calls, saga): (&[crate::scenario::Call], &[crate::scenario::SagaStep]) = match st {
            Step::Call(c) => (std::slice::from_ref(c), &[]),
            Step::Parallel(v) => (v, &[]),
            // Forward steps only: compensations run on failures, which the estimate ignores.
            Step::Saga(v) => (&[], v),
        };
        calls.iter().chain(saga.iter().map(|x| &x.call))
    })
}

/// Reverse post-order of the operations reachable from `root` (a topological order of the
/// acyclic call graph). Iterative DFS, O(V + E).
fn topo_order(s: &Scenario, root: OpId) -> Vec<OpId> {
    let n = s.ops.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut post = Vec::new();
    let mut stack: Vec<(OpId, Vec<OpId>)> = Vec::new();
    let children = |o: OpId| -> Vec<OpId> {
        calls(&s.ops[o].steps)
            .map(|c| c.op)
            .filter(|&b| b < n)
            .collect::<Vec<_>>()
    };
    state[root] = 1;
    let mut ch = children(root);
    ch.reverse();
    stack.push((root, ch));
    while let Some((node, pending)) = stack.last_mut() {
        if let Some(next) = pending.pop() {
            if state[next] == 0 {
                state[next] = 1;
                let mut ch = children(next);
                ch.reverse();
                stack.push((next, ch));
            }
        } else {
            state[*node] = 2;
            post.push(*node);
            stack.pop();
        }
    }
    post.reverse();
    post
}

/// Where an operation runs in a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Station {
    Unit(usize),
    Db(usize),
    /// A module hosted on the gateway: its CPU is counted as a pure delay (the estimate does
    /// not model the gateway's capacity).
    Gateway,
}

fn station_of(s: &Scenario, v: &Variant, op: OpId) -> Option<Station> {
    match s.ops.get(op)?.owner {
        OpOwner::Module(m) => v.module_unit.get(m).copied().map(|u| {
            if u == ON_GATEWAY {
                Station::Gateway
            } else {
                Station::Unit(u)
            }
        }),
        OpOwner::Store(st) => v.store_db.get(st).copied().flatten().map(Station::Db),
    }
}

/// Marshalling CPU of one side of a remote call to `op` \[s\].
fn marshal_s(s: &Scenario, op: OpId) -> f64 {
    s.network.marshal_per_kb_ns * (s.ops[op].payload as f64 / 1000.0) / NS
}

fn mean_s(d: &Dist) -> f64 {
    d.mean() / NS
}

/// Mean response \[s\] of an M/M/c-like station with per-instance arrival rate `lambda` \[1/s\],
/// mean job demand `s` \[s\] and `c` (possibly fractional) cores; `None` when unstable.
fn station_response(lambda: f64, s: f64, c: f64) -> Option<f64> {
    if s == 0.0 {
        return Some(0.0);
    }
    if !(s.is_finite() && lambda.is_finite() && c > 0.0) {
        return None;
    }
    if c < 1.0 {
        return queueing::mg1_ps(lambda, s / c).ok().map(|m| m.w);
    }
    let lo = c.floor();
    if c - lo < 1e-9 {
        return queueing::mmc(lambda, 1.0 / s, lo as u32).ok().map(|m| m.w);
    }
    // Fractional c > 1: interpolate between ⌊c⌋ and ⌈c⌉ servers at the same utilization.
    let rho = lambda * s / c;
    let hi = lo + 1.0;
    let w_lo = queueing::mmc(rho * lo / s, 1.0 / s, lo as u32).ok()?.w;
    let w_hi = queueing::mmc(rho * hi / s, 1.0 / s, hi as u32).ok()?.w;
    Some(w_lo + (c - lo) * (w_hi - w_lo))
}

/// Per-station result used for latencies.
struct StationState {
    /// Slowdown W/E\[S\] of a job at the station; `None` when unstable.
    stretch: Option<f64>,
}

/// Instant analytic estimate of variant `variant` of `s`. An out-of-range variant index gives
/// an empty estimate with a warning.
///
/// # Complexity
/// O(entries × (ops + calls) + Σ servers) — a few microseconds for typical scenarios, cheap
/// enough to run on every edit.
pub fn estimate(s: &Scenario, variant: usize) -> VariantEstimate {
    let Some(v) = s.variants.get(variant) else {
        return VariantEstimate {
            variant: String::new(),
            nodes: Vec::new(),
            entries: Vec::new(),
            warnings: vec![format!(
                "variant index {variant} out of range: the scenario has {} variants",
                s.variants.len()
            )],
        };
    };
    let n_units = v.units.len();
    let n_st = n_units + v.databases.len();
    // The gateway's slot (last) collects its hosted modules' load; it is not reported.
    let idx = |st: Station| match st {
        Station::Unit(u) => u,
        Station::Db(d) => n_units + d,
        Station::Gateway => n_st,
    };
    let mut warnings = Vec::new();
    let mut undeployed_warned = vec![false; s.ops.len()];

    // Jobs per second and CPU seconds per second at every station.
    let mut lambda = vec![0.0; n_st + 1];
    let mut demand = vec![0.0; n_st + 1];
    for e in &s.workload.entries {
        let rate = e.arrival.rate();
        let visits = expected_visits(s, e.op);
        if let Some(st) = station_of(s, v, e.op) {
            lambda[idx(st)] += rate;
            if let Station::Unit(_) = st {
                demand[idx(st)] += rate * marshal_s(s, e.op);
            }
        }
        for (a, &va) in visits.iter().enumerate() {
            if va == 0.0 {
                continue;
            }
            let Some(st_a) = station_of(s, v, a) else {
                if !undeployed_warned[a] {
                    undeployed_warned[a] = true;
                    warnings.push(format!(
                        "operation `{}` is called but its data store is not deployed in \
                         variant `{}` — ignored by the estimate",
                        s.ops[a].name, v.name
                    ));
                }
                continue;
            };
            demand[idx(st_a)] += rate * va * mean_s(&s.ops[a].demand);
            for c in calls(&s.ops[a].steps) {
                let n = rate * va * c.p * f64::from(c.count);
                if n == 0.0 {
                    continue;
                }
                match station_of(s, v, c.op) {
                    Some(st_b @ Station::Db(_)) => lambda[idx(st_b)] += n,
                    Some(st_b @ (Station::Unit(_) | Station::Gateway)) if st_b != st_a => {
                        let m = marshal_s(s, c.op);
                        lambda[idx(st_b)] += n;
                        demand[idx(st_b)] += n * m;
                        demand[idx(st_a)] += n * m;
                    }
                    _ => {}
                }
            }
        }
    }

    // Station metrics.
    let mut nodes = Vec::with_capacity(n_st);
    let mut stations = Vec::with_capacity(n_st);
    for (u, unit) in v.units.iter().enumerate() {
        let (node, state) = unit_estimate(unit, lambda[u], demand[u], &mut warnings);
        nodes.push(node);
        stations.push(state);
    }
    for (d, db) in v.databases.iter().enumerate() {
        let i = n_units + d;
        let c = db.cores.min(f64::from(db.max_connections));
        let (node, state) = queued_station(
            &db.name,
            NodeKind::Database,
            "database",
            StationShape {
                instances: 1,
                cores: db.cores,
                c,
                limit_name: "connections",
                limit: db.max_connections,
                queue: None,
            },
            lambda[i],
            demand[i],
            &mut warnings,
        );
        nodes.push(node);
        stations.push(state);
    }

    // Entry latencies.
    let hop = mean_s(&s.network.latency);
    let mut lat = Latency {
        s,
        v,
        hop,
        stations: &stations,
        n_units,
        memo: vec![Memo::New; s.ops.len()],
    };
    let entries = s
        .workload
        .entries
        .iter()
        .map(|e| {
            let mut t = lat.op_time(e.op);
            if let (Some(t0), Some(Station::Unit(u))) = (t, station_of(s, v, e.op)) {
                t = stations[u].stretch.map(|k| t0 + marshal_s(s, e.op) * k);
            }
            if let (Some(t0), Some(g)) = (t, &v.gateway) {
                // An operation hosted on the gateway runs on its instance: no hop to it.
                let hops = match station_of(s, v, e.op) {
                    Some(Station::Gateway) => 0.0,
                    _ => 2.0 * hop,
                };
                t = Some(t0 + mean_s(&g.overhead) + hops);
            }
            EntryEstimate {
                name: e.name.clone(),
                mean_latency_s: t.filter(|x| x.is_finite()),
            }
        })
        .collect();

    VariantEstimate {
        variant: v.name.clone(),
        nodes,
        entries,
        warnings,
    }
}

/// Capacity description of a queued station.
struct StationShape {
    /// Instances sharing the load evenly.
    instances: u32,
    /// Cores per instance.
    cores: f64,
    /// Effective servers per instance, min(cores, limit).
    c: f64,
    /// Name of the concurrency limit for messages ("workers", "connections").
    limit_name: &'static str,
    /// Concurrency limit per instance.
    limit: u32,
    /// Waiting room per instance, if bounded.
    queue: Option<u32>,
}

fn unit_estimate(
    unit: &Unit,
    lambda: f64,
    demand: f64,
    warnings: &mut Vec<String>,
) -> (NodeEstimate, StationState) {
    if unit.platform == crate::scenario::Platform::Serverless {
        let speed = unit
            .memory
            .map_or(1.0, |b| (b as f64 / 1e6 / SERVERLESS_FULL_CORE_MB).min(1.0));
        let speed = if speed > 0.0 {
            speed
        } else {
            f64::MIN_POSITIVE
        };
        let response = (lambda > 0.0).then(|| demand / lambda / speed);
        return (
            NodeEstimate {
                name: unit.name.clone(),
                kind: NodeKind::Unit,
                arrival_rate: lambda,
                utilization: 0.0,
                mean_response_s: response.filter(|x| x.is_finite()),
                cpu_demand_s_per_s: demand,
            },
            StationState {
                stretch: Some(1.0 / speed),
            },
        );
    }
    queued_station(
        &unit.name,
        NodeKind::Unit,
        "unit",
        StationShape {
            instances: unit.replicas.max(1),
            cores: unit.cores,
            c: unit.cores.min(f64::from(unit.workers)),
            limit_name: "workers",
            limit: unit.workers,
            queue: unit.queue,
        },
        lambda,
        demand,
        warnings,
    )
}

#[allow(clippy::too_many_arguments)]
fn queued_station(
    name: &str,
    kind: NodeKind,
    label: &str,
    shape: StationShape,
    lambda: f64,
    demand: f64,
    warnings: &mut Vec<String>,
) -> (NodeEstimate, StationState) {
    let inst = f64::from(shape.instances);
    let utilization = demand / (inst * shape.cores);
    let consequence = match shape.queue {
        Some(q) => format!("requests will be rejected once its queue ({q} per instance) is full"),
        None => "the queue grows without bound".to_string(),
    };
    let mut stretch = None;
    let mut response = None;
    if lambda > 0.0 {
        let s = demand / lambda;
        let load = demand / (inst * shape.c);
        if utilization >= 1.0 || utilization.is_nan() {
            warnings.push(format!(
                "{label} `{name}`: utilization {utilization:.2} ≥ 1 — {consequence}"
            ));
        } else if load >= 1.0 || load.is_nan() {
            warnings.push(format!(
                "{label} `{name}`: its {} {} per instance are saturated (load {load:.2} ≥ 1) — \
                 {consequence}",
                shape.limit, shape.limit_name
            ));
        } else if let Some(w) = station_response(lambda / inst, s, shape.c) {
            response = Some(w);
            stretch = Some(if s > 0.0 { w / s } else { 1.0 });
        }
    } else {
        // No traffic: the no-load slowdown (a lone job runs at speed min(1, c)).
        stretch = Some(1.0 / shape.c.min(1.0));
    }
    (
        NodeEstimate {
            name: name.to_string(),
            kind,
            arrival_rate: lambda,
            utilization: if utilization.is_finite() {
                utilization
            } else {
                f64::MAX
            },
            mean_response_s: response,
            cpu_demand_s_per_s: demand,
        },
        StationState { stretch },
    )
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Memo {
    New,
    InProgress,
    Done(Option<f64>),
}

/// Memoized mean time of one invocation of an operation, including everything it calls.
struct Latency<'a> {
    s: &'a Scenario,
    v: &'a Variant,
    hop: f64,
    stations: &'a [StationState],
    n_units: usize,
    memo: Vec<Memo>,
}

impl Latency<'_> {
    fn stretch(&self, st: Station) -> Option<f64> {
        let i = match st {
            Station::Unit(u) => u,
            Station::Db(d) => self.n_units + d,
            Station::Gateway => return Some(1.0),
        };
        self.stations.get(i).and_then(|x| x.stretch)
    }

    /// Mean time \[s\] of one invocation of `op`: its demand times its station's stretch, plus
    /// every step. `None` if it reaches an unstable station. Recursion depth = call depth.
    fn op_time(&mut self, op: OpId) -> Option<f64> {
        match self.memo.get(op) {
            None | Some(Memo::InProgress) => return Some(0.0),
            Some(Memo::Done(t)) => return *t,
            Some(Memo::New) => {}
        }
        self.memo[op] = Memo::InProgress;
        let t = self.compute(op);
        self.memo[op] = Memo::Done(t);
        t
    }

    fn compute(&mut self, op: OpId) -> Option<f64> {
        let s = self.s;
        let Some(st) = station_of(s, self.v, op) else {
            return Some(0.0); // undeployed store: warned about, ignored
        };
        let mut t = mean_s(&s.ops[op].demand) * self.stretch(st)?;
        for step in &s.ops[op].steps {
            match step {
                Step::Call(c) => t += self.call_time(st, c)?,
                Step::Parallel(branches) => {
                    let mut m: f64 = 0.0;
                    for c in branches {
                        m = m.max(self.call_time(st, c)?);
                    }
                    t += m;
                }
                Step::Saga(steps) => {
                    for x in steps {
                        t += self.call_time(st, &x.call)?;
                    }
                }
            }
        }
        Some(t)
    }

    /// Mean time of a call step (all `count` repetitions, weighted by `p`) from an operation
    /// running at `from`.
    fn call_time(&mut self, from: Station, c: &crate::scenario::Call) -> Option<f64> {
        let w = c.p * f64::from(c.count);
        if w == 0.0 {
            return Some(0.0);
        }
        if let Some(q) = c.publish {
            // Asynchronous: the caller waits for the publish only; the consumer's load is
            // counted by the visits.
            return Some(
                w * self
                    .v
                    .queues
                    .get(q)
                    .map_or(0.0, |q| mean_s(&q.publish_latency)),
            );
        }
        let s = self.s;
        let one = match station_of(s, self.v, c.op) {
            None => 0.0,
            Some(Station::Db(_)) => 2.0 * self.hop + self.op_time(c.op)?,
            Some(to) if to == from => self.op_time(c.op)?,
            Some(to) => {
                let m = marshal_s(s, c.op);
                2.0 * self.hop
                    + m * (self.stretch(from)? + self.stretch(to)?)
                    + self.op_time(c.op)?
            }
        };
        Some(w * one)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn station_response_cases() {
        // Integral: M/M/3.
        let w = station_response(2.4, 1.0, 3.0).unwrap();
        assert!((w - queueing::mmc(2.4, 1.0, 3).unwrap().w).abs() < 1e-12);
        // Fractional below one: PS at speed c. λ = 1, S = 0.25, c = 0.5 ⇒ S/c = 0.5, ρ = 0.5.
        let w = station_response(1.0, 0.25, 0.5).unwrap();
        assert!((w - 1.0).abs() < 1e-12);
        // Fractional above one: between the neighbours at the same ρ.
        let w = station_response(1.5 * 0.8, 1.0, 1.5).unwrap();
        let w1 = queueing::mmc(0.8, 1.0, 1).unwrap().w;
        let w2 = queueing::mmc(1.6, 1.0, 2).unwrap().w;
        assert!(w < w1 && w > w2);
        // Unstable and zero demand.
        assert!(station_response(3.0, 1.0, 3.0).is_none());
        assert_eq!(station_response(3.0, 0.0, 3.0), Some(0.0));
    }
}
