//! Autoscaling in a replication (the decisions are in [`super::Scaler`]): periodic syncs that
//! measure the metric of an autoscaled unit's ready instances and start or remove instances;
//! start-up delays. See `docs/semantics.md`, "Autoscaling".

use super::{Autoscale, Metric, Phase, Scaler};
use crate::components::contract::{Component, FinishCx, SimCx};
use crate::components::Event;
use crate::flow::purpose;
use crate::flow::topology::Topology;
use crate::kernel::{Rng64, SimTime, StreamSeeder};

/// The autoscaler component.
pub struct Autoscaler;

/// [`Plan::of_node`] of a node without autoscaling.
pub const NO_AUTOSCALE: u32 = u32::MAX;

/// The autoscaling of one unit.
#[derive(Debug, Clone)]
pub struct AutoscalePlan {
    /// The unit's node index (its `instances` are the unit's `max`, allocated up front).
    pub node: u32,
    /// Instances ready at the start.
    pub initial: u32,
    /// The policy.
    pub spec: Autoscale,
}

/// The autoscaled units of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every autoscaled unit.
    pub scalers: Vec<AutoscalePlan>,
    /// Per node: its index in `scalers`, [`NO_AUTOSCALE`] for other nodes.
    pub of_node: Vec<u32>,
}

/// Per autoscaled unit: its state and start-up stream.
pub struct State {
    scalers: Vec<Scaler>,
    rng: Vec<Rng64>,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// Sync of autoscaler `.0`.
    Scale(u32),
    /// Instance `station` of an autoscaled unit, started as `generation`, is ready.
    Ready {
        /// The instance.
        station: u32,
        /// Its generation when started (stale otherwise).
        generation: u32,
    },
}

/// The figures of one autoscaled unit over the measured interval.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ScalerRep {
    /// Time-averaged instances provisioned (starting or ready).
    pub instances_mean: f64,
    /// Fewest instances provisioned.
    pub instances_min: u32,
    /// Most instances provisioned.
    pub instances_max: u32,
    /// Syncs that changed the instance count.
    pub scaling_events: u64,
}

impl Component for Autoscaler {
    const PART: &'static str = "autoscaler";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = ();
    /// Per autoscaled unit (indexed like [`Plan::scalers`]).
    type Rep = Vec<ScalerRep>;

    fn start(plan: &Plan, topo: &Topology, seeds: &StreamSeeder) -> State {
        State {
            scalers: plan
                .scalers
                .iter()
                .map(|p| Scaler::new(topo.nodes[p.node as usize].instances, p.initial))
                .collect(),
            rng: (0..plan.scalers.len())
                .map(|i| seeds.stream(purpose::AUTOSCALE, i as u64))
                .collect(),
        }
    }

    /// The instances beyond each unit's initial count are down (not provisioned); the first
    /// syncs are scheduled.
    fn on_start<'m, C: SimCx<'m>>(cx: &mut C) {
        let (topo, plans) = (cx.topo(), cx.plans());
        for (a, p) in plans.autoscaler.scalers.iter().enumerate() {
            let node = &topo.nodes[p.node as usize];
            for i in p.initial..node.instances {
                cx.avail()
                    .down(node.first_station + i, p.node, SimTime::ZERO);
            }
            if p.spec.period < topo.end {
                cx.at(p.spec.period, Event::Autoscaler(Ev::Scale(a as u32)));
            }
        }
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::Scale(a) => sync(cx, a),
            Ev::Ready {
                station,
                generation,
            } => ready(cx, station, generation),
        }
    }

    fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
        let now = cx.now().ns();
        for sc in &mut cx.states().autoscaler.scalers {
            sc.reset(now);
        }
    }

    /// Instances of the autoscaled unit `node` ready and starting now.
    fn instances<'m, C: SimCx<'m>>(cx: &mut C, node: usize) -> Option<(u32, u32)> {
        let a = cx.plans().autoscaler.of_node[node] as usize;
        let sc = &cx.states().autoscaler.scalers[a];
        let ready = sc.phase.iter().filter(|&&p| p == Phase::Ready).count() as u32;
        let starting = sc.phase.iter().filter(|&&p| p == Phase::Starting).count() as u32;
        Some((ready, starting))
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> Vec<ScalerRep> {
        let now = cx.now().ns();
        let t = fin.measured_ns;
        let plans = &cx.plans().autoscaler.scalers;
        let mut out = Vec::with_capacity(plans.len());
        for (sc, p) in cx.states().autoscaler.scalers.iter_mut().zip(plans) {
            sc.account(now);
            let rep = ScalerRep {
                instances_mean: sc.area / t,
                instances_min: sc.low,
                instances_max: sc.high,
                scaling_events: sc.events,
            };
            fin.usage[p.node as usize].instances_mean = rep.instances_mean;
            out.push(rep);
        }
        out
    }
}

/// Sync of autoscaler `a`: measure, decide, start or remove instances, schedule the next.
#[cold]
#[inline(never)]
fn sync<'m, C: SimCx<'m>>(cx: &mut C, a: u32) {
    let (topo, plans) = (cx.topo(), cx.plans());
    let p = &plans.autoscaler.scalers[a as usize];
    let node = &topo.nodes[p.node as usize];
    let (first, n) = (node.first_station, node.instances);
    let now = cx.now();
    let period = p.spec.period as f64;
    let mut usage = 0.0;
    let mut ready = 0u32;
    for i in 0..n {
        let s = first + i;
        let (busy, system) = cx.stations()[s as usize].integrals(now);
        let v = match p.spec.metric {
            Metric::Utilization(_) => busy / node.cores,
            Metric::InFlight(_) => system,
        };
        let up = !cx.avail().is_down(s);
        let sc = &mut cx.states().autoscaler.scalers[a as usize];
        let prev = std::mem::replace(&mut sc.last_integral[i as usize], v);
        if sc.phase[i as usize] == Phase::Ready && up {
            usage += (v - prev) / period;
            ready += 1;
        }
    }
    let sc = &mut cx.states().autoscaler.scalers[a as usize];
    let current = sc.provisioned;
    let desired = sc.recommend(&p.spec, now.ns(), (ready > 0).then_some(usage), current);
    if desired > current {
        scale_up(cx, a, p, desired - current);
    } else if desired < current {
        scale_down(cx, a, p, current - desired);
    }
    let measuring = cx.measuring();
    cx.states().autoscaler.scalers[a as usize].set_provisioned(now.ns(), desired, measuring);
    if now.ns().saturating_add(p.spec.period) < topo.end {
        cx.at(p.spec.period, Event::Autoscaler(Ev::Scale(a)));
    }
}

/// Starts `more` instances of autoscaler `a` (the lowest indices that are off).
fn scale_up<'m, C: SimCx<'m>>(cx: &mut C, a: u32, p: &AutoscalePlan, mut more: u32) {
    let node = &cx.topo().nodes[p.node as usize];
    let (first, n, end) = (node.first_station, node.instances, cx.topo().end);
    let now = cx.now();
    for i in 0..n {
        if more == 0 {
            break;
        }
        let ix = i as usize;
        let st = &mut cx.states().autoscaler;
        let sc = &mut st.scalers[a as usize];
        if sc.phase[ix] != Phase::Off {
            continue;
        }
        more -= 1;
        sc.phase[ix] = Phase::Starting;
        sc.generation[ix] = sc.generation[ix].wrapping_add(1);
        let generation = sc.generation[ix];
        let d = p.spec.startup.sample_ns(&mut st.rng[a as usize]);
        if d == 0 {
            ready(cx, first + i, generation);
        } else if now.ns().saturating_add(d) < end {
            cx.at(
                d,
                Event::Autoscaler(Ev::Ready {
                    station: first + i,
                    generation,
                }),
            );
        }
    }
}

/// Removes `fewer` instances of autoscaler `a`: starting ones first (highest index first),
/// then ready ones, which drain the requests they hold.
fn scale_down<'m, C: SimCx<'m>>(cx: &mut C, a: u32, p: &AutoscalePlan, mut fewer: u32) {
    let node = &cx.topo().nodes[p.node as usize];
    let (first, n) = (node.first_station, node.instances);
    let now = cx.now();
    for want in [Phase::Starting, Phase::Ready] {
        for i in (0..n).rev() {
            let sc = &mut cx.states().autoscaler.scalers[a as usize];
            if fewer == 0 {
                break;
            }
            let ix = i as usize;
            if sc.phase[ix] != want {
                continue;
            }
            fewer -= 1;
            sc.phase[ix] = Phase::Off;
            sc.generation[ix] = sc.generation[ix].wrapping_add(1);
            if want == Phase::Ready {
                // No new requests; the ones it holds finish (it drains).
                cx.avail().down(first + i, p.node, now);
            }
        }
    }
}

/// The start-up of instance `s` (started as `generation`) is over: it serves from now.
#[cold]
#[inline(never)]
fn ready<'m, C: SimCx<'m>>(cx: &mut C, s: u32, generation: u32) {
    let node = cx.topo().stations[s as usize].node;
    let nd = &cx.topo().nodes[node as usize];
    let a = cx.plans().autoscaler.of_node[node as usize] as usize;
    let sc = &mut cx.states().autoscaler.scalers[a];
    let ix = (s - nd.first_station) as usize;
    if sc.phase[ix] != Phase::Starting || sc.generation[ix] != generation {
        return; // removed while starting
    }
    sc.phase[ix] = Phase::Ready;
    let now = cx.now();
    cx.avail().up(s, node, now);
}
