//! Workflow executions in a replication. An execution is a tree of *thread* frames (component
//! frames carrying a [`WfRide`]): the root thread runs from the workflow's `start`; a
//! `parallel` state starts one child thread per branch and a `map` state one per item (at most
//! `concurrency` at once); a thread runs its states one after the other until a state without
//! `next` ends it, and answers its parent thread. See `docs/semantics.md`, "Workflows".
//!
//! Every state entered is one state transition, and so is every retry of a task's call. An execution that is still running when its
//! mode's limit (a year, 5 minutes) has passed since its start fails with `max_duration`: its
//! root frame is removed, and its other threads stop at their next state (their calls in
//! flight answer no one).

use super::{Mode, StateKind, WorkflowSpec, END};
use crate::components::contract::{CallGate, Component, FinishCx, Frame, FrameId, Kind, SimCx};
use crate::components::{Event, Ride};
use crate::flow::purpose;
use crate::flow::topology::{CallKind, Topology};
use crate::flow::Reason;
use crate::kernel::{Rng64, StreamSeeder};
use rand::Rng;

/// The workflow component.
pub struct Workflows;

/// One place an operation starts a workflow: a `{ workflow = "NAME" }` call.
#[derive(Debug, Clone)]
pub struct Site {
    /// The workflow (index in [`Plan::workflows`]).
    pub wf: u32,
    /// Whether the caller waits for the execution's end.
    pub wait: bool,
    /// The call of its first task state; task `k` is call `first_task + k`.
    pub first_task: u32,
}

/// The workflows of a variant.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every workflow of the scenario, in file order.
    pub workflows: Vec<WorkflowSpec>,
    /// Every site, indexed by the site call's `aux`.
    pub sites: Vec<Site>,
}

/// What a thread frame keeps.
#[derive(Clone, Copy, Debug)]
pub struct WfRide {
    /// The execution's root thread (this frame for the root).
    pub root: FrameId,
    /// The site that started the execution.
    pub site: u32,
    /// The state it is in ([`END`]: its branch is over).
    pub state: u32,
}

/// The component's events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The wait state of thread frame `0` is over.
    Wake(FrameId),
    /// The execution rooted at frame `0` reached its mode's limit.
    Limit(FrameId),
}

/// One workflow's figures in one replication.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WorkflowRep {
    /// Executions started in the measured interval (an express workflow's billed requests).
    pub started: u64,
    /// State transitions made in the measured interval (a standard workflow's billed usage).
    pub transitions: u64,
    /// Billed duration of the express executions that ended in the measured interval, each
    /// rounded up to 100 ms \[ms\].
    pub billed_ms: u64,
    /// Executions started in the measured interval that ended.
    pub finished: u64,
    /// Of those, the ones that succeeded.
    pub succeeded: u64,
    /// Of those, the failed ones by reason code (index = `Reason` code; 0 unused).
    pub failed: Vec<u64>,
    /// Sum of their state transitions.
    pub exec_transitions: u64,
    /// Sum of their durations \[ns\].
    pub duration_ns: f64,
    /// Failures caught by a `catch` (in executions started in the measured interval).
    pub caught: u64,
}

/// The workflows' figures in one replication (per workflow, as [`Plan::workflows`]).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WorkflowsRep {
    /// Per workflow.
    pub workflows: Vec<WorkflowRep>,
}

/// The workflows' state in one replication.
pub struct State {
    reps: Vec<WorkflowRep>,
    rng: Vec<Rng64>,
}

impl Component for Workflows {
    const PART: &'static str = "workflow (states and waits)";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = WfRide;
    type Rep = WorkflowsRep;

    fn start(plan: &Plan, _topo: &Topology, seeds: &StreamSeeder) -> State {
        let n = plan.workflows.len();
        State {
            reps: vec![
                WorkflowRep {
                    failed: vec![0; Reason::COUNT + 1],
                    ..Default::default()
                };
                n
            ],
            rng: (0..n)
                .map(|i| seeds.stream(purpose::WORKFLOW, i as u64))
                .collect(),
        }
    }

    fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
        // Usage counters restart; per-execution figures count executions started after
        // warm-up (their frames are marked).
        for r in &mut cx.states().workflow.reps {
            r.started = 0;
            r.transitions = 0;
            r.billed_ms = 0;
        }
    }

    /// Frame `x` starts an execution at site `aux` of call `c` (a task's call, which carries
    /// the workflow's bit for [`Component::on_attempt`], goes on as any call).
    fn on_call<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, c: u32) -> CallGate {
        let cp = &cx.topo().calls[c as usize];
        if cp.kind != CallKind::Component {
            return CallGate::Go;
        }
        let site_ix = cp.aux;
        let plan = &cx.plans().workflow;
        let site = &plan.sites[site_ix as usize];
        let w = &plan.workflows[site.wf as usize];
        let Some((op, station)) = cx.frames().get(x).map(|f| (f.idx, f.station)) else {
            return CallGate::Taken;
        };
        let mut f = Frame::new(Kind::Component, x, op, station);
        f.born = cx.now();
        f.set(Frame::MEASURED, cx.measuring());
        let id = cx.frames().insert(f);
        if let Some(f) = cx.frames().get_mut(id) {
            f.ride = Ride::Workflow(WfRide {
                root: id,
                site: site_ix,
                state: w.start,
            });
        }
        if cx.measuring() {
            cx.states().workflow.reps[site.wf as usize].started += 1;
        }
        cx.at(w.mode.limit_ns(), Event::Workflow(Ev::Limit(id)));
        if !site.wait {
            // The caller goes on at once (an asynchronous start).
            if let Some(f) = cx.frames().get_mut(id) {
                f.parent = FrameId::NONE;
            }
            cx.child_done(x, 0, 0);
        }
        run(cx, id);
        CallGate::Taken
    }

    /// An attempt of task call `c` starts: each one after the first (a retry) is one more
    /// state transition, as AWS counts a retry.
    fn on_attempt<'m, C: SimCx<'m>>(cx: &mut C, c: FrameId) -> bool {
        let Some((attempt, g)) = cx.frames().get(c).map(|f| (f.attempt, f.parent)) else {
            return true;
        };
        if attempt <= 1 {
            return true;
        }
        let Some(Ride::Workflow(r)) = cx.frames().get(g).map(|f| f.ride) else {
            return true;
        };
        let wf = cx.plans().workflow.sites[r.site as usize].wf as usize;
        if cx.measuring() {
            cx.states().workflow.reps[wf].transitions += 1;
        }
        if let Some(root) = cx.frames().get_mut(r.root) {
            root.attempt += 1;
        }
        true
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::Wake(g) => {
                let plans = cx.plans();
                let Some(f) = cx.frames().get_mut(g) else {
                    return;
                };
                if let Ride::Workflow(r) = &mut f.ride {
                    r.state = next_of(plans, *r);
                }
                run(cx, g);
            }
            Ev::Limit(root) => expire(cx, root),
        }
    }

    /// A task call or a child thread of thread frame `g` answered.
    fn on_child<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId, _x: FrameId, fail: u8, node: u32) {
        let plans = cx.plans();
        let (frames, states) = cx.split();
        let Some(f) = frames.get_mut(g) else {
            return;
        };
        let Ride::Workflow(mut r) = f.ride else {
            return;
        };
        f.pending -= 1;
        let st = state_of(plans, r);
        let is_task = matches!(st.kind, StateKind::Task { .. });
        if is_task {
            if fail == 0 {
                r.state = st.next;
            } else if st.catch != END {
                r.state = st.catch;
                if f.has(Frame::MEASURED) {
                    let wf = plans.workflow.sites[r.site as usize].wf as usize;
                    states.workflow.reps[wf].caught += 1;
                }
            } else {
                f.fail = fail;
                f.fail_node = node;
                r.state = END;
            }
            f.ride = Ride::Workflow(r);
        } else if fail != 0 && f.fail == 0 {
            // A branch or iteration failed: no further iteration starts.
            f.fail = fail;
            f.fail_node = node;
            f.reps = 0;
        }
        if f.has(Frame::SPAWNING) {
            return; // the thread's own loop goes on
        }
        if !is_task {
            fill(cx, g);
            let Some(f) = cx.frames().get(g) else {
                return;
            };
            if f.pending > 0 || f.reps > 0 {
                return;
            }
            join(cx, g);
        } else if f.pending > 0 {
            return;
        }
        run(cx, g);
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> WorkflowsRep {
        WorkflowsRep {
            workflows: std::mem::take(&mut cx.states().workflow.reps),
        }
    }
}

/// The state thread ride `r` is in (not [`END`]).
fn state_of(plans: &crate::components::Plans, r: WfRide) -> &super::StateSpec {
    let wf = plans.workflow.sites[r.site as usize].wf as usize;
    &plans.workflow.workflows[wf].states[r.state as usize]
}

/// The `next` of the state thread ride `r` is in.
fn next_of(plans: &crate::components::Plans, r: WfRide) -> u32 {
    state_of(plans, r).next
}

/// Runs thread frame `g` from its current state until it waits (a task, a wait, branches) or
/// its branch ends.
fn run<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let plans = cx.plans();
    loop {
        let measuring = cx.measuring();
        let Some(f) = cx.frames().get(g) else {
            return;
        };
        let Ride::Workflow(r) = f.ride else {
            return;
        };
        if r.root != g && cx.frames().get(r.root).is_none() {
            // The execution expired: the thread stops, and so does its parent.
            if let Some(f) = cx.frames().remove(g) {
                cx.child_done(f.parent, Reason::MaxDuration as u8, 0);
            }
            return;
        }
        if r.state == END {
            end(cx, g);
            return;
        }
        let site = &plans.workflow.sites[r.site as usize];
        let wf = site.wf as usize;
        let st = &plans.workflow.workflows[wf].states[r.state as usize];
        if measuring {
            cx.states().workflow.reps[wf].transitions += 1;
        }
        if let Some(root) = cx.frames().get_mut(r.root) {
            root.attempt += 1;
        }
        match &st.kind {
            StateKind::Task { task } => {
                let Some(f) = cx.frames().get_mut(g) else {
                    return;
                };
                f.pending = 1;
                f.set(Frame::SPAWNING, true);
                cx.start_call(g, site.first_task + task);
                let Some(f) = cx.frames().get_mut(g) else {
                    return;
                };
                f.set(Frame::SPAWNING, false);
                if f.pending > 0 {
                    return; // `on_child` goes on
                }
            }
            StateKind::Choice { branches, default } => {
                let u: f64 = cx.states().workflow.rng[wf].random();
                let mut acc = 0.0;
                let mut to = *default;
                for &(p, s) in branches {
                    acc += p;
                    if u < acc {
                        to = s;
                        break;
                    }
                }
                set_state(cx, g, to);
            }
            StateKind::Wait { duration } => {
                let d = duration.sample_ns(&mut cx.states().workflow.rng[wf]);
                if d > 0 {
                    cx.at(d, Event::Workflow(Ev::Wake(g)));
                    return;
                }
                set_state(cx, g, st.next);
            }
            StateKind::Parallel { branches } => {
                if let Some(f) = cx.frames().get_mut(g) {
                    f.fail = 0;
                    f.reps = 0;
                    f.pending = branches.len() as u32;
                    f.set(Frame::SPAWNING, true);
                }
                for &b in branches {
                    spawn(cx, g, r, b);
                }
                if !settle(cx, g) {
                    return;
                }
            }
            StateKind::Map { items, .. } => {
                let n = items
                    .sample(&mut cx.states().workflow.rng[wf])
                    .round()
                    .max(0.0);
                if let Some(f) = cx.frames().get_mut(g) {
                    f.fail = 0;
                    f.pending = 0;
                    f.reps = n.min(u32::MAX as f64) as u32;
                }
                fill(cx, g);
                if !settle(cx, g) {
                    return;
                }
            }
        }
    }
}

/// Sets the state of thread frame `g`.
fn set_state<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId, to: u32) {
    if let Some(f) = cx.frames().get_mut(g) {
        if let Ride::Workflow(r) = &mut f.ride {
            r.state = to;
        }
    }
}

/// After starting the branches of thread `g`: `true` when they all ended already (its state
/// then moved on), `false` when some are still running.
fn settle<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) -> bool {
    let Some(f) = cx.frames().get_mut(g) else {
        return false;
    };
    f.set(Frame::SPAWNING, false);
    if f.pending > 0 || f.reps > 0 {
        return false;
    }
    join(cx, g);
    true
}

/// Starts iterations of the map state of thread `g` while items are left and fewer than its
/// concurrency run.
fn fill<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let plans = cx.plans();
    loop {
        let Some(f) = cx.frames().get_mut(g) else {
            return;
        };
        let Ride::Workflow(r) = f.ride else {
            return;
        };
        let StateKind::Map {
            concurrency,
            iterator,
            ..
        } = state_of(plans, r).kind
        else {
            return;
        };
        if f.reps == 0 || f.pending >= concurrency {
            return;
        }
        f.reps -= 1;
        f.pending += 1;
        let was = f.has(Frame::SPAWNING);
        f.set(Frame::SPAWNING, true);
        spawn(cx, g, r, iterator);
        if let Some(f) = cx.frames().get_mut(g) {
            f.set(Frame::SPAWNING, was);
        }
    }
}

/// The branches of the parallel or map state of thread `g` have all ended: on to `next`, or
/// to `catch` (or the end of the thread, failed) when one failed.
fn join<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let plans = cx.plans();
    let Some(f) = cx.frames().get_mut(g) else {
        return;
    };
    let Ride::Workflow(mut r) = f.ride else {
        return;
    };
    let st = state_of(plans, r);
    let mut caught = false;
    r.state = if f.fail == 0 {
        st.next
    } else if st.catch != END {
        f.fail = 0;
        caught = true;
        st.catch
    } else {
        END
    };
    f.ride = Ride::Workflow(r);
    if caught && f.has(Frame::MEASURED) {
        let wf = plans.workflow.sites[r.site as usize].wf as usize;
        cx.states().workflow.reps[wf].caught += 1;
    }
}

/// Starts a child thread of thread `g` (ride `r`) at state `at`.
fn spawn<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId, r: WfRide, at: u32) {
    let now = cx.now();
    let Some(p) = cx.frames().get(g) else {
        return;
    };
    let mut f = Frame::new(Kind::Component, g, p.idx, p.station);
    f.born = now;
    f.set(Frame::MEASURED, p.has(Frame::MEASURED));
    f.ride = Ride::Workflow(WfRide { state: at, ..r });
    let id = cx.frames().insert(f);
    run(cx, id);
}

/// Thread `g`'s branch is over: a child thread answers its parent; the root ends the
/// execution (counted) and answers a waiting caller.
fn end<'m, C: SimCx<'m>>(cx: &mut C, g: FrameId) {
    let now = cx.now();
    let Some(f) = cx.frames().remove(g) else {
        return;
    };
    let Ride::Workflow(r) = f.ride else {
        return;
    };
    if r.root == g {
        let plans = cx.plans();
        let wf = plans.workflow.sites[r.site as usize].wf as usize;
        let mode = plans.workflow.workflows[wf].mode;
        count_end(cx, wf, mode, &f, now.since(f.born), f.fail);
    }
    cx.child_done(f.parent, f.fail, f.fail_node);
}

/// Counts the end of execution `f` of workflow `wf` after `dur` ns with `fail`.
fn count_end<'m, C: SimCx<'m>>(cx: &mut C, wf: usize, mode: Mode, f: &Frame, dur: u64, fail: u8) {
    let measuring = cx.measuring();
    let rep = &mut cx.states().workflow.reps[wf];
    if mode == Mode::Express && measuring {
        rep.billed_ms += billed_ms(dur);
    }
    if f.has(Frame::MEASURED) {
        rep.finished += 1;
        rep.exec_transitions += u64::from(f.attempt);
        rep.duration_ns += dur as f64;
        if fail == 0 {
            rep.succeeded += 1;
        } else if let Some(x) = rep.failed.get_mut(fail as usize) {
            *x += 1;
        }
    }
}

/// An express execution's billed duration: `ns` rounded up to the next 100 ms \[ms\].
pub fn billed_ms(ns: u64) -> u64 {
    ns.div_ceil(100_000_000) * 100
}

/// The execution rooted at `root` reached its mode's limit: if still running, it fails with
/// `max_duration` (its other threads stop at their next state).
fn expire<'m, C: SimCx<'m>>(cx: &mut C, root: FrameId) {
    let now = cx.now();
    let Some(f) = cx.frames().remove(root) else {
        return;
    };
    let Ride::Workflow(r) = f.ride else {
        return;
    };
    let plans = cx.plans();
    let wf = plans.workflow.sites[r.site as usize].wf as usize;
    let mode = plans.workflow.workflows[wf].mode;
    let reason = Reason::MaxDuration as u8;
    count_end(cx, wf, mode, &f, now.since(f.born), reason);
    let node = cx.topo().ops[f.idx as usize].node;
    cx.child_done(f.parent, reason, node);
}
