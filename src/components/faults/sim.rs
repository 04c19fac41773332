//! Faults in a replication: scheduled faults switch on and off at their times; random failures
//! take instances down and repair them after exponential times; an active fault acts on the
//! requests reaching its targets (an error, an added latency, a partition) or on the instances
//! themselves (a crash, a slowdown, an outage of a host or zone). Kubernetes instances restart
//! after their delay. See `docs/semantics.md`, "Faults".

use super::state::{FaultState, Gate};
use super::{EpisodeRep, FaultKind, FaultPlan};
use crate::components::contract::{Component, FinishCx, FrameId, Kind, SimCx};
use crate::components::{bit, Event};
use crate::flow::purpose;
use crate::flow::topology::{Topology, NO_HOST};
use crate::kernel::StreamSeeder;

/// The fault component.
pub struct Faults;

/// The faults of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every fault, compiled for the variant (the plain gateway is node `nodes.len()`).
    pub faults: Vec<FaultPlan>,
}

/// The active faults and the episodes of random failures.
pub struct State {
    fx: FaultState,
    /// Per fault: instances down because of it (random failures).
    down: Vec<u32>,
    /// Per fault: the start of the current episode \[ns\].
    since: Vec<u64>,
    episodes: Vec<EpisodeRep>,
    /// Random faults with an episode in progress.
    active_episodes: u32,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// Scheduled fault `f` starts (`on`) or ends.
    Fault {
        /// The fault.
        f: u32,
        /// Starts (`true`) or ends.
        on: bool,
    },
    /// Random fault `f` takes instance `station` down (`down`) or repairs it.
    Flip {
        /// The fault.
        f: u32,
        /// The instance.
        station: u32,
        /// Down (`true`) or repaired.
        down: bool,
    },
    /// Kubernetes: instance `station` restarts after its crash (fault `f`) ended.
    Restart {
        /// The fault.
        f: u32,
        /// The instance.
        station: u32,
    },
}

impl Component for Faults {
    const PART: &'static str = "injected faults (added latency)";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = ();
    /// Per fault (zeros for scheduled faults): the episodes of random failures.
    type Rep = Vec<EpisodeRep>;

    fn start(plan: &Plan, topo: &Topology, seeds: &StreamSeeder) -> State {
        let n = plan.faults.len();
        State {
            fx: FaultState::new(
                n,
                (0..n)
                    .map(|i| seeds.stream(purpose::FAULT, i as u64))
                    .collect(),
            ),
            down: vec![0; n],
            since: vec![0; n],
            episodes: (0..n)
                .map(|_| EpisodeRep {
                    failed_during: vec![0; topo.entries.len()],
                    ..Default::default()
                })
                .collect(),
            active_episodes: 0,
        }
    }

    fn tracks_failures(plan: &Plan) -> bool {
        !plan.faults.is_empty()
    }

    fn wants_outcomes(plan: &Plan) -> bool {
        plan.faults.iter().any(|f| f.random.is_some())
    }

    /// Schedules every fault: the first failure of every instance a random fault targets, the
    /// start and end of the others.
    fn on_start<'m, C: SimCx<'m>>(cx: &mut C) {
        let (topo, plans) = (cx.topo(), cx.plans());
        for (f, p) in plans.faults.faults.iter().enumerate() {
            let f = f as u32;
            if let Some(r) = p.random {
                for &n in &p.nodes {
                    let Some(node) = topo.nodes.get(n as usize) else {
                        continue;
                    };
                    for s in node.stations() {
                        let t = cx.states().faults.fx.exp_draw(f, r.mtbf);
                        if t < topo.end {
                            let ev = Ev::Flip {
                                f,
                                station: s,
                                down: true,
                            };
                            cx.at(t, Event::Faults(ev));
                        }
                    }
                }
                continue;
            }
            if p.start < topo.end {
                cx.at(p.start, Event::Faults(Ev::Fault { f, on: true }));
                if p.end < topo.end {
                    cx.at(p.end, Event::Faults(Ev::Fault { f, on: false }));
                }
            }
        }
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::Fault { f, on } => switch(cx, f, on),
            Ev::Flip { f, station, down } => flip(cx, f, station, down),
            Ev::Restart { f, station } => restart(cx, f, station),
        }
    }

    fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
        let now = cx.now().ns();
        let st = &mut cx.states().faults;
        for (f, ep) in st.episodes.iter_mut().enumerate() {
            *ep = EpisodeRep {
                episodes: (st.down[f] > 0) as u64,
                failed_during: vec![0; ep.failed_during.len()],
                ..Default::default()
            };
            st.since[f] = st.since[f].max(now);
        }
    }

    /// What the active faults do to op frame `x` reaching `node` (`nodes.len()`: the plain
    /// gateway, reached from the client).
    fn on_gate<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, node: u32) -> Option<u64> {
        let caller = if node as usize == cx.topo().nodes.len() {
            None
        } else {
            caller_node(cx, x)
        };
        let plans = &cx.plans().faults.faults;
        match cx.states().faults.fx.gate(plans, caller, node) {
            Gate::Pass => Some(0),
            Gate::Delay(d) => Some(d),
            Gate::Fail(reason) => {
                cx.fail_frame(x, reason, node);
                None
            }
        }
    }

    /// A failed request answered inside an episode of random failures counts in it.
    fn on_outcome<'m, C: SimCx<'m>>(cx: &mut C, e: usize) {
        let st = &mut cx.states().faults;
        if st.active_episodes == 0 {
            return;
        }
        for f in 0..st.down.len() {
            if st.down[f] > 0 {
                st.episodes[f].failed_during[e] += 1;
            }
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> Vec<EpisodeRep> {
        let (now, warmup) = (cx.now().ns(), cx.topo().warmup);
        let st = &mut cx.states().faults;
        for f in 0..st.episodes.len() {
            if st.down[f] > 0 {
                st.episodes[f].degraded_ns += now.saturating_sub(st.since[f].max(warmup)) as f64;
            }
        }
        std::mem::take(&mut st.episodes)
    }
}

/// The node of the caller of op frame `x` (not yet admitted), `None` for a client.
fn caller_node<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) -> Option<u32> {
    let f = *cx.frames().get(x)?;
    let s = if f.station != u32::MAX {
        f.station
    } else {
        let p = cx.frames().get(f.parent)?;
        if p.kind == Kind::Root {
            return None;
        }
        p.station
    };
    cx.topo().stations.get(s as usize).map(|st| st.node)
}

/// Marks fault `f` active or not, and the component as a gate while any fault is active.
fn set_active<'m, C: SimCx<'m>>(cx: &mut C, f: u32, on: bool) {
    let fx = &mut cx.states().faults.fx;
    fx.set_active(f, on);
    let any = fx.any_active();
    cx.gating(bit::faults, any);
}

/// Scheduled fault `f` starts (`on`) or ends.
#[cold]
#[inline(never)]
fn switch<'m, C: SimCx<'m>>(cx: &mut C, f: u32, on: bool) {
    let (topo, plans) = (cx.topo(), cx.plans());
    let p = &plans.faults.faults[f as usize];
    let now = cx.now();
    match p.kind {
        FaultKind::Crash => {
            let gw = topo.nodes.len() as u32;
            for &n in &p.nodes {
                let (first, count) = if n == gw {
                    (topo.stations.len() as u32, 1)
                } else {
                    let node = &topo.nodes[n as usize];
                    (node.first_station, node.instances.min(p.instances))
                };
                for s in first..first + count {
                    if on {
                        if cx.avail().down(s, n, now) && n != gw {
                            super::crash::crash(cx, s);
                        }
                    } else if n != gw && topo.nodes[n as usize].restart_delay > 0 {
                        let d = topo.nodes[n as usize].restart_delay;
                        cx.at(d, Event::Faults(Ev::Restart { f, station: s }));
                    } else {
                        super::crash::recover(cx, s, n);
                    }
                }
            }
        }
        FaultKind::Slow { .. } => {
            set_active(cx, f, on);
            for &n in &p.nodes {
                let Some(node) = topo.nodes.get(n as usize) else {
                    continue;
                };
                let factor = cx.states().faults.fx.speed(&plans.faults.faults, n);
                for s in node.stations() {
                    let speed = topo.stations[s as usize].speed * factor;
                    super::crash::set_speed(cx, s, speed);
                }
            }
        }
        FaultKind::CpuHog { .. } => {
            set_active(cx, f, on);
            hog(cx, f);
        }
        FaultKind::Error { .. } | FaultKind::Latency { .. } | FaultKind::Partition => {
            set_active(cx, f, on)
        }
        FaultKind::Outage { .. } => {
            // Every instance on the host or in the zone goes down or comes back.
            for &s in &p.stations {
                let n = topo.stations[s as usize].node;
                if on {
                    if cx.avail().down(s, n, now) {
                        super::crash::crash(cx, s);
                    }
                } else {
                    super::crash::recover(cx, s, n);
                }
            }
        }
    }
}

/// Random fault `f`: instance `s` fails (`down`) or is repaired; the next change is drawn.
#[cold]
#[inline(never)]
fn flip<'m, C: SimCx<'m>>(cx: &mut C, f: u32, s: u32, down: bool) {
    let topo = cx.topo();
    let Some(r) = cx.plans().faults.faults[f as usize].random else {
        return;
    };
    let node = topo.stations[s as usize].node;
    let now = cx.now();
    let next = if down {
        episode_step(cx, f, true);
        if cx.avail().down(s, node, now) {
            super::crash::crash(cx, s);
        }
        cx.states().faults.fx.exp_draw(f, r.mttr)
    } else if topo.nodes[node as usize].restart_delay > 0 {
        // Kubernetes: the instance restarts after its delay; the next failure is drawn then.
        let d = topo.nodes[node as usize].restart_delay;
        cx.at(d, Event::Faults(Ev::Restart { f, station: s }));
        return;
    } else {
        episode_step(cx, f, false);
        super::crash::recover(cx, s, node);
        cx.states().faults.fx.exp_draw(f, r.mtbf)
    };
    if now.ns().saturating_add(next) < topo.end {
        let ev = Ev::Flip {
            f,
            station: s,
            down: !down,
        };
        cx.at(next, Event::Faults(ev));
    }
}

/// Kubernetes: instance `s`, whose crash (fault `f`) ended `restart_delay` ago, restarts; a
/// random failure draws its next time to failure from now.
#[cold]
#[inline(never)]
fn restart<'m, C: SimCx<'m>>(cx: &mut C, f: u32, s: u32) {
    let node = cx.topo().stations[s as usize].node;
    let random = cx.plans().faults.faults[f as usize].random;
    if random.is_some() {
        episode_step(cx, f, false);
    }
    let now = cx.now();
    super::crash::recover(cx, s, node);
    if let Some(r) = random {
        let next = cx.states().faults.fx.exp_draw(f, r.mtbf);
        if now.ns().saturating_add(next) < cx.topo().end {
            let ev = Ev::Flip {
                f,
                station: s,
                down: true,
            };
            cx.at(next, Event::Faults(ev));
        }
    }
}

/// Random fault `f`: one more instance down (`down`) or one fewer; an episode starts when the
/// first goes down and ends when the last is back.
fn episode_step<'m, C: SimCx<'m>>(cx: &mut C, f: u32, down: bool) {
    let fi = f as usize;
    let (now, measuring, warmup) = (cx.now().ns(), cx.measuring(), cx.topo().warmup);
    let st = &mut cx.states().faults;
    if down {
        if st.down[fi] == 0 {
            st.since[fi] = now;
            st.active_episodes += 1;
            if measuring {
                st.episodes[fi].episodes += 1;
            }
        }
        st.down[fi] += 1;
        if measuring {
            st.episodes[fi].failures += 1;
        }
    } else if st.down[fi] > 0 {
        st.down[fi] -= 1;
        if st.down[fi] == 0 {
            st.active_episodes -= 1;
            if measuring {
                let from = st.since[fi].max(warmup);
                st.episodes[fi].degraded_ns += now.saturating_sub(from) as f64;
            }
        }
    }
}

/// Cores left when hogs take some: at least a millionth of a core, so that instances whose
/// cores every hog together took are starved (their jobs crawl) rather than stopped.
const STARVED_CORES: f64 = 1e-6;

/// `cpu_hog` fault `f` started or ended: every instance of its targets gets its cores less the
/// active hogs' (its own cores, or its host's shared cores less every hog on the host).
#[cold]
#[inline(never)]
fn hog<'m, C: SimCx<'m>>(cx: &mut C, f: u32) {
    let topo = cx.topo();
    let plans = cx.plans();
    let now = cx.now();
    for &n in &plans.faults.faults[f as usize].nodes {
        let Some(node) = topo.nodes.get(n as usize) else {
            continue;
        };
        for s in node.stations() {
            let h = topo.stations[s as usize].host;
            if h != NO_HOST {
                let host = &plans.placement.hosts[h as usize];
                let taken: f64 = host
                    .shared
                    .iter()
                    .map(|&x| {
                        let xn = topo.stations[x as usize].node;
                        cx.states().faults.fx.hog(&plans.faults.faults, xn)
                    })
                    .sum();
                let cores = (host.shared_cores - taken).max(STARVED_CORES);
                crate::components::placement::set_host_cores(cx, h, cores);
            } else {
                let taken = cx.states().faults.fx.hog(&plans.faults.faults, n);
                let cores = (topo.stations[s as usize].cores - taken).max(STARVED_CORES);
                if let Some(t) = cx.stations()[s as usize].set_cores(now, cores) {
                    cx.cpu_check(t, s);
                }
            }
        }
    }
}
