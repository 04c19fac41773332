//! Serverless functions in a replication: an invocation delivered to a function node takes an
//! instance (warm, provisioned or cold) or is throttled; a cold start delays it; it holds its
//! instance until its answer leaves; an invocation running past `max_duration` is killed.

use super::{Admission, FunctionPlan, FunctionRep, Functions};
use crate::components::contract::{Component, FinishCx, Frame, FrameId, Kind, SimCx};
use crate::components::{Event, Ride};
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::flow::Reason;
use crate::kernel::{Rng64, SimTime, StreamSeeder};
use std::collections::VecDeque;

/// The serverless-function component.
pub struct Function;

/// [`Plan::of_node`] of a node that is not a function.
pub const NO_FUNCTION: u32 = u32::MAX;

/// The functions of a variant (one per serverless unit, in unit order).
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every function.
    pub functions: Vec<FunctionPlan>,
    /// Per node: its index in `functions`, [`NO_FUNCTION`] for other nodes.
    pub of_node: Vec<u32>,
    /// Concurrent executions allowed for the whole variant.
    pub account_concurrency: u32,
}

/// The instance pools and, per function, the running invocations by deadline.
pub struct State {
    functions: Functions,
    cold_rng: Vec<Rng64>,
    /// Per function: running invocations `(deadline, frame)` in start order.
    running: Vec<VecDeque<(u64, FrameId)>>,
    /// Per function: a deadline event is pending.
    timer: Vec<bool>,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The cold start of an invocation is over.
    Ready(FrameId),
    /// The oldest running invocation of function `.0` may have reached its maximum duration.
    Deadline(u32),
}

/// What an invocation keeps on its op frame while it holds an instance.
#[derive(Clone, Copy, Debug)]
pub struct InvocationRide {
    /// It holds one of the provisioned instances.
    pub provisioned: bool,
    /// When it started running after any cold start \[ns\]; negative during its cold start.
    pub started: f64,
    /// Length of its cold start (the INIT phase), 0 on a warm instance \[ns\].
    pub init_ns: u64,
}

impl Component for Function {
    const PART: &'static str = "serverless (cold starts)";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = InvocationRide;
    /// Per function (indexed like [`Plan::functions`]).
    type Rep = Vec<FunctionRep>;

    fn start(plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> State {
        let n = plan.functions.len();
        State {
            functions: Functions::new(&plan.functions, plan.account_concurrency),
            cold_rng: (0..n)
                .map(|i| seeds.stream(purpose::COLD_START, i as u64))
                .collect(),
            running: vec![VecDeque::new(); n],
            timer: vec![false; n],
        }
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::Ready(x) => invoke(cx, x),
            Ev::Deadline(i) => deadline(cx, i as usize),
        }
    }

    fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
        let now = cx.now();
        let (plans, states) = (&cx.plans().function.functions, &mut cx.states().function);
        states.functions.reset_stats(plans, now);
    }

    fn on_deliver<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, s: u32, node: usize) -> bool {
        let i = cx.plans().function.of_node[node] as usize;
        let (now, measuring) = (cx.now(), cx.measuring());
        if measuring {
            cx.stations()[s as usize].stats.arrivals += 1;
        }
        let fr = cx.frames().get_mut(x).expect("frame delivered");
        fr.station = s;
        fr.start = now;
        let plan = &cx.plans().function.functions[i];
        match cx
            .states()
            .function
            .functions
            .admit(i, plan, now, measuring)
        {
            Admission::Throttled => {
                if measuring {
                    // Not admitted: the station's conservation counts it with the rejections;
                    // the node's `rejected` excludes throttles again.
                    cx.stations()[s as usize].stats.rejected += 1;
                }
                if let Some(f) = cx.frames().get_mut(x) {
                    f.fail = Reason::Throttled as u8;
                    f.fail_node = plan.node;
                }
                cx.respond(x);
            }
            adm => {
                cx.stations()[s as usize].enter(now);
                let fr = cx.frames().get_mut(x).expect("frame delivered");
                fr.set(Frame::IN_SYSTEM, true);
                let cold = adm == Admission::Cold;
                let d = if cold {
                    plan.cold_start
                        .sample_ns(&mut cx.states().function.cold_rng[i])
                } else {
                    0
                };
                let fr = cx.frames().get_mut(x).expect("frame delivered");
                fr.ride = Ride::Function(InvocationRide {
                    provisioned: adm == (Admission::Warm { provisioned: true }),
                    started: if cold { -1.0 } else { 0.0 },
                    init_ns: d,
                });
                if cold && d > 0 {
                    cx.at(d, Event::Function(Ev::Ready(x)));
                    return true;
                }
                invoke(cx, x);
            }
        }
        true
    }

    fn on_op_finish<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) {
        release(cx, x);
    }

    fn instances<'m, C: SimCx<'m>>(cx: &mut C, node: usize) -> Option<(u32, u32)> {
        let i = cx.plans().function.of_node[node] as usize;
        let now = cx.now();
        let plan = &cx.plans().function.functions[i];
        Some((cx.states().function.functions.instances(i, plan, now), 0))
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> Vec<FunctionRep> {
        let (now, measuring) = (cx.now(), cx.measuring());
        let plans = &cx.plans().function.functions;
        let reps = cx.states().function.functions.finish(plans, now, measuring);
        for (i, p) in cx.plans().function.functions.iter().enumerate() {
            let (n, f) = (p.node as usize, &reps[i]);
            fin.nodes[n].rejected -= f.throttles;
            let u = &mut fin.usage[n];
            u.invocations = f.invocations;
            u.billed_ms = f.billed_ms;
            u.billed_ms_provisioned = f.billed_ms_provisioned;
            u.billed_init_ms = f.billed_init_ms;
        }
        reps
    }
}

/// The function of the node where op frame `f` runs.
fn function_of<'m, C: SimCx<'m>>(cx: &C, f: &Frame) -> usize {
    let node = cx.topo().ops[f.idx as usize].node as usize;
    cx.plans().function.of_node[node] as usize
}

/// Invocation `x` starts running on its instance (after its cold start, if any).
#[inline(never)]
fn invoke<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) {
    let now = cx.now();
    let Some(f) = cx.frames().get_mut(x) else {
        return;
    };
    if let Ride::Function(r) = &mut f.ride {
        r.started = now.ns() as f64;
    }
    let f = *f;
    let i = function_of(cx, &f);
    let deadline = now
        .ns()
        .saturating_add(cx.plans().function.functions[i].max_duration);
    if deadline < cx.topo().end {
        let st = &mut cx.states().function;
        st.running[i].push_back((deadline, x));
        if !st.timer[i] {
            st.timer[i] = true;
            cx.at(deadline - now.ns(), Event::Function(Ev::Deadline(i as u32)));
        }
    }
    cx.op_begin(x);
}

/// Whether frame `x` is an invocation still running on a function instance.
fn alive<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) -> bool {
    cx.frames()
        .get(x)
        .is_some_and(|f| matches!(f.ride, Ride::Function(_)) && f.has(Frame::IN_SYSTEM))
}

/// The instance of invocation `x` is freed (it finished or was killed).
#[inline(never)]
fn release<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) {
    let (now, measuring) = (cx.now(), cx.measuring());
    let Some(f) = cx.frames().get_mut(x) else {
        return;
    };
    let Ride::Function(r) = std::mem::take(&mut f.ride) else {
        return;
    };
    let station = f.station;
    let node = cx.topo().stations[station as usize].node as usize;
    let i = cx.plans().function.of_node[node] as usize;
    let invoked = (r.started >= 0.0).then_some(SimTime(r.started as u64));
    cx.states()
        .function
        .functions
        .release(i, now, r.provisioned, invoked, r.init_ns, measuring);
    // Drop finished invocations from the front of the running list.
    while let Some(&(_, y)) = cx.states().function.running[i].front() {
        if alive(cx, y) {
            break;
        }
        cx.states().function.running[i].pop_front();
    }
}

/// The deadline timer of function `i` fired: kill every invocation past its maximum duration,
/// then wait for the next one.
#[inline(never)]
fn deadline<'m, C: SimCx<'m>>(cx: &mut C, i: usize) {
    cx.states().function.timer[i] = false;
    let now = cx.now().ns();
    while let Some(&(deadline, y)) = cx.states().function.running[i].front() {
        if !alive(cx, y) {
            cx.states().function.running[i].pop_front();
            continue;
        }
        if deadline > now {
            cx.states().function.timer[i] = true;
            cx.at(deadline - now, Event::Function(Ev::Deadline(i as u32)));
            return;
        }
        cx.states().function.running[i].pop_front();
        kill(cx, y, i);
    }
}

/// Invocation `x` of function `i` ran past its maximum duration: its instance is freed, it
/// answers its caller with `max_duration`, and whatever it still waits for is orphaned.
#[inline(never)]
fn kill<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, i: usize) {
    let (now, measuring, warmup) = (cx.now(), cx.measuring(), cx.topo().warmup);
    // Leave the station as a completion (the failure is the caller's to see).
    let Some(f) = cx.frames().get_mut(x) else {
        return;
    };
    f.set(Frame::IN_SYSTEM, false);
    let (start, station) = (f.start, f.station);
    let st = &mut cx.stations()[station as usize];
    st.leave(now);
    if measuring {
        st.stats.completions += 1;
        st.stats.residence_sum += now.since(start) as f64;
        if start.ns() < warmup {
            st.stats.residence_before += (warmup - start.ns()) as f64;
        }
    }
    release(cx, x);
    cx.states().function.functions.count_kill(i, measuring);
    // A fresh frame carries the failure back, so that late completions of the killed one
    // (its CPU phase, its calls) find nothing to continue.
    let Some(mut answer) = cx.frames().remove(x) else {
        return;
    };
    answer.fail = Reason::MaxDuration as u8;
    answer.fail_node = cx.plans().function.functions[i].node;
    answer.pending = 0;
    answer.set(Frame::SPAWNING | Frame::HOLDS_WORKER, false);
    let parent = answer.parent;
    let y = cx.frames().insert(answer);
    let frames = cx.frames();
    if matches!(
        frames.get(parent).map(|p| p.kind),
        Some(Kind::Call | Kind::Root)
    ) {
        if let Some(p) = frames.get_mut(parent) {
            p.child = y;
        }
    }
    cx.respond(y);
}
