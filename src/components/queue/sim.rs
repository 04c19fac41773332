//! Message queues in a replication: a publish completes after its latency and makes the
//! message visible; consumer slots receive the oldest visible message and invoke its consumer;
//! a receive not answered within the visibility timeout is abandoned and the message becomes
//! visible again; after `max_receives` receives it is dead-lettered. With `batch_size` > 1 a
//! consumer invocation receives a batch (gathered for up to `batching_window`), the first
//! message of the batch (its leader) standing for all of them. See `docs/semantics.md`,
//! "Message queues".

use super::{delete_requests, receive_requests, QueueRep, QueueState, QueueUsage};
use crate::components::contract::{CallGate, Component, FinishCx, Frame, FrameId, Kind, SimCx};
use crate::components::{Event, Ride};
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::dist::Dist;
use crate::kernel::{Rng64, StreamSeeder};
use std::collections::HashMap;

/// The message-queue component.
pub struct Queues;

/// One compiled message queue.
#[derive(Debug, Clone)]
pub struct QueuePlan {
    /// Name.
    pub name: String,
    /// Publish latency \[ns\].
    pub publish_latency: Dist,
    /// Visibility timeout \[ns\].
    pub visibility_timeout: u64,
    /// Receives before dead-lettering (`u32::MAX` = never).
    pub max_receives: u32,
    /// Consumer slots.
    pub consumers: u32,
    /// Most messages per consumer invocation.
    pub batch_size: u32,
    /// Batching window \[ns\] (0: none).
    pub batching_window: u64,
    /// Its broker runs on a host of the variant (billed with the host, not per request).
    pub hosted: bool,
}

/// The queues of a variant (indexed like the scenario's queues).
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every queue.
    pub queues: Vec<QueuePlan>,
}

/// Per queue: its state and publish-latency stream, and its series.
pub struct State {
    queues: Vec<QueueState>,
    rng: Vec<Rng64>,
    backlog: Vec<Vec<f64>>,
    oldest_age: Vec<Vec<f64>>,
    /// The messages of each batch of more than one in flight or awaiting its visibility
    /// timeout, by its leader's id (the leader first).
    batches: HashMap<u64, Vec<u64>>,
    /// The buffer a receive gathers its messages in (reused: a receive of one message
    /// allocates nothing).
    scratch: Vec<u64>,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The publish of a message completes.
    Published(FrameId),
    /// The visibility timeout of receive number `.1` of message `.0` expired.
    Visibility(FrameId, u32),
    /// The batching window of queue `.0`'s gathering number `.1` expired.
    Window(u32, u32),
}

/// What a message frame keeps.
#[derive(Clone, Copy, Debug)]
pub struct MessageRide {
    /// The queue.
    pub queue: u32,
    /// Receives so far.
    pub receives: u32,
    /// The choreographed saga frame waiting for this message (its step or compensation):
    /// told when the message is published, and again when it is deleted or dead-lettered;
    /// `FrameId::NONE` for a plain publish.
    pub owner: FrameId,
}

/// The queues' record of one replication.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct QueuesRep {
    /// Per queue: its counters.
    pub queues: Vec<QueueRep>,
    /// Per queue: messages in it (visible or being processed) at the end of each window.
    pub backlog: Vec<Vec<f64>>,
    /// Per queue: age of the oldest visible message at the end of each window \[s\].
    pub oldest_age: Vec<Vec<f64>>,
    /// Per queue: its billed requests.
    pub usage: Vec<QueueUsage>,
}

impl Component for Queues {
    const PART: &'static str = "message queue";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = MessageRide;
    type Rep = QueuesRep;

    fn start(plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> State {
        let n = plan.queues.len();
        State {
            queues: plan
                .queues
                .iter()
                .map(|q| QueueState::new(q.consumers))
                .collect(),
            rng: (0..n)
                .map(|i| seeds.stream(purpose::PUBLISH, i as u64))
                .collect(),
            backlog: vec![Vec::new(); n],
            oldest_age: vec![Vec::new(); n],
            batches: HashMap::new(),
            scratch: Vec::new(),
        }
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::Published(m) => published(cx, m),
            Ev::Visibility(m, attempt) => visibility_expired(cx, m, attempt),
            Ev::Window(q, gen) => {
                let st = &mut cx.states().queue.queues[q as usize];
                if st.gather_gen == gen {
                    st.gather_armed = false;
                    dispatch(cx, q as usize);
                }
            }
        }
    }

    /// A publish call: the message is created; the caller waits for the publish latency.
    fn on_call<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, c: u32) -> CallGate {
        let cp = cx.topo().calls[c as usize];
        let q = cp.aux as usize;
        // A publish by a saga frame is a step (or compensation) of a choreographed saga.
        let owner = match cx.frames().get(x).map(|f| f.ride) {
            Some(Ride::Saga(_)) => x,
            _ => FrameId::NONE,
        };
        let mut m = Frame::new(Kind::Component, x, cp.op, u32::MAX);
        m.born = cx.now();
        m.set(Frame::MEASURED, cx.measuring());
        m.ride = Ride::Queue(MessageRide {
            queue: q as u32,
            receives: 0,
            owner,
        });
        let id = cx.frames().insert(m);
        let d = cx.plans().queue.queues[q]
            .publish_latency
            .sample_ns(&mut cx.states().queue.rng[q]);
        if d == 0 {
            published(cx, id);
        } else {
            cx.at(d, Event::Queue(Ev::Published(id)));
        }
        CallGate::Taken
    }

    /// The consumer invocation `x` of message (or batch leader) `msg` answered.
    fn on_child<'m, C: SimCx<'m>>(cx: &mut C, msg: FrameId, x: FrameId, fail: u8, _node: u32) {
        let now = cx.now();
        let Some(m) = cx.frames().get_mut(msg) else {
            return;
        };
        if m.child != x {
            return; // answered after its visibility timeout: the receive was abandoned
        }
        let Ride::Queue(r) = m.ride else {
            return;
        };
        let (q, leader_measured) = (r.queue as usize, m.has(Frame::MEASURED));
        // Without batching a receive is its one message: no map lookup, no allocation.
        let batched = cx.plans().queue.queues[q].batch_size > 1;
        let st = &mut cx.states().queue;
        let batch = match (batched, fail) {
            (false, _) => None,
            (true, 0) => st.batches.remove(&msg.to_bits()),
            // Kept until the visibility timeout, which makes them visible again.
            (true, _) => st.batches.get(&msg.to_bits()).cloned(),
        };
        let one = [msg.to_bits()];
        let members: &[u64] = batch.as_deref().unwrap_or(&one);
        st.queues[q].busy -= 1;
        if fail == 0 && leader_measured {
            st.queues[q].stats.requests += delete_requests(members.len() as u64);
        }
        for &bits in members {
            let id = FrameId::from_bits(bits);
            let Some(m) = cx.frames().get_mut(id) else {
                continue;
            };
            m.child = FrameId::NONE;
            let Ride::Queue(r) = m.ride else {
                continue;
            };
            let (born, measured) = (m.born, m.has(Frame::MEASURED));
            if fail == 0 {
                cx.frames().remove(id);
                let st = &mut cx.states().queue.queues[q];
                st.live -= 1;
                if measured {
                    st.stats.delivered += 1;
                    st.stats.finished_receives += u64::from(r.receives);
                    st.stats.end_to_end.record(now.since(born));
                }
                if !r.owner.is_none() {
                    // A choreographed saga's step (or compensation) is done.
                    cx.child_done(r.owner, 0, 0);
                }
            } else if measured {
                // The message stays invisible until its visibility timeout.
                cx.states().queue.queues[q].stats.failed_receives += 1;
            }
        }
        dispatch(cx, q);
    }

    fn on_tick<'m, C: SimCx<'m>>(cx: &mut C, _window_ns: f64) {
        let now = cx.now().ns();
        let st = &mut cx.states().queue;
        for (q, s) in st.queues.iter().enumerate() {
            st.backlog[q].push(s.live as f64);
            st.oldest_age[q].push(s.oldest_age(now) as f64 / 1e9);
        }
    }

    /// A message counts as in the queue at the end once its publish completed.
    fn at_end<'m, C: SimCx<'m>>(cx: &mut C, f: &Frame) {
        if let Ride::Queue(r) = f.ride {
            if f.has(Frame::MEASURED) && f.parent.is_none() {
                cx.states().queue.queues[r.queue as usize]
                    .stats
                    .in_queue_end += 1;
            }
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> QueuesRep {
        let plans = &cx.plans().queue.queues;
        let st = &mut cx.states().queue;
        let mut rep = QueuesRep {
            backlog: std::mem::take(&mut st.backlog),
            oldest_age: std::mem::take(&mut st.oldest_age),
            ..Default::default()
        };
        for (q, s) in st.queues.iter().enumerate() {
            let r = &s.stats;
            if r.published != r.delivered + r.dead_lettered + r.in_queue_end {
                fin.violations.push(format!(
                    "conservation: queue `{}`: published {} ≠ delivered {} + dead-lettered {} + in the queue at the end {}",
                    plans[q].name, r.published, r.delivered, r.dead_lettered, r.in_queue_end
                ));
            }
            // SQS bills every API call (sends, receives, deletes), per 64 KB of payload.
            rep.usage.push(QueueUsage {
                name: plans[q].name.clone(),
                requests: r.requests,
            });
            rep.queues.push(r.clone());
        }
        rep
    }
}

/// The publish of message `id` completes: it becomes visible and its publisher continues.
#[inline(never)]
fn published<'m, C: SimCx<'m>>(cx: &mut C, id: FrameId) {
    let now = cx.now();
    let Some(m) = cx.frames().get_mut(id) else {
        return;
    };
    let caller = m.parent;
    m.parent = FrameId::NONE;
    m.start = now;
    let Ride::Queue(r) = m.ride else {
        return;
    };
    let (q, born, measured, op) = (r.queue as usize, m.born, m.has(Frame::MEASURED), m.idx);
    let bytes = cx.topo().ops[op as usize].payload;
    let st = &mut cx.states().queue.queues[q];
    st.live += 1;
    if measured {
        st.stats.published += 1;
        st.stats.requests += super::chunks(bytes);
    }
    if r.owner.is_none() {
        st.push(born.ns(), id.to_bits());
        dispatch(cx, q);
        cx.child_done(caller, 0, 0);
    } else {
        // A choreographed saga hears of the publish before any consumer can answer.
        cx.child_done(caller, 0, 0);
        cx.states().queue.queues[q].push(born.ns(), id.to_bits());
        dispatch(cx, q);
    }
}

/// Hands visible messages of queue `q` to free consumer slots, a batch per slot: at once when
/// `batch_size` messages are visible or the queue has no batching window; otherwise once the
/// window that began when the poller started gathering has passed.
fn dispatch<'m, C: SimCx<'m>>(cx: &mut C, q: usize) {
    if cx.states().queue.queues[q].dispatching {
        return; // the outer loop keeps going
    }
    cx.states().queue.queues[q].dispatching = true;
    let plan = &cx.plans().queue.queues[q];
    let (vt, size, window) = (
        plan.visibility_timeout,
        plan.batch_size as usize,
        plan.batching_window,
    );
    loop {
        let now = cx.now().ns();
        let st = &mut cx.states().queue.queues[q];
        if st.busy >= st.consumers || st.backlog() == 0 {
            break;
        }
        if window > 0 && st.backlog() < size {
            let since = *st.gather_since.get_or_insert(now);
            if now < since + window {
                if !st.gather_armed {
                    st.gather_armed = true;
                    let gen = st.gather_gen;
                    cx.at(
                        since + window - now,
                        Event::Queue(Ev::Window(q as u32, gen)),
                    );
                }
                break;
            }
        }
        st.gather_since = None;
        st.gather_armed = false;
        st.gather_gen = st.gather_gen.wrapping_add(1);
        st.busy += 1;
        receive_batch(cx, q, size, vt);
    }
    cx.states().queue.queues[q].dispatching = false;
}

/// Receives up to `size` visible messages of queue `q` for the same consumer operation (the
/// oldest first; a slot is already taken) and invokes it once for them.
fn receive_batch<'m, C: SimCx<'m>>(cx: &mut C, q: usize, size: usize, vt: u64) {
    let now = cx.now();
    let mut members = std::mem::take(&mut cx.states().queue.scratch);
    members.clear();
    let mut op = u32::MAX;
    let mut leader = (FrameId::NONE, 0, false);
    while members.len() < size {
        let Some(bits) = cx.states().queue.queues[q].peek() else {
            break;
        };
        let id = FrameId::from_bits(bits);
        let Some(m) = cx.frames().get_mut(id) else {
            cx.states().queue.queues[q].pop();
            continue;
        };
        if op != u32::MAX && m.idx != op {
            break; // a batch goes to one consumer operation
        }
        let Ride::Queue(r) = &mut m.ride else {
            cx.states().queue.queues[q].pop();
            continue;
        };
        r.receives += 1;
        let (attempt, measured) = (r.receives, m.has(Frame::MEASURED));
        op = m.idx;
        let wait = now.since(m.start);
        cx.states().queue.queues[q].pop();
        if members.is_empty() {
            leader = (id, attempt, measured);
        }
        members.push(bits);
        if measured {
            let s = &mut cx.states().queue.queues[q].stats;
            s.receives += 1;
            s.wait_sum_ns += wait as f64;
            if attempt > 1 {
                s.redelivered += 1;
            }
        }
    }
    let (id, attempt, measured) = leader;
    if members.is_empty() {
        cx.states().queue.queues[q].busy -= 1;
        cx.states().queue.scratch = members;
        return;
    }
    let n = members.len() as u32;
    if measured {
        let bytes = cx.topo().ops[op as usize].payload;
        let s = &mut cx.states().queue.queues[q].stats;
        s.batches += 1;
        s.requests += receive_requests(u64::from(n), bytes);
    }
    let mut y = Frame::new(Kind::Op, id, op, u32::MAX);
    y.set(Frame::REMOTE, true);
    y.reps = n;
    let y = cx.frames().insert(y);
    for &bits in &members {
        if let Some(m) = cx.frames().get_mut(FrameId::from_bits(bits)) {
            m.child = y;
        }
    }
    if n > 1 {
        cx.states().queue.batches.insert(id.to_bits(), members);
    } else {
        cx.states().queue.scratch = members;
    }
    cx.at(vt, Event::Queue(Ev::Visibility(id, attempt)));
    let d = cx.hop();
    cx.send(y, d);
}

/// The visibility timeout of receive `attempt` of message (or batch leader) `msg` expired:
/// every message of its batch not deleted becomes visible again, or is dead-lettered.
#[inline(never)]
fn visibility_expired<'m, C: SimCx<'m>>(cx: &mut C, msg: FrameId, attempt: u32) {
    let now = cx.now();
    let Some(m) = cx.frames().get(msg).copied() else {
        return; // deleted
    };
    let Ride::Queue(r) = m.ride else {
        return;
    };
    if r.receives != attempt {
        return;
    }
    let q = r.queue as usize;
    let batch = if cx.plans().queue.queues[q].batch_size > 1 {
        cx.states().queue.batches.remove(&msg.to_bits())
    } else {
        None
    };
    let one = [msg.to_bits()];
    let members: &[u64] = batch.as_deref().unwrap_or(&one);
    if !m.child.is_none() {
        // Still being processed: the receive is abandoned, its late answer ignored.
        if let Some(x) = cx.frames().get_mut(m.child) {
            x.parent = FrameId::NONE;
        }
        cx.states().queue.queues[q].busy -= 1;
    }
    let max_receives = cx.plans().queue.queues[q].max_receives;
    for &bits in members {
        let id = FrameId::from_bits(bits);
        let Some(f) = cx.frames().get_mut(id) else {
            continue;
        };
        let in_flight = !f.child.is_none();
        f.child = FrameId::NONE;
        f.start = now;
        let Ride::Queue(r) = f.ride else {
            continue;
        };
        let (measured, born, consumer) = (f.has(Frame::MEASURED), f.born, f.idx);
        let st = &mut cx.states().queue.queues[q];
        if in_flight && measured {
            st.stats.expired_receives += 1;
        }
        if r.receives >= max_receives {
            cx.frames().remove(id);
            let st = &mut cx.states().queue.queues[q];
            st.live -= 1;
            if measured {
                st.stats.dead_lettered += 1;
                st.stats.finished_receives += u64::from(r.receives);
            }
            // A choreographed saga's step (or compensation) failed for good.
            if !r.owner.is_none() {
                let node = cx.topo().ops.get(consumer as usize).map_or(0, |o| o.node);
                cx.child_done(r.owner, Reason::Error as u8, node);
            }
        } else {
            st.push(born.ns(), bits);
        }
    }
    dispatch(cx, q);
}

impl Plan {
    /// The plan of the variant's `queues` (indexed like the scenario's queues).
    pub fn compile(queues: &[super::spec::Queue]) -> Plan {
        Plan {
            queues: queues
                .iter()
                .map(|q| QueuePlan {
                    name: q.name.clone(),
                    publish_latency: q.publish_latency.clone(),
                    visibility_timeout: q.visibility_timeout,
                    max_receives: q.max_receives.unwrap_or(u32::MAX),
                    consumers: q.consumers,
                    batch_size: q.batch_size,
                    batching_window: q.batching_window,
                    hosted: q.host.is_some(),
                })
                .collect(),
        }
    }
}
