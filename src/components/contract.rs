//! The component contract: what a component is to the engine ([`Component`]), what the engine
//! offers a component while a replication runs ([`SimCx`]), and the request frame with a typed
//! home for the data a component keeps on a request ([`Frame::ride`]).
//!
//! # The contract
//!
//! A component is a zero-sized type implementing [`Component`]. Its associated types are its
//! compiled plan (part of the model), its per-replication state, its events, the data it keeps
//! on a frame, and its per-replication record. Its methods are the lifecycle of a replication
//! (`start`, `on_start`, `on_event`, `on_warmup_end`, `on_tick`, `finish`) and *hooks*: points
//! of the request flow where the engine hands over to the components whose bit is set on the
//! node, the station, the call or the entry at hand (`on_entry`, `on_gate`, `on_deliver`,
//! `on_chosen`, `on_call`, `on_call_begin`, `on_attempt`, `on_attempt_end`, `on_query`,
//! `on_cpu`, `on_op_finish`, `on_respond`, `on_child`, `on_ride_end`, `on_crash`,
//! `on_recover`, `on_outcome`, `instances`, `at_end`). Every hook has a default that does nothing, so a
//! component implements only the hooks it uses.
//!
//! The registry (`super::components!` in `components/mod.rs`) lists every component once and
//! generates, from that list, the enums of events and rides, the structs of plans, states and
//! records, the bit of each component, and one dispatcher per hook that calls, in registry
//! order, the hook of each component whose bit is in the mask. Dispatch is static (a `match` or
//! a chain of `if`s the compiler inlines): no `dyn` on the hot path, and a node without
//! components pays one test of its mask.
//!
//! # Ordering
//!
//! Components schedule their events through [`SimCx::at`]; they run in the kernel's `(time,
//! sequence)` order with every other event (see `crate::kernel`). Hooks run synchronously at
//! their point of the flow, in registry order.

use super::{Plans, Ride, States};
use crate::flow::availability::Availability;
use crate::flow::station::Station;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::{Arena, Id, SimTime, StreamSeeder};

/// A request frame's id in the arena.
pub type FrameId = Id<Frame>;

/// [`Frame::entry`] of a frame that is not an entry request.
pub const NO_ENTRY: u32 = u32::MAX;

/// `fail_node` of a successful answer degraded by a fallback on the way (with `fail == 0`; a
/// real failure overrides it).
pub const DEGRADED: u32 = u32::MAX - 1;

/// [`Frame::ledger`] of a frame without a ledger.
pub const NO_LEDGER: u64 = u64::MAX;

/// What a frame is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A client request with a client timeout or retries: its attempts are op frames.
    Root,
    /// A call edge needing its own bookkeeping (repetitions, timeout, policies): its attempts
    /// are op frames.
    Call,
    /// An operation invocation.
    Op,
    /// A frame a component owns (a saga in progress, a message in a queue): its [`Frame::ride`]
    /// says which component, and answers to it go to that component's `on_child`.
    Component,
}

/// One node of a request's execution tree (see `crate::engine`). Every field has one meaning
/// for every kind; what a component keeps on a request is in [`Frame::ride`].
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// What it is.
    pub kind: Kind,
    /// First failure (a `Reason` code, 0 = none).
    pub fail: u8,
    /// Flags ([`Frame::IN_SYSTEM`], …).
    pub flags: u8,
    /// Op: its call (or root, or component) frame, NONE when orphaned. Call: its op frame.
    /// Component: the frame it answers, NONE once on its own.
    pub parent: FrameId,
    /// Call/Root/Component: the op frame of the current attempt. Op: the call it started last
    /// (where a timeout looks for the deepest frame still at work).
    pub child: FrameId,
    /// Root: entry index. Call: call-plan index. Op: operation index. Component: the operation
    /// it acts for (a saga's calling operation, a message's consumer).
    pub idx: u32,
    /// Op: executing station. Call/Component: the caller's station.
    pub station: u32,
    /// Op/Component: steps started.
    pub pc: u32,
    /// Op/Component: children not yet answered.
    pub pending: u32,
    /// Call/Root: attempts made (matches timeout events). Call: repetitions left after this
    /// one are in [`Frame::reps`].
    pub attempt: u32,
    /// Call: repetitions left, including the current one. Op: messages of the queue batch it
    /// processes (its CPU is one demand draw per message; 0 or 1: a single invocation).
    pub reps: u32,
    /// The node where the first failure began.
    pub fail_node: u32,
    /// Op: the entry whose request this frame *is* (an entry without client timeout needs no
    /// root frame), [`NO_ENTRY`] otherwise.
    pub entry: u32,
    /// Op: arrival at its station. Call: start of the current attempt.
    pub start: SimTime,
    /// Root, an op with `entry` set, a component frame: when it began.
    pub born: SimTime,
    /// Op: CPU work pending while waiting for a worker \[ns\] (async io stations).
    pub work: f64,
    /// What one component keeps on this frame.
    pub ride: Ride,
    /// Latency anatomy: the time up to which this frame's ledger accounts (see
    /// `crate::flow::anatomy`); may lie ahead of now when a known delay was booked in advance.
    pub mark: SimTime,
    /// Latency anatomy: the part the time since `mark` goes to.
    pub phase: u32,
    /// Latency anatomy: this frame's ledger ([`NO_LEDGER`]: none kept, e.g. before warm-up or
    /// for a frame a component made). The only outstanding call of a step shares its caller's
    /// ledger; an id carries its slot's generation, so a frame outliving its ledger (its caller
    /// killed or crashed) books nothing.
    pub ledger: u64,
}

impl Frame {
    /// Op: counted in its station's `in_system`.
    pub const IN_SYSTEM: u8 = 1;
    /// Holds a worker of its station (blocking io; an async-io station's workers are held during
    /// CPU phases only, which the station tracks without a flag).
    pub const HOLDS_WORKER: u8 = 2;
    /// Op: invoked over the network (goes through admission and counts in the station).
    pub const REMOTE: u8 = 4;
    /// Root/entry op/component: arrived after warm-up.
    pub const MEASURED: u8 = 8;
    /// Op called directly by an op frame: doing the caller-side marshalling on the caller's
    /// station.
    pub const MARSHAL: u8 = 16;
    /// Op/Component: currently starting the calls of a step.
    pub const SPAWNING: u8 = 32;
    /// Call: an attempt admitted by the call's policies is in flight.
    pub const IN_FLIGHT: u8 = 64;
    /// Op: its answer has left its station and is on its way back to the caller or the client
    /// (set only on models with components: a crash of the station must not lose it).
    pub const ANSWERED: u8 = 128;

    /// A fresh frame.
    #[inline]
    pub fn new(kind: Kind, parent: FrameId, idx: u32, station: u32) -> Frame {
        Frame {
            kind,
            fail: 0,
            flags: 0,
            parent,
            child: FrameId::NONE,
            idx,
            station,
            pc: 0,
            pending: 0,
            attempt: 0,
            reps: 0,
            fail_node: 0,
            entry: NO_ENTRY,
            start: SimTime::ZERO,
            born: SimTime::ZERO,
            work: 0.0,
            ride: Ride::None,
            mark: SimTime::ZERO,
            phase: 0,
            ledger: NO_LEDGER,
        }
    }

    /// Whether flag `f` is set.
    #[inline]
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }

    /// Sets or clears flag `f`.
    #[inline]
    pub fn set(&mut self, f: u8, on: bool) {
        if on {
            self.flags |= f;
        } else {
            self.flags &= !f;
        }
    }
}

/// What a call hook decided (see [`Component::on_call`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CallGate {
    /// Go on: the engine makes the call.
    Go,
    /// The call is answered successfully without reaching its target (a cache hit).
    Answered,
    /// The component started the call itself and will answer the caller.
    Taken,
}

/// What the engine offers a component during a replication. Implemented by the engine; every
/// method is a small inlined accessor or one step of the request flow.
pub trait SimCx<'m> {
    /// The compiled core of the variant.
    fn topo(&self) -> &'m Topology;
    /// The components' plans.
    fn plans(&self) -> &'m Plans;
    /// Current simulated time.
    fn now(&self) -> SimTime;
    /// Whether the measured interval has begun (after warm-up).
    fn measuring(&self) -> bool;
    /// The request frames.
    fn frames(&mut self) -> &mut Arena<Frame>;
    /// The instances' stations.
    fn stations(&mut self) -> &mut [Station];
    /// The components' states.
    fn states(&mut self) -> &mut States;
    /// The request frames and the components' states at once.
    fn split(&mut self) -> (&mut Arena<Frame>, &mut States);
    /// Which instances are up.
    fn avail(&mut self) -> &mut Availability;

    /// Schedules component event `ev` in `delay` ns.
    fn at(&mut self, delay: u64, ev: super::Event);
    /// Schedules a re-attempt of root or call frame `f` in `delay` ns (after a backoff).
    fn retry_after(&mut self, delay: u64, f: FrameId);
    /// Schedules the completion check of station `s`'s CPU at `t`, stamped with its current
    /// epoch (after its speed changed).
    fn cpu_check(&mut self, t: SimTime, s: u32);
    /// Schedules a completion check of a processor-sharing station of a component at `t`,
    /// delivered as component event `ev`.
    fn at_time(&mut self, t: SimTime, ev: super::Event);

    /// A network hop's one-way latency \[ns\] (one draw).
    fn hop(&mut self) -> u64;
    /// A draw of the client ↔ data-centre latency \[ns\].
    fn haul(&mut self) -> u64;
    /// Delivers op frame `x` to its operation's node after `delay` ns.
    fn send(&mut self, x: FrameId, delay: u64);
    /// Admits op frame `x` at an instance of node `node` (load balancing, placement).
    fn admit(&mut self, x: FrameId, node: usize);
    /// Admits op frame `x` at instance `s` of node `node`.
    fn admit_at(&mut self, x: FrameId, node: usize, s: u32);
    /// Starts the work of op frame `x`, admitted at its station.
    fn op_begin(&mut self, x: FrameId);
    /// One child of op or component frame `x` answered.
    fn child_done(&mut self, x: FrameId, fail: u8, fail_node: u32);
    /// Sends the outcome of op frame `x` back to its caller.
    fn respond(&mut self, x: FrameId);
    /// Frame `x` fails at once with `reason`, beginning at `node`.
    fn fail_frame(&mut self, x: FrameId, reason: Reason, node: u32);
    /// Op frame `x`, at its station, is turned away with `reason` (counted as rejected there).
    fn fail_at_station(&mut self, x: FrameId, reason: Reason);
    /// Starts call `c` of the calling frame `x`.
    fn start_call(&mut self, x: FrameId, c: u32);
    /// The current attempt of call frame `c` ended with `fail` at `fail_node`; `admitted` if it
    /// had passed the call's policies.
    fn call_attempt_end(&mut self, c: FrameId, fail: u8, fail_node: u32, admitted: bool);
    /// A CPU phase of frame `f` at station `s` is over.
    fn cpu_done(&mut self, f: FrameId, s: u32);
    /// Hands the outcome of op frame `x` (already removed from the arena: `f`) to its caller
    /// or the client.
    fn returned(&mut self, x: FrameId, f: Frame);
    /// Notes that frames were removed behind the events that name them (a crash): the engine
    /// then checks that a frame still exists before its CPU completion.
    fn note_crash(&mut self);
    /// Turns the components in `mask` on (`on`) or off as gates of every admission (see
    /// [`Component::on_gate`]).
    fn gating(&mut self, mask: u32, on: bool);
    /// Latency anatomy: from now on, the time of frame `x` goes to part `part` (what it was
    /// doing until now is booked to its previous part). The registry calls it before a hook
    /// that may take the frame over, with the component's own part.
    fn phase(&mut self, x: FrameId, part: u32);
    /// Latency anatomy: books a known delay of `ns` ns ahead of frame `x` to part `part` (the
    /// registry calls it for the delays the `on_entry` and `on_gate` hooks return).
    fn ahead(&mut self, x: FrameId, part: u32, ns: u64);
}

/// What a component's `finish` may add to the core records of the replication.
pub struct FinishCx<'a> {
    /// Length of the measured interval \[ns\].
    pub measured_ns: f64,
    /// Per node: the core figures.
    pub nodes: &'a mut [crate::flow::record::NodeRep],
    /// Per node: the usage the bill prices.
    pub usage: &'a mut [crate::flow::record::NodeUsage],
    /// Self-check violations.
    pub violations: &'a mut Vec<String>,
}

/// A component of the deployed system (see the module docs).
pub trait Component {
    /// Compiled plan, part of the model.
    type Plan: Clone + std::fmt::Debug + Default;
    /// Per-replication state.
    type State;
    /// Its events.
    type Event: Copy + std::fmt::Debug;
    /// What it keeps on a frame (`()` when nothing).
    type Ride: Copy + std::fmt::Debug;
    /// Per-replication record.
    type Rep: Clone + std::fmt::Debug + Default + serde::Serialize + serde::de::DeserializeOwned;
    /// What the latency anatomy calls the time a request spends held by this component (its
    /// delays and the frames it takes over; see `crate::flow::anatomy`).
    const PART: &'static str;

    /// Its state at the start of a replication, with its random streams from `seeds`.
    fn start(plan: &Self::Plan, topo: &Topology, seeds: &StreamSeeder) -> Self::State;
    /// Whether, with this plan, the replication keeps its failure-origin series.
    fn tracks_failures(_plan: &Self::Plan) -> bool {
        false
    }
    /// Whether, with this plan, the component wants [`Component::on_outcome`].
    fn wants_outcomes(_plan: &Self::Plan) -> bool {
        false
    }
    /// Schedules its first events (time 0).
    fn on_start<'m, C: SimCx<'m>>(_cx: &mut C) {}
    /// One of its events.
    fn on_event<'m, C: SimCx<'m>>(_cx: &mut C, _ev: Self::Event) {}
    /// The warm-up ends: reset the counters of the measured interval.
    fn on_warmup_end<'m, C: SimCx<'m>>(_cx: &mut C) {}
    /// A time-series window of `window_ns` ends.
    fn on_tick<'m, C: SimCx<'m>>(_cx: &mut C, _window_ns: f64) {}
    /// The end of the replication: its record (and additions to the core records).
    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> Self::Rep;

    /// An entry request `x` of entry `e` leaves the client: the delay it adds before its first
    /// node, `None` if it failed.
    fn on_entry<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId, _e: usize) -> Option<u64> {
        Some(0)
    }
    /// Op frame `x` reaches node `node` (`nodes.len()`: the plain gateway) from `caller` (a
    /// node, `None` for a client): `Some(delay)` to admit it after `delay` ns, `None` if it
    /// failed (the component failed it).
    fn on_gate<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId, _node: u32) -> Option<u64> {
        Some(0)
    }
    /// Op frame `x` is admitted at instance `s` of node `node`: `true` if the component took it
    /// over.
    fn on_deliver<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId, _s: u32, _node: usize) -> bool {
        false
    }
    /// Op frame `x` chose instance `s` (not yet admitted): `true` if the component takes the
    /// admission over (it admits the frame later).
    fn on_chosen<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId, _s: u32) -> bool {
        false
    }
    /// The answer of op frame `x` leaves its station for its caller over the network: the delay
    /// the component adds to the hop back \[ns\].
    fn on_respond<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId) -> u64 {
        0
    }
    /// Frame `x` starts call `c`.
    fn on_call<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId, _c: u32) -> CallGate {
        CallGate::Go
    }
    /// Call frame `c` (with this component's policies) makes a new logical call.
    fn on_call_begin<'m, C: SimCx<'m>>(_cx: &mut C, _c: FrameId) {}
    /// An attempt of call frame `c` wants to start: `true` if it may (otherwise the component
    /// ended the attempt).
    fn on_attempt<'m, C: SimCx<'m>>(_cx: &mut C, _c: FrameId) -> bool {
        true
    }
    /// An attempt of call frame `c` ended with `fail` at `node`: the outcome to pass on, or
    /// `None` when the component scheduled another attempt.
    fn on_attempt_end<'m, C: SimCx<'m>>(
        _cx: &mut C,
        _c: FrameId,
        fail: u8,
        node: u32,
        _admitted: bool,
    ) -> Option<(u8, u32)> {
        Some((fail, node))
    }
    /// Query frame `y` leaves instance `caller`: `true` if the component sends it.
    fn on_query<'m, C: SimCx<'m>>(_cx: &mut C, _y: FrameId, _caller: u32) -> bool {
        false
    }
    /// A CPU phase of `work` ns for frame `f` at station `s`: `true` if the component runs it.
    fn on_cpu<'m, C: SimCx<'m>>(_cx: &mut C, _s: u32, _f: FrameId, _work: f64) -> bool {
        false
    }
    /// Op frame `x` (carrying this component's ride) leaves its station.
    fn on_op_finish<'m, C: SimCx<'m>>(_cx: &mut C, _x: FrameId) {}
    /// A child `x` of this component's frame `parent` answered with `fail` at `node`.
    fn on_child<'m, C: SimCx<'m>>(
        _cx: &mut C,
        _parent: FrameId,
        _x: FrameId,
        _fail: u8,
        _node: u32,
    ) {
    }
    /// Frame `f`, carrying this component's ride `ride`, is gone (`dropped`: lost in a crash,
    /// else its answer reached the caller).
    fn on_ride_end<'m, C: SimCx<'m>>(_cx: &mut C, _f: &Frame, _ride: Self::Ride, _dropped: bool) {}
    /// Instance `s` crashed (its frames are gone).
    fn on_crash<'m, C: SimCx<'m>>(_cx: &mut C, _s: u32) {}
    /// Instance `s` is up again after a crash or an outage (its last fault holding it down
    /// ended, after its restart delay).
    fn on_recover<'m, C: SimCx<'m>>(_cx: &mut C, _s: u32) {}
    /// A request of entry `e` that arrived in the measured interval failed.
    fn on_outcome<'m, C: SimCx<'m>>(_cx: &mut C, _e: usize) {}
    /// Instances of node `node` ready and starting now, when this component decides them.
    fn instances<'m, C: SimCx<'m>>(_cx: &mut C, _node: usize) -> Option<(u32, u32)> {
        None
    }
    /// A frame carrying this component's ride is still in flight at the end of the run.
    fn at_end<'m, C: SimCx<'m>>(_cx: &mut C, _f: &Frame) {}
}

// ---- The analytic estimate's side of a component ----
//
// The instant analytic estimate (`crate::estimate`, above this layer) reads the compiled
// topology and asks the components, through [`Estimate`], for the terms only they know: a
// cache's hit ratio at its lookup rate, the share a rate limit admits, the delay of the plain
// gateway, the way a node's instances serve (an infinite server, shared host cores), what a
// component call costs its caller and starts. It offers them its view of the variant
// ([`EstimateCx`]): the mean load found so far, the solution of a queued station, warnings. The
// registry generates one dispatcher per question (`super::terms`), calling every component in
// registry order: static dispatch, as for the simulation's hooks.

/// A queued station of the analytic estimate: `instances` identical instances sharing the load
/// evenly, each with `c` servers (M/M/c; see `crate::estimate` for fractional `c`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shape {
    /// Instances sharing the load evenly.
    pub instances: u32,
    /// Cores per instance (utilization is over them).
    pub cores: f64,
    /// Servers per instance: min(`cores`, `limit`).
    pub c: f64,
    /// The concurrency limit's name in warnings (`workers`, `connections`, `cores`).
    pub limit_name: &'static str,
    /// The concurrency limit per instance.
    pub limit: u32,
    /// Waiting room per instance, if bounded.
    pub queue: Option<u32>,
}

/// A queued station solved by the estimate ([`EstimateCx::solve`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Solved {
    /// CPU demand per second over the instances' cores (≥ 1: overloaded).
    pub utilization: f64,
    /// Mean response of one job \[s\]; `None` when unstable or without traffic.
    pub response: Option<f64>,
    /// Mean slowdown of a job, W / E\[S\]; `None` when unstable.
    pub stretch: Option<f64>,
}

/// How the instances of a node serve their jobs in the estimate, when a component decides it
/// ([`Estimate::service`]); otherwise they are a queued station of their own cores and
/// workers ([`Shape`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Service {
    /// Every job runs at once at `speed` (an infinite server, M/G/∞): it never waits, and the
    /// node's utilization is reported as 0.
    Delay {
        /// Speed of a job (a serverless function's vCPU share; 1 otherwise).
        speed: f64,
    },
    /// The instances run their CPU phases on cores they share with others (a host): each job
    /// is slowed by `stretch`, and the node's busy cores are counted over `cores`.
    Shared {
        /// Mean slowdown of a job over the node's instances; `None` when unstable.
        stretch: Option<f64>,
        /// Cores the node's busy cores are counted over (its instances' hosts' cores).
        cores: f64,
    },
}

/// What a component does in place of a call of kind `Component` it takes over
/// ([`Estimate::take`]), per call made.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    /// Mean time the caller waits for the component itself \[s\] (a publish's latency).
    pub wait: f64,
    /// Calls the caller makes in its place, one after the other (a saga's forward steps): a
    /// range of [`Topology::calls`].
    pub calls: std::ops::Range<u32>,
    /// An operation started that the caller does not wait for (a message's consumer): a job
    /// arriving at its node over the network.
    pub detached: Option<u32>,
    /// Calls made on the caller's behalf that it does not wait for (the later steps of a
    /// choreographed saga): their load counts, their time does not.
    pub background: std::ops::Range<u32>,
}

/// A node a component adds to the estimate (a host), with its figures.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeTerm {
    /// Name.
    pub name: String,
    /// Jobs arriving per second \[1/s\].
    pub arrival_rate: f64,
    /// Busy cores over its cores.
    pub utilization: f64,
    /// Mean response of one job \[s\], `None` when unstable or without traffic.
    pub response: Option<f64>,
    /// CPU seconds per second \[s/s\].
    pub cpu_demand: f64,
}

/// What the analytic estimate offers a component: the compiled variant, the mean load found so
/// far and the estimate's station model. Implemented by `crate::estimate`.
pub trait EstimateCx {
    /// The compiled core of the variant.
    fn topo(&self) -> &Topology;
    /// The components' plans.
    fn plans(&self) -> &Plans;
    /// Mean one-way network hop \[s\].
    fn hop(&self) -> f64;
    /// Instances of node `node` that carry its load (the first ones of its stations).
    fn instances(&self, node: usize) -> u32;
    /// Jobs per second arriving at node `node`, before its admission ([`Estimate::admit`]).
    fn arrivals(&self, node: usize) -> f64;
    /// Jobs per second admitted at instance `s` and their CPU seconds per second.
    fn load(&self, s: u32) -> (f64, f64);
    /// Solves a queued station of `shape` fed `jobs` per second with `demand` CPU seconds per
    /// second; warns (as `{label} `{name}`: …`) when it cannot keep up.
    fn solve(&mut self, label: &str, name: &str, shape: Shape, jobs: f64, demand: f64) -> Solved;
    /// Sets the slowdown of the jobs of instance `s` (`None`: unstable).
    fn set_stretch(&mut self, s: u32, stretch: Option<f64>);
    /// The slowdown set for instance `s` (1 when none was set).
    fn stretch(&self, s: u32) -> Option<f64>;
    /// Adds a host to the estimate's nodes.
    fn host(&mut self, node: NodeTerm);
    /// Mean number of jobs in progress at node `node`, downstream waits included (Little's
    /// law: jobs per second × mean time of a job); `None` when some job has no mean.
    fn concurrency(&self, node: usize) -> Option<f64>;
    /// Calls per second made of call `c` (its probability, repetitions and gate included).
    fn call_rate(&self, c: u32) -> f64;
    /// Mean time \[s\] call `c` takes per invocation of the operation making it (its
    /// probability, repetitions and gate included); `None` if it reaches an unstable station.
    fn call_mean(&mut self, c: u32) -> Option<f64>;
    /// A warning.
    fn warn(&mut self, w: String);
}

/// What a component adds to the analytic estimate (see the section above). Every method has a
/// default meaning "nothing of mine here"; the estimate asks every component, in registry
/// order, and each answers for the nodes, calls and entries of its plan only.
pub trait Estimate: Component {
    /// Mean delay \[s\] the component adds to every request of entry `e` between the client and
    /// its first node, both ways.
    fn entry_delay<C: EstimateCx>(_cx: &C, _e: usize) -> f64 {
        0.0
    }
    /// The instances of node `node` that carry its load, when fewer than compiled.
    fn counted<C: EstimateCx>(_cx: &C, _node: usize) -> Option<u32> {
        None
    }
    /// The gate of call `c`: the key of the component's figure (a cache) that answers part of
    /// the calls before their target; calls with the same key share that figure.
    fn gate<C: EstimateCx>(_cx: &C, _c: u32) -> Option<u32> {
        None
    }
    /// The share of the calls through gate `key` that go on to their target, when `rate` calls
    /// per second go through it.
    fn pass<C: EstimateCx>(_cx: &C, _key: u32, _rate: f64) -> f64 {
        1.0
    }
    /// The share of the `arrivals` per second at node `node` that it admits.
    fn admit<C: EstimateCx>(_cx: &C, _node: usize, _arrivals: f64) -> f64 {
        1.0
    }
    /// What the component does in place of call `c` of kind `Component`, when it is its call.
    fn take<C: EstimateCx>(_cx: &C, _c: u32) -> Option<Taken> {
        None
    }
    /// How the instances of node `node` serve their jobs, when the component decides it.
    fn service<C: EstimateCx>(_cx: &C, _node: usize) -> Option<Service> {
        None
    }
    /// The mean time \[s\] the caller of component call `c` waits in a queue of the
    /// component's own (a lock's), on top of [`Taken::wait`], once the loads are known:
    /// `Some(None)` when that queue is saturated (no mean), `None` when not its call.
    fn queued<C: EstimateCx>(_cx: &mut C, _c: u32) -> Option<Option<f64>> {
        None
    }
    /// The loads are known (nodes not solved yet): warnings about them, stations of the
    /// component's own (hosts).
    fn on_loads<C: EstimateCx>(_cx: &mut C) {}
    /// The mean times are known: warnings about them.
    fn on_times<C: EstimateCx>(_cx: &mut C) {}
}
