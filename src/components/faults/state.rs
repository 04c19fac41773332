//! The fault state of one replication: which faults are active, which instances are down, and
//! the time each node spent with its instances up.

use super::{FaultKind, FaultPlan};
use crate::flow::Reason;
use crate::kernel::{Rng64, SimTime};
use rand::Rng;

/// What happens to a request reaching a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Nothing: admit it.
    Pass,
    /// Admit it after this delay \[ns\].
    Delay(u64),
    /// It fails with this reason, the failure beginning at the node.
    Fail(Reason),
}

/// Fault state of one replication. Node index `nodes` (one past the last node) is the gateway.
pub struct FaultState {
    /// Whether any fault is active or any instance down (the engine's one check on its fast
    /// path).
    pub any: bool,
    active: Vec<bool>,
    active_list: Vec<u32>,
    rng: Vec<Rng64>,
    /// Per station: number of reasons it is down (0 = up).
    pub station_down: Vec<u32>,
    /// Per node (and the gateway): instances up.
    pub node_up: Vec<u32>,
    node_instances: Vec<u32>,
    down_total: u32,
    /// Per node: ∫ instances up dt over the measured interval \[instance·ns\].
    pub up_area: Vec<f64>,
    /// Per node: time with no instance up in the measured interval \[ns\].
    pub none_up: Vec<f64>,
    /// Per node: ∫ instances up dt from the start of the run \[instance·ns\].
    up_total: Vec<f64>,
    last: Vec<u64>,
}

impl FaultState {
    /// The state at time 0: everything up, nothing active. `instances[n]` are the instances of
    /// node `n` (the gateway last, with 1); `rng[f]` is fault `f`'s stream.
    pub fn new(instances: Vec<u32>, stations: usize, faults: usize, rng: Vec<Rng64>) -> Self {
        let n = instances.len();
        FaultState {
            any: false,
            active: vec![false; faults],
            active_list: Vec::new(),
            rng,
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

    fn refresh(&mut self) {
        self.any = !self.active_list.is_empty() || self.down_total > 0;
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

    /// Marks fault `f` active or not.
    pub fn set_active(&mut self, f: u32, on: bool) {
        if self.active[f as usize] == on {
            return;
        }
        self.active[f as usize] = on;
        if on {
            self.active_list.push(f);
        } else {
            self.active_list.retain(|&x| x != f);
        }
        self.refresh();
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
        self.refresh();
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
        self.refresh();
        true
    }

    /// Whether station `s` is down.
    #[inline]
    pub fn is_down(&self, s: u32) -> bool {
        self.station_down.get(s as usize).is_some_and(|&d| d > 0)
    }

    /// Speed multiplier of node `node` from the active `slow` faults (1 when none).
    pub fn speed(&self, plans: &[FaultPlan], node: u32) -> f64 {
        let mut speed = 1.0;
        for &f in &self.active_list {
            let p = &plans[f as usize];
            if let FaultKind::Slow { factor } = p.kind {
                if p.nodes.contains(&node) {
                    speed /= factor;
                }
            }
        }
        speed
    }

    /// What happens to a request from `caller` (a node, or `None` for a client) reaching
    /// `node`.
    pub fn gate(&mut self, plans: &[FaultPlan], caller: Option<u32>, node: u32) -> Gate {
        if self.node_up[node as usize] == 0 {
            return Gate::Fail(Reason::Crashed);
        }
        let mut delay = 0u64;
        for i in 0..self.active_list.len() {
            let f = self.active_list[i] as usize;
            let p = &plans[f];
            match p.kind {
                FaultKind::Partition => {
                    if let Some(c) = caller {
                        let [a, b] = &p.groups;
                        if (a.contains(&c) && b.contains(&node))
                            || (b.contains(&c) && a.contains(&node))
                        {
                            return Gate::Fail(Reason::Error);
                        }
                    }
                }
                FaultKind::Error { rate } if p.nodes.contains(&node) => {
                    let u: f64 = self.rng[f].random();
                    if u < rate {
                        return Gate::Fail(Reason::Error);
                    }
                }
                FaultKind::Latency { added } if p.nodes.contains(&node) => delay += added,
                _ => {}
            }
        }
        if delay > 0 {
            Gate::Delay(delay)
        } else {
            Gate::Pass
        }
    }

    /// An exponential draw of mean `mean_ns` from fault `f`'s stream.
    pub fn exp_draw(&mut self, f: u32, mean_ns: u64) -> u64 {
        let u: f64 = self.rng[f as usize].random();
        (-(1.0 - u).ln() * mean_ns as f64 + 0.5) as u64
    }
}
