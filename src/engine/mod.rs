//! One replication of one variant: the event loop that drives requests through the compiled
//! [`Model`] on the [`kernel`](crate::kernel).
//!
//! # Request execution
//!
//! A request is a tree of *frames* in an arena (`crate::components::contract::Frame`): an *op*
//! frame per operation invocation, a *call* frame per call edge that needs its own bookkeeping
//! (repetitions, a timeout or policies), a *root* frame per client request that has a client
//! timeout or retries, and frames that components own (a saga in progress, a message in a
//! queue). Events carry frame ids (generation-checked), never boxes; after warm-up no event
//! allocates.
//!
//! - An op frame first does its CPU burst (demand, plus callee-side marshalling when it was
//!   invoked over the network), then its steps in order; a step starts every call it holds (one
//!   for a sequential call, one per branch of a parallel step) and waits for all of them.
//! - A call made once and without timeout or policy is a child op frame answering its caller
//!   directly (a remote one first does the caller-side marshalling on the caller's instance).
//!   Otherwise a call frame draws the probability once, then makes `count` attempts one after
//!   the other: in-process (a child op frame on the same instance), remote (caller marshalling
//!   CPU, a network hop, admission at an instance of the target, the target's work, a hop
//!   back), or a database query (a hop, the database station, a hop back).
//! - The first failure of a call fails the calling operation once its current step has
//!   finished; failures propagate to the client with the node where they began.
//! - A timeout abandons the attempt: the caller sees `timeout` at once while the callee keeps
//!   working and its late answer is discarded (orphaned work, as in real systems).
//!
//! # Components
//!
//! The engine core (this module) knows frames, operations, calls, admission, CPU, the event
//! loop and the self-check. It reaches the components (`crate::components`) only through their
//! hooks, at the points of the flow where a node's, a call's or an entry's mask has a bit set,
//! and through their events; it implements their view of a replication
//! ([`crate::components::contract::SimCx`], in `cx.rs`).
//!
//! See `docs/semantics.md` for the full description and `docs/architecture.md` for the layout.

use crate::components::contract::{Frame, FrameId};
use crate::components::{self, Plans, States};
use crate::flow::anatomy::{AnatomyRep, Layout};
use crate::flow::availability::Availability;
use crate::flow::purpose;
use crate::flow::record::Outcomes;
use crate::flow::station::Station;
use crate::flow::topology::Topology;
use crate::kernel::{Arena, BinaryHeapQueue, EventQueue, RadixQueue, Rng64, SimTime, StreamSeeder};
use crate::model::Model;
use crate::workload::{Arrival, Arrivals};
use std::sync::atomic::{AtomicBool, Ordering};

mod admission;
mod calls;
mod cx;
mod ledger;
mod measure;
mod ops;
mod origin;
pub mod record;
mod request;

use record::RepResult;

/// How often (in events) the loop looks at the cancellation flag and the event limit.
const CANCEL_CHECK_EVERY: u64 = 1 << 12;

/// Bounds on one replication's work, checked as it runs ([`simulate_limited`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Most events of the replication (`u64::MAX`: no bound).
    pub max_events: u64,
    /// Most events at one simulated instant (nanosecond) before the run is stopped as a
    /// zero-time loop (`u64::MAX`: no bound).
    pub max_same_instant: u64,
    /// Most live state: requests and calls in progress plus scheduled events, the part of a
    /// replication's memory that grows with the load (`u64::MAX`: no bound). Checked with the
    /// event limit, every few thousand events.
    pub max_live: u64,
}

impl Limits {
    /// No bound.
    pub const NONE: Limits = Limits {
        max_events: u64::MAX,
        max_same_instant: u64::MAX,
        max_live: u64::MAX,
    };
}

/// Why a replication was stopped by its [`Limits`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Runaway {
    /// More events than `Limits::max_events`.
    #[error("replication {replication} processed {events} events by t = {at_s:.6} s, more than its limit of {limit} (the estimate times the guard factor); the last event was at {node}")]
    TooManyEvents {
        /// The replication.
        replication: u64,
        /// Events processed.
        events: u64,
        /// The limit.
        limit: u64,
        /// Simulated time reached \[s\].
        at_s: f64,
        /// Where the last event took place (`node `x``, `operation `a.b``, a component).
        node: String,
    },
    /// More live state than `Limits::max_live`: requests pile up far beyond the estimate.
    #[error("replication {replication} holds {live} requests, calls and scheduled events in progress at t = {at_s:.6} s (about {mib:.0} MiB), more than its limit of {limit} (the estimated requests in progress times the guard factor); the longest queue is at {node}")]
    TooMuchLiveState {
        /// The replication.
        replication: u64,
        /// Live requests and calls plus scheduled events.
        live: u64,
        /// Their memory, approximately \[MiB\].
        mib: f64,
        /// The limit.
        limit: u64,
        /// Simulated time reached \[s\].
        at_s: f64,
        /// The node with the most requests waiting, or where the last event took place.
        node: String,
    },
    /// More events at one instant than `Limits::max_same_instant`.
    #[error("replication {replication} is in a zero-time loop: {events} events at t = {at_s:.9} s without the clock advancing, the last at {node}; a cycle of calls or publishes takes no time")]
    ZeroTimeLoop {
        /// The replication.
        replication: u64,
        /// Events at that instant.
        events: u64,
        /// The instant \[s\].
        at_s: f64,
        /// Where the last event took place.
        node: String,
    },
}

/// An event of the loop: the core's, or a component's.
#[derive(Clone, Copy)]
enum Ev {
    Arrival(u32),
    Cpu {
        station: u32,
        epoch: u32,
    },
    Job {
        station: u32,
        frame: FrameId,
    },
    Deliver(FrameId),
    Return(FrameId),
    Timeout(FrameId, u32),
    Tick,
    WarmupEnd,
    /// A backoff ended: next attempt of a call or root frame.
    Retry(FrameId),
    /// Admission after a gate's delay.
    Admit(FrameId),
    /// A component's event, kept in [`Sim::comp_events`] (so that the queue's entries stay
    /// small: a component's event can be larger than the core's).
    Component(u32),
}

/// Simulates replication `replication` of `model` with the scenario seed `seed`.
///
/// Returns `None` if `cancel` was raised before the end.
pub fn simulate(
    model: &Model,
    seed: u64,
    replication: u64,
    cancel: Option<&AtomicBool>,
) -> Option<RepResult> {
    simulate_with(model, seed, replication, cancel, QueueKind::default())
}

/// [`simulate`] stopped by `limits`: `Err` names the runaway (too many events, or a loop
/// that does not advance the clock) and where it took place.
///
/// # Errors
/// [`Runaway`] when a limit is exceeded.
pub fn simulate_limited(
    model: &Model,
    seed: u64,
    replication: u64,
    cancel: Option<&AtomicBool>,
    limits: Limits,
) -> Result<Option<RepResult>, Runaway> {
    if model.has_components() {
        run_sim_limited::<BinaryHeapQueue<Ev>, true>(model, seed, replication, cancel, limits)
    } else {
        run_sim_limited::<BinaryHeapQueue<Ev>, false>(model, seed, replication, cancel, limits)
    }
}

/// Which event-queue implementation to run with (results are identical; only speed differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueKind {
    /// [`BinaryHeapQueue`]: the faster on our benchmarks, whose queues hold few events.
    #[default]
    BinaryHeap,
    /// [`RadixQueue`].
    Radix,
}

/// [`simulate`] with a chosen event queue.
pub fn simulate_with(
    model: &Model,
    seed: u64,
    replication: u64,
    cancel: Option<&AtomicBool>,
    queue: QueueKind,
) -> Option<RepResult> {
    match queue {
        QueueKind::BinaryHeap => {
            simulate_on::<BinaryHeapQueue<Ev>>(model, seed, replication, cancel)
        }
        QueueKind::Radix => simulate_on::<RadixQueue<Ev>>(model, seed, replication, cancel),
    }
}

fn simulate_on<Q: EventQueue<Ev> + Default>(
    model: &Model,
    seed: u64,
    replication: u64,
    cancel: Option<&AtomicBool>,
) -> Option<RepResult> {
    if model.has_components() {
        run_sim::<Q, true>(model, seed, replication, cancel)
    } else {
        run_sim::<Q, false>(model, seed, replication, cancel)
    }
}

/// One replication on the engine specialized for models with (`C`) or without components.
fn run_sim<Q: EventQueue<Ev> + Default, const C: bool>(
    model: &Model,
    seed: u64,
    replication: u64,
    cancel: Option<&AtomicBool>,
) -> Option<RepResult> {
    run_sim_limited::<Q, C>(model, seed, replication, cancel, Limits::NONE)
        .ok()
        .flatten()
}

/// [`run_sim`] under `limits`.
fn run_sim_limited<Q: EventQueue<Ev> + Default, const C: bool>(
    model: &Model,
    seed: u64,
    replication: u64,
    cancel: Option<&AtomicBool>,
    limits: Limits,
) -> Result<Option<RepResult>, Runaway> {
    let started = std::time::Instant::now();
    let mut sim = Sim::<Q, C>::new(model, StreamSeeder::new(seed, replication));
    match sim.run(cancel, limits) {
        Stop::Done => {}
        Stop::Cancelled => return Ok(None),
        Stop::Events(ev) => {
            return Err(Runaway::TooManyEvents {
                replication,
                events: sim.events,
                limit: limits.max_events,
                at_s: sim.now.0 as f64 / 1e9,
                node: sim.place_of(ev),
            })
        }
        Stop::Live(ev) => {
            let live = sim.live();
            return Err(Runaway::TooMuchLiveState {
                replication,
                live,
                mib: sim.live_bytes() as f64 / (1024.0 * 1024.0),
                limit: limits.max_live,
                at_s: sim.now.0 as f64 / 1e9,
                node: sim.longest_queue().unwrap_or_else(|| sim.place_of(ev)),
            });
        }
        Stop::SameInstant(ev, n) => {
            return Err(Runaway::ZeroTimeLoop {
                replication,
                events: n,
                at_s: sim.now.0 as f64 / 1e9,
                node: sim.place_of(ev),
            })
        }
    }
    let mut r = sim.finish();
    r.wall_s = started.elapsed().as_secs_f64();
    Ok(Some(r))
}

/// How the loop of a replication ended.
enum Stop {
    Done,
    Cancelled,
    /// The event limit, at this event.
    Events(Ev),
    /// This many events at one instant, the last this one.
    SameInstant(Ev, u64),
    /// The live-state limit, at this event.
    Live(Ev),
}

/// [`simulate`] on the general engine even for a model without components (the form a model
/// with components runs on): the two forms must give byte-identical records.
#[doc(hidden)]
pub fn simulate_general(model: &Model, seed: u64, replication: u64) -> Option<RepResult> {
    run_sim::<BinaryHeapQueue<Ev>, true>(model, seed, replication, None)
}

/// One replication in progress. `C`: the model has components; without (a plain model), every
/// hook site compiles away (`simulate_on` picks the form; both give the same results).
struct Sim<'m, Q, const C: bool> {
    t: &'m Topology,
    p: &'m Plans,
    now: SimTime,
    queue: Q,
    frames: Arena<Frame>,
    stations: Vec<Station>,
    /// The components' states.
    st: States,
    avail: Availability,
    /// Components gating every admission now (an active fault).
    gates: u32,
    /// Components acting on entry requests as they leave the client (a plain gateway).
    entry_hooks: u32,
    /// Some component wants the failed outcomes.
    outcomes: bool,
    rr: Vec<u32>,
    routing_rng: Vec<Rng64>,
    arrivals: Arrivals,
    /// Some entry is a closed loop (answers schedule the next request).
    closed_loops: bool,
    error_rng: Vec<Rng64>,
    demand_rng: Vec<Rng64>,
    branch_rng: Vec<Rng64>,
    net_rng: Rng64,
    haul_rng: Rng64,
    latency_zero: bool,
    measuring: bool,
    events: u64,
    /// Crashes so far (stale completion events of crashed instances are possible after one).
    crashes: u64,
    /// The entry requests' outcomes and the series.
    out: Outcomes,
    in_system_at_warmup: Vec<u32>,
    /// Per operation: deliveries counted (request-priced databases only).
    op_count: Vec<u64>,
    /// Per node: measured requests failed on their way in, before reaching an instance.
    refused: Vec<u64>,
    /// Per node: ∫ instances up dt at the start of the current window (elastic nodes).
    win_up_base: Vec<f64>,
    /// Scratch list of the instances up (load balancing while some are down).
    lb_scratch: Vec<u32>,
    /// The components' scheduled events, by slot; and the free slots.
    comp_events: Vec<components::Event>,
    comp_free: Vec<u32>,
    /// Latency anatomy: the parts' numbering, the frames' ledgers, and the record.
    anat: Layout,
    ledgers: ledger::Ledgers,
    anatomy: AnatomyRep,
    /// Failure chains noted when a failure began, by the top frame of its request (see
    /// `origin.rs`); and per entry, the measured failures by chain.
    chains: std::collections::HashMap<u64, Vec<u32>>,
    chain_counts: Vec<std::collections::BTreeMap<Vec<u32>, u64>>,
}

impl<'m, Q: EventQueue<Ev> + Default, const C: bool> Sim<'m, Q, C> {
    fn new(m: &'m Model, seeds: StreamSeeder) -> Self {
        let (t, p) = (&m.topo, &m.plans);
        let stations = t
            .stations
            .iter()
            .map(|s| {
                let mut st = Station::new(s.cores, s.speed, s.workers, s.queue, s.async_io);
                st.dedicated = s.dedicated;
                st.shed_max_wait = s.shed_max_wait;
                st.host = s.host;
                st
            })
            .collect();
        let (n_entries, n_nodes, n_ops) = (t.entries.len(), t.nodes.len(), t.ops.len());
        let streams = |purpose: u64, n: usize| -> Vec<Rng64> {
            (0..n).map(|i| seeds.stream(purpose, i as u64)).collect()
        };
        // The plain gateway is node `n_nodes` with one instance (station `stations.len()`).
        let instances = t.nodes.iter().map(|n| n.instances).chain([1]).collect();
        let anat = Layout {
            components: components::NAMES.len() as u32,
            nodes: n_nodes as u32,
        };
        Sim {
            t,
            p,
            now: SimTime::ZERO,
            queue: Q::default(),
            frames: Arena::new(),
            stations,
            st: States::start(p, t, &seeds),
            avail: Availability::new(instances, t.stations.len() + 1),
            gates: 0,
            entry_hooks: if p.gateway.overhead.is_some() {
                components::bit::gateway
            } else {
                0
            },
            outcomes: components::wants_outcomes(p),
            rr: vec![0; n_nodes],
            routing_rng: streams(purpose::ROUTING, n_nodes),
            arrivals: Arrivals::new(streams(purpose::ARRIVAL, n_entries)),
            closed_loops: t.entries.iter().any(|e| e.arrival.is_closed()),
            error_rng: streams(purpose::ERROR, n_ops),
            demand_rng: streams(purpose::DEMAND, n_ops),
            branch_rng: streams(purpose::BRANCH, n_ops),
            net_rng: seeds.stream(purpose::NETWORK, 0),
            haul_rng: seeds.stream(purpose::CLIENT_HAUL, 0),
            latency_zero: t.latency.is_zero(),
            measuring: t.warmup == 0,
            events: 0,
            crashes: 0,
            out: Outcomes::new(
                n_entries,
                n_nodes,
                t.window as f64 / 1e9,
                seeds.stream(purpose::WINDOW, 0),
                components::tracks_failures(p),
            ),
            in_system_at_warmup: vec![0; t.stations.len()],
            op_count: vec![0; n_ops],
            refused: vec![0; n_nodes],
            win_up_base: vec![0.0; n_nodes],
            lb_scratch: Vec::new(),
            comp_events: Vec::new(),
            comp_free: Vec::new(),
            anat,
            ledgers: ledger::Ledgers::default(),
            anatomy: AnatomyRep::new(n_entries, anat.len()),
            chains: std::collections::HashMap::new(),
            chain_counts: vec![std::collections::BTreeMap::new(); n_entries],
        }
    }

    #[inline]
    fn at(&mut self, delay: u64, ev: Ev) {
        self.queue.push(self.now.after(delay), ev);
    }

    /// Schedules component event `ev` at `t`.
    #[inline(never)]
    fn at_component(&mut self, t: SimTime, ev: components::Event) {
        let slot = match self.comp_free.pop() {
            Some(slot) => {
                self.comp_events[slot as usize] = ev;
                slot
            }
            None => {
                self.comp_events.push(ev);
                (self.comp_events.len() - 1) as u32
            }
        };
        self.queue.push(t, Ev::Component(slot));
    }

    /// [`Sim::at`] for paths off the hot loop, kept out of line so that they do not change the
    /// inlining of the hot paths.
    #[inline(never)]
    fn at_cold(&mut self, delay: u64, ev: Ev) {
        self.queue.push(self.now.after(delay), ev);
    }

    /// Live requests and calls plus scheduled events: what [`Limits::max_live`] bounds.
    fn live(&self) -> u64 {
        (self.frames.len() + self.queue.len()) as u64
    }

    /// The memory of [`Sim::live`], approximately: the frames' and the queue entries' sizes
    /// (the arena's and the heap's spare capacity and the ledgers' parts not counted).
    fn live_bytes(&self) -> usize {
        self.frames.len() * std::mem::size_of::<Frame>()
            + self.queue.len() * std::mem::size_of::<(SimTime, Ev)>()
    }

    /// The node whose replicas hold the most requests waiting for a worker, for a runaway's
    /// message; `None` when nothing waits.
    fn longest_queue(&self) -> Option<String> {
        let mut waiting = vec![0usize; self.t.nodes.len()];
        for (i, st) in self.stations.iter().enumerate() {
            if let Some(n) = self.t.stations.get(i).map(|s| s.node as usize) {
                if let Some(w) = waiting.get_mut(n) {
                    *w += st.waiting();
                }
            }
        }
        let (n, &w) = waiting.iter().enumerate().max_by_key(|&(_, w)| *w)?;
        (w > 0).then(|| format!("node `{}` ({w} requests waiting)", self.t.nodes[n].name))
    }

    /// Where event `ev` takes place, for a runaway's message.
    fn place_of(&self, ev: Ev) -> String {
        let node = |station: u32| {
            self.t
                .stations
                .get(station as usize)
                .and_then(|s| self.t.nodes.get(s.node as usize))
                .map_or_else(
                    || "the gateway".to_string(),
                    |n| format!("node `{}`", n.name),
                )
        };
        let frame = |f: FrameId| {
            self.frames
                .get(f)
                .map_or_else(|| "a finished request".to_string(), |fr| node(fr.station))
        };
        match ev {
            Ev::Arrival(e) => self.t.entries.get(e as usize).map_or_else(
                || "an arrival".to_string(),
                |x| format!("entry `{}`", x.name),
            ),
            Ev::Cpu { station, .. } | Ev::Job { station, .. } => node(station),
            Ev::Deliver(f) | Ev::Return(f) | Ev::Timeout(f, _) | Ev::Retry(f) | Ev::Admit(f) => {
                frame(f)
            }
            Ev::Tick | Ev::WarmupEnd => "the series clock".to_string(),
            Ev::Component(_) => "a component (queue, cache, autoscaler, fault, …)".to_string(),
        }
    }

    fn run(&mut self, cancel: Option<&AtomicBool>, limits: Limits) -> Stop {
        for e in 0..self.t.entries.len() {
            if let Arrival::Closed { users, .. } = self.t.entries[e].arrival {
                // Every user starts by thinking.
                for _ in 0..users {
                    self.next_of_user(e);
                }
                continue;
            }
            let first = self.arrivals.next(e, &self.t.entries[e].arrival, 0);
            if first < self.t.end {
                self.at(first, Ev::Arrival(e as u32));
            }
        }
        self.at(self.t.window, Ev::Tick);
        if self.t.warmup > 0 {
            self.at(self.t.warmup, Ev::WarmupEnd);
        }
        components::on_start(self);
        let end = SimTime(self.t.end);
        let mut same_instant = 0u64;
        while let Some((t, ev)) = self.queue.pop() {
            if t >= end {
                break;
            }
            if t == self.now {
                same_instant += 1;
                if same_instant > limits.max_same_instant {
                    return Stop::SameInstant(ev, same_instant);
                }
            } else {
                same_instant = 1;
            }
            self.now = t;
            self.events += 1;
            if self.events % CANCEL_CHECK_EVERY == 0 {
                if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return Stop::Cancelled;
                }
                if self.events > limits.max_events {
                    return Stop::Events(ev);
                }
                if self.live() > limits.max_live {
                    return Stop::Live(ev);
                }
            }
            match ev {
                Ev::Arrival(e) => self.on_arrival(e as usize),
                Ev::Cpu { station, epoch } => self.on_cpu(station, epoch),
                Ev::Job { station, frame } => {
                    if C && self.crashes > 0 && self.frames.get(frame).is_none() {
                        continue; // the job of a request lost in a crash
                    }
                    self.stations[station as usize].end_dedicated_job(self.now);
                    self.cpu_done(frame, station);
                }
                Ev::Deliver(f) => self.deliver(f),
                Ev::Return(f) => self.on_return(f),
                Ev::Timeout(f, attempt) => self.on_timeout(f, attempt),
                Ev::Tick => self.on_tick(),
                Ev::WarmupEnd => self.on_warmup_end(),
                Ev::Retry(f) => self.on_retry(f),
                Ev::Admit(x) => self.on_admit(x),
                Ev::Component(slot) => {
                    let e = self.comp_events[slot as usize];
                    self.comp_free.push(slot);
                    components::on_event(self, e);
                }
            }
        }
        self.now = end;
        // The window ending exactly at the end of the run is recorded too, so that the series
        // cover the whole run (their time average is then the run's mean).
        if self.t.end >= self.t.window && self.t.end % self.t.window == 0 {
            self.on_tick();
        }
        Stop::Done
    }
}
