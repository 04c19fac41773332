//! The fault state of one replication: which faults are active, and what they do to a request
//! reaching a node (which instances are down is `crate::flow::availability`).

use super::{FaultKind, FaultPlan};
use crate::flow::Reason;
use crate::kernel::Rng64;
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

/// Fault state of one replication.
pub struct FaultState {
    active: Vec<bool>,
    active_list: Vec<u32>,
    rng: Vec<Rng64>,
}

impl FaultState {
    /// Nothing active; `rng[f]` is fault `f`'s stream.
    pub fn new(faults: usize, rng: Vec<Rng64>) -> Self {
        FaultState {
            active: vec![false; faults],
            active_list: Vec::new(),
            rng,
        }
    }

    /// Whether any fault is active.
    #[inline]
    pub fn any_active(&self) -> bool {
        !self.active_list.is_empty()
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

    /// Cores burnt in each instance of node `node` by the active `cpu_hog` faults (0 when
    /// none).
    pub fn hog(&self, plans: &[FaultPlan], node: u32) -> f64 {
        self.active_list
            .iter()
            .map(|&f| &plans[f as usize])
            .filter(|p| p.nodes.contains(&node))
            .map(|p| match p.kind {
                FaultKind::CpuHog { cores } => cores,
                _ => 0.0,
            })
            .sum()
    }

    /// What the active faults do to a request from `caller` (a node, or `None` for a client)
    /// reaching `node` (one with an instance up).
    pub fn gate(&mut self, plans: &[FaultPlan], caller: Option<u32>, node: u32) -> Gate {
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
