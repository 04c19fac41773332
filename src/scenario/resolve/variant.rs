//! `[[variants]]`: the placement of the modules into units (or onto the gateway) and of the
//! data stores onto databases, the units and databases themselves, their hosts and zones, and
//! the variant's queues. The front door (gateway node, load balancers, caches, CDN) is resolved
//! once every variant is (`front.rs`).

use super::refs::{Owner, Refs};
use super::unit::unit;
use super::Logical;
use crate::components::gateway::resolve::{gateway, hosted_modules};
use crate::components::placement::resolve::{placement, DbKeys, ProcKeys, UnitKeys};
use crate::components::queue::resolve::queues;
use crate::scenario::raw::{RawDbPricing, RawVariant, Sp};
use crate::scenario::types::{
    Database, DbId, DbPricing, Host, Module, OpOwner, Platform, Unit, UnitId, Variant, ON_GATEWAY,
};
use crate::spec::check::{check_name, duplicates, int, num};
use crate::spec::error::Sink;
use crate::spec::limits::MAX_CORES;
use crate::spec::units::suggest;

/// Most database connections.
pub const MAX_CONNECTIONS: i64 = 1_000_000;

/// Variant number `vi`.
pub(super) fn variant(
    s: &mut Sink<'_>,
    rv: &Sp<RawVariant>,
    vi: usize,
    m: &Logical<'_>,
) -> Variant {
    let vf = format!("variants[{vi}]");
    let v = rv.get();
    let vname = v.name.get().as_str();
    check_name(s, &v.name, &format!("{vf}.name"), "variant");
    let gateway = v.gateway.as_ref().map(|g| gateway(s, g.get(), &vf));
    // docs/sources.md serverless "account concurrency": 1,000 per region.
    let account_concurrency = v
        .account_concurrency
        .as_ref()
        .and_then(|a| {
            int(
                s,
                a,
                &format!("{vf}.account_concurrency"),
                1,
                1_000_000,
                "serverless instances of the variant at once",
            )
        })
        .map_or(1000, |x| x as u32);
    if v.units.is_empty() {
        s.error(
            v.name.span(),
            format!("{vf}.units"),
            format!(
                "variant `{vname}` has no units: add a `[[variants.units]]` holding its modules"
            ),
            None,
        );
    }
    duplicates(
        s,
        v.units
            .iter()
            .enumerate()
            .map(|(i, u)| (&u.get().name, format!("{vf}.units[{i}].name"))),
        "unit",
    );
    duplicates(
        s,
        v.databases
            .iter()
            .enumerate()
            .map(|(i, d)| (&d.get().name, format!("{vf}.databases[{i}].name"))),
        "database",
    );
    let (mut units, module_unit) = units(s, v, &vf, m);
    let (mut dbs, store_db) = databases(s, v, &vf, m);
    let (hosts, zones) = place_instances(s, v, &vf, m.modules, &mut units, &mut dbs);
    undeployed_stores(s, v, &vf, m, &store_db, &dbs);
    let mut queues = queues(s, &v.queues, &v.name, &vf, &m.names.queues);
    for q in &mut queues {
        let raw = v.queues.iter().find(|r| *r.get().name.get() == q.name);
        q.host = host_named(&hosts, raw.and_then(|r| r.get().host.as_ref()));
    }
    account_fits(s, v, &vf, &units, account_concurrency);
    let unit_name = |u: usize| match units.get(u) {
        Some(x) => x.name.clone(),
        None => "gateway".to_string(),
    };
    let db_name = |d: usize| dbs.get(d).map_or(String::new(), |x| x.name.clone());
    let transactions = super::tx::mode(
        s,
        v.transactions.as_ref(),
        v.name.span(),
        &vf,
        vname,
        m.ops,
        m.reachable,
        &module_unit,
        &store_db,
        &unit_name,
        &db_name,
    );
    Variant {
        name: vname.to_string(),
        units,
        databases: dbs,
        gateway,
        module_unit,
        store_db,
        account_concurrency,
        module_team: m.modules.iter().map(|m| m.team).collect(),
        queues,
        load_balancers: Vec::new(),
        caches: Vec::new(),
        cdn: None,
        hosts,
        zones,
        transactions,
    }
}

/// The functions' reservations fit in the account's concurrency (docs/sources.md serverless
/// "reserved concurrency": archsim lets them take all of it), and the provisioned instances of
/// a function without a reservation fit in what the reservations leave.
fn account_fits(s: &mut Sink<'_>, v: &RawVariant, vf: &str, units: &[Unit], account: u32) {
    let functions = || units.iter().filter(|u| u.platform == Platform::Serverless);
    let reserved: u64 = functions()
        .filter_map(|u| u.function.reserved)
        .map(u64::from)
        .sum();
    let span = v
        .account_concurrency
        .as_ref()
        .map_or_else(|| v.name.span(), |a| a.span());
    if reserved > u64::from(account) {
        s.error(
            span,
            format!("{vf}.account_concurrency"),
            format!(
                "the functions of variant `{}` reserve {reserved} instances in all, more than the account's concurrency, {account}",
                v.name.get()
            ),
            Some("lower their `reserved_concurrency` or raise `account_concurrency` (default 1000)".into()),
        );
        return;
    }
    let left = u64::from(account) - reserved;
    for u in functions().filter(|u| u.function.reserved.is_none()) {
        if u64::from(u.function.provisioned) > left {
            s.error(
                span.clone(),
                format!("{vf}.account_concurrency"),
                format!(
                    "function `{}` keeps {} provisioned instances, more than the {left} the account's concurrency ({account}) leaves unreserved",
                    u.name, u.function.provisioned
                ),
                Some("lower its `provisioned`, reserve its concurrency, or raise `account_concurrency` (default 1000)".into()),
            );
        }
    }
}

/// The units of variant `v` (field path `vf`) with the modules placed in them, and the unit of
/// each module ([`ON_GATEWAY`] for a module hosted on the gateway); every module must be in
/// exactly one.
fn units(s: &mut Sink<'_>, v: &RawVariant, vf: &str, m: &Logical<'_>) -> (Vec<Unit>, Vec<UnitId>) {
    let vname = v.name.get().as_str();
    let mut module_unit: Vec<Option<UnitId>> = vec![None; m.modules.len()];
    let unit_names: Vec<&str> = v
        .units
        .iter()
        .map(|u| u.get().name.get().as_str())
        .collect();
    let module_names: Vec<&str> = m.modules.iter().map(|m| m.name.as_str()).collect();
    let mut out = Vec::new();
    for (ui, ru) in v.units.iter().enumerate() {
        let uf = format!("{vf}.units[{ui}]");
        let u = ru.get();
        check_name(s, &u.name, &format!("{uf}.name"), "unit");
        let mods = place(
            s,
            m.refs,
            Placed::Modules,
            Container {
                field: &uf,
                index: ui,
                names: &unit_names,
            },
            (&u.modules, &mut module_unit),
            &module_names,
            vname,
        );
        out.push(unit(s, u, &uf, mods));
    }
    // Modules hosted on the gateway: placed like a unit's, the gateway being one more container
    // (so that a module both in a unit and on the gateway is an error naming both).
    let gf = format!("{vf}.gateway");
    if let Some(list) = v
        .gateway
        .as_ref()
        .and_then(|g| hosted_modules(s, g.get(), &gf))
    {
        let mut containers = unit_names.clone();
        containers.push("gateway");
        place(
            s,
            m.refs,
            Placed::Modules,
            Container {
                field: &gf,
                index: unit_names.len(),
                names: &containers,
            },
            (list, &mut module_unit),
            &module_names,
            vname,
        );
        for u in module_unit.iter_mut() {
            if *u == Some(unit_names.len()) {
                *u = Some(ON_GATEWAY);
            }
        }
    }
    for (mi, placed) in module_unit.iter().enumerate() {
        if placed.is_none() && !v.units.is_empty() {
            s.error(
                v.name.span(),
                format!("{vf}.units"),
                format!(
                    "module `{}` is in no unit of variant `{vname}`; every module must be in exactly one unit (or on the gateway)",
                    m.modules[mi].name
                ),
                Some(format!(
                    "add \"{}\" to the `modules` of one of the units: {}",
                    m.modules[mi].name,
                    unit_names.join(", ")
                )),
            );
        }
    }
    (
        out,
        module_unit.into_iter().map(|u| u.unwrap_or(0)).collect(),
    )
}

/// The databases of variant `v` (field path `vf`) with the data stores placed on them, and the
/// database of each data store, if deployed.
fn databases(
    s: &mut Sink<'_>,
    v: &RawVariant,
    vf: &str,
    m: &Logical<'_>,
) -> (Vec<Database>, Vec<Option<DbId>>) {
    let mut store_db: Vec<Option<DbId>> = vec![None; m.datastores.len()];
    let db_names: Vec<&str> = v
        .databases
        .iter()
        .map(|d| d.get().name.get().as_str())
        .collect();
    let store_names: Vec<&str> = m.datastores.iter().map(|d| d.name.as_str()).collect();
    let mut dbs = Vec::new();
    for (di, rd) in v.databases.iter().enumerate() {
        let df = format!("{vf}.databases[{di}]");
        let d = rd.get();
        check_name(s, &d.name, &format!("{df}.name"), "database");
        let stores = place(
            s,
            m.refs,
            Placed::Stores,
            Container {
                field: &df,
                index: di,
                names: &db_names,
            },
            (&d.stores, &mut store_db),
            &store_names,
            v.name.get(),
        );
        // docs/sources.md rows "database server size" (2 cores) and "PostgreSQL
        // max_connections" (100).
        let cores = d
            .cores
            .as_ref()
            .and_then(|c| {
                num(
                    s,
                    c,
                    &format!("{df}.cores"),
                    (0.0, false),
                    MAX_CORES,
                    "database server cores",
                )
            })
            .unwrap_or(2.0);
        let max_connections = d
            .max_connections
            .as_ref()
            .and_then(|c| {
                int(
                    s,
                    c,
                    &format!("{df}.max_connections"),
                    1,
                    MAX_CONNECTIONS,
                    "queries executed at once",
                )
            })
            .map_or(100, |x| x as u32);
        let pricing = match d.pricing.as_ref().map(|p| *p.get()) {
            None | Some(RawDbPricing::Hourly) => DbPricing::Hourly,
            Some(RawDbPricing::Request) => DbPricing::Request,
        };
        dbs.push(Database {
            name: d.name.get().clone(),
            stores,
            cores,
            max_connections,
            pricing,
            read_replicas: 0,
            zone: None,
            host: None,
            memory: 0,
            cpu_limit: None,
        });
    }
    (dbs, store_db)
}

/// Resolves the hosts of variant `v` and places its units and databases (resolved in `units`
/// and `dbs`, in file order) on them. Returns the hosts and the zone names.
fn place_instances(
    s: &mut Sink<'_>,
    v: &RawVariant,
    vf: &str,
    modules: &[Module],
    units: &mut [Unit],
    dbs: &mut [Database],
) -> (Vec<Host>, Vec<String>) {
    let unit_keys: Vec<UnitKeys<'_>> = v
        .units
        .iter()
        .zip(units.iter())
        .enumerate()
        .map(|(ui, (ru, unit))| {
            let u = ru.get();
            let module_mem: u64 = unit.modules.iter().map(|&m| modules[m].memory).sum();
            UnitKeys {
                field: format!("{vf}.units[{ui}]"),
                name: &u.name,
                host: u.host.as_ref(),
                hosts: u.hosts.as_ref(),
                cpu_limit: u.cpu_limit.as_ref(),
                zones: u.zones.as_ref(),
                cores: u.cores.as_ref(),
                serverless: unit.platform == Platform::Serverless,
                // An autoscaled unit may run up to its `max` instances: they all need room.
                instances: match &unit.autoscale {
                    Some(a) => a.max.max(unit.replicas.max(1)) as usize,
                    None => unit.replicas.max(1) as usize,
                },
                memory: unit.base_memory + module_mem,
            }
        })
        .collect();
    let db_keys: Vec<DbKeys<'_>> = v
        .databases
        .iter()
        .enumerate()
        .map(|(di, rd)| {
            let d = rd.get();
            DbKeys {
                field: format!("{vf}.databases[{di}]"),
                name: &d.name,
                read_replicas: d.read_replicas.as_ref(),
                zone: d.zone.as_ref(),
                host: d.host.as_ref(),
                memory: d.memory.as_ref(),
                cpu_limit: d.cpu_limit.as_ref(),
                cores: d.cores.as_ref(),
                request_priced: d
                    .pricing
                    .as_ref()
                    .filter(|p| *p.get() == RawDbPricing::Request)
                    .map(|p| p.span()),
            }
        })
        .collect();
    // Cache nodes, then queues' brokers, in file order.
    let caches = v.caches.iter().enumerate().map(|(i, rc)| ProcKeys {
        field: format!("{vf}.caches[{i}]"),
        kind: "cache",
        name: &rc.get().name,
        host: rc.get().host.as_ref(),
        memory: rc.get().memory.as_ref(),
    });
    let queues = v.queues.iter().enumerate().map(|(i, rq)| ProcKeys {
        field: format!("{vf}.queues[{i}]"),
        kind: "queue",
        name: &rq.get().name,
        host: rq.get().host.as_ref(),
        memory: rq.get().memory.as_ref(),
    });
    let proc_keys: Vec<ProcKeys<'_>> = caches.chain(queues).collect();
    let placed = placement(s, &v.hosts, vf, &unit_keys, &db_keys, &proc_keys);
    for (unit, p) in units.iter_mut().zip(placed.units) {
        unit.placement = p.placement;
        if let Some(cores) = p.cores {
            unit.cores = cores;
        }
    }
    for (db, p) in dbs.iter_mut().zip(placed.dbs) {
        if let Some(n) = p.read_replicas {
            db.read_replicas = n;
        }
        if p.zone.is_some() {
            db.zone = p.zone;
        }
        db.host = p.host;
        db.memory = p.memory;
        db.cpu_limit = p.cpu_limit;
        if let Some(c) = p.cores {
            db.cores = c;
        }
    }
    (placed.hosts, placed.zones)
}

/// The host named `name` among `hosts` (its errors were reported when the variant's hosts
/// were placed).
pub(super) fn host_named(hosts: &[Host], name: Option<&Sp<String>>) -> Option<usize> {
    let name = name?;
    hosts.iter().position(|h| h.name == *name.get())
}

/// Reports every data store called by an operation the entries reach that is on no database
/// of the variant.
fn undeployed_stores(
    s: &mut Sink<'_>,
    v: &RawVariant,
    vf: &str,
    m: &Logical<'_>,
    store_db: &[Option<DbId>],
    dbs: &[Database],
) {
    let vname = v.name.get().as_str();
    let mut reported = vec![false; m.datastores.len()];
    for (oi, op) in m.ops.iter().enumerate() {
        if !m.reachable[oi] {
            continue;
        }
        let OpOwner::Store(st) = op.owner else {
            continue;
        };
        if store_db[st].is_some() || reported[st] {
            continue;
        }
        reported[st] = true;
        let caller = m.via[oi]
            .map(|c| m.ops[c].name.as_str())
            .unwrap_or("an entry");
        let dbs_list = if dbs.is_empty() {
            format!(
                "add a `[[variants.databases]]` to variant `{vname}` with stores = [\"{}\"]",
                m.datastores[st].name
            )
        } else {
            format!(
                "add \"{}\" to the `stores` of one of the databases: {}",
                m.datastores[st].name,
                dbs.iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        s.error(
            v.name.span(),
            format!("{vf}.databases"),
            format!(
                "data store `{}` is called by `{caller}` (reachable from an entry) but is on no database of variant `{vname}`",
                m.datastores[st].name
            ),
            Some(dbs_list),
        );
    }
}

/// What a variant places into its containers: modules into units, data stores into databases.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Placed {
    Modules,
    Stores,
}

impl Placed {
    /// (item, items, container, preposition, list key, container table)
    fn words(
        self,
    ) -> (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        match self {
            Placed::Modules => (
                "module",
                "modules",
                "unit",
                "in",
                "modules",
                "[[variants.units]]",
            ),
            Placed::Stores => (
                "data store",
                "data stores",
                "database",
                "on",
                "stores",
                "[[variants.databases]]",
            ),
        }
    }
}

/// A unit or database being filled: its field path, index and the names of all its siblings.
struct Container<'a> {
    field: &'a str,
    index: usize,
    names: &'a [&'a str],
}

/// Places the names `list` of container `c` (its `modules` or `stores`) and returns the ids
/// placed. `placed[id]` records each item's container; an item placed twice, a name of the
/// wrong kind, an unknown name and an empty list are errors with field and line.
fn place(
    s: &mut Sink<'_>,
    refs: &Refs<'_>,
    kind: Placed,
    c: Container<'_>,
    (list, placed): (&Sp<Vec<Sp<String>>>, &mut [Option<usize>]),
    candidates: &[&str],
    vname: &str,
) -> Vec<usize> {
    let (item, items, container, prep, key, _) = kind.words();
    let cname = c.names[c.index];
    if list.get().is_empty() {
        s.error(
            list.span(),
            format!("{}.{key}", c.field),
            format!("{container} `{cname}` holds no {items}: list at least one"),
            None,
        );
    }
    let mut ids = Vec::new();
    for (j, name) in list.get().iter().enumerate() {
        let f = format!("{}.{key}[{j}]", c.field);
        let id = match (kind, refs.owners.get(name.get().as_str())) {
            (Placed::Modules, Some(Owner::Module(id)))
            | (Placed::Stores, Some(Owner::Store(id))) => *id,
            (_, Some(_)) => {
                let other = match kind {
                    Placed::Modules => Placed::Stores,
                    Placed::Stores => Placed::Modules,
                };
                let (other_item, _, _, _, other_key, other_table) = other.words();
                s.error(
                    name.span(),
                    &f,
                    format!("`{}` is a {other_item}, not a {item}", name.get()),
                    Some(format!(
                        "{other_item}s go in the `{other_key}` of a `{other_table}`"
                    )),
                );
                continue;
            }
            (_, None) => {
                let help = Some(suggest(name.get(), candidates.iter().copied(), items));
                s.error(
                    name.span(),
                    &f,
                    format!("unknown {item} `{}`", name.get()),
                    help,
                );
                continue;
            }
        };
        match placed[id] {
            Some(other) => s.error(
                name.span(),
                &f,
                format!(
                    "{item} `{}` is {prep} two {container}s of variant `{vname}`: `{}` and `{cname}`",
                    name.get(),
                    c.names[other]
                ),
                Some(format!(
                    "a {item} lives {prep} exactly one {container} per variant; remove it from one of them"
                )),
            ),
            None => {
                placed[id] = Some(c.index);
                ids.push(id);
            }
        }
    }
    ids
}
