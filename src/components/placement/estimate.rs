//! Hosts in the analytic estimate (docs/semantics.md §4): the CPU phases of the instances
//! sharing a host's cores (placed on it without `cpu_limit`) are one queued station of the
//! host's shared cores, fed by every such instance's jobs and demand. For one core this is
//! exact for processor sharing whatever the mix of demands (each job is stretched by
//! 1/(1 − ρ)); for c cores it is exact with one exponential demand. A job of a shared instance
//! takes its host's slowdown; a node of shared instances takes the mean over its instances, and
//! its busy cores are counted over its instances' hosts' cores, as the engine reports them. An
//! instance with `cpu_limit` is a station of its own cores (estimated with its node). Each host
//! is also a node of the estimate: its utilization counts every instance on it over all its
//! cores; its mean response is that of its shared station. The instances' `workers` are not a
//! limit of the shared station.

use super::Placement;
use crate::components::contract::{Estimate, EstimateCx, NodeTerm, Service, Shape};
use crate::flow::topology::NO_HOST;

impl Estimate for Placement {
    /// Solves every host's shared station and sets its slowdown on the instances sharing it.
    fn on_loads<C: EstimateCx>(cx: &mut C) {
        for h in 0..cx.plans().placement.hosts.len() {
            let host = &cx.plans().placement.hosts[h];
            let sum = |stations: &[u32]| {
                stations.iter().fold((0.0, 0.0), |(j, d), &s| {
                    let (js, ds) = cx.load(s);
                    (j + js, d + ds)
                })
            };
            let (jobs, busy) = sum(&host.stations);
            let (shared_jobs, shared) = sum(&host.shared);
            let (name, cores, c) = (host.name.clone(), host.cores, host.shared_cores);
            let solved = (c > 0.0).then(|| {
                // No concurrency limit beyond the cores (workers stay per instance and are
                // ignored here), so only the utilization warning can fire.
                let shape = Shape {
                    instances: 1,
                    cores: c,
                    c,
                    limit_name: "cores",
                    limit: c.ceil() as u32,
                    queue: None,
                };
                cx.solve("host", &name, shape, shared_jobs, shared)
            });
            // Every core reserved by limits: nothing shares the host.
            let stretch = solved.and_then(|x| x.stretch);
            for i in 0..cx.plans().placement.hosts[h].shared.len() {
                let s = cx.plans().placement.hosts[h].shared[i];
                cx.set_stretch(s, stretch);
            }
            cx.host(NodeTerm {
                name,
                arrival_rate: jobs,
                utilization: busy / cores,
                response: solved.and_then(|x| x.response),
                cpu_demand: busy,
            });
        }
    }

    /// A node whose instances share their hosts' cores: the mean slowdown of its instances.
    fn service<C: EstimateCx>(cx: &C, node: usize) -> Option<Service> {
        let topo = cx.topo();
        let n = topo.nodes.get(node)?;
        let counted = cx.instances(node).min(n.instances);
        let stations = n.first_station..n.first_station + counted;
        if counted == 0
            || stations
                .clone()
                .all(|s| topo.stations[s as usize].host == NO_HOST)
        {
            return None;
        }
        let hosts = &cx.plans().placement.hosts;
        let mut cores = 0.0;
        let mut stretch = Some(0.0);
        for s in stations {
            let st = &topo.stations[s as usize];
            cores += hosts.get(st.host as usize).map_or(st.cores, |h| h.cores);
            stretch = stretch.zip(cx.stretch(s)).map(|(a, b)| a + b);
        }
        Some(Service::Shared {
            stretch: stretch.map(|k| k / f64::from(counted)),
            cores,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::estimate::testing::*;
    #[test]
    fn two_units_on_a_two_core_host_are_one_mm2_station() {
        // `a` and `b` (one instance each, exponential 10 ms) on one host of 2 cores, 60 + 40
        // requests/s: one M/M/2 at 100/s; each job is slowed by W/E[S] of that station.
        let e = estimate_of(
            r#"name = "h"
[network]
latency = "0s"
[workload]
duration = "10s"
[[workload.entries]]
name = "a"
op = "a.get"
arrival = { process = "poisson", rate = 60 }
[[workload.entries]]
name = "b"
op = "b.get"
arrival = { process = "poisson", rate = 40 }
[modules.a]
ops.get = { cpu = { dist = "exp", mean = "10ms" } }
[modules.b]
ops.get = { cpu = { dist = "exp", mean = "10ms" } }
[[variants]]
name = "v"
[[variants.hosts]]
name = "box"
cores = 2
[[variants.units]]
name = "a"
modules = ["a"]
host = "box"
[[variants.units]]
name = "b"
modules = ["b"]
host = "box"
"#,
        );
        let m = crate::analytic::mmc(100.0, 100.0, 2).expect("stable");
        let host = e.nodes.iter().find(|n| n.name == "box").expect("host");
        assert!((host.utilization - m.rho).abs() < 1e-12);
        assert!((host.mean_response_s.expect("stable") - m.w).abs() < 1e-12);
        for x in &e.entries {
            assert!((x.mean_latency_s.expect("stable") - m.w).abs() < 1e-12);
        }
        // Each unit's busy cores over its host's 2 cores.
        let a = e.nodes.iter().find(|n| n.name == "a").expect("a");
        assert!((a.utilization - 0.6 / 2.0).abs() < 1e-12);
    }
}
