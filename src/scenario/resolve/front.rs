//! Resolution of the front-door components of each variant: the gateway as a node (capacity,
//! auth, rate limit, route caches), explicit load balancers, cache nodes and the CDN.

use super::*;

/// Most instances of a load balancer.
const MAX_LB_REPLICAS: i64 = 100;
/// Most keys of a TTL cache.
const MAX_KEYS: i64 = 1_000_000;

/// Resolves the front-door keys of every variant into `variants`.
pub(super) fn front_door(
    s: &mut Sink<'_>,
    raw: &RawScenario,
    names: &Names<'_>,
    workload: &Workload,
    ops: &[Operation],
    reachable: &[bool],
    variants: &mut [Variant],
) {
    let entry_names: Vec<&str> = workload.entries.iter().map(|e| e.name.as_str()).collect();
    for (vi, (rv, var)) in raw.variants.iter().zip(variants.iter_mut()).enumerate() {
        let vf = format!("variants[{vi}]");
        let v = rv.get();
        if let (Some(rg), Some(g)) = (&v.gateway, var.gateway.as_mut()) {
            g.node = gateway_node(s, rg.get(), &vf, names, &entry_names, ops, reachable);
        }
        let unit_names: Vec<String> = var.units.iter().map(|u| u.name.clone()).collect();
        let mut taken: Vec<String> = unit_names.clone();
        taken.extend(var.databases.iter().map(|d| d.name.clone()));
        taken.push("gateway".into());
        taken.push("cdn".into());
        let mut fronted: Vec<Option<usize>> = vec![None; var.units.len()];
        for (li, rl) in v.load_balancers.iter().enumerate() {
            let lf = format!("{vf}.load_balancers[{li}]");
            let l = rl.get();
            if let Some(lb) = load_balancer(s, l, &lf, &unit_names, &mut fronted, li, &taken) {
                taken.push(lb.name.clone());
                var.load_balancers.push(lb);
            }
        }
        let store_names: Vec<&str> = names.store_ops.iter().map(|(n, _)| *n).collect();
        let mut cached: Vec<bool> = vec![false; store_names.len()];
        for (ci, rc) in v.caches.iter().enumerate() {
            let cf = format!("{vf}.caches[{ci}]");
            let c = rc.get();
            check_name(s, &c.name, &format!("{cf}.name"), "cache");
            let name = c.name.get().clone();
            if taken.contains(&name) {
                s.error(
                    c.name.span(),
                    format!("{cf}.name"),
                    format!(
                        "`{name}` is already the name of a node of variant `{}`",
                        var.name
                    ),
                    Some("give every unit, database, load balancer and cache its own name".into()),
                );
            }
            let mut stores = Vec::new();
            for (k, st) in c.stores.get().iter().enumerate() {
                let f = format!("{cf}.stores[{k}]");
                match store_names.iter().position(|n| n == st.get()) {
                    Some(i) if cached[i] => s.error(
                        st.span(),
                        f,
                        format!("data store `{}` is already behind another cache", st.get()),
                        None,
                    ),
                    Some(i) if var.store_db[i].is_none() => s.error(
                        st.span(),
                        f,
                        format!(
                            "data store `{}` is on no database of variant `{}`",
                            st.get(),
                            var.name
                        ),
                        Some("a cache fronts the reads of a deployed data store".into()),
                    ),
                    Some(i) => {
                        cached[i] = true;
                        stores.push(i);
                    }
                    None => s.error(
                        st.span(),
                        f,
                        format!("unknown data store `{}`", st.get()),
                        Some(suggest(
                            st.get(),
                            store_names.iter().copied(),
                            "data stores",
                        )),
                    ),
                }
            }
            if c.stores.get().is_empty() {
                s.error(
                    c.stores.span(),
                    format!("{cf}.stores"),
                    "a cache needs at least one data store",
                    None,
                );
            }
            let spec = cache_spec(
                s,
                &cf,
                rc.span(),
                CacheKeys {
                    hit_ratio: c.hit_ratio.as_ref(),
                    ttl: c.ttl.as_ref(),
                    keys: c.keys.as_ref(),
                    popularity: c.popularity.as_ref(),
                },
            );
            // A Redis/ElastiCache GET inside a zone: sub-millisecond.
            let latency = latency(s, c.latency.as_ref(), &cf, 200e3);
            taken.push(name.clone());
            if let Some(spec) = spec {
                var.caches.push(CacheNode {
                    name,
                    stores,
                    spec,
                    latency,
                });
            }
        }
        if let Some(rc) = &v.cdn {
            let cf = format!("{vf}.cdn");
            let c = rc.get();
            let mut entries = Vec::new();
            for (k, e) in c.entries.get().iter().enumerate() {
                match entry_names.iter().position(|n| n == e.get()) {
                    Some(i) if !entries.contains(&i) => entries.push(i),
                    Some(_) => s.error(
                        e.span(),
                        format!("{cf}.entries[{k}]"),
                        format!("entry `{}` is listed twice", e.get()),
                        None,
                    ),
                    None => s.error(
                        e.span(),
                        format!("{cf}.entries[{k}]"),
                        format!("unknown entry `{}`", e.get()),
                        Some(suggest(e.get(), entry_names.iter().copied(), "entries")),
                    ),
                }
            }
            if c.entries.get().is_empty() {
                s.error(
                    c.entries.span(),
                    format!("{cf}.entries"),
                    "a CDN needs at least one entry",
                    None,
                );
            }
            let hit = num(
                s,
                &c.hit_ratio,
                &format!("{cf}.hit_ratio"),
                (0.0, true),
                1.0,
                "fraction of requests answered at the edge",
            );
            // An edge location near the client: a few milliseconds.
            let latency = latency(s, c.latency.as_ref(), &cf, 5e6);
            if let Some(hit_ratio) = hit {
                var.cdn = Some(Cdn {
                    entries,
                    hit_ratio,
                    latency,
                });
            }
        }
    }
}

fn latency(s: &mut Sink<'_>, v: Option<&DistSpec>, f: &str, default_ns: f64) -> Dist {
    v.and_then(|d| dist(s, d, &format!("{f}.latency")))
        .unwrap_or(Dist::Const(default_ns))
}

fn load_balancer(
    s: &mut Sink<'_>,
    l: &RawLoadBalancer,
    lf: &str,
    unit_names: &[String],
    fronted: &mut [Option<usize>],
    li: usize,
    taken: &[String],
) -> Option<LoadBalancer> {
    check_name(s, &l.name, &format!("{lf}.name"), "load balancer");
    let name = l.name.get().clone();
    if taken.contains(&name) {
        s.error(
            l.name.span(),
            format!("{lf}.name"),
            format!("`{name}` is already the name of a node of this variant"),
            Some("give every unit, database, load balancer and cache its own name".into()),
        );
    }
    let mut units = Vec::new();
    for (k, u) in l.units.get().iter().enumerate() {
        let f = format!("{lf}.units[{k}]");
        match unit_names.iter().position(|n| n == u.get()) {
            Some(i) if fronted[i].is_some() => s.error(
                u.span(),
                f,
                format!("unit `{}` is already behind another load balancer", u.get()),
                None,
            ),
            Some(i) => {
                fronted[i] = Some(li);
                units.push(i);
            }
            None => s.error(
                u.span(),
                f,
                format!("unknown unit `{}`", u.get()),
                Some(suggest(
                    u.get(),
                    unit_names.iter().map(|x| x.as_str()),
                    "units",
                )),
            ),
        }
    }
    if l.units.get().is_empty() {
        s.error(
            l.units.span(),
            format!("{lf}.units"),
            "a load balancer needs at least one unit",
            None,
        );
    }
    let algorithm = l.algorithm.as_ref().map(|a| match *a.get() {
        RawLb::RoundRobin => LbAlgorithm::RoundRobin,
        RawLb::Random => LbAlgorithm::Random,
        RawLb::LeastOutstanding => LbAlgorithm::LeastOutstanding,
        RawLb::PowerOfTwo => LbAlgorithm::PowerOfTwo,
    });
    let replicas = l
        .replicas
        .as_ref()
        .and_then(|r| {
            int(
                s,
                r,
                &format!("{lf}.replicas"),
                1,
                MAX_LB_REPLICAS,
                "balancer instances",
            )
        })
        .map_or(1, |x| x as u32);
    let capacity = l
        .capacity
        .as_ref()
        .and_then(|c| {
            int(
                s,
                c,
                &format!("{lf}.capacity"),
                1,
                MAX_QUEUE,
                "requests in flight per balancer instance",
            )
        })
        .map_or(u32::MAX, |x| x as u32);
    // docs/sources.md "self-hosted gateway overhead": a proxy hop costs well under a millisecond
    // (Kong ~1 ms with plugins, APISIX 0.7 ms with two); a plain L7 balancer is taken at 0.4 ms.
    let latency = latency(s, l.latency.as_ref(), lf, 400e3);
    Some(LoadBalancer {
        name,
        units,
        algorithm,
        replicas,
        capacity,
        latency,
    })
}

/// The keys of a cache spec (shared by cache nodes and gateway routes).
struct CacheKeys<'a> {
    hit_ratio: Option<&'a Num>,
    ttl: Option<&'a Duration>,
    keys: Option<&'a Int>,
    popularity: Option<&'a Popularity>,
}

fn cache_spec(
    s: &mut Sink<'_>,
    f: &str,
    span: Range<usize>,
    k: CacheKeys<'_>,
) -> Option<CacheSpec> {
    match (k.hit_ratio, k.ttl) {
        (Some(_), Some(t)) => {
            s.error(
                t.span(),
                format!("{f}.ttl"),
                "give either `hit_ratio` or `ttl`, not both",
                Some(
                    "`hit_ratio` fixes the fraction of hits; `ttl` simulates the cache per key"
                        .into(),
                ),
            );
            None
        }
        (Some(h), None) => {
            for (key, present) in [
                ("keys", k.keys.is_some()),
                ("popularity", k.popularity.is_some()),
            ] {
                if present {
                    s.error(
                        h.span(),
                        format!("{f}.{key}"),
                        format!("`{key}` applies to a `ttl` cache, not to a `hit_ratio` one"),
                        None,
                    );
                }
            }
            num(
                s,
                h,
                &format!("{f}.hit_ratio"),
                (0.0, true),
                1.0,
                "fraction of lookups answered by the cache",
            )
            .map(CacheSpec::Ratio)
        }
        (None, Some(t)) => {
            let ttl = dur_positive(s, t, &format!("{f}.ttl"), "the time to live")?;
            let keys = k
                .keys
                .map(|x| int(s, x, &format!("{f}.keys"), 1, MAX_KEYS, "distinct keys"))
                .unwrap_or(Some(1000))? as u32;
            let zipf = match k.popularity {
                None => None,
                Some(p) => popularity(s, p, &format!("{f}.popularity"))?,
            };
            Some(CacheSpec::Ttl { ttl, keys, zipf })
        }
        (None, None) => {
            s.error(
                span,
                f,
                "a cache needs `hit_ratio` (a fixed fraction of hits) or `ttl` (simulated per key)",
                Some("e.g. hit_ratio = 0.8, or ttl = \"30s\", keys = 1000".into()),
            );
            None
        }
    }
}

/// `"uniform"` → `Some(None)`, `{ zipf = s }` → `Some(Some(s))`.
fn popularity(s: &mut Sink<'_>, p: &Popularity, f: &str) -> Option<Option<f64>> {
    let help = Some("popularity = \"uniform\" or popularity = { zipf = 1.1 }".to_string());
    match p.value() {
        toml::Value::String(x) if x == "uniform" => Some(None),
        toml::Value::Table(t) if t.len() == 1 && t.contains_key("zipf") => {
            match number_from_value(&t["zipf"]).filter(|x| x.is_finite()) {
                Some(z) if z > 0.0 && z <= 10.0 => Some(Some(z)),
                _ => {
                    s.error(
                        p.span(),
                        format!("{f}.zipf"),
                        format!(
                            "the Zipf exponent must be a number in (0, 10], found {}",
                            describe(&t["zipf"])
                        ),
                        None,
                    );
                    None
                }
            }
        }
        other => {
            s.error(
                p.span(),
                f,
                format!("unknown key popularity: {}", describe(other)),
                help,
            );
            None
        }
    }
}

fn gateway_node(
    s: &mut Sink<'_>,
    g: &RawGateway,
    vf: &str,
    names: &Names<'_>,
    entry_names: &[&str],
    ops: &[Operation],
    reachable: &[bool],
) -> Option<GatewayNode> {
    let gf = format!("{vf}.gateway");
    let any = g.replicas.is_some()
        || g.cores.is_some()
        || g.workers.is_some()
        || g.queue.is_some()
        || g.auth.is_some()
        || g.rate_limit.is_some()
        || !g.routes.is_empty()
        || g.modules.is_some();
    if !any {
        return None;
    }
    let replicas = g
        .replicas
        .as_ref()
        .and_then(|r| {
            int(
                s,
                r,
                &format!("{gf}.replicas"),
                1,
                MAX_REPLICAS,
                "gateway instances",
            )
        })
        .map_or(1, |x| x as u32);
    let cores = g
        .cores
        .as_ref()
        .and_then(|c| {
            num(
                s,
                c,
                &format!("{gf}.cores"),
                (0.0, false),
                MAX_CORES,
                "cores per gateway instance",
            )
        })
        .unwrap_or(f64::INFINITY);
    // docs/sources.md "Envoy circuit-breaker limits": max requests 1,024.
    let workers = g
        .workers
        .as_ref()
        .and_then(|w| {
            int(
                s,
                w,
                &format!("{gf}.workers"),
                1,
                MAX_WORKERS,
                "CPU phases at once per gateway instance",
            )
        })
        .map_or(1024, |x| x as u32);
    let queue = g.queue.as_ref().and_then(|q| {
        int(
            s,
            q,
            &format!("{gf}.queue"),
            0,
            MAX_QUEUE,
            "requests waiting per gateway instance",
        )
        .map(|x| x as u32)
    });
    let mut auth_cpu = None;
    let mut auth_op = None;
    if let Some(ra) = &g.auth {
        let a = ra.get();
        let af = format!("{gf}.auth");
        match (&a.cpu, &a.op) {
            (Some(c), None) => auth_cpu = dist(s, c, &format!("{af}.cpu")),
            (None, Some(o)) => match names.ops.get(o.get().as_str()) {
                Some(&id) if matches!(ops[id].owner, OpOwner::Store(_)) => s.error(
                    o.span(),
                    format!("{af}.op"),
                    format!("`{}` is a data-store operation; auth calls a module operation", o.get()),
                    None,
                ),
                Some(&id) if !reachable[id] && !ops[id].steps.is_empty() => s.error(
                    o.span(),
                    format!("{af}.op"),
                    format!(
                        "`{}` makes calls but is reached from no entry: an auth operation called only by the gateway must not call others yet",
                        o.get()
                    ),
                    None,
                ),
                Some(&id) => auth_op = Some(id),
                None => s.error(
                    o.span(),
                    format!("{af}.op"),
                    format!("unknown operation `{}`", o.get()),
                    Some(suggest(
                        o.get(),
                        names.ops.keys().map(|k| k.as_str()),
                        "operations",
                    )),
                ),
            },
            _ => s.error(
                ra.span(),
                af,
                "auth needs exactly one of `cpu` (a fixed cost on the gateway) or `op` (a call to an operation)",
                Some("auth = { cpu = \"30us\" } or auth = { op = \"auth.verify\" }".into()),
            ),
        }
    }
    let rate_limit = g.rate_limit.as_ref().and_then(|rr| {
        let r = rr.get();
        let rf = format!("{gf}.rate_limit");
        let rate = num(
            s,
            &r.rate,
            &format!("{rf}.rate"),
            (0.0, false),
            MAX_RATE,
            "requests per second",
        )?;
        let burst = match &r.burst {
            Some(b) => num(
                s,
                b,
                &format!("{rf}.burst"),
                (1.0, true),
                1e9,
                "bucket size in requests",
            )?,
            None => rate.max(1.0),
        };
        Some(RateLimit { rate, burst })
    });
    let mut route_cache = vec![None; entry_names.len()];
    for (ri, rr) in g.routes.iter().enumerate() {
        let rf = format!("{gf}.routes[{ri}]");
        let r = rr.get();
        let Some(e) = entry_names.iter().position(|n| n == r.entry.get()) else {
            s.error(
                r.entry.span(),
                format!("{rf}.entry"),
                format!("unknown entry `{}`", r.entry.get()),
                Some(suggest(
                    r.entry.get(),
                    entry_names.iter().copied(),
                    "entries",
                )),
            );
            continue;
        };
        if route_cache[e].is_some() {
            s.error(
                r.entry.span(),
                format!("{rf}.entry"),
                format!("entry `{}` has two routes", r.entry.get()),
                None,
            );
            continue;
        }
        if let Some(rc) = &r.cache {
            let c = rc.get();
            route_cache[e] = cache_spec(
                s,
                &format!("{rf}.cache"),
                rc.span(),
                CacheKeys {
                    hit_ratio: c.hit_ratio.as_ref(),
                    ttl: c.ttl.as_ref(),
                    keys: c.keys.as_ref(),
                    popularity: c.popularity.as_ref(),
                },
            );
        }
    }
    Some(GatewayNode {
        replicas,
        cores,
        workers,
        queue,
        auth_cpu,
        auth_op,
        rate_limit,
        route_cache,
    })
}
