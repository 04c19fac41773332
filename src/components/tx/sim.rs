//! Transactions and locks in a replication. A transaction frame (a component frame on the
//! caller's instance) begins (a round trip to each database it reaches), takes its locks one by
//! one in ascending order (each a FIFO queue; a wait longer than the lock timeout rolls it back
//! with `lock_timeout`), runs its steps one after the other, then commits (a round trip and the
//! commit latency; a two-phase commit makes a prepare round then a commit round over its
//! databases) or, after a failed step, rolls back (a round trip), and only then lets its locks
//! go. A lock section (a saga step with locks) takes its locks around its one call, without
//! round trips. See `docs/semantics.md`, "Transactions and locks".

use super::{LockRep, TxRep, TxsRep};
use crate::components::contract::{
    CallGate, Component, FinishCx, Frame, FrameId, Kind, SimCx, DEGRADED,
};
use crate::components::pool::Pool;
use crate::components::{Event, Ride};
use crate::flow::anatomy::{NETWORK, OTHER};
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::dist::Dist;
use crate::kernel::{Rng64, SimTime, StreamSeeder};

/// The transaction component.
pub struct Transactions;

/// What a transaction plan is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxKind {
    /// A local transaction on one database.
    Local,
    /// A two-phase commit over `participants` databases.
    TwoPc,
    /// A lock section: the locks held around one call (a saga step with locks).
    Section,
}

/// One compiled transaction: steps `calls[first..first + len]`, locks `locks` (ascending ids
/// into [`Plan::locks`]).
#[derive(Debug, Clone)]
pub struct TxPlan {
    /// Name for results: the operation holding it (with `#k` for its k-th, k ≥ 2).
    pub name: String,
    /// What it is.
    pub kind: TxKind,
    /// First step call.
    pub first: u32,
    /// Number of steps.
    pub len: u32,
    /// Its locks, ascending.
    pub locks: Vec<u32>,
    /// Longest wait for one lock \[ns\].
    pub lock_timeout: u64,
    /// Commit (and prepare) latency on a database \[ns\].
    pub commit: Dist,
    /// Databases it reaches (≥ 1 for a transaction, 0 for a section).
    pub participants: u32,
    /// The node a `lock_timeout` is reported at (its first database).
    pub origin: u32,
}

/// The transactions of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every transaction and section, indexed by the call's `aux`.
    pub txs: Vec<TxPlan>,
    /// Lock names, ascending (a lock's id is its index).
    pub locks: Vec<String>,
}

/// Per replication: the locks, the outcomes, the commit-latency stream, the transactions in
/// doubt.
pub struct State {
    locks: Vec<Pool>,
    reps: Vec<TxRep>,
    rng: Rng64,
    in_doubt: Vec<InDoubt>,
}

/// A two-phase commit whose coordinator crashed after PREPARE: its participants hold its
/// locks until the coordinator's instance is back.
#[derive(Clone, Copy, Debug)]
struct InDoubt {
    /// The coordinator's instance.
    station: u32,
    /// The transaction.
    tx: u32,
    /// Its locks held (its first `held`).
    held: u16,
    /// When the coordinator crashed.
    since: SimTime,
    /// Started in the measured interval.
    measured: bool,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The begin round trip of transaction frame `.0` is over.
    Begun(FrameId),
    /// The commit or rollback of transaction frame `.0` is over.
    Ended(FrameId),
    /// The lock timeout of transaction frame `.0` waiting for its `.1`-th lock.
    Timeout(FrameId, u16),
}

/// Stage: the begin round trip.
const BEGIN: u8 = 0;
/// Stage: taking the locks.
const LOCKING: u8 = 1;
/// Stage: running the steps.
const STEPS: u8 = 2;
/// Stage: committing or rolling back (a local transaction), rolling back (a two-phase commit).
const ENDING: u8 = 3;
/// Stage: a two-phase commit's PREPARE is sent: from now its participants are prepared and
/// hold its locks until told the outcome (in doubt if the coordinator is lost).
const PREPARED: u8 = 4;

/// What a transaction frame keeps.
#[derive(Clone, Copy, Debug)]
pub struct TxRide {
    /// The transaction.
    pub tx: u32,
    /// Locks held: its first `held` locks.
    pub held: u16,
    /// Round trips made.
    pub trips: u16,
    /// Its stage.
    pub stage: u8,
    /// Waiting for lock number `held`.
    pub waiting: bool,
}

impl Component for Transactions {
    const PART: &'static str = "transaction lock wait";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = TxRide;
    type Rep = TxsRep;

    fn start(plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> State {
        State {
            locks: plan.locks.iter().map(|_| Pool::new(1)).collect(),
            reps: vec![TxRep::default(); plan.txs.len()],
            rng: seeds.stream(purpose::TX, 0),
            in_doubt: Vec::new(),
        }
    }

    fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
        let now = cx.now();
        let st = &mut cx.states().tx;
        for l in &mut st.locks {
            l.reset_stats(now);
        }
        for r in &mut st.reps {
            *r = TxRep::default();
        }
    }

    /// Frame `x` starts transaction `aux` of call `c`.
    fn on_call<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, c: u32) -> CallGate {
        let t = cx.topo().calls[c as usize].aux;
        let Some((op, station)) = cx.frames().get(x).map(|f| (f.idx, f.station)) else {
            return CallGate::Taken;
        };
        let plan = &cx.plans().tx.txs[t as usize];
        let (kind, n) = (plan.kind, plan.participants);
        let mut f = Frame::new(Kind::Component, x, op, station);
        f.born = cx.now();
        f.set(Frame::MEASURED, cx.measuring());
        let mut ride = TxRide {
            tx: t,
            held: 0,
            trips: 0,
            stage: BEGIN,
            waiting: false,
        };
        if kind == TxKind::Section {
            ride.stage = LOCKING;
            f.start = cx.now();
            f.ride = Ride::Tx(ride);
            let g = cx.frames().insert(f);
            acquire(cx, g);
            return CallGate::Taken;
        }
        // BEGIN: one round trip to each database, at once.
        let rt = round(cx, n, None);
        ride.trips = n as u16;
        f.ride = Ride::Tx(ride);
        let g = cx.frames().insert(f);
        cx.phase(x, NETWORK);
        cx.ahead(x, NETWORK, rt);
        cx.at(rt, Event::Tx(Ev::Begun(g)));
        CallGate::Taken
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::Begun(g) => {
                let now = cx.now();
                let Some(f) = cx.frames().get_mut(g) else {
                    return;
                };
                f.start = now;
                if let Ride::Tx(r) = &mut f.ride {
                    r.stage = LOCKING;
                }
                acquire(cx, g);
            }
            Ev::Ended(g) => end(cx, g),
            Ev::Timeout(g, k) => timeout(cx, g, k),
        }
    }

    /// A step of transaction frame `g` answered.
    fn on_child<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId, _x: FrameId, fail: u8, node: u32) {
        let Some(f) = cx.frames().get_mut(g) else {
            return;
        };
        f.pending -= 1;
        if fail != 0 {
            if f.fail == 0 {
                f.fail = fail;
                f.fail_node = node;
            }
        } else if node == DEGRADED && f.fail == 0 {
            f.fail_node = DEGRADED;
        }
        if f.pending == 0 && !f.has(Frame::SPAWNING) {
            steps(cx, g);
        }
    }

    /// A transaction frame lost in a crash of its caller's instance. Before a two-phase
    /// commit's PREPARE (and for a local transaction) its database connections are gone, so the
    /// databases roll it back and its locks go to their next waiters. (A frame lost while
    /// waiting stays in its lock's queue, counted as waiting, until the lock is released and
    /// skips it.) After PREPARE the participants are in doubt: they keep its locks until the
    /// coordinator's instance is back ([`Component::on_recover`]).
    fn on_ride_end<'m, C: SimCx<'m>>(cx: &mut C, f: &Frame, ride: TxRide, _dropped: bool) {
        if ride.stage == PREPARED && ride.held > 0 {
            let d = InDoubt {
                station: f.station,
                tx: ride.tx,
                held: ride.held,
                since: cx.now(),
                measured: f.has(Frame::MEASURED),
            };
            cx.states().tx.in_doubt.push(d);
            return;
        }
        release(cx, ride.tx, ride.held);
    }

    /// The coordinator's instance `s` is back: it reads its log and tells the participants of
    /// its transactions in doubt their outcome; their locks go to their next waiters.
    fn on_recover<'m, C: SimCx<'m>>(cx: &mut C, s: u32) {
        if cx.states().tx.in_doubt.is_empty() {
            return;
        }
        let now = cx.now();
        let all = std::mem::take(&mut cx.states().tx.in_doubt);
        let (back, stay): (Vec<InDoubt>, Vec<InDoubt>) =
            all.into_iter().partition(|d| d.station == s);
        cx.states().tx.in_doubt = stay;
        for d in back {
            if d.measured {
                let rep = &mut cx.states().tx.reps[d.tx as usize];
                rep.in_doubt += 1;
                rep.in_doubt_ns += now.since(d.since) as f64;
            }
            release(cx, d.tx, d.held);
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> TxsRep {
        let now = cx.now();
        let t = fin.measured_ns;
        let st = &mut cx.states().tx;
        let locks = st
            .locks
            .iter()
            .map(|l| {
                let m = l.measured(now);
                LockRep {
                    acquires: m.acquires,
                    wait_ns: m.wait_sum,
                    held: if t > 0.0 { m.in_use_area / t } else { 0.0 },
                    waiting: if t > 0.0 { m.waiting_area / t } else { 0.0 },
                    timeouts: m.timeouts,
                }
            })
            .collect();
        TxsRep {
            txs: std::mem::take(&mut st.reps),
            locks,
        }
    }
}

/// The duration of one round over `n` databases at once: the slowest of `n` round trips (two
/// hops each) plus, with `commit`, a commit-latency draw each.
fn round<'m, C: SimCx<'m>>(cx: &mut C, n: u32, commit: Option<&Dist>) -> u64 {
    let mut worst = 0;
    for _ in 0..n.max(1) {
        let mut d = cx.hop() + cx.hop();
        if let Some(c) = commit {
            d += c.sample_ns(&mut cx.states().tx.rng);
        }
        worst = worst.max(d);
    }
    worst
}

/// Takes the locks of transaction frame `g` from its `held`-th on, in order, until one is
/// busy (it then waits) or all are held (its steps start).
fn acquire<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let (now, measuring) = (cx.now(), cx.measuring());
    loop {
        let txs = &cx.plans().tx.txs;
        let (frames, states) = cx.split();
        let Some(f) = frames.get_mut(g) else {
            return;
        };
        let job = g.to_bits();
        let Ride::Tx(r) = &mut f.ride else {
            return;
        };
        let plan = &txs[r.tx as usize];
        if r.held as usize == plan.locks.len() {
            break;
        }
        let l = plan.locks[r.held as usize];
        if states.tx.locks[l as usize].acquire(now, job, measuring) {
            r.held += 1;
            continue;
        }
        r.waiting = true;
        let (t, k) = (plan.lock_timeout, r.held);
        cx.at(t, Event::Tx(Ev::Timeout(g, k)));
        return;
    }
    granted(cx, g);
}

/// Transaction frame `g` holds all its locks: its wait is counted, its steps start.
fn granted<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let now = cx.now();
    let Some(f) = cx.frames().get_mut(g) else {
        return;
    };
    let (wait, measured, parent) = (now.since(f.start), f.has(Frame::MEASURED), f.parent);
    let Ride::Tx(r) = &mut f.ride else {
        return;
    };
    r.stage = STEPS;
    r.waiting = false;
    let tx = r.tx as usize;
    if measured {
        cx.states().tx.reps[tx].lock_wait_ns += wait as f64;
    }
    if cx.plans().tx.txs[tx].kind != TxKind::Section {
        cx.phase(parent, OTHER);
    }
    steps(cx, g);
}

/// Runs the next step of transaction frame `g` until one is pending, a step failed or every
/// step is done (then it commits or rolls back).
fn steps<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    loop {
        let txs = &cx.plans().tx.txs;
        let Some(f) = cx.frames().get_mut(g) else {
            return;
        };
        let Ride::Tx(r) = f.ride else {
            return;
        };
        let plan = &txs[r.tx as usize];
        if f.fail != 0 || f.pc >= plan.len {
            break;
        }
        let call = plan.first + f.pc;
        f.pc += 1;
        f.pending = 1;
        f.set(Frame::SPAWNING, true);
        cx.start_call(g, call);
        let Some(f) = cx.frames().get_mut(g) else {
            return;
        };
        f.set(Frame::SPAWNING, false);
        if f.pending > 0 {
            return;
        }
    }
    finish(cx, g);
}

/// Transaction frame `g` commits (every step succeeded) or rolls back: the round trips and the
/// commit latency, then [`end`]. A section ends at once.
fn finish<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let txs = &cx.plans().tx.txs;
    let Some(f) = cx.frames().get_mut(g) else {
        return;
    };
    let (ok, parent) = (f.fail == 0, f.parent);
    let Ride::Tx(r) = &mut f.ride else {
        return;
    };
    r.stage = if ok && txs[r.tx as usize].kind == TxKind::TwoPc {
        PREPARED
    } else {
        ENDING
    };
    let tx = r.tx as usize;
    let plan = &cx.plans().tx.txs[tx];
    let (kind, n) = (plan.kind, plan.participants);
    let (delay, trips) = match (kind, ok) {
        (TxKind::Section, _) => {
            end(cx, g);
            return;
        }
        // COMMIT: a round trip and the commit made durable.
        (TxKind::Local, true) => (round(cx, 1, Some(&plan.commit)), 1),
        // PREPARE on every database (durable), then COMMIT on every database (durable).
        (TxKind::TwoPc, true) => {
            let p = round(cx, n, Some(&plan.commit));
            (p + round(cx, n, Some(&plan.commit)), 2 * n)
        }
        // ROLLBACK on every database: nothing to make durable.
        (_, false) => (round(cx, n, None), n),
    };
    if let Some(Ride::Tx(r)) = cx.frames().get_mut(g).map(|f| &mut f.ride) {
        r.trips += trips as u16;
    }
    cx.phase(parent, OTHER);
    cx.ahead(parent, NETWORK, delay);
    cx.at(delay, Event::Tx(Ev::Ended(g)));
}

/// Transaction frame `g` is over: its locks go, its outcome is counted, its caller answered.
fn end<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let now = cx.now();
    let Some(f) = cx.frames().remove(g) else {
        return;
    };
    let Ride::Tx(r) = f.ride else {
        return;
    };
    release(cx, r.tx, r.held);
    if f.has(Frame::MEASURED) && cx.plans().tx.txs[r.tx as usize].kind != TxKind::Section {
        let rep = &mut cx.states().tx.reps[r.tx as usize];
        match Reason::from_code(f.fail) {
            None => rep.committed += 1,
            Some(Reason::LockTimeout) => rep.lock_timeouts += 1,
            Some(_) => rep.rolled_back += 1,
        }
        rep.round_trips += r.trips as u64;
        rep.duration_ns += now.since(f.born) as f64;
    }
    cx.child_done(f.parent, f.fail, f.fail_node);
}

/// The lock timeout of transaction frame `g` waiting for its `k`-th lock: if it still waits
/// for it, it gives up and rolls back with `lock_timeout`.
#[cold]
#[inline(never)]
fn timeout<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId, k: u16) {
    let Some(f) = cx.frames().get(g) else {
        return;
    };
    let job = g.to_bits();
    let r = match f.ride {
        Ride::Tx(r) if r.waiting && r.held == k && r.stage == LOCKING => r,
        _ => return,
    };
    let plan = &cx.plans().tx.txs[r.tx as usize];
    let (l, origin) = (plan.locks[k as usize], plan.origin);
    let (now, measuring) = (cx.now(), cx.measuring());
    if !cx.states().tx.locks[l as usize].give_up(now, job, measuring) {
        return;
    }
    if let Some(f) = cx.frames().get_mut(g) {
        let (wait, measured) = (now.since(f.start), f.has(Frame::MEASURED));
        f.fail = Reason::LockTimeout as u8;
        f.fail_node = origin;
        if let Ride::Tx(r) = &mut f.ride {
            r.waiting = false;
        }
        if measured {
            cx.states().tx.reps[r.tx as usize].lock_wait_ns += wait as f64;
        }
    }
    finish(cx, g);
}

/// Lets the first `held` locks of transaction `tx` go, each to its oldest waiter still alive,
/// which then goes on taking its own locks.
fn release<'m, C: SimCx<'m>>(cx: &mut C, tx: u32, held: u16) {
    let (now, measuring) = (cx.now(), cx.measuring());
    let mut woken = Vec::new();
    for k in 0..held as usize {
        let l = cx.plans().tx.txs[tx as usize].locks[k];
        let (frames, states) = cx.split();
        let next = states.tx.locks[l as usize]
            .release(now, measuring, |job| waiter(frames, job).is_some());
        if let Some(job) = next {
            if let Some(y) = waiter(frames, job) {
                if let Some(Ride::Tx(r)) = frames.get_mut(y).map(|f| &mut f.ride) {
                    r.held += 1;
                    r.waiting = false;
                }
                woken.push(y);
            }
        }
    }
    for y in woken {
        acquire(cx, y);
    }
}

/// The live transaction frame queued as `job`, if any.
fn waiter(frames: &crate::kernel::Arena<Frame>, job: u64) -> Option<FrameId> {
    let y = FrameId::from_bits(job);
    frames.get(y).is_some().then_some(y)
}
