//! Hosts, zones and placement of a variant: `[[variants.hosts]]`, a unit's `host`, `hosts`,
//! `cpu_limit` and `zones`, a database's `zone` and `read_replicas` (see docs/format.md,
//! "Hosts and zones") → [`Host`]s, zone names and each unit's [`Placement`].

use super::raw::RawHost;
use super::spec::{Host, Placement};
use crate::spec::check::{check_name, duplicates, int, num, size};
use crate::spec::error::Sink;
use crate::spec::limits::MAX_CORES;
use crate::spec::names::NameList;
use crate::spec::raw::{Int, Num, Size, Sp};
use crate::spec::units::did_you_mean;

/// Most read replicas of a database (RDS PostgreSQL and Aurora allow 15).
pub const MAX_READ_REPLICAS: i64 = 15;

/// The placement keys of one unit (its table at `field`) and what placing it needs to know.
pub(crate) struct UnitKeys<'a> {
    /// Field path of the unit, e.g. `variants[0].units[1]`.
    pub field: String,
    /// `name`.
    pub name: &'a Sp<String>,
    /// `host`.
    pub host: Option<&'a Sp<String>>,
    /// `hosts`.
    pub hosts: Option<&'a Sp<Vec<Sp<String>>>>,
    /// `cpu_limit`.
    pub cpu_limit: Option<&'a Num>,
    /// `zones`.
    pub zones: Option<&'a Sp<Vec<Sp<String>>>>,
    /// `cores` (which does not apply on a host).
    pub cores: Option<&'a Num>,
    /// A serverless function (which runs on no host, and keeps its cores).
    pub serverless: bool,
    /// Instances that may run at once (an autoscaled unit's `max`): they all need room.
    pub instances: usize,
    /// Memory of one instance \[bytes\]: its runtime's and its modules'.
    pub memory: u64,
}

/// The placement keys of one database (its table at `field`).
pub(crate) struct DbKeys<'a> {
    /// Field path of the database, e.g. `variants[0].databases[0]`.
    pub field: String,
    /// `name`.
    pub name: &'a Sp<String>,
    /// `read_replicas`.
    pub read_replicas: Option<&'a Int>,
    /// `zone`.
    pub zone: Option<&'a Sp<String>>,
    /// `host`.
    pub host: Option<&'a Sp<String>>,
    /// `memory`.
    pub memory: Option<&'a Size>,
    /// `cpu_limit`.
    pub cpu_limit: Option<&'a Num>,
    /// `cores` (which does not apply on a host).
    pub cores: Option<&'a Num>,
    /// `pricing = "request"` (a managed service, never on a host), with its span.
    pub request_priced: Option<std::ops::Range<usize>>,
}

/// The placement keys of a cache node or a queue's broker (its table at `field`).
pub(crate) struct ProcKeys<'a> {
    /// Field path, e.g. `variants[0].caches[0]`.
    pub field: String,
    /// What it is, for messages: `"cache"` or `"queue"`.
    pub kind: &'static str,
    /// `name`.
    pub name: &'a Sp<String>,
    /// `host`.
    pub host: Option<&'a Sp<String>>,
    /// `memory`.
    pub memory: Option<&'a Size>,
}

/// A placed unit.
pub(crate) struct UnitPlaced {
    /// Where its instances run.
    pub placement: Placement,
    /// Cores of an instance on hosts (its `cpu_limit`, else the mean cores of its hosts, for
    /// utilization); `None` = its own `cores` stand.
    pub cores: Option<f64>,
}

/// A placed database.
pub(crate) struct DbPlaced {
    /// Its read replicas, if given and valid.
    pub read_replicas: Option<u32>,
    /// Its zone (index in the zones), if given.
    pub zone: Option<usize>,
    /// Its host, if given and valid.
    pub host: Option<usize>,
    /// Memory of its server on the host \[bytes\] (0 off a host).
    pub memory: u64,
    /// Its `cpu_limit` on the host.
    pub cpu_limit: Option<f64>,
    /// Cores of its server on the host (its limit, else the host's, for utilization); `None`
    /// off a host.
    pub cores: Option<f64>,
}

/// The placement of a variant: hosts, zone names (index = zone id, in order of first use:
/// hosts, units, databases), units and databases in file order.
pub(crate) struct Placed {
    /// The hosts.
    pub hosts: Vec<Host>,
    /// The zone names.
    pub zones: Vec<String>,
    /// The units, in the order of their keys.
    pub units: Vec<UnitPlaced>,
    /// The databases, in the order of their keys.
    pub dbs: Vec<DbPlaced>,
}

/// Resolves the hosts of the variant at field path `vf` and places its units and databases.
pub(crate) fn placement(
    s: &mut Sink<'_>,
    raw_hosts: &[Sp<RawHost>],
    vf: &str,
    units: &[UnitKeys<'_>],
    dbs: &[DbKeys<'_>],
    procs: &[ProcKeys<'_>],
) -> Placed {
    let mut p = Placer::new(s, raw_hosts, vf);
    let units = units.iter().map(|u| p.unit(s, u)).collect();
    let dbs = dbs.iter().map(|d| p.database(s, d)).collect();
    for x in procs {
        p.process(s, x);
    }
    p.check_hosts(s, raw_hosts, vf);
    Placed {
        hosts: p.hosts,
        zones: p.zones,
        units,
        dbs,
    }
}

/// The hosts and zones of a variant being filled.
struct Placer {
    hosts: Vec<Host>,
    zones: Vec<String>,
    /// Cores taken by instances with a `cpu_limit`, per host.
    limited: Vec<f64>,
    /// Whether an instance without a limit is on the host.
    shared: Vec<bool>,
    /// Memory of the instances on the host \[bytes\].
    memory: Vec<u64>,
    /// What is on each host and its memory, for messages: (`unit `app` (2 instances)`, bytes).
    contents: Vec<Vec<(String, u64)>>,
}

impl Placer {
    /// The hosts of `raw_hosts`, their zones first in the zone list.
    fn new(s: &mut Sink<'_>, raw_hosts: &[Sp<RawHost>], vf: &str) -> Placer {
        duplicates(
            s,
            raw_hosts
                .iter()
                .enumerate()
                .map(|(i, h)| (&h.get().name, format!("{vf}.hosts[{i}].name"))),
            "host",
        );
        let mut zones = Vec::new();
        let mut hosts = Vec::new();
        for (hi, rh) in raw_hosts.iter().enumerate() {
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
                instance: None,
                extra_memory: 0,
            });
        }
        let n = hosts.len();
        Placer {
            hosts,
            zones,
            limited: vec![0.0; n],
            shared: vec![false; n],
            memory: vec![0; n],
            contents: vec![Vec::new(); n],
        }
    }

    /// The index of host `n` of this variant, or a diagnostic at `field`.
    fn host_ref(&self, s: &mut Sink<'_>, n: &Sp<String>, field: &str) -> Option<usize> {
        let names: NameList<'_> = self.hosts.iter().map(|h| h.name.as_str()).collect();
        if let Some(i) = names.id(n.get()) {
            return Some(i);
        }
        let help = if names.is_empty() {
            "declare it with [[variants.hosts]] name = \"...\", cores = ...".to_string()
        } else {
            let list = format!("hosts of this variant: {}", names.names().join(", "));
            match did_you_mean(n.get(), names.names().iter().copied()) {
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

    /// The hosts unit `u` names with `host` or `hosts`.
    fn unit_hosts(&self, s: &mut Sink<'_>, u: &UnitKeys<'_>) -> Vec<usize> {
        let uf = &u.field;
        let mut list = Vec::new();
        match (u.host, u.hosts) {
            (Some(_), Some(hs)) => {
                s.error(
                    hs.span(),
                    format!("{uf}.hosts"),
                    "`host` and `hosts` both given",
                    Some("use `host` for one host, or `hosts` to spread the replicas".into()),
                );
            }
            (Some(h), None) => list.extend(self.host_ref(s, h, &format!("{uf}.host"))),
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
                    list.extend(self.host_ref(s, h, &format!("{uf}.hosts[{i}]")));
                }
            }
            (None, None) => {}
        }
        list
    }

    /// Places unit `u`: its hosts, container limit and zones; counts its instances against
    /// its hosts' cores and memory.
    fn unit(&mut self, s: &mut Sink<'_>, u: &UnitKeys<'_>) -> UnitPlaced {
        let uf = &u.field;
        let list = self.unit_hosts(s, u);
        let on_host = u.host.is_some() || u.hosts.is_some();
        if on_host {
            keys_off_host(s, u);
        }
        let cpu_limit = u.cpu_limit.and_then(|c| {
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
        let mut cores = None;
        if !list.is_empty() {
            let n = u.instances;
            let mut per_host = vec![0usize; self.hosts.len()];
            for i in 0..n {
                let h = list[i % list.len()];
                match cpu_limit {
                    Some(l) => self.limited[h] += l,
                    None => self.shared[h] = true,
                }
                self.memory[h] += u.memory;
                per_host[h] += 1;
            }
            for (h, &k) in per_host.iter().enumerate().filter(|(_, &k)| k > 0) {
                let what = match k {
                    1 => format!("unit `{}`", u.name.get()),
                    k => format!("unit `{}` ({k} instances)", u.name.get()),
                };
                self.contents[h].push((what, u.memory * k as u64));
            }
            if !u.serverless {
                // Cores of an instance: its limit, else (for utilization) the host's.
                cores = Some(match cpu_limit {
                    Some(l) => l,
                    None => {
                        (0..n)
                            .map(|i| self.hosts[list[i % list.len()]].cores)
                            .sum::<f64>()
                            / n as f64
                    }
                });
            }
        }
        let mut zl = Vec::new();
        if let Some(zs) = u.zones {
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
                zl.push(zone_id(&mut self.zones, z.get()));
            }
        }
        UnitPlaced {
            placement: Placement {
                hosts: list,
                cpu_limit,
                zones: zl,
            },
            cores,
        }
    }

    /// Checks that the instances placed on each host fit its cores and memory.
    fn check_hosts(&self, s: &mut Sink<'_>, raw_hosts: &[Sp<RawHost>], vf: &str) {
        for (hi, h) in self.hosts.iter().enumerate() {
            let hf = format!("{vf}.hosts[{hi}]");
            let span = raw_hosts[hi].get().cores.span();
            let limited = self.limited[hi];
            if limited > h.cores + 1e-9 {
                s.error(
                    span.clone(),
                    format!("{hf}.cores"),
                    format!(
                        "the `cpu_limit`s of the instances on host `{}` add up to {} cores, more than its {}",
                        h.name, limited, h.cores
                    ),
                    Some("raise the host's cores, lower the limits, or spread the replicas over more hosts".into()),
                );
            } else if self.shared[hi] && limited >= h.cores - 1e-9 {
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
            if let (Some(mem), Some(rm)) = (h.memory, &raw_hosts[hi].get().memory) {
                if self.memory[hi] > mem {
                    let parts: Vec<String> = self.contents[hi]
                        .iter()
                        .map(|(what, b)| format!("{what} {} MB", *b as f64 / 1e6))
                        .collect();
                    s.error(
                        rm.span(),
                        format!("{hf}.memory"),
                        format!(
                            "what runs on host `{}` needs {} MB ({}), more than its {} MB",
                            h.name,
                            self.memory[hi] as f64 / 1e6,
                            parts.join(", "),
                            mem as f64 / 1e6
                        ),
                        Some(
                            "give the host more memory, or move some of it to another host".into(),
                        ),
                    );
                }
            }
        }
    }

    /// A database's `read_replicas` and `zone`.
    fn database(&mut self, s: &mut Sink<'_>, d: &DbKeys<'_>) -> DbPlaced {
        let df = &d.field;
        let read_replicas = d.read_replicas.and_then(|r| {
            int(
                s,
                r,
                &format!("{df}.read_replicas"),
                0,
                MAX_READ_REPLICAS,
                "read replicas of the database",
            )
            .map(|n| n as u32)
        });
        let zone = d.zone.map(|z| {
            check_name(s, z, &format!("{df}.zone"), "zone");
            zone_id(&mut self.zones, z.get())
        });
        let mut placed = DbPlaced {
            read_replicas,
            zone,
            host: None,
            memory: 0,
            cpu_limit: None,
            cores: None,
        };
        let Some(hn) = d.host else {
            if let Some(m) = d.memory {
                s.error(
                    m.span(),
                    format!("{df}.memory"),
                    "`memory` sizes a database server on a host; this database has no `host` (a managed database is priced by its `cores`)",
                    Some("place it with `host = \"...\"`, or remove `memory`".into()),
                );
            }
            if let Some(c) = d.cpu_limit {
                s.error(
                    c.span(),
                    format!("{df}.cpu_limit"),
                    "`cpu_limit` is a container limit on a host; this database has no `host`",
                    Some("place it with `host = \"...\"`, or use `cores`".into()),
                );
            }
            return placed;
        };
        self.db_keys_off_host(s, d);
        let host = self.host_ref(s, hn, &format!("{df}.host"));
        let memory = self.process_memory(s, d.memory, df, hn, "database");
        let cpu_limit = d.cpu_limit.and_then(|c| {
            num(
                s,
                c,
                &format!("{df}.cpu_limit"),
                (0.0, false),
                MAX_CORES,
                "cores the database server may use",
            )
        });
        if let Some(h) = host {
            let copies = 1 + read_replicas.unwrap_or(0);
            match cpu_limit {
                Some(l) => self.limited[h] += l * copies as f64,
                None => self.shared[h] = true,
            }
            let total = memory.unwrap_or(0) * copies as u64;
            self.memory[h] += total;
            let what = match copies {
                1 => format!("database `{}`", d.name.get()),
                k => format!("database `{}` ({k} servers)", d.name.get()),
            };
            self.contents[h].push((what, total));
            placed.cores = Some(cpu_limit.unwrap_or(self.hosts[h].cores));
        }
        placed.host = host;
        placed.memory = memory.unwrap_or(0);
        placed.cpu_limit = cpu_limit;
        placed
    }

    /// The keys that do not apply to a database on a host: `cores`, `zone`, request pricing.
    fn db_keys_off_host(&self, s: &mut Sink<'_>, d: &DbKeys<'_>) {
        let df = &d.field;
        if let Some(c) = d.cores {
            s.error(
                c.span(),
                format!("{df}.cores"),
                "a database on a host uses the host's cores; `cores` does not apply",
                Some("set `cpu_limit` to cap the cores its server may use".into()),
            );
        }
        if let Some(z) = d.zone {
            s.error(
                z.span(),
                format!("{df}.zone"),
                "a database on a host is in the host's zone; `zone` does not apply",
                Some("give the host a `zone`".into()),
            );
        }
        if let Some(span) = &d.request_priced {
            s.error(
                span.clone(),
                format!("{df}.pricing"),
                "a database priced per request is a managed service; it cannot run on a host",
                Some("remove `pricing` (a server on the host is billed as part of the host) or remove `host`".into()),
            );
        }
    }

    /// The memory (`memory` at `{field}.memory`, required) of a `kind` server placed on host
    /// `hn`.
    fn process_memory(
        &self,
        s: &mut Sink<'_>,
        memory: Option<&Size>,
        field: &str,
        hn: &Sp<String>,
        kind: &str,
    ) -> Option<u64> {
        match memory {
            Some(m) => size(s, m, &format!("{field}.memory")),
            None => {
                s.error(
                    hn.span(),
                    format!("{field}.memory"),
                    format!("a {kind} on a host needs `memory`, what its server takes of the host's memory"),
                    Some("e.g. memory = \"2GB\"".into()),
                );
                None
            }
        }
    }

    /// Checks a cache node's or broker's `host` and `memory` and counts it on its host.
    fn process(&mut self, s: &mut Sink<'_>, x: &ProcKeys<'_>) {
        let f = &x.field;
        let Some(hn) = x.host else {
            if let Some(m) = x.memory {
                s.error(
                    m.span(),
                    format!("{f}.memory"),
                    format!("`memory` sizes a {} server on a host; this {} has no `host` (a managed one is priced per hour or per request)", x.kind, x.kind),
                    Some("place it with `host = \"...\"`, or remove `memory`".into()),
                );
            }
            return;
        };
        let host = self.host_ref(s, hn, &format!("{f}.host"));
        let memory = self.process_memory(s, x.memory, f, hn, x.kind);
        if let Some(h) = host {
            let m = memory.unwrap_or(0);
            self.memory[h] += m;
            self.hosts[h].extra_memory += m;
            self.contents[h].push((format!("{} `{}`", x.kind, x.name.get()), m));
        }
    }
}

/// The keys that do not apply to a unit on a host: a serverless platform, `cores`, `zones`.
fn keys_off_host(s: &mut Sink<'_>, u: &UnitKeys<'_>) {
    let uf = &u.field;
    if u.serverless {
        let span = u
            .host
            .map_or_else(|| u.hosts.map_or(u.name.span(), |h| h.span()), |h| h.span());
        s.error(
            span,
            format!("{uf}.host"),
            "a serverless function runs on the provider's machines, not on a host",
            None,
        );
    }
    if let Some(c) = u.cores {
        s.error(
            c.span(),
            format!("{uf}.cores"),
            "an instance on a host uses the host's cores; `cores` does not apply",
            Some("set `cpu_limit` to cap the cores an instance may use".into()),
        );
    }
    if let Some(z) = u.zones {
        s.error(
            z.span(),
            format!("{uf}.zones"),
            "an instance on a host is in the host's zone; `zones` does not apply",
            Some("give the hosts a `zone`".into()),
        );
    }
}

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
