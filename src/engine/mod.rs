//! One replication of one variant: the event loop that drives requests through the compiled
//! [`Model`] on the [`kernel`](crate::kernel).
//!
//! # Request execution
//!
//! A request is a tree of *frames* in an arena: an *op* frame per operation invocation, a *call*
//! frame per call edge that needs its own bookkeeping (repetitions or a timeout), and a *root*
//! frame per client request that has a client timeout. Events carry frame ids
//! (generation-checked), never boxes; after warm-up no event allocates.
//!
//! - An op frame first does its CPU burst (demand, plus callee-side marshalling when it was
//!   invoked over the network), then its steps in order; a step starts every call it holds (one
//!   for a sequential call, one per branch of a parallel step) and waits for all of them.
//! - A call made once and without timeout is a child op frame answering its caller directly (a
//!   remote one first does the caller-side marshalling on the caller's instance). Otherwise a
//!   call frame draws the probability once, then makes `count` attempts one after the other:
//!   in-process (a child op frame on the same instance), remote (caller marshalling CPU, a
//!   network hop, admission at an instance of the target unit, the target's work, a hop back), or
//!   a database query (a hop, the database station, a hop back).
//! - The first failure of a call fails the calling operation once its current step has finished;
//!   failures propagate to the client with the node where they began.
//! - A timeout abandons the attempt: the caller sees `timeout` at once while the callee keeps
//!   working and its late answer is discarded (orphaned work, as in real systems).
//!
//! See `docs/semantics.md` for the full description.

use crate::components::cache::CacheState;
use crate::components::faults::state::Gate;
use crate::components::faults::{FaultKind, FaultState};
use crate::components::function::{Admission, Functions};
use crate::components::lb;
use crate::components::policy::EdgeRep;
use crate::components::policy::{EdgeState, Fallback, Refusal};
use crate::components::pool::Pool;
use crate::components::queue::QueueState;
use crate::components::rate_limit::TokenBucket;
use crate::components::retry;
use crate::components::retry::BudgetState;
use crate::components::saga::SagaRep;
use crate::engine::record::RepResult;
use crate::flow::purpose;
use crate::flow::record::{EntryRep, NodeRep, Series};
use crate::flow::station::Station;
use crate::flow::Reason;
use crate::kernel::{
    Arena, BinaryHeapQueue, EventQueue, Id, RadixQueue, Rng64, SimTime, StreamSeeder,
};
use crate::model::{
    CallKind, Model, NodeKind, NO_AUTOSCALE, NO_CACHE, NO_FUNCTION, NO_HOST, NO_POLICY,
};
use crate::scenario::Arrival;
use crate::stats::WindowSample;
use crate::workload::{self, ArrivalState};
use rand::Rng;
use std::sync::atomic::{AtomicBool, Ordering};

mod flows;
mod placement;
pub mod record;
mod scaling;

/// `fail_node` of a successful answer that was degraded by a fallback on the way (with
/// `fail == 0`; a real failure overrides it).
const DEGRADED: u32 = u32::MAX - 1;

/// How often (in events) the loop looks at the cancellation flag.
const CANCEL_CHECK_EVERY: u64 = 1 << 16;

type FrameId = Id<Frame>;

/// [`Frame::reps`] bit of an op frame holding an instance of a serverless function.
const FN_INSTANCE: u32 = 1;
/// [`Frame::reps`] bit of an op frame whose function instance is a provisioned one.
const FN_PROVISIONED: u32 = 2;

/// [`Frame::entry`] of a frame that is not an entry request.
const NO_ENTRY: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Root,
    Call,
    Op,
    /// A saga in progress: `idx` the calling op, `reps` the saga index, `pc` the forward steps
    /// started (while compensating: the completed steps not yet looked at), `attempt` the
    /// phase (0 forward, 1 compensating, 2 compensating after a failed compensation), `start`
    /// when compensation began, `born` when the saga began, `parent` the calling op frame.
    Saga,
    /// A message of a queue: `idx` the queue, `pc` the consumer op, `attempt` the receives so
    /// far, `child` the consumer invocation in flight, `born` the publish call, `start` when it
    /// last became visible, `parent` the publishing op until the publish completes.
    Msg,
}

/// One node of a request's execution tree. See the module docs.
#[derive(Clone, Copy)]
struct Frame {
    kind: Kind,
    /// Op: its call (or root) frame, NONE when orphaned. Call: its op frame.
    parent: FrameId,
    /// Call/Root: the op frame of the current attempt.
    child: FrameId,
    /// Root: entry index. Call: call-plan index. Op: operation index.
    idx: u32,
    /// Op: executing station. Call: the caller's station.
    station: u32,
    /// Op: next step.
    pc: u32,
    /// Op: calls of the current step not yet finished.
    pending: u32,
    /// Call: attempts left, including the current one. Op: serverless flags ([`FN_INSTANCE`],
    /// [`FN_PROVISIONED`]; an op frame has no attempts, and the frame stays 80 bytes).
    reps: u32,
    /// Call/Root: attempt counter, to match timeout events.
    attempt: u32,
    // Call frames with policies reuse fields that only op and root frames need: `pc` holds the
    // circuit-breaker ticket of the attempt, `start` the attempt's start, `entry` the retries
    // of the current repetition, `born` the previous backoff sleep \[ns\], `spawning` whether an
    // admitted attempt is in flight. Root frames keep the
    // previous client backoff sleep in `start`.
    /// First failure (a `Reason` code, 0 = none) and the node where it began.
    fail: u8,
    fail_node: u32,
    /// Root: arrival. Op: arrival at its station.
    start: SimTime,
    /// Op: invoked over the network (goes through admission and counts in the station).
    remote: bool,
    /// Op: counted in its station's `in_system`.
    in_system: bool,
    /// Holds a worker of its station.
    holds_worker: bool,
    /// Op: currently spawning the calls of a step.
    spawning: bool,
    /// Root: arrived after warm-up.
    measured: bool,
    /// Op called directly by an op frame (a call made once, without timeout, needs no call
    /// frame): currently doing the caller-side marshalling on the caller's station.
    marshal: bool,
    /// Pending CPU work while waiting for a worker \[ns\] (async io stations). On a serverless
    /// function (never async io): when the invocation started running, after any cold start
    /// \[ns\]; negative while it waits for its cold start.
    work: f64,
    /// Op: the entry whose request this frame *is* (an entry without client timeout needs no
    /// root frame: its operation answers the client itself); `u32::MAX` otherwise.
    entry: u32,
    /// Root, or an op with `entry` set: when the request arrived.
    born: SimTime,
}

impl Frame {
    fn new(kind: Kind, parent: FrameId, idx: u32, station: u32) -> Frame {
        Frame {
            kind,
            parent,
            child: FrameId::NONE,
            idx,
            station,
            pc: 0,
            pending: 0,
            reps: 0,
            attempt: 0,
            fail: 0,
            fail_node: 0,
            start: SimTime::ZERO,
            remote: false,
            in_system: false,
            holds_worker: false,
            spawning: false,
            measured: false,
            marshal: false,
            work: 0.0,
            entry: NO_ENTRY,
            born: SimTime::ZERO,
        }
    }
}

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
    /// Admission after a `latency` fault's delay.
    Admit(FrameId),
    /// Scheduled fault `f` starts (`on`) or ends.
    Fault {
        f: u32,
        on: bool,
    },
    /// Random fault `f` takes station `station` down (`down`) or repairs it.
    Flip {
        f: u32,
        station: u32,
        down: bool,
    },
    /// The cold start of a serverless invocation is over.
    FnReady(FrameId),
    /// The oldest running invocation of function `.0` may have reached its maximum duration.
    FnDeadline(u32),
    /// A publish completes: the message becomes visible and the publisher continues.
    Published(FrameId),
    /// A completion may be due on the shared cores of host `host`.
    HostCpu {
        host: u32,
        epoch: u32,
    },
    /// Admission of an op frame at the given instance after a cross-zone hop.
    AdmitAt(FrameId, u32),
    /// The acquire timeout of a query waiting for a connection of pool `.1`.
    PoolTimeout(FrameId, u32),
    /// Sync of autoscaler `.0`.
    Scale(u32),
    /// Instance `station` of an autoscaled unit, started as `generation`, is ready.
    Ready {
        station: u32,
        generation: u32,
    },
    /// Kubernetes: instance `station` restarts after its crash (fault `f`) ended.
    Restart {
        f: u32,
        station: u32,
    },
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
    let started = std::time::Instant::now();
    let mut sim = Sim::<Q>::new(model, StreamSeeder::new(seed, replication));
    let finished = sim.run(cancel);
    if !finished {
        return None;
    }
    let mut r = sim.finish();
    r.wall_s = started.elapsed().as_secs_f64();
    Some(r)
}

struct Sim<'m, Q> {
    m: &'m Model,
    now: SimTime,
    queue: Q,
    frames: Arena<Frame>,
    stations: Vec<Station>,
    rr: Vec<u32>,
    arrival_rng: Vec<Rng64>,
    arrival_state: Vec<ArrivalState>,
    /// Some entry is a closed loop (answers schedule the next request).
    closed_loops: bool,
    error_rng: Vec<Rng64>,
    publish_rng: Vec<Rng64>,
    queues: Vec<QueueState>,
    sagas: Vec<SagaRep>,
    demand_rng: Vec<Rng64>,
    branch_rng: Vec<Rng64>,
    routing_rng: Vec<Rng64>,
    net_rng: Rng64,
    gw_rng: Rng64,
    latency_zero: bool,
    measuring: bool,
    events: u64,
    entries: Vec<EntryRep>,
    win_sample: Vec<WindowSample>,
    window_rng: Rng64,
    win_ok: Vec<u64>,
    win_fail: Vec<u64>,
    series: Series,
    in_system_at_warmup: Vec<u32>,
    /// Resilience state per call edge with policies (indexed like `Model::policies`).
    edges: Vec<EdgeState>,
    retry_rng: Vec<Rng64>,
    client_rng: Vec<Rng64>,
    client_budget: Vec<BudgetState>,
    fx: FaultState,
    /// Crashes so far (stale completion events of crashed instances are possible after one).
    crashes: u64,
    /// Failures by origin in the current window and in the measured interval.
    win_origin: Vec<u64>,
    origins: Vec<u64>,
    /// Keep failure-origin series (the model has faults or policies).
    track: bool,
    functions: Functions,
    cold_rng: Vec<Rng64>,
    /// Per function: running invocations `(deadline, frame)` in start order.
    fn_running: Vec<std::collections::VecDeque<(u64, FrameId)>>,
    /// Per function: a deadline event is pending.
    fn_timer: Vec<bool>,
    /// Per operation: deliveries counted (request-priced databases only).
    op_count: Vec<u64>,
    /// Per cache of the model: its state, and its random stream.
    caches: Vec<CacheState>,
    cache_rng: Vec<Rng64>,
    /// The gateway's token bucket, if it has a rate limit.
    bucket: Option<TokenBucket>,
    /// Shared cores of each host (processor-sharing stations; see `placement`).
    hosts: Vec<Station>,
    /// Per instance: its CPU phases running on its host's shared cores.
    host_jobs: Vec<u32>,
    /// Cross-zone latency draws.
    zone_rng: Rng64,
    /// Bytes that crossed zones in the measured interval.
    cross_bytes: f64,
    /// Client ↔ data-centre latency draws.
    haul_rng: Rng64,
    /// Connection pools (indexed like `Model::pools`).
    pools: Vec<Pool>,
    /// Per autoscaled unit: its state and start-up stream.
    scalers: Vec<crate::components::autoscaler::Scaler>,
    scale_rng: Vec<Rng64>,
    /// Per node: ∫ instances up dt at the start of the current window (autoscaled units).
    win_up_base: Vec<f64>,
    /// Scratch list of the instances up (load balancing while some are down).
    lb_scratch: Vec<u32>,
    /// Per fault: instances down because of it (random failures), the start of the current
    /// episode, and the episode counters.
    rf_down: Vec<u32>,
    rf_since: Vec<u64>,
    episodes: Vec<crate::components::faults::EpisodeRep>,
    /// Random faults with an episode in progress.
    rf_active: u32,
}

impl<'m, Q: EventQueue<Ev> + Default> Sim<'m, Q> {
    fn new(m: &'m Model, seeder: StreamSeeder) -> Self {
        let stations = m
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
        let n_entries = m.entries.len();
        let n_nodes = m.nodes.len();
        let (scalers, scale_rng) = scaling::scalers(m, &seeder);
        Sim {
            m,
            now: SimTime::ZERO,
            queue: Q::default(),
            frames: Arena::new(),
            stations,
            rr: vec![0; n_nodes],
            arrival_rng: (0..n_entries)
                .map(|i| seeder.stream(purpose::ARRIVAL, i as u64))
                .collect(),
            arrival_state: vec![ArrivalState::default(); n_entries],
            closed_loops: m.entries.iter().any(|e| e.arrival.is_closed()),
            error_rng: (0..m.ops.len())
                .map(|i| seeder.stream(purpose::ERROR, i as u64))
                .collect(),
            publish_rng: (0..m.queues.len())
                .map(|i| seeder.stream(purpose::PUBLISH, i as u64))
                .collect(),
            queues: m
                .queues
                .iter()
                .map(|q| QueueState::new(q.consumers))
                .collect(),
            sagas: vec![SagaRep::default(); m.sagas.len()],
            demand_rng: (0..m.ops.len())
                .map(|i| seeder.stream(purpose::DEMAND, i as u64))
                .collect(),
            branch_rng: (0..m.ops.len())
                .map(|i| seeder.stream(purpose::BRANCH, i as u64))
                .collect(),
            routing_rng: (0..n_nodes)
                .map(|i| seeder.stream(purpose::ROUTING, i as u64))
                .collect(),
            net_rng: seeder.stream(purpose::NETWORK, 0),
            gw_rng: seeder.stream(purpose::GATEWAY, 0),
            latency_zero: m.latency.is_zero(),
            measuring: m.warmup == 0,
            events: 0,
            entries: (0..n_entries).map(|_| EntryRep::new()).collect(),
            win_sample: (0..n_entries).map(|_| WindowSample::new()).collect(),
            window_rng: seeder.stream(purpose::WINDOW, 0),
            win_ok: vec![0; n_entries],
            win_fail: vec![0; n_entries],
            series: Series {
                window_s: m.window as f64 / 1e9,
                throughput: vec![Vec::new(); n_entries],
                errors: vec![Vec::new(); n_entries],
                p50: vec![Vec::new(); n_entries],
                p99: vec![Vec::new(); n_entries],
                utilization: vec![Vec::new(); n_nodes],
                in_system: vec![Vec::new(); n_nodes],
                instances: vec![Vec::new(); n_nodes],
                instances_starting: vec![Vec::new(); n_nodes],
                worker_saturation: vec![Vec::new(); n_nodes],
                waiting: vec![Vec::new(); n_nodes],
                pool_saturation: vec![Vec::new(); if m.pooled { n_nodes } else { 0 }],
                pool_waiting: vec![Vec::new(); if m.pooled { n_nodes } else { 0 }],
                failures: Vec::new(),
                queue_backlog: vec![Vec::new(); m.queues.len()],
                queue_oldest_age: vec![Vec::new(); m.queues.len()],
            },
            in_system_at_warmup: vec![0; m.stations.len()],
            edges: m.policies.iter().map(|p| EdgeState::new(*p)).collect(),
            retry_rng: (0..m.policies.len())
                .map(|i| seeder.stream(purpose::RETRY, i as u64))
                .collect(),
            client_rng: (0..n_entries)
                .map(|i| seeder.stream(purpose::CLIENT_RETRY, i as u64))
                .collect(),
            client_budget: vec![BudgetState::default(); n_entries],
            fx: FaultState::new(
                m.nodes
                    .iter()
                    .map(|n| n.instances)
                    .chain(std::iter::once(1))
                    .collect(),
                m.stations.len() + 1,
                m.faults.len(),
                (0..m.faults.len())
                    .map(|i| seeder.stream(purpose::FAULT, i as u64))
                    .collect(),
            ),
            crashes: 0,
            win_origin: vec![0; (n_nodes + 1) * n_entries],
            origins: vec![0; (n_nodes + 1) * n_entries],
            track: !m.faults.is_empty()
                || !m.policies.is_empty()
                || m.entries.iter().any(|e| e.retry.is_some()),
            functions: Functions::new(&m.functions, m.account_concurrency),
            cold_rng: (0..m.functions.len())
                .map(|i| seeder.stream(purpose::COLD_START, i as u64))
                .collect(),
            fn_running: vec![std::collections::VecDeque::new(); m.functions.len()],
            fn_timer: vec![false; m.functions.len()],
            op_count: vec![0; m.ops.len()],
            caches: m.caches.iter().map(CacheState::new).collect(),
            cache_rng: (0..m.caches.len())
                .map(|i| seeder.stream(purpose::CACHE, i as u64))
                .collect(),
            bucket: m.rate_limit.map(|(r, _)| TokenBucket::new(r)),
            hosts: m
                .hosts
                .iter()
                .map(|h| Station::new(h.shared_cores, 1.0, u32::MAX, u32::MAX, false))
                .collect(),
            host_jobs: vec![0; m.stations.len()],
            zone_rng: seeder.stream(purpose::CROSS_ZONE, 0),
            cross_bytes: 0.0,
            haul_rng: seeder.stream(purpose::CLIENT_HAUL, 0),
            pools: m.pools.iter().map(|p| Pool::new(p.size)).collect(),
            scalers,
            scale_rng,
            win_up_base: vec![0.0; n_nodes],
            lb_scratch: Vec::new(),
            rf_down: vec![0; m.faults.len()],
            rf_since: vec![0; m.faults.len()],
            episodes: (0..m.faults.len())
                .map(|_| crate::components::faults::EpisodeRep {
                    failed_during: vec![0; n_entries],
                    ..Default::default()
                })
                .collect(),
            rf_active: 0,
        }
    }

    #[inline]
    fn at(&mut self, delay: u64, ev: Ev) {
        self.queue.push(self.now.after(delay), ev);
    }

    /// [`Sim::at`] for paths off the hot loop (faults, policies, queues, sagas, closed loops),
    /// kept out of line so that they do not change the inlining of the hot paths.
    #[inline(never)]
    fn at_cold(&mut self, delay: u64, ev: Ev) {
        self.queue.push(self.now.after(delay), ev);
    }

    fn run(&mut self, cancel: Option<&AtomicBool>) -> bool {
        for e in 0..self.m.entries.len() {
            if let Arrival::Closed { users, .. } = self.m.entries[e].arrival {
                // Every user starts by thinking.
                for _ in 0..users {
                    self.next_of_user(e);
                }
                continue;
            }
            let first = self.interarrival(e);
            if first < self.m.end {
                self.at(first, Ev::Arrival(e as u32));
            }
        }
        self.at(self.m.window, Ev::Tick);
        if self.m.warmup > 0 {
            self.at(self.m.warmup, Ev::WarmupEnd);
        }
        if self.track {
            self.series.failures = vec![Vec::new(); self.win_origin.len()];
        }
        self.schedule_faults();
        if !self.m.autoscalers.is_empty() {
            self.start_autoscalers();
        }
        let end = SimTime(self.m.end);
        while let Some((t, ev)) = self.queue.pop() {
            if t >= end {
                break;
            }
            self.now = t;
            self.events += 1;
            if self.events % CANCEL_CHECK_EVERY == 0 {
                if let Some(c) = cancel {
                    if c.load(Ordering::Relaxed) {
                        return false;
                    }
                }
            }
            match ev {
                Ev::Arrival(e) => self.on_arrival(e as usize),
                Ev::Cpu { station, epoch } => self.on_cpu(station, epoch),
                Ev::Job { station, frame } => {
                    if self.crashes > 0 && self.frames.get(frame).is_none() {
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
                Ev::Fault { f, on } => self.on_fault(f, on),
                Ev::Flip { f, station, down } => self.on_flip(f, station, down),
                Ev::FnReady(x) => self.fn_invoke(x),
                Ev::FnDeadline(i) => self.fn_deadline(i as usize),
                Ev::Published(msg) => self.published(msg),
                Ev::HostCpu { host, epoch } => self.on_host_cpu(host, epoch),
                Ev::AdmitAt(x, s) => self.on_admit_at(x, s),
                Ev::PoolTimeout(x, p) => self.on_pool_timeout(x, p),
                Ev::Scale(a) => self.on_scale(a),
                Ev::Ready {
                    station,
                    generation,
                } => self.on_ready(station, generation),
                Ev::Restart { f, station } => self.on_restart(f, station),
            }
        }
        self.now = end;
        // The window ending exactly at the end of the run is recorded too, so that the series
        // cover the whole run (their time average is then the run's mean).
        if self.m.end >= self.m.window && self.m.end % self.m.window == 0 {
            self.on_tick();
        }
        true
    }

    // ---- workload ------------------------------------------------------------------------

    #[inline(always)]
    fn interarrival(&mut self, e: usize) -> u64 {
        if let Arrival::Poisson { rate } = self.m.entries[e].arrival {
            return workload::poisson_delay(rate, &mut self.arrival_rng[e]);
        }
        self.interarrival_shaped(e)
    }

    /// Every arrival process but plain Poisson (kept out of the hot path).
    #[inline(never)]
    fn interarrival_shaped(&mut self, e: usize) -> u64 {
        workload::next_delay(
            &self.m.entries[e].arrival,
            &mut self.arrival_state[e],
            self.now.ns(),
            &mut self.arrival_rng[e],
        )
    }

    /// Closed loop: a user of entry `e` thinks, then sends its next request.
    #[inline(never)]
    fn next_of_user(&mut self, e: usize) {
        let Arrival::Closed { think, .. } = &self.m.entries[e].arrival else {
            return;
        };
        let d = think.sample_ns(&mut self.arrival_rng[e]);
        if self.now.ns().saturating_add(d) < self.m.end {
            self.at_cold(d, Ev::Arrival(e as u32));
        }
    }

    fn on_arrival(&mut self, e: usize) {
        let next = self.interarrival(e);
        if self.now.ns().saturating_add(next) < self.m.end {
            self.at(next, Ev::Arrival(e as u32));
        }
        if self.measuring {
            self.entries[e].arrived += 1;
        }
        let op = self.m.entries[e].op;
        let timeout = self.m.entries[e].timeout;
        if timeout > 0 || self.m.entries[e].retry.is_some() {
            // A root frame owns the client timeout and retries; the operation is its attempt.
            let mut root = Frame::new(Kind::Root, FrameId::NONE, e as u32, u32::MAX);
            root.born = self.now;
            root.measured = self.measuring;
            let r = self.frames.insert(root);
            if let Some(p) = self.m.entries[e].retry {
                if p.budget.is_some() {
                    self.client_budget[e].on_call(self.now.ns());
                }
            }
            self.root_attempt(r);
            return;
        }
        let x = {
            let mut x = Frame::new(Kind::Op, FrameId::NONE, op, u32::MAX);
            x.remote = true;
            x.entry = e as u32;
            x.born = self.now;
            x.measured = self.measuring;
            self.frames.insert(x)
        };
        self.send_entry(x, e);
    }

    /// Sends a request of entry `e` (first attempt or a client retry) through the gateway, if
    /// any, after the way from the client to the data centre.
    #[inline(always)]
    fn send_entry(&mut self, x: FrameId, e: usize) {
        let mut delay = match &self.m.gateway {
            Some(g) => g.sample_ns(&mut self.gw_rng) + self.hop(),
            None => 0,
        };
        if self.m.long_haul && !self.m.entries[e].via_cdn {
            delay += self.m.client_latency.sample_ns(&mut self.haul_rng);
        }
        if self.fx.any && self.m.gateway.is_some() {
            match self.gateway_gate(x) {
                Some(d) => delay += d,
                None => return,
            }
        }
        self.send(x, delay);
    }

    /// Faults at the gateway for entry request `x`: the added delay, or `None` if it failed.
    #[cold]
    #[inline(never)]
    fn gateway_gate(&mut self, x: FrameId) -> Option<u64> {
        let gw = self.m.nodes.len() as u32;
        match self.fx.gate(&self.m.faults, None, gw) {
            Gate::Pass => Some(0),
            Gate::Delay(d) => Some(d),
            Gate::Fail(reason) => {
                self.fail_frame(x, reason, gw);
                None
            }
        }
    }

    /// Attempt of root frame `r`: a new invocation of the entry operation.
    #[cold]
    #[inline(never)]
    fn root_attempt(&mut self, r: FrameId) {
        let Some(f) = self.frames.get_mut(r) else {
            return;
        };
        f.attempt += 1;
        let (e, attempt) = (f.idx as usize, f.attempt);
        let op = self.m.entries[e].op;
        let timeout = self.m.entries[e].timeout;
        let mut x = Frame::new(Kind::Op, r, op, u32::MAX);
        x.remote = true;
        let x = self.frames.insert(x);
        self.set_child(r, x);
        if self.measuring {
            self.entries[e].attempts += 1;
        }
        if timeout > 0 {
            self.at_cold(timeout, Ev::Timeout(r, attempt));
        }
        self.send_entry(x, e);
    }

    /// Attempt of root frame `r` ended with `fail` (0 = success): retry or answer the client.
    #[cold]
    #[inline(never)]
    fn root_attempt_end(&mut self, r: FrameId, fail: u8, fail_node: u32) {
        if fail != 0 && fail != Reason::CircuitOpen as u8 {
            if let Some(f) = self.frames.get(r) {
                let e = f.idx as usize;
                if let Some(p) = self.m.entries[e].retry {
                    let n = f.attempt;
                    let budget_ok = match &p.budget {
                        Some(b) => {
                            n < p.attempts && self.client_budget[e].try_retry(self.now.ns(), b)
                        }
                        None => true,
                    };
                    if n < p.attempts && budget_ok {
                        let prev = f.start.ns();
                        let sleep = retry::backoff(&p, n - 1, prev, &mut self.client_rng[e]);
                        if let Some(f) = self.frames.get_mut(r) {
                            f.start = SimTime(sleep);
                        }
                        self.at_cold(sleep, Ev::Retry(r));
                        return;
                    }
                }
            }
        }
        self.finish_root(r, fail, fail_node);
    }

    /// A backoff ended.
    #[cold]
    #[inline(never)]
    fn on_retry(&mut self, f: FrameId) {
        match self.frames.get(f).map(|x| x.kind) {
            Some(Kind::Root) => self.root_attempt(f),
            Some(Kind::Call) => self.call_attempt(f),
            _ => {}
        }
    }

    /// Frame `x` fails at once (it never reached a station) with `reason`, beginning at `node`.
    #[cold]
    #[inline(never)]
    fn fail_frame(&mut self, x: FrameId, reason: Reason, node: u32) {
        if let Some(f) = self.frames.get_mut(x) {
            f.fail = reason as u8;
            f.fail_node = node;
        }
        self.respond(x);
    }

    #[inline]
    fn hop(&mut self) -> u64 {
        if self.latency_zero {
            0
        } else {
            self.m.latency.sample_ns(&mut self.net_rng)
        }
    }

    #[inline]
    fn send(&mut self, x: FrameId, delay: u64) {
        if delay == 0 {
            self.deliver(x);
        } else {
            self.at(delay, Ev::Deliver(x));
        }
    }

    #[inline]
    fn set_child(&mut self, c: FrameId, x: FrameId) {
        if let Some(f) = self.frames.get_mut(c) {
            f.child = x;
        }
    }

    // ---- arrival at a station --------------------------------------------------------------

    fn deliver(&mut self, x: FrameId) {
        let Some(op) = self.frames.get(x).map(|f| f.idx) else {
            return;
        };
        let node_ix = self.m.ops[op as usize].node as usize;
        if self.fx.any && !self.node_gate(x, node_ix) {
            return;
        }
        self.admit(x, node_ix);
    }

    /// Faults at node `node_ix` for op frame `x`: `true` to admit it now; otherwise it failed
    /// or its admission was delayed.
    #[cold]
    #[inline(never)]
    fn node_gate(&mut self, x: FrameId, node_ix: usize) -> bool {
        let caller = self.caller_node(x);
        match self.fx.gate(&self.m.faults, caller, node_ix as u32) {
            Gate::Pass => true,
            Gate::Delay(d) => {
                self.at_cold(d, Ev::Admit(x));
                false
            }
            Gate::Fail(reason) => {
                self.fail_frame(x, reason, node_ix as u32);
                false
            }
        }
    }

    /// Admission after a `latency` fault's delay.
    #[cold]
    #[inline(never)]
    fn on_admit(&mut self, x: FrameId) {
        if let Some(op) = self.frames.get(x).map(|f| f.idx) {
            let node = self.m.ops[op as usize].node as usize;
            self.admit(x, node);
        }
    }

    /// The node of the caller of op frame `x` (not yet admitted), `None` for a client.
    #[cold]
    #[inline(never)]
    fn caller_node(&self, x: FrameId) -> Option<u32> {
        let f = self.frames.get(x)?;
        let s = if f.station != u32::MAX {
            f.station
        } else {
            let p = self.frames.get(f.parent)?;
            if p.kind == Kind::Root {
                return None;
            }
            p.station
        };
        self.m.stations.get(s as usize).map(|st| st.node)
    }

    /// An instance of node `node_ix` that is up (some are down), by its load-balancing
    /// algorithm over the instances up only; `None` if none is.
    #[cold]
    #[inline(never)]
    fn pick_up_instance(&mut self, node_ix: usize) -> Option<u32> {
        let node = &self.m.nodes[node_ix];
        let first = node.first_station;
        if self.fx.node_up[node_ix] == 0 {
            return None;
        }
        let mut ups = std::mem::take(&mut self.lb_scratch);
        ups.clear();
        ups.extend((0..node.instances).filter(|&i| !self.fx.is_down(first + i)));
        let stations = &self.stations;
        let j = lb::pick(
            node.lb,
            ups.len() as u32,
            &mut self.rr[node_ix],
            &mut self.routing_rng[node_ix],
            |j| stations[(first + ups[j as usize]) as usize].in_system,
        );
        let k = ups.get(j as usize).copied();
        self.lb_scratch = ups;
        k
    }

    /// Admission of op frame `x` at an instance of node `node_ix`.
    #[inline]
    fn admit(&mut self, x: FrameId, node_ix: usize) {
        let node = &self.m.nodes[node_ix];
        let first = node.first_station;
        let k = if node.read_replicas > 0 {
            match self.replica_pick(x, node_ix) {
                Some(k) => k,
                None => {
                    self.fail_frame(x, Reason::Crashed, node_ix as u32);
                    return;
                }
            }
        } else if self.fx.any && self.fx.node_up[node_ix] < node.instances {
            match self.pick_up_instance(node_ix) {
                Some(k) => k,
                None => {
                    self.fail_frame(x, Reason::Crashed, node_ix as u32);
                    return;
                }
            }
        } else if node.instances == 1 {
            0
        } else {
            let stations = &self.stations;
            lb::pick(
                node.lb,
                node.instances,
                &mut self.rr[node_ix],
                &mut self.routing_rng[node_ix],
                |i| stations[(first + i) as usize].in_system,
            )
        };
        let s = first + k;
        if self.m.zoned {
            if let Some(d) = self.zone_outbound(x, s) {
                self.at_cold(d, Ev::AdmitAt(x, s));
                return;
            }
        }
        self.admit_at(x, node_ix, s);
    }

    /// Admission of op frame `x` at instance `s` of node `node_ix`.
    #[inline]
    fn admit_at(&mut self, x: FrameId, node_ix: usize, s: u32) {
        let node = &self.m.nodes[node_ix];
        if node.hooked {
            let Some(op) = self.frames.get(x).map(|f| f.idx) else {
                return;
            };
            if self.deliver_hooks(x, s, op, node_ix) {
                return;
            }
        }
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if self.measuring {
            st.stats.arrivals += 1;
        }
        // Load shedding (blocking io only): no free worker, and the oldest waiting request has
        // already waited longer than the bound.
        let max = st.shed_max_wait;
        let shed = max > 0
            && st.busy >= st.workers
            && st.oldest_arrival().is_some_and(|b| {
                self.frames
                    .get(FrameId::from_bits(b))
                    .is_some_and(|f| now.since(f.start) > max)
            });
        let fr = self.frames.get_mut(x).expect("frame checked above");
        fr.station = s;
        fr.start = now;
        if st.async_io {
            // Admission happens at the first CPU phase.
            st.enter(now);
            fr.in_system = true;
            self.op_begin(x);
        } else if st.busy < st.workers {
            st.take_worker(now);
            st.enter(now);
            fr.in_system = true;
            fr.holds_worker = true;
            self.op_begin(x);
        } else if shed {
            self.fail_at_station(x, Reason::Shed);
        } else if st.queue_has_room() {
            st.enter(now);
            fr.in_system = true;
            st.push_arrival(now, x.to_bits());
        } else {
            self.reject(x);
        }
    }

    fn reject(&mut self, x: FrameId) {
        self.fail_at_station(x, Reason::Rejected);
    }

    /// Op frame `x`, at its station, is turned away with `reason` (counted as rejected there).
    fn fail_at_station(&mut self, x: FrameId, reason: Reason) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        let s = f.station as usize;
        f.fail = reason as u8;
        f.fail_node = self.m.stations[s].node;
        let st = &mut self.stations[s];
        if f.in_system {
            f.in_system = false;
            st.leave(self.now);
        }
        if self.measuring {
            st.stats.rejected += 1;
        }
        self.respond(x);
    }

    // ---- CPU -------------------------------------------------------------------------------

    /// Starts a CPU phase of `work` ns for frame `f` on station `s`. Returns `true` if the phase
    /// is already over (no work), in which case the caller continues the frame itself.
    #[inline(always)]
    fn run_cpu(&mut self, f: FrameId, s: u32, work: f64, admission: bool) -> CpuStart {
        if work <= 0.0 {
            return CpuStart::Done;
        }
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if st.async_io {
            if st.busy < st.workers {
                st.take_worker(now);
                if let Some(fr) = self.frames.get_mut(f) {
                    fr.holds_worker = true;
                }
            } else {
                if let Some(fr) = self.frames.get_mut(f) {
                    fr.work = work;
                }
                if !admission {
                    st.push_continuation(now, f.to_bits());
                    return CpuStart::Waiting;
                }
                if st.queue_has_room() {
                    st.push_arrival(now, f.to_bits());
                    return CpuStart::Waiting;
                }
                return CpuStart::Rejected;
            }
        }
        self.add_job(s, f, work);
        CpuStart::Waiting
    }

    #[inline]
    fn add_job(&mut self, s: u32, f: FrameId, work: f64) {
        let now = self.now;
        let st = &mut self.stations[s as usize];
        if st.host != NO_HOST {
            let h = st.host;
            self.host_add_job(h, s, f, work);
            return;
        }
        if st.dedicated {
            let t = st.add_dedicated_job(now, work);
            self.queue.push(
                t,
                Ev::Job {
                    station: s,
                    frame: f,
                },
            );
            return;
        }
        if let Some(t) = st.add_job(now, f.to_bits(), work) {
            let epoch = st.epoch;
            self.queue.push(t, Ev::Cpu { station: s, epoch });
        }
    }

    fn on_cpu(&mut self, s: u32, epoch: u32) {
        let now = self.now;
        {
            let st = &mut self.stations[s as usize];
            if st.epoch != epoch || st.scheduled != Some(now) {
                return; // stale
            }
            st.scheduled = None;
        }
        while let Some(job) = self.stations[s as usize].pop_finished(now) {
            let f = FrameId::from_bits(job);
            self.cpu_done(f, s);
        }
        let st = &mut self.stations[s as usize];
        if let Some(t) = st.reschedule(now) {
            let epoch = st.epoch;
            self.queue.push(t, Ev::Cpu { station: s, epoch });
        }
    }

    #[inline]
    fn cpu_done(&mut self, f: FrameId, s: u32) {
        if self.stations[s as usize].async_io {
            if let Some(fr) = self.frames.get_mut(f) {
                fr.holds_worker = false;
            }
            self.release_worker(s);
        }
        let Some(fr) = self.frames.get(f) else {
            return;
        };
        match fr.kind {
            Kind::Op if fr.marshal => {
                if let Some(fr) = self.frames.get_mut(f) {
                    fr.marshal = false;
                }
                let d = self.hop();
                self.send(f, d);
            }
            Kind::Op => self.op_continue(f),
            Kind::Call => self.call_send(f),
            Kind::Root | Kind::Saga | Kind::Msg => {}
        }
    }

    #[inline]
    fn release_worker(&mut self, s: u32) {
        let now = self.now;
        let st = &mut self.stations[s as usize];
        // The worker passes to the next waiting request, if any (the count does not change).
        let Some(bits) = st.pop_waiting(now) else {
            st.give_worker(now);
            return;
        };
        let async_io = st.async_io;
        let f = FrameId::from_bits(bits);
        let Some(fr) = self.frames.get_mut(f) else {
            // The frame died while waiting (cannot happen today; stay safe).
            self.stations[s as usize].give_worker(now);
            return;
        };
        fr.holds_worker = true;
        if async_io {
            let work = fr.work;
            self.add_job(s, f, work);
        } else {
            self.op_begin(f);
        }
    }

    // ---- operations ------------------------------------------------------------------------

    #[inline]
    fn op_begin(&mut self, x: FrameId) {
        let Some(f) = self.frames.get(x) else {
            return;
        };
        let (op, remote, station) = (f.idx as usize, f.remote, f.station);
        let plan = &self.m.ops[op];
        let mut work = plan.demand.sample(&mut self.demand_rng[op]);
        if remote {
            work += plan.marshal_ns;
        }
        if plan.errors > 0.0 {
            // A modelled error: drawn now, it takes effect once the CPU is done (`op_continue`
            // then finishes the operation before any call).
            let u: f64 = self.error_rng[op].random();
            if u < plan.errors {
                if let Some(f) = self.frames.get_mut(x) {
                    f.fail = Reason::Error as u8;
                    f.fail_node = plan.node;
                }
            }
        }
        let admission = remote && self.stations[station as usize].async_io;
        match self.run_cpu(x, station, work, admission) {
            CpuStart::Done => self.op_continue(x),
            CpuStart::Waiting => {}
            CpuStart::Rejected => self.reject(x),
        }
    }

    /// Runs the next steps of op frame `x` until it waits or finishes.
    fn op_continue(&mut self, x: FrameId) {
        loop {
            let Some(f) = self.frames.get_mut(x) else {
                return;
            };
            let plan = &self.m.ops[f.idx as usize];
            if f.fail != 0 || f.pc >= plan.steps {
                self.op_finish(x);
                return;
            }
            let step = self.m.steps[(plan.first_step + f.pc) as usize];
            f.pc += 1;
            f.pending = step.len;
            f.spawning = true;
            for c in step.first..step.first + step.len {
                self.start_call(x, c);
            }
            let Some(f) = self.frames.get_mut(x) else {
                return;
            };
            f.spawning = false;
            if f.pending > 0 {
                return;
            }
        }
    }

    #[inline]
    fn op_child_done(&mut self, x: FrameId, fail: u8, fail_node: u32) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        if f.kind == Kind::Saga {
            self.saga_child_done(x, fail, fail_node);
            return;
        }
        if f.fail == 0 && (fail != 0 || fail_node == DEGRADED) {
            f.fail = fail;
            f.fail_node = fail_node;
        }
        f.pending -= 1;
        if f.pending == 0 && !f.spawning {
            self.op_continue(x);
        }
    }

    fn op_finish(&mut self, x: FrameId) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        if f.in_system {
            f.in_system = false;
            let holds = f.holds_worker;
            f.holds_worker = false;
            let function = f.reps & FN_INSTANCE != 0;
            let start = f.start;
            let station = f.station;
            let now = self.now;
            let st = &mut self.stations[station as usize];
            st.leave(now);
            if self.measuring {
                let res = now.since(start) as f64;
                st.stats.completions += 1;
                st.stats.residence_sum += res;
                if start.ns() < self.m.warmup {
                    st.stats.residence_before += (self.m.warmup - start.ns()) as f64;
                }
            }
            if holds {
                self.release_worker(station);
            }
            if function {
                self.fn_release(x);
            }
        }
        self.respond(x);
    }

    /// Sends the outcome of op frame `x` back to its caller: at once for in-process calls and
    /// orphans, after a network hop for remote calls (and for entry requests through a gateway).
    #[inline]
    fn respond(&mut self, x: FrameId) {
        let Some(f) = self.frames.get(x) else {
            return;
        };
        let (entry, remote, parent) = (f.entry != NO_ENTRY, f.remote, f.parent);
        let delay = if entry {
            if self.m.gateway.is_some() {
                self.hop()
            } else {
                0
            }
        } else if !remote {
            0
        } else {
            match self.frames.get(parent).map(|p| p.kind) {
                // Orphaned (the caller gave up): nothing travels back.
                None => 0,
                Some(Kind::Root) if self.m.gateway.is_none() => 0,
                Some(_) if self.m.zoned => self.hop() + self.zone_return(x),
                Some(_) => self.hop(),
            }
        };
        let delay = if self.m.long_haul {
            delay + self.haul_back(x)
        } else {
            delay
        };
        if delay == 0 {
            self.on_return(x);
        } else {
            self.at(delay, Ev::Return(x));
        }
    }

    /// The way back of op frame `x`'s answer between the data centre and the client: for an
    /// answer to the client (not through the CDN), and for an answer from the origin to the CDN.
    #[inline(never)]
    fn haul_back(&mut self, x: FrameId) -> u64 {
        let Some(f) = self.frames.get(x) else {
            return 0;
        };
        let far = if f.entry != NO_ENTRY {
            !self.m.entries[f.entry as usize].via_cdn
        } else if !f.remote {
            false
        } else {
            match self.frames.get(f.parent) {
                Some(p) if p.kind == Kind::Root => !self.m.entries[p.idx as usize].via_cdn,
                Some(p) => p.kind == Kind::Op && p.station == self.m.cdn_station,
                None => false,
            }
        };
        if far {
            self.m.client_latency.sample_ns(&mut self.haul_rng)
        } else {
            0
        }
    }

    /// The answer of op frame `x` reaches its caller (or the client).
    #[inline(always)]
    fn on_return(&mut self, x: FrameId) {
        let Some(f) = self.frames.remove(x) else {
            return;
        };
        self.returned(x, f);
    }

    /// Hands the outcome of op frame `x` (already removed: `f`) to its caller or the client.
    #[inline(always)]
    fn returned(&mut self, x: FrameId, f: Frame) {
        if self.m.pooled && f.attempt != 0 {
            // A query holding a pool connection: its answer reached the caller.
            self.pool_release(f.attempt - 1);
        }
        if f.entry != NO_ENTRY {
            self.record_outcome(f.entry as usize, f.born, f.measured, f.fail, f.fail_node);
            return;
        }
        match self.frames.get(f.parent).map(|p| p.kind) {
            Some(Kind::Op | Kind::Saga) => self.op_child_done(f.parent, f.fail, f.fail_node),
            Some(Kind::Msg) => self.consumed(f.parent, x, f.fail),
            Some(_) => self.attempt_done(f.parent, x, f.fail, f.fail_node),
            None => {} // orphaned
        }
    }

    // ---- calls -----------------------------------------------------------------------------

    fn start_call(&mut self, x: FrameId, c: u32) {
        let cp = self.m.calls[c as usize];
        let Some((caller_op, station)) = self.frames.get(x).map(|f| (f.idx, f.station)) else {
            return;
        };
        if cp.p < 1.0 {
            let u: f64 = self.branch_rng[caller_op as usize].random();
            if u >= cp.p {
                self.op_child_done(x, 0, 0);
                return;
            }
        }
        if cp.cache != NO_CACHE && self.cache_hit(cp.cache) {
            self.op_child_done(x, 0, 0);
            return;
        }
        if cp.direct {
            // A single attempt without timeout or policy: the callee answers the calling op
            // directly.
            match cp.kind {
                CallKind::Local => {
                    let mut y = Frame::new(Kind::Op, x, cp.op, station);
                    y.start = self.now;
                    let y = self.frames.insert(y);
                    self.op_begin(y);
                }
                CallKind::Remote => {
                    let marshal = self.m.ops[cp.op as usize].marshal_ns;
                    let mut y = Frame::new(Kind::Op, x, cp.op, station);
                    y.remote = true;
                    y.marshal = marshal > 0.0;
                    let y = self.frames.insert(y);
                    if marshal > 0.0 {
                        // Caller-side marshalling first; `cpu_done` sends the request.
                        self.run_cpu(y, station, marshal, false);
                    } else {
                        let d = self.hop();
                        self.send(y, d);
                    }
                }
                CallKind::Database | CallKind::Forward => {
                    let mut y = Frame::new(Kind::Op, x, cp.op, u32::MAX);
                    y.remote = true;
                    let y = self.frames.insert(y);
                    self.db_send(y, station);
                }
                CallKind::Publish => self.publish(x, cp),
                CallKind::Saga => self.saga_start(x, cp.aux),
            }
            return;
        }
        let mut call = Frame::new(Kind::Call, x, c, station);
        call.reps = cp.count;
        if cp.policy != NO_POLICY {
            call.entry = 0;
            self.edges[cp.policy as usize].on_call(self.now.ns(), self.measuring);
        }
        let id = self.frames.insert(call);
        self.call_attempt(id);
    }

    fn call_attempt(&mut self, c: FrameId) {
        let Some(f) = self.frames.get_mut(c) else {
            return;
        };
        f.attempt += 1;
        let cp = self.m.calls[f.idx as usize];
        let station = f.station;
        if cp.policy != NO_POLICY && !self.policy_admits(c) {
            return;
        }
        let Some(f) = self.frames.get_mut(c) else {
            return;
        };
        match cp.kind {
            CallKind::Local => {
                let attempt = f.attempt;
                let mut x = Frame::new(Kind::Op, c, cp.op, station);
                x.start = self.now;
                let x = self.frames.insert(x);
                self.set_child(c, x);
                if cp.timeout > 0 {
                    self.at(cp.timeout, Ev::Timeout(c, attempt));
                }
                self.op_begin(x);
            }
            CallKind::Remote => {
                let marshal = self.m.ops[cp.op as usize].marshal_ns;
                match self.run_cpu(c, station, marshal, false) {
                    CpuStart::Done => self.call_send(c),
                    CpuStart::Waiting | CpuStart::Rejected => {}
                }
            }
            CallKind::Database | CallKind::Forward => self.call_send(c),
            // Compiled with count 1 and no timeout: always started directly by `start_call`.
            CallKind::Publish | CallKind::Saga => {}
        }
    }

    /// Breaker and bulkhead of call frame `c`'s edge: `true` if the attempt may go; otherwise
    /// it failed at once.
    #[inline(never)]
    fn policy_admits(&mut self, c: FrameId) -> bool {
        let Some(f) = self.frames.get_mut(c) else {
            return false;
        };
        let cp = self.m.calls[f.idx as usize];
        match self.edges[cp.policy as usize].try_attempt(self.now.ns(), self.measuring) {
            Ok(ticket) => {
                f.pc = ticket;
                f.start = self.now;
                f.spawning = true; // an admitted attempt is in flight
                true
            }
            Err(refusal) => {
                // Refused before leaving the caller: no latency; attributed to the protected
                // dependency.
                let reason = match refusal {
                    Refusal::CircuitOpen => Reason::CircuitOpen,
                    Refusal::BulkheadFull => Reason::Rejected,
                };
                let node = self.m.ops[cp.op as usize].node;
                self.call_attempt_end(c, reason as u8, node, false);
                false
            }
        }
    }

    /// Puts the request of call `c` on the network towards its target.
    fn call_send(&mut self, c: FrameId) {
        let Some(f) = self.frames.get(c).copied() else {
            return;
        };
        let cp = self.m.calls[f.idx as usize];
        let mut x = Frame::new(Kind::Op, c, cp.op, u32::MAX);
        x.remote = true;
        let x = self.frames.insert(x);
        self.set_child(c, x);
        if cp.timeout > 0 {
            self.at(cp.timeout, Ev::Timeout(c, f.attempt));
        }
        if cp.kind == CallKind::Database {
            self.db_send(x, f.station);
            return;
        }
        let d = self.hop();
        self.send(x, d);
    }

    /// The attempt `x` of call (or root) `c` ended.
    fn attempt_done(&mut self, c: FrameId, x: FrameId, fail: u8, fail_node: u32) {
        let Some(f) = self.frames.get_mut(c) else {
            return;
        };
        if f.child != x {
            return; // a late answer to an abandoned attempt
        }
        f.child = FrameId::NONE;
        if f.kind == Kind::Root {
            self.root_attempt_end(c, fail, fail_node);
            return;
        }
        self.call_attempt_end(c, fail, fail_node, true);
    }

    /// The current attempt of call frame `c` ended with `fail` (0 = success) beginning at
    /// `fail_node`; `admitted` if it had passed the breaker and bulkhead. Applies the edge's
    /// policies (breaker bookkeeping, retry after a backoff, fallback), then starts the next
    /// repetition or answers the calling operation.
    fn call_attempt_end(&mut self, c: FrameId, mut fail: u8, mut fail_node: u32, admitted: bool) {
        let Some(f) = self.frames.get(c).copied() else {
            return;
        };
        let cp = self.m.calls[f.idx as usize];
        if cp.policy != NO_POLICY {
            match self.policy_attempt_end(c, f, fail, fail_node, admitted) {
                Some((a, b)) => (fail, fail_node) = (a, b),
                None => return,
            }
        }
        let Some(fm) = self.frames.get_mut(c) else {
            return;
        };
        if cp.policy != NO_POLICY {
            fm.entry = 0;
            fm.born = SimTime::ZERO;
        }
        if fail == 0 {
            if fail_node == DEGRADED {
                fm.fail_node = DEGRADED;
            }
            fm.reps -= 1;
            if fm.reps > 0 {
                self.call_attempt(c);
                return;
            }
            fail_node = fm.fail_node;
        }
        let parent = fm.parent;
        self.frames.remove(c);
        self.op_child_done(parent, fail, fail_node);
    }

    /// The policies of call frame `c` (a copy: `f`) at the end of an attempt: breaker
    /// bookkeeping, then a retry after a backoff (`None`: scheduled) or the outcome to pass
    /// on, a failure turned into a degraded success by the fallback.
    #[inline(never)]
    fn policy_attempt_end(
        &mut self,
        c: FrameId,
        f: Frame,
        mut fail: u8,
        mut fail_node: u32,
        admitted: bool,
    ) -> Option<(u8, u32)> {
        let cp = self.m.calls[f.idx as usize];
        if let Some(fm) = self.frames.get_mut(c) {
            fm.spawning = false;
        }
        {
            let now = self.now.ns();
            let pi = cp.policy as usize;
            let e = &mut self.edges[pi];
            if admitted {
                e.on_attempt_end(now, f.pc, fail != 0, now - f.start.ns());
            }
            if fail != 0 {
                let tries = f.entry;
                if fail != Reason::CircuitOpen as u8 && e.may_retry(now, tries, self.measuring) {
                    if let Some(p) = e.policy.retry {
                        let sleep = retry::backoff(&p, tries, f.born.ns(), &mut self.retry_rng[pi]);
                        if let Some(fm) = self.frames.get_mut(c) {
                            fm.entry = tries + 1;
                            fm.born = SimTime(sleep);
                        }
                        self.at_cold(sleep, Ev::Retry(c));
                        return None;
                    }
                }
                if e.policy.fallback == Some(Fallback::Degraded) {
                    if self.measuring {
                        e.degraded += 1;
                    }
                    fail = 0;
                    fail_node = DEGRADED;
                }
            }
        }
        Some((fail, fail_node))
    }

    fn on_timeout(&mut self, c: FrameId, attempt: u32) {
        let Some(f) = self.frames.get(c).copied() else {
            return;
        };
        if f.kind == Kind::Msg {
            self.visibility_expired(c, attempt);
            return;
        }
        if f.attempt != attempt || f.child.is_none() {
            return;
        }
        // Abandon the attempt: the callee keeps working, its answer will be dropped.
        let target_op = self.frames.get(f.child).map(|x| x.idx);
        if let Some(x) = self.frames.get_mut(f.child) {
            x.parent = FrameId::NONE;
        }
        let node = target_op.map_or(0, |op| self.m.ops[op as usize].node);
        if let Some(fm) = self.frames.get_mut(c) {
            fm.child = FrameId::NONE;
        }
        if f.kind == Kind::Root {
            self.root_attempt_end(c, Reason::Timeout as u8, node);
            return;
        }
        self.call_attempt_end(c, Reason::Timeout as u8, node, true);
    }

    fn finish_root(&mut self, r: FrameId, fail: u8, fail_node: u32) {
        if let Some(f) = self.frames.remove(r) {
            self.record_outcome(f.idx as usize, f.born, f.measured, fail, fail_node);
        }
    }

    /// Records the answer to a request of entry `e` that arrived at `born`; a failure began at
    /// `fail_node` (a success with `fail_node == DEGRADED` was degraded).
    fn record_outcome(
        &mut self,
        e: usize,
        born: SimTime,
        measured: bool,
        fail: u8,
        fail_node: u32,
    ) {
        if self.closed_loops {
            self.next_of_user(e);
        }
        if fail != 0 {
            let k = (fail_node as usize).min(self.m.nodes.len()) * self.m.entries.len() + e;
            if measured {
                if let Some(reason) = Reason::from_code(fail) {
                    self.entries[e].failed[reason.index()] += 1;
                }
                self.origins[k] += 1;
            }
            self.win_origin[k] += 1;
            self.win_fail[e] += 1;
            if measured && self.rf_active > 0 {
                self.count_in_episodes(e);
            }
            return;
        }
        let lat = self.now.since(born);
        if measured {
            let er = &mut self.entries[e];
            er.completed += 1;
            er.latency.record(lat);
            if fail_node == DEGRADED {
                er.degraded += 1;
            }
        }
        self.win_ok[e] += 1;
        self.win_sample[e].record(lat, &mut self.window_rng);
    }

    // ---- faults ----------------------------------------------------------------------------

    #[cold]
    #[inline(never)]
    fn schedule_faults(&mut self) {
        for (f, p) in self.m.faults.iter().enumerate() {
            let f = f as u32;
            if let Some(r) = p.random {
                for &n in &p.nodes {
                    let Some(node) = self.m.nodes.get(n as usize) else {
                        continue;
                    };
                    for s in node.first_station..node.first_station + node.instances {
                        let t = self.fx.exp_draw(f, r.mtbf);
                        if t < self.m.end {
                            self.at_cold(
                                t,
                                Ev::Flip {
                                    f,
                                    station: s,
                                    down: true,
                                },
                            );
                        }
                    }
                }
                continue;
            }
            if p.start < self.m.end {
                self.at_cold(p.start, Ev::Fault { f, on: true });
                if p.end < self.m.end {
                    self.at_cold(p.end, Ev::Fault { f, on: false });
                }
            }
        }
    }

    // ---- serverless functions (see `components::function`) -------------------------------

    /// What a node with [`crate::model::Node::hooked`] does on a delivery of operation `op` to
    /// its station `s`; `true` when it took the invocation over (a function).
    #[inline(never)]
    fn deliver_hooks(&mut self, x: FrameId, s: u32, op: u32, node_ix: usize) -> bool {
        let node = &self.m.nodes[node_ix];
        if let Some(b) = self.bucket.as_mut().filter(|_| {
            self.m
                .rate_limit
                .is_some_and(|(_, n)| n as usize == node_ix)
        }) {
            if !b.take(self.now.ns(), self.measuring) {
                // Refused by the gateway's token bucket: counted as an arrival turned away.
                if self.measuring {
                    self.stations[s as usize].stats.arrivals += 1;
                }
                if let Some(fr) = self.frames.get_mut(x) {
                    fr.station = s;
                }
                self.fail_at_station(x, Reason::RateLimited);
                return true;
            }
        }
        if node.request_priced && self.measuring {
            self.op_count[op as usize] += 1;
        }
        if node.function != NO_FUNCTION {
            let i = node.function as usize;
            if self.measuring {
                self.stations[s as usize].stats.arrivals += 1;
            }
            let now = self.now;
            let fr = self.frames.get_mut(x).expect("frame delivered");
            fr.station = s;
            fr.start = now;
            self.fn_deliver(x, s, i);
            return true;
        }
        false
    }

    /// One lookup in cache `c` of the model: `true` on a hit.
    #[inline(never)]
    fn cache_hit(&mut self, c: u32) -> bool {
        let c = c as usize;
        self.caches[c].lookup(
            &self.m.caches[c],
            self.now.ns(),
            &mut self.cache_rng[c],
            self.measuring,
        )
    }

    /// Schedules an event of a feature that models without it never use, through one call site
    /// of the queue so that the hot paths keep theirs inlined.
    #[inline(never)]
    fn schedule_rare(&mut self, t: SimTime, ev: Ev) {
        self.queue.push(t, ev);
    }

    /// Invocation `x` arrives at station `s` of function `i`.
    #[inline(never)]
    fn fn_deliver(&mut self, x: FrameId, s: u32, i: usize) {
        let now = self.now;
        let plan = &self.m.functions[i];
        match self.functions.admit(i, plan, now, self.measuring) {
            Admission::Throttled => {
                let node = plan.node;
                let st = &mut self.stations[s as usize];
                if self.measuring {
                    // Not admitted: the station's conservation counts it with the rejections;
                    // the node's `rejected` excludes throttles again.
                    st.stats.rejected += 1;
                }
                if let Some(f) = self.frames.get_mut(x) {
                    f.fail = Reason::Throttled as u8;
                    f.fail_node = node;
                }
                self.respond(x);
            }
            adm => {
                self.stations[s as usize].enter(now);
                let fr = self.frames.get_mut(x).expect("frame delivered");
                fr.in_system = true;
                fr.reps = if adm == (Admission::Warm { provisioned: true }) {
                    FN_INSTANCE | FN_PROVISIONED
                } else {
                    FN_INSTANCE
                };
                if adm == Admission::Cold {
                    fr.work = -1.0;
                    let d = plan.cold_start.sample_ns(&mut self.cold_rng[i]);
                    if d > 0 {
                        self.schedule_rare(self.now.after(d), Ev::FnReady(x));
                        return;
                    }
                }
                self.fn_invoke(x);
            }
        }
    }

    /// Scheduled fault `f` starts (`on`) or ends.
    #[cold]
    #[inline(never)]
    fn on_fault(&mut self, f: u32, on: bool) {
        let p = &self.m.faults[f as usize];
        match p.kind {
            FaultKind::Crash => {
                let gw = self.m.nodes.len() as u32;
                for i in 0..p.nodes.len() {
                    let n = self.m.faults[f as usize].nodes[i];
                    let (first, count) = if n == gw {
                        (self.m.stations.len() as u32, 1)
                    } else {
                        let node = &self.m.nodes[n as usize];
                        (
                            node.first_station,
                            node.instances.min(self.m.faults[f as usize].instances),
                        )
                    };
                    for s in first..first + count {
                        if on {
                            if self.fx.down(s, n, self.now) && n != gw {
                                self.crash_station(s);
                            }
                        } else if n != gw && self.m.nodes[n as usize].restart_delay > 0 {
                            let d = self.m.nodes[n as usize].restart_delay;
                            self.at_cold(d, Ev::Restart { f, station: s });
                        } else {
                            self.fx.up(s, n, self.now);
                        }
                    }
                }
            }
            FaultKind::Slow { .. } => {
                self.fx.set_active(f, on);
                for i in 0..p.nodes.len() {
                    let n = self.m.faults[f as usize].nodes[i];
                    let Some(node) = self.m.nodes.get(n as usize) else {
                        continue;
                    };
                    let factor = self.fx.speed(&self.m.faults, n);
                    for s in node.first_station..node.first_station + node.instances {
                        let speed = self.m.stations[s as usize].speed * factor;
                        let st = &mut self.stations[s as usize];
                        if let Some(t) = st.set_speed(self.now, speed) {
                            let epoch = st.epoch;
                            let delay = t.since(self.now);
                            self.at_cold(delay, Ev::Cpu { station: s, epoch });
                        }
                    }
                }
            }
            FaultKind::Error { .. } | FaultKind::Latency { .. } | FaultKind::Partition => {
                self.fx.set_active(f, on)
            }
            FaultKind::Outage { .. } => self.on_outage(f, on),
        }
    }

    /// Random fault `f`: station `s` fails (`down`) or is repaired; the next change is drawn.
    #[cold]
    #[inline(never)]
    fn on_flip(&mut self, f: u32, s: u32, down: bool) {
        let Some(r) = self.m.faults[f as usize].random else {
            return;
        };
        let node = self.m.stations[s as usize].node;
        let next = if down {
            self.episode_step(f, true);
            if self.fx.down(s, node, self.now) {
                self.crash_station(s);
            }
            self.fx.exp_draw(f, r.mttr)
        } else if self.m.nodes[node as usize].restart_delay > 0 {
            // Kubernetes: the instance restarts after its delay; the next failure is drawn then.
            let d = self.m.nodes[node as usize].restart_delay;
            self.at_cold(d, Ev::Restart { f, station: s });
            return;
        } else {
            self.episode_step(f, false);
            self.fx.up(s, node, self.now);
            self.fx.exp_draw(f, r.mtbf)
        };
        if self.now.ns().saturating_add(next) < self.m.end {
            self.at_cold(
                next,
                Ev::Flip {
                    f,
                    station: s,
                    down: !down,
                },
            );
        }
    }

    /// Instance `s` crashes: the requests in it fail `crashed` (their callers hear at once, as
    /// from a reset connection); work it was doing for them (in-process calls, calls being
    /// prepared or sent) is dropped; its workers, queue and cores start empty.
    #[cold]
    #[inline(never)]
    fn crash_station(&mut self, s: u32) {
        self.crashes += 1;
        let now = self.now;
        let mut present = Vec::new();
        let mut dropped = Vec::new();
        for (id, f) in self.frames.iter() {
            if f.station != s || f.kind == Kind::Root {
                continue;
            }
            if f.kind == Kind::Op && f.in_system {
                present.push(id);
            } else {
                dropped.push(id);
            }
        }
        self.stations[s as usize].crash(now);
        for id in dropped {
            if let Some(f) = self.frames.remove(id) {
                // A query answer lost on its way back gives its connection back.
                if self.m.pooled && f.kind == Kind::Op && f.attempt != 0 {
                    self.pool_release(f.attempt - 1);
                }
                // A call frame lost with an attempt in flight gives back its bulkhead slot.
                if f.kind == Kind::Call && f.spawning {
                    let p = self.m.calls[f.idx as usize].policy;
                    if p != NO_POLICY {
                        self.edges[p as usize].abandon(f.pc);
                    }
                }
            }
        }
        let node = self.m.stations[s as usize].node;
        for id in present {
            let Some(mut f) = self.frames.remove(id) else {
                continue;
            };
            let st = &mut self.stations[s as usize];
            st.leave(now);
            if self.measuring {
                st.stats.crashed += 1;
                st.stats.crashed_residence += now.since(f.start) as f64;
                if f.start.ns() < self.m.warmup {
                    st.stats.crashed_before += (self.m.warmup - f.start.ns()) as f64;
                }
            }
            f.in_system = false;
            f.holds_worker = false;
            f.fail = Reason::Crashed as u8;
            f.fail_node = node;
            self.returned(id, f);
        }
        if self.m.stations[s as usize].host != NO_HOST {
            self.host_purge(s);
        }
    }

    /// Invocation `x` starts running on its instance (after its cold start, if any).
    #[inline(never)]
    fn fn_invoke(&mut self, x: FrameId) {
        let now = self.now;
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        f.work = now.ns() as f64;
        let i = self.m.nodes[self.m.ops[f.idx as usize].node as usize].function as usize;
        let deadline = now.ns().saturating_add(self.m.functions[i].max_duration);
        if deadline < self.m.end {
            self.fn_running[i].push_back((deadline, x));
            if !self.fn_timer[i] {
                self.fn_timer[i] = true;
                self.schedule_rare(SimTime(deadline), Ev::FnDeadline(i as u32));
            }
        }
        self.op_begin(x);
    }

    /// Whether frame `x` is an invocation still running on a function instance.
    fn fn_alive(&self, x: FrameId) -> bool {
        self.frames
            .get(x)
            .is_some_and(|f| f.reps & FN_INSTANCE != 0 && f.in_system)
    }

    /// The instance of invocation `x` is freed (it finished or was killed).
    #[inline(never)]
    fn fn_release(&mut self, x: FrameId) {
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        let prov = f.reps & FN_PROVISIONED != 0;
        f.reps = 0;
        let i = self.m.nodes[self.m.stations[f.station as usize].node as usize].function as usize;
        let invoked = (f.work >= 0.0).then_some(SimTime(f.work as u64));
        self.functions
            .release(i, self.now, prov, invoked, self.measuring);
        // Drop finished invocations from the front of the running list.
        while let Some(&(_, y)) = self.fn_running[i].front() {
            if self.fn_alive(y) {
                break;
            }
            self.fn_running[i].pop_front();
        }
    }

    /// The deadline timer of function `i` fired: kill every invocation past its maximum
    /// duration, then wait for the next one.
    #[inline(never)]
    fn fn_deadline(&mut self, i: usize) {
        self.fn_timer[i] = false;
        let now = self.now.ns();
        while let Some(&(deadline, y)) = self.fn_running[i].front() {
            if !self.fn_alive(y) {
                self.fn_running[i].pop_front();
                continue;
            }
            if deadline > now {
                self.fn_timer[i] = true;
                self.schedule_rare(SimTime(deadline), Ev::FnDeadline(i as u32));
                return;
            }
            self.fn_running[i].pop_front();
            self.fn_kill(y, i);
        }
    }

    /// Invocation `x` of function `i` ran past its maximum duration: its instance is freed, it
    /// answers its caller with `max_duration`, and whatever it still waits for is orphaned.
    #[inline(never)]
    fn fn_kill(&mut self, x: FrameId, i: usize) {
        let now = self.now;
        // Leave the station as a completion (the failure is the caller's to see).
        let Some(f) = self.frames.get_mut(x) else {
            return;
        };
        f.in_system = false;
        let (start, station) = (f.start, f.station);
        let st = &mut self.stations[station as usize];
        st.leave(now);
        if self.measuring {
            st.stats.completions += 1;
            st.stats.residence_sum += now.since(start) as f64;
            if start.ns() < self.m.warmup {
                st.stats.residence_before += (self.m.warmup - start.ns()) as f64;
            }
        }
        self.fn_release(x);
        self.functions.count_kill(i, self.measuring);
        // A fresh frame carries the failure back, so that late completions of the killed one
        // (its CPU phase, its calls) find nothing to continue.
        let Some(mut answer) = self.frames.remove(x) else {
            return;
        };
        answer.fail = Reason::MaxDuration as u8;
        answer.fail_node = self.m.functions[i].node;
        answer.pending = 0;
        answer.spawning = false;
        answer.holds_worker = false;
        let parent = answer.parent;
        let y = self.frames.insert(answer);
        if matches!(
            self.frames.get(parent).map(|p| p.kind),
            Some(Kind::Call | Kind::Root)
        ) {
            self.set_child(parent, y);
        }
        self.respond(y);
    }

    // ---- measurement -----------------------------------------------------------------------

    #[inline(never)]
    fn on_warmup_end(&mut self) {
        self.measuring = true;
        let now = self.now;
        self.fx.reset(now.ns());
        for (i, st) in self.stations.iter_mut().enumerate() {
            st.reset_stats(now);
            self.in_system_at_warmup[i] = st.in_system;
        }
        self.functions.reset_stats(now);
        for p in &mut self.pools {
            p.reset_stats(now);
        }
        for sc in &mut self.scalers {
            sc.reset(now.ns());
        }
        for (f, ep) in self.episodes.iter_mut().enumerate() {
            *ep = crate::components::faults::EpisodeRep {
                episodes: (self.rf_down[f] > 0) as u64,
                failed_during: vec![0; ep.failed_during.len()],
                ..Default::default()
            };
            self.rf_since[f] = self.rf_since[f].max(now.ns());
        }
    }

    #[inline(never)]
    fn on_tick(&mut self) {
        let w = self.m.window as f64;
        let ws = w / 1e9;
        for e in 0..self.m.entries.len() {
            self.series.throughput[e].push(self.win_ok[e] as f64 / ws);
            self.series.errors[e].push(self.win_fail[e] as f64 / ws);
            let [p50, p99] = self.win_sample[e].take_quantiles([0.5, 0.99]);
            self.series.p50[e].push(p50 as f64 / 1e9);
            self.series.p99[e].push(p99 as f64 / 1e9);
            self.win_ok[e] = 0;
            self.win_fail[e] = 0;
        }
        if self.track {
            for (k, c) in self.win_origin.iter_mut().enumerate() {
                self.series.failures[k].push(*c as f64 / ws);
                *c = 0;
            }
        }
        let now = self.now;
        let m = self.m;
        for (n, node) in m.nodes.iter().enumerate() {
            let mut busy = 0.0;
            let mut sys = 0.0;
            let mut queued = 0.0;
            let mut held = 0.0;
            for s in node.first_station..node.first_station + node.instances {
                let ws_ = self.stations[s as usize].take_window(now);
                busy += ws_.busy_area;
                sys += ws_.system_area;
                queued += ws_.queue_area;
                held += ws_.workers_area;
            }
            // Instance-time the window offered: every instance, or the ready ones of an
            // autoscaled unit.
            let offered = if node.autoscale != NO_AUTOSCALE {
                let total = self.fx.up_integral(n, now.ns());
                total - std::mem::replace(&mut self.win_up_base[n], total)
            } else {
                node.instances as f64 * w
            };
            let util = if node.cores.is_finite() && offered > 0.0 {
                busy / (node.cores * offered)
            } else {
                0.0
            };
            self.series.utilization[n].push(util);
            self.series.in_system[n].push(sys / w);
            self.series.waiting[n].push(queued / w);
            let workers = self.m.stations[node.first_station as usize].workers;
            self.series.worker_saturation[n].push(if workers != u32::MAX && offered > 0.0 {
                held / (workers as f64 * offered)
            } else {
                0.0
            });
            let (instances, starting) = if node.function != NO_FUNCTION {
                let i = node.function as usize;
                (self.functions.instances(i, &m.functions[i], now), 0)
            } else if node.autoscale != NO_AUTOSCALE {
                self.scaler_counts(node.autoscale)
            } else {
                (node.instances, 0)
            };
            self.series.instances[n].push(instances as f64);
            self.series.instances_starting[n].push(starting as f64);
        }
        if m.pooled {
            self.pool_window(w);
        }
        for (q, st) in self.queues.iter().enumerate() {
            self.series.queue_backlog[q].push(st.live as f64);
            self.series.queue_oldest_age[q].push(st.oldest_age(now.ns()) as f64 / 1e9);
        }
        if self.now.ns().saturating_add(self.m.window) <= self.m.end {
            self.at(self.m.window, Ev::Tick);
        }
    }

    #[inline(never)]
    fn finish(mut self) -> RepResult {
        let now = self.now;
        let t = (self.m.end - self.m.warmup) as f64;
        let warmup = self.m.warmup;
        // Scan what is still in flight: requests per entry, and per station the part of the
        // residence of present requests that lies inside the measured interval.
        let mut violations_pre = Vec::new();
        let mut inflight_area = vec![0.0f64; self.stations.len()];
        let mut inflight_count = vec![0u32; self.stations.len()];
        for (_, f) in self.frames.iter() {
            match f.kind {
                Kind::Root if f.measured => self.entries[f.idx as usize].in_flight += 1,
                Kind::Op if f.entry != NO_ENTRY && f.measured => {
                    self.entries[f.entry as usize].in_flight += 1;
                    if f.in_system {
                        let s = f.station as usize;
                        inflight_count[s] += 1;
                        inflight_area[s] += now.since(SimTime(f.start.ns().max(warmup))) as f64;
                    }
                }
                Kind::Op if f.in_system => {
                    let s = f.station as usize;
                    inflight_count[s] += 1;
                    inflight_area[s] += now.since(SimTime(f.start.ns().max(warmup))) as f64;
                }
                // A message counts once its publish completed (`parent` cleared).
                Kind::Msg if f.measured && f.parent.is_none() => {
                    self.queues[f.idx as usize].stats.in_queue_end += 1
                }
                _ => {}
            }
        }
        self.fx.close(now.ns());
        for (e, er) in self.entries.iter_mut().enumerate() {
            if self.m.entries[e].timeout == 0 && self.m.entries[e].retry.is_none() {
                er.attempts = er.arrived; // one attempt each, not counted one by one
            }
        }
        for (q, st) in self.queues.iter().enumerate() {
            let r = &st.stats;
            if r.published != r.delivered + r.dead_lettered + r.in_queue_end {
                violations_pre.push(format!(
                    "conservation: queue `{}`: published {} ≠ delivered {} + dead-lettered {} + in the queue at the end {}",
                    self.m.queues[q].name, r.published, r.delivered, r.dead_lettered, r.in_queue_end
                ));
            }
        }
        let mut violations = violations_pre;
        for (e, er) in self.entries.iter().enumerate() {
            let out = er.completed + er.failed_total() + er.in_flight;
            if out != er.arrived {
                violations.push(format!(
                    "conservation: entry `{}`: arrived {} ≠ completed {} + failed {} + in flight {}",
                    self.m.entries[e].name,
                    er.arrived,
                    er.completed,
                    er.failed_total(),
                    er.in_flight
                ));
            }
        }
        let measured: Vec<_> = self
            .stations
            .iter_mut()
            .map(|st| st.measured(now))
            .collect();
        let mut nodes = Vec::with_capacity(self.m.nodes.len());
        for sc in &mut self.scalers {
            sc.account(now.ns());
        }
        for f in 0..self.episodes.len() {
            if self.rf_down[f] > 0 {
                self.episodes[f].degraded_ns +=
                    now.ns().saturating_sub(self.rf_since[f].max(warmup)) as f64;
            }
        }
        for node in &self.m.nodes {
            let mut agg = NodeRep::default();
            let mut held = 0.0;
            let mut busy = 0.0;
            let mut sys = 0.0;
            let mut q = 0.0;
            let mut completions = 0u64;
            let mut res = 0.0;
            for s in node.first_station..node.first_station + node.instances {
                let si = s as usize;
                let st = &self.stations[si];
                let stats = &measured[si];
                busy += stats.busy_area;
                held += stats.workers_area;
                sys += stats.system_area;
                q += stats.queue_area;
                completions += stats.completions;
                res += stats.residence_sum;
                agg.rejected += stats.rejected;
                agg.arrivals += stats.arrivals;
                agg.crashed += stats.crashed;
                // Little's law on the sample path: ∫N dt over the interval equals the time the
                // requests spent in it — completed ones (minus what lay before the interval)
                // plus those still present.
                let expect = stats.residence_sum - stats.residence_before + stats.crashed_residence
                    - stats.crashed_before
                    + inflight_area[si];
                let tol = 1e-6 * expect.abs().max(stats.system_area.abs()) + 1.0;
                if (stats.system_area - expect).abs() > tol {
                    violations.push(format!(
                        "Little's law: node `{}` instance {}: ∫N dt = {:.6e} ns but requests spent {:.6e} ns",
                        node.name,
                        s - node.first_station,
                        stats.system_area,
                        expect
                    ));
                }
                // Conservation of invocations at the station.
                let lhs = stats.arrivals + self.in_system_at_warmup[si] as u64;
                let rhs =
                    stats.completions + stats.rejected + stats.crashed + inflight_count[si] as u64;
                if lhs != rhs || st.in_system != inflight_count[si] {
                    violations.push(format!(
                        "conservation: node `{}` instance {}: arrived {} + present at warm-up {} ≠ completed {} + rejected {} + crashed {} + present at end {}",
                        node.name,
                        s - node.first_station,
                        stats.arrivals,
                        self.in_system_at_warmup[si],
                        stats.completions,
                        stats.rejected,
                        stats.crashed,
                        inflight_count[si]
                    ));
                }
            }
            let n = nodes.len();
            // Instance-time offered: every instance, or the ready ones of an autoscaled unit.
            let offered = if node.autoscale != NO_AUTOSCALE {
                self.fx.up_area[n]
            } else {
                node.instances as f64 * t
            };
            agg.utilization = if node.cores.is_finite() && offered > 0.0 {
                busy / (node.cores * offered)
            } else {
                0.0
            };
            let workers = self.m.stations[node.first_station as usize].workers;
            agg.worker_saturation = if workers != u32::MAX && offered > 0.0 {
                held / (workers as f64 * offered)
            } else {
                0.0
            };
            if node.autoscale != NO_AUTOSCALE {
                let sc = &self.scalers[node.autoscale as usize];
                agg.instances_mean = sc.area / t;
                agg.instances_min = sc.low;
                agg.instances_max = sc.high;
                agg.scaling_events = sc.events;
            }
            agg.mean_in_system = sys / t;
            agg.mean_in_queue = q / t;
            agg.throughput = completions as f64 / (t / 1e9);
            agg.mean_residence_s = if completions > 0 {
                res / completions as f64 / 1e9
            } else {
                0.0
            };
            agg.instances_up = self.fx.up_area[n] / t;
            agg.all_down_fraction = self.fx.none_up[n] / t;
            if self.m.pooled && node.kind == NodeKind::Unit {
                self.pool_figures(n, &mut agg, t);
            }
            nodes.push(agg);
        }
        let mut breaker_changes = Vec::new();
        let edges = self
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut r = EdgeRep {
                    calls: e.calls,
                    attempts: e.attempts,
                    budget_refused: e.budget_refused,
                    degraded: e.degraded,
                    ..EdgeRep::default()
                };
                if let Some(b) = &e.breaker {
                    r.opened = b.opened;
                    r.half_opened = b.half_opened;
                    breaker_changes.extend(b.changes.iter().map(|c| (c.t, i as u32, c.from, c.to)));
                }
                r
            })
            .collect();
        breaker_changes.sort_by_key(|c| (c.0, c.1));
        let functions = self.functions.finish(now, self.measuring);
        let mut usage = crate::engine::record::Usage {
            nodes: vec![crate::flow::record::NodeUsage::default(); self.m.nodes.len()],
            ..Default::default()
        };
        for (n, node) in self.m.nodes.iter().enumerate() {
            let u = &mut usage.nodes[n];
            u.invocations = nodes[n].arrivals;
            if node.autoscale != NO_AUTOSCALE {
                u.instances_mean = nodes[n].instances_mean;
            }
            if node.function != NO_FUNCTION {
                let f = &functions[node.function as usize];
                nodes[n].rejected -= f.throttles;
                u.invocations = f.invocations;
                u.billed_ms = f.billed_ms;
                u.billed_ms_provisioned = f.billed_ms_provisioned;
            }
        }
        for (op, &c) in self.op_count.iter().enumerate() {
            let node = self.m.ops[op].node as usize;
            if c > 0 && node < usage.nodes.len() {
                if self.m.ops[op].write {
                    usage.nodes[node].writes += c;
                } else {
                    usage.nodes[node].reads += c;
                }
            }
        }
        if self.m.gateway.is_some() || self.m.gateway_node.is_some() {
            usage.gateway_requests = self.entries.iter().map(|e| e.arrived).sum();
        }
        // Load balancers: balancer-hours per instance, and LCU-hours on the new-connections
        // dimension (one connection per request, 25 new connections per second per LCU).
        usage.load_balancers = self
            .m
            .lb_nodes
            .iter()
            .map(|&n| {
                let node = &self.m.nodes[n as usize];
                crate::components::lb::LbUsage {
                    name: node.name.clone(),
                    hours: node.instances as f64 * t / 1e9 / 3600.0,
                    lcu_hours: nodes[n as usize].arrivals as f64
                        / LB_NEW_CONNECTIONS_PER_LCU
                        / 3600.0,
                }
            })
            .collect();
        usage.cross_zone_bytes = self.cross_bytes;
        // SQS bills every API call: a send per publish, a receive per receive, a delete per
        // message processed.
        usage.queues = self
            .m
            .queues
            .iter()
            .zip(&self.queues)
            .map(|(p, q)| crate::components::queue::QueueUsage {
                name: p.name.clone(),
                requests: q.stats.published + q.stats.receives + q.stats.delivered,
            })
            .collect();
        RepResult {
            entries: self.entries,
            nodes,
            series: self.series,
            events: self.events,
            wall_s: 0.0,
            violations,
            measured_s: t / 1e9,
            origins: self.origins,
            edges,
            breaker_changes,
            usage,
            functions,
            queues: self.queues.into_iter().map(|q| q.stats).collect(),
            sagas: self.sagas,
            caches: self.caches.iter().map(|c| (c.lookups, c.hits)).collect(),
            episodes: self.episodes,
        }
    }
}

/// New connections per second in one load-balancer capacity unit (the ALB's LCU definition).
pub const LB_NEW_CONNECTIONS_PER_LCU: f64 = 25.0;

enum CpuStart {
    /// No work: continue at once.
    Done,
    /// Running or queued for a worker.
    Waiting,
    /// Queue full at admission.
    Rejected,
}
