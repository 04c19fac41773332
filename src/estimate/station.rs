//! The stations: every node of the compiled topology solved from its mean load — a queued
//! station (M/M/c per instance), an infinite server, or instances on shared host cores — and
//! the slowdown of a job there, for the latencies.

use super::{Est, NodeEstimate, NodeKind};
use crate::analytic::queueing;
use crate::components::contract::{Service, Shape, Solved};
use crate::flow::balance;
use crate::flow::topology::{self, Node};
use std::ops::Range;

/// Mean response \[s\] of an M/M/c-like station with per-instance arrival rate `lambda` \[1/s\],
/// mean job demand `s` \[s\] and `c` (possibly fractional) cores; `None` when unstable. For
/// c < 1 an M/G/1-PS server of speed c (exact for PS); for c > 1 a linear interpolation in c
/// between M/M/⌊c⌋ and M/M/⌈c⌉ at the same utilization (a heuristic, exact at integers).
pub(super) fn station_response(lambda: f64, s: f64, c: f64) -> Option<f64> {
    if s == 0.0 {
        return Some(0.0);
    }
    if !(s.is_finite() && lambda.is_finite() && c > 0.0) {
        return None;
    }
    if c < 1.0 {
        return queueing::mg1_ps(lambda, s / c).ok().map(|m| m.w);
    }
    let lo = c.floor();
    if c - lo < 1e-9 {
        return queueing::mmc(lambda, 1.0 / s, lo as u32).ok().map(|m| m.w);
    }
    // Fractional c > 1: interpolate between ⌊c⌋ and ⌈c⌉ servers at the same utilization.
    let rho = lambda * s / c;
    let hi = lo + 1.0;
    let w_lo = queueing::mmc(rho * lo / s, 1.0 / s, lo as u32).ok()?.w;
    let w_hi = queueing::mmc(rho * hi / s, 1.0 / s, hi as u32).ok()?.w;
    Some(w_lo + (c - lo) * (w_hi - w_lo))
}

/// A queued station fed `lambda` jobs per second with `demand` CPU seconds per second; warns
/// (as `{label} `{name}`: …`) when its utilization or its concurrency limit reaches 1.
pub(super) fn solve(
    label: &str,
    name: &str,
    shape: Shape,
    lambda: f64,
    demand: f64,
    warnings: &mut Vec<String>,
) -> Solved {
    let inst = f64::from(shape.instances.max(1));
    let utilization = demand / (inst * shape.cores);
    let consequence = match shape.queue {
        Some(q) => format!("requests will be rejected once its queue ({q} per instance) is full"),
        None => "the queue grows without bound".to_string(),
    };
    let mut stretch = None;
    let mut response = None;
    if lambda > 0.0 {
        let s = demand / lambda;
        let load = demand / (inst * shape.c);
        if utilization >= 1.0 || utilization.is_nan() {
            warnings.push(format!(
                "{label} `{name}`: utilization {utilization:.2} ≥ 1 — {consequence}"
            ));
        } else if load >= 1.0 || load.is_nan() {
            warnings.push(format!(
                "{label} `{name}`: its {} {} per instance are saturated (load {load:.2} ≥ 1) — \
                 {consequence}",
                shape.limit, shape.limit_name
            ));
        } else if let Some(w) = station_response(lambda / inst, s, shape.c) {
            response = Some(w);
            stretch = Some(if s > 0.0 { w / s } else { 1.0 });
        }
    } else {
        // No traffic: the no-load slowdown (a lone job runs at speed min(1, c)).
        stretch = Some(1.0 / shape.c.min(1.0));
    }
    Solved {
        utilization: if utilization.is_finite() {
            utilization
        } else {
            f64::MAX
        },
        response,
        stretch,
    }
}

/// The slowdown of a job at a node: one for all its jobs, or for a database with read
/// replicas one for the writes (on the primary) and one for the reads (on the replicas).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Slowdown {
    /// Of every job (the reads of a database with replicas); `None` when unstable.
    pub all: Option<f64>,
    /// Of the writes of a database with replicas.
    pub writes: Option<f64>,
}

/// The instances of a database with read replicas that serve its writes and its reads (as the
/// engine routes them, [`balance::serving`]); `None` for any other node, whose counted
/// instances share its load evenly.
pub(super) fn read_write(node: &Node) -> Option<(Range<u32>, Range<u32>)> {
    (node.kind == topology::NodeKind::Database && node.read_replicas > 0)
        .then(|| (balance::serving(node, true), balance::serving(node, false)))
}

/// The names the estimate gives a node's kind in its warnings, and its concurrency limit.
fn label(kind: topology::NodeKind) -> (&'static str, &'static str) {
    match kind {
        topology::NodeKind::Database => ("database", "connections"),
        k => (k.name(), "workers"),
    }
}

/// The kind of a node listed in the estimate (units, databases, the gateway node).
fn listed(kind: topology::NodeKind) -> Option<NodeKind> {
    match kind {
        topology::NodeKind::Unit => Some(NodeKind::Unit),
        topology::NodeKind::Database => Some(NodeKind::Database),
        topology::NodeKind::Gateway => Some(NodeKind::Gateway),
        _ => None,
    }
}

impl Est<'_> {
    /// Solves every node; returns the estimates of the listed ones, in topology order.
    pub(super) fn solve_nodes(&mut self) -> Vec<NodeEstimate> {
        let mut out = Vec::new();
        for n in 0..self.topo.nodes.len() {
            let (jobs, demand) = (self.load.jobs[n], self.load.demand[n]);
            let service = crate::components::terms::service(self, n);
            let (utilization, response, slow) = match service {
                Some(Service::Delay { speed }) => self.delay(jobs, demand, speed),
                Some(Service::Shared { stretch, cores }) => {
                    let response = (jobs > 0.0).then(|| stretch.map(|k| demand / jobs * k));
                    let slow = Slowdown {
                        all: stretch,
                        writes: stretch,
                    };
                    (demand / cores, response.flatten(), slow)
                }
                None => self.queued(n),
            };
            self.slow[n] = slow;
            let node = &self.topo.nodes[n];
            if let Some(kind) = listed(node.kind) {
                out.push(NodeEstimate {
                    name: node.name.clone(),
                    kind,
                    arrival_rate: jobs,
                    utilization,
                    mean_response_s: response,
                    cpu_demand_s_per_s: demand,
                });
            }
        }
        out
    }

    /// An infinite server whose jobs run at `speed`: utilization 0, no waiting.
    fn delay(&self, jobs: f64, demand: f64, speed: f64) -> (f64, Option<f64>, Slowdown) {
        let response = (jobs > 0.0).then(|| demand / jobs / speed);
        let k = Some(1.0 / speed);
        (
            0.0,
            response.filter(|x| x.is_finite()),
            Slowdown { all: k, writes: k },
        )
    }

    /// Node `n` as queued stations of its instances' cores and workers (see [`solve`]): its
    /// counted instances share its load evenly, except a database with read replicas, whose
    /// writes and reads each go to their instances ([`read_write`]). Unlimited cores and
    /// workers make an infinite server.
    fn queued(&mut self, n: usize) -> (f64, Option<f64>, Slowdown) {
        let node: &Node = &self.topo.nodes[n];
        let st = self.topo.stations[node.first_station as usize];
        let (jobs, demand) = (self.load.jobs[n], self.load.demand[n]);
        let workers = if st.workers == u32::MAX {
            f64::INFINITY
        } else {
            f64::from(st.workers)
        };
        let c = st.cores.min(workers);
        if c.is_infinite() {
            return self.delay(jobs, demand, st.speed);
        }
        let (label, limit_name) = label(node.kind);
        let shape = |instances: u32| Shape {
            instances,
            cores: st.cores,
            c,
            limit_name,
            limit: st.workers,
            queue: (st.queue != u32::MAX).then_some(st.queue),
        };
        let Some((writes, reads)) = read_write(node) else {
            let x = solve(
                label,
                &node.name,
                shape(self.counted[n]),
                jobs,
                demand,
                &mut self.warnings,
            );
            let slow = Slowdown {
                all: x.stretch,
                writes: x.stretch,
            };
            return (x.utilization, x.response, slow);
        };
        let (wj, wd) = (self.load.write_jobs[n], self.load.write_demand[n]);
        let name = &node.name;
        let w = solve(
            label,
            &format!("{name} (primary)"),
            shape(writes.len() as u32),
            wj,
            wd,
            &mut self.warnings,
        );
        let r = solve(
            label,
            &format!("{name} (read replicas)"),
            shape(reads.len() as u32),
            jobs - wj,
            demand - wd,
            &mut self.warnings,
        );
        let part = |j: f64, x: &Solved| {
            if j > 0.0 {
                x.response.map(|w| j * w)
            } else {
                Some(0.0)
            }
        };
        let response = if jobs > 0.0 {
            part(wj, &w)
                .zip(part(jobs - wj, &r))
                .map(|(a, b)| (a + b) / jobs)
        } else {
            None
        };
        let utilization = demand / (f64::from(node.instances) * st.cores);
        let slow = Slowdown {
            all: r.stretch,
            writes: w.stretch,
        };
        (utilization, response, slow)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn station_response_cases() {
        // Integral: M/M/3.
        let w = station_response(2.4, 1.0, 3.0).unwrap();
        assert!((w - queueing::mmc(2.4, 1.0, 3).unwrap().w).abs() < 1e-12);
        // Fractional below one: PS at speed c. λ = 1, S = 0.25, c = 0.5 ⇒ S/c = 0.5, ρ = 0.5.
        let w = station_response(1.0, 0.25, 0.5).unwrap();
        assert!((w - 1.0).abs() < 1e-12);
        // Fractional above one: between the neighbours at the same ρ.
        let w = station_response(1.5 * 0.8, 1.0, 1.5).unwrap();
        let w1 = queueing::mmc(0.8, 1.0, 1).unwrap().w;
        let w2 = queueing::mmc(1.6, 1.0, 2).unwrap().w;
        assert!(w < w1 && w > w2);
        // Unstable and zero demand.
        assert!(station_response(3.0, 1.0, 3.0).is_none());
        assert_eq!(station_response(3.0, 0.0, 3.0), Some(0.0));
    }
}
