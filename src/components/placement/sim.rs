//! Placement in a replication: instances sharing a host's cores, and hops between zones. See
//! `docs/semantics.md`, "Hosts, zones and replicas".
//!
//! - **Shared host cores.** The CPU phases of the instances placed on a host without a
//!   `cpu_limit` are jobs of one processor-sharing station per host with the host's cores left
//!   after the limited instances: n jobs on c cores progress at `min(1, c/n)` each, whichever
//!   instance they belong to. Workers, queues and admission stay per instance. Each instance's
//!   busy cores (its jobs × the host's per-job rate) are kept on its own station for the
//!   utilization, updated whenever the host's jobs change.
//! - **Zones.** A hop between instances in two different zones takes the network latency plus
//!   a draw of `cross_zone_latency`, and carries the callee operation's payload across zones
//!   (counted for the bill). The outbound extra is added once the target instance is chosen
//!   (admission is deferred by it), the return extra on the hop back.

use crate::components::contract::{Component, FinishCx, FrameId, Kind, SimCx};
use crate::components::Event;
use crate::flow::purpose;
use crate::flow::station::Station;
use crate::flow::topology::{Topology, NO_HOST, NO_ZONE};
use crate::flow::Reason;
use crate::kernel::dist::Dist;
use crate::kernel::{Rng64, StreamSeeder};

/// The placement component.
pub struct Placement;

/// One host of the variant: the instances placed on it without a `cpu_limit` share its cores
/// left after the limited ones, as one processor-sharing station.
#[derive(Debug, Clone)]
pub struct HostPlan {
    /// Name.
    pub name: String,
    /// Cores of the machine.
    pub cores: f64,
    /// Cores shared by the instances without a limit (`cores` − Σ `cpu_limit`).
    pub shared_cores: f64,
    /// Memory \[bytes\], if given.
    pub memory: Option<u64>,
    /// Its EC2 instance type (`None`: priced pro rata, nothing in the catalogue is that large).
    pub instance: Option<crate::spec::instances::Instance>,
    /// The instances (stations) sharing `shared_cores`.
    pub shared: Vec<u32>,
    /// Every instance (station) on the host.
    pub stations: Vec<u32>,
    /// Memory of the cache and broker servers on it \[bytes\].
    pub extra_memory: u64,
}

/// The placement of a variant.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Hosts.
    pub hosts: Vec<HostPlan>,
    /// Per node: placed on hosts (priced through its hosts, not per instance).
    pub hosted: Vec<bool>,
    /// One-way delay added to a hop between two zones \[ns\].
    pub cross_zone_latency: Dist,
}

/// The hosts' shared cores and the zone crossings.
pub struct State {
    hosts: Vec<Station>,
    /// Per station: its CPU phases running on its host's shared cores.
    host_jobs: Vec<u32>,
    zone_rng: Rng64,
    /// Bytes that crossed zones in the measured interval.
    cross_bytes: f64,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// A completion may be due on the shared cores of host `host`.
    HostCpu {
        /// The host.
        host: u32,
        /// The host station's epoch when scheduled (stale otherwise).
        epoch: u32,
    },
    /// Admission of op frame `.0` at instance `.1` after a cross-zone hop.
    AdmitAt(FrameId, u32),
}

/// The placement's record of one replication.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PlacementRep {
    /// Bytes that crossed zones in the measured interval (each direction counts) \[bytes\].
    pub cross_zone_bytes: f64,
}

impl Component for Placement {
    const PART: &'static str = "placement (cross-zone hops, host CPU)";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = ();
    type Rep = PlacementRep;

    fn start(plan: &Plan, topo: &Topology, seeds: &StreamSeeder) -> State {
        State {
            hosts: plan
                .hosts
                .iter()
                .map(|h| Station::new(h.shared_cores, 1.0, u32::MAX, u32::MAX, false))
                .collect(),
            host_jobs: vec![0; topo.stations.len()],
            zone_rng: seeds.stream(purpose::CROSS_ZONE, 0),
            cross_bytes: 0.0,
        }
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        match ev {
            Ev::HostCpu { host, epoch } => host_cpu(cx, host, epoch),
            Ev::AdmitAt(x, s) => {
                let Some(op) = cx.frames().get(x).map(|f| f.idx) else {
                    return;
                };
                let node = cx.topo().ops[op as usize].node as usize;
                if cx.avail().is_down(s) {
                    cx.fail_frame(x, Reason::Crashed, node as u32);
                    return;
                }
                cx.admit_at(x, node, s);
            }
        }
    }

    /// Starts a CPU phase of `work` ns for frame `f` of instance `s` on its host.
    fn on_cpu<'m, C: SimCx<'m>>(cx: &mut C, s: u32, f: FrameId, work: f64) -> bool {
        let h = cx.topo().stations[s as usize].host;
        if h == NO_HOST {
            return false;
        }
        let now = cx.now();
        let hs = &mut cx.states().placement.hosts[h as usize];
        if let Some(t) = hs.add_job(now, f.to_bits(), work) {
            let epoch = hs.epoch;
            cx.at_time(t, Event::Placement(Ev::HostCpu { host: h, epoch }));
        }
        cx.states().placement.host_jobs[s as usize] += 1;
        host_sync(cx, h as usize);
        true
    }

    /// Op frame `x`, sent to instance `s`: the outbound extra delay when the hop crossed
    /// zones; admission then happens after it.
    fn on_chosen<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId, s: u32) -> bool {
        let Some(c) = caller_station(cx, x) else {
            return false;
        };
        let Some(op) = cx.frames().get(x).map(|f| f.idx) else {
            return false;
        };
        match cross(cx, c, s, op) {
            Some(d) => {
                cx.at(d, Event::Placement(Ev::AdmitAt(x, s)));
                true
            }
            None => false,
        }
    }

    /// The return extra for the answer of op frame `x` (at its station) to its caller.
    fn on_respond<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) -> u64 {
        let Some(f) = cx.frames().get(x).copied() else {
            return 0;
        };
        let Some(c) = cx
            .frames()
            .get(f.parent)
            .filter(|p| matches!(p.kind, Kind::Op | Kind::Call))
            .map(|p| p.station)
        else {
            return 0;
        };
        cross(cx, f.station, c, f.idx).unwrap_or(0)
    }

    /// After instance `s` on shared host cores crashed (its frames removed): drops its jobs
    /// from the host and recounts the jobs of every instance there.
    fn on_crash<'m, C: SimCx<'m>>(cx: &mut C, s: u32) {
        let h = cx.topo().stations[s as usize].host;
        if h == NO_HOST {
            return;
        }
        let now = cx.now();
        let (frames, states) = cx.split();
        let hs = &mut states.placement.hosts[h as usize];
        let next = hs.retain_jobs(now, |job| frames.get(FrameId::from_bits(job)).is_some());
        let epoch = hs.epoch;
        if let Some(t) = next {
            cx.at_time(t, Event::Placement(Ev::HostCpu { host: h, epoch }));
        }
        for &x in &cx.plans().placement.hosts[h as usize].shared {
            cx.states().placement.host_jobs[x as usize] = 0;
        }
        let jobs: Vec<u64> = cx.states().placement.hosts[h as usize].ps_jobs().collect();
        for job in jobs {
            if let Some(st) = cx.frames().get(FrameId::from_bits(job)).map(|f| f.station) {
                cx.states().placement.host_jobs[st as usize] += 1;
            }
        }
        host_sync(cx, h as usize);
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, _fin: &mut FinishCx<'_>) -> PlacementRep {
        PlacementRep {
            cross_zone_bytes: cx.states().placement.cross_bytes,
        }
    }
}

/// Sets the shared cores of host `h` now (a `cpu_hog` fault on an instance sharing them took
/// some, or gave them back): the jobs in progress continue exactly at the new rate.
pub(crate) fn set_host_cores<'m, C: SimCx<'m>>(cx: &mut C, h: u32, cores: f64) {
    let now = cx.now();
    let hs = &mut cx.states().placement.hosts[h as usize];
    if let Some(t) = hs.set_cores(now, cores) {
        let epoch = hs.epoch;
        cx.at_time(t, Event::Placement(Ev::HostCpu { host: h, epoch }));
    }
    host_sync(cx, h as usize);
}

/// Completions on host `h`'s shared cores.
#[inline(never)]
fn host_cpu<'m, C: SimCx<'m>>(cx: &mut C, h: u32, epoch: u32) {
    let now = cx.now();
    {
        let hs = &mut cx.states().placement.hosts[h as usize];
        if hs.epoch != epoch || hs.scheduled != Some(now) {
            return; // stale
        }
        hs.scheduled = None;
    }
    while let Some(job) = cx.states().placement.hosts[h as usize].pop_finished(now) {
        let f = FrameId::from_bits(job);
        let Some(s) = cx.frames().get(f).map(|fr| fr.station) else {
            continue;
        };
        let k = &mut cx.states().placement.host_jobs[s as usize];
        *k = k.saturating_sub(1);
        host_sync(cx, h as usize);
        cx.cpu_done(f, s);
    }
    host_sync(cx, h as usize);
    let hs = &mut cx.states().placement.hosts[h as usize];
    if let Some(t) = hs.reschedule(now) {
        let epoch = hs.epoch;
        cx.at_time(t, Event::Placement(Ev::HostCpu { host: h, epoch }));
    }
}

/// Sets every sharing instance's busy cores from the host's current jobs.
fn host_sync<'m, C: SimCx<'m>>(cx: &mut C, h: usize) {
    let now = cx.now();
    let hs = &cx.states().placement.hosts[h];
    let n = hs.active() as f64;
    let share = if n > 0.0 {
        (hs.cores / n).min(1.0)
    } else {
        0.0
    };
    for &s in &cx.plans().placement.hosts[h].shared {
        let busy = cx.states().placement.host_jobs[s as usize] as f64 * share;
        cx.stations()[s as usize].set_ext_busy(now, busy);
    }
}

/// The instance op frame `x` (not yet admitted) was sent from, if it has one.
fn caller_station<'m, C: SimCx<'m>>(cx: &mut C, x: FrameId) -> Option<u32> {
    let f = *cx.frames().get(x)?;
    if f.station != u32::MAX {
        return Some(f.station);
    }
    let p = cx.frames().get(f.parent)?;
    match p.kind {
        Kind::Op | Kind::Call => Some(p.station),
        _ => None,
    }
}

/// A draw of the cross-zone extra when stations `a` and `b` are in different zones (and
/// counts the payload of operation `op` crossing), else `None`.
fn cross<'m, C: SimCx<'m>>(cx: &mut C, a: u32, b: u32, op: u32) -> Option<u64> {
    let topo = cx.topo();
    let za = topo.stations.get(a as usize)?.zone;
    let zb = topo.stations.get(b as usize)?.zone;
    if za == zb || za == NO_ZONE || zb == NO_ZONE {
        return None;
    }
    if cx.measuring() {
        cx.states().placement.cross_bytes += topo.ops[op as usize].payload;
    }
    let d = &cx.plans().placement.cross_zone_latency;
    Some(d.sample_ns(&mut cx.states().placement.zone_rng))
}
