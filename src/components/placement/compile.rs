//! Compiling placement: where each instance of a unit runs (a host's shared cores, its own
//! `cpu_limit`, a zone), and each host's plan.

use super::spec::{Host, Placement};
use super::HostPlan;
use crate::flow::topology::{NO_HOST, NO_ZONE};

/// Where one instance runs.
#[derive(Debug, Clone, Copy)]
pub struct Site {
    /// The host it is on, if any.
    pub host: Option<usize>,
    /// The host whose shared cores run its CPU ([`NO_HOST`]: cores of its own).
    pub shared_host: u32,
    /// Its zone ([`NO_ZONE`]: none).
    pub zone: u32,
    /// Its cores: the host's shared cores, its `cpu_limit`, or the unit's `cores`.
    pub cores: f64,
}

/// The instances placed on each host, collected while the units are compiled.
pub struct Hosts {
    stations: Vec<Vec<u32>>,
    shared: Vec<Vec<u32>>,
    limited: Vec<f64>,
}

impl Hosts {
    /// No instance yet on any of `hosts` hosts.
    pub fn new(hosts: usize) -> Hosts {
        Hosts {
            stations: vec![Vec::new(); hosts],
            shared: vec![Vec::new(); hosts],
            limited: vec![0.0; hosts],
        }
    }

    /// Instance `i` of a unit placed by `pl` (serverless units never share a host's cores)
    /// becomes station `station`; `cores` are the unit's own. Instances go round robin over the
    /// unit's hosts (or zones).
    pub fn place(
        &mut self,
        pl: &Placement,
        hosts: &[Host],
        i: usize,
        station: u32,
        serverless: bool,
        cores: f64,
    ) -> Site {
        let host = pl.hosts.get(i % pl.hosts.len().max(1)).copied();
        let zone = match host {
            Some(h) => hosts[h].zone,
            None => pl.zones.get(i % pl.zones.len().max(1)).copied(),
        }
        .map_or(NO_ZONE, |z| z as u32);
        let shared_host = match (host, pl.cpu_limit) {
            (Some(h), None) if !serverless => h as u32,
            _ => NO_HOST,
        };
        if let Some(h) = host {
            self.stations[h].push(station);
            if shared_host != NO_HOST {
                self.shared[h].push(station);
            } else if let Some(l) = pl.cpu_limit {
                self.limited[h] += l;
            }
        }
        Site {
            host,
            shared_host,
            zone,
            cores: match (host, pl.cpu_limit) {
                (Some(h), None) => hosts[h].cores,
                (_, Some(l)) => l,
                (None, None) => cores,
            },
        }
    }

    /// The plans of `hosts`, with the instances placed on them.
    pub fn finish(mut self, hosts: &[Host]) -> Vec<HostPlan> {
        hosts
            .iter()
            .enumerate()
            .map(|(h, x)| HostPlan {
                name: x.name.clone(),
                cores: x.cores,
                shared_cores: (x.cores - self.limited[h]).max(0.0),
                memory: x.memory,
                instance: x.instance.clone(),
                shared: std::mem::take(&mut self.shared[h]),
                stations: std::mem::take(&mut self.stations[h]),
                extra_memory: x.extra_memory,
            })
            .collect()
    }
}
