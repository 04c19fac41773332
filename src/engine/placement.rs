//! Placement in the event loop: instances sharing a host's cores, hops between zones, read
//! replicas and host/zone outages. See `docs/semantics.md`, "Hosts, zones and replicas".
//!
//! - **Shared host cores.** The CPU phases of the instances placed on a host without a
//!   `cpu_limit` are jobs of one processor-sharing station per host (`Sim::hosts`) with the
//!   host's cores left after the limited instances: n jobs on c cores progress at
//!   `min(1, c/n)` each, whichever instance they belong to. Workers, queues and admission stay
//!   per instance. Each instance's busy cores (its jobs × the host's per-job rate) are kept
//!   on its own station for the utilization, updated whenever the host's jobs change.
//! - **Zones.** A hop between instances in two different zones takes the network latency plus
//!   a draw of `cross_zone_latency`, and carries the callee operation's payload across zones
//!   (counted for the bill). The outbound extra is added once the target instance is chosen
//!   (admission is deferred by it), the return extra on the hop back.

use super::{Ev, FrameId, Kind, Sim};
use crate::flow::Reason;
use crate::kernel::EventQueue;
use crate::model::{NodeKind, NO_HOST, NO_POOL, NO_ZONE};
use rand::Rng;

impl<Q: EventQueue<Ev> + Default> Sim<'_, Q> {
    // ---- shared host cores --------------------------------------------------------------

    /// Starts a CPU phase of `work` ns for frame `f` of instance `s` on its host `h`.
    #[inline(never)]
    pub(super) fn host_add_job(&mut self, h: u32, s: u32, f: FrameId, work: f64) {
        let now = self.now;
        let hs = &mut self.hosts[h as usize];
        if let Some(t) = hs.add_job(now, f.to_bits(), work) {
            let epoch = hs.epoch;
            self.queue.push(t, Ev::HostCpu { host: h, epoch });
        }
        self.host_jobs[s as usize] += 1;
        self.host_sync(h as usize);
    }

    /// Completions on host `h`'s shared cores.
    #[inline(never)]
    pub(super) fn on_host_cpu(&mut self, h: u32, epoch: u32) {
        let now = self.now;
        {
            let hs = &mut self.hosts[h as usize];
            if hs.epoch != epoch || hs.scheduled != Some(now) {
                return; // stale
            }
            hs.scheduled = None;
        }
        while let Some(job) = self.hosts[h as usize].pop_finished(now) {
            let f = FrameId::from_bits(job);
            let Some(s) = self.frames.get(f).map(|fr| fr.station) else {
                continue;
            };
            let k = &mut self.host_jobs[s as usize];
            *k = k.saturating_sub(1);
            self.host_sync(h as usize);
            self.cpu_done(f, s);
        }
        self.host_sync(h as usize);
        let hs = &mut self.hosts[h as usize];
        if let Some(t) = hs.reschedule(now) {
            let epoch = hs.epoch;
            self.queue.push(t, Ev::HostCpu { host: h, epoch });
        }
    }

    /// Sets every sharing instance's busy cores from the host's current jobs.
    fn host_sync(&mut self, h: usize) {
        let now = self.now;
        let hs = &self.hosts[h];
        let n = hs.active() as f64;
        let share = if n > 0.0 {
            (hs.cores / n).min(1.0)
        } else {
            0.0
        };
        for &s in &self.m.hosts[h].shared {
            let busy = self.host_jobs[s as usize] as f64 * share;
            self.stations[s as usize].set_ext_busy(now, busy);
        }
    }

    /// After instance `s` on shared host cores crashed (its frames removed): drops its jobs
    /// from the host and recounts the jobs of every instance there.
    #[inline(never)]
    pub(super) fn host_purge(&mut self, s: u32) {
        let h = self.m.stations[s as usize].host;
        if h == NO_HOST {
            return;
        }
        let now = self.now;
        let frames = &self.frames;
        let hs = &mut self.hosts[h as usize];
        if let Some(t) = hs.retain_jobs(now, |job| frames.get(FrameId::from_bits(job)).is_some()) {
            let epoch = hs.epoch;
            self.queue.push(t, Ev::HostCpu { host: h, epoch });
        }
        for &x in &self.m.hosts[h as usize].shared {
            self.host_jobs[x as usize] = 0;
        }
        let jobs: Vec<u64> = self.hosts[h as usize].ps_jobs().collect();
        for job in jobs {
            if let Some(fr) = self.frames.get(FrameId::from_bits(job)) {
                self.host_jobs[fr.station as usize] += 1;
            }
        }
        self.host_sync(h as usize);
    }

    // ---- zones ----------------------------------------------------------------------------

    /// The instance op frame `x` (not yet admitted) was sent from, if it has one.
    fn caller_station(&self, x: FrameId) -> Option<u32> {
        let f = self.frames.get(x)?;
        if f.station != u32::MAX {
            return Some(f.station);
        }
        let p = self.frames.get(f.parent)?;
        match p.kind {
            Kind::Op | Kind::Call => Some(p.station),
            _ => None,
        }
    }

    /// A draw of the cross-zone extra when stations `a` and `b` are in different zones (and
    /// counts the payload of operation `op` crossing), else `None`.
    fn cross(&mut self, a: u32, b: u32, op: u32) -> Option<u64> {
        let za = self.m.stations.get(a as usize)?.zone;
        let zb = self.m.stations.get(b as usize)?.zone;
        if za == zb || za == NO_ZONE || zb == NO_ZONE {
            return None;
        }
        if self.measuring {
            self.cross_bytes += self.m.ops[op as usize].payload;
        }
        Some(self.m.cross_zone_latency.sample_ns(&mut self.zone_rng))
    }

    /// Op frame `x`, sent to instance `s`: the outbound extra delay when the hop crossed zones
    /// (admission then happens at `Ev::AdmitAt` after it), else `None`.
    #[inline(never)]
    pub(super) fn zone_outbound(&mut self, x: FrameId, s: u32) -> Option<u64> {
        let c = self.caller_station(x)?;
        let op = self.frames.get(x)?.idx;
        self.cross(c, s, op)
    }

    /// The return extra for the answer of op frame `x` (at its station) to its caller.
    #[inline(never)]
    pub(super) fn zone_return(&mut self, x: FrameId) -> u64 {
        let Some(f) = self.frames.get(x) else {
            return 0;
        };
        let (s, op) = (f.station, f.idx);
        let Some(c) = self
            .frames
            .get(f.parent)
            .filter(|p| matches!(p.kind, Kind::Op | Kind::Call))
            .map(|p| p.station)
        else {
            return 0;
        };
        self.cross(s, c, op).unwrap_or(0)
    }

    /// Admission of op frame `x` at instance `s` after a cross-zone hop.
    #[inline(never)]
    pub(super) fn on_admit_at(&mut self, x: FrameId, s: u32) {
        let Some(op) = self.frames.get(x).map(|f| f.idx) else {
            return;
        };
        let node_ix = self.m.ops[op as usize].node as usize;
        if self.fx.any && self.fx.is_down(s) {
            self.fail_frame(x, Reason::Crashed, node_ix as u32);
            return;
        }
        self.admit_at(x, node_ix, s);
    }

    // ---- read replicas ------------------------------------------------------------------

    /// The instance of database node `node_ix` for op frame `x`: the primary for a write, a
    /// replica drawn at random for a read (among those up); `None` when it is down.
    #[inline(never)]
    pub(super) fn replica_pick(&mut self, x: FrameId, node_ix: usize) -> Option<u32> {
        let node = &self.m.nodes[node_ix];
        let first = node.first_station;
        let op = self.frames.get(x)?.idx as usize;
        if self.m.ops[op].write {
            return (!self.fx.is_down(first)).then_some(0);
        }
        let n = node.read_replicas;
        let up: u32 = (1..=n).filter(|&i| !self.fx.is_down(first + i)).count() as u32;
        if up == 0 {
            return None;
        }
        let mut j = self.routing_rng[node_ix].random_range(0..up);
        for i in 1..=n {
            if !self.fx.is_down(first + i) {
                if j == 0 {
                    return Some(i);
                }
                j -= 1;
            }
        }
        None
    }

    // ---- outages ----------------------------------------------------------------------------

    /// Outage fault `f` starts (`on`) or ends: every instance it lists goes down or comes back.
    #[cold]
    #[inline(never)]
    pub(super) fn on_outage(&mut self, f: u32, on: bool) {
        for i in 0..self.m.faults[f as usize].stations.len() {
            let s = self.m.faults[f as usize].stations[i];
            let n = self.m.stations[s as usize].node;
            if on {
                if self.fx.down(s, n, self.now) {
                    self.crash_station(s);
                }
            } else {
                self.fx.up(s, n, self.now);
            }
        }
    }
}

impl<Q: EventQueue<Ev> + Default> Sim<'_, Q> {
    // ---- connection pools -----------------------------------------------------------------

    /// Sends query frame `y` from caller instance `caller`: through the instance's pool for
    /// the database when it has one, else straight away (a hop).
    #[inline]
    pub(super) fn db_send(&mut self, y: FrameId, caller: u32) {
        if self.m.pooled {
            if let Some(&first) = self.m.pool_first.get(caller as usize) {
                if first != NO_POOL {
                    self.pool_acquire(y, first);
                    return;
                }
            }
        }
        let mut d = self.hop();
        if self.m.long_haul && caller == self.m.cdn_station {
            // A CDN miss: from the edge to the origin.
            d += self.m.client_latency.sample_ns(&mut self.haul_rng);
        }
        self.send(y, d);
    }

    /// Query frame `y` asks for a connection of the pools starting at `first`. A read
    /// redirected to a cache node holds no connection: the cache node queries the database
    /// on a miss.
    #[inline(never)]
    fn pool_acquire(&mut self, y: FrameId, first: u32) {
        let Some(op) = self.frames.get(y).map(|f| f.idx) else {
            return;
        };
        let db = self.m.ops[op as usize].node;
        if self.m.nodes[db as usize].kind != NodeKind::Database {
            let d = self.hop();
            self.send(y, d);
            return;
        }
        let p = first + (db - self.m.db_base);
        let now = self.now;
        let measuring = self.measuring;
        if let Some(f) = self.frames.get_mut(y) {
            f.attempt = p + 1;
        }
        if self.pools[p as usize].acquire(now, y.to_bits(), measuring) {
            let d = self.hop();
            self.send(y, d);
        } else {
            if let Some(f) = self.frames.get_mut(y) {
                f.pending = 1; // waiting for a connection
            }
            let t = self.m.pools[p as usize].acquire_timeout;
            self.at_cold(t, Ev::PoolTimeout(y, p));
        }
    }

    /// A query holding a connection of pool `p` is over: the connection goes to the oldest
    /// query waiting, or back to the pool.
    #[inline(never)]
    pub(super) fn pool_release(&mut self, p: u32) {
        let now = self.now;
        let measuring = self.measuring;
        let frames = &self.frames;
        let next = self.pools[p as usize].release(now, measuring, |job| {
            frames.get(FrameId::from_bits(job)).is_some()
        });
        if let Some(job) = next {
            let y = FrameId::from_bits(job);
            if let Some(f) = self.frames.get_mut(y) {
                f.pending = 0;
            }
            let d = self.hop();
            self.send(y, d);
        }
    }

    /// The acquire timeout of query `y` on pool `p`: if it is still waiting, it fails
    /// `pool_timeout` (origin: the unit holding the pool), without a network hop.
    #[cold]
    #[inline(never)]
    pub(super) fn on_pool_timeout(&mut self, y: FrameId, p: u32) {
        let Some(f) = self.frames.get(y) else {
            return;
        };
        if f.pending != 1 || f.attempt != p + 1 {
            return;
        }
        let (now, measuring) = (self.now, self.measuring);
        if !self.pools[p as usize].give_up(now, y.to_bits(), measuring) {
            return;
        }
        let station = self.m.pools[p as usize].station;
        let node = self.m.stations[station as usize].node;
        if let Some(f) = self.frames.get_mut(y) {
            f.pending = 0;
            f.attempt = 0; // holds no connection
            f.remote = false; // never left the caller: no hop back
        }
        self.fail_frame(y, Reason::PoolTimeout, node);
    }

    /// Ends a series window of length `w` \[ns\]: per node, connections in use / connections
    /// and queries waiting, time-averaged over the window (0 for nodes without pools).
    #[cold]
    #[inline(never)]
    pub(super) fn pool_window(&mut self, w: f64) {
        let now = self.now;
        let n_nodes = self.m.nodes.len();
        let mut in_use = vec![0.0; n_nodes];
        let mut waiting = vec![0.0; n_nodes];
        let mut size = vec![0u64; n_nodes];
        for (plan, pool) in self.m.pools.iter().zip(&mut self.pools) {
            let n = self.m.stations[plan.station as usize].node as usize;
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
            self.series.pool_saturation[n].push(sat);
            self.series.pool_waiting[n].push(waiting[n] / w);
        }
    }

    /// The pool figures of unit node `n` over the measured interval of length `t` \[ns\].
    pub(super) fn pool_figures(&self, n: usize, agg: &mut crate::flow::record::NodeRep, t: f64) {
        let now = self.now;
        let mut wait = 0.0;
        for (i, plan) in self.m.pools.iter().enumerate() {
            if self.m.stations[plan.station as usize].node as usize != n {
                continue;
            }
            let s = self.pools[i].measured(now);
            agg.pool_size += plan.size;
            agg.pool_in_use += s.in_use_area / t;
            agg.pool_waiting += s.waiting_area / t;
            agg.pool_acquires += s.acquires;
            agg.pool_timeouts += s.timeouts;
            wait += s.wait_sum;
        }
        agg.pool_wait_s = if agg.pool_acquires > 0 {
            wait / agg.pool_acquires as f64 / 1e9
        } else {
            0.0
        };
    }
}
