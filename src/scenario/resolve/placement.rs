//! Hosts, zones and placement of a variant: `[[variants.hosts]]`, a unit's `host`, `hosts`,
//! `cpu_limit` and `zones`, a database's `zone` and `read_replicas` (see docs/format.md,
//! "Hosts and zones").

use super::{check_name, duplicates, int, num, size, Sink, MAX_CORES};
use crate::scenario::raw::{RawDatabase, RawUnit, RawVariant, Sp};
use crate::scenario::types::{Database, Host, Module, Platform, Unit};
use crate::spec::units::did_you_mean;

/// Most read replicas of a database (RDS PostgreSQL and Aurora allow 15).
pub const MAX_READ_REPLICAS: i64 = 15;

/// The index of zone `name`, added to `zones` on first use.
fn zone_id(zones: &mut Vec<String>, name: &str) -> usize {
    match zones.iter().position(|z| z == name) {
        Some(i) => i,
        None => {
            zones.push(name.to_string());
            zones.len() - 1
        }
    }
}

/// Resolves the hosts of variant `v` and the placement of its units and databases (already
/// resolved in `units` and `dbs`, in file order). Returns the hosts and the zone names.
pub(super) fn placement(
    s: &mut Sink<'_>,
    v: &RawVariant,
    vf: &str,
    modules: &[Module],
    units: &mut [Unit],
    dbs: &mut [Database],
) -> (Vec<Host>, Vec<String>) {
    let mut zones: Vec<String> = Vec::new();
    duplicates(
        s,
        v.hosts
            .iter()
            .enumerate()
            .map(|(i, h)| (&h.get().name, format!("{vf}.hosts[{i}].name"))),
        "host",
    );
    let mut hosts = Vec::new();
    for (hi, rh) in v.hosts.iter().enumerate() {
        let hf = format!("{vf}.hosts[{hi}]");
        let h = rh.get();
        check_name(s, &h.name, &format!("{hf}.name"), "host");
        let cores = num(
            s,
            &h.cores,
            &format!("{hf}.cores"),
            (0.0, false),
            MAX_CORES,
            "cores of the host",
        )
        .unwrap_or(1.0);
        let memory = h
            .memory
            .as_ref()
            .and_then(|m| size(s, m, &format!("{hf}.memory")));
        let zone = h.zone.as_ref().map(|z| {
            check_name(s, z, &format!("{hf}.zone"), "zone");
            zone_id(&mut zones, z.get())
        });
        hosts.push(Host {
            name: h.name.get().clone(),
            cores,
            memory,
            zone,
        });
    }
    let host_names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
    let host_ref = |s: &mut Sink<'_>, n: &Sp<String>, field: &str| -> Option<usize> {
        match host_names.iter().position(|h| *h == n.get().as_str()) {
            Some(i) => Some(i),
            None => {
                let help = if host_names.is_empty() {
                    "declare it with [[variants.hosts]] name = \"...\", cores = ...".to_string()
                } else {
                    let list = format!("hosts of this variant: {}", host_names.join(", "));
                    match did_you_mean(n.get(), host_names.iter().copied()) {
                        Some(m) => format!("did you mean `{m}`? {list}"),
                        None => list,
                    }
                };
                s.error(
                    n.span(),
                    field,
                    format!("`{}` is no host of this variant", n.get()),
                    Some(help),
                );
                None
            }
        }
    };
    // Cores taken by limited instances, and memory, per host.
    let mut limited = vec![0.0f64; hosts.len()];
    let mut shared = vec![false; hosts.len()];
    let mut memory = vec![0u64; hosts.len()];
    // The unit (index, cpu_limit span) whose limit first overflowed a host, for the message.
    for (ui, ru) in v.units.iter().enumerate() {
        let uf = format!("{vf}.units[{ui}]");
        let u: &RawUnit = ru.get();
        let unit = &mut units[ui];
        let mut list = Vec::new();
        match (&u.host, &u.hosts) {
            (Some(h), Some(hs)) => {
                s.error(
                    hs.span(),
                    format!("{uf}.hosts"),
                    "`host` and `hosts` both given",
                    Some("use `host` for one host, or `hosts` to spread the replicas".into()),
                );
                let _ = h;
            }
            (Some(h), None) => list.extend(host_ref(s, h, &format!("{uf}.host"))),
            (None, Some(hs)) => {
                if hs.get().is_empty() {
                    s.error(
                        hs.span(),
                        format!("{uf}.hosts"),
                        "`hosts` is empty",
                        Some("list at least one host, or remove the key".into()),
                    );
                }
                for (i, h) in hs.get().iter().enumerate() {
                    list.extend(host_ref(s, h, &format!("{uf}.hosts[{i}]")));
                }
            }
            (None, None) => {}
        }
        let on_host = u.host.is_some() || u.hosts.is_some();
        if on_host {
            if unit.platform == Platform::Serverless {
                let span = u.host.as_ref().map_or_else(
                    || u.hosts.as_ref().map_or(u.name.span(), |h| h.span()),
                    |h| h.span(),
                );
                s.error(
                    span,
                    format!("{uf}.host"),
                    "a serverless function runs on the provider's machines, not on a host",
                    None,
                );
            }
            if let Some(c) = &u.cores {
                s.error(
                    c.span(),
                    format!("{uf}.cores"),
                    "an instance on a host uses the host's cores; `cores` does not apply",
                    Some("set `cpu_limit` to cap the cores an instance may use".into()),
                );
            }
            if let Some(z) = &u.zones {
                s.error(
                    z.span(),
                    format!("{uf}.zones"),
                    "an instance on a host is in the host's zone; `zones` does not apply",
                    Some("give the hosts a `zone`".into()),
                );
            }
        }
        let cpu_limit = u.cpu_limit.as_ref().and_then(|c| {
            let f = format!("{uf}.cpu_limit");
            let x = num(
                s,
                c,
                &f,
                (0.0, false),
                MAX_CORES,
                "cores an instance may use",
            )?;
            if !on_host {
                s.error(
                    c.span(),
                    &f,
                    "`cpu_limit` is a container limit on a host; this unit has no `host`",
                    Some("place the unit with `host = \"...\"`, or use `cores`".into()),
                );
                return None;
            }
            Some(x)
        });
        let module_mem: u64 = unit.modules.iter().map(|&m| modules[m].memory).sum();
        if !list.is_empty() {
            // An autoscaled unit may run up to its `max` instances: they all need room.
            let n = match &unit.autoscale {
                Some(a) => a.max.max(unit.replicas.max(1)) as usize,
                None => unit.replicas.max(1) as usize,
            };
            for i in 0..n {
                let h = list[i % list.len()];
                match cpu_limit {
                    Some(l) => limited[h] += l,
                    None => shared[h] = true,
                }
                memory[h] += unit.base_memory + module_mem;
            }
            if unit.platform != Platform::Serverless {
                // Cores of an instance: its limit, else (for utilization) the host's.
                unit.cores = match cpu_limit {
                    Some(l) => l,
                    None => {
                        (0..n)
                            .map(|i| hosts[list[i % list.len()]].cores)
                            .sum::<f64>()
                            / n as f64
                    }
                };
            }
        }
        let mut zl = Vec::new();
        if let Some(zs) = &u.zones {
            if zs.get().is_empty() {
                s.error(
                    zs.span(),
                    format!("{uf}.zones"),
                    "`zones` is empty",
                    Some("list at least one zone, or remove the key".into()),
                );
            }
            for (i, z) in zs.get().iter().enumerate() {
                check_name(s, z, &format!("{uf}.zones[{i}]"), "zone");
                zl.push(zone_id(&mut zones, z.get()));
            }
        }
        unit.placement.hosts = list;
        unit.placement.cpu_limit = cpu_limit;
        unit.placement.zones = zl;
    }
    for (hi, h) in hosts.iter().enumerate() {
        let hf = format!("{vf}.hosts[{hi}]");
        let span = v.hosts[hi].get().cores.span();
        if limited[hi] > h.cores + 1e-9 {
            s.error(
                span.clone(),
                format!("{hf}.cores"),
                format!(
                    "the `cpu_limit`s of the instances on host `{}` add up to {} cores, more than its {}",
                    h.name, limited[hi], h.cores
                ),
                Some("raise the host's cores, lower the limits, or spread the replicas over more hosts".into()),
            );
        } else if shared[hi] && limited[hi] >= h.cores - 1e-9 {
            s.error(
                span,
                format!("{hf}.cores"),
                format!(
                    "the `cpu_limit`s on host `{}` take all its {} cores, leaving none for the instances without a limit",
                    h.name, h.cores
                ),
                Some("raise the host's cores or give every unit on it a `cpu_limit`".into()),
            );
        }
        if let (Some(mem), Some(rm)) = (h.memory, &v.hosts[hi].get().memory) {
            if memory[hi] > mem {
                s.error(
                    rm.span(),
                    format!("{hf}.memory"),
                    format!(
                        "the instances on host `{}` need {} MB (base_memory + module memory), more than its {} MB",
                        h.name,
                        memory[hi] as f64 / 1e6,
                        mem as f64 / 1e6
                    ),
                    Some("give the host more memory or move some replicas to another host".into()),
                );
            }
        }
    }
    for (di, rd) in v.databases.iter().enumerate() {
        let df = format!("{vf}.databases[{di}]");
        let d: &RawDatabase = rd.get();
        if let Some(r) = &d.read_replicas {
            if let Some(n) = int(
                s,
                r,
                &format!("{df}.read_replicas"),
                0,
                MAX_READ_REPLICAS,
                "read replicas of the database",
            ) {
                dbs[di].read_replicas = n as u32;
            }
        }
        if let Some(z) = &d.zone {
            check_name(s, z, &format!("{df}.zone"), "zone");
            dbs[di].zone = Some(zone_id(&mut zones, z.get()));
        }
    }
    (hosts, zones)
}
