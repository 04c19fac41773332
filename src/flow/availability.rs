//! Which instances are up in one replication, and the time each node spent with its instances
//! up. Components take instances down and bring them back (faults, outages, autoscaling,
//! restarts); the engine sends requests only to instances that are up.
//!
//! An instance is down while it has at least one reason to be (a crash, an outage, an
//! autoscaler that has not started it…): reasons are counted, so overlapping ones compose.

use crate::kernel::SimTime;

/// Instances up and down. Node index `nodes` (one past the last node) is the plain gateway
/// (a delay, not a node), with one instance.
#[derive(Debug, Clone)]
pub struct Availability {
    /// Per station: number of reasons it is down (0 = up).
    station_down: Vec<u32>,
    /// Per node (and the gateway): instances up.
    node_up: Vec<u32>,
    node_instances: Vec<u32>,
    /// Stations down, all nodes together.
    down_total: u32,
    /// Per node: ∫ instances up dt over the measured interval \[instance·ns\].
    pub up_area: Vec<f64>,
    /// Per node: time with no instance up in the measured interval \[ns\].
    pub none_up: Vec<f64>,
    /// Per node: ∫ instances up dt from the start of the run \[instance·ns\].
    up_total: Vec<f64>,
    last: Vec<u64>,
}

impl Availability {
    /// Everything up at time 0. `instances[n]` are the instances of node `n` (the gateway last,
    /// with 1); `stations` counts every station (the gateway's last).
    pub fn new(instances: Vec<u32>, stations: usize) -> Self {
        let n = instances.len();
        Availability {
            station_down: vec![0; stations],
            node_up: instances.clone(),
            node_instances: instances,
            down_total: 0,
            up_area: vec![0.0; n],
            none_up: vec![0.0; n],
            up_total: vec![0.0; n],
            last: vec![0; n],
        }
    }

    /// Whether any instance is down (the engine's one check on its fast path).
    #[inline]
    pub fn any_down(&self) -> bool {
        self.down_total > 0
    }

    fn account(&mut self, node: usize, now: u64) {
        let dt = now.saturating_sub(self.last[node]) as f64;
        self.up_area[node] += self.node_up[node] as f64 * dt;
        self.up_total[node] += self.node_up[node] as f64 * dt;
        if self.node_up[node] == 0 {
            self.none_up[node] += dt;
        }
        self.last[node] = now;
    }

    /// Starts the measured interval at `now`.
    pub fn reset(&mut self, now: u64) {
        for n in 0..self.up_area.len() {
            self.account(n, now);
            self.up_area[n] = 0.0;
            self.none_up[n] = 0.0;
        }
    }

    /// Closes the integrals at `now` (end of run).
    pub fn close(&mut self, now: u64) {
        for n in 0..self.up_area.len() {
            self.account(n, now);
        }
    }

    /// ∫ instances up dt of node `n` from the start of the run to `now` \[instance·ns\].
    pub fn up_integral(&mut self, n: usize, now: u64) -> f64 {
        self.account(n, now);
        self.up_total[n]
    }

    /// Instances of node `n`.
    pub fn instances(&self, n: usize) -> u32 {
        self.node_instances[n]
    }

    /// Instances of node `n` up now.
    #[inline]
    pub fn up_count(&self, n: usize) -> u32 {
        self.node_up[n]
    }

    /// One more reason for station `s` of node `node` to be down. Returns `true` if it just went
    /// down.
    pub fn down(&mut self, s: u32, node: u32, now: SimTime) -> bool {
        let d = &mut self.station_down[s as usize];
        *d += 1;
        if *d > 1 {
            return false;
        }
        self.account(node as usize, now.ns());
        self.node_up[node as usize] -= 1;
        self.down_total += 1;
        true
    }

    /// One reason fewer for station `s` to be down. Returns `true` if it just came back up.
    pub fn up(&mut self, s: u32, node: u32, now: SimTime) -> bool {
        let d = &mut self.station_down[s as usize];
        if *d == 0 {
            return false;
        }
        *d -= 1;
        if *d > 0 {
            return false;
        }
        self.account(node as usize, now.ns());
        self.node_up[node as usize] += 1;
        self.down_total -= 1;
        true
    }

    /// Whether station `s` is down.
    #[inline]
    pub fn is_down(&self, s: u32) -> bool {
        self.station_down.get(s as usize).is_some_and(|&d| d > 0)
    }
}
