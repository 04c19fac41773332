//! Connection pools in a replication: a query leaving an instance with a pool takes a
//! connection of its pool for the database (FIFO wait, up to the acquire timeout), holds it
//! until its answer is back, and gives it to the oldest waiting query or back to the pool.

use super::Pool;
use crate::components::contract::{Component, FinishCx, Frame, FrameId, SimCx};
use crate::components::{Event, Ride};
use crate::flow::topology::{NodeKind, Topology};
use crate::flow::Reason;
use crate::kernel::StreamSeeder;

/// The connection-pool component.
pub struct Pools;

/// [`Plan::first`] of a station without pools.
pub const NO_POOL: u32 = u32::MAX;

/// One connection pool: of instance `station`, in front of database node `db`.
#[derive(Debug, Clone, Copy)]
pub struct PoolPlan {
    /// The unit instance holding it.
    pub station: u32,
    /// The database node.
    pub db: u32,
    /// Connections.
    pub size: u32,
    /// Longest wait for a connection \[ns\].
    pub acquire_timeout: u64,
}

/// The pools of a variant: one per instance of a unit with `pool` and per database; the pools
/// of station `s` are at `first[s] + (database node − first database node)`.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every pool.
    pub pools: Vec<PoolPlan>,
    /// Per station: its first pool, [`NO_POOL`] if it has none.
    pub first: Vec<u32>,
}

/// Per pool: its state; per node, the series.
pub struct State {
    pools: Vec<Pool>,
    saturation: Vec<Vec<f64>>,
    waiting: Vec<Vec<f64>>,
}

/// Its events.
#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// The acquire timeout of query `.0` waiting for a connection of pool `.1`.
    Timeout(FrameId, u32),
}

/// What a query keeps: the pool whose connection it holds or waits for.
#[derive(Clone, Copy, Debug)]
pub struct QueryRide {
    /// The pool.
    pub pool: u32,
    /// Still waiting for a connection.
    pub waiting: bool,
}

/// The figures of the pools of one unit over the measured interval.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PoolNodeRep {
    /// Connections of the unit's pools (all instances and databases), 0 = no pool.
    pub size: u32,
    /// Time-averaged connections in use, summed over the pools.
    pub in_use: f64,
    /// Time-averaged queries waiting for a connection, summed over the pools.
    pub waiting: f64,
    /// Connections acquired.
    pub acquires: u64,
    /// Mean wait of the acquired connections \[s\].
    pub wait_s: f64,
    /// Waits that ended in `pool_timeout`.
    pub timeouts: u64,
}

/// The pools' record of one replication (every vector empty when no unit has a pool).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PoolsRep {
    /// Per node: the figures of its pools (zeros for nodes without).
    pub nodes: Vec<PoolNodeRep>,
    /// Per node: connections in use / connections, per window.
    pub saturation: Vec<Vec<f64>>,
    /// Per node: time-averaged queries waiting for a connection, per window.
    pub waiting: Vec<Vec<f64>>,
}

impl Component for Pools {
    const PART: &'static str = "connection pool wait";
    type Plan = Plan;
    type State = State;
    type Event = Ev;
    type Ride = QueryRide;
    type Rep = PoolsRep;

    fn start(plan: &Plan, topo: &Topology, _seeds: &StreamSeeder) -> State {
        let series = if plan.pools.is_empty() {
            0
        } else {
            topo.nodes.len()
        };
        State {
            pools: plan.pools.iter().map(|p| Pool::new(p.size)).collect(),
            saturation: vec![Vec::new(); series],
            waiting: vec![Vec::new(); series],
        }
    }

    fn on_event<'m, C: SimCx<'m>>(cx: &mut C, ev: Ev) {
        let Ev::Timeout(y, p) = ev;
        timeout(cx, y, p);
    }

    fn on_warmup_end<'m, C: SimCx<'m>>(cx: &mut C) {
        let now = cx.now();
        for p in &mut cx.states().pool.pools {
            p.reset_stats(now);
        }
    }

    /// Query frame `y` asks for a connection of the pools of instance `caller`. A read
    /// redirected to a cache node holds no connection: the cache node queries the database on
    /// a miss.
    fn on_query<'m, C: SimCx<'m>>(cx: &mut C, y: FrameId, caller: u32) -> bool {
        let first = match cx.plans().pool.first.get(caller as usize) {
            Some(&f) if f != NO_POOL => f,
            _ => return false,
        };
        let Some(op) = cx.frames().get(y).map(|f| f.idx) else {
            return true;
        };
        let topo = cx.topo();
        let db = topo.ops[op as usize].node;
        if topo.nodes[db as usize].kind != NodeKind::Database {
            let d = cx.hop();
            cx.send(y, d);
            return true;
        }
        let p = first + (db - topo.db_base);
        let (now, measuring) = (cx.now(), cx.measuring());
        if let Some(f) = cx.frames().get_mut(y) {
            f.ride = Ride::Pool(QueryRide {
                pool: p,
                waiting: false,
            });
        }
        if cx.states().pool.pools[p as usize].acquire(now, y.to_bits(), measuring) {
            let d = cx.hop();
            cx.send(y, d);
        } else {
            if let Some(Ride::Pool(r)) = cx.frames().get_mut(y).map(|f| &mut f.ride) {
                r.waiting = true;
            }
            let t = cx.plans().pool.pools[p as usize].acquire_timeout;
            cx.at(t, Event::Pool(Ev::Timeout(y, p)));
        }
        true
    }

    /// A query of pool `p` is over (answered, or lost in a crash). One holding a connection
    /// gives it to the oldest query waiting, or back to the pool. One lost while still waiting
    /// held none: it stays in the queue, counted as waiting, until a release skips it (a
    /// waiting query is on no instance, so a crash does not drop it today; the check keeps the
    /// count of connections in use right should that change).
    fn on_ride_end<'m, C: SimCx<'m>>(cx: &mut C, _f: &Frame, ride: QueryRide, _dropped: bool) {
        if ride.waiting {
            return;
        }
        let p = ride.pool;
        let (now, measuring) = (cx.now(), cx.measuring());
        let (frames, states) = cx.split();
        let next = states.pool.pools[p as usize].release(now, measuring, |job| {
            frames.get(FrameId::from_bits(job)).is_some()
        });
        if let Some(job) = next {
            let y = FrameId::from_bits(job);
            if let Some(Ride::Pool(r)) = cx.frames().get_mut(y).map(|f| &mut f.ride) {
                r.waiting = false;
            }
            let d = cx.hop();
            cx.send(y, d);
        }
    }

    fn on_tick<'m, C: SimCx<'m>>(cx: &mut C, w: f64) {
        if cx.plans().pool.pools.is_empty() {
            return;
        }
        let now = cx.now();
        let topo = cx.topo();
        let n_nodes = topo.nodes.len();
        let mut in_use = vec![0.0; n_nodes];
        let mut waiting = vec![0.0; n_nodes];
        let mut size = vec![0u64; n_nodes];
        let plans = &cx.plans().pool.pools;
        let st = &mut cx.states().pool;
        for (plan, pool) in plans.iter().zip(&mut st.pools) {
            let n = topo.stations[plan.station as usize].node as usize;
            let (u, q) = pool.take_window(now);
            in_use[n] += u;
            waiting[n] += q;
            size[n] += plan.size as u64;
        }
        for n in 0..n_nodes {
            let sat = if size[n] > 0 && w > 0.0 {
                in_use[n] / (size[n] as f64 * w)
            } else {
                0.0
            };
            st.saturation[n].push(sat);
            st.waiting[n].push(waiting[n] / w);
        }
    }

    fn finish<'m, C: SimCx<'m>>(cx: &mut C, fin: &mut FinishCx<'_>) -> PoolsRep {
        let st = &mut cx.states().pool;
        let mut rep = PoolsRep {
            saturation: std::mem::take(&mut st.saturation),
            waiting: std::mem::take(&mut st.waiting),
            nodes: Vec::new(),
        };
        if cx.plans().pool.pools.is_empty() {
            return rep;
        }
        let now = cx.now();
        let topo = cx.topo();
        let t = fin.measured_ns;
        rep.nodes = vec![PoolNodeRep::default(); topo.nodes.len()];
        for (n, node) in topo.nodes.iter().enumerate() {
            if node.kind != NodeKind::Unit {
                continue;
            }
            let agg = &mut rep.nodes[n];
            let mut wait = 0.0;
            for (i, plan) in cx.plans().pool.pools.iter().enumerate() {
                if topo.stations[plan.station as usize].node as usize != n {
                    continue;
                }
                let s = cx.states().pool.pools[i].measured(now);
                agg.size += plan.size;
                agg.in_use += s.in_use_area / t;
                agg.waiting += s.waiting_area / t;
                agg.acquires += s.acquires;
                agg.timeouts += s.timeouts;
                wait += s.wait_sum;
            }
            agg.wait_s = if agg.acquires > 0 {
                wait / agg.acquires as f64 / 1e9
            } else {
                0.0
            };
        }
        rep
    }
}

/// The acquire timeout of query `y` on pool `p`: if it is still waiting, it fails
/// `pool_timeout` (origin: the unit holding the pool), without a network hop.
#[cold]
#[inline(never)]
fn timeout<'m, C: SimCx<'m>>(cx: &mut C, y: FrameId, p: u32) {
    let Some(f) = cx.frames().get(y) else {
        return;
    };
    match f.ride {
        Ride::Pool(r) if r.waiting && r.pool == p => {}
        _ => return,
    }
    let (now, measuring) = (cx.now(), cx.measuring());
    if !cx.states().pool.pools[p as usize].give_up(now, y.to_bits(), measuring) {
        return;
    }
    let station = cx.plans().pool.pools[p as usize].station;
    let node = cx.topo().stations[station as usize].node;
    if let Some(f) = cx.frames().get_mut(y) {
        f.ride = Ride::None; // holds no connection
        f.set(Frame::REMOTE, false); // never left the caller: no hop back
    }
    cx.fail_frame(y, Reason::PoolTimeout, node);
}
