//! Sagas in a replication: the forward steps run one after the other; when one fails, the
//! compensations of the steps already completed run in reverse order and the saga answers with
//! the original failure. See `docs/semantics.md`, "Sagas".
//!
//! A choreographed saga (every step a publish) makes the same moves through message queues:
//! each step (and compensation) is an event on its step's queue, consumed by its operation.
//! The queue tells the saga frame twice per event: when the publish completed, and when the
//! message was deleted (the step done) or dead-lettered (the step failed). The calling
//! operation waits only for the first publish; the saga frame then lives on its own.

use super::SagaRep;
use crate::components::contract::{
    CallGate, Component, FinishCx, Frame, FrameId, Kind, SimCx, DEGRADED,
};
use crate::components::Ride;
use crate::flow::topology::Topology;
use crate::kernel::StreamSeeder;

/// The saga component.
pub struct Sagas;

/// One compiled saga: forward calls `calls[first..first + len]`, and for forward step `i` its
/// compensation `calls[comp_first + i]` (whose `op` is `u32::MAX` when the step has none).
#[derive(Debug, Clone)]
pub struct SagaPlan {
    /// Name for results: the operation holding the saga (with `#k` for its k-th saga, k ≥ 2).
    pub name: String,
    /// First forward call.
    pub first: u32,
    /// Number of forward steps.
    pub len: u32,
    /// First compensation call.
    pub comp_first: u32,
    /// Choreographed: every forward and compensation call is a publish on the step's queue.
    pub choreo: bool,
}

/// The sagas of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every saga, indexed by the saga call's `aux`.
    pub sagas: Vec<SagaPlan>,
}

/// What a saga frame keeps.
#[derive(Clone, Copy, Debug)]
pub struct SagaRide {
    /// The saga.
    pub saga: u32,
    /// 0 forward, 1 compensating, 2 compensating after a failed compensation.
    pub phase: u8,
    /// Compensations that succeeded so far.
    pub closed: u16,
    /// Compensation calls answered so far.
    pub comps: u16,
    /// Those that failed.
    pub comp_fails: u16,
    /// Inconsistency windows so far \[ns\]: minus the commit time (since the saga began) of
    /// each completed step that has a compensation, plus the end time of each compensation
    /// that succeeded; once every such step is compensated, the sum of their windows.
    pub window: i64,
    /// Choreographed: events published so far (forward and compensation).
    pub msgs: u16,
}

impl Component for Sagas {
    const PART: &'static str = "saga (steps and compensations)";
    type Plan = Plan;
    /// Per saga: its outcomes so far.
    type State = Vec<SagaRep>;
    type Event = ();
    type Ride = SagaRide;
    /// Per saga (indexed like [`Plan::sagas`]).
    type Rep = Vec<SagaRep>;

    fn start(plan: &Plan, _topo: &Topology, _seeds: &StreamSeeder) -> Vec<SagaRep> {
        vec![SagaRep::default(); plan.sagas.len()]
    }

    /// Frame `x` starts saga `aux` of call `c`.
    fn on_call<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, c: u32) -> CallGate {
        let g = cx.topo().calls[c as usize].aux;
        let Some((op, station)) = cx.frames().get(x).map(|f| (f.idx, f.station)) else {
            return CallGate::Taken;
        };
        // A choreographed saga lives in the queues, not in its caller's instance: a crash
        // there does not end it.
        let station = if cx.plans().saga.sagas[g as usize].choreo {
            u32::MAX
        } else {
            station
        };
        let mut f = Frame::new(Kind::Component, x, op, station);
        f.ride = Ride::Saga(SagaRide {
            saga: g,
            phase: 0,
            closed: 0,
            comps: 0,
            comp_fails: 0,
            window: 0,
            msgs: 0,
        });
        f.born = cx.now();
        f.set(Frame::MEASURED, cx.measuring());
        let id = cx.frames().insert(f);
        next(cx, id);
        CallGate::Taken
    }

    /// A step or compensation of saga frame `g` answered.
    fn on_child<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId, _x: FrameId, fail: u8, fail_node: u32) {
        let now = cx.now();
        let calls = &cx.topo().calls;
        let sagas = &cx.plans().saga.sagas;
        let Some(f) = cx.frames().get_mut(g) else {
            return;
        };
        f.pending -= 1;
        let since = now.since(f.born) as i64;
        let Ride::Saga(r) = &mut f.ride else {
            return;
        };
        if sagas[r.saga as usize].choreo && f.pending == 1 {
            // The event of the current step (or compensation) is published; the calling
            // operation, which waits for the first one only, goes on.
            r.msgs = r.msgs.saturating_add(1);
            let caller = f.parent;
            f.parent = FrameId::NONE;
            if !caller.is_none() {
                cx.child_done(caller, 0, 0);
            }
            return;
        }
        if fail == 0 {
            let plan = &sagas[r.saga as usize];
            if r.phase == 0 {
                // Forward step `pc − 1` committed: its window opens if it can be undone.
                if calls[(plan.comp_first + f.pc - 1) as usize].op != u32::MAX {
                    r.window -= since;
                }
            } else {
                // The compensation of step `pc` committed: its window closes.
                r.window += since;
                r.closed += 1;
            }
        }
        if r.phase != 0 {
            r.comps = r.comps.saturating_add(1);
            if fail != 0 {
                r.comp_fails = r.comp_fails.saturating_add(1);
            }
        }
        if fail != 0 {
            if r.phase == 0 {
                // Compensate the steps completed before this one, last first.
                r.phase = 1;
                f.fail = fail;
                f.fail_node = fail_node;
                f.start = now;
                f.pc -= 1;
            } else {
                r.phase = 2;
            }
        } else if fail_node == DEGRADED && f.fail == 0 {
            // A step answered by its fallback: the saga goes on, the request is degraded.
            f.fail_node = DEGRADED;
        }
        if f.pending == 0 && !f.has(Frame::SPAWNING) {
            next(cx, g);
        }
    }

    /// A measured saga still running at the end (a choreographed one waiting in a queue).
    fn at_end<'m, C: SimCx<'m>>(cx: &mut C, f: &Frame) {
        if let Ride::Saga(r) = f.ride {
            if f.has(Frame::MEASURED) {
                cx.states().saga[r.saga as usize].in_progress_end += 1;
            }
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> Vec<SagaRep> {
        std::mem::take(&mut cx.states().saga)
    }
}

/// Runs the next forward step or compensation of saga frame `g` until one is pending or the
/// saga ends.
fn next<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    loop {
        let calls = &cx.topo().calls;
        let sagas = &cx.plans().saga.sagas;
        let Some(f) = cx.frames().get_mut(g) else {
            return;
        };
        let Ride::Saga(r) = f.ride else {
            return;
        };
        let plan = &sagas[r.saga as usize];
        let call = if r.phase == 0 {
            if f.pc >= plan.len {
                end(cx, g);
                return;
            }
            f.pc += 1;
            plan.first + f.pc - 1
        } else {
            let mut next = None;
            while f.pc > 0 {
                f.pc -= 1;
                let c = plan.comp_first + f.pc;
                if calls[c as usize].op != u32::MAX {
                    next = Some(c);
                    break;
                }
            }
            match next {
                Some(c) => c,
                None => {
                    end(cx, g);
                    return;
                }
            }
        };
        // A choreographed call answers twice: published, then consumed (or dead-lettered).
        f.pending = if plan.choreo { 2 } else { 1 };
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
}

/// Saga frame `g` is over: counts its outcome and answers the calling operation.
fn end<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let now = cx.now();
    let Some(f) = cx.frames().remove(g) else {
        return;
    };
    let Ride::Saga(r) = f.ride else {
        return;
    };
    if f.has(Frame::MEASURED) {
        let rep = &mut cx.states().saga[r.saga as usize];
        match r.phase {
            0 => rep.committed += 1,
            1 => rep.compensated += 1,
            _ => rep.inconsistent += 1,
        }
        if r.phase > 0 {
            rep.compensation_ns += now.since(f.start) as f64;
        }
        rep.compensations += r.comps as u64;
        rep.messages += u64::from(r.msgs);
        rep.completion_ns += now.since(f.born) as f64;
        rep.compensation_failures += r.comp_fails as u64;
        if r.phase == 1 {
            rep.windows += r.closed as u64;
            rep.window_ns += r.window as f64;
        }
    }
    if !f.parent.is_none() {
        cx.child_done(f.parent, f.fail, f.fail_node);
    }
}
